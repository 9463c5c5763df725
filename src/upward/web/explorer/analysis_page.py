"""What the peers, compare and insights pages show, as plain dicts ready for templates.

Every number is formatted here with its year, its 95% confidence interval where Urban
publishes one and its quality, and every verdict is put in words that never claim more
than the test supports. The same rows feed the pages, their charts' data tables and the
CSV downloads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from upward.analysis.comparison import ScopeComparison, VariableComparison
from upward.analysis.disparity import Breakdown, Gap
from upward.analysis.insight import Insight
from upward.analysis.peers import FeatureRow, PeerResult
from upward.analysis.standing import level_of, place_words
from upward.analysis.trend import Trend
from upward.analysis.uncertainty import (
    NO_TEST_REASON,
    WEAK_REASON,
    Comparison,
    ObservationLike,
    judge,
    p_text,
    untested_label,
    untested_words,
)
from upward.catalog import QUALITY_CODES, SUPPRESSED, WEAK, Catalog, Variable
from upward.reports.analysis_text import feature_value, scope_standing
from upward.reports.breakdown_total import total_note
from upward.reports.charts import value_frame
from upward.reports.numbers import (
    difference_text,
    format_bounds,
    format_ci,
    format_distance,
    format_number,
    format_value,
    interval_text,
)
from upward.reports.peer_chart import PEER, PEERS, PLACE, describe_peers
from upward.reports.place_analysis import PlaceAnalysis

QUALITY_CODE = QUALITY_CODES


def verdict_label(c: Comparison, direction: str) -> str:
    """A short verdict for a table cell, with its p-value when tested.

    'Higher (better), p < 0.001', 'Not distinguishable, p = 0.327', 'Higher, not tested
    (no CI)' (:func:`~upward.analysis.uncertainty.untested_words`, the one wording of an
    untested difference): better or worse only for a difference the test supports.
    """
    p = f", {p_text(c)}" if c.tested else ""
    if c.claims_difference:
        judged = judge(c.verdict, direction)
        word = c.verdict.capitalize()
        return (f"{word} ({judged})" if judged else word) + p
    if c.verdict == "not_distinguishable":
        return "Not distinguishable" + p
    if c.verdict == "too_uncertain":
        if c.reason == WEAK_REASON:
            return "Too uncertain (Weak data)"
        return "No claim (too few values not rated Weak)"
    if c.verdict == "no_data":
        return "No comparable value"
    return capitalized(untested_words(c))


def capitalized(text: str) -> str:
    """A phrase as a table cell starts it: 'lower, not tested (no CI)' -> 'Lower, ...'."""
    return text[:1].upper() + text[1:]


def value_text(variable: Variable, obs: Any, year: bool = True) -> str:
    """'41.2% in 2021 (95% CI 38.1%–44.0%; Strong)'; or why there is no value."""
    if obs is None or obs.value is None:
        return "suppressed" if obs is not None and obs.status == SUPPRESSED else "no value"
    extras = [x for x in (format_ci(variable, obs.lb, obs.ub), obs.quality) if x]
    text = format_value(variable, obs.value, getattr(obs, "value_text", None))
    text += f" in {obs.year}" if year else ""
    return text + (f" ({'; '.join(extras)})" if extras else "")


# -- peers ------------------------------------------------------------------------------


def _z(row: FeatureRow) -> str:
    if row.z_difference is None:
        return "not compared"
    return f"{row.z_difference:+.1f} SD"


def why_table(result: PeerResult) -> dict[str, Any]:
    """Characteristics as rows, the place and each peer as columns."""
    peers = result.peers
    first = peers[0].why if peers else ()
    rows = []
    for i, row in enumerate(first):
        rows.append({
            "label": row.label,
            "weight": f"{row.weight:.2g}",
            "target": feature_value(row, row.target_value),
            "cells": [{"value": feature_value(p.why[i], p.why[i].peer_value),
                       "z": _z(p.why[i]), "used": p.why[i].used} for p in peers],
        })  # fmt: skip
    return {"peers": [p.name for p in peers], "rows": rows}


def peer_rows(result: PeerResult) -> list[dict[str, Any]]:
    return [
        {"geoid": p.geoid, "name": p.name, "state": p.state_abbr, "source": p.source,
         "distance": format_distance(p.distance),
         "same_state": p.same_state, "same_region": p.same_region,
         "dropped": ", ".join(p.dropped)}
        for p in result.peers
    ]  # fmt: skip


def peer_csv_rows(result: PeerResult, set_name: str) -> list[dict[str, Any]]:
    rows = []
    for p in result.peers:
        for r in p.why:
            rows.append({"peer_set": set_name, "target_geoid": result.target.geoid,
                         "target_name": result.target.name, "peer_geoid": p.geoid,
                         "peer_name": p.name, "source": p.source, "distance": p.distance,
                         "characteristic": r.feature_id, "label": r.label, "weight": r.weight,
                         "target_value": r.target_value, "peer_value": r.peer_value,
                         "z_difference": r.z_difference, "used": r.used})  # fmt: skip
    return rows


PEER_CSV_COLUMNS = ("peer_set", "target_geoid", "target_name", "peer_geoid", "peer_name",
                    "source", "distance", "characteristic", "label", "weight", "target_value",
                    "peer_value", "z_difference", "used")  # fmt: skip


# -- comparisons ------------------------------------------------------------------------


def _scope_row(vc: VariableComparison, s: ScopeComparison) -> dict[str, Any]:
    v = vc.variable
    level = level_of(vc.target.geoid) if vc.target is not None else "place"
    kind = ("peer", "peers") if s.scope == "peers" else place_words(level)
    spread = ""
    if s.scope == "peers" and s.low is not None and s.high is not None:
        spread = f"{format_number(v, s.low)} to {format_number(v, s.high)} ({s.n} peers)"
    elif s.low is not None and s.high is not None:
        spread = (f"{format_number(v, s.low)} to {format_number(v, s.high)} "
                  f"({s.support.context(kind)})")  # fmt: skip
    phrase = ""
    if s.phrase and s.median is not None:
        phrase = f"{s.phrase} the median"
        if s.comparison.verdict == "no_test":
            phrase += " (not tested)"  # the verdict beside it: untested_words
    median = format_number(v, s.median) or "none"
    if s.median is not None:
        median += f" (over {s.n:,} values not rated Weak)"
    if not s.support.bears_claim:
        every = s.context_median if s.context_median is not None else s.median
        median = (f"{format_number(v, every) or 'none'} (all {s.support.context(kind)}); "
                  f"{s.support.reason(kind)}")  # fmt: skip
    standing = scope_standing(vc, s)
    return {"scope": s.scope, "label": capitalized(s.label),
            "long_label": s.label, "median": median,
            "spread": spread, "standing": standing, "phrase": phrase,
            "verdict": verdict_label(s.comparison, vc.direction)}  # fmt: skip


def _chart_row(
    v: Variable, name: str, role: str, obs: ObservationLike | None, verdict: str
) -> dict[str, Any]:
    """One row of a peer chart's data table (the chart reads its data-* attributes)."""
    row: dict[str, Any] = {"name": name, "role": role, "verdict": verdict, "place": role == PLACE,
                           "value": "", "ci": "", "quality": "", "raw": None, "lb": None,
                           "ub": None, "q": ""}  # fmt: skip
    if obs is None or obs.value is None:
        return row
    row.update(value=format_value(v, obs.value, getattr(obs, "value_text", None)),
               ci=format_bounds(v, obs.lb, obs.ub),
               quality=obs.quality or "", raw=obs.value, lb=obs.lb, ub=obs.ub,
               q=QUALITY_CODE.get(obs.quality or "", ""))  # fmt: skip
    return row


