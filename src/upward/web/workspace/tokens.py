"""Invitation links: a signed token naming the invitation and its random nonce.

The signature stops anyone forging or guessing a link; the invitation row decides whether
it is still usable (not expired, revoked or already accepted), so links are single-use.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core import signing
from django.utils import timezone

from upward.web.workspace.models import Invitation

SALT = "upward.workspace.invitation"
VALID_FOR = timedelta(days=7)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def default_expiry() -> timezone.datetime:
    return timezone.now() + VALID_FOR


def make_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=True)


class InvalidInvitation(Exception):
    def __init__(self, title: str, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.title = title
        self.message = message
        self.status = status


def read_token(token: str) -> Invitation:
    """The invitation a token names, if it can still be accepted."""
    try:
        data = signing.loads(token, salt=SALT)
        invitation = Invitation.objects.select_related("workspace").get(
            pk=int(data["i"]), nonce=str(data["n"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, Invitation.DoesNotExist):
        raise InvalidInvitation(
            "Invitation not found",
            "This invitation link is not valid. Check that you copied the whole link.",
        ) from None
    if invitation.revoked_at is not None:
        raise InvalidInvitation(
            "Invitation withdrawn", "The workspace owner withdrew this invitation.", 410
        )
    if invitation.accepted_at is not None:
        raise InvalidInvitation(
            "Invitation already used",
            "This link has already been used. Ask a workspace owner for a new one.",
            410,
        )
    if invitation.expires_at <= timezone.now():
        raise InvalidInvitation(
            "Invitation expired", "This link has expired. Ask a workspace owner for a new one.", 410
        )
    return invitation
