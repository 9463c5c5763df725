"""API: a workspace's measurement plan: measures of the logic model's elements (list,
read, add, change, delete), baselines pinned to a loaded release (list, read, pin, delete)
and targets (list, read, set, change, delete).

Changes are validated by the pages' own forms (``measurement.forms_measures``), so the API
and the pages refuse the same values with the same messages: an element, a local series,
a member or a stakeholder of another workspace; a Mobility Metrics measure the place does
not publish; a release that is not loaded (422, naming the field). A baseline's value,
95% CI, quality and year are read from the release, and a target's value, minimum
detectable change and words are computed from the baseline: neither is sent. A target
inside the noise is confirmed by an owner on the target's page. A change or a delete
carries the version read; a stale version gets 409 with the record as saved now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from upward.planning import measure as vocab
from upward.planning.strategy import SYSTEMS_CONDITIONS
from upward.web.api.paging import page_schema
from upward.web.api.params import MAX_VERSION
from upward.web.api.records import RecordRoutes, Refusal, Words, sent
from upward.web.api.workspace_auth import WorkspaceMember
from upward.web.api.workspace_schemas import conflict_schema
from upward.web.measurement.forms_measures import (
    BaselineRecordForm,
    MeasureForm,
    TargetRecordForm,
    milestones_text,
)
from upward.web.measurement.models import Baseline, Measure, Target
from upward.web.workspace.models import Workspace

router = Router(tags=["workspaces"], auth=WorkspaceMember())

_TEXT = r"^[^\x00]*$"
_NAME = r"^[^\x00]*[^\s\x00][^\x00]*$"
KINDS = [k for k, _label in vocab.MEASURE_KINDS]
ASPECTS = [a for a, _label in vocab.PERFORMANCE_ASPECTS]
FREQUENCIES = [f for f, _label in vocab.FREQUENCIES]
CONDITIONS = [c for c, _label in SYSTEMS_CONDITIONS]
METHODS = [m for m, _label in vocab.TARGET_METHODS]
SCOPES = [s for s, _label in vocab.BENCHMARK_SCOPES]
KIND_LABELS = dict(vocab.MEASURE_KINDS)


def _text(max_length: int) -> Any:
    return Field(None, json_schema_extra={"maxLength": max_length, "pattern": _TEXT})


def _choice(ids: list[str]) -> Any:
    return Field(None, json_schema_extra={"enum": [*ids, "", None]})


# --- measures ------------------------------------------------------------------------------


class MilestoneIO(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(json_schema_extra={"maxLength": 300, "pattern": _NAME})
    evidence: str | None = _text(600)


class MeasureOut(Schema):
    id: int
    version: int
    """Send it back with a change or a delete: a stale version is refused with 409."""
    element: int
    kind: str
    """population, performance or systems_change."""
    kind_label: str
    title: str
    description: str
    geoid: str
    variable: str
    breakdown: str
    subgroup: str
    versus: str
    local_series: int | None
    aspect: str
    """how_much, how_well or better_off (a performance measure)."""
    condition: str
    milestones: list[MilestoneIO]
    data_source: str
    frequency: str
    responsible_member: int | None
    """A user id of a member of this workspace."""
    responsible_stakeholder: int | None
    baseline: int | None
    target: int | None
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


MeasurePage = page_schema("MeasurePage", MeasureOut)


class MeasureIn(Schema):
    """A new measure: the element, the kind and a title are required; the fields of the
    other kinds are ignored."""

    model_config = ConfigDict(extra="forbid")

    element: int = Field(ge=1, le=2**31 - 1)
    kind: str = Field(json_schema_extra={"enum": KINDS})
    title: str = Field(json_schema_extra={"maxLength": 200, "pattern": _NAME})
    description: str | None = _text(4000)
    geoid: str | None = Field(None, json_schema_extra={"pattern": r"^(\d{5}|\d{7})?$"})
    variable: str | None = _text(80)
    breakdown: str | None = _text(40)
    subgroup: str | None = _text(80)
    versus: str | None = _text(80)
    local_series: int | None = Field(None, ge=1, le=2**31 - 1)
    aspect: str | None = _choice(ASPECTS)
    condition: str | None = _choice(CONDITIONS)
    milestones: list[MilestoneIO] | None = Field(None, max_length=40)
    data_source: str | None = _text(300)
    frequency: str | None = _choice(FREQUENCIES)
    responsible_member: int | None = Field(None, ge=1, le=2**31 - 1)
    responsible_stakeholder: int | None = Field(None, ge=1, le=2**31 - 1)


class MeasurePatch(MeasureIn):
    """The version you read and the fields to change."""

    version: int = Field(ge=1, le=MAX_VERSION)
    element: int | None = Field(None, ge=1, le=2**31 - 1)  # type: ignore[assignment]
    kind: str | None = Field(None, json_schema_extra={"enum": KINDS})  # type: ignore[assignment]
    title: str | None = Field(None, json_schema_extra={"maxLength": 200, "pattern": _NAME})  # type: ignore[assignment]


MeasureConflictOut = conflict_schema("MeasureConflictOut", MeasureOut)
SAVED_FIELDS = (
    "kind", "title", "description", "geoid", "variable", "breakdown", "subgroup", "versus",
    "aspect", "condition", "data_source", "frequency",
)  # fmt: skip


def measure_out(request: HttpRequest, m: Measure) -> dict[str, Any]:
    return {
        "id": m.pk, "version": m.version, "element": m.element_id, "kind": m.kind,
        "kind_label": KIND_LABELS.get(m.kind, m.kind),
        **{name: getattr(m, name) for name in SAVED_FIELDS if name != "kind"},
        "local_series": m.local_series_id,
        "milestones": [{"text": x.get("text", ""), "evidence": x.get("evidence", "")}
                       for x in m.milestones or []],
        "responsible_member": m.responsible_member_id,
        "responsible_stakeholder": m.responsible_stakeholder_id,
        "baseline": Baseline.objects.filter(measure=m).values_list("pk", flat=True).first(),
        "target": Target.objects.filter(measure=m).values_list("pk", flat=True).first(),
        "created_at": m.created_at, "updated_at": m.updated_at,
        "updated_by": m.updated_by.get_username() if m.updated_by else None,
    }  # fmt: skip


def measure_form(workspace: Workspace, instance: Measure, body: Any) -> MeasureForm:
    """The page's form: a new measure from the body; a change over the saved values."""
    data: dict[str, Any] = {}
    if instance.pk is not None:
        data = {name: getattr(instance, name) for name in SAVED_FIELDS}
        data.update(
            element=instance.element_id, local_series=instance.local_series_id or "",
            responsible_member=instance.responsible_member_id or "",
            responsible_stakeholder=instance.responsible_stakeholder_id or "",
            milestones=instance.milestones or [],
        )  # fmt: skip
    data.update(sent(body))
    data["milestones_text"] = milestones_text(data.pop("milestones", None) or [])
    return MeasureForm(data, instance=instance, workspace=workspace)


