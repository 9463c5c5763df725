"""Qualitative findings, coded: the codebook (built-in and own codes), notes, excerpts
highlighted inside a note and coded, the excerpt browser and its downloads, and the
findings panel shown beside each predictor's numbers (``findings_panel``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from upward.web.knowledge.coding_store import FindingsPanel, findings_panel
from upward.web.knowledge.models import Excerpt, Note
from upward.web.knowledge.views import coding_codebook as book
from upward.web.knowledge.views import coding_notes as notes
from upward.web.knowledge.views.hub import HubLink, records_of

__all__ = ["SECTION_LINKS", "FindingsPanel", "findings_panel", "public_urls", "workspace_urls"]

SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Coded findings",
        "knowledge_findings",
        "Notes and interviews, with passages coded to the predictors, the conditions of "
        "systems change and the coalition's own codes.",
        records_of(Note),
        "note",
    ),
    HubLink(
        "Coded excerpts",
        "excerpt_list",
        "Every coded passage, filtered by code, kind of note or engagement, and downloaded.",
        records_of(Excerpt),
        "excerpt",
    ),
]

K = "<slug:slug>/knowledge/"
workspace_urls: list[URLPattern] = [
    path(K + "findings/", notes.findings, name="knowledge_findings"),
    path(K + "codebook/", book.codebook, name="knowledge_codebook"),
    path(K + "codebook/new/", book.code_create, name="code_create"),
    path(K + "codebook/export.csv", book.codebook_export, name="codebook_export"),
    path(K + "codebook/import/", book.codebook_import, name="codebook_import"),
    path(K + "codes/<int:pk>/", book.code_edit, name="code_edit"),
    path(K + "codes/<int:pk>/delete/", book.code_delete, name="code_delete"),
    path(K + "notes/new/", notes.note_create, name="note_create"),
    path(K + "notes/<int:pk>/", notes.note_detail, name="note_detail"),
    path(K + "notes/<int:pk>/edit/", notes.note_edit, name="note_edit"),
    path(K + "notes/<int:pk>/delete/", notes.note_delete, name="note_delete"),
    path(K + "notes/<int:pk>/excerpts/", notes.excerpt_create, name="excerpt_create"),
    path(K + "excerpts/", notes.excerpt_list, name="excerpt_list"),
    path(K + "excerpts/export.csv", notes.excerpt_export, {"fmt": "csv"}, name="excerpt_csv"),
    path(K + "excerpts/export.xlsx", notes.excerpt_export, {"fmt": "xlsx"}, name="excerpt_xlsx"),
    path(K + "excerpts/<int:pk>/", notes.excerpt_edit, name="excerpt_edit"),
    path(K + "excerpts/<int:pk>/delete/", notes.excerpt_delete, name="excerpt_delete"),
]
public_urls: list[URLPattern] = []
