"""API: a workspace's strategy library (list, read, add, replace, delete), the shared
library, and adopting a shared strategy with its evidence.

Changes are validated by the page's own form (``StrategyForm``): the lead, the partners
and the workgroup must be this workspace's (another workspace's id is refused, 422, naming
the field), sources are ``[{citation, url}]`` with http(s) addresses, evidence is one
level of the documented scale. A replacement (PUT) or a delete carries the version read;
a stale version gets 409 with the record as saved now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from upward.catalog import get_catalog
from upward.planning import strategy as vocab
from upward.planning.strategy_library import evidence_level, sources_text
from upward.web.api.errors import ApiError
from upward.web.api.paging import page_schema
from upward.web.api.params import (
    MAX_ID,
    MAX_VERSION,
    NOT_BLANK_PATTERN,
    record_id_param,
    text_field,
)
from upward.web.api.records import RecordRoutes, Refusal, Words, sent, user_name
from upward.web.api.schemas import ErrorOut
from upward.web.api.workspace_auth import (
    CHANGE_ERRORS,
    READ_ERRORS,
    W,
    WorkspaceMember,
    workspace_of,
)
from upward.web.api.workspace_schemas import conflict_schema
from upward.web.strategy.forms_strategy import StrategyForm
from upward.web.strategy.library import (
    AdoptionRefused,
    adopt,
    adopted_copies,
    shared_strategies,
)
from upward.web.strategy.models import SharedStrategy, Strategy
from upward.web.workspace.models import Workspace

router = Router(tags=["workspaces"], auth=WorkspaceMember())

EVIDENCE_IDS = [level for level, _label in vocab.EVIDENCE_LEVELS]
Pillar = Literal[tuple(p.id for p in get_catalog().pillars)]  # type: ignore[valid-type]
Evidence = Literal[tuple(EVIDENCE_IDS)]  # type: ignore[valid-type]


class SourceOut(Schema):
    citation: str
    url: str
    """An http(s) address, or "" when the source has none."""


class EvidenceOut(Schema):
    level: str
    """strong, moderate, emerging or rationale (docs/workspace.md, "Evidence levels")."""
    label: str
    meaning: str
    """What the level means, in the words the pages use ("" for a level not on the scale)."""
    needs_evaluation: bool
    """True for emerging evidence or a rationale only: the measurement plan gives the
    strategy an evaluation measure."""


class StrategyOut(Schema):
    id: int
    version: int
    """Send it back with a replacement or a delete: a stale version is refused with 409."""
    name: str
    description: str
    evidence: EvidenceOut
    evidence_note: str
    sources: list[SourceOut]
    predictors: list[str]
    lead: int | None
    """A stakeholder id of this workspace, or null."""
    partners: list[int]
    workgroup: int | None
    adopted_from: int | None
    """The shared-library strategy it was adopted from, if any."""
    placed: int
    """How many elements of the logic model place it."""
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


StrategyPage = page_schema("StrategyPage", StrategyOut)


class SourceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    citation: str = text_field(1000, NOT_BLANK_PATTERN, ...)
    url: str | None = text_field(500)


class StrategyIn(Schema):
    """A new strategy: name and evidence level are required."""

    model_config = ConfigDict(extra="forbid")

    name: str = text_field(200, NOT_BLANK_PATTERN, ...)
    evidence_level: str = Field(json_schema_extra={"enum": EVIDENCE_IDS})
    description: str | None = text_field(4000)
    evidence_note: str | None = text_field(2000)
    sources: list[SourceIn] | None = Field(None, max_length=12)
    predictors: list[str] | None = Field(None, json_schema_extra={"uniqueItems": True})
    lead: int | None = Field(None, ge=1, le=2**31 - 1)
    partners: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(None, max_length=500)
    workgroup: int | None = Field(None, ge=1, le=2**31 - 1)


class StrategyPut(StrategyIn):
    """The whole record as it should be, with the version you read."""

    version: int = Field(ge=1, le=MAX_VERSION)


StrategyConflictOut = conflict_schema("StrategyConflictOut", StrategyOut)


def sources_out(sources: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"citation": x.get("citation", ""), "url": x.get("url", "")} for x in sources]


def strategy_out(request: HttpRequest, s: Strategy) -> dict[str, Any]:
    return {
        "id": s.pk,
        "version": s.version,
        "name": s.name,
        "description": s.description,
        "evidence": evidence_level(s.evidence_level).as_dict(),
        "evidence_note": s.evidence_note,
        "sources": sources_out(s.sources),
        "predictors": list(s.predictors),
        "lead": s.lead_id,
        "partners": sorted(p.pk for p in s.partners.all()),
        "workgroup": s.workgroup_id,
        "adopted_from": s.adopted_from_id,
        "placed": s.elements.count(),
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "updated_by": user_name(s.updated_by),
    }


def bound_form(workspace: Workspace, instance: Strategy, body: Any) -> StrategyForm:
    """The page's form for the whole record sent (fields left out take defaults)."""
    data = sent(body)
    form_data: dict[str, Any] = {
        **{k: v for k, v in data.items() if k not in ("sources", "lead", "workgroup")},
        "sources_text": sources_text(data.get("sources", [])),
        "lead": data.get("lead") or "",
        "workgroup": data.get("workgroup") or "",
        "partners": data.get("partners", []),
        "predictors": data.get("predictors", []),
    }
    return StrategyForm(form_data, instance=instance, workspace=workspace)


