"""API: a workspace's engagement log (list, read, add, replace, delete), its summary, and
who took part against who lives here (all engagements pooled, or one).

A body is first checked against the document (400 with a message per field); the pages'
own form (``EngagementForm``) then checks what the document cannot say (counts that add
up to more than the participants, a partner that is not in this workspace's inventory):
422 with a message per field. A replace or a delete carries the version it was read at;
a stale version gets 409 with the record as saved now.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field, create_model

from upward.catalog import get_catalog
from upward.planning import engagement as rules
from upward.planning import knowledge as vocab
from upward.web.api.errors import ApiError
from upward.web.api.paging import page_schema
from upward.web.api.params import (
    CENTS,
    FIPS_PATTERN,
    MAX_ID,
    MAX_VERSION,
    NO_NUL_PATTERN,
    NOT_BLANK_PATTERN,
    dollars,
    record_id_param,
)
from upward.web.api.records import (
    RecordRoutes,
    Refusal,
    Words,
    user_name,
)
from upward.web.api.workspace_auth import READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import conflict_schema
from upward.web.knowledge import engagement_store as store
from upward.web.knowledge.forms_engagement import (
    LANGUAGES,
    MAX_COUNT,
    MAX_LANGUAGES,
    EngagementForm,
)
from upward.web.knowledge.models import Engagement
from upward.web.workspace.models import Workspace

router = Router(tags=["workspaces"], auth=WorkspaceMember())
_CATALOG = get_catalog()
_LANGUAGE = r"^[^,\x00]*[^\s,\x00][^,\x00]*$"

Compensation = dollars(Engagement, "compensation")
Kind = Literal[tuple(k for k, _ in vocab.ENGAGEMENT_KINDS)]  # type: ignore[valid-type]
Level = Literal[tuple(k for k, _ in vocab.ENGAGEMENT_LEVELS)]  # type: ignore[valid-type]
PillarId = Literal[tuple(p.id for p in _CATALOG.pillars)]  # type: ignore[valid-type]
PredictorId = Literal[tuple(p.id for p in _CATALOG.predictors)]  # type: ignore[valid-type]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


def _counts_model(dim: str, groups: tuple[vocab.Choice, ...]) -> Any:
    fields: dict[str, Any] = {gid: (Count | None, None) for gid, _ in groups}
    fields[vocab.NOT_REPORTED] = (Count | None, None)
    name = "Engagement" + "".join(p.capitalize() for p in dim.split("_")) + "Counts"
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


RaceCounts = _counts_model("race", vocab.RACE_GROUPS)
AgeCounts = _counts_model("age", vocab.AGE_GROUPS)
LivedCounts = _counts_model("lived_experience", vocab.LIVED_EXPERIENCE)


class EngagementDemographics(Schema):
    """Counts by group in each dimension (never a roster); leave a dimension out when it
    was not asked. A dimension's counts add up to at most ``participants`` (else 422)."""

    model_config = ConfigDict(extra="forbid")
    race: RaceCounts | None = None  # type: ignore[valid-type]
    age: AgeCounts | None = None  # type: ignore[valid-type]
    lived_experience: LivedCounts | None = None  # type: ignore[valid-type]


class EngagementIn(Schema):
    """An engagement, whole: title, kind, date and level are required."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(max_length=200, pattern=NOT_BLANK_PATTERN)
    kind: Kind  # type: ignore[valid-type]
    date: dt.date
    level: Level  # type: ignore[valid-type]
    location: str = Field("", max_length=200, pattern=NO_NUL_PATTERN)
    partners: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        [], max_length=500, description="Stakeholder ids from this workspace's inventory"
    )
    facilitators: str = Field("", max_length=300, pattern=NO_NUL_PATTERN)
    languages: list[Annotated[str, Field(max_length=60, pattern=_LANGUAGE)]] = Field(
        [], max_length=MAX_LANGUAGES, description="Language names, e.g. English, Hmong"
    )
    accommodations: str = Field("", max_length=2000, pattern=NO_NUL_PATTERN)
    participants: Count = 0
    demographics: EngagementDemographics = EngagementDemographics()
    compensation: Compensation | None = Field(None, description=CENTS)
    compensation_note: str = Field("", max_length=300, pattern=NO_NUL_PATTERN)
    pillars: list[PillarId] = []  # type: ignore[valid-type]
    predictors: list[PredictorId] = []  # type: ignore[valid-type]
    notes: str = Field("", max_length=4000, pattern=NO_NUL_PATTERN)


class EngagementPut(EngagementIn):
    """A replacement: the version you read, and every field (omitted ones take defaults)."""

    version: int = Field(ge=1, le=MAX_VERSION)


class EngagementPartnerOut(Schema):
    id: int
    name: str


class EngagementOut(Schema):
    id: int
    version: int
    """Send it back with a replacement or a delete: a stale version is refused with 409."""
    title: str
    kind: str
    kind_label: str
    date: dt.date
    location: str
    partners: list[EngagementPartnerOut]
    facilitators: str
    languages: list[str]
    accommodations: str
    participants: int
    demographics: dict[str, dict[str, int]]
    compensation: float | None
    compensation_note: str
    level: str
    level_label: str
    pillars: list[str]
    predictors: list[str]
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str | None


EngagementPage = page_schema("EngagementPage", EngagementOut)


EngagementConflictOut = conflict_schema("EngagementConflictOut", EngagementOut)


class EngagementTallyOut(Schema):
    key: str
    label: str
    engagements: int
    participants: int


class EngagementSummaryOut(Schema):
    total: int
    participants: int
    period_kind: Literal["month", "quarter"]
    periods: list[EngagementTallyOut]
    levels: list[EngagementTallyOut]
    pillars: list[EngagementTallyOut]


class EngagementGroupShareOut(Schema):
    group: str
    label: str
    count: int
    share: float | None
    """Of the participants who reported this dimension; null when none did."""
    lb: float | None
    ub: float | None
    """The 95% Wilson interval of ``share``."""


class EngagementComparisonOut(EngagementGroupShareOut):
    resident_share: float
    resident_quality: str | None
    difference: float | None
    """Participants' share minus residents' share (fractions)."""
    p_value: float | None
    """Exact two-sided binomial test against the residents' share."""
    verdict: Literal["under", "over", "similar", "undetectable"]
    verdict_words: str