measures = RecordRoutes(
    router, __name__, Measure, "/measures", "measure_id", "measure",
    Words("measure", saved_by=True), measure_out, MeasureOut, MeasureConflictOut,
    form=measure_form, refusal=Refusal(422),
)  # fmt: skip


@measures.listing("The measurement plan's measures, by element", MeasurePage, limit=200)
def list_measures(
    workspace: Workspace,
    element: int | None = Query(None, ge=1, le=2**31 - 1, description="One element's measures"),
) -> QuerySet[Measure]:
    rows = Measure.objects.filter(workspace=workspace).select_related("updated_by")
    if element is not None:
        rows = rows.filter(element_id=element)
    return rows.order_by("element_id", "pk")


measures.create("Add a measure of a logic-model element (editor or owner)", MeasureIn)
measures.get("One measure, with the version to send back with a change")
measures.update("Change a measure: send the version you read and the fields to change",
                MeasurePatch)  # fmt: skip
measures.delete("Delete a measure, its baseline and its target: send the version read")


# --- baselines -----------------------------------------------------------------------------


class BaselineOut(Schema):
    id: int
    version: int
    measure: int
    geoid: str
    variable: str
    breakdown: str
    subgroup: str
    versus: str
    year: int
    value: float
    lb: float | None
    ub: float | None
    """The 95% confidence interval (null where Urban publishes none)."""
    quality: str
    """Strong, Marginal or Weak ("" when not rated)."""
    text: str
    release: str
    release_checksum: str
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


BaselinePage = page_schema("BaselinePage", BaselineOut)


class BaselineIn(Schema):
    """Pin a population indicator's baseline from a loaded release (empty: the current)."""

    model_config = ConfigDict(extra="forbid")

    measure: int = Field(ge=1, le=2**31 - 1)
    release: str | None = Field(None, json_schema_extra={"maxLength": 40, "pattern": _TEXT})


BaselineConflictOut = conflict_schema("BaselineConflictOut", BaselineOut)
BASELINE_FIELDS = ("geoid", "variable", "breakdown", "subgroup", "versus", "year", "value",
                   "lb", "ub", "quality", "text", "release", "release_checksum")  # fmt: skip


