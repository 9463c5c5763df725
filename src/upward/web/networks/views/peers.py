"""Peer matching (issue 15, part 3): a team's peers in its network, the other active
teams that share a priority predictor or are statistically similar places, and how their
shared progress compares (:mod:`upward.web.networks.peer_store`).

Two addresses, one template: the coalition's side at /w/<slug>/network/peers/ (any member
of the workspace, one section per network it is in) and the network's side at
/n/<slug>/teams/<team_id>/peers/ (the network's staff, and the team's own members,
through :func:`access.visible_team`). Reading changes nothing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from upward.planning import network as vocab
from upward.web.networks import peer_store
from upward.web.networks.access import network_view, visible_team
from upward.web.networks.models import Network, Team
from upward.web.networks.views.teams import network_page
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import page

TEMPLATE = "networks/peers.html"


@workspace_view()
def workspace_peers(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    teams = Team.objects.filter(workspace=workspace, status=vocab.TEAM_ACTIVE).select_related(
        "network", "track", "workspace"
    )
    context = {
        "layout": "workspace/base.html",
        "matches": [peer_store.peer_matches(t) for t in teams],
        "own": True,
        "team": None,
        "nearest": peer_store.NEAREST,
    }
    return page(request, workspace, TEMPLATE, context, section="network")


@network_view(teams=True)
def team_peers(request: HttpRequest, network: Network, team_id: int) -> HttpResponse:
    team = visible_team(request, network, team_id)
    context = {
        "layout": "networks/base.html",
        "matches": [peer_store.peer_matches(team)],
        "own": team in getattr(request, "teams", []),
        "team": team,
        "nearest": peer_store.NEAREST,
    }
    return network_page(request, network, TEMPLATE, context, "peers")


network_urls: list[URLPattern] = [
    path("<slug:slug>/teams/<int:team_id>/peers/", team_peers, name="team_peers"),
]
"""Routes under /n/<slug:slug>/ (namespace "networks")."""
workspace_urls: list[URLPattern] = [
    path("<slug:slug>/network/peers/", workspace_peers, name="network_peers"),
]
"""Routes under /w/<slug:slug>/network/ (namespace "workspace")."""
