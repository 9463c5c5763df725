"""A creating form sent twice creates once (going back and submitting again, a double click).

Every creating form carries a one-time token in a hidden ``once`` field (the template
``workspace/_form_fields.html`` renders :func:`token_for`). The view checks
:func:`repeat` before it validates, and :func:`claim` marks the token used inside the
transaction that creates the record, so a simultaneous twin fails on the database's
unique constraint and its whole transaction, record included, is rolled back. A second
submission goes to what the first created, with a message (:func:`repeat`).
A form re-shown after an error keeps its token; a form opened again gets a new one.
A request without a token (an older page, a script) is served as before.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from upward.web.workspace.models import FormSubmission

FIELD = "once"
KEEP = timedelta(days=1)
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,43}")
ALREADY = "You had already sent this form, so nothing was created twice. Here is what it created."


def _sent(request: HttpRequest) -> str:
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if TOKEN.fullmatch(token) else ""


def token_for(request: HttpRequest) -> str:
    """The token of the form being shown: the one sent back (after an error) or a new one."""
    return _sent(request) or secrets.token_urlsafe(16)


def earlier(request: HttpRequest) -> str | None:
    """Where the first submission of this very form went, if it has been used."""
    token = _sent(request)
    if not token or not request.user.is_authenticated:
        return None
    used = FormSubmission.objects.filter(user=request.user, token=token)
    return used.values_list("url", flat=True).first()


def claim(request: HttpRequest, url: str) -> None:
    """Mark the form's token used (call inside the creating transaction); raises
    IntegrityError when a simultaneous twin claimed it first."""
    token = _sent(request)
    if not token:
        return
    FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    FormSubmission.objects.create(user=request.user, token=token, url=url)


def repeat(request: HttpRequest) -> HttpResponse | None:
    """For a form already used: go to what it created, with a message; else None."""
    url = earlier(request)
    if url is None:
        return None
    messages.info(request, ALREADY)
    return redirect(url)


def after_clash(request: HttpRequest, error: IntegrityError) -> HttpResponse:
    """After a create failed on a unique constraint: go to what a simultaneous twin of
    this form created, or raise ``error`` again when there was no twin."""
    again = repeat(request)
    if again is None:
        raise error
    return again
