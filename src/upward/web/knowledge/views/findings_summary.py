"""The Summary of Upward Mobility Findings: the current version, its edit form (with the
assembled draft), the kept versions, the exports (HTML, PDF, Word) and the read-only link
a coalition shares back with community members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from upward.catalog import get_catalog
from upward.explore import WarehouseMissing
from upward.reports import findings_summary as document
from upward.web.data import get_release
from upward.web.explorer.errors import error_response
from upward.web.knowledge import findings_store as store
from upward.web.knowledge.forms_findings import SummaryForm, priorities_from
from upward.web.knowledge.i18n import public_language
from upward.web.knowledge.models import FindingsSummary, FindingsVersion
from upward.web.knowledge.views.findings_national import release_label
from upward.web.workspace import places
from upward.web.workspace.access import workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.versioning import Difference, StaleVersion
from upward.web.workspace.views.common import page

SECTION = "knowledge"
EDIT_TEMPLATE = "knowledge/summary_edit.html"


def current_release() -> str:
    try:
        return release_label(get_release())
    except WarehouseMissing:
        return ""


def sections_of(predictors: list[str], sections: dict[str, str]) -> list[document.Section]:
    catalog = get_catalog()
    return [
        document.Section(
            pid,
            catalog.predictor(pid).label,
            catalog.pillar(catalog.predictor(pid).pillar_id).label,
            document.paragraphs(sections.get(pid, "")),
        )
        for pid in predictors
        if pid in {p.id for p in catalog.predictors}
    ]


def document_of(
    workspace: Workspace, saved: FindingsSummary | FindingsVersion, number: int, when: Any
) -> document.FindingsDocument:
    return document.FindingsDocument(
        title=saved.title,
        coalition=workspace.name,
        places=tuple(places.place_name(g) for g in workspace.geoids),
        introduction=document.paragraphs(saved.introduction),
        sections=tuple(sections_of(list(saved.predictors), dict(saved.sections))),
        release=current_release(),
        date=f"{when:%B %-d, %Y}",
        version=number,
    )


def summary_document(workspace: Workspace, summary: FindingsSummary) -> document.FindingsDocument:
    return document_of(workspace, summary, summary.version, summary.updated_at)


@workspace_view()
def summary(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    saved = store.summary_of(workspace)
    catalog = get_catalog()
    context: dict[str, Any] = {"summary": saved, "findings_page": "summary"}
    if saved is None:
        context["suggested"] = [catalog.predictor(p) for p in store.suggested_priorities(workspace)]
    else:
        context["doc"] = summary_document(workspace, saved)
        known = {p.id: p for p in catalog.predictors}  # "make this a priority" links
        context["summary_predictors"] = [known[p] for p in saved.predictors or [] if p in known]
        if saved.share_id:
            context["share_url"] = request.build_absolute_uri(
                reverse("public:shared_summary", args=[saved.share_id])
            )
    return page(request, workspace, "knowledge/summary.html", context, section=SECTION)


def _edit_page(
    request: HttpRequest, workspace: Workspace, form: SummaryForm, status: int = 200, **more: Any
) -> HttpResponse:
    catalog = get_catalog()
    context = {
        "form": form,
        "findings_page": "summary",
        "conflict": None,
        "section_fields": [(catalog.predictor(p), form[f"section_{p}"]) for p in form.predictors],
        "priority_fields": [form[n] for n in form.fields if n.startswith("priority_")],
        **more,
    }
    return page(request, workspace, EDIT_TEMPLATE, context, status=status, section=SECTION)


def _initial(
    workspace: Workspace, saved: FindingsSummary | None
) -> tuple[dict[str, Any], list[str]]:
    if saved is None:
        predictors = store.suggested_priorities(workspace)
        return SummaryForm.initial_for(0, store.DEFAULT_TITLE, "", predictors, {}), predictors
    predictors = list(saved.predictors)
    return SummaryForm.initial_for(
        saved.version, saved.title, saved.introduction, predictors, dict(saved.sections)
    ), predictors


def _differences(content: store.SummaryContent, saved: FindingsSummary) -> list[Difference]:
    catalog = get_catalog()
    pairs = [
        ("Title", content.title, saved.title),
        ("Introduction", content.introduction, saved.introduction),
        (
            "Priority predictors",
            ", ".join(catalog.predictor(p).label for p in content.predictors),
            ", ".join(catalog.predictor(p).label for p in saved.predictors),
        ),
    ]
    for pid in dict.fromkeys([*content.predictors, *saved.predictors]):
        pairs.append(
            (
                f"Section: {catalog.predictor(pid).label}",
                content.sections.get(pid, ""),
                dict(saved.sections).get(pid, ""),
            )
        )
    return [
        Difference(label, yours or "(empty)", theirs or "(empty)")
        for label, yours, theirs in pairs
        if (yours or "") != (theirs or "")
    ]


@workspace_view(role=Role.EDITOR)
def summary_edit(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    saved = store.summary_of(workspace)
    if request.method != "POST":
        initial, predictors = _initial(workspace, saved)
        return _edit_page(request, workspace, SummaryForm(initial=initial, predictors=predictors))
    predictors = priorities_from(request.POST)
    form = SummaryForm(request.POST, predictors=predictors)
    if not form.is_valid():
        return _edit_page(request, workspace, form, status=400)
    content = form.content()
    if "assemble" in request.POST:
        drafted = store.assemble(workspace, content.predictors, content.sections)
        data = request.POST.copy()
        for pid, text in drafted.items():
            data[f"section_{pid}"] = text
        messages.info(
            request,
            "Drafted the empty sections from the insights, the local data and "
            "the coded findings. Nothing is saved yet: read, edit, then save.",
        )
        return _edit_page(
            request, workspace, SummaryForm(data, predictors=predictors), assembled=True
        )
    try:
        with transaction.atomic():
            obj = store.save_summary(workspace, content, form.cleaned_data["version"], request.user)
            record(
                workspace, request.user, "saved", f"the Summary of Findings (version {obj.version})"
            )
    except StaleVersion:
        fresh = store.summary_of(workspace)
        if fresh is None:
            return error_response(
                request,
                409,
                "Deleted meanwhile",
                "Someone removed the summary while you were editing it.",
            )
        initial, fresh_predictors = _initial(workspace, fresh)
        fresh_form = SummaryForm(initial=initial, predictors=fresh_predictors)
        return _edit_page(
            request,
            workspace,
            fresh_form,
            status=409,
            conflict=_differences(content, fresh),
            fresh=fresh,
        )
    messages.success(request, f"Saved version {obj.version} of the summary.")
    return redirect("workspace:knowledge_summary", slug=workspace.slug)


@workspace_view()
def summary_versions(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    saved = store.summary_of(workspace)
    versions = (
        []
        if saved is None
        else list(saved.versions.select_related("saved_by").defer("introduction", "sections"))
    )
    context = {"summary": saved, "versions": versions, "findings_page": "versions"}
    return page(request, workspace, "knowledge/summary_versions.html", context, section=SECTION)


@workspace_view()
def summary_version(
    request: HttpRequest, workspace: Workspace, version_number: int
) -> HttpResponse:
    kept = get_object_or_404(FindingsVersion, summary__workspace=workspace, number=version_number)
    context = {
        "version": kept,
        "doc": document_of(workspace, kept, kept.number, kept.saved_at),
        "findings_page": "versions",
        "is_current": kept.number == kept.summary.version,
    }
    return page(request, workspace, "knowledge/summary_version.html", context, section=SECTION)


@workspace_view()
def summary_export(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    fmt = request.GET.get("format", "html")
    if fmt not in document.FORMATS:
        return error_response(
            request,
            400,
            "Unknown format",
            f"“{fmt[:20]}” is not a format of the summary: use html, pdf or docx.",
        )
    saved = store.summary_of(workspace)
    if saved is None:
        return error_response(
            request,
            404,
            "No summary yet",
            "Save a first version of the summary before exporting it.",
        )
    body = document.render(summary_document(workspace, saved), fmt)  # type: ignore[arg-type]
    response = HttpResponse(body, content_type=document.CONTENT_TYPES[fmt])
    if fmt != "html":
        name = f"summary-of-findings-{workspace.slug}-v{saved.version}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view(role=Role.EDITOR)
def summary_share(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    back = reverse("workspace:knowledge_summary", args=[workspace.slug])
    if request.method != "POST":
        return redirect(back)
    saved = store.summary_of(workspace)
    if saved is None:
        messages.error(request, "Save a first version of the summary before sharing it.")
        return redirect(back)
    on = request.POST.get("share") == "on"
    with transaction.atomic():
        store.set_sharing(saved, on)
        record(
            workspace,
            request.user,
            "turned the read-only link " + ("on" if on else "off") + " for",
            "the Summary of Findings",
        )
    messages.success(
        request,
        "The read-only link is on: anyone with it can read the current saved version."
        if on
        else "The read-only link is off; the old link no longer works.",
    )
    return redirect(back)


def shared_summary(request: HttpRequest, share_id: str) -> HttpResponse:
    """The read-only summary for community members: no account, no JavaScript."""
    saved = (
        FindingsSummary.objects.filter(share_id=share_id)
        .exclude(share_id="")
        .select_related("workspace")
        .first()
    )
    if saved is None:
        raise Http404("This link to a Summary of Findings is not (or no longer) shared.")
    with public_language(request) as lang:
        doc = summary_document(saved.workspace, saved)
        return render(
            request,
            "knowledge/summary_public.html",
            {"doc": doc, "lang": lang, "updated": saved.updated_at},
        )
