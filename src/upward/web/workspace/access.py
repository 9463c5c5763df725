"""Who may see and change a workspace.

Every workspace view is wrapped in :func:`workspace_view`. The rules, in order:

* not signed in: sent to the sign-in page (whether or not the workspace exists);
* signed in but not a member (or no such workspace): 404, so outsiders cannot even learn
  that a workspace exists;
* any request that is not GET/HEAD needs at least the editor role, whatever the view
  asked for, so a viewer changes nothing, with one named exception: a view declared
  with ``change=Role.VIEWER`` takes a change from any member (a review comment, which
  adds the member's own words and edits nothing of the coalition's);
* a view may ask for more (``role="owner"`` for members and settings): 403 otherwise.

The JSON API (``upward.web.api.workspace``) applies the same rules through the same
helpers (:func:`membership_for`, :func:`role_needed`), answering 401 instead of the
sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from upward.web.explorer.errors import error_response
from upward.web.workspace.models import ROLE_RANK, Membership, Role, role_with_article

SAFE_METHODS = frozenset({"GET", "HEAD"})

View = Callable[..., HttpResponse]


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return error_response(request, 403, "Not allowed", message)


def membership_for(user: Any, slug: str) -> Membership | None:
    """The user's membership of the workspace ``slug``: None for anyone not signed in, for a
    non-member and for a workspace that does not exist (the callers answer all alike)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("workspace")
        .filter(workspace__slug=slug, user=user)
        .first()
    )


def role_needed(method: str, role: str = Role.VIEWER, change: str = Role.EDITOR) -> str:
    """The role a request needs: what the view asks for, and at least ``change`` (editor,
    unless the view takes a change from any member) for a change."""
    if method not in SAFE_METHODS and ROLE_RANK[role] < ROLE_RANK[change]:
        return change
    return role


def role_refusal(membership: Membership, needed: str) -> str:
    return (
        f"This needs the {needed} role; you are {role_with_article(membership.role)} "
        f"in {membership.workspace.name}."
    )


def assignable_members(workspace: Any) -> QuerySet[Any]:
    """The members who may own a task or an action: the workspace's owners and editors."""
    return (
        get_user_model()
        .objects.filter(
            memberships__workspace=workspace, memberships__role__in=(Role.OWNER, Role.EDITOR)
        )
        .order_by("username")
    )


def workspace_view(role: str = Role.VIEWER, change: str = Role.EDITOR) -> Callable[[View], View]:
    """Load the workspace named by ``slug`` for a member with at least ``role`` (and
    ``change`` for a request that is not GET/HEAD)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(request.user, slug)
            if membership is None:
                raise Http404("No such workspace among yours.")
            needed = role_needed(request.method or "GET", role, change)
            if not membership.can(needed):
                return forbidden(request, role_refusal(membership, needed))
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, membership.workspace, *args, **kwargs)

        wrapper.workspace_role = role  # type: ignore[attr-defined]
        wrapper.change_role = change  # type: ignore[attr-defined]
        return wrapper

    return decorate
