"""Progress on a release (issue 14, part 4): every population indicator of the
measurement plan, its baseline beside the latest value of the same cell in a loaded
release (``?release=``, default the current one), classified in honest words.

GET only, for any member; reading changes nothing. The rows are
:func:`upward.web.measurement.progress_store.plan_progress`'s, the same as the command
line's and the API's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from upward.web.knowledge.views.hub import HubLink
from upward.web.measurement import baseline_store, progress_store, refresh_store
from upward.web.measurement.models import Baseline
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import page

SECTION = "measure"


@workspace_view()
@require_safe
def measure_progress(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    options = baseline_store.release_options()
    asked = request.GET.get("release")
    chosen = asked if asked is not None else baseline_store.default_release()
    status, problem, found = 200, "", None
    try:
        found = progress_store.plan_progress(workspace, chosen)
    except progress_store.UnknownProgressRelease as refused:
        problem, status = str(refused), 404
    rows = [
        {"row": row, "change": progress_store.change_text(row)} for row in found.rows
    ] if found is not None else []  # fmt: skip
    context = {
        "options": options,
        "chosen": chosen,
        "problem": problem,
        "progress": found,
        "rows": rows,
        "counts": found.counts() if found is not None else {},
        "status_words": progress_store.ROW_STATUS_WORDS,
        "median_note": progress_store.MEDIAN_NOTE,
        "refresh": refresh_store.last_refresh(workspace),
    }
    return page(request, workspace, "measurement/measure_progress.html", context, status, SECTION)


SECTION_LINKS = [
    HubLink(
        "Progress on a release",
        "measure_progress",
        "Each population indicator's latest value beside its baseline and target, with "
        "its status in honest words: a change is called only when a 95% test supports it.",
        lambda workspace: Baseline.objects.filter(workspace=workspace).count(),
        "baseline",
    ),
]

workspace_urls: list[URLPattern] = [
    path("<slug:slug>/measure/progress/", measure_progress, name="measure_progress"),
]
