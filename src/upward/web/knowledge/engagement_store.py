"""Reads for the engagement pages and API: the summary's facts, the comparison of
participants with residents for one of the workspace's places, and partners to reach a
group. The rules are in ``upward.planning.engagement``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from upward.catalog import get_catalog
from upward.planning import engagement as rules
from upward.planning.knowledge import DEMOGRAPHIC_DIMENSIONS, RACE_GROUPS
from upward.web.knowledge.models import Engagement
from upward.web.knowledge.residents import ResidentShares, SharesUnavailable, resident_shares
from upward.web.workspace import places
from upward.web.workspace.models import Stakeholder, Workspace

RECENT_DAYS = 365
"""Partners of engagements in the last year are not suggested again."""


def summary(workspace: Workspace) -> rules.EngagementSummary:
    catalog = get_catalog()
    rows = Engagement.objects.filter(workspace=workspace).values_list(
        "date", "participants", "level", "pillars", "predictors"
    )
    facts = [
        rules.EngagementFacts(d, n, level, tuple(pillars or ()), tuple(predictors or ()))
        for d, n, level, pillars, predictors in rows
    ]
    pillars = [(p.id, p.label) for p in catalog.pillars]
    pillar_of = {p.id: p.pillar_id for p in catalog.predictors}
    return rules.summarize(facts, pillars, pillar_of)


def with_race_counts(workspace: Workspace) -> list[Engagement]:
    """The workspace's engagements that reported race and ethnicity counts."""
    return [
        e
        for e in Engagement.objects.filter(workspace=workspace)
        if (e.demographics or {}).get("race")
    ]


def place_choices(workspace: Workspace) -> list[tuple[str, str]]:
    return [(geoid, places.place_name(geoid)) for geoid in workspace.geoids]


def chosen_place(workspace: Workspace, requested: str | None) -> str | None:
    """``requested`` when it is one of the workspace's places, else the first place."""
    geoids = list(workspace.geoids or [])
    if requested in geoids:
        return requested
    return geoids[0] if geoids else None


@dataclass(frozen=True)
class Comparison:
    """Participants against residents for one place, or why it cannot be made."""

    geoid: str | None
    residents: ResidentShares | None
    result: rules.Representation | None
    unavailable: str = ""


def compare(counts: Mapping[str, int], geoid: str | None) -> Comparison:
    if geoid is None:
        return Comparison(None, None, None, "The workspace has no places to compare with.")
    try:
        residents = resident_shares(geoid)
    except SharesUnavailable as exc:
        return Comparison(geoid, None, None, str(exc))
    fractions = {g: float(o.value) for g, o in residents.shares.items() if o.value is not None}
    return Comparison(geoid, residents, rules.compare_with_residents(counts, fractions))


def other_dimensions(counts_by_dim: Mapping[str, Mapping[str, int]]) -> list[dict]:
    """Age and lived experience: participants' shares only (no residents' data)."""
    out = []
    for dim, label, groups in DEMOGRAPHIC_DIMENSIONS:
        if dim == "race":
            continue
        counts = counts_by_dim.get(dim) or {}
        out.append(
            {
                "dimension": dim,
                "label": label,
                "shares": rules.participant_shares(counts, groups),
                "reported_any": bool(counts),
            }
        )
    return out


def pooled(engagements: Iterable[Engagement]) -> dict[str, dict[str, int]]:
    demos = [e.demographics or {} for e in engagements]
    return {dim: rules.pool_counts(demos, dim) for dim, _l, _g in DEMOGRAPHIC_DIMENSIONS}


def recent_partner_ids(workspace: Workspace) -> set[int]:
    since = timezone.now().date() - timedelta(days=RECENT_DAYS)
    return set(
        Engagement.partners.through.objects.filter(
            engagement__workspace=workspace, engagement__date__gte=since
        ).values_list("stakeholder_id", flat=True)
    )


def partner_facts(workspace: Workspace) -> list[rules.PartnerFacts]:
    rows = Stakeholder.objects.filter(workspace=workspace).values_list(
        "id", "name", "sector", "communities"
    )
    return [rules.PartnerFacts(i, n, s, tuple(c or ())) for i, n, s, c in rows]


def suggestions(workspace: Workspace, groups: Iterable[str]) -> list[dict]:
    """For each group: stakeholders who work with it, not partners of recent engagements."""
    labels = dict(rules.COMMUNITIES)
    wanted = list(groups)
    if not wanted:
        return []
    facts, recent = partner_facts(workspace), recent_partner_ids(workspace)
    return [
        {"group": g, "label": labels.get(g, g), "partners": rules.partners_for(g, facts, recent)}
        for g in wanted
    ]


RACE_LABELS = dict(RACE_GROUPS)
