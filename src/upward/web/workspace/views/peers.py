"""Saved peer sets: named lists of places to compare the jurisdictions with."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from upward.web.workspace import places
from upward.web.workspace.access import workspace_view
from upward.web.workspace.forms.workspace import PeerSetForm
from upward.web.workspace.models import PeerSet, Workspace
from upward.web.workspace.views.common import RecordPages, page

SECTION = "peers"


PAGES = RecordPages(PeerSet, PeerSetForm, "peer_set", "peers", "New peer set", SECTION)
"""Add, edit and delete a peer set (routes: ``PAGES.urls``)."""


@workspace_view()
def peer_sets(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    rows = [
        (ps, [(g, places.place_name(g)) for g in ps.geoids]) for ps in workspace.peer_sets.all()
    ]
    return page(request, workspace, "workspace/peers.html", {"rows": rows}, section=SECTION)