def baseline_out(request: HttpRequest, b: Baseline) -> dict[str, Any]:
    return {
        "id": b.pk, "version": b.version, "measure": b.measure_id,
        **{name: getattr(b, name) for name in BASELINE_FIELDS},
        "created_at": b.created_at, "updated_at": b.updated_at,
        "updated_by": b.updated_by.get_username() if b.updated_by else None,
    }  # fmt: skip


def baseline_form(workspace: Workspace, instance: Baseline, body: Any) -> BaselineRecordForm:
    return BaselineRecordForm(sent(body), instance=instance, workspace=workspace)


baselines = RecordRoutes(
    router, __name__, Baseline, "/baselines", "baseline_id", "baseline",
    Words("baseline"), baseline_out, BaselineOut, BaselineConflictOut,
    form=baseline_form, refusal=Refusal(422),
)  # fmt: skip


@baselines.listing("The measurement plan's baselines, with their releases", BaselinePage,
                   limit=200)  # fmt: skip
def list_baselines(workspace: Workspace) -> QuerySet[Baseline]:
    return (
        Baseline.objects.filter(workspace=workspace)
        .select_related("updated_by")
        .order_by("measure_id", "pk")
    )


baselines.create("Pin a measure's baseline from a loaded release (editor or owner)", BaselineIn)
baselines.get("One baseline: the value with its year, 95% CI, quality and release")
baselines.delete("Delete a baseline (its target stays): send the version read")


# --- targets -------------------------------------------------------------------------------


class MeasureTargetOut(Schema):
    id: int
    version: int
    measure: int
    method: str
    parameters: dict[str, Any]
    value: float
    mdc: float | None
    """The baseline's minimum detectable change (null: no 95% test is possible)."""
    inside_noise: bool
    confirmed: bool
    """An owner confirmed the target although it lies inside the noise."""
    words: str
    unit_note: str
    baseline_release: str
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


MeasureTargetPage = page_schema("MeasureTargetPage", MeasureTargetOut)


class TargetParams(Schema):
    """A target's method and its parameters: percent (``percent``), benchmark
    (``benchmark``: peers, state or nation), gap (``share`` in percent, ``other_group``),
    detectable, or value (``value``, in the measure's unit)."""

    model_config = ConfigDict(extra="forbid")

    method: str = Field(json_schema_extra={"enum": METHODS})
    percent: float | None = None
    benchmark: str | None = _choice(SCOPES)
    other_group: str | None = _text(80)
    share: float | None = None
    value: float | None = None


class MeasureTargetIn(TargetParams):
    """A new target of a measure with a baseline, by one method."""

    measure: int = Field(ge=1, le=2**31 - 1)


class MeasureTargetPatch(TargetParams):
    """The version you read, the method and its parameters (the measure stays)."""

    version: int = Field(ge=1, le=MAX_VERSION)


MeasureTargetConflictOut = conflict_schema("MeasureTargetConflictOut", MeasureTargetOut)


def target_out(request: HttpRequest, t: Target) -> dict[str, Any]:
    return {
        "id": t.pk, "version": t.version, "measure": t.measure_id, "method": t.method,
        "parameters": dict(t.parameters or {}), "value": t.value, "mdc": t.mdc,
        "inside_noise": t.inside_noise, "confirmed": t.confirmed_at is not None,
        "words": t.words, "unit_note": t.unit_note, "baseline_release": t.baseline_release,
        "created_at": t.created_at, "updated_at": t.updated_at,
        "updated_by": t.updated_by.get_username() if t.updated_by else None,
    }  # fmt: skip


def target_form(workspace: Workspace, instance: Target, body: Any) -> TargetRecordForm:
    data = sent(body)
    if instance.pk is not None:
        data["measure"] = instance.measure_id
    data = {k: v for k, v in data.items() if k != "version"}
    return TargetRecordForm(data, instance=instance, workspace=workspace)


targets = RecordRoutes(
    router, __name__, Target, "/targets", "target_id", "target",
    Words("target", saved_by=True), target_out, MeasureTargetOut, MeasureTargetConflictOut,
    form=target_form, refusal=Refusal(422),
)  # fmt: skip


@targets.listing("The measurement plan's targets, with their detectability", MeasureTargetPage,
                 limit=200)  # fmt: skip
def list_targets(workspace: Workspace) -> QuerySet[Target]:
    return (
        Target.objects.filter(workspace=workspace)
        .select_related("updated_by")
        .order_by("measure_id", "pk")
    )


targets.create("Set a measure's target from its baseline (editor or owner)", MeasureTargetIn)
targets.get("One target, with its minimum detectable change")
targets.update("Change a target's method or parameters: send the version you read",
               MeasureTargetPatch)  # fmt: skip
targets.delete("Delete a target: send the version read")
