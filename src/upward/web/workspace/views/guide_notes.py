"""Data Review Guide notes kept in the workspace: the list per place, and the save the
explorer's guide page sends (``?workspace=<slug>`` there shows and downloads them)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from upward.web.explorer.errors import error_response
from upward.web.workspace import guide_notes as store
from upward.web.workspace import places
from upward.web.workspace.access import workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.versioning import StaleVersion
from upward.web.workspace.views.common import page

SECTION = "guide_notes"


def guide_url(workspace: Workspace, geoid: str) -> str:
    """The explorer's guide page of a place, showing this workspace's notes."""
    query = urlencode({"workspace": workspace.slug})
    return f"{places.place_path(geoid)}review-guide/?{query}"


@workspace_view()
def guide_note_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    rows = [
        (geoid, places.place_name(geoid), guide_url(workspace, geoid),
         [(store.QUESTION_TITLES.get(n.question_id, n.question_id), n) for n in notes])
        for geoid, notes in store.places_with_notes(workspace)
    ]  # fmt: skip
    suggested = [(g, places.place_name(g), guide_url(workspace, g)) for g in workspace.geoids]
    context = {"rows": rows, "suggested": suggested}
    return page(request, workspace, "workspace/guide_notes.html", context, section=SECTION)


@workspace_view(role=Role.EDITOR)
def guide_note_save(request: HttpRequest, workspace: Workspace, geoid: str) -> HttpResponse:
    """POST: the guide page's notes for ``geoid``; GET only goes back to the guide page."""
    if not places.is_place(geoid):
        raise Http404("No county or city has this FIPS code.")
    back = guide_url(workspace, geoid)
    if request.method != "POST":
        return redirect(back)
    try:
        sent = store.read_sent(request.POST)
    except store.NotesInvalid as problem:
        return error_response(request, 400, "Notes not saved", str(problem))
    try:
        with transaction.atomic():
            changed = store.save_notes(workspace, geoid, sent, request.user)
            if changed:
                name = places.place_name(geoid)
                record(workspace, request.user, "saved Review Guide notes on", name,
                       f"{changed} question(s)")  # fmt: skip
    except StaleVersion:
        context = {
            "geoid": geoid,
            "place": places.place_name(geoid),
            "clashes": store.clashes(workspace, geoid, sent),
            "sent": sent,
            "titles": store.QUESTION_TITLES,
            "saved": store.notes_for(workspace, geoid),
            "back": back,
        }
        return page(request, workspace, "workspace/guide_notes_conflict.html", context, 409,
                    SECTION)  # fmt: skip
    if changed:
        messages.success(request, f"Saved your notes in {workspace.name}.")
    else:
        messages.info(request, "Nothing to save: the notes were as saved.")
    return redirect(back + "#notes")
