"""Chart summaries and standing phrases: neutral words built from the numbers."""

from __future__ import annotations

from pathlib import Path

from upward.catalog import get_catalog
from upward.data.context import benchmarks, place_context, standings
from upward.data.warehouse import Warehouse
from upward.reports.charts import Point, describe_subgroups, describe_trend
from upward.web.explorer.standing_text import direction_note, rank_phrase

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


def test_rank_phrases_are_neutral_and_exact_at_the_ends() -> None:
    assert rank_phrase(0.734, 101, "county", "in the nation", 2023) == (
        "Higher than 73% of the other 100 counties in the nation (2023)."
    )
    assert rank_phrase(0.0, 5, "city", "in Ohio", 2021).startswith("Not higher than any")
    assert rank_phrase(1.0, 5, "city", "in Ohio", 2021).startswith("Higher than all 4")
    assert rank_phrase(0.0, 1, "county", "in Delaware", 2021).startswith("The only county")
    assert rank_phrase(0.001, 3000, "county", "in the nation", 2021).startswith("Higher than 1%")
    assert "neither better nor worse" in direction_note("context")
    assert "Lower values are better" in direction_note("lower_better")


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
