"""Insight sentences: deterministic, ranked, and never built on Weak data."""

from __future__ import annotations

from dataclasses import replace

from test_analysis_comparison import INC, POV, Bench, Cell, Standing, inputs
from test_analysis_disparity import CELLS

from upward.analysis.comparison import compare_place
from upward.analysis.disparity import analyze_disparities
from upward.analysis.insight import build_insights, gap_size, plain_number
from upward.analysis.trend import trends
from upward.catalog import get_catalog


def report(data=None):  # type: ignore[no-untyped-def]
    catalog = get_catalog()
    data = data or inputs()
    comparisons = compare_place(data, catalog)
    return build_insights(
        catalog,
        "Ramsey County, MN",
        "My peers",
        comparisons,
        analyze_disparities(catalog, CELLS),
        trends(catalog, data.cells),
    )


def test_a_tested_strength_names_its_evidence() -> None:
    found = report()
    work = next(p for p in found.pillars if p.pillar.id == "work")
    (strength,) = work.strengths
    assert strength.kind == "strength" and strength.tested
    assert strength.sentence == (
        "Household income at the 20th percentile in Ramsey County, MN was $40 in 2023 "
        "(95% CI $36 to $44; data quality Strong), higher than the median of all U.S. counties, "
        "$30 over 3,000 values not rated Weak (significant at the 95% level, p < 0.001), which "
        "is better: about 1.3 times that median."
    )
    assert strength.evidence is not None and strength.evidence > 4.8
    assert strength.observations[0].value == 40
    assert report() == found  # deterministic


def test_untested_values_give_a_neutral_standing_at_the_ends_only() -> None:
    data = inputs()

    def pillar(standing: Standing, bench: Bench):  # type: ignore[no-untyped-def]
        extra = replace(data, standings=[*data.standings, standing],
                        benchmarks=[*data.benchmarks, bench])  # fmt: skip
        return next(p for p in report(extra).pillars if p.pillar.id == "neighborhoods")

    # 2,700 of the 3,000 other counties are lower (90%): a note, never a strength or "worse"
    hood = pillar(
        Standing(POV, 2023, 2700, 0, 3001, 40, 0, 80), Bench(POV, 2023, "US", 0.05, 0, 1, 3001)
    )
    assert hood.areas_to_explore == () and hood.strengths == ()
    (note,) = hood.standings
    assert note.kind == "standing" and not note.tested and note.evidence is None
    assert note.sentence == (
        "Share of residents below the poverty line living in high-poverty neighborhoods in "
        "Ramsey County, MN was 10.0% in 2023 (data quality Strong): higher than 90% of the "
        "other 3,000 counties in the nation; against the national median, higher, not tested "
        "(no CI), so this says where the value sits, not whether it differs."
    )
    assert "better" not in note.sentence and "worse" not in note.sentence
    # Cass County, MN: tied with 2,512 of 3,137 others at the lowest value, 625 higher (20%):
    # not at an end once ties count on neither side, so no note (it said "lower than 100%")
    tied = pillar(
        Standing(POV, 2023, 0, 2512, 3138, 0, 80, 87), Bench(POV, 2023, "US", 0, 0, 1, 3138)
    )
    assert tied.standings == () and tied.strengths == ()
    # a national distribution that is mostly Weak gives no note either
    weak = pillar(
        Standing(POV, 2023, 2700, 0, 3001, 40, 0, 80),
        Bench(POV, 2023, "US", 0.05, 0, 1, 3001, n_weak=2000, claim_count=1001),
    )
    assert weak.standings == ()


def test_weak_data_give_a_note_never_a_claim() -> None:
    data = inputs()
    weak = replace(data, cells=[Cell("27123", INC, 2023, 90, 80, 100, "Weak")])
    found = report(weak)
    work = next(p for p in found.pillars if p.pillar.id == "work")
    assert work.strengths == () and work.areas_to_explore == ()
    (note,) = work.too_uncertain
    assert "rated Weak, too uncertain to say" in note.sentence
    for insight in found.all:
        if insight.kind in ("strength", "area_to_explore", "change"):
            assert all(o.quality != "Weak" for o in insight.observations[:1])


def test_disparities_and_changes() -> None:
    found = report()
    (gap,) = found.disparities
    # gap 60, se = hypot(10, 4) / 1.96 = 5.495, 95% CI 60 ± 10.77; z = 10.9
    assert gap.sentence.startswith(
        "Deaths from injuries per 100,000 residents in Ramsey County, MN, 2023: Black, "
        "Non-Hispanic 160.00, 60.00 higher than the total for this race and ethnicity "
        "breakdown (100.00); 95% CI of the gap 49.23 to 70.77; significant at the 95% level, "
        "p < 0.001."
    )
    assert "The gap widened between 2021 and 2023 (significant at the 95% level" in gap.sentence
    for word in ("fares", "worse", "better", "problem"):
        assert word not in gap.sentence.lower()
    assert found.changes == ()  # income 2022 -> 2023 is not distinguishable: no claim
    data = inputs()
    # 2015 $20 [$18, $22] is $25.71 [$23.14, $28.28] in 2023 dollars (× 304.702 / 237.017):
    # a real rise to $40 [$36, $44], z = 14.29 / √((2.571/1.96)² + (4/1.96)²) = 5.89.
    longer = replace(data, cells=[Cell("27123", INC, 2015, 20, 18, 22), *data.cells])
    (change,) = report(longer).changes
    assert change.sentence.startswith(
        "Household income at the 20th percentile in Ramsey County, MN increased from $20 in "
        "2015 (95% CI $18 to $22; data quality Strong) to $40 in 2023"
    )
    assert "which is better. Note: Tested in 2023 dollars (CPI-U" in change.sentence
    assert "the nominal change is +$20 (+100.0%)" in change.sentence
    below_inflation = replace(data, cells=[Cell("27123", INC, 2015, 30, 28, 32), *data.cells])
    assert report(below_inflation).changes == ()  # +33% nominal, +3.7% real: not significant


def test_gap_size_in_percentage_points() -> None:
    share = get_catalog().variable("share_employed")
    assert gap_size(plain_number, share, -0.284) == "28.4 percentage points"
    assert gap_size(plain_number, share, 0.266, 0.341) == "26.6 to 34.1 percentage points"
