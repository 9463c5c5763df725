"""The overview page of a workspace section (local knowledge, strategy): one card per
part of the section, with its count.

Each part's module declares its card in ``SECTION_LINKS`` (so an overview names only parts
that exist, and each counts its own records); :func:`section_hub` makes the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import page

SECTION = "knowledge"


@dataclass(frozen=True)
class HubLink:
    """One part's card: its title, list route, a sentence, and how many records."""

    title: str
    route: str
    description: str
    count: Callable[[Workspace], int]
    noun: str = "record"


def section_links(urls: str) -> Callable[[], list[HubLink]]:
    """The cards of a section whose ``urls`` module lists its parts' modules in
    ``SECTIONS`` (read per request: the urls module imports the hub)."""

    def links() -> list[HubLink]:
        return [link for module in import_module(urls).SECTIONS for link in module.SECTION_LINKS]

    return links


def records_of(model: type[models.Model]) -> Callable[[Workspace], int]:
    """A card's count: how many ``model`` records the workspace has."""

    def count(workspace: Workspace) -> int:
        return model._default_manager.filter(workspace=workspace).count()

    return count


def section_hub(
    title: str, intro: str, section: str, links: Callable[[], list[HubLink]]
) -> Callable[..., HttpResponse]:
    """The overview view of one section: ``links`` is called per request (modules import
    lazily), each card counted for the workspace asked for."""

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
            for link in links()
        ]
        context = {"cards": cards, "title": title, "intro": intro}
        return page(request, workspace, "workspace/section_hub.html", context, section=section)

    return hub


hub = section_hub(
    "Local knowledge",
    "What the coalition learns beyond the national numbers: who it heard from, what they "
    "said, local data, and who holds office, each set beside the Mobility Metrics.",
    SECTION,
    section_links("upward.web.knowledge.urls"),
)
