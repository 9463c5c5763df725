"""Progress on every release: an indicator's latest value against its baseline and target.

The change is ``latest - baseline``, tested with
:func:`~upward.analysis.uncertainty.compare_values` (two independent estimates, 95%
two-sided); dollars are tested in real terms (:func:`upward.analysis.real_terms.
compare_over_years`, the baseline restated in dollars of the latest year with the CPI-U),
and a dollar target, which is in dollars of the baseline year like its baseline
(:mod:`upward.analysis.targets`), is restated by the same factor. The rules, in order:

1. **revised**: the release now publishes the baseline's cell (same place, variable, group,
   year) with a different value, bound or quality (beyond float rounding, see
   :func:`baseline_revised`): the coalition must keep the pinned baseline or re-base before
   progress is judged; the change against the pinned baseline is kept for information.
2. **not_comparable**: the two values cannot be compared yet. Five-year survey estimates
   (ACS 5-year, and rates that pool five years: :func:`five_year_windows`) of years less
   than five apart share survey years, so the first valid comparison is
   ``baseline_year + 5`` (``Progress.first_comparable_year``; ``baseline_year + 1`` for
   one-year data, when no later year is published yet). Also not comparable, with words
   that say why: either value rated **Weak** (no conclusion is drawn from Weak data, and
   "no change" would be one) or missing.
3. **met**: the latest point estimate is at or beyond the target on the improving side
   *and* the change from the baseline is a significant improvement. A value that reaches the
   target without a significant change is not called met: its status follows the test
   (little or no detectable change) and the words say it reaches the target.
4. **improving** / **worsening**: a significant change, judged by the catalog direction
   (:func:`~upward.analysis.uncertainty.judge`). A context indicator has no better side by
   itself; with a target, the side of the target is the improving one; without one, a
   significant change is **changed** (neither better nor worse).
5. **no_change**: everything else: a change within the noise, or one that cannot be tested
   (no published interval, a zero-width one, a count, a year outside the price index); the
   words say which, and give the raw direction without calling it better or worse.

:func:`compare_change` sets the place's change beside the changes of its peers, the state
and the nation: the difference of two changes is tested like any difference (its standard
error from the two changes' standard errors), and a change between two fixed medians is
itself fixed. :func:`change_beside_medians` does it for medians of places (the state's, the
nation's, the peers'): each median is the one a claim may rest on
(:mod:`upward.analysis.benchmark`: Weak values left out, a pooled value once), and a
median that bears no claim in either year gives no conclusion, only its change as context.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from upward.analysis.benchmark import BenchmarkSupport
from upward.analysis.real_terms import RealTerms, compare_over_years, dollars
from upward.analysis.targets import size_text, value_text
from upward.analysis.uncertainty import (
    WEAK_REASON,
    Comparison,
    Estimate,
    compare_values,
    evidence_text,
    judge,
    untested_label,
    untested_words,
    verdict_text,
)
from upward.catalog import ALL_TYPE, DIRECTIONS, Metric, PriceIndex, Variable, consumer_prices

ProgressStatus = Literal[
    "met", "improving", "no_change", "worsening", "not_comparable", "revised", "changed"
]
STATUS_WORDS: Mapping[str, str] = {
    "met": "Target met",
    "improving": "Improving (statistically)",
    "no_change": "Little or no detectable change",
    "worsening": "Getting worse (statistically)",
    "not_comparable": "Not yet comparable",
    "revised": "Baseline revised",
    "changed": "Changed (statistically), neither better nor worse",
}
"""The status in plain words; nothing is called good or bad inside the noise."""
STATUSES: tuple[ProgressStatus, ...] = tuple(STATUS_WORDS)  # type: ignore[arg-type]
FIVE_YEARS = 5
REVISION_TOLERANCE = 1e-6
"""Relative difference below which a republished value counts as the same (float rounding);
the same rule as the release diff's ``upward.data.revision.TOLERANCE``, which this pure layer
cannot import."""


@dataclass(frozen=True)
class Progress:
    status: ProgressStatus
    change: Comparison
    """``latest - baseline`` (in real terms for dollars), from ``compare_values``."""
    first_comparable_year: int
    """The first year whose value can be compared with the baseline: ``baseline_year + 5``
    for five-year survey windows, ``baseline_year + 1`` otherwise."""
    words: str
    target: float | None = None
    """The target in the latest year's units (restated in its dollars for dollars)."""
    reached: bool | None = None
    """The latest point estimate is at or beyond the target; None without a comparable one."""
    real: RealTerms | None = None
    """For dollars: how the baseline was restated in dollars of the latest year."""

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


