"""The local-knowledge overview of a workspace: one card per section, with its count.

Each section module declares its card in ``SECTION_LINKS`` (so the overview names only
sections that exist, and each counts its own records)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import page

SECTION = "knowledge"


@dataclass(frozen=True)
class HubLink:
    """One section's card: its title, list route, a sentence, and how many records."""

    title: str
    route: str
    description: str
    count: Callable[[Workspace], int]
    noun: str = "record"


def records_of(model: type[models.Model]) -> Callable[[Workspace], int]:
    """A card's count: how many ``model`` records the workspace has."""

    def count(workspace: Workspace) -> int:
        return model._default_manager.filter(workspace=workspace).count()

    return count


def _links() -> list[HubLink]:
    from upward.web.knowledge.views import (
        coding,
        community,
        engagement,
        findings,
        localdata,
        officials,
    )

    return [
        link
        for module in (engagement, coding, localdata, officials, community, findings)
        for link in module.SECTION_LINKS
    ]


@workspace_view()
def hub(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    cards = [
        {
            "title": link.title,
            "href": reverse(f"workspace:{link.route}", args=[workspace.slug]),
            "description": link.description,
            "count": link.count(workspace),
            "noun": link.noun,
        }
        for link in _links()
    ]
    return page(request, workspace, "knowledge/hub.html", {"cards": cards}, section=SECTION)
