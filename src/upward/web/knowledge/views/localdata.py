"""Supplemental local data (issue 12, item 5): routes, the overview card, and the panel
of local series beside a predictor's national metric (:func:`local_panel`, with the
partial ``knowledge/_local_panel.html`` that the predictor view includes as
``local_panel``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.web.knowledge.local_store import LocalPanel, PanelRow, PanelSeries, local_panel
from upward.web.knowledge.models import LocalSeries
from upward.web.knowledge.views import localdata_pages as pages
from upward.web.knowledge.views.hub import HubLink, records_of

__all__ = ["SECTION_LINKS", "LocalPanel", "PanelRow", "PanelSeries", "local_panel",
           "public_urls", "workspace_urls"]  # fmt: skip


SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Local data",
        "knowledge_local_data",
        "Local indicators the coalition gathered (by place, tract, ZIP code or "
        "neighborhood), rated for quality and set beside the national metrics.",
        records_of(LocalSeries),
        "series",
    )
]

P = "<slug:slug>/knowledge/local-data/"
workspace_urls: list[URLPattern] = [
    path(P, pages.local_data_list, name="knowledge_local_data"),
    path(P + "new/", pages.local_data_upload, name="local_data_upload"),
    path(P + "template.csv", pages.local_data_template, name="local_data_template"),
    path(P + "<int:pk>/", pages.local_series_detail, name="local_series_detail"),
    path(P + "<int:pk>/values.csv", pages.local_series_values, name="local_series_values"),
    path(P + "<int:pk>/original/", pages.local_series_original, name="local_series_original"),
    path(P + "<int:pk>/edit/", pages.local_series_edit, name="local_series_edit"),
    path(P + "<int:pk>/replace/", pages.local_series_replace, name="local_series_replace"),
    path(P + "<int:pk>/delete/", pages.local_series_delete, name="local_series_delete"),
]
public_urls: list[URLPattern] = []
