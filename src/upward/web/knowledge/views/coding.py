"""(to be written) Stand-in of the coded-findings panel, so the predictor view runs; the
coding section replaces this module at merge."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import URLPattern

from upward.web.knowledge.models import Excerpt
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
    through = Excerpt.codes.through
    tagged = through.objects.filter(
        code__workspace=workspace, code__kind="predictor", code__ref=predictor_id
    ).values("excerpt_id")
    total = tagged.count()
    themes = list(
        through.objects.filter(excerpt_id__in=tagged)
        .exclude(code__kind="predictor")
        .values_list("code__name")
        .annotate(n=Count("id"))
        .order_by("-n", "code__name")[:5]
    )
    quotes = [
        (e.text, e.note.title)
        for e in Excerpt.objects.filter(pk__in=tagged, is_quote=True).select_related("note")[:3]
    ]
    sentences = [f"{total} coded excerpt{'s' if total != 1 else ''} speak to this predictor."]
    return FindingsPanel(total, themes, quotes, sentences if total else [])
