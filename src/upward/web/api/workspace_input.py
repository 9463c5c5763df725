"""API: a workspace's community input forms and the answers waiting for moderation.

A form is validated by the pages' own form (``InputFormForm``), so the API and the page
accept and refuse the same values with the same messages. A change or a delete carries
the version it was read at (409 with the form as saved now when it is stale). Accepting an
answer makes it a finding once: a second accept returns the same answer and changes
nothing; setting aside an answer that became a finding is a 409.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field
from pydantic import ValidationError as SchemaError

from upward.catalog import get_catalog
from upward.web.api import paging
from upward.web.api.errors import ApiError
from upward.web.api.params import MAX_VERSION, NO_NUL_PATTERN, record_id_param, version_param
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
from upward.web.api.workspace_stakeholders import field_errors
from upward.web.knowledge import community_store as store
from upward.web.knowledge.forms_community import QUESTION_MAX_CHARS, InputFormForm
from upward.web.knowledge.models import InputAnswer, InputForm
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import StaleVersion, save_versioned
from upward.web.workspace.views.common import add_record, record_label

router = Router(tags=["workspaces"], auth=WorkspaceMember())

PREDICTOR_IDS = tuple(p.id for p in get_catalog().predictors)
Predictor = Literal[("", *PREDICTOR_IDS)]  # type: ignore[valid-type]
AnswerStatus = Literal["pending", "accepted", "rejected"]
# Text with something in it: the form collapses whitespace (Python's, which also counts
# \x1c-\x1f and \x85) and refuses what is left empty.
FILLED = r"^[^\x00]*[^\s\x00\x1c-\x1f\x85][^\x00]*$"
StatusFilter = Literal["pending", "accepted", "rejected", "all"]
STATUS_QUERY = Query("pending", description="Answers to list: pending, accepted, rejected or all")


class InputQuestionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=QUESTION_MAX_CHARS, pattern=FILLED)
    text_es: str = Field("", max_length=QUESTION_MAX_CHARS, pattern=NO_NUL_PATTERN)
    predictor: Predictor = ""  # type: ignore[valid-type]
    """A predictor id its answers are coded to, or empty."""


class InputFormIn(Schema):
    """A new form. Questions keep their ids by position, as on the page."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200, pattern=FILLED)
    title_es: str = Field("", max_length=200, pattern=NO_NUL_PATTERN)
    intro: str = Field("", max_length=2000, pattern=NO_NUL_PATTERN)
    intro_es: str = Field("", max_length=2000, pattern=NO_NUL_PATTERN)
    questions: list[InputQuestionIn] = Field(min_length=1, max_length=store.MAX_QUESTIONS)
    is_open: bool = True


class InputFormPut(InputFormIn):
    """The whole form again, with the version you read."""

    version: int = Field(ge=1, le=MAX_VERSION)


class InputQuestionOut(Schema):
    id: str
    text: str
    text_es: str
    predictor: str


class InputFormOut(Schema):
    id: int
    version: int
    """Send it back with a change or a delete: a stale version is refused with 409."""
    public_id: str
    public_url: str
    """The public, anonymous form (no account needed); ?lang=es for Spanish."""
    title: str
    title_es: str
    intro: str
    intro_es: str
    questions: list[InputQuestionOut]
    is_open: bool
    pending: int
    """Answers waiting for review."""
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


class InputFormPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[InputFormOut]


class InputFormConflictOut(Schema):
    error: ErrorDetail
    current: InputFormOut | None = None
    """The form as saved now (null when it was deleted meanwhile)."""


class AnsweredQuestionOut(Schema):
    question_id: str
    question: str
    """The question in English."""
    predictor: str
    answer: str


class InputAnswerOut(Schema):
    id: int
    form_id: int
    submitted_at: datetime
    language: str
    answers: list[AnsweredQuestionOut]
    status: AnswerStatus
    moderated_by: str | None
    moderated_at: datetime | None
    note_id: int | None
    """The finding's note, once accepted."""


class InputAnswerPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[InputAnswerOut]


class AnswerConflictOut(Schema):
    error: ErrorDetail
    current: InputAnswerOut


def form_out(request: HttpRequest, form: InputForm, pending: int | None = None) -> dict[str, Any]:
    if pending is None:
        pending = form.answers.filter(status="pending").count()
    url = request.build_absolute_uri(reverse("public:input_form", args=[form.public_id]))
    return {
        **{n: getattr(form, n) for n in ("title", "title_es", "intro", "intro_es", "is_open")},
        "id": form.pk,
        "version": form.version,
        "public_id": form.public_id,
        "public_url": url,
        "questions": [
            {k: str(q.get(k) or "") for k in ("id", "text", "text_es", "predictor")}
            for q in form.questions
        ],
        "pending": pending,
        "created_at": form.created_at,
        "updated_at": form.updated_at,
        "updated_by": form.updated_by.get_username() if form.updated_by else None,
    }


