"""API: a workspace's systems-change logic model: its elements and links (list, read,
add, change, delete), the consistency checks, and the model's approval (read; approve as
the owner).

Changes are validated by the model pages' own forms (``strategy.forms_model``), so the
API and the pages refuse the same values with the same messages, naming the element: an
outcome without one of the six conditions of systems change, a strategy of another
workspace's library, a link that would run backward, close a cycle, cross priorities or
repeat one (422, the message in ``error.fields.__all__``). A change or a delete carries
the version it was read at; a stale version gets 409 with the record as saved now. A
priority's first element brings its population-level result (one per priority), which is
not deleted. Every change goes to the activity log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from upward.planning.logic_model import CHECKS, CONDITION_LABELS, KIND_LABELS, Finding
from upward.planning.strategy import SYSTEMS_CONDITIONS
from upward.web.api.errors import ApiError
from upward.web.api.paging import page_schema
from upward.web.api.params import MAX_VERSION, text_field
from upward.web.api.records import (
    RecordRoutes,
    Refusal,
    Words,
    answer_problems,
    body_schema,
    read_body,
    sent,
    user_name,
)
from upward.web.api.schemas import ErrorOut
from upward.web.api.workspace_auth import BODY_ERRORS, READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import FieldErrorOut, conflict_schema
from upward.web.strategy import model_store
from upward.web.strategy.forms_model import ADDABLE_KINDS, ElementForm, LinkEditForm, LinkForm
from upward.web.strategy.models import Element, Link
from upward.web.workspace.models import Role, Workspace

router = Router(tags=["workspaces"], auth=WorkspaceMember())

CONDITION_IDS = [c for c, _label in SYSTEMS_CONDITIONS]
CHECK_LABELS = dict(CHECKS)


# --- elements ------------------------------------------------------------------------------


class ModelElementOut(Schema):
    id: int
    version: int
    """Send it back with a change or a delete: a stale version is refused with 409."""
    priority: int
    kind: str
    """The column: input, strategy, activity, output, short, medium, long or result."""
    kind_label: str
    title: str
    description: str
    condition: str
    """For an outcome: the condition of systems change it shifts ("" otherwise)."""
    condition_label: str
    strategy: int | None
    """For a strategy element: the id of the workspace library's strategy it places."""
    position: int
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


ModelElementPage = page_schema("ModelElementPage", ModelElementOut)
ModelElementConflictOut = conflict_schema("ModelElementConflictOut", ModelElementOut)


class ModelElementIn(Schema):
    """A new element of a priority's model (the result is added for you with the first)."""

    model_config = ConfigDict(extra="forbid")

    priority: int = Field(ge=1, le=2**31 - 1)
    kind: str = Field(json_schema_extra={"enum": [k for k, _label in ADDABLE_KINDS]})
    title: str | None = text_field(200)
    """Required, except for a strategy element (default: the strategy's name)."""
    description: str | None = text_field(4000)
    condition: str | None = Field(
        None,
        description="Required for an outcome (short, medium, long); none otherwise",
        json_schema_extra={"enum": [*CONDITION_IDS, "", None]},
    )
    strategy: int | None = Field(None, ge=1, le=2**31 - 1)
    """Required for a strategy element: a strategy of this workspace's library."""


class ModelElementPatch(Schema):
    """The version you read and the fields to change (the kind and priority stay)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_VERSION)
    title: str | None = text_field(200)
    description: str | None = text_field(4000)
    condition: str | None = Field(None, json_schema_extra={"enum": [*CONDITION_IDS, "", None]})
    strategy: int | None = Field(None, ge=1, le=2**31 - 1)


def element_out(request: HttpRequest, e: Element) -> dict[str, Any]:
    return {
        "id": e.pk, "version": e.version, "priority": e.priority_id, "kind": e.kind,
        "kind_label": KIND_LABELS.get(e.kind, e.kind), "title": e.title,
        "description": e.description, "condition": e.condition,
        "condition_label": CONDITION_LABELS.get(e.condition, ""), "strategy": e.strategy_id,
        "position": e.position, "created_at": e.created_at, "updated_at": e.updated_at,
        "updated_by": user_name(e.updated_by),
    }  # fmt: skip


def element_form(workspace: Workspace, instance: Element, body: Any) -> ElementForm:
    """The page's form: a new element from the body; a change over the saved values."""
    data: dict[str, Any] = {}
    if instance.pk is not None:
        data = {
            "title": instance.title, "description": instance.description,
            "condition": instance.condition, "strategy": instance.strategy_id or "",
        }  # fmt: skip
    return ElementForm({**data, **sent(body)}, instance=instance, workspace=workspace)


