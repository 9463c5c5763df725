"""Queries over the fixture warehouse: places, search, profiles, series, status."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from upward.catalog import UnknownName, get_catalog
from upward.data.model import Profile, ProfileEntry
from upward.data.warehouse import AmbiguousPlace, PlaceNotFound, Warehouse, WarehouseMissing
from upward.explore.shapes import observation_out

INCOME_PLACE = "01_financial-well-being/final/metrics_income_place_all_longitudinal.csv"
INCOME_PLACE_RACE = (
    "01_financial-well-being/final/metrics_income_place_race-ethnicity_longitudinal.csv"
)


def entry(profile: Profile, variable: str) -> ProfileEntry:
    return next(e for e in profile.entries if e.variable.name == variable)


# --- places -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "geoid"),
    [
        ("27123", "27123"),
        ("9001", "09001"),  # a county code that lost its leading zero
        ("09001", "09001"),
        ("2758000", "2758000"),
        ("Ramsey County, MN", "27123"),
        ("ramsey county, minnesota", "27123"),
        ("Ramsey County, ND", "38071"),
        ("Tulsa, OK", "4075000"),
        ("Tulsa city, OK", "4075000"),
        ("Tulsa County, OK", "40143"),
        ("St. Paul, MN", "2758000"),
        ("st paul, mn", "2758000"),
        ("Doña Ana County, NM", "35013"),
        ("Capitol Planning Region, CT", "09110"),
        ("  Hennepin County, MN ", "27053"),
    ],
)
def test_resolve_place(fixture_warehouse: Warehouse, text: str, geoid: str) -> None:
    assert fixture_warehouse.resolve_place(text).geoid == geoid


def test_resolved_geography_has_names_and_population(fixture_warehouse: Warehouse) -> None:
    tulsa = fixture_warehouse.resolve_place("Tulsa, OK")
    assert (tulsa.geo_level, tulsa.name, tulsa.short_name) == ("city", "Tulsa city", "Tulsa")
    assert (tulsa.display_name, tulsa.state_abbr, tulsa.state_name) == (
        "Tulsa, OK",
        "OK",
        "Oklahoma",
    )
    assert (tulsa.population, tulsa.population_year) == (411400.0, 2023)
    assert tulsa.url_path == "/city/4075000/"


def test_a_name_in_two_states_is_ambiguous(fixture_warehouse: Warehouse) -> None:
    with pytest.raises(AmbiguousPlace) as caught:
        fixture_warehouse.resolve_place("Ramsey")
    assert [g.geoid for g in caught.value.suggestions] == ["27123", "38071"]
    message = str(caught.value)
    assert "Ramsey County, MN (27123)" in message and "Ramsey County, ND (38071)" in message
    assert "add the state or use a FIPS code" in message


def test_an_unknown_name_suggests_close_matches(fixture_warehouse: Warehouse) -> None:
    with pytest.raises(PlaceNotFound) as caught:
        fixture_warehouse.resolve_place("Ramsy County, MN")
    assert not isinstance(caught.value, AmbiguousPlace)
    assert caught.value.suggestions[0].geoid == "27123"
    assert "Closest matches: Ramsey County, MN (27123)" in str(caught.value)


def test_an_unknown_fips_code_says_so(fixture_warehouse: Warehouse) -> None:
    with pytest.raises(PlaceNotFound) as caught:
        fixture_warehouse.resolve_place("2758001")
    assert "has the code '2758001'" in str(caught.value)
    assert caught.value.suggestions[0].geoid == "2758000"
    with pytest.raises(PlaceNotFound, match="No county or city matches 'Nowhere'"):
        fixture_warehouse.resolve_place("Nowhere")


def test_missing_warehouse(tmp_path: Path) -> None:
    with pytest.raises(WarehouseMissing, match="upward data load DIR"):
        Warehouse(tmp_path / "none.duckdb")


# --- search -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Exact short name (the city) before a prefix match (the county).
        ("Tulsa", ["4075000", "40143"]),
        # Equal matches: larger population first.
        ("Ramsey", ["27123", "38071"]),
        ("Fulton", ["13121", "1372122"]),
        # A FIPS prefix: every Minnesota place, by population.
        ("27", ["27053", "27123", "2743000", "2758000"]),
        # A word inside the name.
        ("paul", ["2758000"]),
        ("ramsey county, nd", ["38071"]),
        ("tulsa, oklahoma", ["4075000", "40143"]),
        ("Springfield", []),
        ("", []),
    ],
)
def test_search_ranking(fixture_warehouse: Warehouse, text: str, expected: list[str]) -> None:
    assert [g.geoid for g in fixture_warehouse.search(text)] == expected


def test_search_limit_and_level(fixture_warehouse: Warehouse) -> None:
    assert [g.geoid for g in fixture_warehouse.search("27", limit=2)] == ["27053", "27123"]
    assert [g.geoid for g in fixture_warehouse.search("Tulsa", geo_level="county")] == ["40143"]
    assert [g.geoid for g in fixture_warehouse.search("27", geo_level="city")] == [
        "2743000",
        "2758000",
    ]


# --- profiles -----------------------------------------------------------------------------


def test_profile_follows_catalog_order(fixture_warehouse: Warehouse) -> None:
    catalog = get_catalog()
    profile = fixture_warehouse.profile("27123")
    assert [s.pillar.id for s in profile.pillars] == [p.id for p in catalog.pillars]
    for section, pillar in zip(profile.pillars, catalog.pillars, strict=True):
        assert [s.predictor.id for s in section.predictors] == list(pillar.predictor_ids)
        for predictor_section in section.predictors:
            predictor = predictor_section.predictor
            expected = [
                (m, v.name) for m in predictor.metric_ids for v in catalog.metric(m).variables
            ]
            got = [(e.metric.id, e.variable.name) for e in predictor_section.entries]
            assert got == expected
    assert len(profile.entries) == len(catalog.variables)


def test_profile_takes_the_latest_published_year(fixture_warehouse: Warehouse) -> None:
    profile = fixture_warehouse.profile("Ramsey County, MN")
    assert profile.geography.geoid == "27123"
    income = entry(profile, "pctl_income_20")
    assert income.status == "published"
    assert income.years == (2014, 2021, 2023)
    obs = income.observation
    assert obs is not None
    assert (obs.year, obs.value, obs.lb, obs.ub, obs.quality) == (
        2023,
        27250.5,
        25500.0,
        29000.0,
        "Strong",
    )
    lbw = entry(profile, "rate_low_birth_weight").observation
    assert lbw is not None and (lbw.year, lbw.value, lbw.quality) == (2023, 0.0821, "Marginal")


def test_profile_skips_a_suppressed_latest_year(fixture_warehouse: Warehouse) -> None:
    # 38071: the 20th percentile is suppressed in 2023, published in 2014.
    income = entry(fixture_warehouse.profile("38071"), "pctl_income_20")
    assert income.status == "published"
    assert income.observation is not None and income.observation.year == 2014
    assert income.years == (2014,)


@pytest.mark.parametrize(
    ("place", "variable", "status"),
    [
        ("38071", "rate_injury_death", "suppressed"),  # only a quality flag, no value
        ("38071", "rate_low_birth_weight", "no_estimate"),  # blank and NA rows only
        ("02063", "rate_low_birth_weight", "no_estimate"),
        ("2758000", "rate_low_birth_weight", "not_for_level"),  # a county-only metric
        ("2758000", "rate_injury_death", "not_for_level"),
        ("1372122", "share_election_turnout", "not_covered"),  # no row in the city file
        ("27123", "count_homeless", "not_covered"),  # no file in the release
        ("27123", "share_election_turnout", "published"),
    ],
)
def test_profile_statuses(
    fixture_warehouse: Warehouse, place: str, variable: str, status: str
) -> None:
    found = entry(fixture_warehouse.profile(place), variable)
    assert found.status == status
    assert found.status_text
    if status in ("not_for_level", "not_covered"):
        assert found.observation is None


def test_profile_for_a_year(fixture_warehouse: Warehouse) -> None:
    profile = fixture_warehouse.profile("38071", year=2023)
    assert profile.year == 2023
    income20 = entry(profile, "pctl_income_20")
    assert income20.status == "suppressed"
    assert income20.observation is not None and income20.observation.quality == "Weak"
    income50 = entry(profile, "pctl_income_50").observation
    assert income50 is not None and (income50.year, income50.value) == (2023, 57000.0)
    assert entry(profile, "share_election_turnout").status == "not_in_year"
    assert entry(fixture_warehouse.profile("27123", year=2022), "pctl_income_20").status == (
        "not_in_year"
    )


def test_profile_with_a_subgroup_type(fixture_warehouse: Warehouse) -> None:
    profile = fixture_warehouse.profile("2758000", subgroup_type="race-ethnicity")
    assert profile.subgroup_type == "race-ethnicity"
    cells = [(o.variable, o.subgroup, o.year, o.value) for o in profile.subgroups]
    assert cells[:5] == [
        ("pctl_income_20", "All", 2021, 19350.0),
        ("pctl_income_20", "Black, Non-Hispanic", 2021, 9800.0),
        ("pctl_income_20", "Hispanic", 2021, None),
        ("pctl_income_20", "Other Races and Ethnicities", 2021, None),
        ("pctl_income_20", "White, Non-Hispanic", 2021, 26300.0),
    ]
    assert len(cells) == 15  # 3 income variables x (All + 4 groups)
    assert {o.subgroup_type for o in profile.subgroups} == {"race-ethnicity"}
    # The overall entries do not change.
    assert entry(profile, "pctl_income_20").observation.value == 21300.0  # type: ignore[union-attr]
    observations = profile.observations()
    assert len(observations) == len([e for e in profile.entries if e.observation]) + 15


def test_profile_with_an_unknown_subgroup_type(fixture_warehouse: Warehouse) -> None:
    with pytest.raises(UnknownName) as caught:
        fixture_warehouse.profile("2758000", subgroup_type="race_ethnicty")
    assert "race-ethnicity" in caught.value.suggestions


def test_profile_of_an_ambiguous_place(fixture_warehouse: Warehouse) -> None:
    with pytest.raises(AmbiguousPlace):
        fixture_warehouse.profile("Ramsey")


# --- series -------------------------------------------------------------------------------


def test_series_order_and_sources(fixture_warehouse: Warehouse) -> None:
    cells = fixture_warehouse.series("2758000", "income_percentiles")
    assert len(cells) == 24  # 3 variables x (3 overall years + All and 4 groups in 2021)
    first = [(c.subgroup_type, c.subgroup, c.year, c.value) for c in cells[:8]]
    assert first == [
        ("all", "All", 2014, 16200.0),
        ("all", "All", 2021, 19800.0),
        ("all", "All", 2023, 21300.0),
        ("race-ethnicity", "All", 2021, 19350.0),
        ("race-ethnicity", "Black, Non-Hispanic", 2021, 9800.0),
        ("race-ethnicity", "Hispanic", 2021, None),
        ("race-ethnicity", "Other Races and Ethnicities", 2021, None),
        ("race-ethnicity", "White, Non-Hispanic", 2021, 26300.0),
    ]
    assert [c.variable for c in cells] == ["pctl_income_20"] * 8 + ["pctl_income_50"] * 8 + [
        "pctl_income_80"
    ] * 8
    assert cells[1].source_file == INCOME_PLACE
    assert cells[3].source_file == INCOME_PLACE_RACE
    assert {c.metric for c in cells} == {"income_percentiles"}


def test_series_of_every_metric(fixture_warehouse: Warehouse) -> None:
    cells = fixture_warehouse.series("27123")
    metrics = {c.metric for c in cells}
    assert metrics == {
        "income_percentiles",
        "debt_in_collections",
        "housing_wealth_ratio",
        "low_birth_weight",
        "injury_deaths",
        "voter_turnout",
        "descriptive_representation",
        "ela_learning_rate",
        "digital_access",
    }
    catalog_order = [v.name for v in get_catalog().variables]
    positions = [catalog_order.index(c.variable) for c in cells]
    assert positions == sorted(positions)


def test_series_by_subgroup_type(fixture_warehouse: Warehouse) -> None:
    cells = fixture_warehouse.series("27123", "low_birth_weight", subgroup_type="mothers-education")
    assert [(c.subgroup, c.year, c.value) for c in cells] == [
        ("All", 2022, 0.0799),
        ("Less than High School", 2022, 0.1012),
    ]
    assert fixture_warehouse.series("27123", "voter_turnout", subgroup_type="gender") == []


def test_series_for_an_unknown_metric(fixture_warehouse: Warehouse) -> None:
    with pytest.raises(UnknownName) as caught:
        fixture_warehouse.series("27123", "low_birth_wieght")
    assert caught.value.suggestions[0] == "low_birth_weight"
    assert "Did you mean: low_birth_weight" in str(caught.value)


def test_series_as_dicts_have_the_published_fields(fixture_warehouse: Warehouse) -> None:
    [ratio] = [
        observation_out(c, "test").model_dump()
        for c in fixture_warehouse.series("27123", "housing_wealth_ratio")
        if c.variable == "ratio_black_nh_house_value_households"
    ]
    assert ratio["value_text"] == "0.052:0.118"
    assert ratio["value"] == 0.052 / 0.118
    assert ratio["quality"] == "Strong"
    assert ratio["geo_level"] == "county"


# --- status -------------------------------------------------------------------------------


def test_status(fixture_warehouse: Warehouse, fixture_data_dir: Path) -> None:
    info = fixture_warehouse.status()
    assert info.source_dir == str(fixture_data_dir.resolve())
    assert (info.files, info.files_verified) == (24, 0)
    count = fixture_warehouse.query("SELECT count(*) FROM observation")[0][0]
    assert info.observations == count > 0
    assert info.loaded_at.tzinfo is not None
    assert len(fixture_warehouse.files()) == 24


def test_a_zero_ratio_pair_is_published_not_suppressed() -> None:
    # Urban writes "0.000:0.000" when a group holds no homes and no households: there is
    # no ratio to compute, but the pair itself is published and must not read as withheld.
    from upward.data.model import Observation

    pair = Observation(
        geoid="27123", geo_level="county", year=2023, metric="housing_wealth_ratio",
        variable="ratio_black_nh_house_value_households", subgroup_type="all", subgroup="All",
        value=None, lb=None, ub=None, quality_code=3, value_text="0.000:0.000",
        source_file="f.csv",
    )  # fmt: skip
    assert pair.status == "published"
    assert dataclasses.replace(pair, value_text=None).status == "suppressed"


@pytest.mark.parametrize("year", [None, 2018])
def test_a_profile_reads_only_the_breakdown_years_it_shows(
    fixture_warehouse: Warehouse, year: int | None
) -> None:
    """``shown_breakdowns``: every overall cell, and of each breakdown (variable and
    subgroup type) the cells of its latest year up to ``year`` with a group's value."""
    from upward.catalog import ALL_LABEL, ALL_TYPE

    left_out = 0
    for geoid in ("27123", "2758000"):
        profile, every = fixture_warehouse.profile_and_series(geoid, year)
        same, shown = fixture_warehouse.profile_and_series(geoid, year, shown_breakdowns=True)
        assert same == profile
        latest: dict[tuple[str, str], int] = {}
        for c in every:
            grouped = c.subgroup_type != ALL_TYPE and c.subgroup != ALL_LABEL
            if grouped and c.value is not None and (year is None or c.year <= year):
                key = (c.variable, c.subgroup_type)
                latest[key] = max(latest.get(key, c.year), c.year)
        expected = [
            c
            for c in every
            if c.subgroup_type == ALL_TYPE or latest.get((c.variable, c.subgroup_type)) == c.year
        ]
        assert shown == expected
        assert any(c.subgroup_type != ALL_TYPE for c in shown)
        left_out += len(every) - len(shown)
    assert left_out > 0  # earlier years of a breakdown