def five_year_windows(metric: Metric, subgroup_type: str = ALL_TYPE) -> bool:
    """Whether the catalog says the metric's values (overall or a breakdown) pool five years.

    Read from the catalog's caveats ("Uses five-year survey data", "Each year's rate pools
    the five years", "Breakdowns use five-year survey data"): a caveat about breakdowns or
    one that says overall values use one-year data applies to breakdowns only.
    """
    for caveat in metric.caveats:
        text = caveat.lower()
        if "five-year" not in text and "five years" not in text:
            continue
        if subgroup_type != ALL_TYPE:
            return True
        if not text.startswith("breakdowns") and "overall values use one-year" not in text:
            return True
    return False


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=REVISION_TOLERANCE, abs_tol=1e-12)


def baseline_revised(pinned: Estimate, current: Estimate) -> bool:
    """The release's value of the baseline cell differs from the pinned one.

    Value, bounds, quality or suppression; values within a relative 1e-6 are the same
    (store baselines as floats, not rounded to a few decimals).
    """
    return not (
        _same(pinned.value, current.value) and _same(pinned.lb, current.lb)
        and _same(pinned.ub, current.ub) and pinned.quality == current.quality
        and pinned.suppressed == current.suppressed
    )  # fmt: skip


def _signed(variable: Variable | None, change: float) -> str:
    """'+3.2 percentage points', '−$1,389', '+0.12'."""
    if variable is not None and variable.unit == "share":
        return f"{change * 100:+.1f}".replace("-", "−") + " percentage points"
    if variable is not None and variable.unit == "dollars":
        return dollars(change, signed=True)
    return f"{change:+,.4g}".replace("-", "−")


def _change_clause(change: Comparison, variable: Variable | None) -> str:
    """'a change of +3.2 percentage points (95% CI +1.0 to +5.4; significant ..., p = 0.004)'."""
    d = change.difference
    assert d is not None
    text = f"a change of {_signed(variable, d)}"
    if not change.tested:
        return f"{text}, not tested ({untested_label(change.reason)})"
    ci = change.ci
    assert ci is not None
    bounds = f"95% CI {_signed(variable, ci[0])} to {_signed(variable, ci[1])}"
    if variable is not None and variable.unit == "share":
        bounds = bounds.replace(" percentage points", "") + " points"
    return f"{text} ({bounds}; {evidence_text(change)})"


def _improving_side(direction: str, base: float | None, target: float | None) -> int:
    if direction == "higher_better":
        return 1
    if direction == "lower_better":
        return -1
    if target is None or base is None or target == base:
        return 0
    return 1 if target > base else -1


def _compare(
    latest: Estimate, baseline: Estimate, latest_year: int, baseline_year: int,
    variable: Variable | None, prices: PriceIndex | None,
) -> tuple[Comparison, RealTerms | None]:  # fmt: skip
    if variable is None:
        return compare_values(latest, baseline), None
    index = prices if prices is not None else consumer_prices()
    return compare_over_years(latest, baseline, latest_year, baseline_year, variable, index)