def _keep_result(element: Element) -> None:
    if element.kind == "result":
        raise ApiError(
            409,
            "Not deleted",
            f"“{element}” is the priority's population-level result; every priority's "
            "model keeps it.",
        )


# A body that fits the document but that the model refuses (a condition, a strategy of
# another workspace) is a 422 naming the element.
elements = RecordRoutes(
    router, __name__, Element, "/model/elements", "element_id", "model_element",
    Words("element", named="logic-model element", a_noun="an element", saved_by=True),
    element_out, ModelElementOut, ModelElementConflictOut, form=element_form,
    refusal=Refusal(422),
)  # fmt: skip


@elements.listing("The logic model's elements, by priority, column and position", ModelElementPage,
                  limit=200)  # fmt: skip
def list_model_elements(
    workspace: Workspace,
    priority: int | None = Query(None, ge=1, le=2**31 - 1, description="One priority's model"),
) -> QuerySet[Element]:
    rows = elements.rows(workspace)
    if priority is not None:
        rows = rows.filter(priority_id=priority)
    return rows.order_by("priority__rank", "priority_id", "kind", "position", "pk")


elements.create("Add an element to a priority's model (editor or owner)", ModelElementIn)
elements.get("One element, with the version to send back with a change")
elements.update(
    "Change an element: send the version you read and the fields to change", ModelElementPatch
)
# the result is refused inside the delete's transaction, so nothing is deleted
elements.delete(
    "Delete an element and its links (not the result): send the version you read",
    also=_keep_result,
)


# --- links -------------------------------------------------------------------------------


class ModelLinkOut(Schema):
    id: int
    version: int
    """Send it back with a change or a delete: a stale version is refused with 409."""
    priority: int
    source: int
    target: int
    source_title: str
    target_title: str
    rationale: str
    assumption: str
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


ModelLinkPage = page_schema("ModelLinkPage", ModelLinkOut)
ModelLinkConflictOut = conflict_schema("ModelLinkConflictOut", ModelLinkOut)


class ModelLinkIn(Schema):
    """A new link: ``source`` leads to ``target`` (same priority, left to right, no cycle)."""

    model_config = ConfigDict(extra="forbid")

    source: int = Field(ge=1, le=2**31 - 1)
    target: int = Field(ge=1, le=2**31 - 1)
    rationale: str | None = text_field(2000)
    assumption: str | None = text_field(2000)


