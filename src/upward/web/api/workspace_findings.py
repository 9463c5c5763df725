"""API: a workspace's coded findings: the codebook, notes and their coded excerpts.

The pages' own forms validate every change (``upward.web.knowledge.forms_coding``), so
the API and the pages accept and refuse the same values with the same messages (in
``error.fields``): 400 for a body that does not fit the documented shape, 422 for one
that does but that the workspace's data refuses. A change or a delete carries the
version it was read at; a stale version gets 409 with the record as saved now. Built-in
codes (predictors, conditions of systems change) are read-only. Ids that mean "none" (a
code's parent, a note's engagement or stakeholder) take 0; a field left out (or null)
keeps its value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from upward.planning import coding as rules
from upward.planning import knowledge as vocab
from upward.web.api import paging
from upward.web.api.errors import ApiError
from upward.web.api.params import (
    MAX_ID,
    MAX_VERSION,
    NO_NUL_PATTERN,
    record_id_param,
    version_param,
)
from upward.web.api.schemas import ErrorDetail
from upward.web.api.versioned import delete_or_conflict, save_or_conflict
from upward.web.api.workspace_auth import (
    BODY_ERRORS,
    CHANGE_ERRORS,
    READ_ERRORS,
    W,
    WorkspaceMember,
    workspace_of,
)
from upward.web.api.workspace_schemas import FieldErrorOut
from upward.web.api.workspace_stakeholders import FieldProblems, field_errors, read_body
from upward.web.knowledge import coding_store as store
from upward.web.knowledge.forms_coding import CodeForm, ExcerptEditForm, ExcerptForm, NoteForm
from upward.web.knowledge.models import Code, Excerpt, Note
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import (
    StaleVersion,
    claim_version,
    save_versioned,
)
from upward.web.workspace.views.common import add_record, record_label

router = Router(tags=["workspaces"], auth=WorkspaceMember())

_TEXT = NO_NUL_PATTERN
_NAME = r"^[^\x00>]*[^\s\x00>][^\x00>]*$"
FIELD_ERRORS: dict[int, Any] = {400: FieldErrorOut, 422: FieldErrorOut}
NOTE_KIND_IDS = [k for k, _ in vocab.NOTE_KINDS]
NoteKind = Literal["notes", "transcript", "interview", "community_input", "other"]
assert list(NoteKind.__args__) == NOTE_KIND_IDS  # type: ignore[attr-defined]


# --- schemas ---------------------------------------------------------------------------


class CodeOut(Schema):
    id: int
    version: int
    kind: Literal["predictor", "condition", "custom"]
    ref: str
    """The predictor or condition id (blank for an own code)."""
    name: str
    parent_id: int | None
    path: str
    """Names from the top level down, joined by " > "."""
    description: str
    excerpts: int
    """Excerpts coded with it or with a code under it."""
    updated_at: datetime


class CodePage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[CodeOut]


class CodeFields(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, json_schema_extra={"maxLength": 120, "pattern": _NAME})
    parent_id: int | None = Field(None, ge=0, le=MAX_ID, description="0: top level")
    description: str | None = Field(None, json_schema_extra={"maxLength": 2000, "pattern": _TEXT})


class CodeIn(CodeFields):
    name: str = Field(json_schema_extra={"maxLength": 120, "pattern": _NAME})


class CodePatch(CodeFields):
    version: int = Field(ge=1, le=MAX_VERSION)


class NoteSummaryOut(Schema):
    id: int
    version: int
    title: str
    kind: str
    engagement_id: int | None
    stakeholder_id: int | None
    attribution: str
    """The speaker's name when they consented to be named, else "Anonymous"."""
    excerpts: int
    created_at: datetime
    updated_at: datetime


class NoteOut(NoteSummaryOut):
    text: str
    attribution_consent: bool
    attributed_to: str
    updated_by: str | None


class NotePage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[NoteSummaryOut]


