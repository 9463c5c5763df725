"""Which variables are counts, where each unit's scale ends, and the shipped price index."""

from __future__ import annotations

import pytest

from upward.catalog import CatalogError, get_catalog, load_catalog
from upward.catalog.prices import consumer_prices, read_price_index


def test_exactly_the_count_columns_are_counts() -> None:
    # Checked by hand over every variable of framework.yaml: only the number of students who
    # experienced homelessness is a count. Associations per 10,000 people is a rate.
    catalog = get_catalog()
    assert [v.name for v in catalog.variables if v.is_count] == ["count_homeless"]
    assert not catalog.variable("count_membership_associations_per_10k").is_count
    assert catalog.variable("count_membership_associations_per_10k").unit == "rate"
    assert not catalog.variable("share_homeless").is_count
    for variable in catalog.variables:
        assert variable.is_count == (variable.unit == "count")


def test_scales_by_unit() -> None:
    catalog = get_catalog()
    assert catalog.variable("share_hs_degree").scale == (0.0, 1.0)
    assert catalog.variable("pctl_income_20").scale == (0.0, None)
    assert catalog.variable("count_homeless").scale == (0.0, None)
    assert catalog.variable("learning_rate").scale == (None, None)  # can be negative
    assert catalog.variable("index_air_hazard").scale == (0.0, 100.0)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("        unit: count\n", "        unit: rate\n", "must have unit count"),
        (
            "        unit: share\n        unit_detail: share of enrolled public school students",
            "        unit: count\n        unit_detail: share of enrolled public school students",
            "cannot be a headline",
        ),
    ],
)
def test_a_count_is_declared_and_checked(old: str, new: str, message: str) -> None:
    from importlib import resources

    text = resources.files("upward.catalog").joinpath("framework.yaml").read_text("utf-8")
    assert old in text
    with pytest.raises(CatalogError, match=message):
        load_catalog(text.replace(old, new, 1))


def test_the_shipped_cpi_is_the_bls_annual_average() -> None:
    cpi = consumer_prices()
    assert cpi.years == (2013, 2024)
    assert cpi.annual[2014] == 236.736 and cpi.annual[2023] == 304.702
    assert cpi.annual[2020] == 258.811 and cpi.annual[2024] == 313.689
    assert "CUUR0000SA0" in cpi.source and "1982-84=100" in cpi.source
    assert "Release:" in cpi.source and "Retrieval:" in cpi.source
    assert cpi.factor(2014, 2023) == pytest.approx(1.287096, abs=1e-6)  # 304.702 / 236.736
    assert cpi.factor(2023, 2014) == pytest.approx(1 / 1.287096, abs=1e-6)
    assert cpi.factor(2012, 2023) is None and cpi.factor(2023, 2025) is None
    assert cpi.missing(2012, 2014, 2025) == (2012, 2025)
    values = [cpi.annual[y] for y in sorted(cpi.annual)]
    assert values == sorted(values)  # prices rose every year in this span
    assert get_catalog().prices is cpi  # read with the catalog, once


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# only comments\n", "header row"),
        ("year,cpi\n2014,abc\n", "row 2"),
        ("year,cpi\n2014,1\n2014,2\n", "repeated"),
        ("year,cpi\n2014,-1\n", "not positive"),
        ("year,cpi\n", "no years"),
    ],
)
def test_a_malformed_price_index_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_price_index(text, "test index")
