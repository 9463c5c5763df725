"""Notes and their coded excerpts: the findings list, a note with its excerpts
highlighted, coding a passage (pasted, or selected with excerpt.js), editing and deleting
an excerpt; the excerpt browser and its CSV and XLSX downloads."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify

from upward.planning import coding as rules
from upward.reports.downloads import to_csv, to_xlsx
from upward.web.knowledge import coding_store as store
from upward.web.knowledge.forms_coding import (
    ExcerptEditForm,
    ExcerptFilterForm,
    ExcerptForm,
    NoteForm,
)
from upward.web.knowledge.models import Code, Excerpt, Note
from upward.web.workspace import submission
from upward.web.workspace.access import workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import (
    FORM_PAGE,
    create_record,
    delete_record,
    edit_versioned,
    page,
    paged,
)

SECTION = "knowledge"
PAGE_SIZE = 50
RECENT = 10


def findings_url(workspace: Workspace) -> str:
    return reverse("workspace:knowledge_findings", args=[workspace.slug])


def note_url(workspace: Workspace, pk: int) -> str:
    return reverse("workspace:note_detail", args=[workspace.slug, pk])


@workspace_view()
def findings(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    notes = Note.objects.filter(workspace=workspace).select_related("engagement", "stakeholder")
    page_obj = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    recent = store.excerpts_of(workspace).order_by("-created_at", "-pk")[:RECENT]
    context = {
        "page_obj": page_obj,
        "counts": store.note_counts(workspace),
        "recent": [(e, store.export_row(e)) for e in recent],
        "kinds": store.KIND_LABELS,
        "total_excerpts": Excerpt.objects.filter(workspace=workspace).count(),
        "local": "findings",
        "query": "",
    }
    return page(request, workspace, "knowledge/coding_findings.html", context, section=SECTION)


@workspace_view(role=Role.EDITOR)
def note_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context = {"title": "Add a note", "cancel_url": findings_url(workspace), "section": SECTION}
    make = partial(NoteForm, workspace=workspace)
    return create_record(request, workspace, make, FORM_PAGE, context,
                         lambda obj: note_url(workspace, obj.pk))  # fmt: skip


@workspace_view(role=Role.EDITOR)
def note_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    note = get_object_or_404(Note, workspace=workspace, pk=pk)
    context = {
        "title": f"Edit {note}",
        "cancel_url": note_url(workspace, pk),
        "delete_url": reverse("workspace:note_delete", args=[workspace.slug, pk]),
        "section": SECTION,
    }
    make = partial(NoteForm, workspace=workspace)
    return edit_versioned(request, workspace, note, make, FORM_PAGE, context,
                          note_url(workspace, pk))  # fmt: skip


@workspace_view(role=Role.EDITOR)
def note_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    note = get_object_or_404(Note, workspace=workspace, pk=pk)
    if request.method != "POST":
        return redirect(note_url(workspace, pk))
    return delete_record(request, workspace, note, findings_url(workspace))


def priority_links(
    request: HttpRequest, workspace: Workspace, excerpts: Any
) -> dict[int, list[tuple[str, str]]]:
    """For an editor, each excerpt's "Make this a priority" links, one per predictor it is
    coded to: (the code's name, the priorities' confirm page, which asks nothing saved on
    GET). Nothing for a viewer, who cannot add a priority."""
    from upward.web.strategy.views.priorities import FINDING_REF, add_url

    membership = getattr(request, "membership", None)
    if membership is None or not membership.can(Role.EDITOR):
        return {}
    return {
        e.pk: [(c.name, add_url(workspace.slug, predictor=c.ref, ref=FINDING_REF.format(e.pk),
                                **{"from": "finding"}))
               for c in e.codes.all() if c.kind == "predictor" and c.ref]
        for e in excerpts
    }  # fmt: skip


def _highlighted(note: Note, excerpts: list[Excerpt]) -> list[dict[str, Any]]:
    """The note's text in segments; a coded segment names its excerpts and their codes."""
    number = {e.pk: i for i, e in enumerate(excerpts, start=1)}
    by_pk = {e.pk: e for e in excerpts}
    out = []
    for seg in rules.segment(note.text, [(e.start, e.end, e.pk) for e in excerpts]):
        names = sorted({c.name for k in seg.keys for c in by_pk[k].codes.all()})
        out.append({"text": seg.text, "numbers": [number[k] for k in seg.keys], "codes": names})
    return out


def _note_page(
    request: HttpRequest, workspace: Workspace, note: Note, form: ExcerptForm, status: int = 200
) -> HttpResponse:
    excerpts = list(store.excerpts_of(workspace).filter(note=note).order_by("start", "pk"))
    context = {
        "note": note,
        "excerpts": excerpts,
        "segments": _highlighted(note, excerpts),
        "form": form,
        "groups": store.code_choices(workspace),
        "chosen": {int(v) for v in form["codes"].value() or [] if str(v).isdigit()},
        "occurrences": [
            (
                i,
                note.text[max(0, s.start - 40) : s.start],
                note.text[s.start : s.end],
                note.text[s.end : s.end + 40],
            )
            for i, s in enumerate(form.occurrences)
        ],
        "kinds": store.KIND_LABELS,
        "attribution": store.attribution(note),
        "priority_links": priority_links(request, workspace, excerpts),
        "once": submission.token_for(request),
        "local": "findings",
    }
    return page(request, workspace, "knowledge/note_detail.html", context, status, SECTION)


