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

from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from upward.planning import coding as rules
from upward.planning import knowledge as vocab
from upward.web.api.errors import ApiError
from upward.web.api.paging import page_schema
from upward.web.api.params import (
    MAX_ID,
    MAX_VERSION,
    NO_NUL_PATTERN,
    record_id_param,
    version_param,
)
from upward.web.api.records import (
    THROUGH_API,
    RecordRoutes,
    Refusal,
    Refused,
    Words,
    answer_problems,
    body_schema,
    form_fields,
    paged,
    read_body,
    sent,
    user_name,
)
from upward.web.api.workspace_auth import (
    BODY_ERRORS,
    CHANGE_ERRORS,
    W,
    WorkspaceMember,
    workspace_of,
)
from upward.web.api.workspace_schemas import FieldErrorOut, conflict_schema
from upward.web.knowledge import coding_store as store
from upward.web.knowledge.forms_coding import CodeForm, ExcerptEditForm, ExcerptForm, NoteForm
from upward.web.knowledge.models import Code, Excerpt, Note
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import StaleVersion

router = Router(tags=["workspaces"], auth=WorkspaceMember())

_TEXT = NO_NUL_PATTERN
_NAME = r"^[^\x00>]*[^\s\x00>][^\x00>]*$"
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


CodePage = page_schema("CodePage", CodeOut)


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


NotePage = page_schema("NotePage", NoteSummaryOut)


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


ExcerptPage = page_schema("ExcerptPage", ExcerptOut)


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


CodeConflictOut = conflict_schema("CodeConflictOut", CodeOut)
NoteConflictOut = conflict_schema("NoteConflictOut", NoteOut)
ExcerptConflictOut = conflict_schema("ExcerptConflictOut", ExcerptOut)
# 400 for a body that does not fit the document, 422 for one the workspace's data refuses.
REFUSAL = Refusal(422)


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


def code_out(request: HttpRequest, code: Code) -> dict[str, Any]:
    return _code_outs(code.workspace, [code])[0]


def code_form(workspace: Workspace, code: Code, body: Any) -> CodeForm:
    data: dict[str, Any] = {
        "name": code.name,
        "parent": code.parent_id or "",
        "description": code.description,
        "version": code.version if code.pk else None,
    }
    given = sent(body)
    if "parent_id" in given:
        data["parent"] = given.pop("parent_id") or ""
    data |= given
    return CodeForm({k: v for k, v in data.items() if v is not None}, instance=code,
                    workspace=workspace)  # fmt: skip


def own(code: Code) -> None:
    """Built-in codes (predictors, conditions) are read-only: 403."""
    if code.kind != "custom":
        raise ApiError(403, "Built-in code", "Built-in codes cannot be changed or deleted.")


codes = RecordRoutes(
    router, __name__, Code, "/codes", "code_id", "code", Words("code", stale="code"),
    code_out, CodeOut, CodeConflictOut, form=code_form, refusal=REFUSAL, unique="name",
)  # fmt: skip


@codes.listing(
    "The codebook: built-in codes (predictors, conditions) and the coalition's own", CodePage,
    batch=lambda request, page: _code_outs(workspace_of(request), page),  # one count for all
)  # fmt: skip
def list_codes(
    workspace: Workspace,
    kind: Literal["predictor", "condition", "custom"] | None = Query(None),
) -> QuerySet[Code]:
    rows = Code.objects.filter(workspace=workspace).order_by("kind", "name", "pk")
    return rows.filter(kind=kind) if kind else rows


codes.create("Add an own code (editor or owner)", CodeIn)
codes.get("One code")
codes.update(
    "Change an own code: send the version you read and the fields to change", CodePatch, own
)


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
    code = codes.find(workspace, code_id)
    own(code)
    below = None
    if children == "delete":
        below = rules.descendants(store.parents_of(store.own_codes(workspace)), code.pk)
    try:
        with transaction.atomic():
            store.delete_code(code, version, below)
            record(workspace, request.user, "deleted", f"code “{code}”", THROUGH_API)
    except StaleVersion:
        return codes.conflict(request, code_id, version)
    return Status(204, None)


# --- notes -----------------------------------------------------------------------------


