"""API: a workspace's measurement plan: measures of the logic model's elements (list,
read, add, change, delete), baselines pinned to a loaded release (list, read, pin for a
year, delete; a measure's revision status in another loaded release, and the coalition's
decision to keep or re-base a revised one) and targets (list, read, set, change, delete;
an owner's confirmation of one inside the noise).

Changes are validated by the pages' own forms (``measurement.forms_measures``), so the API
and the pages refuse the same values with the same messages: an element, a local series,
a member or a stakeholder of another workspace; a Mobility Metrics measure the place does
not publish; a release that is not loaded (422, naming the field). A baseline's value,
95% CI, quality and year are read from the release, and a target's value, minimum
detectable change and words are computed from the baseline: neither is sent. A target
inside the noise is confirmed by an owner (on its page, or with ``confirmation``). A
change, a delete, a decision or a confirmation carries the version read; a stale version
gets 409 with the record as saved now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from upward.explore.library import RELEASE_NAME
from upward.planning import measure as vocab
from upward.planning.strategy import SYSTEMS_CONDITIONS
from upward.web.api.errors import ApiError
from upward.web.api.params import MAX_VERSION, record_id_param
from upward.web.api.records import RecordRoutes, Refusal, Refused, Words, page_form, sent, user_name
from upward.web.api.workspace_auth import READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import Body, record_schemas
from upward.web.measurement import baseline_store, target_store
from upward.web.measurement.forms_measures import (
    MAX_YEAR,
    MIN_YEAR,
    BaselineRecordForm,
    MeasureForm,
    TargetRecordForm,
    milestones_text,
)
from upward.web.measurement.models import Baseline, BaselineDecision, Measure, Target
from upward.web.workspace.models import Role, Workspace

router = Router(tags=["workspaces"], auth=WorkspaceMember())

_TEXT = r"^[^\x00]*$"
_NAME = r"^[^\x00]*[^\s\x00][^\x00]*$"
KINDS = [k for k, _label in vocab.MEASURE_KINDS]
ASPECTS = [a for a, _label in vocab.PERFORMANCE_ASPECTS]
FREQUENCIES = [f for f, _label in vocab.FREQUENCIES]
CONDITIONS = [c for c, _label in SYSTEMS_CONDITIONS]
METHODS = [m for m, _label in vocab.TARGET_METHODS]
SCOPES = [s for s, _label in vocab.BENCHMARK_SCOPES]
DECISIONS = [d for d, _label in vocab.BASELINE_DECISIONS]
KIND_LABELS = dict(vocab.MEASURE_KINDS)


def _text(max_length: int) -> Any:
    return Field(None, json_schema_extra={"maxLength": max_length, "pattern": _TEXT})


def _choice(ids: list[str]) -> Any:
    return Field(None, json_schema_extra={"enum": [*ids, "", None]})


# --- measures ------------------------------------------------------------------------------


class MilestoneIO(Body):
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


class MeasureIn(Body):
    """A new measure: the element, the kind and a title are required; the fields of the
    other kinds are ignored."""

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


MeasurePage, MeasureConflictOut = record_schemas("Measure", MeasureOut)
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
        "updated_by": user_name(m.updated_by),
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
    rows = measures.rows(workspace)
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


class BaselineIn(Body):
    """Pin a population indicator's baseline from a loaded release (empty: the current),
    for one year (empty: the latest it publishes)."""

    measure: int = Field(ge=1, le=2**31 - 1)
    release: str | None = Field(None, json_schema_extra={"maxLength": 40, "pattern": _TEXT})
    year: int | None = Field(
        None, ge=MIN_YEAR, le=MAX_YEAR,
        description="The year of the cell (default: the latest the release publishes); a "
        "year it does not publish is refused, naming the years it does",
    )  # fmt: skip


BaselinePage, BaselineConflictOut = record_schemas("Baseline", BaselineOut)
BASELINE_FIELDS = ("geoid", "variable", "breakdown", "subgroup", "versus", "year", "value",
                   "lb", "ub", "quality", "text", "release", "release_checksum")  # fmt: skip


def baseline_out(request: HttpRequest, b: Baseline) -> dict[str, Any]:
    return {
        "id": b.pk, "version": b.version, "measure": b.measure_id,
        **{name: getattr(b, name) for name in BASELINE_FIELDS},
        "created_at": b.created_at, "updated_at": b.updated_at,
        "updated_by": user_name(b.updated_by),
    }  # fmt: skip


baselines = RecordRoutes(
    router, __name__, Baseline, "/baselines", "baseline_id", "baseline",
    Words("baseline"), baseline_out, BaselineOut, BaselineConflictOut,
    form=page_form(BaselineRecordForm), refusal=Refusal(422),
)  # fmt: skip


baselines.ordered("list_baselines", "The measurement plan's baselines, with their releases",
                  BaselinePage, "measure_id", "pk", limit=200)  # fmt: skip

baselines.create("Pin a measure's baseline from a loaded release (editor or owner)", BaselineIn)
baselines.get("One baseline: the value with its year, 95% CI, quality and release")
baselines.delete("Delete a baseline (its target stays): send the version read")


# --- revised baselines: the status against a release, and the coalition's decision ------


class CellOut(Schema):
    """A cell of one release: its year, value, 95% CI, quality and the words the page uses."""

    year: int
    value: float
    lb: float | None
    ub: float | None
    quality: str
    text: str
    release: str


class BaselineDecisionOut(Schema):
    id: int
    baseline: int
    decision: str
    """keep (the baseline as pinned) or rebase (on the later release's cell)."""
    release: str
    """The later release compared."""
    release_checksum: str
    pinned: CellOut
    """The baseline as it was pinned when the coalition decided."""
    revised: CellOut
    """The same cell in the later release."""
    note: str
    decided_by: str | None
    decided_at: datetime


class DecisionMadeOut(Schema):
    decision: BaselineDecisionOut
    baseline: BaselineOut
    """The baseline as saved now (re-based, or kept at a new version)."""


class DecisionIn(Body):
    """The decision about a baseline that a later loaded release revised, with the version
    of the baseline you read."""

    version: int = Field(ge=1, le=MAX_VERSION)
    release: str | None = Field(
        None, description="The later loaded release that revised it (default: the current)",
        json_schema_extra={"maxLength": 40, "pattern": _TEXT},
    )  # fmt: skip
    decision: str = Field(json_schema_extra={"enum": DECISIONS})
    note: str | None = _text(2000)


class RevisionOut(Schema):
    measure: int
    baseline: int | None
    release: str
    release_checksum: str
    status: str
    """revised, unchanged, same_release, not_published (the release publishes no value of
    the cell in the baseline's year) or no_baseline."""
    words: str
    pinned: CellOut | None
    """The baseline as pinned (null: none)."""
    cell: CellOut | None
    """The same cell (place, variable, group or gap, year) in ``release`` (null: none)."""
    decisions: list[BaselineDecisionOut]
    """The coalition's decisions already recorded about ``release``, newest first."""


def _cell(cell: baseline_store.Cell | None, release: str) -> dict[str, Any] | None:
    return None if cell is None else {**cell.as_dict(), "release": release}


def decision_out(d: BaselineDecision) -> dict[str, Any]:
    return {
        "id": d.pk, "baseline": d.baseline_id, "decision": d.decision, "release": d.release,
        "release_checksum": d.release_checksum, "pinned": d.pinned, "revised": d.revised,
        "note": d.note, "decided_at": d.decided_at,
        "decided_by": user_name(d.decided_by),
    }  # fmt: skip


def _status(found: baseline_store.Revision, pinned: Baseline) -> tuple[str, str]:
    release = found.release
    if found.note == "revised" and found.cell is not None:
        return "revised", (
            f"Release {release} revised this baseline: pinned {pinned.text} (release "
            f"{pinned.release}); {release} publishes {found.cell.text}. Keep it or re-base."
        )
    if found.note == "unchanged":
        return "unchanged", f"Release {release} publishes the same value as the baseline."
    if found.note == "same release":
        return "same_release", f"The baseline was pinned from release {release}."
    return "not_published", f"Release {release} publishes no value of this cell in {pinned.year}."


@router.get(
    W + "/measures/{measure_id}/revision",
    response={200: RevisionOut, **READ_ERRORS},
    summary="Whether a loaded release revised a measure's pinned baseline (both values)",
)
def get_measure_revision(
    request: HttpRequest,
    slug: str,
    measure_id: int = record_id_param(),
    release: str | None = Query(
        None,
        max_length=40,
        pattern=f"^{RELEASE_NAME.pattern}$",
        description="A loaded release (default: the current one; see /api/releases): an "
        "unknown name is a 404, a malformed one a 400",
    ),
) -> dict[str, Any]:
    measure = measures.find(workspace_of(request), measure_id)
    try:
        ref = baseline_store.open_release(release or baseline_store.default_release())
    except baseline_store.BaselineRefused as refused:
        raise ApiError(404, "Release not loaded", " ".join(refused.errors.values())) from None
    baseline = Baseline.objects.filter(measure=measure).first()
    out: dict[str, Any] = {
        "measure": measure.pk, "baseline": None, "release": ref.name,
        "release_checksum": ref.checksum, "status": "no_baseline", "pinned": None,
        "cell": None, "decisions": [],
        "words": "This measure has no baseline pinned from a release.",
    }  # fmt: skip
    if baseline is None:
        return out
    found = baseline_store.revision(baseline, ref.name, ref=ref)
    status, words = _status(found, baseline)
    decisions = baseline.decisions.filter(release=ref.name).select_related("decided_by")
    out.update(
        baseline=baseline.pk, status=status, words=words,
        pinned=_cell(baseline_store.cell_of(baseline), baseline.release),
        cell=_cell(found.cell, ref.name), decisions=[decision_out(d) for d in decisions],
    )  # fmt: skip
    return out


def decide(request: HttpRequest, baseline: Baseline, body: DecisionIn) -> dict[str, Any]:
    try:
        made = baseline_store.decide(
            baseline, request.user, body.release or "", body.decision, body.version,
            body.note or "",
        )  # fmt: skip
    except baseline_store.BaselineRefused as refused:
        raise Refused({k: [v] for k, v in refused.errors.items()}) from None
    now = Baseline.objects.select_related("updated_by").get(pk=baseline.pk)
    return {"decision": decision_out(made), "baseline": baseline_out(request, now)}


baselines.act(
    "decide", "decision", "/decisions",
    "Keep or re-base a baseline that a later loaded release revised, with a note: send the "
    "version of the baseline you read", DecisionIn, decide, DecisionMadeOut, 201,
)  # fmt: skip


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


class TargetParams(Body):
    """A target's method and its parameters: percent (``percent``), benchmark
    (``benchmark``: peers, state or nation), gap (``share`` in percent, ``other_group``),
    detectable, or value (``value``, in the measure's unit)."""

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


MeasureTargetPage, MeasureTargetConflictOut = record_schemas("MeasureTarget", MeasureTargetOut)


def target_out(request: HttpRequest, t: Target) -> dict[str, Any]:
    return {
        "id": t.pk, "version": t.version, "measure": t.measure_id, "method": t.method,
        "parameters": dict(t.parameters or {}), "value": t.value, "mdc": t.mdc,
        "inside_noise": t.inside_noise, "confirmed": t.confirmed_at is not None,
        "words": t.words, "unit_note": t.unit_note, "baseline_release": t.baseline_release,
        "created_at": t.created_at, "updated_at": t.updated_at,
        "updated_by": user_name(t.updated_by),
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


targets.ordered("list_targets", "The measurement plan's targets, with their detectability",
                MeasureTargetPage, "measure_id", "pk", limit=200)  # fmt: skip

targets.create("Set a measure's target from its baseline (editor or owner)", MeasureTargetIn)
targets.get("One target, with its minimum detectable change")
targets.update("Change a target's method or parameters: send the version you read",
               MeasureTargetPatch)  # fmt: skip
targets.delete("Delete a target: send the version read")


class TargetConfirmIn(Body):
    """The version of the target you read."""

    version: int = Field(ge=1, le=MAX_VERSION)


def confirm(request: HttpRequest, target: Target, body: TargetConfirmIn) -> dict[str, Any]:
    try:
        done = target_store.confirm(target, request.user, body.version)
    except target_store.NothingToConfirm as refused:
        raise Refused({"__all__": [str(refused)]}) from None
    return target_out(request, done)


targets.act(
    "confirm", "confirmation", "/confirmation",
    "Confirm a target that lies inside the noise (owner): send the version you read",
    TargetConfirmIn, confirm, MeasureTargetOut, role=Role.OWNER,
)  # fmt: skip
