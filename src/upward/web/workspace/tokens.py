"""Invitation links: a signed token naming the invitation and its random nonce.

The signature stops anyone forging or guessing a link; the invitation row decides whether
it is still usable (not expired, revoked or already accepted), so links are single-use.
A workspace's invitations and a learning network's (``upward.web.networks``) use the same
machinery, each under its own salt, so a link of one kind never opens the other.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any, TypeVar

from django.core import signing
from django.db import models
from django.utils import timezone

from upward.web.workspace.models import Invitation

SALT = "upward.workspace.invitation"
VALID_FOR = timedelta(days=7)

I = TypeVar("I", bound=models.Model)  # noqa: E741


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def default_expiry(valid_for: timedelta = VALID_FOR) -> timezone.datetime:
    return timezone.now() + valid_for


def make_token(invitation: Any, salt: str = SALT) -> str:
    """The signed token of an invitation row (anything with ``pk`` and ``nonce``)."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=salt, compress=True)


class InvalidInvitation(Exception):
    def __init__(self, title: str, message: str, status: int = 404) -> None:
        super().__init__(message)
        self.title = title
        self.message = message
        self.status = status


def read_signed(
    token: str,
    model: type[I],
    salt: str,
    related: tuple[str, ...],
    issuer: str,
) -> I:
    """The ``model`` invitation a token names, if it can still be accepted; else
    :class:`InvalidInvitation`, whose messages name ``issuer`` (who gives out new links,
    "a workspace owner")."""
    try:
        data = signing.loads(token, salt=salt)
        invitation = model._default_manager.select_related(*related).get(
            pk=int(data["i"]), nonce=str(data["n"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, model.DoesNotExist):
        raise InvalidInvitation(
            "Invitation not found",
            "This invitation link is not valid. Check that you copied the whole link.",
        ) from None
    if invitation.revoked_at is not None:  # type: ignore[attr-defined]
        raise InvalidInvitation(
            "Invitation withdrawn",
            f"{issuer[0].upper()}{issuer[1:]} withdrew this invitation.",
            410,
        )
    if invitation.accepted_at is not None:  # type: ignore[attr-defined]
        raise InvalidInvitation(
            "Invitation already used",
            f"This link has already been used. Ask {issuer} for a new one.",
            410,
        )
    if invitation.expires_at <= timezone.now():  # type: ignore[attr-defined]
        raise InvalidInvitation(
            "Invitation expired", f"This link has expired. Ask {issuer} for a new one.", 410
        )
    return invitation


def read_token(token: str) -> Invitation:
    """The workspace invitation a token names, if it can still be accepted."""
    return read_signed(token, Invitation, SALT, ("workspace",), "a workspace owner")


def claim(invitation: models.Model, user: Any) -> bool:
    """Use the invitation once (call inside the accepting transaction): the conditional
    update stops two people using one link; False when it was used or withdrawn meanwhile."""
    claimed = (
        type(invitation)
        ._default_manager.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .update(accepted_at=timezone.now(), accepted_by=user)
    )
    return claimed == 1
