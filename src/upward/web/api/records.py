"""One way to serve a workspace record over the API: list, read, add, change, delete.

A :class:`RecordRoutes` says what is particular to a kind of record (its model, its
address, its words, its JSON, the page form that validates it) and registers the routes
that every record has on the record's router; a router writes by hand only the routes
that are its own. The answers are the same for every record:

* a body that breaks the document: 400 with a message per field in ``error.fields``
  (``__all__`` for the body as a whole);
* a body that fits it but that the pages' own form refuses: 400, or 422 where the
  record's :class:`Refusal` says so, with the form's messages per field;
* an id the workspace does not have: 404; a change or a delete sent with a stale version:
  409 with the record as saved now in ``current`` (null when it was deleted meanwhile).

Every change goes to the activity log, "through the API". A router reads::

    notes = RecordRoutes(router, __name__, Note, "/notes", "note_id", "note", Words("note"),
                         note_out, NoteOut, NoteConflictOut, form=note_form)

    @notes.listing("Notes, newest first", NotePage)
    def list_notes(workspace: Workspace, kind: NoteKind | None = None) -> QuerySet[Note]:
        ...  # the workspace's rows, filtered and ordered: paged by the route

    notes.create("Add a note", NoteIn)  # POST /workspaces/{slug}/notes: create_note
    notes.get("One note")  # GET .../notes/{note_id}: get_note
    notes.update("Change a note", NotePatch)  # PATCH (replace: PUT) with the version read
    notes.delete("Delete a note")  # DELETE ...?version=N

Each route keeps the operation id a hand-written view of that name in the router's module
had (``upward_web_api_workspace_findings_get_note``).

A route of a router's own gives the same answers with the same helpers: it reads its body
with :func:`read_body` (or :func:`valid_form`, through the page's form), raises
:class:`FieldProblems` or :class:`Refused` and is decorated with
``@answer_problems("Invalid …")``; its 409 is :func:`conflict_answer`; its JSON names who
saved a record with :func:`user_name`.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ValidationError as SchemaError

from upward.web.api import paging
from upward.web.api.errors import ApiError
from upward.web.api.params import record_id_param, version_param
from upward.web.api.workspace_auth import (
    BODY_ERRORS,
    CHANGE_ERRORS,
    READ_ERRORS,
    W,
    workspace_of,
)
from upward.web.api.workspace_schemas import FieldErrorOut
from upward.web.workspace.access import role_refusal
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import StaleVersion, delete_versioned, save_versioned
from upward.web.workspace.views.common import add_record, record_label

M = TypeVar("M", bound=models.Model)
#: A record's JSON (the request makes absolute links).
Out = Callable[[HttpRequest, M], dict[str, Any]]
Fields = dict[str, list[str]]
#: A page of records' JSON, made together (one query for all).
Batch = Callable[[HttpRequest, list[Any]], list[dict[str, Any]]]

THROUGH_API = "through the API"
# What a 400 says for a value that breaks the document (pydantic's words otherwise).
SCHEMA_PROBLEMS = {
    "missing": "This field is required.",
    "string_type": "Must be text.",
    "list_type": "Must be a list of ids.",
    "int_type": "Must be a whole number.",
    "int_parsing": "Must be a whole number.",
}
_REQUEST = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)
_SLUG = inspect.Parameter("slug", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str)


# --- bodies ----------------------------------------------------------------------------


class FieldProblems(Exception):
    """The body breaks the document: 400, with these messages per field."""

    def __init__(self, fields: Fields) -> None:
        super().__init__("invalid input")
        self.fields = fields


class Refused(FieldProblems):
    """The body fits the document, but the workspace's data refuses it (the record's
    refusal status, with these messages per field)."""


def field_errors(
    title: str, fields: Fields, status: int = 400, about: str = "input"
) -> Status[dict[str, Any]]:
    """``status`` (400: the body breaks the document) with a message per field."""
    count = sum(len(m) for m in fields.values())
    problems = "1 problem" if count == 1 else f"{count} problems"
    message = f"Nothing was saved: {problems} with the {about}, listed in 'fields'."
    error = {"status": status, "title": title, "message": message, "fields": fields}
    return Status(status, {"error": error})


V = TypeVar("V", bound=Callable[..., Any])


def answer_problems(title: str, about: str = "input") -> Callable[[V], V]:
    """Decorate a hand-written view that reads a body: a :class:`FieldProblems` it raises
    is answered 400 with a message per field, a :class:`Refused` 422 (both titled
    ``title``: "Nothing was saved: 2 problems with the ``about``")."""

    def decorate(view: V) -> V:
        @functools.wraps(view)
        def answered(*args: Any, **kwargs: Any) -> Any:
            try:
                return view(*args, **kwargs)
            except FieldProblems as problems:
                status = 422 if isinstance(problems, Refused) else 400
                return field_errors(title, problems.fields, status, about)

        # ninja reads the parameters' types from the signature, resolved in view's module
        answered.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        return answered  # type: ignore[return-value]

    return decorate


def unprocessable(title: str, fields: Fields) -> Status[dict[str, Any]]:
    """422: the body fits the document, but the workspace's data or the form's rules across
    fields refuse it."""
    return field_errors(title, fields, 422)


def form_fields(form: forms.BaseForm) -> Fields:
    """A bound form's messages per field."""
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


