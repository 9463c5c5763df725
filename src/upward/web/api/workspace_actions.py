"""API: a workspace's actions and milestones (list with filters, read, add, replace,
delete), the sustainability plans and funding sources of its strategies, and its
continuous-learning plan (one per workspace: read it, and write it with the version read,
0 for the first).

Changes are validated by the pages' own forms: the strategy, the owner and the responsible
actors must be this workspace's (another workspace's id is refused, 422, naming the
field); an action has exactly one owner (``owner_member`` or ``owner_stakeholder``), a due
date on or after its start and a percent complete from 0 to 100. A replacement (PUT) or a
delete carries the version read; a stale version gets 409 with the record as saved now.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from upward.planning import action as vocab
from upward.web.api.params import (
    CENTS,
    MAX_ID,
    MAX_VERSION,
    NOT_BLANK_PATTERN,
    dollars,
    text_field,
)
from upward.web.api.records import (
    THROUGH_API,
    FieldProblems,
    Fields,
    RecordRoutes,
    Refusal,
    Refused,
    Words,
    answer_problems,
    body_schema,
    conflict_answer,
    form_fields,
    page_form,
    read_body,
    sent,
    user_name,
)
from upward.web.api.workspace_auth import BODY_ERRORS, READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import (
    Body,
    FieldErrorOut,
    conflict_schema,
    record_schemas,
)
from upward.web.measurement import action_store as store
from upward.web.measurement.forms_actions import MEMBER, STAKEHOLDER, ActionForm, owner_value
from upward.web.measurement.forms_sustainability import (
    MAX_QUESTIONS,
    FundingSourceForm,
    LearningPlanForm,
    SustainabilityForm,
)
from upward.web.measurement.models import Action, FundingSource, LearningPlan, Sustainability
from upward.web.workspace.activity import record
from upward.web.workspace.models import CADENCE_CHOICES, Workspace
from upward.web.workspace.versioning import StaleVersion, save_versioned
from upward.web.workspace.views.common import add_record, record_label

router = Router(tags=["workspaces"], auth=WorkspaceMember())

_LINE = r"^[^\x00\r\n]*[^\s\x00][^\x00\r\n]*$"
ActionStatus = Literal[tuple(s for s, _ in vocab.STATUSES)]  # type: ignore[valid-type]
Flag = Literal["overdue", "stale"]


# --- actions ---------------------------------------------------------------------------


class OwnerOut(Schema):
    kind: str
    """member or stakeholder"""
    id: int
    name: str


class ActionOut(Schema):
    id: int
    version: int
    """Send it back with a replacement or a delete: a stale version is refused with 409."""
    strategy: int
    title: str
    kind: str
    """action or milestone"""
    owner: OwnerOut | None
    """Null only when the owner was removed from the workspace since."""
    start_date: date | None
    due_date: date | None
    status: str
    """not_started, in_progress, blocked, done or dropped"""
    percent: int
    notes: str
    overdue: bool
    """The due date has passed and the item is neither done nor dropped."""
    stale: bool
    """Open and not saved for 30 days or more."""
    due_soon: bool
    """Open and due within 7 days."""
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


ActionPage, ActionConflictOut = record_schemas("Action", ActionOut)


class ActionIn(Body):
    """A new action: strategy, title and one owner are required."""

    strategy: int = Field(ge=1, le=MAX_ID)
    title: str = text_field(200, NOT_BLANK_PATTERN, ...)
    kind: str | None = Field(None, json_schema_extra={"enum": [k for k, _ in vocab.KINDS]})
    owner_member: int | None = Field(None, description="A member's user id", ge=1, le=MAX_ID)
    owner_stakeholder: int | None = Field(None, description="A stakeholder id", ge=1, le=MAX_ID)
    start_date: date | None = None
    due_date: date | None = None
    status: str | None = Field(None, json_schema_extra={"enum": [s for s, _ in vocab.STATUSES]})
    percent: int | None = Field(None, ge=0, le=100)
    notes: str | None = text_field(4000)


class ActionPut(ActionIn):
    """The whole record as it should be, with the version you read."""

    version: int = Field(ge=1, le=MAX_VERSION)


def action_out(request: HttpRequest, a: Action) -> dict[str, Any]:
    flags = store.flags_of(a, store.today())
    owner = None
    if a.owner_member_id:
        owner = {"kind": MEMBER, "id": a.owner_member_id, "name": a.owner_name}
    elif a.owner_stakeholder_id:
        owner = {"kind": STAKEHOLDER, "id": a.owner_stakeholder_id, "name": a.owner_name}
    return {
        "id": a.pk, "version": a.version, "strategy": a.strategy_id, "title": a.title,
        "kind": a.kind, "owner": owner, "start_date": a.start_date, "due_date": a.due_date,
        "status": a.status, "percent": a.percent, "notes": a.notes,
        "overdue": flags.overdue, "stale": flags.stale, "due_soon": flags.due_soon,
        "created_at": a.created_at, "updated_at": a.updated_at,
        "updated_by": user_name(a.updated_by),
    }  # fmt: skip


def action_form(workspace: Workspace, instance: Action, body: Any) -> ActionForm:
    data = sent(body)
    member, stakeholder = data.pop("owner_member", None), data.pop("owner_stakeholder", None)
    if member and stakeholder:
        raise Refused({"owner_member": ["Give one owner: a member or a stakeholder, not both."]})
    form_data = {
        "kind": "action", "status": "not_started", "percent": 0, **data,
        "owner": owner_value(MEMBER, member) or owner_value(STAKEHOLDER, stakeholder),
    }  # fmt: skip
    form = ActionForm(form_data, instance=instance, workspace=workspace)
    form.owner_sent = "owner_stakeholder" if stakeholder else "owner_member"  # type: ignore[attr-defined]
    return form


def action_errors(form: Any) -> Fields:
    """The form's messages, its ``owner`` named as the body's field that was sent."""
    fields = form_fields(form)
    if "owner" in fields:
        fields[getattr(form, "owner_sent", "owner_member")] = fields.pop("owner")
    return fields


actions = RecordRoutes(
    router, __name__, Action, "/actions", "action_id", "action", Words("action"), action_out,
    ActionOut, ActionConflictOut, form=action_form, errors=action_errors, refusal=Refusal(422),
)  # fmt: skip


@actions.listing("Actions and milestones, soonest due first", ActionPage, limit=100)
def list_actions(
    workspace: Workspace,
    status: ActionStatus | None = None,  # type: ignore[valid-type]
    strategy: int | None = Query(None, description="A strategy id", ge=1, le=MAX_ID),
    flag: Flag | None = Query(None, description="overdue or stale items only"),  # noqa: B008
) -> QuerySet[Action]:
    data = {"status": status, "strategy": strategy, "flag": flag}
    rows = store.filtered(store.actions_of(workspace), data, store.today())
    return rows.select_related("updated_by").order_by("due_date", "pk")


actions.create("Add an action or milestone (editor or owner)", ActionIn)
actions.get("One action, with its flags and the version to send back with a change")
actions.replace("Replace an action: send the whole record and the version you read", ActionPut)
actions.delete("Delete an action: send the version read")


# --- sustainability plans --------------------------------------------------------------


class SustainabilityOut(Schema):
    id: int
    version: int
    strategy: int
    responsible: list[int]
    """Stakeholder ids of this workspace."""
    resources: str
    notes: str
    updated_at: datetime
    updated_by: str | None


SustainabilityPage, SustainabilityConflictOut = record_schemas("Sustainability", SustainabilityOut)


class SustainabilityIn(Body):
    """A strategy's sustainability plan (one per strategy)."""

    strategy: int = Field(ge=1, le=MAX_ID)
    responsible: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(None, max_length=500)
    resources: str | None = text_field(4000)
    notes: str | None = text_field(4000)


