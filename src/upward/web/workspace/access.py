"""Who may see and change a workspace.

Every workspace view is wrapped in :func:`workspace_view`. The rules, in order:

* not signed in: sent to the sign-in page (whether or not the workspace exists);
* signed in but not a member (or no such workspace): 404, so outsiders cannot even learn
  that a workspace exists;
* any request that is not GET/HEAD needs at least the editor role, whatever the view
  asked for, so a viewer can never change anything;
* a view may ask for more (``role="owner"`` for members and settings): 403 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from upward.web.explorer.errors import error_response
from upward.web.workspace.models import ROLE_RANK, Membership

SAFE_METHODS = frozenset({"GET", "HEAD"})

View = Callable[..., HttpResponse]


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return error_response(request, 403, "Not allowed", message)


def workspace_view(role: str = "viewer") -> Callable[[View], View]:
    """Load the workspace named by ``slug`` for a member with at least ``role``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = (
                Membership.objects.select_related("workspace")
                .filter(workspace__slug=slug, user=request.user)
                .first()
            )
            if membership is None:
                raise Http404("No such workspace among yours.")
            needed = role
            if request.method not in SAFE_METHODS and ROLE_RANK[needed] < ROLE_RANK["editor"]:
                needed = "editor"
            if not membership.can(needed):
                return forbidden(
                    request,
                    f"This needs the {needed} role; you are a {membership.role} in "
                    f"{membership.workspace.name}.",
                )
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, membership.workspace, *args, **kwargs)

        wrapper.workspace_role = role  # type: ignore[attr-defined]
        return wrapper

    return decorate
