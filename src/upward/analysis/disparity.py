"""Gaps between groups: each group against its breakdown's total, and group against group.

A breakdown (race and ethnicity, income, gender, ...) carries its own total, published with
the groups (often from a different survey window than the overall value), so each group is
compared with that total, never with the overall value of another file.

A group is part of its total, so the two estimates are positively correlated; the test
treats them as independent, which overstates the standard error of the gap and makes the
test conservative (it claims fewer gaps, never more). Groups are disjoint samples, so
group-to-group tests are standard.

How a gap changed between the first and last published years is a difference in
differences: ``(g₂ - r₂) - (g₁ - r₁)`` with standard error ``√(se₁² + se₂²)``, the two
years' gaps being independent estimates. No claim rests on a Weak or suppressed value.

Dollar gaps change in real terms: the first year's gap is restated in dollars of the last
year with the CPI-U before the difference in differences is tested, and whether a gap
narrowed or widened is read in those dollars (:mod:`upward.analysis.real_terms`).

Counts (``Variable.is_count``, such as the number of students who experienced homelessness)
get no gaps at all: a group's count is part of its total and grows with the group's size,
so "fewer Black students than all students" says nothing about anyone's chances. The
breakdown still lists each group's count; its gaps are read on the share or rate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from upward.analysis.real_terms import RealTerms, compare_over_years
from upward.analysis.uncertainty import (
    Comparison,
    Estimate,
    Judgement,
    ObservationLike,
    compare_values,
    judge,
)
from upward.catalog import ALL_LABEL, ALL_TYPE, Catalog, Metric, PriceIndex, Variable

TOTAL = ALL_LABEL
COUNT_NOTE = (
    "These are counts: a group's count is part of the total and grows with the size of the "
    "group, so no gaps are computed; compare the groups' shares instead."
)
ChangeWord = Literal[
    "narrowed", "widened", "reversed", "no_distinguishable_change", "untested", "no_claim"
]


@dataclass(frozen=True)
class Gap:
    """``group - reference`` in one year."""

    group: str
    reference: str
    year: int
    group_cell: ObservationLike | None
    reference_cell: ObservationLike | None
    comparison: Comparison
    direction: str

    @property
    def judgement(self) -> Judgement | None:
        """'worse' when the group fares worse than the reference (tested), else better/None."""
        return judge(self.comparison.verdict, self.direction)


@dataclass(frozen=True)
class GapChange:
    group: str
    reference: str
    first: Gap
    last: Gap
    change: Comparison
    """Last year's gap minus the first year's (in dollars of the last year for dollars)."""
    word: ChangeWord
    real: RealTerms | None = None
    """For dollars: the first year's gap restated in dollars of the last year."""


@dataclass(frozen=True)
class Breakdown:
    """One variable by one subgroup type, for its latest year, with gap changes over time."""

    metric: Metric
    variable: Variable
    subgroup_type: str
    subgroup_label: str
    year: int
    total: ObservationLike | None
    groups: tuple[ObservationLike, ...]
    vs_total: tuple[Gap, ...]
    between: tuple[Gap, ...]
    changes: tuple[GapChange, ...]
    notes: tuple[str, ...]


def _gap(
    group: str, reference: str, year: int, cells: dict[str, ObservationLike], variable: Variable
) -> Gap:
    g, r = cells.get(group), cells.get(reference)
    comparison = compare_values(Estimate.of(g, variable), Estimate.of(r, variable))
    return Gap(group, reference, year, g, r, comparison, variable.direction)


def _change_word(change: Comparison, first: float | None, last: float | None) -> ChangeWord:
    """How a gap moved, from the first gap (in the last year's dollars) to the last one."""
    if change.verdict == "no_test":
        return "untested"
    if change.verdict == "not_distinguishable":
        return "no_distinguishable_change"
    if not change.claims_difference or first is None or last is None:
        return "no_claim"
    if first * last < 0:
        return "reversed"
    return "narrowed" if abs(last) < abs(first) else "widened"


