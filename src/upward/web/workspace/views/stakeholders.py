"""Stakeholder inventory (guide Step 4): list, edit, coverage, invitation list, CSV."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify

from upward.catalog import get_catalog
from upward.planning import invitation as invitation_rule
from upward.planning import stakeholder as vocab
from upward.planning.coverage import RankedGap, assess_coverage, rank_gaps
from upward.planning.stakeholder_csv import COLUMNS, parse_stakeholder_csv, stakeholder_records
from upward.reports.downloads import to_csv
from upward.web.explorer.errors import error_response
from upward.web.workspace import places
from upward.web.workspace.access import workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.forms.stakeholders import (
    StakeholderFilterForm,
    StakeholderForm,
    StakeholderImportForm,
)
from upward.web.workspace.models import Role, Stakeholder, Workspace
from upward.web.workspace.stakeholder_store import facts_for, import_rows, to_row
from upward.web.workspace.versioning import StaleVersion, claim_version
from upward.web.workspace.views.common import RecordPages, filtered_list, page

SECTION = "stakeholders"
PAGE_SIZE = 100


def _labels() -> dict[str, dict[str, str]]:
    catalog = get_catalog()
    return {
        "sector": dict(vocab.SECTORS),
        "relationship": dict(vocab.RELATIONSHIPS),
        "influence": dict(vocab.INFLUENCE),
        "role": dict(vocab.ROLES),
        "status": dict(vocab.INVITATION_STATUSES),
        "pillar": {p.id: p.label for p in catalog.pillars},
        "predictor": {p.id: p.label for p in catalog.predictors},
    }


@workspace_view()
def stakeholder_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = StakeholderFilterForm(request.GET or None)
    rows = Stakeholder.objects.filter(workspace=workspace).order_by("name")
    fields = ("sector", "role", "invitation_status")
    context = {
        **filtered_list(request, form, rows, fields, PAGE_SIZE, ("name", "organization")),
        "labels": _labels(),
    }
    return page(request, workspace, "workspace/stakeholder_list.html", context, section=SECTION)


PAGES = RecordPages(
    Stakeholder, StakeholderForm, "stakeholder", "stakeholders", "Add a stakeholder", SECTION
)
"""Add, edit and delete a stakeholder (routes: ``PAGES.urls``)."""


@workspace_view()
def coverage(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    result = assess_coverage(facts_for(workspace))
    matrix = [
        (label, [row.cells[i] for row in result.rows], result.sector_active[sector])
        for i, (sector, label) in enumerate(result.sectors)
    ]
    areas, note = places.areas_to_explore(workspace.geoids) if result.gaps else ([], "")
    context = {
        "coverage": result,
        "matrix": matrix,
        "ranked": [_ranked_row(g) for g in rank_gaps(result.gaps, areas)],
        "areas_note": note,
        "has_areas": bool(areas),
        "gap_titles": GAP_TITLES,
        "labels": _labels(),
    }
    return page(request, workspace, "workspace/coverage.html", context, section=SECTION)


GAP_TITLES = {
    "predictor": "Predictor with no active partner",
    "pillar": "Pillar with no active partner",
    "narrow_pillar": "Pillar covered by a single sector",
    "sector": "Sector with no active partner",
}
AREAS_SHOWN = 3
"""Areas to explore named under each gap (the rest are counted)."""


def _ranked_row(ranked: RankedGap) -> dict[str, Any]:
    links = [
        {"label": a.label, "place": a.place,
         "href": f"{places.place_path(a.geoid)}compare/#v-{a.variable}"}
        for a in ranked.areas[:AREAS_SHOWN]
    ]  # fmt: skip
    return {"gap": ranked.gap, "reason": ranked.reason, "areas": links,
            "more": max(0, len(ranked.areas) - AREAS_SHOWN),
            "in_pillar": ranked.pillar_id is not None}  # fmt: skip


@workspace_view()
def invitations(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    facts = facts_for(workspace)
    result = invitation_rule.prioritize_invitations(facts)
    versions = dict(Stakeholder.objects.filter(workspace=workspace).values_list("id", "version"))
    context = {
        "ranked": [(p, versions.get(p.key)) for p in result.ranked],
        "waiting": result.awaiting_reply,
        "rule_rows": invitation_rule.RULE_ROWS,
        "labels": _labels(),
    }
    return page(request, workspace, "workspace/invitations.html", context, section=SECTION)


@workspace_view(role=Role.EDITOR)
def mark_invited(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    stakeholder = get_object_or_404(Stakeholder, workspace=workspace, pk=pk)
    url = reverse("workspace:invitation_list", args=[workspace.slug])
    if request.method != "POST":
        return redirect(url)
    try:
        expected = int(request.POST.get("version", ""))
        with transaction.atomic():
            claim_version(Stakeholder, pk, expected)
            Stakeholder.objects.filter(pk=pk).update(
                invitation_status=vocab.InvitationStatus.INVITED, updated_by=request.user
            )
            record(workspace, request.user, "marked as invited", stakeholder.name)
    except (ValueError, StaleVersion):
        messages.error(
            request, f"Not changed: {stakeholder.name} was edited meanwhile. Check the record."
        )
        return redirect(url)
    messages.success(request, f"Marked {stakeholder.name} as invited.")
    return redirect(url)


def _import_summary(added: int, updated: int) -> str:
    parts = [f"{added} stakeholder{'' if added == 1 else 's'} added"]
    if updated:
        parts.append(f"{updated} updated")
    return ", ".join(parts)


@workspace_view(role=Role.EDITOR)
def stakeholder_import(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    if request.method == "POST":
        form = StakeholderImportForm(request.POST, request.FILES)
    else:
        form = StakeholderImportForm()
    context: dict[str, object] = {
        "form": form,
        "columns": COLUMNS,
        "sectors": vocab.SECTORS,
        # a page cannot put a file back in a file input: say so when one was sent
        "file_sent": bool(request.FILES),
    }
    if request.method == "POST" and form.is_valid():
        existing = Stakeholder.objects.filter(workspace=workspace).values_list("name", flat=True)
        update = form.update_existing
        parsed = parse_stakeholder_csv(
            form.csv_text(), existing_names=existing, update_existing=update
        )
        if parsed.ok and parsed.rows:
            try:
                with transaction.atomic():
                    added, updated = import_rows(workspace, parsed.rows, request.user, update)
                    done = _import_summary(added, updated)
                    record(workspace, request.user, "imported", done, "from CSV")
            except IntegrityError:
                return error_response(
                    request,
                    409,
                    "Names added meanwhile",
                    "Someone added some of these names to the inventory while you imported, "
                    "so nothing was imported. Import the file again to see which names clash.",
                )
            messages.success(request, f"Imported: {done}.")
            return redirect(PAGES.list_url(workspace))
        context["row_errors"] = parsed.errors
        context["empty"] = parsed.ok and not parsed.rows
        return page(request, workspace, "workspace/stakeholder_import.html", context, 400, SECTION)
    status = 400 if form.errors else 200
    return page(request, workspace, "workspace/stakeholder_import.html", context, status, SECTION)


@workspace_view()
def stakeholder_export(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    rows = [to_row(s) for s in Stakeholder.objects.filter(workspace=workspace).order_by("name")]
    body = to_csv(stakeholder_records(rows), COLUMNS)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = slugify(workspace.name) or "workspace"
    response["Content-Disposition"] = f'attachment; filename="{name}-stakeholders.csv"'
    return response
