"""Counts, degenerate and clipped intervals and real dollars, on the full 2025 release.

Each case is one the audit of issue 8 found; the numbers in the comments are Urban's.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from upward.analysis.uncertainty import COUNT_REASON, DEGENERATE_REASON, Comparison
from upward.data.warehouse import Warehouse
from upward.explore import Release
from upward.reports.place_analysis import PlaceAnalysis


@pytest.fixture(scope="module")
def release(full_warehouse_path: Path) -> Iterator[Release]:
    """The full release, keeping its feature tables (and analyses) for the module."""
    with Release(Warehouse(full_warehouse_path)) as found:
        yield found


@pytest.fixture(scope="module")
def warehouse(release: Release) -> Warehouse:
    return release.warehouse


@pytest.fixture(scope="module")
def analyze(release: Release) -> Callable[[str], PlaceAnalysis]:
    """``analyze_place`` of a place (default peers), through the release."""
    return release.analysis


def _trend(analysis: PlaceAnalysis, variable: str):  # type: ignore[no-untyped-def]
    return next(t for t in analysis.trends if t.variable.name == variable)


def test_mountain_view_high_school_completion(analyze: Callable[[str], PlaceAnalysis]) -> None:
    # 0649670: 100.0% [100.0%, 100.0%] in 2014, 96.0% [91.8%, 100.0%] in 2023; it was
    # "decreased, significant, worse" at z = -1.96 exactly.
    analysis = analyze("0649670")
    trend = _trend(analysis, "share_hs_degree")
    assert (trend.first.year, trend.first.value, trend.first.lb) == (2014, 1.0, 1.0)
    assert trend.last.year == 2023 and trend.last.value == pytest.approx(0.95972, abs=1e-5)
    assert trend.comparison.verdict == "no_test"
    assert trend.comparison.reason == DEGENERATE_REASON
    assert trend.judgement is None
    assert not any(i.variable == "share_hs_degree" for i in analysis.insights.changes)


def test_lawrence_gaps_at_one_hundred_percent(analyze: Callable[[str], PlaceAnalysis]) -> None:
    # 2038900, share_hs_degree 2023: With Disability, Male and Other Races and Ethnicities
    # are published as 1.0 [1.0, 1.0]; six gaps were "significant" at p = 0.049996.
    analysis = analyze("2038900")
    gaps = [g for b in analysis.breakdowns if b.variable.name == "share_hs_degree"
            for g in (*b.vs_total, *b.between)]  # fmt: skip
    exact = [g for g in gaps if g.group_cell is not None and g.group_cell.lb == g.group_cell.ub]
    assert {g.group for g in exact} >= {"With Disability", "Male", "Other Races and Ethnicities"}
    assert not any(g.comparison.claims_difference for g in exact)
    tested = [g for g in exact if g.comparison.verdict not in ("no_data", "too_uncertain")]
    assert len(tested) >= 6
    assert all(g.comparison.verdict == "no_test" for g in tested)
    assert all(g.comparison.reason == DEGENERATE_REASON for g in tested)
    assert not [g for g in gaps if g.comparison.claims_difference
                and (g.comparison.p or 0) > 0.0499]  # fmt: skip


def test_glendale_income_is_compared_in_real_terms(analyze: Callable[[str], PlaceAnalysis]) -> None:
    # 0630000, pctl_income_20: $20,168 (2014) to $24,570 (2023), +21.8% nominal, which is
    # -5.3% in 2023 dollars (CPI-U 304.702 / 236.736): no longer "significantly better".
    analysis = analyze("0630000")
    trend = _trend(analysis, "pctl_income_20")
    assert (trend.first.year, trend.last.year) == (2014, 2023)
    assert trend.real is not None
    assert trend.real.nominal_percent == pytest.approx(0.2183, abs=1e-4)
    assert trend.real.real_percent == pytest.approx(-0.0535, abs=1e-4)
    assert trend.comparison.verdict == "not_distinguishable" and trend.judgement is None
    assert trend.notes[0].startswith("Tested in 2023 dollars")
    assert not any(i.variable == "pctl_income_20" for i in analysis.insights.changes)


def test_ramsey_homelessness_counts_are_not_gaps(analyze: Callable[[str], PlaceAnalysis]) -> None:
    # 27123, 2022: 1,255 Black, non-Hispanic students of 2,477 who experienced homelessness
    # was "lower than the total, which is better".
    analysis = analyze("27123")
    (counts,) = [b for b in analysis.breakdowns if b.variable.name == "count_homeless"]
    black = next(g for g in counts.groups if g.subgroup == "Black, Non-Hispanic")
    assert (counts.year, black.value) == (2022, 1255)
    assert counts.vs_total == () and counts.between == () and counts.changes == ()
    assert not any(i.variable == "count_homeless" for i in analysis.insights.all)
    (vc,) = [vc for vc in analysis.comparisons if vc.variable.name == "count_homeless"]
    tests = [p.comparison for p in vc.peers] + [s.comparison for s in vc.scopes]
    assert tests and all(c.verdict in ("no_test", "no_data") for c in tests)
    assert all(c.reason == COUNT_REASON for c in tests if c.verdict == "no_test")


def _tests(analysis: PlaceAnalysis) -> Iterator[tuple[str, Comparison]]:
    for vc in analysis.comparisons:
        for p in vc.peers:
            yield vc.variable.name, p.comparison
        for s in vc.scopes:
            yield vc.variable.name, s.comparison
    for b in analysis.breakdowns:
        for g in (*b.vs_total, *b.between):
            yield b.variable.name, g.comparison
        for ch in b.changes:
            yield b.variable.name, ch.change
    for t in analysis.trends:
        yield t.variable.name, t.comparison


def test_no_sample_place_claims_from_counts_or_degenerate_intervals(
    warehouse: Warehouse, analyze: Callable[[str], PlaceAnalysis]
) -> None:
    places = sorted(warehouse.geographies)
    chosen = [*random.Random(8).sample(places, 12), "18151", "0649670", "2038900"]
    for geoid in chosen:
        for variable, c in _tests(analyze(geoid)):
            where = (geoid, variable, c.verdict, c.z)
            if c.z is not None:
                assert math.isfinite(c.z) and c.se is not None and c.se > 0, where
            if c.claims_difference:
                assert c.z is not None and abs(c.z) > 1.96, where
                assert variable != "count_homeless", where
                assert not c.a.degenerate and not c.b.degenerate, where