class EngagementDimensionOut(Schema):
    dimension: str
    label: str
    reported: int
    not_reported: int
    groups: list[EngagementGroupShareOut]
    note: str


class EngagementSuggestionOut(Schema):
    group: str
    label: str
    partners: list[EngagementPartnerOut]


class EngagementRepresentationOut(Schema):
    place: str | None
    place_name: str | None
    year: int | None
    release: str | None
    residents_have_interval: bool
    """Always false: Urban publishes residents' shares without a confidence interval."""
    unavailable: str | None
    """Why no comparison is made (no counts, or no residents' shares for the place)."""
    reported: int
    not_reported: int
    detectable: bool
    """Whether any difference could reach p < 0.05 with this many participants."""
    groups: list[EngagementComparisonOut]
    other_dimensions: list[EngagementDimensionOut]
    suggestions: list[EngagementSuggestionOut]
    """Stakeholders who work with a group heard from less, outside recent partners."""


KIND_LABELS, LEVEL_LABELS = dict(vocab.ENGAGEMENT_KINDS), dict(vocab.ENGAGEMENT_LEVELS)


def engagement_out(request: HttpRequest, e: Engagement) -> dict[str, Any]:
    return {
        **{f: getattr(e, f) for f in ("id", "version", "title", "kind", "date", "location")},
        "kind_label": KIND_LABELS.get(e.kind, e.kind),
        "partners": [{"id": p.pk, "name": p.name} for p in e.partners.order_by("name")],
        **{f: getattr(e, f) for f in ("facilitators", "accommodations", "participants")},
        "languages": list(e.languages or []),
        "demographics": {d: dict(c) for d, c in (e.demographics or {}).items()},
        "compensation": None if e.compensation is None else float(e.compensation),
        "compensation_note": e.compensation_note,
        "level": e.level,
        "level_label": LEVEL_LABELS.get(e.level, e.level),
        "pillars": list(e.pillars or []),
        "predictors": list(e.predictors or []),
        "notes": e.notes,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
        "updated_by": user_name(e.updated_by),
    }


def form_data(body: EngagementIn) -> dict[str, Any]:
    """The page form's fields from a body."""
    known = {lid for lid, _ in LANGUAGES}
    data: dict[str, Any] = body.model_dump(exclude={"demographics", "languages", "compensation"})
    data["languages"] = [x for x in body.languages if x in known]
    data["other_languages"] = ", ".join(x.strip() for x in body.languages if x not in known)
    if body.compensation is not None:
        data["compensation"] = str(body.compensation)
    for dim, counts in body.demographics.model_dump(exclude_none=True).items():
        for gid, count in counts.items():
            if count is not None:
                data[f"demo_{dim}__{gid}"] = count
    return {k: v for k, v in data.items() if v is not None}


def bound_form(workspace: Workspace, instance: Engagement, body: Any) -> EngagementForm:
    return EngagementForm(form_data(body), instance=instance, workspace=workspace)


# A body is checked against the document first (400), then by the page's form (422).
engagements = RecordRoutes(
    router, __name__, Engagement, "/engagements", "engagement_id", "engagement",
    Words("engagement"), engagement_out, EngagementOut, EngagementConflictOut,
    form=bound_form, refusal=Refusal(422, "Engagement not saved", about="values"), dotted=True,
)  # fmt: skip


