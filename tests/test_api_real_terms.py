"""The API's gap changes carry their real-terms restatement (dollars) or null."""

from __future__ import annotations

import pytest
from test_analysis_comparison import Cell
from test_analysis_disparity import CELLS, F14, RACE

from upward.analysis.disparity import analyze_disparities
from upward.catalog import get_catalog
from upward.explore.analysis_shapes import gap_change_out


def income(year: int, group: str, value: float) -> Cell:
    return Cell("0630000", "pctl_income_20", year, value, value - 1000, value + 1000, "Strong",
                RACE, group)  # fmt: skip


def test_a_dollar_gap_change_names_its_real_terms() -> None:
    cells = [income(2014, "All", 20000), income(2014, "Black, Non-Hispanic", 15000),
             income(2023, "All", 30000), income(2023, "Black, Non-Hispanic", 22000)]  # fmt: skip
    (b,) = analyze_disparities(get_catalog(), cells)
    (change,) = [gap_change_out(c).model_dump() for c in b.changes]
    real = change["real_terms"]
    assert real["factor"] == pytest.approx(F14)
    assert real["earlier_nominal"] == -5000 and real["earlier_real"] == pytest.approx(-5000 * F14)
    assert real["nominal_change"] == -3000
    assert change["test"]["difference"] == pytest.approx(real["real_change"])
    assert real["note"].startswith("Tested in 2023 dollars")


def test_other_units_have_no_real_terms() -> None:
    (b,) = analyze_disparities(get_catalog(), CELLS)
    changes = [gap_change_out(c).model_dump() for c in b.changes]
    assert changes and all(c["real_terms"] is None for c in changes)
