"""The peer chart: a place and its peers as dots with 95% CI bars, the place highlighted.

Built with Altair like :mod:`upward.reports.charts` and sent to the page the same way: one
template for the kind ``peers`` over the named data source ``values``, number formats left
as ``"@axis"`` and ``"@tip"``, the value axis (title with its unit, a range fitted to the
values with room, :func:`upward.reports.charts.value_frame`) as ``"@title"`` and
``["@domain"]``, and rows read in the browser from each chart's data table (``site.js``).
Rows: ``{"g": place name, "t": "This place"|"Peer", "v", "lb", "ub", "q"}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import altair as alt

from upward.catalog import WEAK, Variable
from upward.reports import strict_json
from upward.reports.charts import (
    AXIS_FORMAT,
    PALETTE,
    Frame,
    ci_rules,
    configure,
    fill_formats,
    page_json,
    value_axis,
    value_scale,
    value_tooltips,
    with_data,
)
from upward.reports.numbers import format_number

PEERS = "peers"
PLACE = "This place"
PEER = "Peer"
PEER_COLOR = "#565c65"


def _chart() -> alt.TopLevelMixin:
    fmt, tip = "@axis", "@tip"
    base = alt.Chart(alt.Data(name="values")).encode(
        y=alt.Y("g:N", title=None, sort=None, axis=alt.Axis(labelLimit=200)),
        color=alt.Color(
            "t:N",
            title=None,
            scale=alt.Scale(domain=[PLACE, PEER], range=[PALETTE[0], PEER_COLOR]),
            legend=alt.Legend(values=[PLACE, PEER], labelExpr=_LEGEND_LABELS, labelLimit=400),
        ),
    )
    tooltip = [
        alt.Tooltip("g:N", title="Place"),
        *value_tooltips(tip),
    ]
    bars = ci_rules(base)
    x = alt.X("v:Q", axis=value_axis(fmt, tickCount=6), scale=value_scale())
    size = alt.Size("t:N", scale=alt.Scale(domain=[PLACE, PEER], range=[160, 80]), legend=None)
    solid = (
        base.mark_point(filled=True, aria=False)
        .encode(x=x, size=size, shape=alt.value("circle"), tooltip=tooltip)
        .transform_filter(f"isValid(datum.v) && datum.q !== '{WEAK}'")
    )
    hollow = (
        base.mark_point(filled=False, strokeWidth=2, aria=False)
        .encode(x=x, size=size, tooltip=tooltip)
        .transform_filter(f"isValid(datum.v) && datum.q === '{WEAK}'")
    )
    layered = alt.layer(bars, solid, hollow).properties(width="container", height={"step": 30})
    return configure(layered)


_LEGEND_LABELS = f"datum.label === '{PLACE}' ? 'This place' : 'Peer (hollow: rated Weak)'"


@lru_cache(maxsize=1)
def template_json() -> str:
    return strict_json.dumps(_chart().to_dict(), separators=(",", ":"))


def page_charts(units: Iterable[str]) -> str:
    """The chart data a page needs (``site.js`` format): the template and each unit's formats."""
    known = [u for u in sorted(set(units)) if u in AXIS_FORMAT]
    return page_json({PEERS: template_json()}, known)


def chart_spec(unit: str, rows: Sequence[Mapping[str, Any]], frame: Frame) -> dict[str, Any]:
    """A complete spec with its rows inlined (documents and tests)."""
    return with_data(fill_formats(template_json(), unit, frame), rows, frame)


def describe_peers(
    variable: Variable,
    year: int | None,
    place: str,
    value: float | None,
    peer_values: Sequence[float],
    median: float | None,
    tested: bool = True,
) -> str:
    """One neutral sentence: where the place's value sits among its peers' values."""
    label = variable.label.lower()
    if value is None:
        return f"{place} has no published value of {label} to place among its peers."
    if not peer_values or median is None:
        return (f"{place}: {format_number(variable, value)} in {year}; no peer has a usable "
                "value for the same year.")  # fmt: skip
    test = (
        "The table below says which differences a test at the 95% level supports."
        if tested
        else "No confidence interval is published, so no difference is tested."
    )
    return (
        f"In {year} the value for {place} is {format_number(variable, value)}; the "
        f"{len(peer_values)} peers with a usable value range from "
        f"{format_number(variable, min(peer_values))} to "
        f"{format_number(variable, max(peer_values))}, with a median of "
        f"{format_number(variable, median)}. {test}"
    )
