"""Change over time and bright-spot peers, on hand-computed cases."""

from __future__ import annotations

import math

import pytest
from test_analysis_comparison import Cell

from upward.analysis.comparison import PeerSeries
from upward.analysis.trend import bright_spots, trend_of, trends, year_caveats
from upward.catalog import get_catalog

INC = "pctl_income_20"
F15 = 304.702 / 237.017  # CPI-U 2023 / 2015: dollars of 2015 in dollars of 2023


def series(geoid: str, *cells: tuple[int, float, float, str]) -> list[Cell]:
    return [Cell(geoid, INC, y, v, v - h, v + h, q) for y, v, h, q in cells]


def test_change_from_the_first_usable_year_to_the_latest() -> None:
    cells = series("27123", (2014, 20, 5, "Weak"), (2015, 20, 1, "Strong"), (2023, 40, 4, "Strong"))
    trend = trend_of(get_catalog(), INC, cells)
    assert trend is not None
    assert (trend.first.year, trend.last.year) == (2015, 2023)
    # In 2023 dollars 2015 is 20 × 1.28557 = 25.711 ± 1.286: a real change of 14.289.
    assert trend.comparison.difference == pytest.approx(40 - 20 * F15)
    assert trend.comparison.z == pytest.approx((40 - 20 * F15) / math.hypot(F15 / 1.96, 4 / 1.96))
    assert trend.word == "increased" and trend.judgement == "better"
    assert trend.improvement_z == pytest.approx(trend.comparison.z)
    assert trend.notes[0] == "Years before 2015 are rated Weak and are left out of the change."
    assert trend.notes[1].startswith("Tested in 2023 dollars")
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
        PeerSeries("A", "A", series("A", (2015, 20, 2, "Strong"), (2023, 40, 4, "Strong"))),
        PeerSeries("B", "B", series("B", (2015, 20, 1, "Strong"), (2023, 35, 1, "Strong"))),
        PeerSeries("C", "C", series("C", (2015, 30, 2, "Strong"), (2023, 29, 2, "Strong"))),
        PeerSeries("D", "D", series("D", (2023, 50, 2, "Strong"))),
    ]
    found = bright_spots(get_catalog(), "opportunities_for_income", places)
    assert found.window == {INC: (2015, 2023)}
    assert [s.geoid for s in found.significant] == ["B", "A"]
    # B: (35 - 20 × 1.28557) / √((1.28557/1.96)² + (1/1.96)²) = 9.289 / 0.8310 = 11.18
    assert found.significant[0].trend.improvement_z == pytest.approx(
        (35 - 20 * F15) / math.hypot(F15 / 1.96, 1 / 1.96)
    )
    assert found.untested == ()


F14 = 304.702 / 236.736  # CPI-U 2023 / 2014 = 1.287096


def test_glendale_income_rose_less_than_prices() -> None:
    # 0630000, pctl_income_20: $20,168 [$17,748, $22,790] in 2014, $24,570 [$23,653, $28,547]
    # in 2023: +21.8% nominal, "significantly better" before. In 2023 dollars 2014 is
    # $25,959 [$22,844, $29,333]: a real change of -$1,388 (-5.3%),
    # z = -1,388.4 / √((3,115.4 / 1.96)² + (3,976.1 / 1.96)²) = -1,388.4 / 2,577.0 = -0.539.
    cells = [Cell("0630000", INC, 2014, 20168.5, 17748.28, 22790.405, "Marginal"),
             Cell("0630000", INC, 2023, 24570.3838, 23652.8176, 28546.504, "Strong")]  # fmt: skip
    trend = trend_of(get_catalog(), INC, cells)
    assert trend is not None and trend.real is not None
    assert trend.real.earlier_real == pytest.approx(20168.5 * F14)  # 25,958.80
    assert trend.real.nominal_percent == pytest.approx(0.21826, abs=1e-5)
    assert trend.real.real_percent == pytest.approx(-0.05349, abs=1e-5)
    assert trend.comparison.difference == pytest.approx(24570.3838 - 20168.5 * F14)
    # 2023 lies below restated 2014: 2023's upper half and 2014's lower half face each other.
    lower_half_2014 = (20168.5 - 17748.28) * F14  # 3,115.06
    upper_half_2023 = 28546.504 - 24570.3838  # 3,976.12
    se = math.hypot(lower_half_2014 / 1.96, upper_half_2023 / 1.96)
    assert trend.comparison.se == pytest.approx(se)
    assert trend.comparison.z == pytest.approx(-0.5388, abs=1e-4)
    assert trend.word == "no_distinguishable_change" and trend.judgement is None
    assert trend.notes[0] == (
        "Tested in 2023 dollars (CPI-U, BLS annual average): the 2014 value of $20,168 is "
        "$25,959 in 2023 dollars, a real change of −$1,388 (−5.3%); the nominal change is "
        "+$4,402 (+21.8%)."
    )


def test_a_year_outside_the_price_index_gets_no_real_terms_test() -> None:
    cells = series("1", (2012, 20, 1, "Strong"), (2023, 40, 1, "Strong"))
    trend = trend_of(get_catalog(), INC, cells)
    assert trend is not None and trend.real is not None and trend.real.factor is None
    assert trend.word == "untested" and trend.judgement is None
    assert trend.comparison.difference == 20  # nominal, shown but not tested
    assert trend.comparison.reason.startswith("No real-terms test: the consumer price index")
    assert "covers 2013 to 2024, not 2012" in trend.notes[0]
    assert "+$20 (+100.0%), not tested" in trend.notes[0]


def test_other_units_are_not_deflated() -> None:
    deaths = [Cell("1", "rate_injury_death", 2014, 50, 48, 52),
              Cell("1", "rate_injury_death", 2023, 40, 38, 42)]  # fmt: skip
    (trend,) = trends(get_catalog(), deaths)
    assert trend.real is None and trend.comparison.difference == -10


def test_a_count_is_never_judged() -> None:
    # Student homelessness counts went from 2,792 to 2,477 in Ramsey County (2014 -> 2022):
    # fewer students, but also a different enrolment; the share is the measure to judge.
    cells = [Cell("27123", "count_homeless", 2014, 2792, 2787, 2797),
             Cell("27123", "count_homeless", 2022, 2477, 2464, 2490)]  # fmt: skip
    (trend,) = trends(get_catalog(), cells)
    assert trend.comparison.verdict == "no_test" and "count" in trend.comparison.reason
    assert trend.judgement is None and trend.improvement_z is None and trend.word == "untested"


def test_bright_spots_leave_out_changes_untested_for_other_reasons() -> None:
    # A: 90% [90%, 90%] to 95% [95%, 95%] (zero width, not tested, and not "no CI");
    # B: 50% to 60% with no interval published: listed, without a significance claim.
    a = [Cell("A", "share_hs_degree", 2014, 0.90, 0.90, 0.90),
         Cell("A", "share_hs_degree", 2023, 0.95, 0.95, 0.95)]  # fmt: skip
    b = [Cell("B", "share_hs_degree", 2014, 0.50), Cell("B", "share_hs_degree", 2023, 0.60)]
    found = bright_spots(get_catalog(), "preparation_for_college",
                         [PeerSeries("A", "A", a), PeerSeries("B", "B", b)])  # fmt: skip
    assert found.significant == ()
    assert [s.geoid for s in found.untested] == ["B"]