def note_summary(request: HttpRequest, note: Note) -> dict[str, Any]:
    """A note in a list: without its text, with its excerpts counted (``n``) by the query."""
    return {
        "id": note.pk,
        "version": note.version,
        "title": note.title,
        "kind": note.kind,
        "engagement_id": note.engagement_id,
        "stakeholder_id": note.stakeholder_id,
        "attribution": store.attribution(note),
        "excerpts": note.n if hasattr(note, "n") else note.excerpts.count(),
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


def note_out(request: HttpRequest, note: Note) -> dict[str, Any]:
    return {
        **note_summary(request, note),
        "text": note.text,
        "attribution_consent": note.attribution_consent,
        "attributed_to": note.attributed_to,
        "updated_by": user_name(note.updated_by),
    }


def note_form(workspace: Workspace, note: Note, body: Any) -> NoteForm:
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
    given = sent(body)
    for name in ("engagement", "stakeholder"):
        if f"{name}_id" in given:
            data[name] = given.pop(f"{name}_id") or ""
    data |= given
    return NoteForm({k: v for k, v in data.items() if v is not None}, instance=note,
                    workspace=workspace)  # fmt: skip


notes = RecordRoutes(
    router, __name__, Note, "/notes", "note_id", "note", Words("note", stale="note"),
    note_out, NoteOut, NoteConflictOut, form=note_form, refusal=REFUSAL,
)  # fmt: skip


@notes.listing(
    "Notes, newest first (without their text: read one note for it)", NotePage, item=note_summary
)
def list_notes(
    workspace: Workspace,
    kind: NoteKind | None = Query(None, description="A kind of note"),  # noqa: B008
) -> QuerySet[Note]:
    rows = Note.objects.filter(workspace=workspace).defer("text")
    if kind:
        rows = rows.filter(kind=kind)
    return rows.annotate(n=Count("excerpts")).order_by("-created_at", "-pk")


notes.create("Add a note (editor or owner)", NoteIn)
notes.get("One note, with text")
notes.update("Change a note (its excerpts follow their passages in a changed text)", NotePatch)
notes.delete("Delete a note and its excerpts: send the version you read")


# --- excerpts --------------------------------------------------------------------------


def excerpt_out(request: HttpRequest, excerpt: Excerpt) -> dict[str, Any]:
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


def _known_codes(workspace: Workspace, codes: list[int]) -> list[str]:
    found = set(Code.objects.filter(workspace=workspace, pk__in=codes).values_list("pk", flat=True))
    return [f"This workspace has no code {c}." for c in codes if c not in found]


def excerpt_form(workspace: Workspace, excerpt: Excerpt, body: Any) -> ExcerptEditForm:
    given = sent(body)
    if unknown := _known_codes(workspace, given.get("codes", [])):
        raise Refused({"codes": unknown})
    data = {"codes": [c.pk for c in excerpt.codes.all()], "is_quote": excerpt.is_quote,
            "memo": excerpt.memo, **given}  # fmt: skip
    return ExcerptEditForm(data, instance=excerpt, workspace=workspace)


excerpts = RecordRoutes(
    router, __name__, Excerpt, "/excerpts", "excerpt_id", "excerpt",
    Words("excerpt", stale="excerpt"), excerpt_out, ExcerptOut, ExcerptConflictOut,
    form=excerpt_form, refusal=REFUSAL,
)  # fmt: skip


@paged(
    router, W + "/notes/{note_id}/excerpts", ExcerptPage,
    "A note's coded excerpts, in the order of the text", excerpt_out,
)  # fmt: skip
def list_excerpts(workspace: Workspace, note_id: int = record_id_param()) -> QuerySet[Excerpt]:
    note = notes.find(workspace, note_id)
    return store.excerpts_of(workspace).filter(note=note).order_by("start", "pk")


@router.post(
    W + "/notes/{note_id}/excerpts",
    response={201: ExcerptOut, **BODY_ERRORS, 400: FieldErrorOut, 422: FieldErrorOut},
    summary="Code a passage of a note",
    openapi_extra=body_schema(ExcerptIn),
)
@answer_problems("Invalid excerpt")
def create_excerpt(request: HttpRequest, slug: str, note_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    note = notes.find(workspace, note_id)
    given = sent(read_body(request, ExcerptIn, "an excerpt"))
    if unknown := _known_codes(workspace, given.get("codes", [])):
        raise Refused({"codes": unknown})
    form = ExcerptForm(given, note=note)
    if not form.is_valid():
        fields = form_fields(form)
        if form.occurrences:
            at = ", ".join(str(s.start) for s in form.occurrences)
            fields["occurrence"] = [
                f"Send occurrence 0 to {len(form.occurrences) - 1} (at characters {at}), "
                "or start and end."
            ]
        raise Refused(fields)
    span = form.cleaned_data["span"]
    with transaction.atomic():
        excerpt = Excerpt.objects.create(
            workspace=workspace, note=note, start=span.start, end=span.end,
            text=note.text[span.start : span.end], is_quote=form.cleaned_data["is_quote"],
            memo=form.cleaned_data["memo"], updated_by=request.user,
        )  # fmt: skip
        excerpt.codes.set(form.cleaned_data["codes"])
        record(workspace, request.user, "coded", f"an excerpt of “{note}”", THROUGH_API)
    return Status(201, excerpt_out(request, excerpt))


excerpts.get("One excerpt")
excerpts.update("Change an excerpt's codes, quote flag or memo", ExcerptPatch)
excerpts.delete("Delete an excerpt (the note stays): send the version you read")
