"""API: a workspace's Summary of Upward Mobility Findings (read, replace with the version
read, its kept versions) and one predictor beside the numbers (the national values with
CI and quality per place, and how many local series and coded excerpts it has).

A change is checked by the page's own form (``SummaryForm``), so the API and the page
accept and refuse the same values; a stale version gets 409 with the summary as saved now.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field

from upward.catalog import get_catalog
from upward.web.api.errors import ApiError
from upward.web.api.params import MAX_VERSION, NO_NUL_PATTERN, NOT_BLANK_PATTERN, text_field
from upward.web.api.records import (
    THROUGH_API,
    FieldProblems,
    Words,
    answer_problems,
    body_schema,
    conflict_answer,
    form_fields,
    read_body,
    sent,
    user_name,
)
from upward.web.api.workspace_auth import BODY_ERRORS, READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import FieldErrorOut, conflict_schema
from upward.web.knowledge import findings_store as store
from upward.web.knowledge.forms_findings import PRIORITY, SECTION, SummaryForm
from upward.web.knowledge.models import FindingsSummary
from upward.web.knowledge.views.findings_national import UnknownPredictor, predictor_numbers
from upward.web.workspace.activity import record
from upward.web.workspace.versioning import StaleVersion

router = Router(tags=["workspaces"], auth=WorkspaceMember())
_PREDICTORS = [p.id for p in get_catalog().predictors]


class SummarySectionOut(Schema):
    predictor: str
    label: str
    text: str


class SummaryOut(Schema):
    version: int
    """0 while no summary is saved; send it back with a change."""
    title: str
    introduction: str
    predictors: list[str]
    """The priority predictors, in order."""
    sections: list[SummarySectionOut]
    shared: bool
    """Whether the read-only link is on."""
    updated_at: datetime | None
    updated_by: str | None


class SummaryIn(Schema):
    """The version you read (0: none saved yet) and the fields to change (others kept)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=0, le=MAX_VERSION)
    title: str | None = text_field(200, NOT_BLANK_PATTERN)
    introduction: str | None = text_field(20_000)
    predictors: list[str] | None = Field(
        None,
        description="Priority predictor ids, in order (at most 8, each once)",
        json_schema_extra={
            "items": {"enum": _PREDICTORS},
            "maxItems": store.MAX_PRIORITIES,
            "uniqueItems": True,
        },
    )
    sections: dict[str, str] | None = Field(
        None,
        description=(
            "{predictor id: text}; the text of a predictor not among the priorities is "
            "not kept (the answer shows what was saved)"
        ),
        json_schema_extra={
            "propertyNames": {"enum": _PREDICTORS},
            "additionalProperties": {
                "type": "string",
                "maxLength": 20_000,
                "pattern": NO_NUL_PATTERN,
            },
        },
    )


SummaryConflictOut = conflict_schema("SummaryConflictOut", SummaryOut)
WORDS = Words("summary", stale="summary", shown="summary")
NONE_SAVED = SimpleNamespace(version=0)  # a 409 before the first save: "at version 0"


class SummaryVersionOut(Schema):
    number: int
    title: str
    predictors: list[str]
    saved_at: datetime
    saved_by: str | None


class SummaryVersionsOut(Schema):
    count: int
    items: list[SummaryVersionOut]


class PredictorScopeOut(Schema):
    scope: str
    label: str
    median: str
    verdict: str


class PredictorValueOut(Schema):
    metric: str
    variable: str
    label: str
    year: int | None
    value: float | None
    lb: float | None
    ub: float | None
    quality: str | None
    text: str
    """The value as the page shows it: value, year, 95% CI and quality."""
    scopes: list[PredictorScopeOut]
    """Tested against the state and national medians."""


class PredictorPlaceOut(Schema):
    geoid: str
    name: str
    note: str
    values: list[PredictorValueOut]


class PredictorFindingsOut(Schema):
    predictor: str
    label: str
    pillar: str
    release: str
    note: str
    places: list[PredictorPlaceOut]
    local_series: int
    coded_excerpts: int


def summary_out(s: FindingsSummary | None) -> dict[str, Any]:
    catalog = get_catalog()
    if s is None:
        return {
            "version": 0,
            "title": store.DEFAULT_TITLE,
            "introduction": "",
            "predictors": [],
            "sections": [],
            "shared": False,
            "updated_at": None,
            "updated_by": None,
        }
    sections = dict(s.sections)
    return {
        "version": s.version,
        "title": s.title,
        "introduction": s.introduction,
        "predictors": list(s.predictors),
        "sections": [
            {"predictor": p, "label": catalog.predictor(p).label, "text": sections.get(p, "")}
            for p in s.predictors
        ],
        "shared": bool(s.share_id),
        "updated_at": s.updated_at,
        "updated_by": user_name(s.updated_by),
    }


@router.get(
    W + "/summary",
    response={200: SummaryOut, **READ_ERRORS},
    summary="The Summary of Findings as saved now (version 0: none yet)",
)
def get_summary(request: HttpRequest, slug: str) -> dict[str, Any]:
    return summary_out(store.summary_of(workspace_of(request)))


