"""Gaps between groups and their change over time, on hand-computed cases."""

from __future__ import annotations

import math

import pytest
from test_analysis_comparison import Cell

from upward.analysis.disparity import COUNT_NOTE, analyze_disparities, notable_gaps
from upward.catalog import get_catalog

V, RACE = "rate_injury_death", "race-ethnicity"


def cell(year: int, group: str, value: float | None, half: float = 0, quality: str = "Strong"):  # type: ignore[no-untyped-def]
    bounds = (value - half, value + half) if value is not None and half else (None, None)
    return Cell("27123", V, year, value, *bounds, quality, RACE, group)


CELLS = [
    cell(2021, "All", 80, 4),
    cell(2021, "Black, Non-Hispanic", 120, 10),
    cell(2021, "White, Non-Hispanic", 75, 4),
    cell(2023, "All", 100, 4),
    cell(2023, "Black, Non-Hispanic", 160, 10),
    cell(2023, "White, Non-Hispanic", 90, 4),
    cell(2023, "Hispanic", 70, 5, "Weak"),
    cell(2023, "Other Races and Ethnicities", None, quality="Weak"),
    Cell("27123", V, 2023, 95, 91, 99),  # the overall value is not the breakdown's total
]
SE4, SE10 = 4 / 1.96, 10 / 1.96


def test_gaps_against_the_breakdown_total() -> None:
    (b,) = analyze_disparities(get_catalog(), CELLS)
    assert (b.variable.name, b.subgroup_type, b.year) == (V, RACE, 2023)
    assert b.total is not None and b.total.value == 100
    gaps = {g.group: g for g in b.vs_total}
    black = gaps["Black, Non-Hispanic"].comparison
    assert black.difference == 60
    assert black.se == pytest.approx(math.hypot(SE10, SE4))
    assert black.verdict == "higher" and gaps["Black, Non-Hispanic"].judgement == "worse"
    white = gaps["White, Non-Hispanic"]
    assert white.comparison.z == pytest.approx(-10 / math.hypot(SE4, SE4))
    assert white.judgement == "better"
    assert gaps["Hispanic"].comparison.verdict == "too_uncertain"
    assert gaps["Other Races and Ethnicities"].comparison.verdict == "no_data"
    pair = next(
        g
        for g in b.between
        if {g.group, g.reference} == {"Black, Non-Hispanic", "White, Non-Hispanic"}
    )
    assert abs(pair.comparison.difference or 0) == 70


def test_change_of_a_gap_is_a_difference_in_differences() -> None:
    (b,) = analyze_disparities(get_catalog(), CELLS)
    changes = {(c.group, c.reference): c for c in b.changes}
    black = changes[("Black, Non-Hispanic", "All")]
    assert (black.first.year, black.last.year) == (2021, 2023)
    gap_se = math.hypot(SE10, SE4)
    assert black.change.difference == pytest.approx(20)
    assert black.change.se == pytest.approx(math.hypot(gap_se, gap_se))
    assert black.change.z == pytest.approx(20 / math.hypot(gap_se, gap_se))  # 2.574
    assert black.word == "widened"
    white = changes[("White, Non-Hispanic", "All")]
    assert white.change.difference == pytest.approx(-5)
    assert white.word == "no_distinguishable_change"
    assert ("Hispanic", "All") not in changes  # one year only


def test_notable_gaps_are_where_a_group_fares_worse() -> None:
    breakdowns = analyze_disparities(get_catalog(), CELLS)
    found = notable_gaps(breakdowns)
    assert [g.group for _, g in found] == ["Black, Non-Hispanic"]


def test_no_total_and_no_values() -> None:
    only_groups = [c for c in CELLS if c.subgroup != "All"]
    (b,) = analyze_disparities(get_catalog(), only_groups)
    assert b.total is None and "No total" in b.notes[0]
    assert all(g.comparison.verdict == "no_data" for g in b.vs_total)
    assert analyze_disparities(get_catalog(), [cell(2023, "Hispanic", None)]) == ()


def test_counts_get_no_gaps_but_their_shares_do() -> None:
    # Ramsey County, MN, student homelessness 2022: the count of Black, non-Hispanic
    # students (1,255) is part of the total (2,477), so no gap is computed for counts.
    def homeless(variable: str, year: int, group: str, value: float, half: float) -> Cell:
        return Cell("27123", variable, year, value, value - half, value + half, "Strong", RACE,
                    group)  # fmt: skip

    cells = [
        homeless("count_homeless", 2019, "All", 2200, 10),
        homeless("count_homeless", 2019, "Black, Non-Hispanic", 1100, 5),
        homeless("count_homeless", 2022, "All", 2477, 13),
        homeless("count_homeless", 2022, "Black, Non-Hispanic", 1255, 7),
        homeless("count_homeless", 2022, "Hispanic", 398, 16),
        Cell("27123", "share_homeless", 2022, 0.05, None, None, "Strong", RACE, "All"),
        Cell(
            "27123", "share_homeless", 2022, 0.11, None, None, "Strong", RACE, "Black, Non-Hispanic"
        ),
    ]
    counts, shares = analyze_disparities(get_catalog(), cells)
    assert counts.variable.is_count and counts.variable.name == "count_homeless"
    assert [g.value for g in counts.groups] == [1255, 398]
    assert counts.total is not None and counts.total.value == 2477
    assert counts.vs_total == () and counts.between == () and counts.changes == ()
    assert counts.notes == (COUNT_NOTE,)
    assert notable_gaps([counts]) == []
    (gap,) = shares.vs_total  # the shares are compared (no interval: without a test)
    assert gap.comparison.verdict == "no_test" and gap.comparison.difference == pytest.approx(0.06)


F14 = 304.702 / 236.736  # CPI-U 2023 / 2014


def test_a_dollar_gap_changes_in_real_terms() -> None:
    # 20th percentile income by race, 2014 and 2023 (each value ± $1,000):
    # 2014 gap -$5,000 is -$6,435 in 2023 dollars; 2023 gap -$8,000. Nominally the gap
    # widened by $3,000 (z = -2.94); in real terms by $1,565, z = -1,565 / 1,176 = -1.33.
    def income(year: int, group: str, value: float) -> Cell:
        return Cell("0630000", "pctl_income_20", year, value, value - 1000, value + 1000,
                    "Strong", RACE, group)  # fmt: skip

    cells = [income(2014, "All", 20000), income(2014, "Black, Non-Hispanic", 15000),
             income(2023, "All", 30000), income(2023, "Black, Non-Hispanic", 22000)]  # fmt: skip
    (b,) = analyze_disparities(get_catalog(), cells)
    (change,) = b.changes
    se = math.hypot(1000 / 1.96, 1000 / 1.96)
    assert change.real is not None and change.real.factor == pytest.approx(F14)
    assert change.real.earlier_real == pytest.approx(-5000 * F14)  # -6,435.48
    assert change.change.difference == pytest.approx(-8000 + 5000 * F14)  # -1,564.52
    assert change.change.se == pytest.approx(math.hypot(se * F14, se))  # 1,176.05
    assert change.change.z == pytest.approx(-1.3303, abs=1e-4)
    assert change.word == "no_distinguishable_change"
    assert change.real.nominal_change == pytest.approx(-3000)
    assert "Tested in 2023 dollars" in change.real.note and "gap of −$5,000" in change.real.note