class SustainabilityPut(SustainabilityIn):
    version: int = Field(ge=1, le=MAX_VERSION)


def sustainability_out(request: HttpRequest, s: Sustainability) -> dict[str, Any]:
    return {
        "id": s.pk, "version": s.version, "strategy": s.strategy_id,
        "responsible": sorted(p.pk for p in s.responsible.all()), "resources": s.resources,
        "notes": s.notes, "updated_at": s.updated_at, "updated_by": user_name(s.updated_by),
    }  # fmt: skip


def sustainability_form(workspace: Workspace, instance: Sustainability, body: Any) -> Any:
    data = sent(body)
    data["responsible"] = data.get("responsible", [])
    return SustainabilityForm(data, instance=instance, workspace=workspace)


plans = RecordRoutes(
    router, __name__, Sustainability, "/sustainability-plans", "plan_id", "sustainability_plan",
    Words("sustainability plan"), sustainability_out, SustainabilityOut,
    SustainabilityConflictOut, form=sustainability_form, refusal=Refusal(422),
)  # fmt: skip


@plans.listing("The strategies' sustainability plans", SustainabilityPage, limit=100)
def list_sustainability_plans(workspace: Workspace) -> QuerySet[Sustainability]:
    rows = plans.rows(workspace)
    return rows.prefetch_related("responsible").order_by("strategy_id", "pk")


