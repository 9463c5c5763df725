"""Saved peer sets: named lists of places to compare the jurisdictions with.

A set is typed here, or saved from the explorer's peers page (``peer_set_save``), which
keeps the place it was found for and how (the method and the places added or removed by
hand), so the set reopens in the explorer's peers and compare pages as it was saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from upward.explore import PeerSet as FoundSet
from upward.web.explorer.errors import error_response
from upward.web.workspace import places, submission
from upward.web.workspace.access import workspace_view
from upward.web.workspace.forms.workspace import CHOICE_KEYS, PeerSetForm, SavePeerSetForm
from upward.web.workspace.models import PeerSet, Role, Workspace
from upward.web.workspace.views.common import FORM_PAGE, RecordPages, add_record, name_taken, page

SECTION = "peers"


PAGES = RecordPages(PeerSet, PeerSetForm, "peer_set", "peers", "New peer set", SECTION)
"""Add, edit and delete a peer set (routes: ``PAGES.urls``)."""


@dataclass(frozen=True)
class Opening:
    """A saved set opened in the explorer for one place: its peers and compare pages."""

    place: str
    peers_url: str
    compare_url: str


def _token(ps: PeerSet, target: str) -> str | None:
    members = [g for g in ps.geoids if g != target and len(g) == len(target)]
    data: dict[str, Any] = {"name": ps.name, "target": target, "peers": members}
    if target == ps.place:
        data.update({k: v for k, v in ps.choice.items() if k in CHOICE_KEYS})
    else:
        data["added"] = members
    for key in ("added", "removed"):
        if key in data:
            data[key] = [g for g in data[key] if (g in members) == (key == "added")]
    try:
        return FoundSet.from_dict(data).to_token()
    except ValueError:  # a set that no longer fits (places of another kind only)
        return None


def openings(ps: PeerSet, workspace: Workspace) -> list[Opening]:
    """Where the set opens: the place it was saved for, else each jurisdiction of its kind."""
    targets = [ps.place] if ps.place else [g for g in workspace.geoids if g not in ps.geoids]
    out = []
    for target in targets:
        token = _token(ps, target)
        if token is None or not any(len(g) == len(target) for g in ps.geoids):
            continue
        path, query = places.place_path(target), urlencode({"set": token})
        out.append(Opening(places.place_name(target), f"{path}peers/?{query}",
                           f"{path}compare/?{query}"))  # fmt: skip
    return out


@workspace_view()
def peer_sets(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    rows = [
        (ps, [(g, places.place_name(g), places.place_path(g)) for g in ps.geoids],
         openings(ps, workspace))
        for ps in workspace.peer_sets.all()
    ]  # fmt: skip
    return page(request, workspace, "workspace/peers.html", {"rows": rows}, section=SECTION)


@workspace_view(role=Role.EDITOR)
def peer_set_save(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """POST from the explorer's peers page: keep the set it shows under a name."""
    back = reverse("workspace:peers", args=[workspace.slug])
    if request.method != "POST":
        return redirect(back)
    if again := submission.repeat(request):
        return again
    form = SavePeerSetForm(request.POST, workspace=workspace)
    context = {"title": f"Save a peer set to {workspace.name}", "cancel_url": back,
               "once": submission.token_for(request), "section": SECTION}  # fmt: skip
    if not form.is_valid():
        if "token" in form.errors:
            return error_response(request, 400, "Peer set not saved", form.errors["token"][0])
        return page(request, workspace, FORM_PAGE, {**context, "form": form}, 400, SECTION)
    try:
        with transaction.atomic():
            saved = add_record(form, workspace, request.user, "from the explorer")
            submission.claim(request, back)
    except IntegrityError:
        return submission.repeat(request) or name_taken(request, workspace, form, FORM_PAGE,
                                                        context)  # fmt: skip
    messages.success(request, f"Saved the peer set “{saved}” in {workspace.name}.")
    return redirect(back + f"#ps-{saved.pk}")