S = TypeVar("S", bound=Schema)


def read_body(
    request: HttpRequest,
    schema: type[S],
    a_noun: str,
    *,
    dotted: bool = False,
    problems: Mapping[str, str] = SCHEMA_PROBLEMS,
) -> S:
    """The JSON body checked against ``schema``, or :class:`FieldProblems` per field: the
    top-level field, or with ``dotted`` its whole place (``questions.0.text``); a field
    the schema does not have "is not a field of ``a_noun``"."""
    try:
        raw = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise FieldProblems({"__all__": ["The request body is not valid JSON."]}) from None
    if not isinstance(raw, dict):
        raise FieldProblems({"__all__": ["The request body must be a JSON object."]})
    try:
        return schema.model_validate(raw)
    except SchemaError as exc:
        fields: Fields = {}
        for error in exc.errors():
            loc = error["loc"]
            name = (".".join(str(x) for x in loc) if dotted else str(loc[0])) if loc else "__all__"
            if error["type"] == "extra_forbidden":
                problem = f"This is not a field of {a_noun}."
            else:
                problem = problems.get(error["type"], str(error["msg"]).capitalize() + ".")
            fields.setdefault(name, []).append(problem)
        raise FieldProblems(fields) from None


def user_name(user: Any) -> str | None:
    """Who saved (wrote, decided) a record, as its JSON names them; None for nobody."""
    return user.get_username() if user else None


def conflict_answer(
    message: str, current: Any, key: str = "current", title: str = "Changed meanwhile"
) -> Status[Any]:
    """409: what was sent is stale, or no longer applies (``message`` says why); ``current``
    (under ``key``) is what is saved now, for the caller to start again from."""
    error = {"status": 409, "title": title, "message": message}
    return Status(409, {"error": error, key: current})


def sent(body: Schema) -> dict[str, Any]:
    """The fields a body sent, a null taken as not sent."""
    return {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}


F = TypeVar("F", bound=forms.BaseForm)


def valid_form(
    request: HttpRequest, schema: type[Schema], a_noun: str, form: Callable[[dict[str, Any]], F]
) -> F:
    """The page's form ``form(fields the body sent)``, valid; else :class:`FieldProblems`
    (400 per field), for the body or for the form's own messages."""
    bound = form(sent(read_body(request, schema, a_noun)))
    if not bound.is_valid():
        raise FieldProblems(form_fields(bound))
    return bound


