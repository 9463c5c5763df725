"""Sign-in throttling: after too many failures for one username from one address, wait.

Both sign-in pages go through it: the site's (/accounts/login/) and the admin's
(/admin/login/), through ``forms.accounts.ThrottleMixin``. A completed password reset
clears the account's counters (:func:`clear_account`).

Counters live in the database (:class:`LoginAttempt`), so every gunicorn worker and every
replica sees the same count. Settings (optional): ``UPWARD_LOGIN_MAX_FAILURES`` (default
5), ``UPWARD_LOGIN_WINDOW_MINUTES`` (failures older than this are forgotten, default 15),
``UPWARD_LOGIN_LOCKOUT_MINUTES`` (default 15). The address is :func:`client_ip`'s: behind
a load balancer listed in ``UPWARD_TRUSTED_PROXIES``, the client's own, not the balancer's.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from upward.web.config import Network
from upward.web.workspace.models import LoginAttempt

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def max_failures() -> int:
    return int(getattr(settings, "UPWARD_LOGIN_MAX_FAILURES", 5))


def window() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "UPWARD_LOGIN_WINDOW_MINUTES", 15)))


def lockout() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "UPWARD_LOGIN_LOCKOUT_MINUTES", 15)))


def _address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str:
    """The client's address: ``REMOTE_ADDR``, or, when that is a trusted proxy
    (``UPWARD_TRUSTED_PROXIES``), the nearest address in ``X-Forwarded-For`` that is not
    one. Entries a client wrote itself (left of the proxies' own) are never read, and a
    malformed entry ends the walk at the last proxy that was trusted."""
    if request is None:
        return "unknown"
    remote = str(request.META.get("REMOTE_ADDR") or "")
    trusted = getattr(settings, "UPWARD_TRUSTED_PROXIES", ())
    nearest = _address(remote)
    if trusted and nearest is not None and _trusted(nearest, trusted):
        hops = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                break
            nearest = address
            if not _trusted(address, trusted):
                break
        remote = str(nearest)
    return (remote or "unknown")[:45]


def _trusted(address: IPAddress, networks: tuple[Network, ...]) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.5 is 10.0.0.5
    return any(
        a in n
        for a in (address, mapped)
        if a is not None
        for n in networks
        if a.version == n.version
    )


def _key(username: str) -> str:
    return username.strip().casefold()[:150]


def locked_until(username: str, ip: str) -> datetime | None:
    row = LoginAttempt.objects.filter(username=_key(username), ip=ip).first()
    if row and row.locked_until and row.locked_until > timezone.now():
        return row.locked_until
    return None


def minutes_left(until: datetime) -> int:
    return max(1, math.ceil((until - timezone.now()).total_seconds() / 60))


def record_failure(username: str, ip: str) -> datetime | None:
    """Count one failure; return the lock's end when this failure triggers a lockout."""
    key, now = _key(username), timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row, _ = LoginAttempt.objects.select_for_update().get_or_create(username=key, ip=ip)
                if row.first_failure_at is None or now - row.first_failure_at > window():
                    row.failures, row.first_failure_at = 0, now
                row.failures += 1
                if row.failures >= max_failures():
                    row.locked_until = now + lockout()
                    row.failures, row.first_failure_at = 0, None
                row.save()
                return row.locked_until if row.locked_until and row.locked_until > now else None
        except IntegrityError:
            continue  # another worker created the row first; count again on it
    return None


def clear(username: str, ip: str) -> None:
    LoginAttempt.objects.filter(username=_key(username), ip=ip).delete()


def clear_account(username: str) -> None:
    """Forget every counter and lock of one username, from every address (after a
    completed password reset: the person proved they hold the account's mailbox)."""
    LoginAttempt.objects.filter(username=_key(username)).delete()