class ModelLinkPatch(Schema):
    """The version you read and the rationale or assumption (to move a link, delete it and
    add another)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_VERSION)
    rationale: str | None = text_field(2000)
    assumption: str | None = text_field(2000)


def link_out(request: HttpRequest, link: Link) -> dict[str, Any]:
    return {
        "id": link.pk, "version": link.version, "priority": link.source.priority_id,
        "source": link.source_id, "target": link.target_id,
        "source_title": link.source.title, "target_title": link.target.title,
        "rationale": link.rationale, "assumption": link.assumption,
        "created_at": link.created_at, "updated_at": link.updated_at,
        "updated_by": user_name(link.updated_by),
    }  # fmt: skip


def link_form(workspace: Workspace, instance: Link, body: Any) -> LinkForm | LinkEditForm:
    if instance.pk is None:
        return LinkForm(sent(body), instance=instance, workspace=workspace)
    data = {"rationale": instance.rationale, "assumption": instance.assumption, **sent(body)}
    return LinkEditForm(data, instance=instance, workspace=workspace)


# 422: a link the model cannot hold, the message naming both elements.
links = RecordRoutes(
    router, __name__, Link, "/model/links", "link_id", "model_link",
    Words("link", named="logic-model link", saved_by=True), link_out, ModelLinkOut,
    ModelLinkConflictOut, form=link_form, refusal=Refusal(422),
)  # fmt: skip


@links.listing("The logic model's links (each with its rationale and assumption)",
               ModelLinkPage, limit=200)  # fmt: skip
def list_model_links(
    workspace: Workspace,
    priority: int | None = Query(None, ge=1, le=2**31 - 1, description="One priority's model"),
) -> QuerySet[Link]:
    rows = Link.objects.filter(workspace=workspace).select_related("source", "target", "updated_by")
    if priority is not None:
        rows = rows.filter(source__priority_id=priority)
    return rows.order_by("source_id", "target_id")


links.create("Add a link between two elements of one priority's model", ModelLinkIn)
links.get("One link, with the version to send back with a change")
links.update("Change a link's rationale or assumption: send the version you read", ModelLinkPatch)
links.delete("Delete a link: send the version you read")


# --- checks and approval -----------------------------------------------------------------


class ModelFindingOut(Schema):
    check: str
    label: str
    message: str
    priority: int | None
    element: int | None


class ModelChecksOut(Schema):
    to_fix: list[ModelFindingOut]
    """Gaps to fix, in the order of the checks (no score)."""
    to_weigh: list[ModelFindingOut]
    """Conditions of systems change no outcome addresses: shown, not required."""
    measures_checked: bool
    """True: an element without a measure of the measurement plan is a finding to fix."""


def _finding(f: Finding) -> dict[str, Any]:
    return {"check": f.check, "label": CHECK_LABELS[f.check], "message": f.message,
            "priority": f.priority, "element": f.element}  # fmt: skip


@router.get(
    W + "/model/checks",
    response={200: ModelChecksOut, **READ_ERRORS},
    summary="The logic model's consistency findings: a list to fix, and conditions to weigh",
)
def model_checks(request: HttpRequest, slug: str) -> dict[str, Any]:
    to_fix, to_weigh = model_store.split_findings(model_store.model_checks(workspace_of(request)))
    return {
        "to_fix": [_finding(f) for f in to_fix],
        "to_weigh": [_finding(f) for f in to_weigh],
        "measures_checked": True,
    }


class ModelApprovalOut(Schema):
    approved: bool
    approved_at: datetime | None
    approved_by: str | None
    note: str
    fingerprint: str
    """The model's content now (send it with an approval to approve what you read)."""
    approved_fingerprint: str | None
    changed_since_approval: bool
    changed: list[int]
    added: list[int]
    removed: list[int]
    """Element ids changed, added and removed since the approval (empty when unchanged)."""
    links_changed: bool
    in_review: bool
    """Whether the model is out for review now."""


class ModelApprovalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str | None = text_field(2000)
    fingerprint: str | None = Field(
        None,
        description="The fingerprint you read: refused with 409 if the model changed since",
        json_schema_extra={"pattern": "^[0-9a-f]{64}$"},
    )


def approval_out(workspace: Workspace) -> dict[str, Any]:
    state = model_store.approval_state(workspace)
    a, changes = state.approval, state.changes
    return {
        "approved": a is not None,
        "approved_at": a.approved_at if a else None,
        "approved_by": user_name(a.approved_by) if a else None,
        "note": a.note if a else "",
        "fingerprint": state.fingerprint,
        "approved_fingerprint": a.fingerprint if a else None,
        "changed_since_approval": state.changed,
        "changed": list(changes.changed) if changes else [],
        "added": list(changes.added) if changes else [],
        "removed": list(changes.removed) if changes else [],
        "links_changed": bool(changes and changes.links_changed),
        "in_review": state.review is not None,
    }


@router.get(
    W + "/model/approval",
    response={200: ModelApprovalOut, **READ_ERRORS},
    summary="The logic model's approval, and what changed since",
)
def get_model_approval(request: HttpRequest, slug: str) -> dict[str, Any]:
    return approval_out(workspace_of(request))


@router.post(
    W + "/model/approval",
    response={201: ModelApprovalOut, **BODY_ERRORS, 400: FieldErrorOut, 409: ErrorOut},
    summary="Approve the logic model as it is now (owner)",
    openapi_extra=body_schema(ModelApprovalIn),
)
@answer_problems("Invalid approval")
def approve_model(request: HttpRequest, slug: str) -> Any:
    membership = request.auth  # type: ignore[attr-defined]
    workspace = workspace_of(request)
    if not membership.can(Role.OWNER):
        raise ApiError(403, "Not allowed", "Only the workspace's owner approves the model.")
    body = read_body(request, ModelApprovalIn, "an approval")
    state = model_store.approval_state(workspace)
    if body.fingerprint and body.fingerprint != state.fingerprint:
        raise ApiError(
            409, "Changed meanwhile",
            "Not approved: the model changed after you read it; read the approval again "
            "and send its fingerprint.",
        )  # fmt: skip
    model_store.approve(workspace, request.user, body.note or "")
    return Status(201, approval_out(workspace))
