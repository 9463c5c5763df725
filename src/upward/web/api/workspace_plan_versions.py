"""API: the published versions of a workspace's Mobility Action Plan (issue 14, part 7):
the measurement plan's open problems, the versions (newest first), one version with all
it froze, and publishing the next one.

Publishing needs the owner role and names, in ``confirm``, the key of every open problem
(``GET .../publish-problems``); an unconfirmed one is refused (422, each under its key in
``error.fields``), and nothing is saved. ``after``, the latest version number you read (0
for none), guards against publishing over a version someone published meanwhile (409).
A published version is never changed; there is no route that changes or deletes one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field

from upward.web.api.errors import ApiError
from upward.web.api.params import MAX_VERSION
from upward.web.api.records import (
    answer_problems,
    body_schema,
    field_errors,
    read_body,
)
from upward.web.api.workspace_auth import BODY_ERRORS, READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import FieldErrorOut
from upward.web.measurement import publish_store
from upward.web.measurement.models import PlanVersion
from upward.web.workspace.models import Role

router = Router(tags=["workspaces"], auth=WorkspaceMember())
OWNER = WorkspaceMember(change=Role.OWNER)  # type: ignore[arg-type]
"""For publishing: an owner only."""
MAX_PROBLEMS = 2000


class PublishProblemOut(Schema):
    key: str
    """Stable while the problem lasts: send it in ``confirm`` to publish with it."""
    text: str


class PublishProblemsOut(Schema):
    count: int
    latest: int
    """The latest published version's number (0: none yet): send it as ``after``."""
    items: list[PublishProblemOut]


class ConfirmedProblemOut(Schema):
    key: str
    text: str
    confirmed_by: str
    at: datetime


class PlanVersionSummaryOut(Schema):
    number: int
    checksum: str
    """SHA-256 of the canonical JSON of everything the version froze."""
    release: str
    release_checksum: str
    published_by: str
    published_at: datetime
    open_problems: int


class PlanVersionOut(PlanVersionSummaryOut):
    document: dict[str, Any]
    """The plan document as frozen (its open_problems, version, published_at, release)."""
    indicators: list[dict[str, Any]]
    """The population indicators as frozen: cell, pinned baseline, target."""
    actions: list[dict[str, Any]]
    """The actions and milestones as they stood (an owner only as an organization's name)."""
    problems: list[ConfirmedProblemOut]


class PlanVersionsOut(Schema):
    count: int
    public: bool
    """Whether the public progress page (/p/{slug}/) shows the latest version."""
    items: list[PlanVersionSummaryOut]


class PublishIn(Schema):
    """The owner's confirmation of each open problem, by key."""

    model_config = ConfigDict(extra="forbid")

    confirm: list[str] = Field(
        default_factory=list,
        description="The key of every open problem (GET .../publish-problems)",
        json_schema_extra={"maxItems": MAX_PROBLEMS, "items": {"type": "string", "maxLength": 200}},
    )
    after: int | None = Field(
        None, ge=0, le=MAX_VERSION, description="The latest version number you read (0: none)"
    )


def summary_out(v: PlanVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "checksum": v.checksum,
        "release": v.release,
        "release_checksum": v.release_checksum,
        "published_by": v.published_by_name,
        "published_at": v.published_at,
        "open_problems": len(v.problems),
    }


def version_out(v: PlanVersion) -> dict[str, Any]:
    return {
        **summary_out(v),
        "document": v.document,
        "indicators": v.indicators,
        "actions": v.actions,
        "problems": v.problems,
    }


@router.get(
    W + "/publish-problems",
    response={200: PublishProblemsOut, **READ_ERRORS},
    summary="What is unresolved in the measurement plan: each must be confirmed to publish",
)
def list_publish_problems(request: HttpRequest, slug: str) -> dict[str, Any]:
    workspace = workspace_of(request)
    items = [{"key": p.key, "text": p.text} for p in publish_store.publish_problems(workspace)]
    return {"count": len(items), "latest": publish_store.latest_number(workspace), "items": items}


@router.get(
    W + "/plan-versions",
    response={200: PlanVersionsOut, **READ_ERRORS},
    summary="The published versions of the plan, newest first",
)
def list_plan_versions(request: HttpRequest, slug: str) -> dict[str, Any]:
    workspace = workspace_of(request)
    items = [summary_out(v) for v in publish_store.versions_of(workspace)]
    return {"count": len(items), "public": publish_store.is_public(workspace), "items": items}


@router.get(
    W + "/plan-versions/{plan_number}",
    response={200: PlanVersionOut, **READ_ERRORS},
    summary="One published version with everything it froze",
)
def get_plan_version(
    request: HttpRequest,
    slug: str,
    plan_number: int = Path(..., ge=1, le=MAX_VERSION, description="The version's number"),
) -> dict[str, Any]:
    found = publish_store.version_of(workspace_of(request), plan_number)
    if found is None:
        raise ApiError(404, "Not found", f"The plan has no published version {plan_number}.")
    return version_out(found)


PUBLISH_ANSWERS: dict[int, Any] = {
    201: PlanVersionOut,
    **BODY_ERRORS,
    400: FieldErrorOut,
    409: FieldErrorOut,
    422: FieldErrorOut,
}


@router.post(
    W + "/plan-versions",
    auth=OWNER,
    response=PUBLISH_ANSWERS,
    summary="Publish the next version of the plan (owners): confirm every open problem",
    openapi_extra=body_schema(PublishIn),
)
@answer_problems("Invalid publish request")
def publish_plan(request: HttpRequest, slug: str) -> Any:
    workspace = workspace_of(request)
    body = read_body(request, PublishIn, "a publish request")
    try:
        version = publish_store.publish(workspace, request.user, set(body.confirm), body.after)
    except publish_store.PublishRefused as refused:
        fields = {key: [message] for key, message in refused.errors.items()}
        title = refused.title or "Open problems not confirmed"
        return field_errors(title, fields, refused.status, about="publish request")
    return Status(201, version_out(version))