def answer_out(answer: InputAnswer) -> dict[str, Any]:
    rows = [
        {
            "question_id": str(q.get("id")),
            "question": str(q.get("text") or ""),
            "predictor": str(q.get("predictor") or ""),
            "answer": text,
        }
        for q, text in store.answered(answer)
    ]
    return {
        "id": answer.pk,
        "form_id": answer.form_id,
        "submitted_at": answer.submitted_at,
        "language": answer.language,
        "answers": rows,
        "status": answer.status,
        "moderated_by": answer.moderated_by.get_username() if answer.moderated_by else None,
        "moderated_at": answer.moderated_at,
        "note_id": answer.note_id,
    }


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every ``#/$defs/`` reference replaced by what it names."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


def _body_schema(schema: type[Schema]) -> dict[str, Any]:
    """The body's JSON schema, self-contained (the questions' schema inlined: a
    ``$defs`` reference does not resolve inside the OpenAPI document)."""
    full = schema.model_json_schema()
    body = _inline(full, full.pop("$defs", {}))
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": body}}}}


class _Problems(Exception):
    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("invalid input")
        self.fields = fields


def _read(request: HttpRequest, schema: type[InputFormIn]) -> InputFormIn:
    try:
        raw = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise _Problems({"__all__": ["The request body is not valid JSON."]}) from None
    if not isinstance(raw, dict):
        raise _Problems({"__all__": ["The request body must be a JSON object."]})
    try:
        return schema.model_validate(raw)
    except SchemaError as exc:
        fields: dict[str, list[str]] = {}
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "__all__"
            problem = (
                "This is not a field of a form."
                if error["type"] == "extra_forbidden"
                else (str(error["msg"]).capitalize() + ".")
            )
            fields.setdefault(name, []).append(problem)
        raise _Problems(fields) from None


def _bound(workspace: Workspace, instance: InputForm, sent: InputFormIn) -> InputFormForm:
    data: dict[str, Any] = {
        "title": sent.title,
        "title_es": sent.title_es,
        "intro": sent.intro,
        "intro_es": sent.intro_es,
    }
    if sent.is_open:
        data["is_open"] = "on"
    if isinstance(sent, InputFormPut):
        data["version"] = sent.version
    for i, q in enumerate(sent.questions, start=1):
        data |= {f"q{i}_text": q.text, f"q{i}_text_es": q.text_es, f"q{i}_predictor": q.predictor}
    return InputFormForm(data, instance=instance, workspace=workspace)


def _form_fields(form: InputFormForm) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        key = name
        if name.startswith("q") and "_" in name and name[1:].split("_", 1)[0].isdigit():
            number, part = name[1:].split("_", 1)
            key = f"questions.{int(number) - 1}.{part}"
        out[key] = [str(m) for m in messages]
    return out


def _form(workspace: Workspace, form_id: int) -> InputForm:
    found = InputForm.objects.filter(workspace=workspace, pk=form_id).first()
    if found is None:
        raise ApiError(404, "Not found", f"This workspace has no input form {form_id}.")
    return found


def _answer(workspace: Workspace, answer_id: int) -> InputAnswer:
    found = (
        InputAnswer.objects.filter(form__workspace=workspace, pk=answer_id)
        .select_related("form", "moderated_by")
        .first()
    )
    if found is None:
        raise ApiError(404, "Not found", f"This workspace has no input answer {answer_id}.")
    return found


def _conflict(request: HttpRequest, workspace: Workspace, form_id: int, sent: int) -> Status[Any]:
    current = InputForm.objects.filter(workspace=workspace, pk=form_id).first()
    if current is None:
        message = "Not saved: someone deleted this form after you read it."
    else:
        message = (
            f"Not saved: the form is at version {current.version}, not the version {sent} you "
            "sent. The form as saved now is in 'current'; re-apply your change to it."
        )
    return Status(
        409,
        {
            "error": {"status": 409, "title": "Changed meanwhile", "message": message},
            "current": None if current is None else form_out(request, current),
        },
    )