def classify_progress(
    baseline: Estimate, baseline_year: int, latest: Estimate, latest_year: int, direction: str,
    *, target: float | None = None, five_year: bool = False,
    revised_baseline: Estimate | None = None, variable: Variable | None = None,
    prices: PriceIndex | None = None, gap: bool = False,
) -> Progress:  # fmt: skip
    """The status of an indicator in ``latest_year`` against its baseline and target.

    ``direction`` is the catalog's; ``five_year`` says the values pool five survey years
    (:func:`five_year_windows`); ``revised_baseline`` is the current release's value of the
    baseline cell. ``variable`` formats the words and, for dollars, makes the test real
    (with ``prices``, the catalog's index, by default the CPI-U shipped with Upward);
    ``gap`` writes the values as differences (the gap between two groups: '+4.9 percentage
    points', never '4.9%').
    Raises ``ValueError`` for an unknown direction or a latest year before the baseline's.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction: must be one of {', '.join(DIRECTIONS)}.")
    if latest_year < baseline_year:
        raise ValueError(f"latest_year: {latest_year} is before the baseline year {baseline_year}.")
    first = baseline_year + (FIVE_YEARS if five_year else 1)
    change, real = _compare(latest, baseline, latest_year, baseline_year, variable, prices)
    now = target
    if target is not None and real is not None:
        now = target * real.factor if real.factor is not None else None
    if revised_baseline is not None and baseline_revised(baseline, revised_baseline):
        words = _revised_words(baseline, revised_baseline, baseline_year, variable, gap)
        return Progress("revised", change, first, words, now, None, real)
    if latest_year < first:
        words = _window_words(baseline_year, latest_year, first, five_year)
        return Progress("not_comparable", change, first, words, now, None, real)
    if change.verdict in ("too_uncertain", "no_data"):
        words = _refused_words(baseline, latest, baseline_year, latest_year, change)
        return Progress("not_comparable", change, first, words, now, None, real)
    assert latest.value is not None and change.difference is not None
    side = _improving_side(direction, baseline.value, target)
    reached = None
    if now is not None and side != 0:
        reached = side * (latest.value - now) >= 0
    status = _status(change, direction, side, reached)
    goal = ""
    if now is not None and target is not None:
        goal = value_text(variable, now, gap)
        if real is not None and real.factor is not None:
            goal += (f" in {latest_year} dollars ({value_text(variable, target, gap)} in "
                     f"{baseline_year})")  # fmt: skip
    elif target is not None:
        goal = f"{value_text(variable, target, gap)} in {baseline_year} dollars"
    words = _words(status, change, (baseline_year, latest_year), variable, (now, goal), reached,
                   real, gap)  # fmt: skip
    return Progress(status, change, first, words, now, reached, real)


def _status(change: Comparison, direction: str, side: int, reached: bool | None) -> ProgressStatus:
    if not change.claims_difference:
        return "no_change"
    judged = judge(change.verdict, direction)
    if judged is None:  # a context indicator: the side of its target, if it has one
        if side == 0:
            return "changed"
        judged = "better" if (change.verdict == "higher") == (side > 0) else "worse"
    if judged == "better":
        return "met" if reached else "improving"
    return "worsening"


def _window_words(baseline_year: int, latest_year: int, first: int, five_year: bool) -> str:
    if not five_year:
        return (f"No year after the {baseline_year} baseline is published yet; the first "
                f"comparison is possible with {first} data.")  # fmt: skip
    return (f"The {baseline_year} and {latest_year} values are five-year estimates "
            f"({baseline_year - 4}–{baseline_year} and {latest_year - 4}–{latest_year}) whose "
            "survey years overlap, so they cannot be compared yet; the first year a valid "
            f"comparison is possible is {first}.")  # fmt: skip


def _refused_words(
    baseline: Estimate, latest: Estimate, baseline_year: int, latest_year: int, change: Comparison,
) -> str:  # fmt: skip
    if change.reason == WEAK_REASON:
        sides = ((baseline_year, "baseline", baseline), (latest_year, "value", latest))
        which = " and ".join(f"the {year} {what}" for year, what, e in sides if e.weak)
        verb = "are" if " and " in which else "is"
        return (f"{which[0].upper()}{which[1:]} {verb} rated Weak, too uncertain to judge "
                "progress: no conclusion is drawn until a value not rated Weak is "
                "published.")  # fmt: skip
    return f"Not comparable: {change.reason}."


def _revised_words(
    pinned: Estimate, current: Estimate, year: int, variable: Variable | None, gap: bool = False,
) -> str:  # fmt: skip
    def shown(e: Estimate) -> str:
        if e.value is None:
            return "no published value"
        text = value_text(variable, e.value, gap)
        if e.lb is not None and e.ub is not None:
            bounds = (value_text(variable, e.lb, gap), value_text(variable, e.ub, gap))
            text += f" (95% CI {bounds[0]} to {bounds[1]})"
        return text + (f", {e.quality}" if e.quality else "")

    return (f"This release revises the {year} baseline: pinned as {shown(pinned)}, now "
            f"{shown(current)}. Keep the pinned baseline or re-base on the new value before "
            "progress is judged.")  # fmt: skip


def _words(
    status: ProgressStatus, change: Comparison, years: tuple[int, int], variable: Variable | None,
    target: tuple[float | None, str], reached: bool | None, real: RealTerms | None,
    gap: bool = False,
) -> str:  # fmt: skip
    """The status, the two values, the tested change, and how far the target is."""
    (baseline_year, latest_year), (now, goal) = years, target
    latest, base = change.a.value, change.b.value
    assert latest is not None and base is not None
    restated = f" ({latest_year} dollars)" if real is not None and real.factor is not None else ""
    text = (f"{STATUS_WORDS[status]}: {value_text(variable, latest, gap)} in {latest_year} "
            f"against the {baseline_year} baseline of {value_text(variable, base, gap)}{restated}, "
            f"{_change_clause(change, variable)}.")  # fmt: skip
    if now is not None and reached is not None:
        if reached and status != "met":
            why = ("is not a statistically significant improvement" if change.tested
                   else "cannot be tested")  # fmt: skip
            text += (f" The value reaches the target of {goal}, but the change from the baseline "
                     f"{why}, so the target is not called met.")  # fmt: skip
        elif reached:
            text += f" The target of {goal} is reached."
        else:
            text += f" It is {size_text(variable, latest - now)} short of the target of {goal}."
    elif goal and now is None:
        text += (f" The target of {goal} cannot be restated in {latest_year} dollars, so "
                 "whether it is reached is not known.")  # fmt: skip
    if real is not None:
        text += f" {real.note}"
    return text


@dataclass(frozen=True)
class ChangeBeside:
    """The place's change beside another's (peers, state, nation), tested at 95%."""

    name: str
    change: Comparison
    """The other's change."""
    difference: Comparison
    """The place's change minus the other's."""
    words: str


