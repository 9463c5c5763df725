"""Insight sentences: strengths and areas to explore per pillar, gaps between groups, changes.

Every sentence comes from fixed rules over the comparisons, so the same data always give
the same words, and every insight carries the numbers and tests behind it.

Rules:

* a value rated Weak gives a note that the data are too uncertain to say, never a claim;
* with a published confidence interval, a strength or area to explore needs a significant
  difference (95% level) from the national median, the state median or the peer median,
  each a median that bears a claim (:mod:`upward.analysis.benchmark`); the comparison with
  the largest |z| is the one reported, and the sentence carries its test (p-value) and how
  many values the median rests on;
* without a confidence interval no test is possible, so there is no claim: a value that
  sits in the top or bottom quarter of places of its kind nationally (ties counted on
  neither side) gives a neutral note of where it stands ("higher than 90% of the other
  3,130 counties"), never a strength, an area to explore, "better" or "worse"; the note
  needs a national distribution that could bear a claim (mostly values not rated Weak);
* context metrics (neither higher nor lower is better) are never strengths or areas, and
  neither are counts (a count grows with the size of a place; its share is compared);
* one insight per metric and kind (its strongest variable);
* ranking: tested insights by |z| (strongest first), then standings by how far they are
  from the middle, ties in catalog order.

Words are asset-based: "strengths" and "areas to explore", never "problems"; a gap between
groups says what differs and by how much, with its test, never that a group "fares worse".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from upward.analysis.comparison import ScopeComparison, VariableComparison
from upward.analysis.disparity import Breakdown, notable_gaps
from upward.analysis.standing import at_an_end, level_of, rank_phrase
from upward.analysis.trend import Trend
from upward.analysis.uncertainty import (
    Comparison,
    ObservationLike,
    evidence_text,
    judge,
    untested_words,
    verdict_text,
)
from upward.catalog import WEAK, Catalog, Pillar, Variable

InsightKind = Literal[
    "strength", "area_to_explore", "standing", "too_uncertain", "disparity", "change"
]
Formatter = Callable[[Variable, float | None], str]
UNTESTED_QUARTER = 25.0


def plain_number(variable: Variable, value: float | None) -> str:
    """A fallback formatter; the reports layer passes its own."""
    if value is None:
        return "no value"
    if variable.unit == "share":
        return f"{value:.1%}"
    if variable.unit == "dollars":
        return f"${value:,.0f}"
    return f"{value:,.2f}"


def gap_size(fmt: Formatter, variable: Variable, *differences: float | None) -> str:
    """Sizes of differences: '28.4 percentage points' for shares, the unit otherwise.

    Several differences share one unit: ``gap_size(fmt, v, 0.266, 0.341)`` gives
    '26.6 to 34.1 percentage points'.
    """
    if not differences or any(d is None for d in differences):
        return "no value"
    sizes = [abs(d) for d in differences if d is not None]
    if variable.unit == "share":
        return " to ".join(f"{d * 100:.1f}" for d in sizes) + " percentage points"
    return " to ".join(fmt(variable, d) for d in sizes)


@dataclass(frozen=True)
class Insight:
    kind: InsightKind
    pillar_id: str
    metric_id: str
    variable: str
    sentence: str
    observations: tuple[ObservationLike, ...]
    tests: tuple[Comparison, ...]
    evidence: float | None
    """|z| of the test behind the claim; None when no test was possible."""
    tested: bool
    rank_key: tuple[float, ...]


@dataclass(frozen=True)
class PillarInsights:
    pillar: Pillar
    strengths: tuple[Insight, ...]
    areas_to_explore: tuple[Insight, ...]
    too_uncertain: tuple[Insight, ...]
    standings: tuple[Insight, ...] = ()
    """Neutral notes of where an untested value stands (no claim)."""


@dataclass(frozen=True)
class InsightReport:
    place_name: str
    peer_set_name: str
    pillars: tuple[PillarInsights, ...]
    disparities: tuple[Insight, ...]
    changes: tuple[Insight, ...]

    @property
    def all(self) -> tuple[Insight, ...]:
        found = [i for p in self.pillars
                 for i in (*p.strengths, *p.areas_to_explore, *p.standings,
                           *p.too_uncertain)]  # fmt: skip
        return (*found, *self.disparities, *self.changes)


def _value_text(fmt: Formatter, variable: Variable, obs: ObservationLike) -> str:
    extras = []
    if obs.lb is not None and obs.ub is not None:
        extras.append(f"95% CI {fmt(variable, obs.lb)} to {fmt(variable, obs.ub)}")
    if obs.quality:
        extras.append(f"data quality {obs.quality}")
    detail = f" ({'; '.join(extras)})" if extras else ""
    return f"{fmt(variable, obs.value)} in {obs.year}{detail}"


def _scope_clause(fmt: Formatter, vc: VariableComparison, scope: ScopeComparison) -> str:
    rests = f"{scope.n:,} values not rated Weak" if scope.n != 1 else "1 value not rated Weak"
    other = f"the median of {scope.label}, {fmt(vc.variable, scope.median)} over {rests}"
    clause = verdict_text(scope.comparison, vc.direction, other)
    if scope.phrase and scope.comparison.claims_difference:
        clause += f": {scope.phrase} that median"
    return clause


def _best_claim(vc: VariableComparison) -> ScopeComparison | None:
    claims = [s for s in vc.scopes if s.comparison.claims_difference]
    return max(claims, key=lambda s: abs(s.comparison.z or 0.0), default=None)


def _weak_note(vc: VariableComparison, place: str, order: int) -> Insight:
    assert vc.target is not None
    sentence = (
        f"{vc.variable.label} in {place} ({vc.target.year}): the data are rated Weak, "
        "too uncertain to say how it compares."
    )
    return Insight("too_uncertain", vc.metric.pillar_id, vc.metric.id, vc.variable.name,
                   sentence, (vc.target,), (), None, False, (2.0, 0.0, order))  # fmt: skip


def _tested(vc: VariableComparison, place: str, fmt: Formatter, order: int) -> Insight | None:
    scope = _best_claim(vc)
    if scope is None or vc.target is None:
        return None
    judged = judge(scope.comparison.verdict, vc.direction)
    if judged is None:
        return None
    sentence = (
        f"{vc.variable.label} in {place} was {_value_text(fmt, vc.variable, vc.target)}, "
        f"{_scope_clause(fmt, vc, scope)}."
    )
    if scope.scope == "peers":
        sentence += f" Against each peer: {vc.tally.text()}"
    z = abs(scope.comparison.z or 0.0)
    kind: InsightKind = "strength" if judged == "better" else "area_to_explore"
    cells = (vc.target, *(p.observation for p in vc.peers if p.observation is not None))
    return Insight(kind, vc.metric.pillar_id, vc.metric.id, vc.variable.name, sentence, cells,
                   tuple(s.comparison for s in vc.scopes), z, True, (0.0, -z, order))  # fmt: skip


def _standing_note(
    vc: VariableComparison, place: str, fmt: Formatter, order: int
) -> Insight | None:
    """Where an untested value stands in the nation, in neutral words; None unless at an end."""
    nation = vc.scope("nation")
    if nation is None or nation.rank is None or vc.target is None:
        return None
    if not nation.support.bears_claim or not at_an_end(nation.rank, UNTESTED_QUARTER / 100):
        return None
    value = fmt(vc.variable, vc.target.value)
    where = rank_phrase(nation.rank, level_of(vc.target.geoid), nation.where, value)
    sentence = (
        f"{vc.variable.label} in {place} was {_value_text(fmt, vc.variable, vc.target)}: "
        f"{where}; against the national median, {untested_words(nation.comparison)}, so this "
        "says where the value sits, not whether it differs."
    )
    distance = max(nation.rank.share_below or 0.0, nation.rank.share_above or 0.0)
    return Insight("standing", vc.metric.pillar_id, vc.metric.id, vc.variable.name, sentence,
                   (vc.target,), (nation.comparison,), None, False,
                   (1.0, -distance, order))  # fmt: skip


def _insight_for(vc: VariableComparison, place: str, fmt: Formatter, order: int) -> Insight | None:
    target = vc.target
    if target is None or target.value is None:
        return None
    if target.quality == WEAK:
        return _weak_note(vc, place, order)
    if vc.direction not in ("higher_better", "lower_better") or vc.variable.unit == "count":
        return None
    if target.lb is not None and target.ub is not None:
        return _tested(vc, place, fmt, order)
    return _standing_note(vc, place, fmt, order)


def _one_per_metric(insights: Sequence[Insight]) -> list[Insight]:
    best: dict[tuple[str, str], Insight] = {}
    for insight in sorted(insights, key=lambda i: i.rank_key):
        best.setdefault((insight.metric_id, insight.kind), insight)
    return sorted(best.values(), key=lambda i: i.rank_key)


def _gap_insight(fmt: Formatter, place: str, b: Breakdown, order: int) -> list[Insight]:
    out = []
    for breakdown, gap in notable_gaps([b]):
        assert gap.group_cell is not None and gap.reference_cell is not None
        v, c = breakdown.variable, gap.comparison
        size = gap_size(fmt, v, c.difference)
        interval = ""
        if c.ci is not None:
            low, high = sorted(abs(x) for x in c.ci)
            interval = f"95% CI of the gap {gap_size(fmt, v, low, high)}; "
        sentence = (
            f"{v.label} in {place}, {gap.year}: {gap.group} {fmt(v, gap.group_cell.value)}, "
            f"{size} {c.verdict} than the total for this {breakdown.subgroup_label.lower()} "
            f"breakdown ({fmt(v, gap.reference_cell.value)}); {interval}{evidence_text(c)}."
        )
        pair = (gap.group, gap.reference)
        change = next((ch for ch in breakdown.changes if (ch.group, ch.reference) == pair), None)
        if change is not None and change.word in ("narrowed", "widened", "reversed"):
            sentence += (f" The gap {change.word} between {change.first.year} and "
                         f"{change.last.year} ({evidence_text(change.change)}).")  # fmt: skip
        elif change is not None and change.word == "no_distinguishable_change":
            sentence += (f" Its change since {change.first.year} is not distinguishable from "
                         "zero.")  # fmt: skip
        z = abs(c.z or 0.0)
        out.append(Insight("disparity", breakdown.metric.pillar_id, breakdown.metric.id, v.name,
                           sentence, (gap.group_cell, gap.reference_cell), (c,), z, True,
                           (0.0, -z, order)))  # fmt: skip
    return out


def _change_insight(fmt: Formatter, place: str, trend: Trend, order: int) -> Insight | None:
    judged = trend.judgement
    if judged is None or trend.variable.unit == "count":
        return None
    v, c = trend.variable, trend.comparison
    sentence = (
        f"{v.label} in {place} {trend.word} from {_value_text(fmt, v, trend.first)} to "
        f"{_value_text(fmt, v, trend.last)}; {evidence_text(c)}, which is {judged}."
    )
    if trend.notes:
        sentence += " Note: " + " ".join(trend.notes)
    z = abs(c.z or 0.0)
    return Insight("change", trend.metric.pillar_id, trend.metric.id, v.name, sentence,
                   (trend.first, trend.last), (c,), z, True, (0.0, -z, order))  # fmt: skip


def build_insights(
    catalog: Catalog,
    place_name: str,
    peer_set_name: str,
    comparisons: Sequence[VariableComparison],
    breakdowns: Sequence[Breakdown] = (),
    trends: Sequence[Trend] = (),
    fmt: Formatter = plain_number,
) -> InsightReport:
    """Insights for one place, per pillar, ranked by strength of evidence."""
    order = {v.name: i for i, v in enumerate(catalog.variables)}
    found = [_insight_for(vc, place_name, fmt, order.get(vc.variable.name, 0))
             for vc in comparisons]  # fmt: skip
    ranked = _one_per_metric([i for i in found if i is not None])
    pillars = []
    for pillar in catalog.pillars:
        mine = [i for i in ranked if i.pillar_id == pillar.id]
        pillars.append(PillarInsights(
            pillar,
            tuple(i for i in mine if i.kind == "strength"),
            tuple(i for i in mine if i.kind == "area_to_explore"),
            tuple(i for i in mine if i.kind == "too_uncertain"),
            tuple(i for i in mine if i.kind == "standing"),
        ))  # fmt: skip
    gaps = [i for b in breakdowns for i in _gap_insight(fmt, place_name, b,
                                                        order.get(b.variable.name, 0))]  # fmt: skip
    changes = [_change_insight(fmt, place_name, t, order.get(t.variable.name, 0)) for t in trends]
    return InsightReport(
        place_name,
        peer_set_name,
        tuple(pillars),
        tuple(sorted(gaps, key=lambda i: i.rank_key)),
        tuple(sorted((c for c in changes if c is not None), key=lambda i: i.rank_key)),
    )
