"""Who may see and change a network, and what its staff may see of a team.

Every network view (``/n/<slug>/...``) is wrapped in :func:`network_view`, with the same
rules as a workspace (:mod:`upward.web.workspace.access`):

* not signed in: sent to the sign-in page;
* neither staff of the network nor (for a view that lets teams in) a member of one of its
  active teams, or no such network: 404, so outsiders cannot learn it exists;
* a change (not GET/HEAD) needs staff, and at least the role the view asks for
  (``role=OPERATOR`` for the network's settings, tracks, staff and invitations);
  a team member who may read a page changes nothing there unless the view says
  ``team_change=True`` (for example, ticking a follow-up owned by the member).

Staff see a team only through :func:`team_for_staff` (an active team of this network) and
a team's record only through :func:`shared_or_404` (one the team marked as shared): any
other asks gets 404, as a non-member's would.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from upward.planning import network as vocab
from upward.web.networks.models import Network, SharedRecord, Staff, Team
from upward.web.workspace.access import SAFE_METHODS, forbidden
from upward.web.workspace.models import Membership

View = Callable[..., HttpResponse]


def staff_for(user: Any, network: Network) -> Staff | None:
    if user is None or not user.is_authenticated:
        return None
    return Staff.objects.filter(network=network, user=user).first()


def member_teams(user: Any, network: Network) -> list[Team]:
    """The active teams of ``network`` whose workspace ``user`` is a member of."""
    if user is None or not user.is_authenticated:
        return []
    workspaces = Membership.objects.filter(user=user).values("workspace_id")
    return list(
        Team.objects.select_related("workspace", "track").filter(
            network=network, status=vocab.TEAM_ACTIVE, workspace_id__in=workspaces
        )
    )


def network_view(
    role: str = vocab.ADVISER, teams: bool = False, team_change: bool = False
) -> Callable[[View], View]:
    """Load the network named by ``slug`` for its staff with at least ``role`` (and, when
    ``teams``, for members of its active teams too, reading only unless ``team_change``).
    Sets ``request.staff`` (a :class:`Staff` or None) and ``request.teams`` (the user's
    teams in the network)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            network = Network.objects.filter(slug=slug).first()
            if network is None:
                raise Http404("No such network among yours.")
            staff = staff_for(request.user, network)
            own_teams = member_teams(request.user, network) if teams else []
            if staff is None and not own_teams:
                raise Http404("No such network among yours.")
            changing = (request.method or "GET") not in SAFE_METHODS
            if staff is None:
                if changing and not team_change:
                    return forbidden(request, f"Only the staff of {network.name} change this.")
            elif not staff.can(role):
                return forbidden(
                    request, f"This needs the {role} role in {network.name}; you are an adviser."
                )
            request.staff = staff  # type: ignore[attr-defined]
            request.teams = own_teams  # type: ignore[attr-defined]
            return view(request, network, *args, **kwargs)

        wrapper.network_role = role  # type: ignore[attr-defined]
        wrapper.network_teams = teams  # type: ignore[attr-defined]
        wrapper.team_change = team_change  # type: ignore[attr-defined]
        return wrapper

    return decorate


def team_for_staff(network: Network, team_id: int) -> Team:
    """An active team of ``network``, else 404 (a team that left, or of another network)."""
    team = (
        Team.objects.select_related("workspace", "track")
        .filter(network=network, pk=team_id, status=vocab.TEAM_ACTIVE)
        .first()
    )
    if team is None:
        raise Http404("No such team in this network.")
    return team


def visible_team(request: HttpRequest, network: Network, team_id: int) -> Team:
    """The team as the asker may see it: staff see any active team; a team member only
    their own team. Else 404."""
    team = team_for_staff(network, team_id)
    if getattr(request, "staff", None) is None and team not in getattr(request, "teams", []):
        raise Http404("No such team in this network.")
    return team


def is_shared(team: Team, kind: str, object_id: int = 0) -> bool:
    return SharedRecord.objects.filter(team=team, kind=kind, object_id=object_id).exists()


def shared_or_404(team: Team, kind: str, object_id: int = 0) -> SharedRecord:
    """The team's share of one record, else 404: staff never read an unshared record."""
    if kind not in vocab.SHARE_KIND_IDS:
        raise Http404("No such record kind.")
    shared = SharedRecord.objects.filter(team=team, kind=kind, object_id=object_id).first()
    if shared is None:
        raise Http404("This team has not shared that record.")
    return shared
