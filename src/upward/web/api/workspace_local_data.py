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

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from upward.catalog import get_catalog
from upward.planning import local_data as rules
from upward.planning.knowledge import DIRECTIONS, LOCAL_GEOGRAPHY_KINDS
from upward.web.api.paging import page_schema
from upward.web.api.params import MAX_VERSION, record_id_param, text_field
from upward.web.api.records import RecordRoutes, Words, sent, user_name
from upward.web.api.workspace_auth import READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import conflict_schema
from upward.web.knowledge import local_store
from upward.web.knowledge.forms_localdata import LocalSeriesForm
from upward.web.knowledge.models import LocalSeries
from upward.web.workspace.models import Workspace

router = Router(tags=["workspaces"], auth=WorkspaceMember())

Quality = Literal["strong", "marginal", "weak"]
Answer = Literal["yes", "partly", "no"]
MAX_VALUES = 1000
TEXT_FIELDS = ("name", "description", "unit", "direction", "source")
RUBRIC_KEYS = tuple(key for key, _question in rules.RUBRIC)


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


LocalSeriesPage = page_schema("LocalSeriesPage", LocalSeriesOut)


class LocalSeriesPatch(Schema):
    """A change: the version you read and only the fields to change."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_VERSION)
    name: str | None = text_field(200)
    description: str | None = text_field(2000)
    unit: str | None = text_field(60)
    direction: Literal["higher_better", "lower_better", "context"] | None = None
    source: str | None = text_field(300)
    predictors: list[str] | None = Field(
        None, json_schema_extra={"items": {"enum": [p.id for p in get_catalog().predictors]}}
    )
    documented: Answer | None = None
    coverage: Answer | None = None
    precision: Answer | None = None
    recent: Answer | None = None


LocalConflictOut = conflict_schema("LocalConflictOut", LocalSeriesOut)


def series_out(request: HttpRequest, s: LocalSeries) -> dict[str, Any]:
    """A series' JSON; its values counted by the query (``row_count``) in a list."""
    return {
        **{name: getattr(s, name) for name in TEXT_FIELDS},
        "id": s.pk,
        "version": s.version,
        "quality": s.quality,
        "rubric": dict(s.rubric or {}),
        "predictors": list(s.predictors or []),
        "ci_rule": s.ci_rule,
        "original_name": s.original_name,
        "value_count": s.row_count if hasattr(s, "row_count") else s.values.count(),
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "updated_by": user_name(s.updated_by),
    }


def series_form(workspace: Workspace, series: LocalSeries, body: Any) -> LocalSeriesForm:
    """The page's form: the series as saved, overlaid with the fields sent."""
    data: dict[str, Any] = {name: getattr(series, name) for name in TEXT_FIELDS}
    data |= {"predictors": list(series.predictors or []), **(series.rubric or {})}
    data |= sent(body)
    return LocalSeriesForm(data, instance=series, workspace=workspace)


local_series = RecordRoutes(
    router, __name__, LocalSeries, "/local-series", "series_id", "local_series",
    Words("series", named="local series", a_noun="a local series that can be changed",
          stale="series", shown="series"),
    series_out, LocalSeriesOut, LocalConflictOut, form=series_form, unique="name",
)  # fmt: skip


@local_series.listing("The workspace's local data series, by name", LocalSeriesPage)
def list_local_series(workspace: Workspace) -> QuerySet[LocalSeries]:
    rows = local_series.rows(workspace)
    return rows.order_by("name", "pk").annotate(row_count=Count("values"))


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
    series = local_series.find(workspace_of(request), series_id)
    values = series.values.order_by("row")[values_offset : values_offset + values_limit]
    fields = ("row", "geography_kind", "geography", "period", "subgroup", "value", "lower", "upper")
    return {**series_out(request, series), "values": list(values.values(*fields))}


local_series.update(
    "Change a local series' metadata or rubric: send the version you read", LocalSeriesPatch
)
local_series.delete(
    "Delete a local series and its stored file: send the version you read",
    also=local_store.forget_file_on_commit,
)
