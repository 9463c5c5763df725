"""API: a workspace's stakeholder inventory: list, read, add, change, delete.

Changes are validated by the pages' own form (``StakeholderForm``), so the API and the
page accept and refuse the same values with the same messages (in ``error.fields``). A
change or a delete carries the version it was read at; a stale version gets 409 with the
record as saved now. Every change goes to the activity log.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Status
from pydantic import ValidationError as SchemaError

from upward.planning import stakeholder as vocab
from upward.web.api import paging
from upward.web.api.errors import ApiError
from upward.web.api.params import NO_NUL_PATTERN, Sector, record_id_param, version_param
from upward.web.api.versioned import delete_or_conflict
from upward.web.api.workspace_auth import (
    BODY_ERRORS,
    CHANGE_ERRORS,
    READ_ERRORS,
    W,
    WorkspaceMember,
    workspace_of,
)
from upward.web.api.workspace_schemas import (
    ConflictOut,
    FieldErrorOut,
    StakeholderFields,
    StakeholderIn,
    StakeholderOut,
    StakeholderPage,
    StakeholderPatch,
)
from upward.web.workspace.activity import record
from upward.web.workspace.forms.stakeholders import StakeholderForm
from upward.web.workspace.models import Stakeholder, Workspace
from upward.web.workspace.stakeholder_store import FACT_FIELDS, to_facts
from upward.web.workspace.versioning import StaleVersion, save_versioned
from upward.web.workspace.views.common import add_record, record_label

router = Router(tags=["workspaces"], auth=WorkspaceMember())


TEXT_FIELDS = ("name", "organization", "email", "phone", "notes")
CHOICE_FIELDS = ("kind", "relationship", "influence", "role", "invitation_status")


def stakeholder_out(s: Stakeholder) -> dict[str, Any]:
    return {
        **{name: getattr(s, name) for name in (*TEXT_FIELDS, *CHOICE_FIELDS)},
        "id": s.pk,
        "version": s.version,
        "sector": s.sector,
        "sector_label": vocab.label(vocab.SECTORS, s.sector),
        "pillars": list(s.pillars or []),
        "predictors": list(s.predictors or []),
        "active": to_facts({name: getattr(s, name) for name in FACT_FIELDS}).active,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "updated_by": s.updated_by.get_username() if s.updated_by else None,
    }


@router.get(
    W + "/stakeholders",
    response={200: StakeholderPage, **READ_ERRORS},
    summary="The stakeholder inventory, by name",
)
def list_stakeholders(
    request: HttpRequest,
    slug: str,
    q: str | None = Query(
        None, max_length=100, pattern=NO_NUL_PATTERN, description="Name or organization contains"
    ),
    sector: Sector | None = Query(None, description="A sector id, e.g. government"),  # noqa: B008
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    rows = Stakeholder.objects.filter(workspace=workspace_of(request)).select_related("updated_by")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(organization__icontains=q))
    if sector:
        rows = rows.filter(sector=sector)
    rows = rows.order_by("name", "pk")
    items = [stakeholder_out(s) for s in rows[offset : offset + limit]]
    return paging.page(request, rows.count(), items, limit, offset)


def _body_schema(schema: type[StakeholderFields]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


def field_errors(title: str, fields: dict[str, list[str]]) -> Status[dict[str, Any]]:
    """400 with a message per field (__all__ for the body as a whole)."""
    count = sum(len(m) for m in fields.values())
    problems = "1 problem" if count == 1 else f"{count} problems"
    message = f"Nothing was saved: {problems} with the input, listed in 'fields'."
    return Status(
        400, {"error": {"status": 400, "title": title, "message": message, "fields": fields}}
    )


class FieldProblems(Exception):
    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("invalid input")
        self.fields = fields


SCHEMA_PROBLEMS = {
    "missing": "This field is required.",
    "extra_forbidden": "This is not a field of a stakeholder.",
    "string_type": "Must be text.",
    "list_type": "Must be a list of ids.",
    "int_type": "Must be a whole number.",
    "int_parsing": "Must be a whole number.",
}


def read_body(request: HttpRequest, schema: type[StakeholderFields]) -> dict[str, Any]:
    """The JSON body checked against ``schema``: only the fields sent, nulls dropped."""
    try:
        raw = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise FieldProblems({"__all__": ["The request body is not valid JSON."]}) from None
    if not isinstance(raw, dict):
        raise FieldProblems({"__all__": ["The request body must be a JSON object."]})
    try:
        parsed = schema.model_validate(raw)
    except SchemaError as exc:
        fields: dict[str, list[str]] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "__all__"
            problem = SCHEMA_PROBLEMS.get(error["type"], str(error["msg"]).capitalize() + ".")
            fields.setdefault(name, []).append(problem)
        raise FieldProblems(fields) from None
    return {k: v for k, v in parsed.model_dump(exclude_unset=True).items() if v is not None}


def bound_form(workspace: Workspace, instance: Stakeholder, sent: dict[str, Any]) -> Any:
    """The page's StakeholderForm, bound to the record's values overlaid with ``sent``."""
    data: dict[str, Any] = {
        name: getattr(instance, name) for name in (*TEXT_FIELDS, *CHOICE_FIELDS)
    }
    data |= {
        "sector": instance.sector,
        "pillars": list(instance.pillars or []),
        "predictors": list(instance.predictors or []),
        "communities": list(instance.communities or []),  # not in the API: kept as is
        "version": instance.version if instance.pk else None,
    }
    data |= sent
    data = {k: v for k, v in data.items() if v is not None}
    return StakeholderForm(data, instance=instance, workspace=workspace)


def _form_fields(form: Any) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


@router.post(
    W + "/stakeholders",
    response={201: StakeholderOut, **BODY_ERRORS, 400: FieldErrorOut, 409: ConflictOut},
    summary="Add a stakeholder (editor or owner)",
    openapi_extra=_body_schema(StakeholderIn),
)
def create_stakeholder(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    try:
        sent = read_body(request, StakeholderIn)
    except FieldProblems as exc:
        return field_errors("Invalid stakeholder", exc.fields)
    form = bound_form(workspace, Stakeholder(workspace=workspace), sent)
    if not form.is_valid():
        return field_errors("Invalid stakeholder", _form_fields(form))
    try:
        with transaction.atomic():
            obj = add_record(form, workspace, request.user, "through the API")
    except IntegrityError:
        return field_errors("Invalid stakeholder", {"name": ["This name is already in use."]})
    return Status(201, stakeholder_out(obj))


def _stakeholder(workspace: Workspace, stakeholder_id: int) -> Stakeholder:
    found = Stakeholder.objects.filter(workspace=workspace, pk=stakeholder_id).first()
    if found is None:
        raise ApiError(404, "Not found", f"This workspace has no stakeholder {stakeholder_id}.")
    return found


def conflict(workspace: Workspace, stakeholder_id: int, sent_version: int) -> Status[Any]:
    """409: the record changed (or went) since ``sent_version``; the body holds it as now."""
    current = Stakeholder.objects.filter(workspace=workspace, pk=stakeholder_id).first()
    if current is None:
        message = "Not saved: someone deleted this stakeholder after you read it."
    else:
        who = current.updated_by.get_username() if current.updated_by else "someone"
        message = (
            f"Not saved: the record is at version {current.version} (saved by {who} at "
            f"{current.updated_at:%Y-%m-%d %H:%M} UTC), not the version {sent_version} you "
            "sent. The record as saved now is in 'current'; re-apply your change to it."
        )
    return Status(
        409,
        {
            "error": {"status": 409, "title": "Changed meanwhile", "message": message},
            "current": None if current is None else stakeholder_out(current),
        },
    )


@router.get(
    W + "/stakeholders/{stakeholder_id}",
    response={200: StakeholderOut, **READ_ERRORS},
    summary="One stakeholder, with the version to send back with a change",
)
def get_stakeholder(
    request: HttpRequest, slug: str, stakeholder_id: int = record_id_param()
) -> dict[str, Any]:
    return stakeholder_out(_stakeholder(workspace_of(request), stakeholder_id))


@router.patch(
    W + "/stakeholders/{stakeholder_id}",
    response={200: StakeholderOut, **BODY_ERRORS, 400: FieldErrorOut, 409: ConflictOut},
    summary="Change a stakeholder: send the version you read and the fields to change",
    openapi_extra=_body_schema(StakeholderPatch),
)
def update_stakeholder(
    request: HttpRequest, slug: str, stakeholder_id: int = record_id_param()
) -> Any:
    workspace = workspace_of(request)
    stakeholder = _stakeholder(workspace, stakeholder_id)
    try:
        sent = read_body(request, StakeholderPatch)
    except FieldProblems as exc:
        return field_errors("Invalid change", exc.fields)
    if "version" not in sent:
        return field_errors("Invalid change", {"version": ["This field is required."]})
    form = bound_form(workspace, stakeholder, sent)
    if not form.is_valid():
        return field_errors("Invalid change", _form_fields(form))
    try:
        with transaction.atomic():
            obj = save_versioned(form, form.cleaned_data["version"], request.user)
            record(workspace, request.user, "edited", record_label(obj), "through the API")
    except StaleVersion:
        return conflict(workspace, stakeholder_id, sent["version"])
    except IntegrityError:
        return field_errors("Invalid change", {"name": ["This name is already in use."]})
    return Status(200, stakeholder_out(obj))


@router.delete(
    W + "/stakeholders/{stakeholder_id}",
    response={204: None, 409: ConflictOut, **CHANGE_ERRORS},
    summary="Delete a stakeholder: send the version you read",
)
def delete_stakeholder(
    request: HttpRequest,
    slug: str,
    stakeholder_id: int = record_id_param(),
    version: int = version_param(),
) -> Any:
    workspace = workspace_of(request)
    stakeholder = _stakeholder(workspace, stakeholder_id)
    return delete_or_conflict(
        request,
        workspace,
        stakeholder,
        version,
        lambda: conflict(workspace, stakeholder_id, version),
    )
