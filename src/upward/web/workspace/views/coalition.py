"""Coalition structure: backbone, advisory group and workgroups."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse

from upward.catalog import get_catalog
from upward.web.workspace.access import workspace_view
from upward.web.workspace.forms.coalition import StructureForm, WorkgroupForm
from upward.web.workspace.models import CoalitionStructure, Role, Workgroup, Workspace
from upward.web.workspace.views.common import FORM_PAGE, RecordPages, edit_versioned, page

SECTION = "coalition"


WORKGROUPS = RecordPages(
    Workgroup, WorkgroupForm, "workgroup", "coalition", "New workgroup", SECTION
)
"""Add, edit and delete a workgroup (routes: ``WORKGROUPS.urls``), back to the coalition page."""


def _structure(workspace: Workspace, create: bool = False) -> CoalitionStructure:
    """The workspace's structure; made (and saved) only for a POST, never on a GET."""
    if create:
        return CoalitionStructure.objects.get_or_create(workspace=workspace)[0]
    found = CoalitionStructure.objects.filter(workspace=workspace).first()
    return found or CoalitionStructure(workspace=workspace)


@workspace_view()
def coalition(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    catalog = get_catalog()
    structure = _structure(workspace)
    workgroups = workspace.workgroups.select_related("lead").prefetch_related("members")
    rows = []
    for group in workgroups:
        if group.focus_predictor:
            focus = catalog.predictor(group.focus_predictor).label
        elif group.focus_pillar:
            focus = catalog.pillar(group.focus_pillar).label
        else:
            focus = "No focus chosen"
        rows.append((group, focus))
    context = {
        "structure": structure,
        "advisory": structure.advisory_members.order_by("name") if structure.pk else [],
        "workgroups": rows,
    }
    return page(request, workspace, "workspace/coalition.html", context, section=SECTION)


@workspace_view(role=Role.EDITOR)
def structure_edit(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context = {
        "title": "Backbone and advisory group",
        "cancel_url": WORKGROUPS.list_url(workspace),
        "section": SECTION,
    }
    return edit_versioned(
        request,
        workspace,
        _structure(workspace, create=request.method == "POST"),
        partial(StructureForm, workspace=workspace),
        FORM_PAGE,
        context,
        WORKGROUPS.list_url(workspace),
    )