@workspace_view()
def note_detail(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    note = get_object_or_404(Note.objects.select_related("engagement", "stakeholder"),
                             workspace=workspace, pk=pk)  # fmt: skip
    return _note_page(request, workspace, note, ExcerptForm(note=note))


@workspace_view(role=Role.EDITOR)
def excerpt_create(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    note = get_object_or_404(Note, workspace=workspace, pk=pk)
    if request.method != "POST":
        return redirect(note_url(workspace, pk))
    if again := submission.repeat(request):
        return again
    form = ExcerptForm(request.POST, note=note)
    if not form.is_valid():
        return _note_page(request, workspace, note, form, 400)
    span = form.cleaned_data["span"]
    with transaction.atomic():
        excerpt = Excerpt.objects.create(
            workspace=workspace,
            note=note,
            start=span.start,
            end=span.end,
            text=note.text[span.start : span.end],
            is_quote=form.cleaned_data["is_quote"],
            memo=form.cleaned_data["memo"],
            updated_by=request.user,
        )
        excerpt.codes.set(form.cleaned_data["codes"])
        record(workspace, request.user, "coded", f"an excerpt of “{note}”")
        submission.claim(request, note_url(workspace, pk) + f"#excerpt-{excerpt.pk}")
    messages.success(request, "Coded the excerpt.")
    return redirect(note_url(workspace, pk) + f"#excerpt-{excerpt.pk}")


@workspace_view(role=Role.EDITOR)
def excerpt_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    excerpt = get_object_or_404(Excerpt.objects.select_related("note"), workspace=workspace, pk=pk)
    back = note_url(workspace, excerpt.note_id)
    context = {
        "title": "Edit an excerpt's codes",
        "lead": f"“{excerpt}” from {excerpt.note}",
        "cancel_url": back,
        "delete_url": reverse("workspace:excerpt_delete", args=[workspace.slug, pk]),
        "section": SECTION,
    }
    make = partial(ExcerptEditForm, workspace=workspace)
    return edit_versioned(request, workspace, excerpt, make, FORM_PAGE, context, back)


@workspace_view(role=Role.EDITOR)
def excerpt_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    excerpt = get_object_or_404(Excerpt, workspace=workspace, pk=pk)
    back = note_url(workspace, excerpt.note_id)
    if request.method != "POST":
        return redirect(back)
    return delete_record(request, workspace, excerpt, back)


def _filtered(
    request: HttpRequest, workspace: Workspace, rows: Any
) -> tuple[ExcerptFilterForm, Any]:
    """The filter form and ``rows`` (excerpts of the workspace) narrowed by it."""
    labels = [(pk, name) for group in store.code_choices(workspace) for pk, name in group[1]]
    form = ExcerptFilterForm(request.GET or None, workspace=workspace, code_labels=labels)
    if form.is_valid():
        data = form.cleaned_data
        if data["code"]:
            code = Code.objects.filter(workspace=workspace, pk=data["code"]).first()
            ids = store.code_with_descendants(workspace, code) if code else set()
            coded = Excerpt.codes.through.objects.filter(code_id__in=ids)
            rows = rows.filter(pk__in=coded.values("excerpt_id"))
        if data["kind"]:
            rows = rows.filter(note__kind=data["kind"])
        if data["engagement"]:
            rows = rows.filter(note__engagement_id=data["engagement"])
    return form, rows


@workspace_view()
def excerpt_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form, rows = _filtered(request, workspace, store.excerpts_of(workspace))
    rows = rows.order_by("-created_at", "-pk")
    page_obj, query = paged(request, rows, PAGE_SIZE)
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": [(e, store.export_row(e)) for e in page_obj],
        "priority_links": priority_links(request, workspace, page_obj),
        "query": query,
        "local": "excerpts",
    }
    status = 400 if form.errors else 200
    return page(request, workspace, "knowledge/coding_excerpts.html", context, status, SECTION)


@workspace_view()
def excerpt_export(request: HttpRequest, workspace: Workspace, fmt: str) -> HttpResponse:
    """Every coded excerpt (the browser's filters apply), one row each."""
    _form, rows = _filtered(request, workspace, Excerpt.objects.filter(workspace=workspace))
    records = store.export_records(rows)
    name = f"{slugify(workspace.name) or 'workspace'}-excerpts"
    if fmt == "xlsx":
        body: Any = to_xlsx(records, store.EXPORT_COLUMNS, sheet="excerpts", notes=(
            "One row per coded excerpt. Attribution is a name only with the speaker's "
            "consent; otherwise Anonymous.",))  # fmt: skip
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, kind = to_csv(records, store.EXPORT_COLUMNS), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
