"""Where a value sits among places of its kind, with ties counted as ties.

A standing counts the *other* places of the same kind with a value, in three parts: how
many are lower, how many have exactly the same value, and how many are higher. A tie is
never turned into a strict standing: when 2,513 of 3,138 counties publish 0.0%, a county
at 0.0% is "tied with 2,513 of the other 3,137 counties", not "lower than 100%" of them.

Shares are rounded so that they never say "none" or "all" unless that is exact: 0.2% is
"less than 1%", 99.8% is "more than 99%". A place alone in its scope (the only county of
its state with a value) has no standing there.

A standing has no test (a percentile of published values carries no sampling error that
Urban publishes), so its words are neutral: "higher than", "lower than", "tied with",
never better or worse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from upward.catalog import CITY, COUNTY, FIPS_WIDTHS, GEO_LEVEL_WORDS

PLACE_WORDS: Mapping[str, tuple[str, str]] = GEO_LEVEL_WORDS


def level_of(geoid: str) -> str:
    """'county' for a 5-digit FIPS code, 'city' for a 7-digit one (as the warehouse does)."""
    return COUNTY if len(geoid) == FIPS_WIDTHS[COUNTY] else CITY


def place_words(geo_level: str) -> tuple[str, str]:
    """('county', 'counties') or ('city', 'cities'); ('place', 'places') otherwise."""
    return PLACE_WORDS.get(geo_level, ("place", "places"))


@dataclass(frozen=True)
class Rank:
    """The other places of a scope, by whether their value is below, equal to or above."""

    below: int
    tied: int
    above: int

    @classmethod
    def of(cls, below: int, tied: int, n: int) -> Rank:
        """From the places below and tied and the scope's size ``n`` (the place included)."""
        above = n - 1 - below - tied
        if min(below, tied, above) < 0:
            raise ValueError(f"A rank of {below} below and {tied} tied does not fit {n} places.")
        return cls(below, tied, above)

    @property
    def others(self) -> int:
        return self.below + self.tied + self.above

    @property
    def alone(self) -> bool:
        return self.others == 0

    @property
    def share_below(self) -> float | None:
        """Share of the other places with a strictly lower value; None when alone."""
        return self.below / self.others if self.others else None

    @property
    def share_above(self) -> float | None:
        """Share of the other places with a strictly higher value; None when alone."""
        return self.above / self.others if self.others else None

    @property
    def percentile(self) -> float | None:
        """``100 × share_below`` (the percent rank); None when alone."""
        share = self.share_below
        return 100 * share if share is not None else None


def share_text(count: int, total: int) -> str:
    """``count / total`` as a percent that says 0% or 100% only when exact.

    ``share_text(624, 3137)`` is '20%', ``share_text(5, 3137)`` 'less than 1%',
    ``share_text(3132, 3137)`` 'more than 99%'.
    """
    if total <= 0 or count <= 0:
        return "0%"
    if count >= total:
        return "100%"
    pct = 100 * count / total
    if pct < 1:
        return "less than 1%"
    if pct > 99:
        return "more than 99%"
    return f"{round(pct)}%"


def _count(count: int, total: int) -> str:
    return "none" if count == 0 else f"{count:,} ({share_text(count, total)})"


def rank_phrase(rank: Rank, geo_level: str, where: str, value: str) -> str:
    """The standing in neutral words, starting in lower case.

    ``where`` follows the kind of place ('in the nation', 'in Minnesota'); ``value`` is the
    place's formatted value, named when it is shared. For example
    'tied with 2,513 of the other 3,137 counties in the nation at 0.0%; 624 (20%) have a
    higher value and none a lower one', or 'higher than 73% of the other 2,599 counties in
    the nation'. Without ties the larger side is named ('lower than 96% of ...', not
    'higher than 4% of ...'); both say the same.
    """
    singular, plural = place_words(geo_level)
    others = rank.others
    where = f" {where}" if where else ""  # '' where a table's column names the scope
    if rank.alone:
        return f"the only {singular}{where} with a value"
    kind = (singular if others == 1 else plural) + where
    if rank.tied == others:
        return f"the same as all {others:,} other {kind} ({value})"
    if rank.tied:
        return (
            f"tied with {rank.tied:,} of the other {others:,} {kind} at {value}; "
            f"{_count(rank.above, others)} have a higher value and "
            f"{_count(rank.below, others)} a lower one"
        )
    if rank.below == others:
        return f"higher than all {others:,} other {kind}"
    if rank.above == others:
        return f"lower than all {others:,} other {kind}"
    word, count = ("lower", rank.above) if rank.above > rank.below else ("higher", rank.below)
    share = share_text(count, others)
    if share.startswith(("less", "more")):  # near an end, the count says it exactly
        share = f"{count:,}"
    return f"{word} than {share} of the other {others:,} {kind}"


def at_an_end(rank: Rank, quarter: float = 0.25) -> bool:
    """True when at least ``1 - quarter`` of the other places are below, or above.

    Ties count on neither side, so a value shared by most places is never at an end.
    """
    below, above = rank.share_below, rank.share_above
    if below is None or above is None:
        return False
    return below >= 1 - quarter or above >= 1 - quarter