@router.get(
    W + "/input-forms",
    response={200: InputFormPage, **READ_ERRORS},
    summary="The community input forms, newest first",
)
def list_input_forms(
    request: HttpRequest,
    slug: str,
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    workspace = workspace_of(request)
    rows = InputForm.objects.filter(workspace=workspace).select_related("updated_by")
    rows = rows.order_by("-created_at", "-pk")
    counts = store.pending_counts(workspace)
    items = [form_out(request, f, counts.get(f.pk, 0)) for f in rows[offset : offset + limit]]
    return paging.page(request, rows.count(), items, limit, offset)


@router.post(
    W + "/input-forms",
    response={201: InputFormOut, **BODY_ERRORS, 400: FieldErrorOut},
    summary="Add a community input form (editor or owner)",
    openapi_extra=_body_schema(InputFormIn),
)
def create_input_form(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    try:
        sent = _read(request, InputFormIn)
    except _Problems as exc:
        return field_errors("Invalid form", exc.fields)
    form = _bound(workspace, InputForm(workspace=workspace), sent)
    if not form.is_valid():
        return field_errors("Invalid form", _form_fields(form))
    with transaction.atomic():
        obj = add_record(form, workspace, request.user, "through the API")
    return Status(201, form_out(request, obj, 0))


@router.get(
    W + "/input-forms/{form_id}",
    response={200: InputFormOut, **READ_ERRORS},
    summary="One community input form, with the version to send back with a change",
)
def get_input_form(request: HttpRequest, slug: str, form_id: int = record_id_param()) -> Any:
    return form_out(request, _form(workspace_of(request), form_id))


@router.put(
    W + "/input-forms/{form_id}",
    response={200: InputFormOut, **BODY_ERRORS, 400: FieldErrorOut, 409: InputFormConflictOut},
    summary="Replace a community input form: send the version you read and every field",
    openapi_extra=_body_schema(InputFormPut),
)
def update_input_form(request: HttpRequest, slug: str, form_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    instance = _form(workspace, form_id)
    try:
        sent = _read(request, InputFormPut)
    except _Problems as exc:
        return field_errors("Invalid change", exc.fields)
    assert isinstance(sent, InputFormPut)
    form = _bound(workspace, instance, sent)
    if not form.is_valid():
        return field_errors("Invalid change", _form_fields(form))
    try:
        with transaction.atomic():
            obj = save_versioned(form, sent.version, request.user)
            record(workspace, request.user, "edited", record_label(obj), "through the API")
    except StaleVersion:
        return _conflict(request, workspace, form_id, sent.version)
    return Status(200, form_out(request, obj))


@router.delete(
    W + "/input-forms/{form_id}",
    response={204: None, 409: InputFormConflictOut, **CHANGE_ERRORS},
    summary="Delete a community input form and its answers (findings made from it stay)",
)
def delete_input_form(
    request: HttpRequest,
    slug: str,
    form_id: int = record_id_param(),
    version: int = version_param(),
) -> Any:
    workspace = workspace_of(request)
    form = _form(workspace, form_id)
    return delete_or_conflict(
        request, workspace, form, version, lambda: _conflict(request, workspace, form_id, version)
    )


@router.get(
    W + "/input-forms/{form_id}/answers",
    response={200: InputAnswerPage, **READ_ERRORS},
    summary="The answers to a form, newest first (waiting for review unless status says)",
)
def list_input_answers(
    request: HttpRequest,
    slug: str,
    form_id: int = record_id_param(),
    status: StatusFilter = STATUS_QUERY,  # type: ignore[valid-type]
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    form = _form(workspace_of(request), form_id)
    rows = form.answers.select_related("form", "moderated_by").order_by("-submitted_at", "-pk")
    if status != "all":
        rows = rows.filter(status=status)
    items = [answer_out(a) for a in rows[offset : offset + limit]]
    return paging.page(request, rows.count(), items, limit, offset)


@router.post(
    W + "/input-forms/answers/{answer_id}/accept",
    response={200: InputAnswerOut, **CHANGE_ERRORS},
    summary="Make an answer a finding: a note and one coded excerpt per answer (once)",
)
def accept_input_answer(request: HttpRequest, slug: str, answer_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    answer = _answer(workspace, answer_id)
    store.accept(answer.pk, workspace, request.user)
    return answer_out(_answer(workspace, answer_id))


@router.post(
    W + "/input-forms/answers/{answer_id}/reject",
    response={200: InputAnswerOut, 409: AnswerConflictOut, **CHANGE_ERRORS},
    summary="Set an answer aside (kept; 409 when it already became a finding)",
)
def reject_input_answer(request: HttpRequest, slug: str, answer_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    answer = _answer(workspace, answer_id)
    try:
        store.set_status(answer.pk, workspace, request.user, "rejected")
    except store.AlreadyAccepted:
        message = "Not changed: this answer has already been made a finding (see note_id)."
        error = {"status": 409, "title": "Already a finding", "message": message}
        return Status(409, {"error": error, "current": answer_out(answer)})
    return answer_out(_answer(workspace, answer_id))
