"""API: a workspace's local data series: list, read (with its values, paged), change the
metadata and the rubric (with the version read), delete (with its stored file).

A change is validated by the page's own form (``LocalSeriesForm``), so the API and the
page accept and refuse the same values with the same messages; the quality is never sent,
it follows from the rubric's answers. Uploads are made on the page (a file and its
metadata), not through this API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from upward.catalog import get_catalog
from upward.planning import local_data as rules
from upward.planning.knowledge import DIRECTIONS, LOCAL_GEOGRAPHY_KINDS
from upward.web.api import paging
from upward.web.api.errors import ApiError
from upward.web.api.params import MAX_VERSION, record_id_param, version_param
from upward.web.api.schemas import ErrorDetail
from upward.web.api.versioned import delete_or_conflict
from upward.web.api.workspace_auth import (
    BODY_ERRORS,
    CHANGE_ERRORS,
    READ_ERRORS,
    W,
    WorkspaceMember,
    workspace_of,
)
from upward.web.api.workspace_schemas import FieldErrorOut
from upward.web.api.workspace_stakeholders import (
    SCHEMA_PROBLEMS,
    FieldProblems,
    field_errors,
    read_body,
)
from upward.web.knowledge import local_store
from upward.web.knowledge.forms_localdata import LocalSeriesForm
from upward.web.knowledge.models import LocalSeries
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import StaleVersion, save_versioned

router = Router(tags=["workspaces"], auth=WorkspaceMember())

Quality = Literal["strong", "marginal", "weak"]
Answer = Literal["yes", "partly", "no"]
MAX_VALUES = 1000
TEXT_FIELDS = ("name", "description", "unit", "direction", "source")
RUBRIC_KEYS = tuple(key for key, _question in rules.RUBRIC)
_TEXT = r"^[^\x00]*$"


class LocalValueOut(Schema):
    row: int
    """The row of the uploaded file (the header is row 1)."""
    geography_kind: str = Field(json_schema_extra={"enum": [k for k, _ in LOCAL_GEOGRAPHY_KINDS]})
    geography: str
    period: str
    subgroup: str
    value: float
    lower: float | None
    """The 95% interval's lower bound (from the file's bounds or its margin of error)."""
    upper: float | None


class LocalSeriesOut(Schema):
    id: int
    version: int
    name: str
    description: str
    unit: str
    direction: str = Field(json_schema_extra={"enum": [k for k, _ in DIRECTIONS]})
    source: str
    quality: Quality
    """From the rubric: strong when every answer is yes, weak when any is no."""
    rubric: dict[str, str]
    predictors: list[str]
    ci_rule: str
    original_name: str
    """The uploaded file's name (download it on the series' page)."""
    value_count: int
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


class LocalSeriesDetailOut(LocalSeriesOut):
    values: list[LocalValueOut]
    """The values from ``values_offset``, at most ``values_limit``, in file order."""


class LocalSeriesPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[LocalSeriesOut]


class LocalSeriesPatch(Schema):
    """A change: the version you read and only the fields to change."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_VERSION)
    name: str | None = Field(None, json_schema_extra={"maxLength": 200, "pattern": _TEXT})
    description: str | None = Field(None, json_schema_extra={"maxLength": 2000, "pattern": _TEXT})
    unit: str | None = Field(None, json_schema_extra={"maxLength": 60, "pattern": _TEXT})
    direction: Literal["higher_better", "lower_better", "context"] | None = None
    source: str | None = Field(None, json_schema_extra={"maxLength": 300, "pattern": _TEXT})
    predictors: list[str] | None = Field(
        None, json_schema_extra={"items": {"enum": [p.id for p in get_catalog().predictors]}}
    )
    documented: Answer | None = None
    coverage: Answer | None = None
    precision: Answer | None = None
    recent: Answer | None = None


class LocalConflictOut(Schema):
    error: ErrorDetail
    current: LocalSeriesOut | None = None


def series_out(s: LocalSeries, count: int | None = None) -> dict[str, Any]:
    return {
        **{name: getattr(s, name) for name in TEXT_FIELDS},
        "id": s.pk,
        "version": s.version,
        "quality": s.quality,
        "rubric": dict(s.rubric or {}),
        "predictors": list(s.predictors or []),
        "ci_rule": s.ci_rule,
        "original_name": s.original_name,
        "value_count": s.values.count() if count is None else count,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "updated_by": s.updated_by.get_username() if s.updated_by else None,
    }


def _series(workspace: Workspace, series_id: int) -> LocalSeries:
    found = LocalSeries.objects.filter(workspace=workspace, pk=series_id).first()
    if found is None:
        raise ApiError(404, "Not found", f"This workspace has no local series {series_id}.")
    return found


