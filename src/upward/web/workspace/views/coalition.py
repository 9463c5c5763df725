"""Coalition structure: backbone, advisory group and workgroups."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from upward.catalog import get_catalog
from upward.web.workspace.access import workspace_view
from upward.web.workspace.forms.coalition import StructureForm, WorkgroupForm
from upward.web.workspace.models import CoalitionStructure, Role, Workgroup, Workspace
from upward.web.workspace.views.common import create_record, delete_record, edit_versioned, page

SECTION = "coalition"


def _url(workspace: Workspace) -> str:
    return reverse("workspace:coalition", args=[workspace.slug])


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
    def make_form(*args, **kwargs):  # type: ignore[no-untyped-def]
        return StructureForm(*args, workspace=workspace, **kwargs)

    context = {
        "title": "Backbone and advisory group",
        "cancel_url": _url(workspace),
        "section": SECTION,
    }
    return edit_versioned(
        request,
        workspace,
        _structure(workspace, create=request.method == "POST"),
        make_form,
        "workspace/form_page.html",
        context,
        _url(workspace),
    )


def _workgroup_form(workspace: Workspace):  # type: ignore[no-untyped-def]
    def make_form(*args, **kwargs):  # type: ignore[no-untyped-def]
        return WorkgroupForm(*args, workspace=workspace, **kwargs)

    return make_form


@workspace_view(role=Role.EDITOR)
def workgroup_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context = {"title": "New workgroup", "cancel_url": _url(workspace), "section": SECTION}
    return create_record(
        request,
        workspace,
        _workgroup_form(workspace),
        "workspace/form_page.html",
        context,
        lambda obj: _url(workspace),
    )


@workspace_view(role=Role.EDITOR)
def workgroup_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    group = get_object_or_404(Workgroup, workspace=workspace, pk=pk)
    context = {
        "title": f"Edit {group.name}",
        "cancel_url": _url(workspace),
        "delete_url": reverse("workspace:workgroup_delete", args=[workspace.slug, pk]),
        "section": SECTION,
    }
    return edit_versioned(
        request,
        workspace,
        group,
        _workgroup_form(workspace),
        "workspace/form_page.html",
        context,
        _url(workspace),
    )


@workspace_view(role=Role.EDITOR)
def workgroup_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    group = get_object_or_404(Workgroup, workspace=workspace, pk=pk)
    if request.method != "POST":
        return redirect("workspace:workgroup_edit", slug=workspace.slug, pk=pk)
    return delete_record(request, workspace, group, _url(workspace))