def _changes(
    pairs: Sequence[tuple[str, str]], by_year: dict[int, dict[str, ObservationLike]],
    variable: Variable, prices: PriceIndex,
) -> list[GapChange]:  # fmt: skip
    changes = []
    for group, reference in pairs:
        years = sorted(
            y for y, cells in by_year.items()
            if all(cells.get(k) is not None and cells[k].value is not None
                   for k in (group, reference))
        )  # fmt: skip
        if len(years) < 2:
            continue
        first = _gap(group, reference, years[0], by_year[years[0]], variable)
        last = _gap(group, reference, years[-1], by_year[years[-1]], variable)
        change, real = compare_over_years(
            last.comparison.as_estimate(), first.comparison.as_estimate(), last.year,
            first.year, variable, prices, what="gap",
        )  # fmt: skip
        first_gap = first.comparison.difference
        if real is not None and real.earlier_real is not None:
            first_gap = real.earlier_real
        word = _change_word(change, first_gap, last.comparison.difference)
        changes.append(GapChange(group, reference, first, last, change, word, real))
    return changes


def _group_order(catalog: Catalog, subgroup_type: str, labels: Iterable[str]) -> list[str]:
    try:
        known = [g.label for g in catalog.subgroup_type(subgroup_type).groups]
    except LookupError:
        known = []
    rank = {label: i for i, label in enumerate(known)}
    return sorted(set(labels) - {TOTAL}, key=lambda label: (rank.get(label, len(rank)), label))


def analyze_breakdown(
    catalog: Catalog, variable: Variable, subgroup_type: str, cells: Sequence[ObservationLike]
) -> Breakdown | None:
    """Gaps for one variable and subgroup type; None when no group value is published."""
    by_year: dict[int, dict[str, ObservationLike]] = defaultdict(dict)
    for c in cells:
        if c.variable == variable.name and c.subgroup_type == subgroup_type:
            by_year[c.year][c.subgroup] = c
    published = [y for y, cs in by_year.items()
                 if any(k != TOTAL and c.value is not None for k, c in cs.items())]  # fmt: skip
    if not published:
        return None
    year = max(published)
    latest = by_year[year]
    groups = _group_order(catalog, subgroup_type, latest)
    notes: list[str] = []
    if variable.is_count:
        vs_total: tuple[Gap, ...] = ()
        between: tuple[Gap, ...] = ()
        changes: tuple[GapChange, ...] = ()
        notes.append(COUNT_NOTE)
    else:
        vs_total = tuple(_gap(g, TOTAL, year, latest, variable) for g in groups)
        between = tuple(_gap(a, b, year, latest, variable) for a, b in combinations(groups, 2))
        pairs = [(g, TOTAL) for g in groups] + list(combinations(groups, 2))
        changes = tuple(_changes(pairs, by_year, variable, catalog.prices))
    if latest.get(TOTAL) is None or latest[TOTAL].value is None:
        notes.append("No total was published for this breakdown, so groups are compared only "
                     "with each other.")  # fmt: skip
    try:
        label = catalog.subgroup_type(subgroup_type).label
    except LookupError:
        label = subgroup_type
    return Breakdown(
        metric=catalog.metric(variable.metric_id),
        variable=variable,
        subgroup_type=subgroup_type,
        subgroup_label=label,
        year=year,
        total=latest.get(TOTAL),
        groups=tuple(latest[g] for g in groups),
        vs_total=vs_total,
        between=between,
        changes=changes,
        notes=tuple(notes),
    )


def analyze_disparities(
    catalog: Catalog, cells: Sequence[ObservationLike], metric_id: str | None = None
) -> tuple[Breakdown, ...]:
    """Every breakdown published for a place (subgroup cells of any type but 'all')."""
    keys = sorted({(c.variable, c.subgroup_type) for c in cells if c.subgroup_type != ALL_TYPE})
    order = {v.name: i for i, v in enumerate(catalog.variables)}
    keys.sort(key=lambda k: (order.get(k[0], len(order)), k[1]))
    out = []
    for name, subgroup_type in keys:
        variable = catalog.variable(name)
        if metric_id and variable.metric_id != metric_id:
            continue
        found = analyze_breakdown(catalog, variable, subgroup_type, cells)
        if found is not None:
            out.append(found)
    return tuple(out)


def notable_gaps(breakdowns: Iterable[Breakdown]) -> list[tuple[Breakdown, Gap]]:
    """Gaps where a group fares significantly worse than its breakdown's total.

    Ordered by strength of evidence (|z|), then catalog order. Context metrics, which are
    neither better nor worse, never appear.
    """
    found = [
        (i, b, gap) for i, b in enumerate(breakdowns) for gap in b.vs_total
        if gap.judgement == "worse"
    ]  # fmt: skip
    found.sort(key=lambda item: (-abs(item[2].comparison.z or 0.0), item[0]))
    return [(b, gap) for _, b, gap in found]