def _as_change(change: Comparison) -> Estimate:
    """A change as an estimate; a change between two fixed medians is itself fixed."""
    if change.a.fixed and change.b.fixed and change.difference is not None:
        return Estimate.benchmark(change.difference)
    return change.as_estimate()


def compare_change(
    place_change: Comparison, others: Mapping[str, Comparison], direction: str = "context",
    variable: Variable | None = None,
) -> tuple[ChangeBeside, ...]:  # fmt: skip
    """Each of ``others`` (name -> its change over the same years) beside the place's change.

    ``difference`` is ``place change - other change`` tested with ``compare_values``; the
    words say higher or lower than the other's change only when the test supports it, and
    better or worse only for an evaluative ``direction``.
    """
    mine = _as_change(place_change)
    found = []
    for name, other in others.items():
        difference = compare_values(mine, _as_change(other))
        found.append(ChangeBeside(name, other, difference, _beside_words(
            name, place_change, other, difference, direction, variable)))  # fmt: skip
    return tuple(found)


def _beside_words(
    name: str, place: Comparison, other: Comparison, difference: Comparison, direction: str,
    variable: Variable | None,
) -> str:  # fmt: skip
    def shown(c: Comparison) -> str:
        return "no change measured" if c.difference is None else _signed(variable, c.difference)

    if difference.verdict == "no_test":
        clause = untested_words(difference)
    else:
        clause = verdict_text(difference, direction, f"the change in {name}")
    return f"Change here {shown(place)}, in {name} {shown(other)}: {clause}."


@dataclass(frozen=True)
class MedianPair:
    """A median of places (the state's, the nation's, the peers') in the baseline year and
    the latest year, each with the values it rests on. ``earlier`` and ``later`` are the
    medians a claim may rest on; ``earlier_context`` and ``later_context`` the medians of
    every value (Weak ones included), shown as context when the former bear no claim."""

    name: str
    """How the words name it: 'Minnesota counties', 'the peers'."""
    kind: tuple[str, str]
    """('county', 'counties'): what the median summarizes, for the reason words."""
    earlier: float | None
    later: float | None
    earlier_support: BenchmarkSupport
    later_support: BenchmarkSupport
    earlier_context: float | None = None
    later_context: float | None = None

    @property
    def reason(self) -> str:
        """Why the change of this median bears no claim ('' when it does, or when a year
        has no value at all: that is a missing median, not a refused one)."""
        for year, support in (("baseline", self.earlier_support), ("latest", self.later_support)):
            why = support.reason(self.kind) if support.n else ""
            if why:
                return f"in the {year} year, {why}"
        return ""


def change_beside_medians(
    place_change: Comparison, medians: Sequence[MedianPair], years: tuple[int, int],
    direction: str = "context", variable: Variable | None = None,
    prices: PriceIndex | None = None,
) -> tuple[ChangeBeside, ...]:  # fmt: skip
    """Each median's change over ``years`` (baseline year, latest year) beside the place's.

    A median is fixed (no sampling error, :meth:`Estimate.benchmark`), so its change is
    fixed and the difference of the two changes has the place's change's standard error;
    dollars are restated in dollars of the latest year, as the place's change is. A median
    that bears no claim in either year (mostly Weak or pooled values, too few values) gives
    no conclusion: the difference is refused with the reason, and the change of the medians
    of every value is kept as context.
    """
    earlier_year, later_year = years
    found: list[ChangeBeside] = []
    for pair in medians:
        reason = pair.reason
        earlier = pair.earlier if not reason else pair.earlier_context
        later = pair.later if not reason else pair.later_context
        other, _real = _compare(
            Estimate.benchmark(later), Estimate.benchmark(earlier), later_year, earlier_year,
            variable, prices,
        )  # fmt: skip
        if not reason:
            found.extend(compare_change(place_change, {pair.name: other}, direction, variable))
            continue
        refused = Comparison(
            _as_change(place_change), _as_change(other), None, None, None, None,
            "too_uncertain", reason,
        )  # fmt: skip
        words = _beside_words(pair.name, place_change, other, refused, direction, variable)
        found.append(ChangeBeside(pair.name, other, refused, words))
    return tuple(found)
