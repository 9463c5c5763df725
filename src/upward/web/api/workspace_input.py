"""API: a workspace's community input forms and the answers waiting for moderation.

A form is validated by the pages' own form (``InputFormForm``), so the API and the page
accept and refuse the same values with the same messages. A change or a delete carries
the version it was read at (409 with the form as saved now when it is stale). Accepting an
answer makes it a finding once: a second accept returns the same answer and changes
nothing; setting aside an answer that became a finding is a 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from upward.catalog import get_catalog
from upward.web.api.errors import ApiError
from upward.web.api.paging import page_schema
from upward.web.api.params import MAX_VERSION, NO_NUL_PATTERN, record_id_param
from upward.web.api.records import (
    RecordRoutes,
    Words,
    conflict_answer,
    paged,
    user_name,
)
from upward.web.api.schemas import ErrorDetail
from upward.web.api.workspace_auth import CHANGE_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import conflict_schema
from upward.web.knowledge import community_store as store
from upward.web.knowledge.forms_community import QUESTION_MAX_CHARS, InputFormForm
from upward.web.knowledge.models import InputAnswer, InputForm
from upward.web.workspace.models import Workspace

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


InputFormPage = page_schema("InputFormPage", InputFormOut)
InputFormConflictOut = conflict_schema("InputFormConflictOut", InputFormOut)


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


InputAnswerPage = page_schema("InputAnswerPage", InputAnswerOut)


class AnswerConflictOut(Schema):
    error: ErrorDetail
    current: InputAnswerOut


def form_out(request: HttpRequest, form: InputForm) -> dict[str, Any]:
    """A form's JSON; its answers waiting for review counted by the query in a list."""
    if (pending := getattr(form, "pending", None)) is None:
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
        "updated_by": user_name(form.updated_by),
    }


def answer_out(request: HttpRequest, answer: InputAnswer) -> dict[str, Any]:
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
        "moderated_by": user_name(answer.moderated_by),
        "moderated_at": answer.moderated_at,
        "note_id": answer.note_id,
    }


def bound_form(workspace: Workspace, instance: InputForm, sent: InputFormIn) -> InputFormForm:
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


def form_fields(form: InputFormForm) -> dict[str, list[str]]:
    """The form's messages, a question's field named by its place: q2_text, questions.1.text."""
    out: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        key = name
        if name.startswith("q") and "_" in name and name[1:].split("_", 1)[0].isdigit():
            number, part = name[1:].split("_", 1)
            key = f"questions.{int(number) - 1}.{part}"
        out[key] = [str(m) for m in messages]
    return out


def _answer(workspace: Workspace, answer_id: int) -> InputAnswer:
    found = (
        InputAnswer.objects.filter(form__workspace=workspace, pk=answer_id)
        .select_related("form", "moderated_by")
        .first()
    )
    if found is None:
        raise ApiError(404, "Not found", f"This workspace has no input answer {answer_id}.")
    return found


# A question's problem is named by its place (questions.0.text), in pydantic's words.
input_forms = RecordRoutes(
    router, __name__, InputForm, "/input-forms", "form_id", "input_form",
    Words("form", named="input form", stale="form", shown="form"), form_out, InputFormOut,
    InputFormConflictOut, form=bound_form, errors=form_fields, dotted=True, problems={},
)  # fmt: skip


@input_forms.listing("The community input forms, newest first", InputFormPage)
def list_input_forms(workspace: Workspace) -> QuerySet[InputForm]:
    rows = input_forms.rows(workspace)
    pending = Count("answers", filter=Q(answers__status="pending"))
    return rows.order_by("-created_at", "-pk").annotate(pending=pending)


input_forms.create("Add a community input form (editor or owner)", InputFormIn)
input_forms.get("One community input form, with the version to send back with a change")
input_forms.replace(
    "Replace a community input form: send the version you read and every field",
    InputFormPut,
    verb="update",
)
input_forms.delete("Delete a community input form and its answers (findings made from it stay)")


@paged(
    router, W + "/input-forms/{form_id}/answers", InputAnswerPage,
    "The answers to a form, newest first (waiting for review unless status says)", answer_out,
)  # fmt: skip
def list_input_answers(
    workspace: Workspace,
    form_id: int = record_id_param(),
    status: StatusFilter = STATUS_QUERY,  # type: ignore[valid-type]
) -> QuerySet[InputAnswer]:
    form = input_forms.find(workspace, form_id)
    rows = form.answers.select_related("form", "moderated_by").order_by("-submitted_at", "-pk")
    return rows if status == "all" else rows.filter(status=status)


@router.post(
    W + "/input-forms/answers/{answer_id}/accept",
    response={200: InputAnswerOut, **CHANGE_ERRORS},
    summary="Make an answer a finding: a note and one coded excerpt per answer (once)",
)
def accept_input_answer(request: HttpRequest, slug: str, answer_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    answer = _answer(workspace, answer_id)
    store.accept(answer.pk, workspace, request.user)
    return answer_out(request, _answer(workspace, answer_id))


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
        return conflict_answer(message, answer_out(request, answer), title="Already a finding")
    return answer_out(request, _answer(workspace, answer_id))