def _chart_rows(vc: VariableComparison, place: str) -> list[dict[str, Any]]:
    v = vc.variable
    rows = [_chart_row(v, place, PLACE, vc.target, "")]
    rows += [_chart_row(v, p.name, PEER, p.observation, verdict_label(p.comparison, vc.direction))
             for p in vc.peers]  # fmt: skip
    return rows


def variable_block(vc: VariableComparison, place: str) -> dict[str, Any]:
    v, t = vc.variable, vc.target
    peers = vc.scope("peers")
    usable = [p.observation.value for p in vc.peers if p.observation is not None
              and p.observation.value is not None and p.observation.quality != WEAK]  # fmt: skip
    notes = list(vc.notes)
    if t is not None and t.quality == WEAK:
        notes.insert(0, "This place's value is rated Weak: too uncertain to compare.")
    if v.has_bounds and t is not None and t.value is not None and (t.lb is None or t.ub is None):
        notes.insert(0, f"This value has {NO_TEST_REASON}.")
    rows = _chart_rows(vc, place)
    frame = value_frame(v, [r[k] for r in rows for k in ("raw", "lb", "ub")])
    return {
        "id": f"v-{v.name}",
        "chart_id": f"c-{v.name}",
        "variable": v,
        "year": vc.year,
        "value": value_text(v, t),
        "has_value": t is not None and t.value is not None,
        "scopes": [_scope_row(vc, s) for s in vc.scopes],
        "tally": vc.tally.text(),
        "peers": rows,
        "frame": frame,
        "chart": f"{PEERS}:{v.unit}",
        "plotted": t is not None and t.value is not None and v.kind == "number",
        "summary": describe_peers(v, vc.year, place, t.value if t else None, usable,
                                  peers.median if peers else None,
                                  tested=t is not None and t.lb is not None and t.ub is not None),
        "notes": notes,
    }  # fmt: skip


