"""The logic model's records as the plain values the diagram and the exports are drawn
from (:mod:`upward.reports.logic_model_diagram`): a few queries per workspace, whatever the
number of elements, and the context of the page partial ``strategy/_diagram.html``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from upward.reports import logic_model_diagram as lm
from upward.web.strategy.models import Element, Link, Priority, Strategy
from upward.web.workspace.models import Workspace

DOCUMENT_TITLE = "Logic model"


def _strategies(elements: Iterable[Element]) -> dict[int, lm.StrategyInfo]:
    partners: dict[int, list[str]] = defaultdict(list)
    found = {e.strategy_id: e.strategy for e in elements if e.strategy_id}
    through = Strategy.partners.through
    for sid, name in (
        through.objects.filter(strategy_id__in=found)
        .order_by("stakeholder__name")
        .values_list("strategy_id", "stakeholder__name")
    ):
        partners[sid].append(name)
    return {
        sid: lm.StrategyInfo(
            sid,
            s.name,
            s.evidence_level,
            s.lead.name if s.lead else "",
            tuple(partners[sid]),
            s.workgroup.name if s.workgroup else "",
        )
        for sid, s in found.items()
    }


def models_of(workspace: Workspace, priorities: Iterable[Priority]) -> list[lm.PriorityModel]:
    """Each priority's model, in the order given."""
    chosen = list(priorities)
    ids = [p.pk for p in chosen]
    elements = list(
        Element.objects.filter(workspace=workspace, priority_id__in=ids)
        .select_related("strategy__lead", "strategy__workgroup")
        .order_by("position", "id")
    )
    strategies = _strategies(elements)
    by_priority: dict[int, list[lm.ModelElement]] = defaultdict(list)
    for e in elements:
        by_priority[e.priority_id].append(
            lm.ModelElement(
                e.pk, e.kind, e.title, e.description, e.condition, e.position,
                strategies.get(e.strategy_id) if e.strategy_id else None,
            )
        )  # fmt: skip
    links: dict[int, list[lm.ModelLink]] = defaultdict(list)
    for pk, source, target, priority, rationale, assumption in (
        Link.objects.filter(workspace=workspace, source__priority_id__in=ids)
        .order_by("id")
        .values_list("pk", "source_id", "target_id", "source__priority_id", "rationale",
                     "assumption")
    ):  # fmt: skip
        links[priority].append(lm.ModelLink(pk, source, target, rationale, assumption))
    return [
        lm.PriorityModel(p.pk, p.title, tuple(by_priority[p.pk]), tuple(links[p.pk]))
        for p in chosen
    ]


def model_of(workspace: Workspace, priority: Priority) -> lm.PriorityModel:
    return models_of(workspace, [priority])[0]


def document(workspace: Workspace, priority: Priority | None = None) -> lm.ModelDocument:
    """One priority's model, or (``priority`` None) every priority's, as a document."""
    chosen = [priority] if priority else list(Priority.objects.filter(workspace=workspace))
    title = f"{DOCUMENT_TITLE}: {priority.title}" if priority else f"{DOCUMENT_TITLE}s"
    return lm.ModelDocument(
        title,
        workspace.name,
        workspace.slug,
        f"{timezone.now():%Y-%m-%d}",
        tuple(models_of(workspace, chosen)),
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


def diagram_context(workspace: Workspace, priority: Priority) -> dict[str, Any]:
    """What ``strategy/_diagram.html`` shows: the inline SVG, or why there is none."""
    model = model_of(workspace, priority)
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
