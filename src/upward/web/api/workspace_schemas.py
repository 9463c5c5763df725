"""Typed bodies of the workspace API (/api/workspaces/...): what it sends and accepts.

Names carry a workspace prefix where a general name (``GapOut``, ``CoverageOut``,
``PeerSetOut``) is already taken by the public API's schemas: OpenAPI component names
must be unique across the whole document.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from upward.catalog import get_catalog
from upward.planning import stakeholder as vocab
from upward.web.api.paging import page_schema
from upward.web.api.params import MAX_VERSION, NOT_BLANK_PATTERN, text_field
from upward.web.api.schemas import ErrorDetail

Role = Literal["owner", "editor", "viewer"]
Recommendation = Literal["proceed", "prepare", "postpone"]
ReadinessState = Literal["not_assessed", "proceed", "prepare", "postpone"]


class FieldErrorDetail(ErrorDetail):
    fields: dict[str, list[str]] = {}
    """Messages per input field; __all__ for a problem with the body as a whole."""


class FieldErrorOut(Schema):
    error: FieldErrorDetail


class Body(Schema):
    """A request body: a field the schema does not declare is refused (400), not ignored."""

    model_config = ConfigDict(extra="forbid")


def record_schemas(name: str, out: type[Schema]) -> tuple[type[Schema], type[Schema]]:
    """A record's list page (``{name}Page``) and 409 body (``{name}ConflictOut``)."""
    return page_schema(f"{name}Page", out), conflict_schema(f"{name}ConflictOut", out)


def conflict_schema(
    name: str, out: type[Schema], doc: str | None = None, key: str = "current"
) -> type[Schema]:
    """409: the error, and the record as saved now under ``key`` (null when it was deleted
    meanwhile): the body :func:`upward.web.api.records.conflict_answer` answers."""
    fields: dict[str, Any] = {"error": (ErrorDetail, ...), key: (out | None, None)}
    return create_model(name, __base__=Schema, __doc__=doc, **fields)


class WorkspaceSummaryOut(Schema):
    slug: str
    name: str
    description: str
    role: Role
    """Your role in the workspace."""
    geoids: list[str]
    url: str
    """The workspace's home page."""


WorkspacePage = page_schema("WorkspacePage", WorkspaceSummaryOut)


class HeadlineOut(Schema):
    label: str
    value: str
    year: int
    ci: str
    """The 95% confidence interval in words; empty when none is published."""
    quality: str


class JurisdictionOut(Schema):
    geoid: str
    name: str
    url: str | None
    """The place's public profile; null when it is not in the loaded data."""
    headlines: list[HeadlineOut]
    note: str


class MemberOut(Schema):
    username: str
    role: Role
    joined_at: datetime


class ReadinessVerdictOut(Schema):
    """How many conditions are met, and the recommendation the rule makes of them."""

    met_count: int
    total: int
    recommendation: Recommendation
    recommendation_label: str
    reason: str
    state: ReadinessState
    """The verdict to show: the recommendation, or not_assessed while no condition has been
    answered (recommendation is then still the rule's value, postpone, but is no verdict)."""
    state_label: str


class ReadinessStatusOut(ReadinessVerdictOut):
    assessment: int
    """The number of the latest assessment."""
    title: str


class WorkgroupOut(Schema):
    id: int
    name: str
    focus_pillar: str
    focus_predictor: str
    lead: str | None
    members: int
    cadence: str


class CoalitionOut(Schema):
    stakeholders: int
    active: int
    """Stakeholders who are engaged, partners, or accepted an invitation."""
    gaps: int
    predictor_gaps: list[str]
    """Predictors no active stakeholder works on (ids)."""
    backbone: str | None
    advisory_members: int
    advisory_cadence: str
    workgroups: list[WorkgroupOut]


class WorkspacePeerSetOut(Schema):
    id: int
    name: str
    geoids: list[str]


class WorkspaceOut(Schema):
    slug: str
    name: str
    description: str
    version: int
    role: Role
    """Your role in the workspace."""
    url: str
    created_at: datetime
    jurisdictions: list[JurisdictionOut]
    members: list[MemberOut]
    readiness: ReadinessStatusOut | None
    """Null until the first readiness assessment is started."""
    coalition: CoalitionOut
    peer_sets: list[WorkspacePeerSetOut]


class StakeholderOut(Schema):
    id: int
    version: int
    """Send it back with a change or a delete: a stale version is refused with 409."""
    name: str
    kind: str
    organization: str
    sector: str
    sector_label: str
    pillars: list[str]
    predictors: list[str]
    relationship: str
    influence: str
    role: str
    invitation_status: str
    email: str
    phone: str
    notes: str
    active: bool
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


StakeholderPage = page_schema("StakeholderPage", StakeholderOut)


