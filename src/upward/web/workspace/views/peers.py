"""Saved peer sets: named lists of places to compare the jurisdictions with."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from upward.web.workspace import places
from upward.web.workspace.access import workspace_view
from upward.web.workspace.forms.workspace import PeerSetForm
from upward.web.workspace.models import PeerSet, Role, Workspace
from upward.web.workspace.views.common import create_record, delete_record, edit_versioned, page

SECTION = "peers"


def _url(workspace: Workspace) -> str:
    return reverse("workspace:peers", args=[workspace.slug])


def _form(workspace: Workspace):  # type: ignore[no-untyped-def]
    def make_form(*args, **kwargs):  # type: ignore[no-untyped-def]
        return PeerSetForm(*args, workspace=workspace, **kwargs)

    return make_form


@workspace_view()
def peer_sets(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    rows = [
        (ps, [(g, places.place_name(g)) for g in ps.geoids]) for ps in workspace.peer_sets.all()
    ]
    return page(request, workspace, "workspace/peers.html", {"rows": rows}, section=SECTION)


@workspace_view(role=Role.EDITOR)
def peer_set_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context = {"title": "New peer set", "cancel_url": _url(workspace), "section": SECTION}
    return create_record(
        request,
        workspace,
        _form(workspace),
        "workspace/form_page.html",
        context,
        lambda obj: _url(workspace),
    )


@workspace_view(role=Role.EDITOR)
def peer_set_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    peer_set = get_object_or_404(PeerSet, workspace=workspace, pk=pk)
    context = {
        "title": f"Edit {peer_set.name}",
        "cancel_url": _url(workspace),
        "delete_url": reverse("workspace:peer_set_delete", args=[workspace.slug, pk]),
        "section": SECTION,
    }
    return edit_versioned(
        request,
        workspace,
        peer_set,
        _form(workspace),
        "workspace/form_page.html",
        context,
        _url(workspace),
    )


@workspace_view(role=Role.EDITOR)
def peer_set_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    peer_set = get_object_or_404(PeerSet, workspace=workspace, pk=pk)
    if request.method != "POST":
        return redirect("workspace:peer_set_edit", slug=workspace.slug, pk=pk)
    return delete_record(request, workspace, peer_set, _url(workspace))