def _inlined(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with each ``{"$ref": "#/$defs/X"}`` replaced by X itself."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inlined(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inlined(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inlined(v, defs) for v in node]
    return node


def body_schema(schema: type[Schema]) -> dict[str, Any]:
    """``openapi_extra`` declaring ``schema`` as the required JSON body, nested models
    written in place (a ``$defs`` reference does not resolve inside the document)."""
    raw = schema.model_json_schema()
    body = _inlined(raw, raw.get("$defs", {}))
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": body}}}}


def page_form(
    form: type[forms.ModelForm], **defaults: Any
) -> Callable[[Workspace, Any, Any], forms.ModelForm]:
    """A record's form for :class:`RecordRoutes`: the pages' ``form`` bound to the fields
    the body sent, over ``defaults`` for those it left out."""

    def bound(workspace: Workspace, instance: Any, body: Any) -> forms.ModelForm:
        return form({**defaults, **sent(body)}, instance=instance, workspace=workspace)  # type: ignore[call-arg]

    return bound


# --- words -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """How the answers about a record name it."""

    noun: str  # "Invalid stakeholder"; "someone deleted this stakeholder after you read it"
    named: str = ""  # "This workspace has no local series 3." (default: noun)
    a_noun: str = ""  # "This is not a field of an official." (default: noun with a or an)
    stale: str = "record"  # "Not saved: the record is at version 3, ..."
    shown: str = "record"  # "The record as saved now is in 'current'"
    saved_by: bool = False  # the 409 says who saved the version it is at, and when

    @property
    def not_a_field(self) -> str:
        return self.a_noun or ("an " if self.noun[0] in "aeiou" else "a ") + self.noun

    def not_found(self, record_id: int) -> str:
        return f"This workspace has no {self.named or self.noun} {record_id}."

    def changed(self, current: Any, sent_version: int) -> str:
        """Why a change sent at ``sent_version`` was not saved over ``current`` (or None)."""
        if current is None:
            return f"Not saved: someone deleted this {self.noun} after you read it."
        at = f"version {current.version}"
        if self.saved_by:
            who = user_name(current.updated_by) or "someone"
            at += f" (saved by {who} at {current.updated_at:%Y-%m-%d %H:%M} UTC)"
        return (
            f"Not saved: the {self.stale} is at {at}, not the version {sent_version} you "
            f"sent. The {self.shown} as saved now is in 'current'; re-apply your change to it."
        )


@dataclass(frozen=True)
class Refusal:
    """What the answer is when the pages' form refuses a body that fits the document."""

    status: int = 400
    title: str = ""  # one title for every refusal (default: the route's, "Invalid change")
    about: str = "input"  # "Nothing was saved: 2 problems with the input"


# --- routes ----------------------------------------------------------------------------


def paged(
    router: Router,
    path: str,
    page: type[Schema],
    summary: str,
    item: Out[Any],
    limit: int = paging.DEFAULT_LIMIT,
    batch: Batch | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated ``rows(workspace, **filters) -> QuerySet`` as the paged list
    at ``path``: its name is the operation's, its parameters after the workspace are the
    list's filters (before ``limit`` and ``offset``), ``item`` makes each row's JSON (or
    ``batch`` the whole page's, in one go)."""

    def each(request: HttpRequest, found: list[Any]) -> list[dict[str, Any]]:
        return [item(request, r) for r in found]

    outs = batch or each

    def register(rows: Callable[..., Any]) -> Callable[..., Any]:
        filters = list(inspect.signature(rows, eval_str=True).parameters.values())[1:]

        def view(request: HttpRequest, slug: str, limit: int, offset: int, **kw: Any) -> Any:
            found = rows(workspace_of(request), **kw)
            items = outs(request, list(found[offset : offset + limit]))
            return paging.page(request, found.count(), items, limit, offset)

        pages = [
            _param("limit", int, paging.limit_param(limit)),
            _param("offset", int, paging.offset_param()),
        ]
        _name(view, rows.__module__, rows.__name__, [*filters, *pages])
        router.get(path, response={200: page, **READ_ERRORS}, summary=summary)(view)
        return rows

    return register


def _param(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Parameter(name, kind, default=default, annotation=annotation)


def _name(view: Callable[..., Any], module: str, name: str, params: list[Any]) -> None:
    """Give ``view`` the operation's name and module (its operation id) and the parameters
    ninja reads from the request."""
    view.__name__ = view.__qualname__ = name
    view.__module__ = module
    view.__signature__ = inspect.Signature([_REQUEST, _SLUG, *params])  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RecordRoutes(Generic[M]):
    """The routes of one kind of workspace record, at ``W + path`` and
    ``W + path + "/{id}"``, named ``{verb}_{name}`` in ``module`` (the operation ids)."""

    router: Router
    module: str
    model: type[M]
    path: str  # "/stakeholders"
    id: str  # the record id's path parameter, "stakeholder_id"
    name: str  # "stakeholder": get_stakeholder, create_stakeholder...
    words: Words
    out: Out[M]
    out_schema: type[Schema]
    conflict_schema: type[Schema]
    form: Callable[[Workspace, M, Any], forms.ModelForm]
    """The pages' form for a record and a checked body; it may raise :class:`Refused`."""
    errors: Callable[[Any], Fields] = form_fields
    """The form's messages per field of the body."""
    refusal: Refusal = Refusal()
    unique: str = ""
    """A field unique in the workspace: a clash is refused as "already in use"."""
    dotted: bool = False
    """Name a nested field's problem by its whole place (``questions.0.text``)."""
    problems: Mapping[str, str] = field(default_factory=lambda: SCHEMA_PROBLEMS)
    """What a 400 says per kind of problem (pydantic's words for the others)."""

    @property
    def one(self) -> str:
        return W + self.path + "/{" + self.id + "}"

    def find(self, workspace: Workspace, record_id: int) -> M:
        """The workspace's record ``record_id``, or 404."""
        found = self.model.objects.filter(workspace=workspace, pk=record_id).first()  # type: ignore[attr-defined]
        if found is None:
            raise ApiError(404, "Not found", self.words.not_found(record_id))
        return found

    def conflict(self, request: HttpRequest, record_id: int, sent_version: int) -> Status[Any]:
        """409: the record changed (or went) since ``sent_version``; the body holds it now."""
        current = self.model.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace_of(request), pk=record_id
        ).first()
        now = None if current is None else self.out(request, current)
        return conflict_answer(self.words.changed(current, sent_version), now)

    def _register(
        self, method: str, path: str, verb: str, view: Callable[..., Any], params: list[Any],
        **options: Any,
    ) -> None:  # fmt: skip
        _name(view, self.module, f"{verb}_{self.name}", params)
        self.router.api_operation([method], path, **options)(view)

    def _record_id(self) -> inspect.Parameter:
        return _param(self.id, int, record_id_param())

    def _refuse(self, title: str, fields: Fields) -> Status[dict[str, Any]]:
        r = self.refusal
        return field_errors(r.title or title, fields, r.status, r.about)

    def _field_errors(self) -> dict[int, Any]:
        return {400: FieldErrorOut, 422: FieldErrorOut} if self.refusal.status == 422 else {}

    def _checked(self, request: HttpRequest, schema: type[Schema], instance: M) -> Any:
        """The page's form, valid, for ``instance`` and the body; else FieldProblems."""
        body = read_body(
            request, schema, self.words.not_a_field, dotted=self.dotted, problems=self.problems
        )
        form = self.form(workspace_of(request), instance, body)
        if not form.is_valid():
            raise Refused(self.errors(form))
        return body, form

    def _bad_body(self, title: str, problems: FieldProblems) -> Status[dict[str, Any]]:
        if isinstance(problems, Refused):
            return self._refuse(title, problems.fields)
        return field_errors(title, problems.fields)

    @contextmanager
    def _unique(self) -> Iterator[None]:
        """A clash on the workspace's ``unique`` field refused as "already in use"."""
        try:
            yield
        except IntegrityError:
            if not self.unique:
                raise
            raise Refused({self.unique: ["This name is already in use."]}) from None

    def rows(self, workspace: Workspace) -> models.QuerySet[M]:
        """The workspace's records, each with who saved it last (as its JSON names them)."""
        return self.model.objects.filter(workspace=workspace).select_related("updated_by")  # type: ignore[attr-defined]

    def act(
        self, verb: str, noun: str, suffix: str, summary: str, schema: type[Schema],
        run: Callable[[HttpRequest, M, Any], dict[str, Any]], answer: type[Schema],
        status: int = 200, role: str = "",
    ) -> None:  # fmt: skip
        """POST ``W + path + "/{id}" + suffix``: one thing done to one record (a decision
        about it, a confirmation), with a body that carries the version read. ``run``
        does it and returns the answer's JSON; it raises :class:`Refused` (the record's
        refusal status) or StaleVersion (409 with the record as saved now). ``role``: the
        role it needs beyond the editor's (403 otherwise, before the body is read). The
        operation is ``{verb}_{name}``; ``noun`` names the body ("a decision")."""
        title = f"Invalid {noun}"

        def view(request: HttpRequest, slug: str, **kw: Any) -> Any:
            workspace, record_id = workspace_of(request), kw[self.id]
            instance = self.find(workspace, record_id)
            membership = request.auth  # type: ignore[attr-defined]
            if role and not membership.can(role):
                raise ApiError(403, "Not allowed", role_refusal(membership, role))
            try:
                body = read_body(request, schema, f"a {noun}")
                done = run(request, instance, body)
            except FieldProblems as problems:
                return self._bad_body(title, problems)
            except StaleVersion:
                return self.conflict(request, record_id, body.version)
            return Status(status, done)

        responses = {
            status: answer, **BODY_ERRORS, 400: FieldErrorOut, 409: self.conflict_schema,
            **self._field_errors(),
        }  # fmt: skip
        self._register("POST", self.one + suffix, verb, view, [self._record_id()],
                       response=responses, summary=summary,
                       openapi_extra=body_schema(schema))  # fmt: skip

    def listing(
        self, summary: str, page: type[Schema], limit: int = paging.DEFAULT_LIMIT,
        item: Out[M] | None = None, batch: Batch | None = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # fmt: skip
        """Register the decorated ``rows(workspace, **filters)`` as the list at ``path``."""
        return paged(self.router, W + self.path, page, summary, item or self.out, limit, batch)

    def ordered(
        self, name: str, summary: str, page: type[Schema], *order: str,
        limit: int = paging.DEFAULT_LIMIT,
    ) -> None:  # fmt: skip
        """The list at ``path`` of the workspace's records in ``order``, without filters
        (the operation ``name``, as a hand-written ``rows`` of that name would be)."""

        def rows(workspace: Workspace) -> models.QuerySet[M]:
            return self.rows(workspace).order_by(*order)

        rows.__name__ = rows.__qualname__ = name
        rows.__module__ = self.module
        self.listing(summary, page, limit)(rows)

    def get(self, summary: str) -> None:
        def view(request: HttpRequest, slug: str, **kw: Any) -> Any:
            return self.out(request, self.find(workspace_of(request), kw[self.id]))

        responses = {200: self.out_schema, **READ_ERRORS}
        self._register("GET", self.one, "get", view, [self._record_id()], response=responses,
                       summary=summary)  # fmt: skip

    def create(
        self, summary: str, schema: type[Schema], declared: Mapping[int, Any] | None = None
    ) -> None:
        """POST a new record (201), validated by ``schema`` and the page's form."""
        title = f"Invalid {self.words.noun}"

        def view(request: HttpRequest, slug: str) -> Any:
            workspace = workspace_of(request)
            try:
                _body, form = self._checked(request, schema, self.model(workspace=workspace))
                with self._unique(), transaction.atomic():
                    obj = add_record(form, workspace, request.user, THROUGH_API)
            except FieldProblems as problems:
                return self._bad_body(title, problems)
            return Status(201, self.out(request, obj))

        responses = {
            201: self.out_schema, **BODY_ERRORS, 400: FieldErrorOut, **self._field_errors(),
            **(declared or {}),
        }  # fmt: skip
        self._register("POST", W + self.path, "create", view, [], response=responses,
                       summary=summary, openapi_extra=body_schema(schema))  # fmt: skip

    def update(
        self, summary: str, schema: type[Schema], check: Callable[[M], None] | None = None
    ) -> None:
        """PATCH: the version read and the fields to change (``check`` may refuse the
        record itself, raising ApiError)."""
        self._change("PATCH", "update", summary, schema, check)

    def replace(self, summary: str, schema: type[Schema], verb: str = "replace") -> None:
        """PUT: the whole record again, with the version read."""
        self._change("PUT", verb, summary, schema)

    def _change(
        self, method: str, verb: str, summary: str, schema: type[Schema],
        check: Callable[[M], None] | None = None,
    ) -> None:  # fmt: skip
        title = "Invalid change"

        def view(request: HttpRequest, slug: str, **kw: Any) -> Any:
            workspace, record_id = workspace_of(request), kw[self.id]
            instance = self.find(workspace, record_id)
            if check is not None:
                check(instance)
            try:
                body, form = self._checked(request, schema, instance)
                with self._unique(), transaction.atomic():
                    obj = save_versioned(form, body.version, request.user)
                    record(workspace, request.user, "edited", record_label(obj), THROUGH_API)
            except FieldProblems as problems:
                return self._bad_body(title, problems)
            except StaleVersion:
                return self.conflict(request, record_id, body.version)
            return Status(200, self.out(request, obj))

        responses = {
            200: self.out_schema, **BODY_ERRORS, 400: FieldErrorOut, 409: self.conflict_schema,
            **self._field_errors(),
        }  # fmt: skip
        self._register(method, self.one, verb, view, [self._record_id()], response=responses,
                       summary=summary, openapi_extra=body_schema(schema))  # fmt: skip

    def delete(self, summary: str, also: Callable[[M], None] | None = None) -> None:
        """DELETE with the version read (``also`` runs in the same transaction)."""

        def view(request: HttpRequest, slug: str, **kw: Any) -> Any:
            workspace, record_id, version = workspace_of(request), kw[self.id], kw["version"]
            instance = self.find(workspace, record_id)
            label = record_label(instance)
            try:
                with transaction.atomic():
                    delete_versioned(instance, version)
                    record(workspace, request.user, "deleted", label, THROUGH_API)
                    if also is not None:
                        also(instance)
            except StaleVersion:
                return self.conflict(request, record_id, version)
            return Status(204, None)

        params = [self._record_id(), _param("version", int, version_param())]
        responses = {204: None, 409: self.conflict_schema, **CHANGE_ERRORS}
        self._register("DELETE", self.one, "delete", view, params, response=responses,
                       summary=summary)  # fmt: skip