def _one_of(choices: tuple[tuple[str, str], ...]) -> str:
    return "One of: " + ", ".join(vocab.ids(choices))


# The form's rules, declared in the document: the form (the pages' own) still checks every
# value, so the API and the pages refuse the same values with the same messages.
_PHONE = r"^(|\+?[ ().-]*([0-9][ ().-]*){7,15})$"  # planning.stakeholder_csv.validate_phone
_CATALOG = get_catalog()


def _choice(choices: tuple[tuple[str, str], ...], required: bool = False) -> Any:
    ids: list[Any] = list(vocab.ids(choices))
    extra = {"enum": ids if required else [*ids, None]}
    return Field(... if required else None, description=_one_of(choices), json_schema_extra=extra)


def _ids(values: list[str], description: str) -> Any:
    return Field(None, description=description, json_schema_extra={"items": {"enum": values}})


class StakeholderFields(Schema):
    """Every editable field of a stakeholder; choices take ids (see docs/workspace.md)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = text_field(200, NOT_BLANK_PATTERN)
    kind: str | None = _choice(vocab.KINDS)
    organization: str | None = text_field(200, description="For a person: where they work")
    sector: str | None = _choice(vocab.SECTORS)
    pillars: list[str] | None = _ids([p.id for p in _CATALOG.pillars], "Pillar ids")
    predictors: list[str] | None = _ids([p.id for p in _CATALOG.predictors], "Predictor ids")
    relationship: str | None = _choice(vocab.RELATIONSHIPS)
    influence: str | None = _choice(vocab.INFLUENCE)
    role: str | None = _choice(vocab.ROLES)
    invitation_status: str | None = _choice(vocab.INVITATION_STATUSES)
    email: str | None = Field(None, json_schema_extra={"format": "email", "maxLength": 254})
    phone: str | None = text_field(40, _PHONE)
    notes: str | None = text_field(2000)


class StakeholderIn(StakeholderFields):
    """A new stakeholder: name and sector are required; the rest take their defaults."""

    name: str = text_field(200, NOT_BLANK_PATTERN, ...)
    sector: str = _choice(vocab.SECTORS, required=True)


class StakeholderPatch(StakeholderFields):
    """A change: the version you read, and only the fields to change."""

    version: int = Field(ge=1, le=MAX_VERSION)


ConflictOut = conflict_schema(
    "ConflictOut",
    StakeholderOut,
    "409: the record changed since the version sent, or the name is taken.",
)


class StepOut(Schema):
    id: str
    text: str
    done: bool
    note: str


class ConditionOut(Schema):
    id: str
    number: int
    title: str
    met: bool
    answered: bool
    """Someone has saved this condition, or a step of it is done."""
    steps_done: int
    steps_total: int
    to_address: str
    steps: list[StepOut]


class TaskOut(Schema):
    id: int
    version: int
    condition_id: str
    step_id: str
    step: str
    owner: str | None
    due_date: date | None
    status: str


class AssessmentOut(Schema):
    number: int
    title: str
    version: int
    created_at: datetime
    created_by: str | None


class ReadinessResultOut(ReadinessVerdictOut):
    steps_done: int
    steps_total: int
    conditions: list[ConditionOut]


class RuleBandOut(Schema):
    recommendation: Recommendation
    label: str
    met_range: str
    meaning: str


class ReadinessRuleOut(Schema):
    condition_rule: str
    bands: list[RuleBandOut]


class ReadinessOut(Schema):
    assessments: int
    """How many assessments the workspace has kept."""
    assessment: AssessmentOut | None
    result: ReadinessResultOut | None
    tasks: list[TaskOut]
    """The preparedness plan of the latest assessment."""
    rule: ReadinessRuleOut


class CoverageCellOut(Schema):
    sector: str
    active: int
    prospects: int


class CoverageRowOut(Schema):
    pillar_id: str
    pillar_label: str
    active: int
    prospects: int
    active_sectors: int
    cells: list[CoverageCellOut]


class SectorOut(Schema):
    id: str
    label: str
    active: int


class PredictorCoverageOut(Schema):
    predictor_id: str
    label: str
    pillar_id: str
    active: list[str]
    prospects: list[str]
    gap: bool


class CoverageGapOut(Schema):
    kind: Literal["predictor", "pillar", "narrow_pillar", "sector"]
    id: str
    label: str
    message: str


class StakeholderCoverageOut(Schema):
    sectors: list[SectorOut]
    matrix: list[CoverageRowOut]
    """One row per pillar, one cell per sector (in the order of ``sectors``)."""
    predictors: list[PredictorCoverageOut]
    gaps: list[CoverageGapOut]


class ActivityOut(Schema):
    id: int
    at: datetime
    actor: str
    verb: str
    target: str
    detail: str


ActivityPage = page_schema("ActivityPage", ActivityOut)
