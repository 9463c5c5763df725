"""Plain, neutral phrases for where a value sits among places of its kind.

Standings are ascending ("higher than 73% of the other counties"), whatever the metric's
direction, and count ties as ties ("tied with 80 of the other 86 counties in Minnesota at
0.0%"; :mod:`upward.analysis.standing`). A standing has no test, so it never says better or
worse: the page says separately whether higher or lower is better. Medians here are context:
the median of every value, labelled with how many of them are rated Weak.
"""

from __future__ import annotations

from upward.analysis.benchmark import BenchmarkSupport
from upward.analysis.standing import Rank, place_words, rank_phrase
from upward.catalog import Direction, Variable
from upward.explore import Benchmark, PlaceContext
from upward.reports.numbers import format_number

DIRECTION_NOTE: dict[str, str] = {
    "higher_better": "Higher values are better for this measure.",
    "lower_better": "Lower values are better for this measure.",
    "context": "This measure describes context: a higher or lower value is neither better "
    "nor worse in itself.",
}


def direction_note(direction: Direction) -> str:
    return DIRECTION_NOTE[direction]


def rank_sentence(rank: Rank, geo_level: str, where: str, year: int, value: str) -> str:
    """'Tied with 80 of the other 86 counties in Minnesota at 0.0%; ... (2023).'"""
    text = rank_phrase(rank, geo_level, where, value)
    return f"{text[0].upper()}{text[1:]} ({year})."


def median_phrase(variable: Variable, bench: Benchmark, geo_level: str, where: str) -> str:
    """'National median 80.4% (2,600 counties, including 310 rated Weak)': every value.

    A median that could not bear a claim (:mod:`upward.analysis.benchmark`) says so.
    """
    support = BenchmarkSupport(bench.n, bench.n_weak, bench.n_pooled, bench.claim_n)
    text = f"{where} median {format_number(variable, bench.median)} "
    text += f"({support.context(place_words(geo_level))}"
    if not support.bears_claim and support.n > 1:
        text += "; mostly Weak or pooled values, so no comparison rests on it"
    return text + ")"


MedianPhrases = dict[tuple[str, int], str]
"""The phrases of one scope's medians (the nation's or a state's) for one kind of place,
by (variable, year), worded once: they are the same on the page of every place there."""


def context_phrases(
    variable: Variable,
    context: PlaceContext,
    geo_level: str,
    state_name: str,
    medians: tuple[MedianPhrases, MedianPhrases] | None = None,
) -> tuple[str, str, str, str]:
    """(nation rank, state rank, nation median, state median) in words; '' when missing.

    ``medians``: the national and the state medians' phrases worded for earlier places of
    the same kind (and state), filled here; a release keeps them for its pages."""
    standing = context.standing
    nation_rank = state_rank = ""
    if standing is not None:
        value = format_number(variable, standing.value)
        nation = Rank.of(standing.below_nation, standing.tied_nation, standing.n_nation)
        state = Rank.of(standing.below_state, standing.tied_state, standing.n_state)
        nation_rank = rank_sentence(nation, geo_level, "in the nation", context.year, value)
        state_rank = rank_sentence(state, geo_level, f"in {state_name}", context.year, value)
    nation_phrases, state_phrases = medians if medians is not None else ({}, {})
    key = (variable.name, context.year)
    nation_median = state_median = ""
    if context.nation:
        nation_median = nation_phrases.get(key) or nation_phrases.setdefault(
            key, median_phrase(variable, context.nation, geo_level, "National")
        )
    if context.state:
        state_median = state_phrases.get(key) or state_phrases.setdefault(
            key, median_phrase(variable, context.state, geo_level, state_name)
        )
    return nation_rank, state_rank, nation_median, state_median
