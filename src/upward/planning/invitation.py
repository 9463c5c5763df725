"""Whom to invite first: a points rule over the stakeholder inventory and its coverage gaps.

Candidates are stakeholders not invited yet; those invited and awaiting a reply are listed
apart, as follow-ups. Points (each shown as a reason beside the candidate):

=====================================================  ======
fills a predictor gap (each, at most 3 counted)         +2
fills a pillar with no active partner (each, at most 2) +2
comes from a sector with no active partner              +3
is a resident with lived experience                     +2
influence: high / medium / low                          +3 / +2 / +1
existing relationship: engaged or partner / aware       +2 / +1
marked as a champion                                    +2
=====================================================  ======

Ties go to higher influence, then to the name in alphabetical order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from upward.catalog import Catalog, get_catalog
from upward.planning.coverage import Coverage, assess_coverage, pillars_of
from upward.planning.stakeholder import (
    SECTORS,
    InvitationStatus,
    StakeholderFacts,
    StakeholderRole,
    label,
)

PREDICTOR_GAP_POINTS = 2
PREDICTOR_GAP_CAP = 3
PILLAR_GAP_POINTS = 2
PILLAR_GAP_CAP = 2
SECTOR_GAP_POINTS = 3
LIVED_EXPERIENCE_POINTS = 2
INFLUENCE_POINTS = {"high": 3, "medium": 2, "low": 1}
RELATIONSHIP_POINTS = {"partner": 2, "engaged": 2, "aware": 1, "none": 0}
CHAMPION_POINTS = 2

RULE_ROWS: tuple[tuple[str, str], ...] = (
    (
        f"Fills a predictor with no active partner (each, up to {PREDICTOR_GAP_CAP})",
        f"+{PREDICTOR_GAP_POINTS}",
    ),
    (
        f"Fills a pillar with no active partner (each, up to {PILLAR_GAP_CAP})",
        f"+{PILLAR_GAP_POINTS}",
    ),
    ("Comes from a sector with no active partner", f"+{SECTOR_GAP_POINTS}"),
    ("Resident with lived experience", f"+{LIVED_EXPERIENCE_POINTS}"),
    ("Influence high / medium / low", "+3 / +2 / +1"),
    ("Existing relationship: engaged or partner / aware", "+2 / +1"),
    ("Marked as a champion", f"+{CHAMPION_POINTS}"),
)


@dataclass(frozen=True)
class Reason:
    points: int
    text: str


@dataclass(frozen=True)
class InvitationPriority:
    key: Hashable
    name: str
    score: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class InvitationList:
    ranked: tuple[InvitationPriority, ...]
    awaiting_reply: tuple[StakeholderFacts, ...]
    coverage: Coverage


def prioritize_invitations(
    stakeholders: Iterable[StakeholderFacts],
    catalog: Catalog | None = None,
    coverage: Coverage | None = None,
) -> InvitationList:
    catalog = catalog or get_catalog()
    people = list(stakeholders)
    coverage = coverage or assess_coverage(people, catalog)
    ranked = [
        score_candidate(s, coverage, catalog)
        for s in people
        if s.invitation_status == InvitationStatus.NOT_INVITED
    ]
    order = {"high": 0, "medium": 1, "low": 2}
    by_key = {s.key: s for s in people}
    ranked.sort(key=lambda p: (-p.score, order.get(by_key[p.key].influence, 3), p.name.casefold()))
    waiting = tuple(
        sorted(
            (s for s in people if s.invitation_status == InvitationStatus.INVITED),
            key=lambda s: s.name.casefold(),
        )
    )
    return InvitationList(tuple(ranked), waiting, coverage)


def score_candidate(
    facts: StakeholderFacts, coverage: Coverage, catalog: Catalog
) -> InvitationPriority:
    reasons: list[Reason] = []
    predictor_gaps = sorted(facts.predictor_ids & coverage.gap_ids("predictor"))
    for pid in predictor_gaps[:PREDICTOR_GAP_CAP]:
        reasons.append(Reason(PREDICTOR_GAP_POINTS, f"would cover {catalog.predictor(pid).label}"))
    pillar_gaps = sorted(pillars_of(facts, catalog) & coverage.gap_ids("pillar"))
    for pid in pillar_gaps[:PILLAR_GAP_CAP]:
        reasons.append(Reason(PILLAR_GAP_POINTS, f"would bring in {catalog.pillar(pid).label}"))
    if facts.sector in coverage.gap_ids("sector"):
        reasons.append(
            Reason(SECTOR_GAP_POINTS, f"first active partner from {label(SECTORS, facts.sector)}")
        )
    if facts.sector == "residents":
        reasons.append(Reason(LIVED_EXPERIENCE_POINTS, "brings lived experience"))
    influence = INFLUENCE_POINTS.get(facts.influence, 0)
    reasons.append(Reason(influence, f"{facts.influence} influence"))
    relationship = RELATIONSHIP_POINTS.get(facts.relationship, 0)
    if relationship:
        reasons.append(Reason(relationship, f"existing relationship ({facts.relationship})"))
    if facts.role == StakeholderRole.CHAMPION:
        reasons.append(Reason(CHAMPION_POINTS, "champion: can bring others along"))
    return InvitationPriority(facts.key, facts.name, sum(r.points for r in reasons), tuple(reasons))
