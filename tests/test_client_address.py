"""The client's address behind a load balancer (docs/deployment.md, "The load balancer").

Sign-in throttling and the community form's rate limit count per client address
(``workspace.throttle.client_ip``). Behind a balancer ``REMOTE_ADDR`` is the balancer's, so
every client would share one count: five wrong passwords from anyone would lock a
username for everyone. With the balancer listed in ``UPWARD_TRUSTED_PROXIES`` the address
is the nearest one in ``X-Forwarded-For`` that is not a trusted proxy; what a client wrote
into the header itself is never read.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from upward.web.config import ConfigError, trusted_proxies
from upward.web.workspace.throttle import client_ip

BALANCER = "10.0.0.5"
PASSWORD = "Behind-The-Balancer-2025"


def address(settings: Any, trusted: str, remote: str, forwarded: str | None = None) -> str:
    settings.UPWARD_TRUSTED_PROXIES = trusted_proxies(trusted)
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    assert address(settings, "", BALANCER, "198.51.100.7") == BALANCER


def test_from_a_trusted_balancer_the_client_is_read_from_the_header(settings: Any) -> None:
    assert address(settings, BALANCER, BALANCER, "198.51.100.7") == "198.51.100.7"
    assert address(settings, "10.0.0.0/24", "10.0.0.9", "198.51.100.7") == "198.51.100.7"


def test_what_the_client_wrote_itself_is_not_read(settings: Any) -> None:
    # The client sent "X-Forwarded-For: 203.0.113.1"; nginx appended the address it saw.
    assert address(settings, BALANCER, BALANCER, "203.0.113.1, 198.51.100.7") == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked(settings: Any) -> None:
    trusted = "10.0.0.0/24, 192.168.5.2"
    found = address(settings, trusted, "10.0.0.5", "203.0.113.1, 198.51.100.7, 192.168.5.2")
    assert found == "198.51.100.7"


def test_from_an_untrusted_address_the_header_is_ignored(settings: Any) -> None:
    assert address(settings, BALANCER, "198.51.100.66", "203.0.113.1") == "198.51.100.66"


def test_a_missing_or_malformed_header_leaves_the_last_trusted_address(settings: Any) -> None:
    assert address(settings, BALANCER, BALANCER) == BALANCER
    assert address(settings, BALANCER, BALANCER, "") == BALANCER
    assert address(settings, BALANCER, BALANCER, "203.0.113.1, not-an-address") == BALANCER
    assert address(settings, BALANCER, BALANCER, "x" * 5000) == BALANCER


def test_ipv6_and_mapped_addresses(settings: Any) -> None:
    assert address(settings, "fd00::/8", "fd00::5", "2001:db8::7") == "2001:db8::7"
    assert address(settings, BALANCER, "::ffff:10.0.0.5", "198.51.100.7") == "198.51.100.7"


def test_a_malformed_setting_is_refused_at_start_up() -> None:
    assert trusted_proxies("") == ()
    assert [str(n) for n in trusted_proxies(" 10.0.0.5 , fd00::/8,")] == ["10.0.0.5/32", "fd00::/8"]
    with pytest.raises(ConfigError, match=r"'10\.0\.0\.300' is not an IP address"):
        trusted_proxies("10.0.0.5,10.0.0.300")


@pytest.mark.db
@pytest.mark.django_db
def test_a_lockout_behind_the_balancer_is_one_clients_not_everyones(settings: Any) -> None:
    settings.UPWARD_TRUSTED_PROXIES = trusted_proxies(BALANCER)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_user_model().objects.create_user("dana", "dana@example.org", PASSWORD)

    def sign_in(client_address: str, password: str) -> Any:
        return Client().post(
            reverse("login"), {"username": "dana", "password": password},
            REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=client_address,
        )  # fmt: skip

    for _ in range(5):
        refused = sign_in("198.51.100.66", "wrong")
    assert "paused" in refused.content.decode()
    assert "paused" in sign_in("198.51.100.66", PASSWORD).content.decode()
    assert sign_in("198.51.100.7", PASSWORD).status_code == 302  # Dana, elsewhere