class NoteFields(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, json_schema_extra={"maxLength": 200, "pattern": _TEXT})
    kind: str | None = Field(None, json_schema_extra={"enum": [*NOTE_KIND_IDS, None]})
    engagement_id: int | None = Field(None, ge=0, le=MAX_ID, description="0: none")
    stakeholder_id: int | None = Field(None, ge=0, le=MAX_ID, description="0: none")
    text: str | None = Field(None, json_schema_extra={"maxLength": 100_000, "pattern": _TEXT})
    attribution_consent: bool | None = None
    attributed_to: str | None = Field(None, json_schema_extra={"maxLength": 200, "pattern": _TEXT})


class NoteIn(NoteFields):
    title: str = Field(json_schema_extra={"maxLength": 200, "pattern": _TEXT})
    text: str = Field(json_schema_extra={"maxLength": 100_000, "pattern": _TEXT})


class NotePatch(NoteFields):
    version: int = Field(ge=1, le=MAX_VERSION)


class ExcerptOut(Schema):
    id: int
    version: int
    note_id: int
    start: int
    end: int
    """Characters start to end of the note's text."""
    text: str
    codes: list[int]
    code_names: list[str]
    is_quote: bool
    memo: str
    created_at: datetime
    updated_at: datetime


class ExcerptPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[ExcerptOut]


class ExcerptIn(Schema):
    """A passage of the note: its exact words, optionally with its start and end (a
    selection), or with ``occurrence`` (0 for the first) when the words occur more than once."""

    model_config = ConfigDict(extra="forbid")

    passage: str = Field(json_schema_extra={"maxLength": 20_000, "pattern": _TEXT})
    start: int | None = Field(None, ge=0, le=100_000)
    end: int | None = Field(None, ge=0, le=100_000)
    occurrence: int | None = Field(None, ge=0, le=100_000)
    codes: list[int] = Field(json_schema_extra={"items": {"minimum": 1, "maximum": MAX_ID}})
    is_quote: bool | None = None
    memo: str | None = Field(None, json_schema_extra={"maxLength": 2000, "pattern": _TEXT})


class ExcerptPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=MAX_VERSION)
    codes: list[int] | None = Field(
        None, json_schema_extra={"items": {"minimum": 1, "maximum": MAX_ID}}
    )
    is_quote: bool | None = None
    memo: str | None = Field(None, json_schema_extra={"maxLength": 2000, "pattern": _TEXT})


class CodeConflictOut(Schema):
    error: ErrorDetail
    current: CodeOut | None = None


class NoteConflictOut(Schema):
    error: ErrorDetail
    current: NoteOut | None = None


class ExcerptConflictOut(Schema):
    error: ErrorDetail
    current: ExcerptOut | None = None


def _body(schema: type[Schema]) -> dict[str, Any]:
    content = {"application/json": {"schema": schema.model_json_schema()}}
    return {"requestBody": {"required": True, "content": content}}


def _read(request: HttpRequest, schema: type[Schema], noun: str) -> dict[str, Any]:
    try:
        return read_body(request, schema)  # type: ignore[arg-type]
    except FieldProblems as exc:
        exc.fields = {
            name: [m.replace("a stakeholder", noun) for m in messages]
            for name, messages in exc.fields.items()
        }
        raise


def unprocessable(title: str, fields: dict[str, list[str]]) -> Status[dict[str, Any]]:
    """422: the body has the documented shape, but the workspace's data refuses it (a
    name in use, a parent under its own child, a passage not in the note...)."""
    count = sum(len(m) for m in fields.values())
    problems = "1 problem" if count == 1 else f"{count} problems"
    message = f"Nothing was saved: {problems} with the input, listed in 'fields'."
    error = {"status": 422, "title": title, "message": message, "fields": fields}
    return Status(422, {"error": error})


def _form_fields(form: Any) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def _conflict(current: Any, out: Any, sent: int, noun: str) -> Status[Any]:
    if current is None:
        message = f"Not saved: someone deleted this {noun} after you read it."
    else:
        message = (
            f"Not saved: the {noun} is at version {current.version}, not the version {sent} "
            "you sent. The record as saved now is in 'current'; re-apply your change to it."
        )
    error = {"status": 409, "title": "Changed meanwhile", "message": message}
    return Status(409, {"error": error, "current": None if current is None else out(current)})


# --- codes -----------------------------------------------------------------------------