plans.create("Add a strategy's sustainability plan (one per strategy)", SustainabilityIn)
plans.get("One sustainability plan")
plans.replace("Replace a sustainability plan with the version you read", SustainabilityPut)
plans.delete("Delete a sustainability plan: send the version read")


# --- funding sources -------------------------------------------------------------------


class FundingOut(Schema):
    id: int
    version: int
    strategy: int
    name: str
    amount: Decimal | None
    """Dollars, as a decimal string; null when not given."""
    status: str
    """secured, pending or prospect"""
    notes: str
    updated_at: datetime
    updated_by: str | None


FundingPage, FundingConflictOut = record_schemas("Funding", FundingOut)


FundingAmount = dollars(FundingSource, "amount")


class FundingIn(Body):
    strategy: int = Field(ge=1, le=MAX_ID)
    name: str = text_field(200, NOT_BLANK_PATTERN, ...)
    amount: FundingAmount | None = Field(None, description=CENTS)
    status: str | None = Field(
        None, json_schema_extra={"enum": [s for s, _ in vocab.FUNDING_STATUSES]}
    )
    notes: str | None = text_field(2000)


class FundingPut(FundingIn):
    version: int = Field(ge=1, le=MAX_VERSION)


def funding_out(request: HttpRequest, f: FundingSource) -> dict[str, Any]:
    return {
        "id": f.pk, "version": f.version, "strategy": f.strategy_id, "name": f.name,
        "amount": f.amount, "status": f.status, "notes": f.notes, "updated_at": f.updated_at,
        "updated_by": user_name(f.updated_by),
    }  # fmt: skip


funding = RecordRoutes(
    router, __name__, FundingSource, "/funding-sources", "funding_id", "funding_source",
    Words("funding source"), funding_out, FundingOut, FundingConflictOut,
    form=page_form(FundingSourceForm, status="prospect"), refusal=Refusal(422),
)  # fmt: skip


@funding.listing("The strategies' funding sources", FundingPage, limit=100)
def list_funding_sources(
    workspace: Workspace,
    strategy: int | None = Query(None, description="A strategy id", ge=1, le=MAX_ID),
) -> QuerySet[FundingSource]:
    rows = funding.rows(workspace)
    if strategy:
        rows = rows.filter(strategy_id=strategy)
    return rows.order_by("strategy_id", "name", "pk")


funding.create("Add a funding source to a strategy", FundingIn)
funding.get("One funding source")
funding.replace("Replace a funding source with the version you read", FundingPut)
funding.delete("Delete a funding source: send the version read")


# --- the continuous-learning plan (one per workspace) ---------------------------------------------


class LearningPlanOut(Schema):
    version: int
    """0 while no plan is saved; send it back with a change (0 writes the first plan)."""
    cadence: str
    """weekly, biweekly, monthly, quarterly or as_needed: how often progress is reviewed"""
    questions: list[str]
    revisit_on: date | None
    revisit_trigger: str
    notes: str
    updated_at: datetime | None
    updated_by: str | None


