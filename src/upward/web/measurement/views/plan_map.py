"""The draft Mobility Action Plan (issue 14, part 7) at /w/<slug>/measure/map/: a preview
of the document assembled from the workspace's records (``?edition=technical|general``),
the plain-language warnings shown to the writer (where each term occurs and what to write
instead; never blocking), and the downloads, HTML, PDF and Word, of each edition at
/w/<slug>/measure/map.<format>?edition=…

GET only, for any member; reading writes nothing. An unknown edition is a 400 page; a
format not offered has no route (the site's 404 page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_safe

from upward.reports import action_plan as ap
from upward.web.explorer.errors import error_response
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.measurement import plan_document
from upward.web.measurement.models import Measure
from upward.web.render import File, download
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import page

SECTION = "measure"


def edition_of(request: HttpRequest) -> str | None:
    """The ``edition`` asked for (technical when none), or None when it is not one."""
    asked = request.GET.get("edition") or "technical"
    return asked if asked in ap.EDITIONS else None


def _bad_edition(request: HttpRequest) -> HttpResponse:
    return error_response(
        request, 400, "Unknown edition",
        f"There is no edition “{request.GET.get('edition', '')}” of the plan: choose "
        f"{' or '.join(ap.EDITIONS)}.",
    )  # fmt: skip


def downloads(workspace: Workspace) -> list[dict[str, str]]:
    base = {fmt: reverse(f"workspace:measure_map_{fmt}", args=[workspace.slug])
            for fmt in ap.FORMATS}  # fmt: skip
    names = {"html": "HTML", "pdf": "PDF", "docx": "Word"}
    return [
        {"edition": ap.EDITION_LABELS[e], "format": names[f], "url": f"{base[f]}?edition={e}"}
        for e in ap.EDITIONS
        for f in ap.FORMATS
    ]


@workspace_view()
@require_safe
def measure_map(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    edition = edition_of(request)
    if edition is None:
        return _bad_edition(request)
    doc = plan_document.assemble(workspace)
    context = {
        "edition": edition,
        "edition_label": ap.EDITION_LABELS[edition],  # type: ignore[index]
        "editions": [(e, ap.EDITION_LABELS[e]) for e in ap.EDITIONS],
        "flags": plan_document.flagged(plan_document.language_flags(doc)),
        "downloads": downloads(workspace),
        "preview": ap.render_body(doc, edition, offset=1),  # type: ignore[arg-type]
    }
    return page(request, workspace, "measurement/measure_map.html", context, section=SECTION)


@workspace_view()
@require_safe
def measure_map_file(request: HttpRequest, workspace: Workspace, fmt: str) -> HttpResponse:
    if fmt not in ap.FORMATS:
        return error_response(
            request, 404, "Unknown format",
            f"The plan is not offered as “{fmt}”: download it as {', '.join(ap.FORMATS)}.",
        )  # fmt: skip
    edition = edition_of(request)
    if edition is None:
        return _bad_edition(request)
    body = ap.render(plan_document.assemble(workspace), fmt, edition)  # type: ignore[arg-type]
    name = f"mobility-action-plan-{workspace.slug}-{edition}.{fmt}"
    return download(File(body, ap.CONTENT_TYPES[fmt], name))


SECTION_LINKS = [
    HubLink(
        "The Mobility Action Plan",
        "measure_map",
        "The plan as one document, assembled from the workspace's records: a technical "
        "edition and one for a general audience, as HTML, PDF and Word, with a check for "
        "deficit framing.",
        records_of(Measure),
        "measure",
    ),
]

workspace_urls: list[URLPattern] = [
    path("<slug:slug>/measure/map/", measure_map, name="measure_map"),
    *(
        path(f"<slug:slug>/measure/map.{fmt}", measure_map_file, {"fmt": fmt},
             name=f"measure_map_{fmt}")
        for fmt in ap.FORMATS
    ),
]  # fmt: skip
