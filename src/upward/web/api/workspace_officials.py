"""API: a workspace's elected officials (list, read, add, replace, delete) and the
descriptive-representation metric computed from them.

Changes are validated by the roster page's own form (``OfficialForm``), so the API and
the page accept and refuse the same values with the same messages (in ``error.fields``):
400 for a body that breaks the document, 422 for one that fits it but breaks a rule
across fields (a race needs how it was obtained; a term cannot end before it starts).
A replacement (PUT) or a delete carries the version it was read at; a stale version gets
409 with the record as saved now. Every change goes to the activity log. Survey links are
made and withdrawn on the pages only (a link is for a person to open, not for a script).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from upward.planning import knowledge as vocab
from upward.planning.descriptive import BodyRepresentation, represent_all
from upward.web.api.errors import ApiError
from upward.web.api.paging import page_schema
from upward.web.api.params import FIPS_PATTERN, MAX_VERSION, NOT_BLANK_PATTERN, text_field
from upward.web.api.records import (
    RecordRoutes,
    Refusal,
    Words,
    page_form,
    user_name,
)
from upward.web.api.workspace_auth import READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import conflict_schema
from upward.web.knowledge.forms_officials import OfficialForm
from upward.web.knowledge.models import Official
from upward.web.knowledge.officials_store import facts_for
from upward.web.knowledge.residents import ResidentShares, SharesUnavailable, resident_shares

router = Router(tags=["workspaces"], auth=WorkspaceMember())

TEXT_FIELDS = ("name", "office", "body", "contact", "identity_note")
DATE_FIELDS = ("term_start", "term_end", "identity_date")
GROUP_IDS = [g for g, _label in vocab.RACE_GROUPS]
SOURCE_IDS = [s for s, _label in vocab.IDENTITY_SOURCES]
NO_INTERVAL = (
    "Urban publishes the residents' shares without a confidence interval; they are taken as "
    "given. Each ratio is exact for its body (its seats are the whole body, not a sample), "
    "but a small body moves in big steps (step_points)."
)


class OfficialOut(Schema):
    id: int
    version: int
    """Send it back with a replacement or a delete: a stale version is refused with 409."""
    name: str
    office: str
    body: str
    term_start: date | None
    term_end: date | None
    contact: str
    race: str
    """A group id (black_nonhispanic, hispanic, white_nonhispanic, other), or "" when unknown."""
    race_label: str
    identity_source: str
    """self, public or unknown."""
    identity_date: date | None
    identity_note: str
    created_at: datetime
    updated_at: datetime
    updated_by: str | None


OfficialPage = page_schema("OfficialPage", OfficialOut)


class OfficialIn(Schema):
    """A new official: name, office and body are required; the rest take their defaults
    (identity unknown)."""

    model_config = ConfigDict(extra="forbid")

    name: str = text_field(200, NOT_BLANK_PATTERN, ...)
    office: str = text_field(200, NOT_BLANK_PATTERN, ...)
    body: str = Field(
        description="Governing body; officials with the same body are counted together",
        json_schema_extra={"maxLength": 200, "pattern": NOT_BLANK_PATTERN},
    )
    term_start: date | None = None
    term_end: date | None = None
    contact: str | None = text_field(300)
    race: str | None = Field(
        None,
        description="A group id, or empty for unknown",
        json_schema_extra={"enum": [*GROUP_IDS, "", None]},
    )
    identity_source: str | None = Field(
        None,
        description="self, public or unknown (default); a race needs self or public, and "
        "self or public needs identity_date (public also identity_note)",
        json_schema_extra={"enum": [*SOURCE_IDS, None]},
    )
    identity_date: date | None = None
    identity_note: str | None = text_field(300)


class OfficialPut(OfficialIn):
    """The whole record as it should be, with the version you read (fields left out take
    their defaults)."""

    version: int = Field(ge=1, le=MAX_VERSION)


OfficialConflictOut = conflict_schema("OfficialConflictOut", OfficialOut)


class GroupShareOut(Schema):
    group: str
    label: str
    officials: int
    share: float | None
    """Officials of the group / officials with a known identity; null when none is known."""
    residents_share: float | None
    residents_quality: str | None
    """Urban's quality rating of the residents' share (Strong, Marginal, Weak)."""
    ratio: float | None
    """share / residents_share; null when either is missing or residents_share is 0."""
    no_ratio: str
    """Why there is no ratio (empty when there is one)."""


class BodyRepresentationOut(Schema):
    body: str
    seats: int
    known: int
    unknown: int
    """Officials whose identity is unknown: counted apart, left out of the shares."""
    declined: int
    """Of the unknown, those who answered the survey and chose not to say."""
    self_identified: int
    publicly_reported: int
    lower_quality: bool
    """True when any known identity was publicly reported rather than self-identified."""
    quality_note: str
    step_points: float
    """One seat in points of share (100 / seats): the smallest change the body can show."""
    known_step_points: float | None
    """One seat in points of the shares as computed (100 / known), while some are unknown."""
    step_note: str
    groups: list[GroupShareOut]


class ResidentsOut(Schema):
    geoid: str
    place: str
    year: int
    release: str
    has_interval: bool
    """Always false: Urban publishes no confidence interval for these shares."""


class RepresentationOut(Schema):
    place: str
    """The geoid whose residents the officials are compared with."""
    residents: ResidentsOut | None
    residents_note: str
    """Why there are no residents' shares (empty when there are)."""
    note: str
    bodies: list[BodyRepresentationOut]
    overall: BodyRepresentationOut | None
    """Every seat of every body together; null with fewer than two bodies."""


