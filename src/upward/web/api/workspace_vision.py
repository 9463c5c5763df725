"""API: the community vision (its versions, a new version from the latest, the owner's
adoption, where it stands), the theories of change (list, read, add, replace, delete)
and the review comments on a vision version or a theory (list, add) and on anything
(resolve; the logic model's own are in ``workspace_review``).

Input is checked by the pages' own forms, so the API and the pages accept and refuse
the same values with the same messages (in ``error.fields``). A new vision version names
the number it was based on: when someone saved a newer one meanwhile, 409 with the
latest version (nothing saved). A theory's replacement or delete carries the version it
was read at (409 with the record as now when stale). Adopting needs the owner role. Any
member comments (a viewer too); a comment's author, an editor or an owner resolves it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field

from upward.web.api.errors import ApiError
from upward.web.api.paging import page_schema
from upward.web.api.params import (
    MAX_ID,
    MAX_VERSION,
    NOT_BLANK_PATTERN,
    record_id_param,
    text_field,
)
from upward.web.api.records import (
    FieldProblems,
    RecordRoutes,
    Refusal,
    Words,
    answer_problems,
    body_schema,
    conflict_answer,
    paged,
    sent,
    user_name,
    valid_form,
)
from upward.web.api.schemas import ErrorOut
from upward.web.api.workspace_auth import (
    BODY_ERRORS,
    CHANGE_ERRORS,
    READ_ERRORS,
    W,
    WorkspaceMember,
    workspace_of,
)
from upward.web.api.workspace_review import (
    ANY_MEMBER,
    ReviewCommentOut,
    comment_out,
    comment_routes,
)
from upward.web.api.workspace_schemas import FieldErrorOut, conflict_schema, record_schemas
from upward.web.strategy import review_store
from upward.web.strategy import vision_store as store
from upward.web.strategy.forms_review import NoteForm, VisionDraftForm
from upward.web.strategy.forms_theory import TheoryForm
from upward.web.strategy.models import Approval, Comment, TheoryOfChange, VisionVersion
from upward.web.workspace.models import Role, Workspace

router = Router(tags=["workspaces"], auth=WorkspaceMember())


class VisionVersionOut(Schema):
    number: int
    text: str
    note: str
    """What changed, in the author's words."""
    author: str | None
    created_at: datetime


class VisionVersionIn(Schema):
    """A new version: its text, what changed, and the number of the latest version you
    started from (0 when there is none yet)."""

    model_config = ConfigDict(extra="forbid")
    text: str = text_field(store.MAX_TEXT, NOT_BLANK_PATTERN, ...)
    note: str | None = text_field(store.MAX_NOTE)
    based_on: int = Field(ge=0, le=MAX_VERSION)


VisionVersionPage = page_schema("VisionVersionPage", VisionVersionOut)
VisionConflictOut = conflict_schema("VisionConflictOut", VisionVersionOut, key="latest")
"""409 for a new version not based on the latest: the latest as saved now, to start from."""


class VisionApprovalOut(Schema):
    number: int
    """The adopted version."""
    approved_by: str | None
    approved_at: datetime
    note: str


class ReviewRoundOut(Schema):
    opened_by: str | None
    opened_at: datetime
    note: str


class VisionStateOut(Schema):
    current: VisionVersionOut | None
    """The latest version (the current draft); null before the first draft."""
    adopted: VisionApprovalOut | None
    """The owner's latest adoption; null when no version is adopted."""
    changed_since_adoption: bool
    """True when the current draft's text differs from the adopted version's."""
    review: ReviewRoundOut | None
    """The open review round, if any."""


class VisionAdoptIn(Schema):
    model_config = ConfigDict(extra="forbid")
    note: str | None = text_field(2000)


class TheoryOut(Schema):
    id: int
    version: int
    """Send it back with a replacement or a delete: a stale version is refused with 409."""
    if_we: str
    then: str
    because: str
    assumptions: str
    priorities: list[int]
    """Ids of this workspace's priorities the theory serves."""
    updated_at: datetime
    updated_by: str | None


