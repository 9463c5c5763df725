"""Supplemental local data pages: the list of series, the upload (all or nothing), a
series with its values, its downloads, and editing, replacing and deleting it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify

from upward.catalog import get_catalog
from upward.planning import local_data as rules
from upward.planning.knowledge import DIRECTIONS, LOCAL_GEOGRAPHY_KINDS
from upward.reports.downloads import to_csv
from upward.web.explorer.errors import error_response
from upward.web.knowledge import local_store
from upward.web.knowledge.forms_localdata import LocalReplaceForm, LocalSeriesForm, LocalUploadForm
from upward.web.knowledge.models import LocalSeries
from upward.web.workspace import submission
from upward.web.workspace.access import workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.versioning import StaleVersion, delete_versioned
from upward.web.workspace.views.common import edit_versioned, page

SECTION = "knowledge"
PAGE_SIZE = 100
UPLOAD_PAGE = "knowledge/local_upload.html"


def _list_url(workspace: Workspace) -> str:
    return reverse("workspace:knowledge_local_data", args=[workspace.slug])


def _detail_url(workspace: Workspace, pk: int) -> str:
    return reverse("workspace:local_series_detail", args=[workspace.slug, pk])


def _series(workspace: Workspace, pk: int) -> LocalSeries:
    return get_object_or_404(LocalSeries, workspace=workspace, pk=pk)


def _labels() -> dict[str, dict[str, str]]:
    return {
        "quality": {k: v for k, v in rules.QUALITY_LABEL.items()},
        "direction": dict(DIRECTIONS),
        "kind": dict(LOCAL_GEOGRAPHY_KINDS),
        "predictor": {p.id: p.label for p in get_catalog().predictors},
        "answer": dict(rules.RUBRIC_ANSWERS),
    }


def _format_context() -> dict[str, Any]:
    """What the upload pages say about the file format and the rules."""
    return {
        "column_help": rules.COLUMN_HELP,
        "ci_rules": rules.CI_RULES,
        "rubric_rule": rules.RUBRIC_RULE,
        "max_rows": rules.MAX_ROWS,
    }


@workspace_view()
def local_data_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    rows = LocalSeries.objects.filter(workspace=workspace).order_by("name")
    series = list(rows.annotate(row_count=Count("values")))
    context = {"series": series, "labels": _labels()}
    return page(request, workspace, "knowledge/local_list.html", context, section=SECTION)


def _refused(
    request: HttpRequest, workspace: Workspace, form: Any, parsed: rules.LocalParse | None,
    context: dict[str, Any],
) -> HttpResponse:  # fmt: skip
    context = {**context, "form": form, "file_sent": bool(request.FILES)}
    if parsed is not None:
        context |= {"row_errors": parsed.errors, "more_errors": parsed.more_errors}
    return page(request, workspace, UPLOAD_PAGE, context, status=400, section=SECTION)


def _parse(workspace: Workspace, upload: Any, unit: str) -> rules.LocalParse:
    upload.seek(0)
    data = upload.read(rules.MAX_BYTES + 1)
    return rules.parse_local_file(data, upload.name or "", workspace.geoids or [], unit)


@workspace_view(role=Role.EDITOR)
def local_data_upload(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context: dict[str, Any] = {
        **_format_context(),
        "title": "Upload local data",
        "once": submission.token_for(request),
        "places": workspace.geoids or [],
        "rubric": rules.RUBRIC,
    }
    if request.method != "POST":
        form = LocalUploadForm(workspace=workspace)
        return page(request, workspace, UPLOAD_PAGE, {**context, "form": form}, section=SECTION)
    if again := submission.repeat(request):
        return again
    form = LocalUploadForm(request.POST, request.FILES, workspace=workspace)
    if not form.is_valid():
        return _refused(request, workspace, form, None, context)
    upload = form.cleaned_data["file"]
    parsed = _parse(workspace, upload, form.cleaned_data["unit"])
    if not parsed.ok:
        return _refused(request, workspace, form, parsed, context)
    try:
        series = local_store.save_upload(
            form, workspace, request.user, parsed, upload,
            then=lambda new: submission.claim(request, _detail_url(workspace, new.pk)),
        )  # fmt: skip
    except IntegrityError:
        again = submission.repeat(request)
        if again:
            return again
        form.add_error("name", "Someone saved this name a moment ago. Choose another.")
        return _refused(request, workspace, form, None, context)
    messages.success(request, f"Added {series.name}: {len(parsed.rows):,} rows.")
    return redirect(_detail_url(workspace, series.pk))


@workspace_view()
def local_data_template(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    response = HttpResponse(rules.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="local-data-template.csv"'
    return response


@workspace_view()
def local_series_detail(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    series = _series(workspace, pk)
    values = series.values.order_by("row")
    page_obj = Paginator(values, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "series": series,
        "page_obj": page_obj,
        "query": "",
        "labels": _labels(),
        "rubric": [
            (key, question, (series.rubric or {}).get(key, "")) for key, question in rules.RUBRIC
        ],
        "rubric_rule": rules.RUBRIC_RULE,
    }
    return page(request, workspace, "knowledge/local_detail.html", context, section=SECTION)


@workspace_view()
def local_series_values(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    series = _series(workspace, pk)
    body = to_csv(rules.rows_to_records(series.values.order_by("row")), rules.COLUMNS)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = slugify(series.name) or "local-series"
    response["Content-Disposition"] = f'attachment; filename="{name}-values.csv"'
    return response


@workspace_view()
def local_series_original(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    series = _series(workspace, pk)
    if not series.original:
        raise Http404("No file kept for this series.")
    try:
        handle = series.original.open("rb")
    except OSError:
        return error_response(request, 404, "File missing", "The stored file cannot be found.")
    name = local_store.safe_filename(series.original_name or "upload.csv")
    kind = "text/csv" if name.endswith((".csv", ".txt")) else "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=kind)


@workspace_view(role=Role.EDITOR)
def local_series_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    series = _series(workspace, pk)
    context = {
        "title": f"Edit {series.name}",
        "cancel_url": _detail_url(workspace, pk),
        "delete_url": reverse("workspace:local_series_delete", args=[workspace.slug, pk]),
        "rubric_rule": rules.RUBRIC_RULE,
        "section": SECTION,
    }

    def make_form(*args: Any, **kwargs: Any) -> LocalSeriesForm:
        return LocalSeriesForm(*args, workspace=workspace, **kwargs)

    return edit_versioned(
        request, workspace, series, make_form, "knowledge/local_edit.html", context,
        _detail_url(workspace, pk),
    )  # fmt: skip


@workspace_view(role=Role.EDITOR)
def local_series_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    series = _series(workspace, pk)
    if request.method != "POST":
        return redirect(_detail_url(workspace, pk))
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        return error_response(request, 400, "Bad request", "The form did not say which version.")
    label = f"local series “{series}”"
    try:
        with transaction.atomic():
            delete_versioned(series, expected)
            record(workspace, request.user, "deleted", label)
            local_store.forget_file_on_commit(series)
    except StaleVersion:
        messages.error(request, f"Not deleted: someone changed {label} after you opened it.")
        return redirect(_detail_url(workspace, pk))
    messages.success(request, f"Deleted {label} and its file.")
    return redirect(_list_url(workspace))


@workspace_view(role=Role.EDITOR)
def local_series_replace(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    series = _series(workspace, pk)
    context: dict[str, Any] = {**_format_context(), "series": series, "places": workspace.geoids}
    template = "knowledge/local_replace.html"
    if request.method != "POST":
        form = LocalReplaceForm(initial={"version": series.version})
        return page(request, workspace, template, {**context, "form": form}, section=SECTION)
    form = LocalReplaceForm(request.POST, request.FILES)
    parsed = None
    if form.is_valid():
        parsed = _parse(workspace, form.cleaned_data["file"], series.unit)
        if parsed.ok:
            try:
                local_store.replace_data(
                    series, form.cleaned_data["version"], request.user, parsed,
                    form.cleaned_data["file"],
                )  # fmt: skip
            except StaleVersion:
                messages.error(request, "Not replaced: someone changed the series meanwhile.")
                return redirect(_detail_url(workspace, pk))
            messages.success(
                request, f"Replaced the data of {series.name}: {len(parsed.rows):,} rows."
            )
            return redirect(_detail_url(workspace, pk))
    context |= {"form": form, "file_sent": bool(request.FILES)}
    if parsed is not None:
        context |= {"row_errors": parsed.errors, "more_errors": parsed.more_errors}
    return page(request, workspace, template, context, status=400, section=SECTION)
