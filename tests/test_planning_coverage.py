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
