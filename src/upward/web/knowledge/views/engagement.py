"""Engagement log (guide Step 5): list, detail, add, edit, delete; the summary and the
comparison of participants with residents are in ``engagement_summary``."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse

from upward.catalog import get_catalog
from upward.planning import knowledge as vocab
from upward.web.knowledge.forms_engagement import (
    ROSTER_NOTE,
    EngagementFilterForm,
    EngagementForm,
)
from upward.web.knowledge.models import Engagement
from upward.web.knowledge.views import engagement_summary as summary_views
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import (
    create_record,
    delete_page,
    edit_versioned,
    filtered_list,
    page,
)

SECTION = "knowledge"
PAGE_SIZE = 25
FORM = "knowledge/engagement_form.html"


def labels() -> dict[str, dict[str, str]]:
    catalog = get_catalog()
    return {
        "kind": dict(vocab.ENGAGEMENT_KINDS),
        "level": dict(vocab.ENGAGEMENT_LEVELS),
        "pillar": {p.id: p.label for p in catalog.pillars},
        "predictor": {p.id: p.label for p in catalog.predictors},
    }


def _list_url(workspace: Workspace) -> str:
    return reverse("workspace:knowledge_engagements", args=[workspace.slug])


def _detail_url(workspace: Workspace, obj: Any) -> str:
    return reverse("workspace:engagement_detail", args=[workspace.slug, obj.pk])


@workspace_view()
def engagement_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = EngagementFilterForm(request.GET or None)
    rows = Engagement.objects.filter(workspace=workspace).order_by("-date", "-id")
    context = {
        **filtered_list(request, form, rows, ("kind", "level"), PAGE_SIZE),
        "labels": labels(),
        "tab": "log",
    }
    return page(request, workspace, "knowledge/engagement_list.html", context, section=SECTION)


@workspace_view()
def engagement_detail(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement, workspace=workspace, pk=pk)
    demographics = engagement.demographics or {}
    context = {
        "engagement": engagement,
        "partners": engagement.partners.order_by("name"),
        "labels": labels(),
        "level_meaning": vocab.LEVEL_MEANINGS.get(engagement.level, ""),
        "tab": "log",
        **summary_views.comparison_context(
            request, workspace, demographics, reverse_detail=_detail_url(workspace, engagement)
        ),
    }
    return page(request, workspace, "knowledge/engagement_detail.html", context, section=SECTION)


def _form_context(workspace: Workspace, title: str, **more: Any) -> dict[str, Any]:
    return {
        "title": title,
        "cancel_url": _list_url(workspace),
        "roster_note": ROSTER_NOTE,
        "tab": "log",
        **more,
        "section": SECTION,
    }


def engagement_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    make = partial(EngagementForm, workspace=workspace)
    context = _form_context(workspace, "Log an engagement")
    return create_record(
        request, workspace, make, FORM, context, lambda obj: _detail_url(workspace, obj)
    )


def engagement_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    engagement = get_object_or_404(Engagement, workspace=workspace, pk=pk)
    delete_url = reverse("workspace:engagement_delete", args=[workspace.slug, pk])
    context = _form_context(
        workspace,
        f"Edit {engagement}",
        delete_url=delete_url,
        cancel_url=_detail_url(workspace, engagement),
    )
    make = partial(EngagementForm, workspace=workspace)
    return edit_versioned(
        request, workspace, engagement, make, FORM, context, _detail_url(workspace, engagement)
    )


engagement_delete = delete_page(Engagement, "engagement", _list_url)


SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Engagement log",
        "knowledge_engagements",
        "Listening sessions, data walks, surveys and meetings: who took part, at what level "
        "of shared power, and how they compare with who lives here.",
        records_of(Engagement),
        "engagement",
    )
]
_editor = workspace_view(role=Role.EDITOR)  # type: ignore[arg-type]
_E = "<slug:slug>/engagements/"
workspace_urls: list[URLPattern] = [
    path(_E, engagement_list, name="knowledge_engagements"),
    path(_E + "new/", _editor(engagement_create), name="engagement_create"),
    path(_E + "summary/", summary_views.engagement_summary, name="engagement_summary"),
    path(
        _E + "representation/",
        summary_views.representation,
        name="knowledge_representation",
    ),
    path(_E + "<int:pk>/", engagement_detail, name="engagement_detail"),
    path(_E + "<int:pk>/edit/", _editor(engagement_edit), name="engagement_edit"),
    path(_E + "<int:pk>/delete/", _editor(engagement_delete), name="engagement_delete"),
]
public_urls: list[URLPattern] = []
