"""A coalition's side of its learning networks, at /w/<slug>/network/ (workspace
namespace): any member reads which networks the workspace is in, its track and what it
shares; an owner changes the track and the sharing, shares a record or stops sharing
it, and leaves a network (which withdraws everything the workspace shared there)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path

from upward.planning import network as vocab
from upward.web.networks import team_store as store
from upward.web.networks.forms import ShareRecordForm, SharingForm, TrackChoiceForm
from upward.web.networks.models import SharedRecord, Team
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import page

W = "<slug:slug>/network/"


def _back(workspace: Workspace) -> HttpResponse:
    return redirect("workspace:network", workspace.slug)


def _team_context(workspace: Workspace, team: Team, **forms: Any) -> dict[str, Any]:
    choices, known = store.share_choices(workspace, team)
    return {
        "team": team,
        "shared": store.shared_rows(team, known),
        "share_form": forms.get("share") or ShareRecordForm(choices=choices, prefix=f"s{team.pk}"),
        "has_choices": bool(choices),
        "sharing_form": forms.get("sharing")
        or SharingForm(
            prefix=f"v{team.pk}",
            initial={"share_stage": team.share_stage, "share_progress": team.share_progress},
        ),
        "track_form": forms.get("track")
        or TrackChoiceForm(
            network=team.network, prefix=f"k{team.pk}", initial={"track": team.track_id}
        ),
    }


def _teams(workspace: Workspace) -> Any:
    return Team.objects.filter(workspace=workspace).select_related("network", "track")


def _page(
    request: HttpRequest, workspace: Workspace, status: int = 200, **forms: Any
) -> HttpResponse:
    teams = _teams(workspace)
    active = [t for t in teams if t.is_active]
    context = {
        "rows": [
            _team_context(workspace, t, **(forms if forms.get("for_team") == t.pk else {}))
            for t in active
        ],
        "past": [t for t in teams if not t.is_active],
        "kinds": vocab.SHARE_KINDS,
    }
    return page(request, workspace, "networks/workspace_network.html", context, status, "network")


@workspace_view()
def network(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return _page(request, workspace)


def team_button(view: Callable[..., HttpResponse] | None = None, *, confirms: bool = False) -> Any:
    """An owner's change to one of the workspace's active teams (else 404); a GET only
    goes back to the network page, unless the view ``confirms`` (shows a confirmation)."""
    if view is None:
        return lambda v: team_button(v, confirms=confirms)

    @workspace_view(role=Role.OWNER)
    @wraps(view)
    def wrapped(
        request: HttpRequest, workspace: Workspace, team_id: int, **kw: Any
    ) -> HttpResponse:
        team = (
            Team.objects.select_related("network", "track", "workspace")
            .filter(workspace=workspace, pk=team_id, status=vocab.TEAM_ACTIVE)
            .first()
        )
        if team is None:
            raise Http404("This workspace is not in that network.")
        if request.method != "POST" and not confirms:
            return _back(workspace)
        return view(request, workspace, team, **kw)

    return wrapped


@team_button
def sharing(request: HttpRequest, workspace: Workspace, team: Team) -> HttpResponse:
    form = SharingForm(request.POST, prefix=f"v{team.pk}")
    form.is_valid()  # two optional boxes: always valid
    data = form.cleaned_data
    store.set_sharing(team, request.user, data["share_stage"], data["share_progress"])
    messages.success(request, f"Saved what {workspace.name} shares with {team.network.name}.")
    return _back(workspace)


@team_button
def track(request: HttpRequest, workspace: Workspace, team: Team) -> HttpResponse:
    form = TrackChoiceForm(request.POST, network=team.network, prefix=f"k{team.pk}")
    if not form.is_valid():
        return _page(request, workspace, 400, for_team=team.pk, track=form)
    chosen = form.cleaned_data["track"]
    if chosen.pk != team.track_id:
        store.change_track(team, request.user, chosen)
        messages.success(request, f"{workspace.name} is now in the track {chosen.name}.")
    return _back(workspace)


@team_button
def share(request: HttpRequest, workspace: Workspace, team: Team) -> HttpResponse:
    choices, known = store.share_choices(workspace, team)
    form = ShareRecordForm(request.POST, choices=choices, prefix=f"s{team.pk}")
    if not form.is_valid():
        return _page(request, workspace, 400, for_team=team.pk, share=form)
    kind, object_id = form.cleaned_data["record"]
    item = known[f"{kind}:{object_id}"]
    if store.share(team, request.user, item) is None:
        messages.info(request, f"{item.label} was already shared.")
    else:
        messages.success(request, f"Shared {item.kind_label.lower()} “{item.label}”.")
    return _back(workspace)


@team_button
def unshare(request: HttpRequest, workspace: Workspace, team: Team, share_id: int) -> HttpResponse:
    shared = get_object_or_404(SharedRecord, team=team, pk=share_id)
    _choices, known = store.share_choices(workspace, team)
    label = dict((s.pk, name) for s, name in store.shared_rows(team, known)).get(shared.pk, "")
    store.unshare(team, request.user, shared, label)
    messages.success(request, f"Stopped sharing “{label}” with {team.network.name}.")
    return _back(workspace)


@team_button(confirms=True)
def leave(request: HttpRequest, workspace: Workspace, team: Team) -> HttpResponse:
    """GET asks to confirm; POST (with the box ticked) leaves."""
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            withdrawn = store.leave(team, request.user)
            messages.success(
                request,
                f"{workspace.name} left {team.network.name}; the {withdrawn} "
                f"record{'s' if withdrawn != 1 else ''} it shared "
                f"{'were' if withdrawn != 1 else 'was'} withdrawn.",
            )
            return _back(workspace)
        error = "Tick the box to confirm that the workspace leaves the network."
    context = {"team": team, "shared_count": team.shared.count(), "error": error}  # type: ignore[attr-defined]
    return page(
        request, workspace, "networks/workspace_leave.html", context, 400 if error else 200,
        "network",
    )  # fmt: skip


workspace_urls: list[URLPattern] = [
    path(W, network, name="network"),
    path(W + "<int:team_id>/sharing/", sharing, name="network_sharing"),
    path(W + "<int:team_id>/track/", track, name="network_track"),
    path(W + "<int:team_id>/share/", share, name="network_share"),
    path(W + "<int:team_id>/shared/<int:share_id>/remove/", unshare, name="network_unshare"),
    path(W + "<int:team_id>/leave/", leave, name="network_leave"),
]