def official_out(request: HttpRequest, o: Official) -> dict[str, Any]:
    return {
        **{name: getattr(o, name) for name in (*TEXT_FIELDS, *DATE_FIELDS)},
        "id": o.pk,
        "version": o.version,
        "race": o.race,
        "race_label": dict(vocab.RACE_GROUPS).get(o.race, "Unknown"),
        "identity_source": o.identity_source,
        "created_at": o.created_at,
        "updated_at": o.updated_at,
        "updated_by": user_name(o.updated_by),
    }


# 422: the body fits the document, but the form's rules across fields refuse it (a race
# without how it was obtained, a term that ends before it starts).
officials = RecordRoutes(
    router, __name__, Official, "/officials", "official_id", "official",
    Words("official", saved_by=True), official_out, OfficialOut, OfficialConflictOut,
    form=page_form(OfficialForm, race="", identity_source="unknown"), refusal=Refusal(422),
)  # fmt: skip


officials.ordered("list_officials", "The elected officials, by governing body and name",
                  OfficialPage, "body", "name", "pk", limit=100)  # fmt: skip

officials.create("Add an elected official (editor or owner)", OfficialIn)


def _residents(geoid: str) -> tuple[ResidentShares | None, str]:
    try:
        return resident_shares(geoid), ""
    except SharesUnavailable as exc:
        return None, str(exc)


def _body_out(b: BodyRepresentation, shares: ResidentShares | None) -> dict[str, Any]:
    groups = []
    for g in b.groups:
        cell = shares.shares.get(g.group) if shares else None
        groups.append({
            "group": g.group, "label": g.label, "officials": g.officials, "share": g.share,
            "residents_share": g.residents_share,
            "residents_quality": cell.quality if cell is not None else None,
            "ratio": g.ratio, "no_ratio": g.no_ratio,
        })  # fmt: skip
    return {
        "body": b.body, "seats": b.seats, "known": b.known, "unknown": b.unknown,
        "declined": b.declined, "self_identified": b.self_identified,
        "publicly_reported": b.publicly_reported, "lower_quality": b.lower_quality,
        "quality_note": b.quality_note, "step_points": b.step_points,
        "known_step_points": b.known_step_points, "step_note": b.step_sentence,
        "groups": groups,
    }  # fmt: skip


@router.get(
    W + "/officials/representation",
    response={200: RepresentationOut, **READ_ERRORS},
    summary="Descriptive representation: officials' shares over residents' shares, per body",
)
def representation(
    request: HttpRequest,
    slug: str,
    place: str | None = Query(
        None,
        pattern=FIPS_PATTERN,
        description="One of the workspace's places (geoid); default: its first place",
    ),
) -> dict[str, Any]:
    workspace = workspace_of(request)
    if place is not None and place not in workspace.geoids:
        raise ApiError(
            404,
            "Not found",
            f"This workspace has no place {place}; its places are {', '.join(workspace.geoids)}.",
        )
    geoid = place or (workspace.geoids[0] if workspace.geoids else "")
    shares, why = _residents(geoid) if geoid else (None, "This workspace names no place.")
    residents = {g: o.value for g, o in shares.shares.items()} if shares else {}
    result = represent_all(facts_for(workspace), residents)
    return {
        "place": geoid,
        "residents": None
        if shares is None
        else {
            "geoid": shares.geoid,
            "place": shares.place,
            "year": shares.year,
            "release": shares.release,
            "has_interval": False,
        },
        "residents_note": why,
        "note": NO_INTERVAL,
        "bodies": [_body_out(b, shares) for b in result.bodies],
        "overall": _body_out(result.overall, shares) if result.overall else None,
    }


officials.get("One official, with the version to send back with a change")
officials.replace(
    "Replace an official: send the whole record and the version you read", OfficialPut
)
officials.delete("Delete an official (and their survey links): send the version you read")
