"""Numbers formatted for their unit (upward.reports.numbers): one rule for every page,
document and console table, for the value and for its bounds, medians and quartiles."""

from __future__ import annotations

import pytest

from upward.catalog import Variable, get_catalog
from upward.reports.numbers import (
    decimals,
    format_ci,
    format_count,
    format_distance,
    format_in_unit,
    format_number,
    format_points,
    format_value,
)


def variable(name: str) -> Variable:
    return get_catalog().variable(name)


@pytest.mark.parametrize(
    ("unit", "value", "shown"),
    [
        ("share", 0.41234, "41.2%"),
        ("share", 0.0, "0.0%"),
        ("share", 1.0, "100.0%"),
        ("dollars", 53446.6, "$53,447"),
        ("dollars", 950.0, "$950"),
        ("count", 1204.0, "1,204"),
        ("people", 536413.0, "536,413"),
        ("index", 57.4, "57"),
        # ratios and rates: decimals by size
        ("ratio", 908.0, "908"),  # people per primary care physician
        ("ratio", 2069.0, "2,069"),
        ("ratio", 12345.6, "12,346"),
        ("ratio", 0.5312, "0.53"),  # homes per household
        ("ratio", 1.0, "1.00"),
        ("ratio", 45.67, "45.7"),
        ("rate", 1.046, "1.05"),  # grade levels a year
        ("rate", 12.44, "12.4"),  # per 10,000 residents
        ("rate", 350.2, "350"),
        ("rate", -2.5, "-2.50"),
    ],
)
def test_each_unit_has_its_format(unit: str, value: float, shown: str) -> None:
    assert format_in_unit(unit, value) == shown


def test_decimals_follow_size_for_rates_and_ratios_only() -> None:
    assert [decimals("ratio", v) for v in (0.5, 9.99, 10, 99.9, 100, 5000)] == [2, 2, 1, 1, 0, 0]
    assert decimals("rate", -150) == 0
    assert {decimals(u, 0.5) for u in ("count", "index", "people", "dollars")} == {0}


def test_people_per_physician_reads_as_whole_people() -> None:
    v = variable("ratio_population_pc_physician")
    assert format_value(v, 908.0) == "908"
    assert format_number(v, 2069.0) == "2,069"  # a national median, like the value
    assert format_ci(v, 850.2, 1010.7) == "95% CI 850–1,011"
    assert ".00" not in format_number(v, 1500.0)


def test_shares_dollars_and_ratios_from_the_catalog() -> None:
    assert format_value(variable("share_employed"), 0.882) == "88.2%"
    assert format_number(variable("share_employed"), None) == ""
    assert format_value(variable("share_employed"), None) == "no value"
    assert format_value(variable("ratio_living_wage"), 0.874) == "0.87"


def test_helpers_for_differences_counts_and_distances() -> None:
    assert format_points(-0.0213) == "2.1 points"
    assert format_count(536413.4) == "536,413"
    assert format_distance(0.4172) == "0.42"
    assert format_distance(None) == "not computed"
