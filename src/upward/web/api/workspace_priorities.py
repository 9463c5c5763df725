"""API: a workspace's priorities (list, read, add, replace, delete, rank) and the
decisions that ranked them (list, read, add, replace, delete).

A new priority is checked as the confirm page checks it (an unknown place or one not of
the workspace, an unknown measure, breakdown or group, a gap between a group and itself,
a duplicate: 422 with a message per field) and carries its evidence as it is now (the
value with its year, CI, quality and release; its tests; the group or gap; the local data
and findings coded to its predictor). A replacement changes the words (title, rationale);
what a priority is about stays. The ranking (PUT ``/priority-ranking``) lists every
priority of the workspace once, first to last, each with the version read: a priority
added, deleted or changed meanwhile gets 409 with the priorities as they are now, in
their ranking (nothing saved). A decision's ``votes`` map a priority id of this workspace
to a whole count from 0.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from upward.planning import strategy as vocab
from upward.web.api.params import MAX_ID, MAX_VERSION, NO_NUL_PATTERN, NOT_BLANK_PATTERN, text_field
from upward.web.api.records import (
    THROUGH_API,
    RecordRoutes,
    Refusal,
    Refused,
    Words,
    answer_problems,
    body_schema,
    conflict_answer,
    page_form,
    read_body,
    sent,
    user_name,
)
from upward.web.api.schemas import ErrorDetail
from upward.web.api.workspace_auth import BODY_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import FieldErrorOut, record_schemas
from upward.web.strategy import priority_store as store
from upward.web.strategy.forms_priorities import DecisionForm, PriorityEditForm
from upward.web.strategy.models import Priority, PriorityDecision
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import StaleVersion

router = Router(tags=["workspaces"], auth=WorkspaceMember())

SOURCE_IDS = [s for s, _label in vocab.PRIORITY_SOURCES]
MAX_RANKED = 10_000
"""The most priorities one ranking lists (far more than a coalition ranks)."""
METHOD_IDS = [m for m, _label in vocab.DECISION_METHODS]


class PriorityOut(Schema):
    id: int
    version: int
    """Send it back with a replacement or a delete: a stale version is refused with 409."""
    rank: int
    """1 is first; 0 not ranked yet."""
    title: str
    rationale: str
    geoid: str
    predictor: str
    metric: str
    variable: str
    breakdown: str
    subgroup: str
    versus: str
    """The gap's second group ("All": the breakdown's total); empty when not a gap."""
    source: str
    source_ref: str
    release: str
    release_checksum: str
    evidence: dict[str, Any]
    """As it was when the priority was added: value (year, text, value, lb, ub, quality),
    comparisons (scope, label, median, verdict, difference: true only when a 95% test
    supports one), group, gap, breakdowns, local (series, series_ids, findings,
    finding_ids, notes), release (name, checksum)."""
    headline: str
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


class PriorityIn(Schema):
    """A new priority: a place of the workspace and a measure (variable), optionally a
    breakdown and group, or the gap between two groups (``versus``)."""

    model_config = ConfigDict(extra="forbid")

    place: str = Field(json_schema_extra={"pattern": r"^(\d{5}|\d{7})$"})
    variable: str = text_field(80, NO_NUL_PATTERN, ...)
    breakdown: str | None = text_field(40)
    subgroup: str | None = text_field(80)
    versus: str | None = text_field(80)
    title: str | None = text_field(200)
    rationale: str | None = text_field(4000)
    source: str | None = Field(None, json_schema_extra={"enum": [*SOURCE_IDS, None]})
    source_ref: str | None = text_field(200)


class PriorityPut(Schema):
    """A priority's words again, with the version you read."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_VERSION)
    title: str = text_field(200, NOT_BLANK_PATTERN, ...)
    rationale: str | None = text_field(4000)


PriorityPage, PriorityConflictOut = record_schemas("Priority", PriorityOut)


def priority_out(request: HttpRequest, p: Priority) -> dict[str, Any]:
    names = ("rank", "title", "rationale", "geoid", "predictor", "metric", "variable",
             "breakdown", "subgroup", "versus", "source", "source_ref", "release",
             "release_checksum", "created_at", "updated_at")  # fmt: skip
    return {
        **{n: getattr(p, n) for n in names},
        "id": p.pk,
        "version": p.version,
        "evidence": p.evidence or {},
        "headline": store.headline_of(p.evidence or {}),
        "updated_by": user_name(p.updated_by),
    }


priorities = RecordRoutes(
    router, __name__, Priority, "/priorities", "priority_id", "priority",
    Words("priority"), priority_out, PriorityOut, PriorityConflictOut,
    form=page_form(PriorityEditForm, rationale=""),
)  # fmt: skip


@priorities.listing("The coalition's priorities, in rank order (unranked last)", PriorityPage)
def list_priorities(workspace: Workspace) -> QuerySet[Priority]:
    return priorities.rows(workspace)