class TheoryIn(Schema):
    """A theory of change: if we …, then …, because …, with its assumptions and the ids
    of this workspace's priorities it serves."""

    model_config = ConfigDict(extra="forbid")
    if_we: str = text_field(2000, NOT_BLANK_PATTERN, ...)
    then: str = text_field(2000, NOT_BLANK_PATTERN, ...)
    because: str = text_field(2000, NOT_BLANK_PATTERN, ...)
    assumptions: str | None = text_field(4000)
    priorities: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(None, max_length=200)


class TheoryPut(TheoryIn):
    version: int = Field(ge=1, le=MAX_VERSION)


TheoryPage, TheoryConflictOut = record_schemas("Theory", TheoryOut)


def version_out(request: HttpRequest, v: VisionVersion) -> dict[str, Any]:
    return {
        "number": v.number, "text": v.text, "note": v.note, "author": user_name(v.author),
        "created_at": v.created_at,
    }  # fmt: skip


def _approval_out(a: Approval | None) -> dict[str, Any] | None:
    if a is None or a.vision_version is None:
        return None
    return {
        "number": a.vision_version.number, "approved_by": user_name(a.approved_by),
        "approved_at": a.approved_at, "note": a.note,
    }  # fmt: skip


def theory_out(request: HttpRequest, t: TheoryOfChange) -> dict[str, Any]:
    return {
        "id": t.pk, "version": t.version, "if_we": t.if_we, "then": t.then,
        "because": t.because, "assumptions": t.assumptions,
        "priorities": sorted(p.pk for p in t.priorities.all()), "updated_at": t.updated_at,
        "updated_by": user_name(t.updated_by),
    }  # fmt: skip


def vision_number_param() -> Any:
    return Path(..., ge=1, le=MAX_VERSION, description="The version's number (1, 2, …)")


def _version(workspace: Workspace, number: int) -> VisionVersion:
    found = store.version_numbered(workspace, number)
    if found is None:
        raise ApiError(404, "Not found", f"The vision has no version {number}.")
    return found


# --- the vision ---------------------------------------------------------------------------


@router.get(
    W + "/vision",
    response={200: VisionStateOut, **READ_ERRORS},
    summary="Where the vision stands: the current draft, the adopted version, the review",
)
def vision_state(request: HttpRequest, slug: str) -> dict[str, Any]:
    state = store.state_of(workspace_of(request))
    review = state.review
    return {
        "current": version_out(request, state.current) if state.current else None,
        "adopted": _approval_out(state.approval),
        "changed_since_adoption": state.changed_since_adoption,
        "review": None
        if review is None
        else {"opened_by": user_name(review.opened_by), "opened_at": review.opened_at,
              "note": review.note},
    }  # fmt: skip


@paged(router, W + "/vision/versions", VisionVersionPage, "The vision's versions, newest first",
       version_out, 100)  # fmt: skip
def list_versions(workspace: Workspace) -> QuerySet[VisionVersion]:
    return VisionVersion.objects.filter(workspace=workspace).select_related("author")


def _stale(latest: VisionVersion | None, based_on: int, request: HttpRequest) -> Status[Any]:
    message = (
        f"Not saved: the latest version is {latest.number if latest else 0}, not the "
        f"{based_on} you started from. The latest is in 'latest'; merge your text into it "
        "and send it again with its number."
    )
    return conflict_answer(message, version_out(request, latest) if latest else None, "latest")


