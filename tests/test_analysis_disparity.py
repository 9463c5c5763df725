"""Gaps between groups and their change over time, on hand-computed cases."""

from __future__ import annotations

import math

import pytest
from test_analysis_comparison import Cell

from upward.analysis.disparity import analyze_disparities, notable_gaps
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
