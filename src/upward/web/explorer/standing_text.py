"""Plain, neutral phrases for where a value sits among places of its kind.

Percent ranks are ascending ("higher than 73% of the other counties"), whatever the
metric's direction: the page says separately whether higher or lower is better, and says
nothing of better or worse for metrics that describe context.
"""

from __future__ import annotations

from upward.catalog import Direction, Variable
from upward.data.context import Benchmark, PlaceContext
from upward.reports.numbers import format_number

DIRECTION_NOTE: dict[str, str] = {
    "higher_better": "Higher values are better for this measure.",
    "lower_better": "Lower values are better for this measure.",
    "context": "This measure describes context: a higher or lower value is neither better "
    "nor worse in itself.",
}


def direction_note(direction: Direction) -> str:
    return DIRECTION_NOTE[direction]


def _plural(geo_level: str, n: int) -> str:
    if geo_level == "county":
        return "county" if n == 1 else "counties"
    return "city" if n == 1 else "cities"


def rank_phrase(pct: float, n: int, geo_level: str, where: str, year: int) -> str:
    """'Higher than 73% of the other 2,599 counties in the nation (2023).'"""
    others = n - 1
    if others < 1:
        return f"The only {_plural(geo_level, 1)} {where} with a {year} value."
    kind = _plural(geo_level, others)
    if pct <= 0:
        return f"Not higher than any of the other {others:,} {kind} {where} ({year})."
    if pct >= 1:
        return f"Higher than all {others:,} other {kind} {where} ({year})."
    share = min(max(round(pct * 100), 1), 99)
    return f"Higher than {share}% of the other {others:,} {kind} {where} ({year})."


def median_phrase(variable: Variable, bench: Benchmark, geo_level: str, where: str) -> str:
    """'national median 80.4% (2,600 counties)'."""
    return (
        f"{where} median {format_number(variable, bench.median)} "
        f"({bench.n:,} {_plural(geo_level, bench.n)})"
    )


def context_phrases(
    variable: Variable, context: PlaceContext, geo_level: str, state_name: str
) -> tuple[str, str, str, str]:
    """(nation rank, state rank, nation median, state median) in words; '' when missing."""
    standing = context.standing
    nation_rank = state_rank = ""
    if standing is not None:
        nation_rank = rank_phrase(
            standing.pct_nation, standing.n_nation, geo_level, "in the nation", context.year
        )
        state_rank = rank_phrase(
            standing.pct_state, standing.n_state, geo_level, f"in {state_name}", context.year
        )
    nation_median = (
        median_phrase(variable, context.nation, geo_level, "National") if context.nation else ""
    )
    state_median = (
        median_phrase(variable, context.state, geo_level, state_name) if context.state else ""
    )
    return nation_rank, state_rank, nation_median, state_median
