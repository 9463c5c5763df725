"""Who may use the workspace API: the pages' access rules, answered in JSON.

Authentication is the web site's session (sign in at /accounts/login/); a change (POST,
PATCH, DELETE) also needs Django's CSRF token in the ``X-CSRFToken`` header (ninja's
SessionAuth checks it). The rules come from the same helpers as the pages
(``web/workspace/access.py``) and run in the authentication step, before any parameter or
body is read, so an outsider learns nothing from validation messages either:

* not signed in: 401;
* signed in but not a member, or no such workspace: 404 (the same answer, so outsiders
  cannot learn that a workspace exists);
* any change needs the editor role (403 for a viewer), except where a route's
  ``WorkspaceMember(change=Role.VIEWER)`` takes it from any member (a review comment).
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import SessionAuth

from upward.web.api.errors import ApiError
from upward.web.api.schemas import ErrorOut
from upward.web.workspace.access import membership_for, role_needed, role_refusal
from upward.web.workspace.models import Membership, Role, Workspace

READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
CHANGE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut}
# A change with a body: 413 when the body is over UPWARD_API_MAX_BODY_BYTES.
BODY_ERRORS: dict[int, Any] = {**CHANGE_ERRORS, 413: ErrorOut}
NOT_FOUND = "There is no workspace at this address among yours."
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's slug


class SignedIn(SessionAuth):
    """The site's session; CSRF-checked on unsafe methods (ninja's SessionAuth)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError:
            raise ApiError(
                403,
                "CSRF check failed",
                "A change needs the CSRF token of your session in the X-CSRFToken header.",
            ) from None

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            raise ApiError(
                401, "Sign-in needed", "Sign in at /accounts/login/ to use the workspace API."
            )
        return request.user


class WorkspaceMember(SignedIn):
    """A member of the workspace named by ``{slug}``, with the role the method needs
    (``change``: what a change needs, the editor role unless a route says otherwise)."""

    def __init__(self, change: str = Role.EDITOR) -> None:
        super().__init__()
        self.change = change

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        match = request.resolver_match
        slug = match.kwargs.get("slug") if match is not None else None
        if slug is None:
            raise RuntimeError(f"{request.path} has no workspace slug to check")
        # Not a slug (a NUL, say, which PostgreSQL cannot even compare): no such workspace.
        membership = membership_for(user, str(slug)) if SLUG.fullmatch(str(slug)) else None
        if membership is None:
            raise ApiError(404, "Not found", NOT_FOUND)
        needed = role_needed(request.method or "GET", change=self.change)
        if not membership.can(needed):
            raise ApiError(403, "Not allowed", role_refusal(membership, needed))
        return membership


W = "/workspaces/{slug}"


def workspace_of(request: HttpRequest) -> Workspace:
    """The workspace of the address, checked by :class:`WorkspaceMember`."""
    membership: Membership = request.auth  # type: ignore[attr-defined]
    return membership.workspace