def _form_data(current: dict[str, Any], given: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    problems: dict[str, list[str]] = {}
    predictors = list(given.get("predictors", current["predictors"]))
    if unknown := [p for p in predictors if p not in _PREDICTORS]:
        problems["predictors"] = [f"Not a predictor id: {', '.join(map(str, unknown[:5]))}."]
    elif len(predictors) > store.MAX_PRIORITIES:
        problems["predictors"] = [f"At most {store.MAX_PRIORITIES} priority predictors."]
    elif len(set(predictors)) != len(predictors):
        problems["predictors"] = ["A predictor is listed twice."]
    sections = {s["predictor"]: s["text"] for s in current["sections"]} | dict(
        given.get("sections", {})
    )
    if stray := [p for p in given.get("sections", {}) if p not in _PREDICTORS]:
        problems["sections"] = [f"Not a predictor id: {', '.join(map(str, stray[:5]))}."]
    if problems:
        raise FieldProblems(problems)
    data: dict[str, Any] = {
        "version": given["version"],
        "title": given.get("title", current["title"]),
        "introduction": given.get("introduction", current["introduction"]),
    }
    for n, pid in enumerate(predictors, start=1):
        data[PRIORITY.format(n)] = pid
        data[SECTION.format(pid)] = sections.get(pid, "")
    return data, predictors


@router.put(
    W + "/summary",
    response={200: SummaryOut, **BODY_ERRORS, 400: FieldErrorOut, 409: SummaryConflictOut},
    summary="Save a new version of the Summary of Findings: send the version you read",
    openapi_extra=body_schema(SummaryIn),
)
@answer_problems("Invalid summary")
def put_summary(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    saved = store.summary_of(workspace)
    given = sent(read_body(request, SummaryIn, WORDS.not_a_field))
    data, predictors = _form_data(summary_out(saved), given)
    form = SummaryForm(data, predictors=predictors)
    if not form.is_valid():
        raise FieldProblems(form_fields(form))
    try:
        with transaction.atomic():
            obj = store.save_summary(workspace, form.content(), given["version"], request.user)
            record(
                workspace,
                request.user,
                "saved",
                f"the Summary of Findings (version {obj.version})",
                THROUGH_API,
            )
    except StaleVersion:
        current = store.summary_of(workspace)
        message = WORDS.changed(current or NONE_SAVED, given["version"])
        return conflict_answer(message, summary_out(current))
    return Status(200, summary_out(FindingsSummary.objects.get(pk=obj.pk)))


@router.get(
    W + "/summary/versions",
    response={200: SummaryVersionsOut, **READ_ERRORS},
    summary="Every saved version of the Summary of Findings, newest first",
)
def list_summary_versions(request: HttpRequest, slug: str) -> dict[str, Any]:
    saved = store.summary_of(workspace_of(request))
    rows = [] if saved is None else list(saved.versions.select_related("saved_by"))
    items = [
        {
            "number": v.number,
            "title": v.title,
            "predictors": list(v.predictors),
            "saved_at": v.saved_at,
            "saved_by": user_name(v.saved_by),
        }
        for v in rows
    ]
    return {"count": len(items), "items": items}


@router.get(
    W + "/predictors/{predictor_id}",
    response={200: PredictorFindingsOut, **READ_ERRORS},
    summary="One predictor beside the numbers: national values per place, local counts",
)
def get_predictor(
    request: HttpRequest,
    slug: str,
    predictor_id: str = Path(
        ...,
        max_length=60,
        pattern=r"^[a-z0-9_]+$",
        description="A predictor id, e.g. housing_affordability",
    ),
) -> dict[str, Any]:
    workspace = workspace_of(request)
    try:
        numbers = predictor_numbers(list(workspace.geoids), predictor_id)
    except UnknownPredictor as problem:
        raise ApiError(404, "Not found", str(problem)) from None
    places = [
        {
            "geoid": p.geoid,
            "name": p.name,
            "note": p.note,
            "values": [
                {
                    "metric": v.metric_id,
                    "variable": v.variable,
                    "label": v.label,
                    "year": v.year,
                    "value": v.value,
                    "lb": v.lb,
                    "ub": v.ub,
                    "quality": v.quality,
                    "text": v.text,
                    "scopes": [
                        {k: s[k] for k in ("scope", "label", "median", "verdict")} for s in v.scopes
                    ],
                }
                for v in p.values
            ],
        }
        for p in numbers.places
    ]
    predictor = numbers.predictor
    return {
        "predictor": predictor.id,
        "label": predictor.label,
        "pillar": get_catalog().pillar(predictor.pillar_id).label,
        "release": numbers.release,
        "note": numbers.note,
        "places": places,
        "local_series": store.series_counts(workspace).get(predictor.id, 0),
        "coded_excerpts": store.excerpt_counts(workspace).get(predictor.id, 0),
    }