PLACE = Query(None, pattern=FIPS_PATTERN, description="One of the workspace's places (FIPS)")


@router.get(
    W + "/engagements/summary",
    response={200: EngagementSummaryOut, **READ_ERRORS},
    summary="Engagements over time, by level on the spectrum and by pillar",
)
def engagement_summary(request: HttpRequest, slug: str) -> dict[str, Any]:
    result = store.summary(workspace_of(request))
    return {
        "total": result.total,
        "participants": result.participants,
        "period_kind": result.period_kind,
        "periods": [vars(t) for t in result.periods],
        "levels": [vars(t) for t in result.levels],
        "pillars": [vars(t) for t in result.pillars],
    }


def representation_out(
    workspace: Workspace, counts_by_dim: dict[str, dict[str, int]], place: str | None
) -> dict[str, Any]:
    if place is not None and place not in (workspace.geoids or []):
        raise ApiError(404, "Not found", f"{place} is not one of this workspace's places.")
    geoid = store.chosen_place(workspace, place)
    race = counts_by_dim.get("race") or {}
    comparison = store.compare(race, geoid) if race else None
    result = comparison.result if comparison else None
    residents = comparison.residents if comparison else None
    groups = []
    for row in result.rows if result and residents else ():
        share = row.participants
        groups.append(
            {
                **_share_out(share),
                "resident_share": row.resident_share,
                "resident_quality": residents.shares[share.group].quality,  # type: ignore[union-attr]
                "difference": row.difference,
                "p_value": row.p_value,
                "verdict": row.verdict,
                "verdict_words": row.verdict_words,
            }
        )
    unavailable = "No counts by race and ethnicity were recorded." if not race else None
    return {
        "place": geoid,
        "place_name": residents.place if residents else None,
        "year": residents.year if residents else None,
        "release": residents.release if residents else None,
        "residents_have_interval": False,
        "unavailable": (comparison.unavailable or None) if comparison else unavailable,
        "reported": result.reported if result else 0,
        "not_reported": result.not_reported if result else 0,
        "detectable": result.detectable_any if result else False,
        "groups": groups,
        "other_dimensions": [
            {
                "dimension": d["dimension"],
                "label": d["label"],
                "reported": d["shares"].reported,
                "not_reported": d["shares"].not_reported,
                "groups": [_share_out(g) for g in d["shares"].groups],
                "note": "Urban publishes no residents' shares for this dimension: no comparison.",
            }
            for d in store.other_dimensions(counts_by_dim)
        ],
        "suggestions": [
            {
                "group": s["group"],
                "label": s["label"],
                "partners": [{"id": p.id, "name": p.name} for p in s["partners"]],
            }
            for s in store.suggestions(workspace, list(result.under) if result else [])
        ],
    }


def _share_out(share: rules.GroupShare) -> dict[str, Any]:
    return {
        "group": share.group,
        "label": share.label,
        "count": share.count,
        "share": share.share,
        "lb": share.lb,
        "ub": share.ub,
    }


@router.get(
    W + "/engagements/representation",
    response={200: EngagementRepresentationOut, **READ_ERRORS},
    summary="Participants of all engagements with counts, pooled, beside residents' shares",
)
def pooled_representation(
    request: HttpRequest, slug: str, place: str | None = PLACE
) -> dict[str, Any]:
    workspace = workspace_of(request)
    counts = store.pooled(Engagement.objects.filter(workspace=workspace))
    return representation_out(workspace, counts, place)


@engagements.listing("The engagement log, newest first", EngagementPage)
def list_engagements(
    workspace: Workspace,
    kind: Kind | None = None,  # type: ignore[valid-type]
    level: Level | None = None,  # type: ignore[valid-type]
) -> QuerySet[Engagement]:
    rows = engagements.rows(workspace)
    if kind:
        rows = rows.filter(kind=kind)
    if level:
        rows = rows.filter(level=level)
    return rows.order_by("-date", "-id")


engagements.create("Log an engagement (editor or owner)", EngagementIn)
engagements.get("One engagement, with the version to send back with a change")


@router.get(
    W + "/engagements/{engagement_id}/representation",
    response={200: EngagementRepresentationOut, **READ_ERRORS},
    summary="One engagement's participants beside residents' shares",
)
def engagement_representation(
    request: HttpRequest,
    slug: str,
    engagement_id: int = record_id_param(),
    place: str | None = PLACE,
) -> dict[str, Any]:
    workspace = workspace_of(request)
    engagement = engagements.find(workspace, engagement_id)
    return representation_out(workspace, dict(engagement.demographics or {}), place)


engagements.replace(
    "Replace an engagement: send the version you read and every field", EngagementPut
)
engagements.delete("Delete an engagement: send the version you read")