@router.get(
    W + "/local-series",
    response={200: LocalSeriesPage, **READ_ERRORS},
    summary="The workspace's local data series, by name",
)
def list_local_series(
    request: HttpRequest,
    slug: str,
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    from django.db.models import Count

    rows = LocalSeries.objects.filter(workspace=workspace_of(request)).select_related("updated_by")
    rows = rows.order_by("name", "pk")
    page = rows.annotate(row_count=Count("values"))[offset : offset + limit]
    items = [series_out(s, s.row_count) for s in page]
    return paging.page(request, rows.count(), items, limit, offset)


@router.get(
    W + "/local-series/{series_id}",
    response={200: LocalSeriesDetailOut, **READ_ERRORS},
    summary="One local series with its values (paged) and the version to send with a change",
)
def get_local_series(
    request: HttpRequest,
    slug: str,
    series_id: int = record_id_param(),
    values_limit: int = Query(MAX_VALUES, ge=1, le=MAX_VALUES, description="Values at most"),
    values_offset: int = Query(0, ge=0, le=1_000_000, description="Values to skip"),
) -> dict[str, Any]:
    series = _series(workspace_of(request), series_id)
    values = series.values.order_by("row")[values_offset : values_offset + values_limit]
    fields = ("row", "geography_kind", "geography", "period", "subgroup", "value", "lower", "upper")
    return {**series_out(series), "values": list(values.values(*fields))}


NOT_A_FIELD = "This is not a field of a local series that can be changed."


def _read_body(request: HttpRequest) -> dict[str, Any]:
    """The stakeholder API's body reader, with this record's word for an unknown field."""
    try:
        return read_body(request, LocalSeriesPatch)  # type: ignore[arg-type]
    except FieldProblems as exc:
        theirs = SCHEMA_PROBLEMS["extra_forbidden"]
        fields = {k: [NOT_A_FIELD if m == theirs else m for m in v] for k, v in exc.fields.items()}
        raise FieldProblems(fields) from None


def conflict(workspace: Workspace, series_id: int, sent: int) -> Status[dict[str, Any]]:
    current = LocalSeries.objects.filter(workspace=workspace, pk=series_id).first()
    if current is None:
        message = "Not saved: someone deleted this series after you read it."
    else:
        message = (
            f"Not saved: the series is at version {current.version}, not the version {sent} "
            "you sent. The series as saved now is in 'current'; re-apply your change to it."
        )
    error = {"status": 409, "title": "Changed meanwhile", "message": message}
    return Status(
        409, {"error": error, "current": None if current is None else series_out(current)}
    )


@router.patch(
    W + "/local-series/{series_id}",
    response={200: LocalSeriesOut, **BODY_ERRORS, 400: FieldErrorOut, 409: LocalConflictOut},
    summary="Change a local series' metadata or rubric: send the version you read",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": LocalSeriesPatch.model_json_schema()}},
        }
    },
)
def update_local_series(request: HttpRequest, slug: str, series_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    series = _series(workspace, series_id)
    try:
        sent = _read_body(request)
    except FieldProblems as exc:
        return field_errors("Invalid change", exc.fields)
    if "version" not in sent:
        return field_errors("Invalid change", {"version": ["This field is required."]})
    data: dict[str, Any] = {name: getattr(series, name) for name in TEXT_FIELDS}
    data |= {"predictors": list(series.predictors or []), **(series.rubric or {})}
    data |= sent
    form = LocalSeriesForm(data, instance=series, workspace=workspace)
    if not form.is_valid():
        return field_errors(
            "Invalid change", {k: [str(m) for m in v] for k, v in form.errors.items()}
        )
    try:
        with transaction.atomic():
            obj = save_versioned(form, form.cleaned_data["version"], request.user)
            record(workspace, request.user, "edited", f"local series “{obj}”", "through the API")
    except StaleVersion:
        return conflict(workspace, series_id, sent["version"])
    except IntegrityError:
        return field_errors("Invalid change", {"name": ["This name is already in use."]})
    return Status(200, series_out(obj))


@router.delete(
    W + "/local-series/{series_id}",
    response={204: None, 409: LocalConflictOut, **CHANGE_ERRORS},
    summary="Delete a local series and its stored file: send the version you read",
)
def delete_local_series(
    request: HttpRequest,
    slug: str,
    series_id: int = record_id_param(),
    version: int = version_param(),
) -> Any:
    workspace = workspace_of(request)
    series = _series(workspace, series_id)
    return delete_or_conflict(
        request,
        workspace,
        series,
        version,
        lambda: conflict(workspace, series_id, version),
        also=lambda: local_store.forget_file_on_commit(series),
    )
