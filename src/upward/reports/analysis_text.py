"""Peers, comparisons and insights as terminal tables and text (their JSON has one shape in
:mod:`upward.explore.analysis_shapes`)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from upward.analysis.comparison import ScopeComparison, VariableComparison
from upward.analysis.insight import InsightReport
from upward.analysis.peer_set import PeerSet
from upward.analysis.peers import FeatureRow, PeerResult
from upward.analysis.standing import level_of, rank_phrase
from upward.analysis.uncertainty import untested_words
from upward.reports.numbers import format_bounds, format_distance, format_in_unit, format_value


def feature_value(row: FeatureRow, value: float | None) -> str:
    """A peer characteristic in its unit ('41.2%', '$53,447'), or 'not published'."""
    return "not published" if value is None else format_in_unit(row.unit, value)


def peers_table(result: PeerResult, peer_set: PeerSet) -> Group:
    title = f"Peers of {result.target.name}: {peer_set.name}"
    summary = Table(title=title, title_justify="left")
    for name in ("#", "Peer", "FIPS", "Distance", "Same state", "Same region", "Left out"):
        summary.add_column(name, justify="right" if name in ("#", "Distance") else "left")
    for i, p in enumerate(result.peers, 1):
        distance = format_distance(p.distance) if p.distance is not None else "–"
        summary.add_row(str(i), p.name, p.geoid, distance, "yes" if p.same_state else "",
                        "yes" if p.same_region else "", ", ".join(p.dropped))  # fmt: skip
    why = Table(title="Why these peers (z = peer minus place, in standard deviations)",
                title_justify="left")  # fmt: skip
    why.add_column("Characteristic")
    why.add_column(result.target.name, justify="right")
    for p in result.peers:
        why.add_column(p.name, justify="right")
    rows = result.peers[0].why if result.peers else ()
    for i, row in enumerate(rows):
        cells = [feature_value(row, row.target_value)]
        for p in result.peers:
            r = p.why[i]
            z = f" (z {r.z_difference:+.1f})" if r.z_difference is not None else ""
            cells.append(feature_value(r, r.peer_value) + z)
        why.add_row(row.label, *cells)
    notes = [Text(f"Method: {result.method.describe()}.", style="dim")]
    notes += [Text(n, style="dim") for n in result.notes]
    notes.append(Text(f"Share: ?{peer_set.to_query()}", style="dim"))
    return Group(summary, why, *notes)


def scope_standing(vc: VariableComparison, s: ScopeComparison) -> str:
    """Where the place stands in the scope, ties apart: 'tied with 80 of the other 86 ...'."""
    if s.rank is None or vc.target is None or vc.target.value is None:
        return ""
    value = format_value(vc.variable, vc.target.value)
    return rank_phrase(s.rank, level_of(vc.target.geoid), s.where, value)


def _scope_text(vc: VariableComparison, scope: str) -> str:
    s = vc.scope(scope)  # type: ignore[arg-type]
    if s is None or (s.median is None and s.context_median is None):
        return ""
    c = s.comparison
    verdict = untested_words(c) if c.verdict == "no_test" else c.verdict.replace("_", " ")
    if s.support.bears_claim and s.median is not None:
        median = f"{format_value(vc.variable, s.median)} ({s.n:,} values not Weak)"
    else:
        every = s.context_median if s.context_median is not None else s.median
        median = f"{format_value(vc.variable, every)} (all values, incl. Weak; no claim)"
    standing = scope_standing(vc, s)
    extra = f"; {standing}" if standing else ""
    return f"{s.phrase or verdict} {median}; {verdict}{extra}"


def comparisons_table(comparisons: tuple[VariableComparison, ...], place: str) -> Table:
    peer_set = comparisons[0].peer_set_name if comparisons else ""
    table = Table(title=f"{place} against its peers ({peer_set}), state and nation",
                  title_justify="left", expand=True)  # fmt: skip
    for name in ("Variable", "Year", "Value (95% CI, quality)", "Peers", "State", "Nation"):
        table.add_column(name)
    for vc in comparisons:
        t = vc.target
        if t is None or t.value is None:
            value = "no published value"
        else:
            ci = format_bounds(vc.variable, t.lb, t.ub)
            value = format_value(vc.variable, t.value, getattr(t, "value_text", None))
            value += f" ({ci}{', ' if ci else ''}{t.quality or 'no quality'})"
        peers = _scope_text(vc, "peers")
        table.add_row(vc.variable.label, str(vc.year or ""), value,
                      f"{peers}\n{vc.tally.text()}" if peers else vc.tally.text(),
                      _scope_text(vc, "state"), _scope_text(vc, "nation"))  # fmt: skip
    return table


def insights_text(report: InsightReport, limit: int = 3) -> Group:
    parts: list[Any] = [Text(f"Insights for {report.place_name}", style="bold"),
                        Text(f"Peer set: {report.peer_set_name}", style="dim")]  # fmt: skip
    for p in report.pillars:
        parts.append(Text(f"\n{p.pillar.label}", style="bold cyan"))
        for title, items in (("Strengths", p.strengths), ("Areas to explore", p.areas_to_explore),
                             ("Where the value sits (no test, no claim)", p.standings),
                             ("Too uncertain to say", p.too_uncertain)):  # fmt: skip
            if items:
                parts.append(Text(f"  {title}", style="bold"))
                parts += [Text(f"  • {i.sentence}") for i in items[:limit]]
    for title, items in (("Where outcomes differ between groups", report.disparities),
                         ("Changes over time", report.changes)):  # fmt: skip
        parts.append(Text(f"\n{title}", style="bold cyan"))
        parts += [Text(f"  • {i.sentence}") for i in items[: limit * 2]] or [Text("  none")]
    return Group(*parts)