strategies = RecordRoutes(
    router, __name__, Strategy, "/strategies", "strategy_id", "strategy",
    Words("strategy"), strategy_out, StrategyOut, StrategyConflictOut,
    form=bound_form, refusal=Refusal(422), unique="name",
)  # fmt: skip


@strategies.listing("The coalition's strategies, by name", StrategyPage, limit=100)
def list_strategies(workspace: Workspace) -> QuerySet[Strategy]:
    rows = strategies.rows(workspace)
    return rows.prefetch_related("partners", "elements").order_by("name_key", "pk")


strategies.create("Add a strategy (editor or owner)", StrategyIn)
strategies.get("One strategy, with the version to send back with a change")
strategies.replace(
    "Replace a strategy: send the whole record and the version you read", StrategyPut
)
strategies.delete("Delete a strategy (and its places in the logic model): send the version read")


class SharedStrategyOut(Schema):
    id: int
    slug: str
    name: str
    summary: str
    pillar: str
    predictors: list[str]
    conditions: list[str]
    evidence: EvidenceOut
    evidence_note: str
    sources: list[SourceOut]
    origin: str
    """starter (ships with Upward) or operator."""
    adopted: int | None
    """This workspace's copy (a strategy id), if it adopted this one."""


SharedStrategyPage = page_schema("SharedStrategyPage", SharedStrategyOut)


def shared_out(s: SharedStrategy, adopted: dict[int, int]) -> dict[str, Any]:
    return {
        "id": s.pk, "slug": s.slug, "name": s.name, "summary": s.summary, "pillar": s.pillar,
        "predictors": list(s.predictors), "conditions": list(s.conditions),
        "evidence": evidence_level(s.evidence_level).as_dict(), "evidence_note": s.evidence_note,
        "sources": sources_out(s.sources),
        "origin": s.origin, "adopted": adopted.get(s.pk),
    }  # fmt: skip


@router.get(
    W + "/strategy-library",
    response={200: list[SharedStrategyOut], **READ_ERRORS},
    summary="The shared strategy library (starter set and operators'), with this "
    "workspace's adoptions",
)
def shared_library(
    request: HttpRequest,
    slug: str,
    pillar: Pillar | None = Query(None, description="A pillar of the framework"),  # noqa: B008
    evidence: Evidence | None = Query(None, description="An evidence level"),  # noqa: B008
) -> list[dict[str, Any]]:
    adopted = adopted_copies(workspace_of(request))
    rows = shared_strategies(pillar or "", evidence or "").order_by("pillar", "name", "pk")
    return [shared_out(s, adopted) for s in rows]


@router.post(
    W + "/strategy-library/{shared_id}/adopt",
    response={201: StrategyOut, **CHANGE_ERRORS, 409: ErrorOut},
    summary="Adopt a shared strategy, with its evidence, into the workspace's library",
)
def adopt_shared(
    request: HttpRequest, slug: str, shared_id: int = record_id_param()
) -> Status[dict[str, Any]]:
    workspace = workspace_of(request)
    shared = SharedStrategy.objects.filter(pk=shared_id, active=True).first()
    if shared is None:
        raise ApiError(404, "Not found", f"The shared library has no strategy {shared_id}.")
    try:
        strategy = adopt(workspace, shared, request.user)
    except AdoptionRefused as problem:
        raise ApiError(409, "Already adopted", str(problem)) from None
    return Status(201, strategy_out(request, strategy))
