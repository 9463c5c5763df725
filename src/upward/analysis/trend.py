"""Change over time: earliest against latest published year, and peers that improved most.

A trend compares the same variable's overall values (all people) in the earliest and the
latest year with a published value, using the test of
:func:`~upward.analysis.uncertainty.compare_values` on the two years' estimates (treated as
independent; overlapping five-year survey windows share respondents, so the two estimates
are positively correlated, and ignoring that overstates the standard error of the change:
the test claims fewer changes, never more). Catalog caveats that bear on
comparing years (inflation, changed definitions, pooled years) travel with the result.

Dollars are compared in real terms (:mod:`upward.analysis.real_terms`): the earlier year is
restated in dollars of the later year with the CPI-U before the test, and the nominal change
is kept beside it (``Trend.real`` and the first note). Counts (``Variable.is_count``) are
never tested or judged: a change in a count mixes a change in the rate with a change in
the population; the share or rate beside it is the measure to read.

Bright spots are places (usually the peers) whose change on a predictor's headline measure
is an improvement, judged by the catalog direction, and significant at the 95% level;
they are ranked by the strength of that evidence. Improvements on variables without
published confidence intervals are listed separately, without a significance claim; a
change left untested for another reason (a zero-width interval, a year outside the price
index) is not listed at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from upward.analysis.real_terms import RealTerms, compare_over_years
from upward.analysis.uncertainty import (
    NO_TEST_REASON,
    Comparison,
    Estimate,
    Judgement,
    ObservationLike,
    judge,
)
from upward.catalog import ALL_TYPE, WEAK, Catalog, Metric, Variable

TrendWord = Literal["increased", "decreased", "no_distinguishable_change", "untested", "no_claim"]
YEAR_CAVEAT_WORDS = (
    "inflation", "cannot be compared", "compare years", "different definition",
    "older rules", "pools", "do not compare",
)  # fmt: skip


class SeriesLike(Protocol):
    @property
    def geoid(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def cells(self) -> Sequence[ObservationLike]: ...


@dataclass(frozen=True)
class Trend:
    metric: Metric
    variable: Variable
    first: ObservationLike
    last: ObservationLike
    comparison: Comparison
    """Latest minus earliest."""
    word: TrendWord
    notes: tuple[str, ...]
    real: RealTerms | None = None
    """For dollars: the change restated in dollars of the later year, and the nominal one."""

    @property
    def judgement(self) -> Judgement | None:
        """'better' for a significant improvement, 'worse' for a decline; None otherwise.

        Never for a count: its change is not a change in anyone's chances.
        """
        if self.variable.is_count:
            return None
        return judge(self.comparison.verdict, self.variable.direction)

    @property
    def improvement_z(self) -> float | None:
        """The test statistic, signed so that positive means improvement."""
        z = self.comparison.z
        if z is None or self.variable.is_count:
            return None
        if self.variable.direction not in ("higher_better", "lower_better"):
            return None
        return z if self.variable.direction == "higher_better" else -z


def year_caveats(metric: Metric) -> tuple[str, ...]:
    """The catalog caveats that matter when comparing years."""
    return tuple(c for c in metric.caveats if any(w in c.lower() for w in YEAR_CAVEAT_WORDS))


def _word(comparison: Comparison) -> TrendWord:
    verdict = comparison.verdict
    if verdict == "higher":
        return "increased"
    if verdict == "lower":
        return "decreased"
    if verdict == "not_distinguishable":
        return "no_distinguishable_change"
    return "untested" if verdict == "no_test" else "no_claim"


def trend_between(catalog: Catalog, first: ObservationLike, last: ObservationLike) -> Trend:
    variable = catalog.variable(first.variable)
    metric = catalog.metric(variable.metric_id)
    comparison, real = compare_over_years(
        Estimate.of(last, variable), Estimate.of(first, variable), last.year, first.year, variable,
        catalog.prices,
    )  # fmt: skip
    notes = ((real.note,) if real is not None else ()) + year_caveats(metric)
    notes += break_notes(metric, first.year, last.year)
    return Trend(metric, variable, first, last, comparison, _word(comparison), notes, real)


def break_notes(metric: Metric, first: int, last: int) -> tuple[str, ...]:
    """The catalog's comparability notes of the breaks between two years (a change of
    source, method, survey window or boundaries inside the span compared)."""
    return tuple(b.sentence for b in metric.breaks if first < b.year <= last)


def trend_of(
    catalog: Catalog, variable: str, cells: Sequence[ObservationLike],
    window: tuple[int, int] | None = None,
) -> Trend | None:  # fmt: skip
    """Earliest to latest published year of one variable's overall series (or ``window``).

    Unless a window is imposed, a change ending in a usable year starts at the first year
    not rated Weak, and says so; a latest year rated Weak leaves the change too uncertain.
    """
    series = sorted(
        (c for c in cells if c.variable == variable and c.subgroup_type == ALL_TYPE
         and c.value is not None),
        key=lambda c: c.year,
    )  # fmt: skip
    if window is not None:
        series = [c for c in series if c.year in window]
        if {c.year for c in series} != set(window):
            return None
    if len(series) < 2:
        return None
    last, first = series[-1], series[0]
    usable = [c for c in series if c.quality != WEAK]
    skipped: tuple[str, ...] = ()
    if window is None and last.quality != WEAK and usable[0].year != first.year:
        first = usable[0]
        skipped = (f"Years before {first.year} are rated Weak and are left out of the change.",)
    if first.year == last.year:
        return None
    found = trend_between(catalog, first, last)
    return replace(found, notes=skipped + found.notes) if skipped else found


def trends(catalog: Catalog, cells: Sequence[ObservationLike]) -> tuple[Trend, ...]:
    """A trend for every variable with at least two published years, in catalog order."""
    found = (trend_of(catalog, v.name, cells) for v in catalog.variables)
    return tuple(t for t in found if t is not None)


@dataclass(frozen=True)
class BrightSpot:
    geoid: str
    name: str
    trend: Trend


@dataclass(frozen=True)
class BrightSpots:
    predictor_id: str
    window: dict[str, tuple[int, int]]
    """Variable -> (first year, last year) compared for every place."""
    significant: tuple[BrightSpot, ...]
    untested: tuple[BrightSpot, ...]
    notes: tuple[str, ...]


def _window(variable: str, series: Sequence[SeriesLike]) -> tuple[int, int] | None:
    spans = []
    for s in series:
        years = sorted(c.year for c in s.cells
                       if c.variable == variable and c.subgroup_type == ALL_TYPE
                       and c.value is not None)  # fmt: skip
        if len(years) >= 2:
            spans.append((years[0], years[-1]))
    if not spans:
        return None
    counts = Counter(spans)
    return max(counts, key=lambda span: (counts[span], span[1], -span[0]))


def _relative(trend: Trend) -> float:
    """The relative change, signed so that positive is an improvement (real for dollars)."""
    first, last = trend.first.value or 0.0, trend.last.value or 0.0
    if trend.real is not None and trend.real.earlier_real is not None:
        first = trend.real.earlier_real
    change = (last - first) / abs(first) if first else 0.0
    return change if trend.variable.direction == "higher_better" else -change


def bright_spots(catalog: Catalog, predictor_id: str, series: Sequence[SeriesLike]) -> BrightSpots:
    """Places that improved most on the headline measure of each of a predictor's metrics.

    Every place is compared over the same years: the first-to-last span most places share.
    """
    predictor = catalog.predictor(predictor_id)
    windows: dict[str, tuple[int, int]] = {}
    significant: list[tuple[float, str, BrightSpot]] = []
    untested: list[tuple[float, str, BrightSpot]] = []
    notes: list[str] = []
    for metric in (catalog.metric(m) for m in predictor.metric_ids):
        variable = metric.headline
        if variable.direction not in ("higher_better", "lower_better"):
            continue
        window = _window(variable.name, series)
        if window is None:
            continue
        windows[variable.name] = window
        for s in series:
            trend = trend_of(catalog, variable.name, s.cells, window)
            if trend is None:
                continue
            spot = BrightSpot(s.geoid, s.name, trend)
            z = trend.improvement_z
            if trend.judgement == "better" and z is not None:
                significant.append((-z, s.geoid, spot))
            elif trend.comparison.reason == NO_TEST_REASON and _relative(trend) > 0:
                untested.append((-_relative(trend), s.geoid, spot))
        if metric.caveats and year_caveats(metric):
            notes.extend(year_caveats(metric))
    if untested:
        notes.append("Some improvements are listed without a significance test because no "
                     "confidence interval is published for them.")  # fmt: skip
    significant.sort(key=lambda item: item[:2])
    untested.sort(key=lambda item: item[:2])
    return BrightSpots(
        predictor_id,
        windows,
        tuple(s for *_, s in significant),
        tuple(s for *_, s in untested),
        tuple(dict.fromkeys(notes)),
    )
