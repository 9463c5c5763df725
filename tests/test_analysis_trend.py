"""Change over time and bright-spot peers, on hand-computed cases."""

from __future__ import annotations

import math

import pytest
from test_analysis_comparison import Cell

from upward.analysis.comparison import PeerSeries
from upward.analysis.trend import bright_spots, trend_of, trends, year_caveats
from upward.catalog import get_catalog

INC = "pctl_income_20"


def series(geoid: str, *cells: tuple[int, float, float, str]) -> list[Cell]:
    return [Cell(geoid, INC, y, v, v - h, v + h, q) for y, v, h, q in cells]


def test_change_from_the_first_usable_year_to_the_latest() -> None:
    cells = series("27123", (2014, 20, 5, "Weak"), (2015, 30, 2, "Strong"), (2023, 40, 4, "Strong"))
    trend = trend_of(get_catalog(), INC, cells)
    assert trend is not None
    assert (trend.first.year, trend.last.year) == (2015, 2023)
    assert trend.comparison.difference == 10
    assert trend.comparison.z == pytest.approx(10 / math.hypot(2 / 1.96, 4 / 1.96))
    assert trend.word == "increased" and trend.judgement == "better"
    assert trend.improvement_z == pytest.approx(trend.comparison.z)
    assert trend.notes[0] == "Years before 2015 are rated Weak and are left out of the change."
    assert any("inflation" in n for n in trend.notes)


def test_a_weak_latest_year_or_window_gives_no_claim() -> None:
    catalog = get_catalog()
    weak_last = series("1", (2015, 30, 2, "Strong"), (2023, 60, 2, "Weak"))
    trend = trend_of(catalog, INC, weak_last)
    assert trend is not None and trend.word == "no_claim" and trend.judgement is None
    cells = series("1", (2014, 20, 5, "Weak"), (2023, 40, 4, "Strong"))
    windowed = trend_of(catalog, INC, cells, window=(2014, 2023))
    assert windowed is not None and windowed.comparison.verdict == "too_uncertain"
    assert trend_of(catalog, INC, cells, window=(2015, 2023)) is None
    assert trend_of(catalog, INC, cells[:1]) is None


def test_untested_and_lower_better_trends() -> None:
    catalog = get_catalog()
    cells = [
        Cell("1", "share_poverty_exposure", 2014, 0.2),
        Cell("1", "share_poverty_exposure", 2023, 0.1),
    ]
    (trend,) = trends(catalog, cells)
    assert trend.word == "untested" and trend.judgement is None and trend.improvement_z is None
    deaths = [
        Cell("1", "rate_injury_death", 2014, 50, 48, 52),
        Cell("1", "rate_injury_death", 2023, 40, 38, 42),
    ]
    (fewer,) = trends(catalog, deaths)
    assert fewer.word == "decreased" and fewer.judgement == "better"
    assert fewer.improvement_z is not None and fewer.improvement_z > 0


def test_year_caveats_come_from_the_catalog() -> None:
    caveats = year_caveats(get_catalog().metric("income_percentiles"))
    assert caveats and all("inflation" in c for c in caveats)


def test_bright_spots_are_significant_improvements_ranked_by_evidence() -> None:
    places = [
        PeerSeries("A", "A", series("A", (2015, 30, 2, "Strong"), (2023, 40, 4, "Strong"))),
        PeerSeries("B", "B", series("B", (2015, 30, 1, "Strong"), (2023, 35, 1, "Strong"))),
        PeerSeries("C", "C", series("C", (2015, 30, 2, "Strong"), (2023, 29, 2, "Strong"))),
        PeerSeries("D", "D", series("D", (2023, 50, 2, "Strong"))),
    ]
    found = bright_spots(get_catalog(), "opportunities_for_income", places)
    assert found.window == {INC: (2015, 2023)}
    assert [s.geoid for s in found.significant] == ["B", "A"]
    assert found.significant[0].trend.improvement_z == pytest.approx(
        5 / math.hypot(1 / 1.96, 1 / 1.96)
    )
    assert found.untested == ()