@router.post(
    W + "/priorities",
    response={201: PriorityOut, **BODY_ERRORS, 400: FieldErrorOut, 422: FieldErrorOut},
    summary="Add a priority with its evidence (editor or owner)",
    openapi_extra=body_schema(PriorityIn),
)
@answer_problems("Invalid priority")
def create_priority(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    data = sent(read_body(request, PriorityIn, "a priority"))
    try:
        target = store.check_target(workspace, data)
    except store.TargetError as problem:
        raise Refused({k: [v] for k, v in problem.errors.items()}) from None
    if found := store.duplicate_of(workspace, target):
        raise Refused({"variable": [f"Already a priority: “{found.title}”."]})
    try:
        with transaction.atomic():
            p = store.add_priority(
                workspace, request.user, target, title=data.get("title", ""),
                rationale=data.get("rationale", ""), source=data.get("source", "manual"),
                source_ref=data.get("source_ref", "") or THROUGH_API,
            )  # fmt: skip
    except IntegrityError:
        raise Refused({"variable": ["Added a moment ago: a priority is added once."]}) from None
    return Status(201, priority_out(request, p))


priorities.get("One priority with the evidence it was added with")
priorities.replace("Replace a priority's title and rationale: send the version you read",
                   PriorityPut)  # fmt: skip
priorities.delete("Delete a priority: send the version you read")


# -- ranking --------------------------------------------------------------------------------


class RankedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=1, le=MAX_ID)
    version: int = Field(ge=1, le=MAX_VERSION)
    """The version you read (from the list or the priority)."""


class RankingIn(Schema):
    """Every priority of the workspace once, first (rank 1) to last, each with the version
    you read."""

    model_config = ConfigDict(extra="forbid")

    ranking: list[RankedIn] = Field(max_length=MAX_RANKED)


class RankingConflictOut(Schema):
    error: ErrorDetail
    current: list[PriorityOut]
    """The priorities as saved now, in their ranking: rank them again."""


def _ranked(request: HttpRequest, workspace: Workspace) -> list[dict[str, Any]]:
    return [priority_out(request, p) for p in store.ordered(workspace)]


RANKING_ANSWERS = {
    200: list[PriorityOut], **BODY_ERRORS, 400: FieldErrorOut, 409: RankingConflictOut,
    422: FieldErrorOut,
}  # fmt: skip


@router.put(
    W + "/priority-ranking",
    response=RANKING_ANSWERS,
    summary="Rank the priorities: each once, first to last, with the version you read "
    "(editor or owner)",
    openapi_extra=body_schema(RankingIn),
)
@answer_problems("Invalid ranking")
def rank_priorities(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    body = read_body(request, RankingIn, "a ranking", dotted=True)
    order = [item.id for item in body.ranking]
    if twice := sorted(pk for pk, n in Counter(order).items() if n > 1):
        named = ", ".join(str(pk) for pk in twice)
        raise Refused(
            {"ranking": [f"Each priority is ranked once; {named} appear more than once."]}
        )
    sent_versions = {item.id: item.version for item in body.ranking}
    seen = store.versions_token(sent_versions)
    try:
        store.save_ranking(workspace, request.user, order, seen, THROUGH_API)
    except StaleVersion:
        current = store.ordered(workspace)
        why = "; ".join(store.ranking_differences(current, sent_versions)) or "they changed"
        message = (
            f"Not saved: the ranking you sent is not of the priorities as they are now ({why})."
            " They are in 'current', in their ranking; rank them again."
        )
        return conflict_answer(message, [priority_out(request, p) for p in current])
    return Status(200, _ranked(request, workspace))


# -- decisions ------------------------------------------------------------------------------


class PriorityDecisionOut(Schema):
    id: int
    version: int
    method: str
    date: date
    participants: int | None
    votes: dict[str, int]
    """{priority id: count}; a priority with no entry got none."""
    notes: str
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


class PriorityDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    method: str = Field(json_schema_extra={"enum": METHOD_IDS})
    date: date
    participants: int | None = Field(None, ge=0, le=1_000_000)
    votes: dict[str, int] | None = Field(
        None, description="{priority id: whole count from 0}, priorities of this workspace"
    )
    notes: str | None = text_field(4000)


class PriorityDecisionPut(PriorityDecisionIn):
    version: int = Field(ge=1, le=MAX_VERSION)


PriorityDecisionPage, PriorityDecisionConflictOut = record_schemas(
    "PriorityDecision", PriorityDecisionOut
)


def decision_out(request: HttpRequest, d: PriorityDecision) -> dict[str, Any]:
    return {
        **{n: getattr(d, n) for n in ("method", "date", "participants", "notes", "created_at",
                                       "updated_at")},
        "id": d.pk,
        "version": d.version,
        "votes": {str(k): int(v) for k, v in (d.votes or {}).items()},
        "updated_by": user_name(d.updated_by),
    }  # fmt: skip


def decision_form(workspace: Workspace, instance: PriorityDecision, body: Any) -> DecisionForm:
    """The page's form; the votes checked first (every key a priority of this workspace,
    every count a whole number from 0), as the page's fields would check them."""
    data = sent(body)
    try:
        votes = store.clean_votes(workspace, data.pop("votes", {}) or {})
    except ValueError as problem:
        raise Refused({"votes": [str(problem)]}) from None
    data.update({f"votes_{k}": v for k, v in votes.items()})
    data.setdefault("notes", "")
    return DecisionForm(data, instance=instance, workspace=workspace)


decisions = RecordRoutes(
    router, __name__, PriorityDecision, "/priority-decisions", "decision_id",
    "priority_decision", Words("decision"), decision_out, PriorityDecisionOut,
    PriorityDecisionConflictOut, form=decision_form, refusal=Refusal(422),
)  # fmt: skip


decisions.ordered("list_priority_decisions", "How the coalition ranked its priorities, newest "
                  "first", PriorityDecisionPage, "-date", "-id")  # fmt: skip

decisions.create("Record a decision with its vote counts (editor or owner)", PriorityDecisionIn)
decisions.get("One decision with its vote counts")
decisions.replace("Replace a decision: send the whole record and the version you read",
                  PriorityDecisionPut)  # fmt: skip
decisions.delete("Delete a decision: send the version you read")
