"""Beside the numbers and the Summary of Upward Mobility Findings (issue 12, parts 4 and 8):
the predictor index and view, and the summary's pages, exports and read-only link."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.web.knowledge.models import FindingsVersion
from upward.web.knowledge.views import findings_predictors as predictors
from upward.web.knowledge.views import findings_summary as summary
from upward.web.knowledge.views.hub import HubLink
from upward.web.workspace.models import Workspace


def _predictor_count(workspace: Workspace) -> int:
    return 24


def _version_count(workspace: Workspace) -> int:
    return FindingsVersion.objects.filter(summary__workspace=workspace).count()


SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Beside the numbers",
        "knowledge_predictors",
        "Each predictor's national metric for your places beside your local data and "
        "what people told you.",
        _predictor_count,
        "predictor",
    ),
    HubLink(
        "Summary of findings",
        "knowledge_summary",
        "The coalition's Summary of Upward Mobility Findings, per priority predictor: "
        "versions, exports, and a read-only link to share back.",
        _version_count,
        "saved version",
    ),
]

workspace_urls: list[URLPattern] = [
    path("<slug:slug>/predictors/", predictors.predictor_index, name="knowledge_predictors"),
    path(
        "<slug:slug>/predictors/<str:predictor_id>/",
        predictors.predictor_detail,
        name="knowledge_predictor",
    ),
    path("<slug:slug>/summary/", summary.summary, name="knowledge_summary"),
    path("<slug:slug>/summary/edit/", summary.summary_edit, name="summary_edit"),
    path("<slug:slug>/summary/versions/", summary.summary_versions, name="summary_versions"),
    path(
        "<slug:slug>/summary/versions/<int:version_number>/",
        summary.summary_version,
        name="summary_version",
    ),
    path("<slug:slug>/summary/export/", summary.summary_export, name="summary_export"),
    path("<slug:slug>/summary/share/", summary.summary_share, name="summary_share"),
]

public_urls: list[URLPattern] = [
    path("findings/<str:share_id>/", summary.shared_summary, name="shared_summary"),
]