@router.post(
    W + "/vision/versions",
    response={201: VisionVersionOut, 409: VisionConflictOut, **BODY_ERRORS, 400: FieldErrorOut},
    summary="Save a new version of the vision, from the latest (editor or owner)",
    openapi_extra=body_schema(VisionVersionIn),
)
@answer_problems("Invalid version")
def create_version(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    data = valid_form(request, VisionVersionIn, "a vision version", VisionDraftForm).cleaned_data
    try:
        saved = store.save_draft(
            workspace, request.user, data["text"], data["note"], data["based_on"]
        )
    except store.SameText:
        same = {"text": ["This is the text of the latest version already: nothing to save."]}
        raise FieldProblems(same) from None
    except store.StaleDraft as stale:
        return _stale(stale.latest, data["based_on"], request)
    return Status(201, version_out(request, saved))


@router.get(
    W + "/vision/versions/{vision_number}",
    response={200: VisionVersionOut, **READ_ERRORS},
    summary="One version of the vision",
)
def get_version(
    request: HttpRequest, slug: str, vision_number: int = vision_number_param()
) -> dict[str, Any]:
    return version_out(request, _version(workspace_of(request), vision_number))


@router.post(
    W + "/vision/versions/{vision_number}/adopt",
    response={200: VisionApprovalOut, 409: ErrorOut, **BODY_ERRORS, 400: FieldErrorOut},
    summary="Adopt a version as the coalition's vision (owner; the body, a note, is optional)",
    openapi_extra={"requestBody": {**body_schema(VisionAdoptIn)["requestBody"], "required": False}},
)
@answer_problems("Invalid adoption")
def adopt_version(
    request: HttpRequest, slug: str, vision_number: int = vision_number_param()
) -> Any:
    workspace = workspace_of(request)
    if not request.auth.can(Role.OWNER):  # type: ignore[attr-defined]
        raise ApiError(403, "Not allowed", "Adopting the vision needs the owner role.")
    version = _version(workspace, vision_number)
    note = (  # the body is optional: none is no note
        valid_form(request, VisionAdoptIn, "an adoption", NoteForm).cleaned_data["note"]
        if request.body.strip()
        else ""
    )
    adopted = store.state_of(workspace).adopted
    if adopted is not None and adopted.pk == version.pk:
        raise ApiError(409, "Already adopted", f"Version {vision_number} is adopted already.")
    return _approval_out(review_store.approve_vision(workspace, request.user, version, note))


# --- review comments ----------------------------------------------------------------------

comment_routes(router, __name__, "/vision/versions/{vision_number}", "vision",
               "one version of the vision", ("vision_number", vision_number_param),
               lambda workspace, number: _version(workspace, number).pk)  # fmt: skip


@router.post(
    W + "/comments/{comment_id}/resolve",
    response={200: ReviewCommentOut, 409: ErrorOut, **CHANGE_ERRORS},
    summary="Mark a comment resolved (kept, not deleted; its author, an editor or an owner)",
    auth=ANY_MEMBER,
)
def resolve_comment(request: HttpRequest, slug: str, comment_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    comment = Comment.objects.filter(workspace=workspace, pk=comment_id).first()
    if comment is None:
        raise ApiError(404, "Not found", f"This workspace has no comment {comment_id}.")
    membership = request.auth  # type: ignore[attr-defined]
    if not review_store.may_resolve(membership, comment):
        raise ApiError(403, "Not allowed", review_store.resolve_refusal(membership))
    if comment.resolved_at is not None:
        raise ApiError(409, "Already resolved", f"Comment {comment_id} is resolved already.")
    review_store.resolve_comment(comment, request.user)
    return comment_out(comment)


# --- theories of change -------------------------------------------------------------------


def theory_form(workspace: Workspace, theory: TheoryOfChange, body: Any) -> TheoryForm:
    data = {"assumptions": "", "priorities": [], **sent(body)}
    return TheoryForm(data, instance=theory, workspace=workspace)


theories = RecordRoutes(
    router, __name__, TheoryOfChange, "/theories", "theory_id", "theory",
    Words("theory of change"), theory_out, TheoryOut, TheoryConflictOut, form=theory_form,
    refusal=Refusal(422),
)  # fmt: skip


@theories.listing("The theories of change, oldest first", TheoryPage, 100)
def list_theories(workspace: Workspace) -> QuerySet[TheoryOfChange]:
    rows = TheoryOfChange.objects.filter(workspace=workspace)
    return rows.prefetch_related("priorities").select_related("updated_by")


theories.create("Add a theory of change (editor or owner)", TheoryIn)
theories.get("One theory of change, with the version to send back with a change")
theories.replace("Replace a theory of change: the whole record and the version you read", TheoryPut)
theories.delete("Delete a theory of change: send the version you read")


comment_routes(router, __name__, "/theories/{theory_id}", "theory", "one theory of change",
               ("theory_id", record_id_param),
               lambda workspace, pk: theories.find(workspace, pk).pk)  # fmt: skip