def compare_sections(
    catalog: Catalog, comparisons: Sequence[VariableComparison], place: str
) -> list[dict[str, Any]]:
    """Pillars → predictors → metrics → variables (headline first), in catalog order."""
    by_metric: dict[str, list[VariableComparison]] = {}
    for vc in comparisons:
        by_metric.setdefault(vc.metric.id, []).append(vc)
    pillars = []
    for pillar in catalog.pillars:
        predictors = []
        for pid in pillar.predictor_ids:
            predictor = catalog.predictor(pid)
            metrics = []
            for mid in predictor.metric_ids:
                found = sorted(by_metric.get(mid, ()), key=lambda c: not c.variable.headline)
                if found:
                    metric = catalog.metric(mid)
                    metrics.append(
                        {
                            "metric": metric,
                            "anchor": f"m-{mid}",
                            "variables": [variable_block(c, place) for c in found],
                        }
                    )
            if metrics:
                predictors.append({"predictor": predictor, "metrics": metrics})
        if predictors:
            pillars.append({"pillar": pillar, "predictors": predictors})
    return pillars


COMPARE_CSV_COLUMNS = ("peer_set", "metric", "variable", "label", "year", "value", "lb", "ub",
                       "quality", "comparator_kind", "comparator", "comparator_value",
                       "comparator_lb", "comparator_ub", "comparator_quality", "low", "high", "n",
                       "percentile", "verdict", "difference", "p", "phrase", "value_display",
                       "comparator_value_display")  # fmt: skip


def compare_csv_rows(analysis: PlaceAnalysis) -> list[dict[str, Any]]:
    rows = []
    for vc in analysis.comparisons:
        t = vc.target
        base = {"peer_set": vc.peer_set_name, "metric": vc.metric.id,
                "variable": vc.variable.name, "label": vc.variable.label, "year": vc.year,
                "value": t.value if t else None, "lb": t.lb if t else None,
                "ub": t.ub if t else None, "quality": t.quality if t else None,
                "value_display": _display(vc, t.value if t else None,
                                          getattr(t, "value_text", None))}  # fmt: skip
        for s in vc.scopes:
            c = s.comparison
            rows.append({**base, "comparator_kind": f"{s.scope}_median", "comparator": s.label,
                         "comparator_value": s.median, "low": s.low, "high": s.high, "n": s.n,
                         "percentile": s.percentile, "verdict": c.verdict,
                         "difference": c.difference, "p": c.p, "phrase": s.phrase,
                         "comparator_value_display": _display(vc, s.median)})  # fmt: skip
        for p in vc.peers:
            o, c = p.observation, p.comparison
            shown = _display(vc, o.value, getattr(o, "value_text", None)) if o else None
            rows.append({**base, "comparator_kind": "peer", "comparator": f"{p.name} ({p.geoid})",
                         "comparator_value": o.value if o else None,
                         "comparator_lb": o.lb if o else None, "comparator_ub": o.ub if o else None,
                         "comparator_quality": o.quality if o else None, "verdict": c.verdict,
                         "difference": c.difference, "p": c.p,
                         "comparator_value_display": shown})  # fmt: skip
    return rows


def _display(vc: VariableComparison, value: float | None, text: str | None = None) -> str | None:
    """The value rounded as the page shows it (the CSV keeps the published value too)."""
    if value is None and not text:
        return None
    return format_value(vc.variable, value, text)


# -- insights, gaps and trends -----------------------------------------------------------


