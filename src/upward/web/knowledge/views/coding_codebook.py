"""The codebook page: built-in codes and the coalition's own code tree with counts; add,
edit and delete own codes; CSV export and import (all or nothing)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify

from upward.planning import coding as rules
from upward.reports.downloads import to_csv
from upward.web.explorer.errors import error_response
from upward.web.knowledge import coding_store as store
from upward.web.knowledge.codebook import ensure_codebook
from upward.web.knowledge.forms_coding import CodebookImportForm, CodeDeleteForm, CodeForm
from upward.web.knowledge.models import Code
from upward.web.workspace.access import workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.versioning import StaleVersion
from upward.web.workspace.views.common import FORM_PAGE, create_record, edit_versioned, page

SECTION = "knowledge"


def codebook_url(workspace: Workspace) -> str:
    return reverse("workspace:knowledge_codebook", args=[workspace.slug])


@workspace_view()
def codebook(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    view = store.codebook_view(workspace)
    return page(request, workspace, "knowledge/codebook.html", {"book": view, "local": "codebook"},
                section=SECTION)  # fmt: skip


def _form_context(workspace: Workspace, title: str, **more: str) -> dict[str, str]:
    return {"title": title, "cancel_url": codebook_url(workspace), **more}


@workspace_view(role=Role.EDITOR)
def code_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context = _form_context(workspace, "Add a code")
    back = codebook_url(workspace)
    make = partial(CodeForm, workspace=workspace)
    return create_record(request, workspace, make, FORM_PAGE, context, lambda obj: back)


def _own(workspace: Workspace, pk: int) -> Code:
    return get_object_or_404(Code, workspace=workspace, kind="custom", pk=pk)


@workspace_view(role=Role.EDITOR)
def code_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    code = _own(workspace, pk)
    delete_url = reverse("workspace:code_delete", args=[workspace.slug, pk])
    context = _form_context(workspace, f"Edit the code {code}", delete_url=delete_url)
    make = partial(CodeForm, workspace=workspace)
    return edit_versioned(
        request, workspace, code, make, FORM_PAGE, context, codebook_url(workspace)
    )


@workspace_view(role=Role.EDITOR)
def code_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """GET asks (naming its children and excerpts); POST deletes with the version seen.

    Children are moved up to the deleted code's parent unless the member chooses to delete
    them too: moving keeps the coding done with them, which deleting would lose."""
    code = _own(workspace, pk)
    codes = store.own_codes(workspace)
    below = rules.descendants(store.parents_of(codes), code.pk)
    children = [c for c in codes if c.parent_id == code.pk]
    form = CodeDeleteForm(request.POST or None, initial={"version": code.version})
    context = {
        "code": code,
        "children": children,
        "below": len(below),
        "form": form,
        "excerpts": code.excerpts.count(),
        "cancel_url": codebook_url(workspace),
    }
    if request.method != "POST":
        return page(request, workspace, "knowledge/codebook_delete.html", context, section=SECTION)
    if not form.is_valid():
        return page(request, workspace, "knowledge/codebook_delete.html", context, 400, SECTION)
    label = f"code “{code}”"
    with_children = form.cleaned_data["children"] == "delete"
    try:
        with transaction.atomic():
            store.delete_code(code, form.cleaned_data["version"], below if with_children else None)
            if with_children:
                detail = f"and {len(below)} code(s) under it" if below else ""
            else:
                detail = f"its {len(children)} child code(s) moved up" if children else ""
            record(workspace, request.user, "deleted", label, detail)
    except StaleVersion:
        messages.error(request, f"Not deleted: someone changed the {label} meanwhile.")
        return redirect(codebook_url(workspace))
    messages.success(request, f"Deleted the {label}.")
    return redirect(codebook_url(workspace))


@workspace_view()
def codebook_export(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    codes = store.own_codes(workspace)
    rows = rules.codebook_records(store.own_tree(codes), {c.pk: c.description for c in codes})
    response = HttpResponse(to_csv(rows, rules.COLUMNS), content_type="text/csv; charset=utf-8")
    name = slugify(workspace.name) or "workspace"
    response["Content-Disposition"] = f'attachment; filename="{name}-codebook.csv"'
    return response


def _import(workspace: Workspace, rows: tuple[rules.CodebookRow, ...], user: object) -> int:
    """Add the rows (parents first) under their parents; one query per row."""
    codes = store.own_codes(workspace)
    by_path = {rules.path_key(r.path): r.node.id for r in store.own_tree(codes)}
    for row in rows:
        parent = by_path.get(rules.path_key(row.parent_path)) if row.parent_path else None
        made = Code.objects.create(workspace=workspace, kind="custom", ref="", name=row.name,
                                   parent_id=parent, description=row.description,
                                   updated_by=user)  # fmt: skip
        by_path[rules.path_key(row.path)] = made.pk
    return len(rows)


@workspace_view(role=Role.EDITOR)
def codebook_import(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = CodebookImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "columns": rules.COLUMNS, "local": "codebook",
                                  "file_sent": bool(request.FILES)}  # fmt: skip
    if request.method != "POST":
        return page(request, workspace, "knowledge/codebook_import.html", context, section=SECTION)
    if not form.is_valid():
        return page(request, workspace, "knowledge/codebook_import.html", context, 400, SECTION)
    ensure_codebook(workspace)
    codes = store.own_codes(workspace)
    builtins = Code.objects.filter(workspace=workspace).exclude(kind="custom")
    parsed = rules.parse_codebook_csv(
        form.cleaned_data["csv"],
        existing_paths=[r.path for r in store.own_tree(codes)],
        builtin_names=builtins.values_list("name", flat=True),
    )
    if not parsed.ok or not parsed.rows:
        context |= {"row_errors": parsed.errors, "empty": parsed.ok}
        return page(request, workspace, "knowledge/codebook_import.html", context, 400, SECTION)
    try:
        with transaction.atomic():
            added = _import(workspace, parsed.rows, request.user)
            record(workspace, request.user, "imported", f"{added} code(s)", "from CSV")
    except IntegrityError:
        return error_response(request, 409, "Codes added meanwhile",
                              "Someone added some of these codes while you imported, so "
                              "nothing was imported. Import the file again.")  # fmt: skip
    messages.success(request, f"Imported {added} code(s).")
    return redirect(codebook_url(workspace))
