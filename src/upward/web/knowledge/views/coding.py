"""(to be written) Stand-in of the coded-findings panel, so the predictor view runs; the
coding section replaces this module at merge."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import URLPattern

from upward.web.knowledge.models import Code, Excerpt
from upward.web.knowledge.views.hub import HubLink
from upward.web.workspace.models import Workspace

SECTION_LINKS: list[HubLink] = []
workspace_urls: list[URLPattern] = []
public_urls: list[URLPattern] = []


@dataclass(frozen=True)
class FindingsPanel:
    total: int
    themes: list[tuple[str, int]]
    quotes: list[tuple[str, str]]
    sentences: list[str]


def findings_panel(workspace: Workspace, predictor_id: str) -> FindingsPanel:
    """The excerpts coded to ``predictor_id``: count, co-coded themes, quotes (stand-in)."""
    excerpts = Excerpt.objects.filter(
        workspace=workspace, codes__kind="predictor", codes__ref=predictor_id
    )
    total = excerpts.count()
    themes = list(
        Code.objects.filter(workspace=workspace, excerpts__in=excerpts)
        .exclude(kind="predictor")
        .annotate(n=Count("excerpts"))
        .order_by("-n", "name")
        .values_list("name", "n")[:5]
    )
    quotes = [
        (e.text, e.note.title) for e in excerpts.filter(is_quote=True).select_related("note")[:3]
    ]
    sentences = (
        [f"{total} coded excerpt{'s' if total != 1 else ''} speak to this predictor."]
        if total
        else []
    )
    return FindingsPanel(total, themes, quotes, sentences)