LearningPlanConflictOut = conflict_schema("LearningPlanConflictOut", LearningPlanOut)


class LearningPlanPut(Body):
    """The whole plan as it should be, with the version you read (0: none yet)."""

    version: int = Field(ge=0, le=MAX_VERSION)
    cadence: str | None = Field(None, json_schema_extra={"enum": [c for c, _ in CADENCE_CHOICES]})
    questions: list[str] | None = Field(
        None, max_length=MAX_QUESTIONS,
        json_schema_extra={"items": {"type": "string", "maxLength": 500, "pattern": _LINE}},
    )  # fmt: skip
    revisit_on: date | None = None
    revisit_trigger: str | None = text_field(2000)
    notes: str | None = text_field(4000)


ONE_LINE = "Write each question on one line."
LEARNING = Words("learning plan", stale="learning plan", shown="learning plan")


def learning_out(plan: LearningPlan | None) -> dict[str, Any]:
    p = plan or LearningPlan()
    return {
        "version": p.version if plan else 0, "cadence": p.cadence,
        "questions": list(p.questions), "revisit_on": p.revisit_on,
        "revisit_trigger": p.revisit_trigger, "notes": p.notes,
        "updated_at": p.updated_at if plan else None, "updated_by": user_name(p.updated_by),
    }  # fmt: skip


def _learning_form(workspace: Workspace, plan: LearningPlan | None, body: Any) -> Any:
    data = sent(body)
    questions = data.pop("questions", [])
    form_data = {"cadence": "quarterly", **data, "questions_text": "\n".join(questions)}
    form_data["version"] = max(1, body.version)  # the page form's version is 1 or more
    return LearningPlanForm(form_data, instance=plan or LearningPlan(), workspace=workspace)


@router.get(
    W + "/learning-plan",
    response={200: LearningPlanOut, **READ_ERRORS},
    summary="The continuous-learning plan (version 0 while none is saved)",
)
def get_learning_plan(request: HttpRequest, slug: str) -> dict[str, Any]:
    return learning_out(LearningPlan.objects.filter(workspace=workspace_of(request)).first())


@router.put(
    W + "/learning-plan",
    response={
        200: LearningPlanOut,
        **BODY_ERRORS,
        400: FieldErrorOut,
        409: LearningPlanConflictOut,
    },
    summary="Write or replace the continuous-learning plan: send the version you read",
    openapi_extra=body_schema(LearningPlanPut),
)
@answer_problems("Invalid learning plan")
def put_learning_plan(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    plan = LearningPlan.objects.filter(workspace=workspace).first()
    body = read_body(request, LearningPlanPut, LEARNING.not_a_field)
    if any("\n" in q or "\r" in q for q in body.questions or []):
        raise FieldProblems({"questions": [ONE_LINE]})
    if (plan.version if plan else 0) != body.version:
        return _learning_conflict(workspace, body.version)
    form = _learning_form(workspace, plan, body)
    if not form.is_valid():
        fields = form_fields(form)
        if "questions_text" in fields:
            fields["questions"] = fields.pop("questions_text")
        raise FieldProblems(fields)
    try:
        with transaction.atomic():
            if plan is None:
                obj = add_record(form, workspace, request.user, THROUGH_API)
            else:
                obj = save_versioned(form, body.version, request.user)
                record(workspace, request.user, "edited", record_label(obj), THROUGH_API)
    except (StaleVersion, IntegrityError):  # saved by someone else meanwhile
        return _learning_conflict(workspace, body.version)
    return Status(200, learning_out(LearningPlan.objects.get(pk=obj.pk)))


def _learning_conflict(workspace: Workspace, sent_version: int) -> Status[Any]:
    current = LearningPlan.objects.filter(workspace=workspace).first()
    message = (
        LEARNING.changed(current, sent_version)
        if current is not None
        else f"Not saved: no learning plan is saved, so send version 0, not {sent_version}."
    )
    return conflict_answer(message, learning_out(current))