def insight_item(i: Insight, compare_url: str) -> dict[str, Any]:
    if i.kind == "disparity" and i.observations:
        href = f"#gap-{i.variable}-{i.observations[0].subgroup_type}"
    elif i.kind == "change":
        href = f"#t-{i.variable}"
    else:
        href = f"{compare_url}#v-{i.variable}"
    return {"sentence": i.sentence, "href": href, "kind": i.kind, "tested": i.tested}


def _gap_row(v: Variable, gap: Gap, changes: dict[tuple[str, str], Any]) -> dict[str, Any]:
    c = gap.comparison
    ci = interval_text(v, c.ci)
    change = changes.get((gap.group, gap.reference))
    change_text = ""
    if change is not None:
        words = {"narrowed": "narrowed", "widened": "widened", "reversed": "reversed",
                 "no_distinguishable_change": "no distinguishable change",
                 "untested": f"not tested ({untested_label(change.change.reason)})",
                 "no_claim": "too uncertain to say"}  # fmt: skip
        change_text = f"{words[change.word]}, {change.first.year} to {change.last.year}"
    return {"group": gap.group, "value": value_text(v, gap.group_cell, year=False),
            "gap": difference_text(v, c.difference),
            "ci": ci, "verdict": verdict_label(c, v.direction), "change": change_text,
            "flag": gap.judgement == "worse"}  # fmt: skip


def _count_row(v: Variable, cell: ObservationLike) -> dict[str, Any]:
    """A group's count, listed but never compared with its total (it is part of it)."""
    return {"group": cell.subgroup, "value": value_text(v, cell, year=False), "gap": "",
            "ci": "not compared", "verdict": "Not compared (a count)",
            "change": "not compared", "flag": False}  # fmt: skip


def breakdown_block(
    b: Breakdown, notable: set[tuple[str, str]], headline: ObservationLike | None = None
) -> dict[str, Any]:
    """One breakdown's table; ``headline``: the place's overall value of the same variable
    and year, when known, for the note on why the breakdown's total differs from it."""
    v = b.variable
    changes = {(ch.group, ch.reference): ch for ch in b.changes}
    rows = [_gap_row(v, g, changes) for g in b.vs_total]
    if v.is_count:
        rows = [_count_row(v, c) for c in b.groups]
    return {
        "id": f"gap-{v.name}-{b.subgroup_type}",
        "title": f"{v.label} by {b.subgroup_label.lower()}, {b.year}",
        "total": value_text(v, b.total),
        "total_note": total_note(b.metric, v, headline, b.total),
        "rows": rows,
        "notes": list(b.notes),
        "notable": (v.name, b.subgroup_type) in notable,
    }


def breakdown_blocks(
    breakdowns: Sequence[Breakdown],
    gaps: Sequence[Insight],
    headline: Callable[[Breakdown], ObservationLike | None] | None = None,
) -> list[dict]:
    """Every breakdown's table, those with a supported gap first; ``headline`` finds the
    overall value a breakdown's total is set beside."""
    notable = set()
    for i in gaps:
        for o in i.observations:
            notable.add((o.variable, o.subgroup_type))
    blocks = [breakdown_block(b, notable, headline(b) if headline else None) for b in breakdowns]
    return sorted(blocks, key=lambda b: not b["notable"])


def trend_row(t: Trend) -> dict[str, Any]:
    v, c = t.variable, t.comparison
    words = {"increased": "Increased", "decreased": "Decreased",
             "no_distinguishable_change": "No distinguishable change",
             "untested": f"Not tested ({untested_label(c.reason)})",
             "no_claim": "Too uncertain to say"}  # fmt: skip
    judged = t.judgement
    word = words[t.word] + (f" ({judged})" if judged else "")
    ci = interval_text(v, c.ci)
    change = difference_text(v, c.difference)
    if t.real is not None and t.real.factor is not None:  # dollars: real change, nominal beside
        nominal = difference_text(v, t.real.nominal_change)
        change = f"{change} in {t.real.later_year} dollars (nominal {nominal})"
    return {"id": f"t-{v.name}", "label": v.label, "metric": t.metric.id,
            "first": value_text(v, t.first), "last": value_text(v, t.last),
            "change": change,
            "ci": ci, "word": word, "significant": c.claims_difference,
            "notes": " ".join(t.notes)}  # fmt: skip
