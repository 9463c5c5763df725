"""The logic model's diagram and documents in the web app: a workspace's models as a
document (read by :func:`upward.web.strategy.model_store.models_of`, the one reader of
elements and links), the download links, and the context of the page partials
``strategy/_diagram.html`` and ``strategy/_outline.html``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from upward.reports import logic_model_diagram as lm
from upward.web.strategy import model_store
from upward.web.strategy.models import Priority
from upward.web.workspace.models import Workspace

DOCUMENT_TITLE = "Logic model"


def document(workspace: Workspace, priority: Priority | None = None) -> lm.ModelDocument:
    """One priority's model, or (``priority`` None) every priority's, as a document."""
    chosen = [priority] if priority else list(Priority.objects.filter(workspace=workspace))
    title = f"{DOCUMENT_TITLE}: {priority.title}" if priority else f"{DOCUMENT_TITLE}s"
    return lm.ModelDocument(
        title,
        workspace.name,
        workspace.slug,
        f"{timezone.now():%Y-%m-%d}",
        tuple(model_store.models_of(workspace, chosen)),
    )


EXPORTS: tuple[tuple[str, str], ...] = (
    ("svg", "Diagram (SVG)"),
    ("png", "Diagram (PNG)"),
    ("pdf", "PDF: diagram and outline"),
    ("docx", "Word: diagram and outline"),
    ("json", "JSON: elements and links"),
    ("csv", "CSV: elements and links"),
)


def export_links(workspace: Workspace, priority: Priority | None = None) -> list[dict[str, str]]:
    """The download links of one priority's model (or of every model, without the
    diagram files, which are one per priority)."""
    found = []
    for fmt, label in EXPORTS:
        if priority is None:
            if fmt in ("svg", "png"):
                continue
            url = reverse(f"workspace:model_export_{fmt}", args=[workspace.slug])
        else:
            url = reverse(f"workspace:priority_export_{fmt}", args=[workspace.slug, priority.pk])
        found.append({"format": fmt, "label": label, "url": url})
    return found


def diagram_context(
    workspace: Workspace, priority: Priority, model: lm.PriorityModel | None = None
) -> dict[str, Any]:
    """What ``strategy/_diagram.html`` and ``strategy/_outline.html`` show: the inline
    SVG (or why there is none) and the text outline, of ``model`` when the caller has read
    it already."""
    if model is None:
        model = model_store.model_of(workspace, priority)
    context: dict[str, Any] = {
        "diagram_svg": None,
        "diagram_problem": "",
        "diagram_description": model.describe(),
        "diagram_exports": export_links(workspace, priority),
        "diagram_empty": not model.elements,
        "diagram_outline": model.outline(),
    }
    try:
        context["diagram_svg"] = Markup(lm.svg(model, ident=f"diagram-{priority.pk}"))
    except lm.DiagramUnavailable as exc:
        context["diagram_problem"] = str(exc)
    return context
