"""Chart summaries and standing phrases: neutral words built from the numbers."""

from __future__ import annotations

from pathlib import Path

from upward.analysis.standing import Rank
from upward.catalog import get_catalog
from upward.data.context import Benchmark, PlaceContext, benchmarks, place_context, standings
from upward.data.warehouse import Warehouse
from upward.reports.charts import Point, describe_subgroups, describe_trend
from upward.web.explorer.standing_text import (
    context_phrases,
    direction_note,
    median_phrase,
    rank_sentence,
)

LBW = get_catalog().variable("rate_low_birth_weight")


def test_trend_summary_gives_range_and_latest_with_ci() -> None:
    points = [
        (2016, Point("Value", 0.074)),
        (2023, Point("Value", 0.079, 0.073, 0.085)),
        (2020, Point("Value", 0.082)),
    ]
    assert describe_trend(LBW, points) == (
        "From 2016 to 2023, across 3 published years, the value ranged from 7.4% to 8.2%; "
        "the 2023 value is 7.9% (95% CI 7.3%–8.5%)."
    )
    assert describe_trend(LBW, [(2022, Point("Value", 0.05))]) == "Published for 2022 only: 5.0%."
    assert "No value" in describe_trend(LBW, [])


def test_group_summary_names_lowest_and_highest_and_flags_weak() -> None:
    groups = [
        Point("Hispanic", 0.09, quality="Strong"),
        Point("White, Non-Hispanic", 0.064, quality="Weak"),
        Point("Black, Non-Hispanic", 0.124, quality="Strong"),
    ]
    text = describe_subgroups(LBW, 2022, "Race and ethnicity", groups, Point("All", 0.087))
    assert text == (
        "In 2022, values by race and ethnicity range from 6.4% (White, Non-Hispanic) to "
        "12.4% (Black, Non-Hispanic); the total for this breakdown is 8.7%. 1 of 3 group "
        "values are Weak and too uncertain to compare."
    )


def test_rank_sentences_are_neutral_and_count_ties() -> None:
    # 73 of the 100 others lower, none tied
    assert rank_sentence(Rank.of(73, 0, 101), "county", "in the nation", 2023, "5.0%") == (
        "Higher than 73% of the other 100 counties in the nation (2023)."
    )
    # Cass County, MN, poverty exposure 2023: 80 of the 86 other Minnesota counties also at 0.0%
    assert rank_sentence(Rank.of(0, 80, 87), "county", "in Minnesota", 2023, "0.0%") == (
        "Tied with 80 of the other 86 counties in Minnesota at 0.0%; 6 (7%) have a higher "
        "value and none a lower one (2023)."
    )
    assert rank_sentence(Rank.of(0, 0, 5), "city", "in Ohio", 2021, "1").startswith(
        "Lower than all 4 other cities in Ohio"
    )
    assert rank_sentence(Rank.of(4, 0, 5), "city", "in Ohio", 2021, "1").startswith(
        "Higher than all 4"
    )
    assert rank_sentence(Rank.of(0, 0, 1), "county", "in Delaware", 2021, "1") == (
        "The only county in Delaware with a value (2021)."
    )
    # 2,996 of 2,999 higher (99.9%) is not "lower than 100%": the count is exact
    assert rank_sentence(Rank.of(3, 0, 3000), "county", "in the nation", 2021, "1") == (
        "Lower than 2,996 of the other 2,999 counties in the nation (2021)."
    )
    assert rank_sentence(Rank.of(30, 0, 101), "county", "in the nation", 2021, "1") == (
        "Lower than 70% of the other 100 counties in the nation (2021)."
    )
    assert "neither better nor worse" in direction_note("context")
    assert "Lower values are better" in direction_note("lower_better")


def test_median_phrases_say_how_many_values_are_weak() -> None:
    bench = Benchmark("county", LBW.name, 2023, "27", 0.0631, 0.06, 0.07, 0.05, 0.1, 87,
                      n_weak=77, n_pooled=77, claim_median=0.075, claim_n=10)  # fmt: skip
    assert median_phrase(LBW, bench, "county", "Minnesota") == (
        "Minnesota median 6.3% (87 counties, including 77 rated Weak; mostly Weak or pooled "
        "values, so no comparison rests on it)"
    )
    strong = Benchmark("county", LBW.name, 2023, "US", 0.08, 0.07, 0.09, 0.05, 0.1, 3000,
                       n_weak=10, claim_median=0.08, claim_n=2990)  # fmt: skip
    assert median_phrase(LBW, strong, "county", "National") == (
        "National median 8.0% (3,000 counties, including 10 rated Weak)"
    )


def test_context_reads_standing_and_benchmarks(fixture_warehouse_path: Path) -> None:
    with Warehouse(fixture_warehouse_path) as warehouse:
        geo = warehouse.geography("27123")
        ranks = standings(warehouse, geo.geoid)
        assert ranks
        (variable, year), standing = next(iter(ranks.items()))
        benches = benchmarks(warehouse, "county", ("US", "27"), [variable])
        nation = benches[(variable, year, "US")]
        assert nation.min <= standing.value <= nation.max
        context = place_context(warehouse, geo, [(variable, year)])[(variable, year)]
        assert context.standing == standing and context.nation == nation
        assert context.state == benches[(variable, year, "27")]
        assert benchmarks(warehouse, "county", ("US",), []) == {}


def test_median_phrases_are_worded_once_per_scope() -> None:
    """The phrases of the nation's and the state's medians are the same on every place's
    page: worded for the first place and read from the tables for the next ones."""
    state = Benchmark("county", LBW.name, 2023, "27", 0.0631, 0.06, 0.07, 0.05, 0.1, 87,
                      n_weak=77, n_pooled=77, claim_median=0.075, claim_n=10)  # fmt: skip
    nation = Benchmark("county", LBW.name, 2023, "US", 0.08, 0.07, 0.09, 0.05, 0.1, 3000,
                       n_weak=10, claim_median=0.08, claim_n=2990)  # fmt: skip
    context = PlaceContext(LBW.name, 2023, None, nation, state)
    alone = context_phrases(LBW, context, "county", "Minnesota")
    tables: tuple[dict[tuple[str, int], str], dict[tuple[str, int], str]] = ({}, {})
    assert context_phrases(LBW, context, "county", "Minnesota", tables) == alone
    assert tables == ({(LBW.name, 2023): alone[2]}, {(LBW.name, 2023): alone[3]})
    assert alone[2] == median_phrase(LBW, nation, "county", "National")
    assert alone[3] == median_phrase(LBW, state, "county", "Minnesota")
    tables[1][(LBW.name, 2023)] = "kept"  # a second place of the state reads the table
    assert context_phrases(LBW, context, "county", "Minnesota", tables)[2:] == (alone[2], "kept")
