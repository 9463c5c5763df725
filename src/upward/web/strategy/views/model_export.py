"""The logic model's diagram and exports (issue 13, item 8): one priority's model as SVG,
PNG, PDF, Word, JSON and CSV under /w/<slug>/plan/priorities/<pk>/model/, every model of
the workspace as PDF, Word, JSON and CSV under /w/<slug>/plan/model/, and a page that
shows one priority's diagram with its text outline (the partial the model page includes).

Every route is read-only (a viewer may download). When Graphviz is missing, the diagram
files answer 503 with the reason, and the documents and the page carry the outline with
the same reason in place of the picture."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from upward.reports import logic_model_diagram as lm
from upward.web.explorer.errors import error_response
from upward.web.render import File, download
from upward.web.strategy import diagram, model_store
from upward.web.strategy.models import Priority
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import page

SECTION = "plan"
SECTION_LINKS: list = []
"""No card of its own: the logic-model pages link to these downloads."""


def _file(body: bytes, fmt: str, name: str) -> HttpResponse:
    return download(File(body, lm.CONTENT_TYPES[fmt], f"{name}.{fmt}"))


@workspace_view()
@require_safe
def priority_export(request: HttpRequest, workspace: Workspace, pk: int, fmt: str) -> HttpResponse:
    priority = get_object_or_404(Priority, workspace=workspace, pk=pk)
    name = f"logic-model-{workspace.slug}-priority-{priority.pk}"
    if fmt in ("svg", "png"):
        model = model_store.model_of(workspace, priority)
        try:
            body = lm.svg(model).encode() if fmt == "svg" else lm.png(model)
        except lm.DiagramUnavailable as exc:
            return error_response(request, 503, "Diagram unavailable", str(exc))
        return _file(body, fmt, name)
    return _file(lm.render(diagram.document(workspace, priority), fmt), fmt, name)  # type: ignore[arg-type]


@workspace_view()
@require_safe
def model_export(request: HttpRequest, workspace: Workspace, fmt: str) -> HttpResponse:
    body = lm.render(diagram.document(workspace), fmt)  # type: ignore[arg-type]
    return _file(body, fmt, f"logic-model-{workspace.slug}")


@workspace_view()
@require_safe
def priority_diagram(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """One priority's diagram with its text outline and downloads."""
    priority = get_object_or_404(Priority, workspace=workspace, pk=pk)
    context = {
        "priority": priority,
        **diagram.diagram_context(workspace, priority),
        "model_exports": diagram.export_links(workspace),
    }
    return page(request, workspace, "strategy/diagram.html", context, section=SECTION)


PRIORITY = "<slug:slug>/plan/priorities/<int:pk>/model/"
WORKSPACE = "<slug:slug>/plan/model/"
workspace_urls: list[URLPattern] = [
    path(PRIORITY + "diagram/", priority_diagram, name="priority_diagram"),
    *(
        path(f"{PRIORITY}{stem}.{fmt}", priority_export, {"fmt": fmt},
             name=f"priority_export_{fmt}")
        for stem, fmt in (("diagram", "svg"), ("diagram", "png"), ("model", "pdf"),
                          ("model", "docx"), ("model", "json"), ("model", "csv"))
    ),
    *(
        path(f"{WORKSPACE}model.{fmt}", model_export, {"fmt": fmt}, name=f"model_export_{fmt}")
        for fmt in ("pdf", "docx", "json", "csv")
    ),
]  # fmt: skip
