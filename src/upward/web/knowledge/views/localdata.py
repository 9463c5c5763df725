"""(to be written) Stand-in of the local-data panel, so the predictor view runs; the
local-data section replaces this module at merge."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern

from upward.web.knowledge.models import LocalSeries
from upward.web.knowledge.views.hub import HubLink
from upward.web.workspace.models import Workspace

SECTION_LINKS: list[HubLink] = []
workspace_urls: list[URLPattern] = []
public_urls: list[URLPattern] = []


@dataclass(frozen=True)
class LocalPanel:
    series: list
    sentences: list[str]


def local_panel(workspace: Workspace, predictor_id: str) -> LocalPanel:
    """The workspace's local series tagged to ``predictor_id`` (stand-in)."""
    rows = LocalSeries.objects.filter(workspace=workspace).order_by("name")
    series = [s for s in rows if predictor_id in (s.predictors or [])]
    sentences = [
        f"Local data: {s.name} ({s.source}; rated {s.get_quality_display()})." for s in series
    ]
    return LocalPanel(series, sentences)
