"""Coverage of pillars, predictors and sectors by stakeholders, and the gaps it flags."""

from __future__ import annotations

from upward.planning.coverage import assess_coverage
from upward.planning.stakeholder import SECTORS, StakeholderFacts


def facts(
    key: int, sector: str, pillars=(), predictors=(), relationship="partner", status="not_invited"
):
    return StakeholderFacts(
        key,
        f"S{key}",
        sector,
        frozenset(pillars),
        frozenset(predictors),
        relationship=relationship,
        invitation_status=status,
    )


PEOPLE = [
    facts(1, "government", pillars=["governance"], predictors=["political_participation"]),
    facts(2, "nonprofit", predictors=["housing_affordability", "housing_stability"]),
    facts(3, "housing", predictors=["housing_affordability"]),
    facts(4, "justice", predictors=["just_policing"], relationship="aware"),  # prospect only
    facts(5, "residents", pillars=["work"], relationship="none", status="accepted"),  # active
]


def test_matrix_counts_active_and_prospects() -> None:
    cov = assess_coverage(PEOPLE)
    rows = {r.pillar.id: r for r in cov.rows}
    neighborhoods = {c.sector: c for c in rows["neighborhoods"].cells}
    assert (neighborhoods["nonprofit"].active, neighborhoods["housing"].active) == (1, 1)
    assert rows["neighborhoods"].active == 2 and rows["neighborhoods"].active_sectors == 2
    governance = {c.sector: c for c in rows["governance"].cells}
    assert governance["government"].active == 1 and governance["justice"].prospects == 1
    assert rows["work"].active == 1  # accepted invitation counts as active
    assert rows["education"].active == 0 and rows["health"].active == 0
    assert len(rows["education"].cells) == len(SECTORS)


def test_just_policing_is_a_gap_with_its_prospect_named() -> None:
    cov = assess_coverage(PEOPLE)
    gap = next(g for g in cov.gaps if g.kind == "predictor" and g.id == "just_policing")
    assert gap.label == "Just policing"
    assert "Prospects: S4" in gap.message
    assert "housing_affordability" not in cov.gap_ids("predictor")
    assert "political_participation" not in cov.gap_ids("predictor")
    # naming a pillar covers the pillar, not its predictors
    assert "employment_opportunities" in cov.gap_ids("predictor")


def test_pillar_and_sector_gaps() -> None:
    cov = assess_coverage(PEOPLE)
    assert cov.gap_ids("pillar") == {"education", "health"}
    assert cov.gap_ids("narrow_pillar") == {"governance", "work"}
    assert "justice" in cov.gap_ids("sector")  # only a prospect from justice
    assert "residents" not in cov.gap_ids("sector")
    assert "other" not in cov.gap_ids("sector")  # never a gap
    assert cov.sector_active["nonprofit"] == 1


def test_empty_inventory_flags_everything() -> None:
    cov = assess_coverage([])
    assert len(cov.gap_ids("predictor")) == 24
    assert len(cov.gap_ids("pillar")) == 5
    assert len(cov.gap_ids("sector")) == len(SECTORS) - 1


def test_unknown_ids_are_ignored() -> None:
    cov = assess_coverage([facts(1, "nonprofit", pillars=["nope"], predictors=["nope"])])
    assert all(r.active == 0 for r in cov.rows)


# -- ranking the gaps by the places' own areas to explore --------------------------------------


def area(pillar: str, metric: str, evidence: float | None, place: str = "Ramsey County, MN"):
    from upward.planning.coverage import AreaToExplore

    return AreaToExplore(place, "27123", pillar, metric, metric, metric, "differs", evidence)


def gap(kind: str, ident: str):
    from upward.planning.coverage import Gap

    return Gap(kind, ident, ident, "")


def test_gaps_in_pillars_with_more_areas_to_explore_rank_first() -> None:
    from upward.planning.coverage import rank_gaps

    gaps = [
        gap("pillar", "education"),
        gap("narrow_pillar", "work"),
        gap("sector", "faith"),
        gap("predictor", "just_policing"),  # in governance
    ]
    areas = [
        area("work", "employment_ratio", 2.5),
        area("work", "income_percentiles", 4.0),
        area("governance", "political_participation", 9.0),
        area("neighborhoods", "housing_affordability", 3.0),  # no gap there: unused
    ]
    ranked = rank_gaps(gaps, areas)
    # work: 2 areas; governance: 1 (evidence 9.0); education: none; the sector comes last
    assert [r.gap.id for r in ranked] == ["work", "just_policing", "education", "faith"]
    assert [a.evidence for a in ranked[0].areas] == [4.0, 2.5]  # strongest first
    assert ranked[0].reason == "2 areas to explore in this pillar"
    assert ranked[1].reason == "1 area to explore in this pillar"
    assert ranked[2].reason == "No area to explore in this pillar for your places."
    assert ranked[3].pillar_id is None and ranked[3].reason == ""


def test_equal_counts_rank_by_evidence_then_keep_their_order() -> None:
    from upward.planning.coverage import rank_gaps

    gaps = [gap("pillar", "education"), gap("pillar", "work"), gap("pillar", "governance")]
    areas = [
        area("education", "a", 2.0),
        area("work", "b", 5.0),
        area("governance", "c", 2.0),
    ]
    assert [r.gap.id for r in rank_gaps(gaps, areas)] == ["work", "education", "governance"]
    # no areas at all: the gaps keep the order assess_coverage gave them (ties are ties)
    assert [r.gap.id for r in rank_gaps(gaps, [])] == ["education", "work", "governance"]
    # no evidence number counts as the weakest
    untested = [area("education", "a", None), area("work", "b", 0.5)]
    assert [r.gap.id for r in rank_gaps(gaps[:2], untested)] == ["work", "education"]


def test_a_predictor_gap_with_its_own_metric_among_the_areas_ranks_first() -> None:
    from upward.catalog import get_catalog
    from upward.planning.coverage import rank_gaps

    catalog = get_catalog()
    pillar = catalog.pillars[0]
    first, second = pillar.predictor_ids[:2]
    metric = next(m for m in catalog.metrics if m.predictor_id == second)
    gaps = [gap("predictor", first), gap("predictor", second)]
    areas = [area(pillar.id, metric.id, 2.0)]  # one area in the pillar, of the second's metric
    assert [r.gap.id for r in rank_gaps(gaps, areas, catalog)] == [second, first]