def _code_outs(workspace: Workspace, codes: list[Code]) -> list[dict[str, Any]]:
    everything = list(Code.objects.filter(workspace=workspace))
    parents = store.parents_of([c for c in everything if c.kind == "custom"])
    counts = rules.counts_with_descendants(parents, store.code_pairs(workspace))
    paths = {row.node.id: row.path for row in store.own_tree(everything)}
    return [
        {
            "id": c.pk,
            "version": c.version,
            "kind": c.kind,
            "ref": c.ref,
            "name": c.name,
            "parent_id": c.parent_id,
            "path": paths.get(c.pk, c.name) if c.kind == "custom" else c.name,
            "description": c.description,
            "excerpts": counts.get(c.pk, 0),
            "updated_at": c.updated_at,
        }
        for c in codes
    ]


def _code_out(code: Code) -> dict[str, Any]:
    return _code_outs(code.workspace, [code])[0]


@router.get(
    W + "/codes",
    response={200: CodePage, **READ_ERRORS},
    summary="The codebook: built-in codes (predictors, conditions) and the coalition's own",
)
def list_codes(
    request: HttpRequest,
    slug: str,
    kind: Literal["predictor", "condition", "custom"] | None = Query(None),
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    workspace = workspace_of(request)
    rows = Code.objects.filter(workspace=workspace).order_by("kind", "name", "pk")
    if kind:
        rows = rows.filter(kind=kind)
    items = _code_outs(workspace, list(rows[offset : offset + limit]))
    return paging.page(request, rows.count(), items, limit, offset)


def _code(workspace: Workspace, code_id: int, own: bool = False) -> Code:
    found = Code.objects.filter(workspace=workspace, pk=code_id).first()
    if found is None:
        raise ApiError(404, "Not found", f"This workspace has no code {code_id}.")
    if own and found.kind != "custom":
        raise ApiError(403, "Built-in code", "Built-in codes cannot be changed or deleted.")
    return found


def _code_form(workspace: Workspace, code: Code, sent: dict[str, Any]) -> CodeForm:
    data: dict[str, Any] = {
        "name": code.name,
        "parent": code.parent_id or "",
        "description": code.description,
        "version": code.version if code.pk else None,
    }
    if "parent_id" in sent:
        data["parent"] = sent.pop("parent_id") or ""
    data |= sent
    return CodeForm({k: v for k, v in data.items() if v is not None}, instance=code,
                    workspace=workspace)  # fmt: skip


@router.post(
    W + "/codes",
    response={201: CodeOut, **BODY_ERRORS, **FIELD_ERRORS},
    summary="Add an own code (editor or owner)",
    openapi_extra=_body(CodeIn),
)
def create_code(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    try:
        sent = _read(request, CodeIn, "a code")
    except FieldProblems as exc:
        return field_errors("Invalid code", exc.fields)
    form = _code_form(workspace, Code(workspace=workspace), sent)
    if not form.is_valid():
        return unprocessable("Invalid code", _form_fields(form))
    try:
        with transaction.atomic():
            obj = add_record(form, workspace, request.user, "through the API")
    except IntegrityError:
        return unprocessable("Invalid code", {"name": ["This name is already in use."]})
    return Status(201, _code_out(obj))


@router.get(W + "/codes/{code_id}", response={200: CodeOut, **READ_ERRORS}, summary="One code")
def get_code(request: HttpRequest, slug: str, code_id: int = record_id_param()) -> Any:
    return _code_out(_code(workspace_of(request), code_id))


@router.patch(
    W + "/codes/{code_id}",
    response={200: CodeOut, **BODY_ERRORS, **FIELD_ERRORS, 409: CodeConflictOut},
    summary="Change an own code: send the version you read and the fields to change",
    openapi_extra=_body(CodePatch),
)
def update_code(request: HttpRequest, slug: str, code_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    code = _code(workspace, code_id, own=True)
    try:
        sent = _read(request, CodePatch, "a code")
    except FieldProblems as exc:
        return field_errors("Invalid change", exc.fields)
    version = sent["version"]
    form = _code_form(workspace, code, sent)
    if not form.is_valid():
        return unprocessable("Invalid change", _form_fields(form))
    try:
        with transaction.atomic():
            obj = save_versioned(form, version, request.user)
            record(workspace, request.user, "edited", record_label(obj), "through the API")
    except StaleVersion:
        return _conflict(Code.objects.filter(pk=code_id).first(), _code_out, version, "code")
    except IntegrityError:
        return unprocessable("Invalid change", {"name": ["This name is already in use."]})
    return Status(200, _code_out(obj))


@router.delete(
    W + "/codes/{code_id}",
    response={204: None, 409: CodeConflictOut, **CHANGE_ERRORS},
    summary="Delete an own code; its child codes move up to its parent unless children=delete",
)
def delete_code(
    request: HttpRequest,
    slug: str,
    code_id: int = record_id_param(),
    version: int = version_param(),
    children: Literal["reparent", "delete"] = "reparent",
) -> Any:
    workspace = workspace_of(request)
    code = _code(workspace, code_id, own=True)
    below = rules.descendants(store.parents_of(store.own_codes(workspace)), code.pk)
    try:
        with transaction.atomic():
            claim_version(Code, code.pk, version)
            if children == "delete":
                Code.objects.filter(pk__in=below).delete()
            else:
                Code.objects.filter(parent=code).update(parent=code.parent)
            Code.objects.filter(pk=code.pk).delete()
            record(workspace, request.user, "deleted", f"code “{code}”", "through the API")
    except StaleVersion:
        return _conflict(Code.objects.filter(pk=code_id).first(), _code_out, version, "code")
    return Status(204, None)


# --- notes -----------------------------------------------------------------------------


def _note_summary(note: Note, excerpts: int) -> dict[str, Any]:
    return {
        "id": note.pk,
        "version": note.version,
        "title": note.title,
        "kind": note.kind,
        "engagement_id": note.engagement_id,
        "stakeholder_id": note.stakeholder_id,
        "attribution": store.attribution(note),
        "excerpts": excerpts,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


def _note_out(note: Note) -> dict[str, Any]:
    return {
        **_note_summary(note, note.excerpts.count()),
        "text": note.text,
        "attribution_consent": note.attribution_consent,
        "attributed_to": note.attributed_to,
        "updated_by": note.updated_by.get_username() if note.updated_by else None,
    }


@router.get(
    W + "/notes",
    response={200: NotePage, **READ_ERRORS},
    summary="Notes, newest first (without their text: read one note for it)",
)
def list_notes(
    request: HttpRequest,
    slug: str,
    kind: NoteKind | None = Query(None, description="A kind of note"),  # noqa: B008
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    rows = Note.objects.filter(workspace=workspace_of(request)).defer("text")
    if kind:
        rows = rows.filter(kind=kind)
    rows = rows.annotate(n=Count("excerpts")).order_by("-created_at", "-pk")
    items = [_note_summary(n, n.n) for n in rows[offset : offset + limit]]
    return paging.page(request, rows.count(), items, limit, offset)


def _note(workspace: Workspace, note_id: int) -> Note:
    found = Note.objects.filter(workspace=workspace, pk=note_id).first()
    if found is None:
        raise ApiError(404, "Not found", f"This workspace has no note {note_id}.")
    return found


def _note_form(workspace: Workspace, note: Note, sent: dict[str, Any]) -> NoteForm:
    data: dict[str, Any] = {
        "title": note.title,
        "kind": note.kind,
        "engagement": note.engagement_id or "",
        "stakeholder": note.stakeholder_id or "",
        "text": note.text,
        "attribution_consent": note.attribution_consent,
        "attributed_to": note.attributed_to,
        "version": note.version if note.pk else None,
    }
    for name in ("engagement", "stakeholder"):
        if f"{name}_id" in sent:
            data[name] = sent.pop(f"{name}_id") or ""
    data |= sent
    return NoteForm({k: v for k, v in data.items() if v is not None}, instance=note,
                    workspace=workspace)  # fmt: skip


@router.post(
    W + "/notes",
    response={201: NoteOut, **BODY_ERRORS, **FIELD_ERRORS},
    summary="Add a note (editor or owner)",
    openapi_extra=_body(NoteIn),
)
def create_note(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    try:
        sent = _read(request, NoteIn, "a note")
    except FieldProblems as exc:
        return field_errors("Invalid note", exc.fields)
    form = _note_form(workspace, Note(workspace=workspace), sent)
    if not form.is_valid():
        return unprocessable("Invalid note", _form_fields(form))
    with transaction.atomic():
        obj = add_record(form, workspace, request.user, "through the API")
    return Status(201, _note_out(obj))


@router.get(
    W + "/notes/{note_id}", response={200: NoteOut, **READ_ERRORS}, summary="One note, with text"
)
def get_note(request: HttpRequest, slug: str, note_id: int = record_id_param()) -> Any:
    return _note_out(_note(workspace_of(request), note_id))


@router.patch(
    W + "/notes/{note_id}",
    response={200: NoteOut, **BODY_ERRORS, **FIELD_ERRORS, 409: NoteConflictOut},
    summary="Change a note (its excerpts follow their passages in a changed text)",
    openapi_extra=_body(NotePatch),
)
def update_note(request: HttpRequest, slug: str, note_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    note = _note(workspace, note_id)
    try:
        sent = _read(request, NotePatch, "a note")
    except FieldProblems as exc:
        return field_errors("Invalid change", exc.fields)
    version = sent["version"]
    form = _note_form(workspace, note, sent)
    if not form.is_valid():
        return unprocessable("Invalid change", _form_fields(form))
    return save_or_conflict(
        request,
        workspace,
        form,
        version,
        _note_out,
        lambda: _conflict(Note.objects.filter(pk=note_id).first(), _note_out, version, "note"),
    )


@router.delete(
    W + "/notes/{note_id}",
    response={204: None, 409: NoteConflictOut, **CHANGE_ERRORS},
    summary="Delete a note and its excerpts: send the version you read",
)
def delete_note(
    request: HttpRequest, slug: str, note_id: int = record_id_param(),
    version: int = version_param(),
) -> Any:  # fmt: skip
    workspace = workspace_of(request)
    note = _note(workspace, note_id)
    return delete_or_conflict(
        request,
        workspace,
        note,
        version,
        lambda: _conflict(Note.objects.filter(pk=note_id).first(), _note_out, version, "note"),
    )


# --- excerpts --------------------------------------------------------------------------


def _excerpt_out(excerpt: Excerpt) -> dict[str, Any]:
    codes = list(excerpt.codes.all())
    return {
        "id": excerpt.pk,
        "version": excerpt.version,
        "note_id": excerpt.note_id,
        "start": excerpt.start,
        "end": excerpt.end,
        "text": excerpt.text,
        "codes": [c.pk for c in codes],
        "code_names": [c.name for c in codes],
        "is_quote": excerpt.is_quote,
        "memo": excerpt.memo,
        "created_at": excerpt.created_at,
        "updated_at": excerpt.updated_at,
    }


@router.get(
    W + "/notes/{note_id}/excerpts",
    response={200: ExcerptPage, **READ_ERRORS},
    summary="A note's coded excerpts, in the order of the text",
)
def list_excerpts(
    request: HttpRequest,
    slug: str,
    note_id: int = record_id_param(),
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    workspace = workspace_of(request)
    note = _note(workspace, note_id)
    rows = store.excerpts_of(workspace).filter(note=note).order_by("start", "pk")
    items = [_excerpt_out(e) for e in rows[offset : offset + limit]]
    return paging.page(request, rows.count(), items, limit, offset)


def _known_codes(workspace: Workspace, codes: list[int]) -> list[str]:
    found = set(Code.objects.filter(workspace=workspace, pk__in=codes).values_list("pk", flat=True))
    return [f"This workspace has no code {c}." for c in codes if c not in found]


@router.post(
    W + "/notes/{note_id}/excerpts",
    response={201: ExcerptOut, **BODY_ERRORS, **FIELD_ERRORS},
    summary="Code a passage of a note",
    openapi_extra=_body(ExcerptIn),
)
def create_excerpt(request: HttpRequest, slug: str, note_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    note = _note(workspace, note_id)
    try:
        sent = _read(request, ExcerptIn, "an excerpt")
    except FieldProblems as exc:
        return field_errors("Invalid excerpt", exc.fields)
    if unknown := _known_codes(workspace, sent.get("codes", [])):
        return unprocessable("Invalid excerpt", {"codes": unknown})
    form = ExcerptForm(sent, note=note)
    if not form.is_valid():
        fields = _form_fields(form)
        if form.occurrences:
            at = ", ".join(str(s.start) for s in form.occurrences)
            fields["occurrence"] = [
                f"Send occurrence 0 to {len(form.occurrences) - 1} (at characters {at}), "
                "or start and end."
            ]
        return unprocessable("Invalid excerpt", fields)
    span = form.cleaned_data["span"]
    with transaction.atomic():
        excerpt = Excerpt.objects.create(
            workspace=workspace, note=note, start=span.start, end=span.end,
            text=note.text[span.start : span.end], is_quote=form.cleaned_data["is_quote"],
            memo=form.cleaned_data["memo"], updated_by=request.user,
        )  # fmt: skip
        excerpt.codes.set(form.cleaned_data["codes"])
        record(workspace, request.user, "coded", f"an excerpt of “{note}”", "through the API")
    return Status(201, _excerpt_out(excerpt))


def _excerpt(workspace: Workspace, excerpt_id: int) -> Excerpt:
    found = Excerpt.objects.filter(workspace=workspace, pk=excerpt_id).first()
    if found is None:
        raise ApiError(404, "Not found", f"This workspace has no excerpt {excerpt_id}.")
    return found


@router.get(
    W + "/excerpts/{excerpt_id}", response={200: ExcerptOut, **READ_ERRORS}, summary="One excerpt"
)
def get_excerpt(request: HttpRequest, slug: str, excerpt_id: int = record_id_param()) -> Any:
    return _excerpt_out(_excerpt(workspace_of(request), excerpt_id))


@router.patch(
    W + "/excerpts/{excerpt_id}",
    response={200: ExcerptOut, **BODY_ERRORS, **FIELD_ERRORS, 409: ExcerptConflictOut},
    summary="Change an excerpt's codes, quote flag or memo",
    openapi_extra=_body(ExcerptPatch),
)
def update_excerpt(request: HttpRequest, slug: str, excerpt_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    excerpt = _excerpt(workspace, excerpt_id)
    try:
        sent = _read(request, ExcerptPatch, "an excerpt")
    except FieldProblems as exc:
        return field_errors("Invalid change", exc.fields)
    if unknown := _known_codes(workspace, sent.get("codes", [])):
        return unprocessable("Invalid change", {"codes": unknown})
    data = {"codes": [c.pk for c in excerpt.codes.all()], "is_quote": excerpt.is_quote,
            "memo": excerpt.memo, **sent}  # fmt: skip
    form = ExcerptEditForm(data, instance=excerpt, workspace=workspace)
    if not form.is_valid():
        return unprocessable("Invalid change", _form_fields(form))
    version = sent["version"]
    try:
        with transaction.atomic():
            obj = save_versioned(form, version, request.user)
            record(workspace, request.user, "edited", record_label(obj), "through the API")
    except StaleVersion:
        current = Excerpt.objects.filter(pk=excerpt_id).first()
        return _conflict(current, _excerpt_out, version, "excerpt")
    return Status(200, _excerpt_out(obj))


@router.delete(
    W + "/excerpts/{excerpt_id}",
    response={204: None, 409: ExcerptConflictOut, **CHANGE_ERRORS},
    summary="Delete an excerpt (the note stays): send the version you read",
)
def delete_excerpt(
    request: HttpRequest, slug: str, excerpt_id: int = record_id_param(),
    version: int = version_param(),
) -> Any:  # fmt: skip
    workspace = workspace_of(request)
    excerpt = _excerpt(workspace, excerpt_id)
    return delete_or_conflict(
        request,
        workspace,
        excerpt,
        version,
        lambda: _conflict(
            Excerpt.objects.filter(pk=excerpt_id).first(), _excerpt_out, version, "excerpt"
        ),
    )
