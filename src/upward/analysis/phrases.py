"""A value as a share of a comparison value, in plain words ("about two-thirds of").

The bands follow the idea of Census Reporter's comparatives: round the ratio to a fraction
or multiple a reader grasps at once. Each band is half-open, ``[lower, upper)``, and the
bands are ordered, so the phrase never goes down as the ratio goes up.

When a significance test was run, its verdict wins over the arithmetic: a difference the
test cannot distinguish from zero is "not distinguishable from", never "about half", and a
significant difference is never called "about the same as". Without a test, "about the
same as" is kept for equal values: an untested value 1% below is "a little less than", so
the phrase agrees with the untested direction shown beside it ("lower, not tested").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from upward.analysis.uncertainty import Verdict

BANDS: tuple[tuple[float, str], ...] = (
    (0.15, "a small fraction of"),
    (0.29, "about one-quarter of"),
    (0.42, "about one-third of"),
    (0.58, "about half of"),
    (0.71, "about two-thirds of"),
    (0.86, "about three-quarters of"),
    (0.95, "a little less than"),
    (1.05, "about the same as"),
    (1.20, "a little more than"),
    (1.40, "about 1.3 times"),
    (1.70, "about 1.5 times"),
    (1.90, "nearly double"),
    (2.20, "about double"),
)
"""Upper bound of each band and its phrase; ratios at or above the last bound are 'N times'."""

SAME = "about the same as"


@dataclass(frozen=True)
class RatioPhrase:
    """A phrase for ``value / comparison``; ``rank`` orders phrases by size."""

    ratio: float | None
    text: str
    rank: float


def ratio_phrase(value: float, comparison: float) -> RatioPhrase | None:
    """The phrase for ``value / comparison``; None when the ratio has no plain meaning.

    Ratios are only meaningful for values on a scale that starts at zero, so a zero or
    negative comparison, or a negative value, gives None.
    """
    if comparison <= 0 or value < 0 or math.isnan(value) or math.isnan(comparison):
        return None
    ratio = value / comparison
    if ratio == 0:
        return RatioPhrase(ratio, "none of", -1.0)
    for rank, (upper, text) in enumerate(BANDS):
        if ratio < upper:
            return RatioPhrase(ratio, text, float(rank))
    times = round(ratio, 1) if ratio < 5 else float(round(ratio))
    return RatioPhrase(ratio, f"about {times:g} times", len(BANDS) + times)


def compare_phrase(value: float, comparison: float, verdict: Verdict | None = None) -> str:
    """How ``value`` relates to ``comparison``, consistent with the test's verdict.

    ``verdict`` is the result of :func:`upward.analysis.uncertainty.compare_values` for the
    same pair, or None when no test was run (then the phrase is descriptive only).
    """
    if verdict == "not_distinguishable":
        return "not distinguishable from"
    if verdict == "too_uncertain":
        return "too uncertain to compare with"
    found = ratio_phrase(value, comparison)
    if found is None:
        if value == comparison:
            return SAME
        return "higher than" if value > comparison else "lower than"
    if found.text == SAME and value != comparison and verdict in ("higher", "lower", None):
        return "a little more than" if value > comparison else "a little less than"
    return found.text
