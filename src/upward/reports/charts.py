"""Chart specs (Altair builds Vega-Lite) and the one-sentence summaries that go with them.

A page with many charts does not repeat a full spec per chart: each chart *kind* gets one
template, built once with Altair over a named data source ``values``, with the number
formats left as the placeholders ``"@axis"`` and ``"@tip"``. A page sends the templates of
the kinds it uses, the formats of each unit (:func:`page_charts`) and compact rows per
chart. :func:`template` and :func:`chart_spec` fill them in Python (documents, tests); the
browser does the same in ``site.js``.

Rows of a trend chart: ``{"s": series label, "x": year, "v": value, "lb", "ub", "q"}``.
Rows of a subgroup chart: ``{"g": group, "v", "lb", "ub", "q", "t": "Group"|"Total"}``.

Value axes start at zero, so a small change or gap is drawn as small; the sentence under
each chart gives the numbers.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import altair as alt

from upward.catalog import WEAK, Variable
from upward.reports import strict_json
from upward.reports.numbers import format_ci, format_number


class ChartKind(StrEnum):
    """The kinds of chart a page draws (each has one template, filled per unit)."""

    TREND = "trend"
    SUBGROUP = "subgroup"


TREND = ChartKind.TREND
SUBGROUP = ChartKind.SUBGROUP
AXIS_FORMAT = {
    "share": ".1~%",
    "dollars": "$,.0f",
    "rate": ",.3~f",
    "ratio": ",.2~f",
    "index": ",.0f",
    "count": ",.0f",
}
TIP_FORMAT = {
    "share": ".1%",
    "dollars": "$,.0f",
    "rate": ",.2f",
    "ratio": ",.2f",
    "index": ",.0f",
    "count": ",.0f",
}
FONT = "Source Sans Pro Web, Helvetica Neue, Helvetica, Roboto, Arial, sans-serif"
PALETTE = ["#005ea2", "#c05600", "#538200", "#8168b3", "#1a4480", "#936f38"]
TOTAL_COLOR = "#565c65"


def configure(chart: alt.TopLevelMixin, **legend: Any) -> alt.TopLevelMixin:
    """Our fonts, axes and a legend below the chart (``legend`` adds legend settings)."""
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, grid=True, gridColor="#dfe1e2")
        .configure_legend(orient="bottom", labelFontSize=12, **legend)
    )


AXIS_SLOT = '"@axis"'
TIP_SLOT = '"@tip"'


def value_tooltips(tip: str) -> list[alt.Tooltip]:
    """Tooltips for a value, its 95% CI and its quality (fields v, lb, ub, q)."""
    return [
        alt.Tooltip("v:Q", title="Value", format=tip),
        alt.Tooltip("lb:Q", title="95% CI low", format=tip),
        alt.Tooltip("ub:Q", title="95% CI high", format=tip),
        alt.Tooltip("q:N", title="Quality"),
    ]


def ci_rules(base: alt.Chart) -> alt.Chart:
    """A horizontal rule from each row's lb to its ub, where both are published."""
    return (
        base.mark_rule(strokeWidth=2, aria=False)
        .encode(x="lb:Q", x2="ub:Q")
        .transform_filter("isValid(datum.lb) && isValid(datum.ub)")
    )


def fill_formats(template_text: str, unit: str) -> dict[str, Any]:
    """A template's JSON with the unit's number formats put in its placeholders."""
    text = template_text.replace(AXIS_SLOT, json.dumps(AXIS_FORMAT[unit]))
    return dict(json.loads(text.replace(TIP_SLOT, json.dumps(TIP_FORMAT[unit]))))


def page_json(templates: Mapping[str, str], units: Iterable[str]) -> str:
    """The templates (kind -> JSON) and the units' formats, as JSON safe in a <script>."""
    body = ",".join(f'"{kind}":{text}' for kind, text in templates.items())
    formats = {unit: [AXIS_FORMAT[unit], TIP_FORMAT[unit]] for unit in units}
    text = f'{{"templates":{{{body}}},"formats":{json.dumps(formats, separators=(",", ":"))}}}'
    return text.replace("</", "<\\/")


@lru_cache(maxsize=8)
def kind_template_json(kind: str) -> str:
    """The template of a chart kind as compact JSON, formats left as placeholders."""
    if kind == TREND:
        chart = _trend_chart()
    elif kind == SUBGROUP:
        chart = _subgroup_chart()
    else:
        raise ValueError(f"Unknown chart kind {kind!r}; expected {TREND!r} or {SUBGROUP!r}.")
    return strict_json.dumps(configure(chart, titleFontSize=12).to_dict(), separators=(",", ":"))


def template(kind: str, unit: str) -> dict[str, Any]:
    """The Vega-Lite spec for a chart kind and unit, without data (data source 'values')."""
    if unit not in AXIS_FORMAT:
        raise ValueError(f"Unknown unit {unit!r}; expected one of {', '.join(AXIS_FORMAT)}.")
    return fill_formats(kind_template_json(kind), unit)


def page_charts(keys: Iterable[tuple[str, str]]) -> str:
    """What a page needs to draw its charts: the kinds' templates and the units' formats.

    ``keys`` are the (kind, unit) pairs of the page's charts. The result is JSON (safe to
    put inside a ``<script type="application/json">`` element).
    """
    pairs = set(keys)
    kinds = sorted({kind for kind, _ in pairs})
    units = sorted({unit for _, unit in pairs})
    return page_json({kind: kind_template_json(kind) for kind in kinds}, units)


def chart_spec(kind: str, unit: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A complete spec: the template with its rows inlined."""
    spec = copy.deepcopy(template(kind, unit))
    spec["data"] = {"values": [dict(row) for row in rows]}
    return spec


def _trend_chart() -> alt.TopLevelMixin:
    fmt, tip = "@axis", "@tip"
    base = alt.Chart(alt.Data(name="values")).encode(
        x=alt.X("x:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.Color(
            "s:N",
            title=None,
            scale=alt.Scale(range=PALETTE),
            legend=alt.Legend(direction="vertical", labelLimit=280),
        ),
    )
    tooltip = [
        alt.Tooltip("s:N", title="Series"),
        alt.Tooltip("x:Q", title="Year", format="d"),
        *value_tooltips(tip),
    ]
    band = (
        base.mark_area(opacity=0.18, aria=False)
        .encode(y="lb:Q", y2="ub:Q")
        .transform_filter("isValid(datum.lb) && isValid(datum.ub)")
    )
    line = base.mark_line(
        point=alt.OverlayMarkDef(size=40, filled=True, aria=False), aria=False
    ).encode(
        y=alt.Y("v:Q", title=None, axis=alt.Axis(format=fmt), scale=alt.Scale(zero=True)),
        tooltip=tooltip,
    )
    return alt.layer(band, line).properties(width="container", height=200)


def _subgroup_chart() -> alt.TopLevelMixin:
    fmt, tip = "@axis", "@tip"
    base = alt.Chart(alt.Data(name="values")).encode(
        y=alt.Y("g:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)),
        color=alt.Color(
            "t:N",
            title=None,
            scale=alt.Scale(domain=["Group", "Total"], range=[PALETTE[0], TOTAL_COLOR]),
            legend=alt.Legend(
                values=["Group", "Total"], labelExpr=_LEGEND_LABELS, direction="vertical"
            ),
        ),
    )
    tooltip = [
        alt.Tooltip("g:N", title="Group"),
        *value_tooltips(tip),
    ]
    bars = ci_rules(base)
    x = alt.X("v:Q", title=None, axis=alt.Axis(format=fmt), scale=alt.Scale(zero=True))
    solid = (
        base.mark_point(filled=True, size=90, aria=False)
        .encode(x=x, tooltip=tooltip)
        .transform_filter(f"datum.q !== '{WEAK}'")
    )
    hollow = (
        base.mark_point(filled=False, size=90, strokeWidth=2, aria=False)
        .encode(x=x, tooltip=tooltip)
        .transform_filter(f"datum.q === '{WEAK}'")
    )
    return alt.layer(bars, solid, hollow).properties(width="container", height={"step": 34})


_LEGEND_LABELS = (
    "datum.label === 'Total' ? 'Total for this breakdown' : 'Group (hollow = Weak quality)'"
)


# -- summaries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One value of a chart, in the variable's unit."""

    label: str
    value: float
    lb: float | None = None
    ub: float | None = None
    quality: str | None = None


def _with_ci(variable: Variable, point: Point) -> str:
    text = format_number(variable, point.value)
    ci = format_ci(variable, point.lb, point.ub)
    return f"{text} ({ci})" if ci else text


def describe_trend(variable: Variable, points: Sequence[tuple[int, Point]]) -> str:
    """One neutral sentence about a series: its range over the years and its latest value."""
    if not points:
        return f"No value of {variable.label.lower()} is published for this place."
    ordered = sorted(points, key=lambda item: item[0])
    first, last = ordered[0][0], ordered[-1]
    if len(ordered) == 1:
        return f"Published for {first} only: {_with_ci(variable, last[1])}."
    values = [p.value for _, p in ordered]
    low, high = format_number(variable, min(values)), format_number(variable, max(values))
    return (
        f"From {first} to {last[0]}, across {len(ordered)} published years, the value ranged "
        f"from {low} to {high}; the {last[0]} value is {_with_ci(variable, last[1])}."
    )


def describe_subgroups(
    variable: Variable, year: int, breakdown: str, groups: Sequence[Point], total: Point | None
) -> str:
    """One neutral sentence about a breakdown: lowest and highest group, and the total."""
    if not groups:
        return f"No group values are published for {breakdown.lower()} in {year}."
    low = min(groups, key=lambda p: p.value)
    high = max(groups, key=lambda p: p.value)
    if len(groups) == 1:
        text = f"In {year}, only {low.label} has a published value: {_with_ci(variable, low)}"
    else:
        text = (
            f"In {year}, values by {breakdown.lower()} range from "
            f"{format_number(variable, low.value)} ({low.label}) to "
            f"{format_number(variable, high.value)} ({high.label})"
        )
    if total is not None:
        text += f"; the total for this breakdown is {_with_ci(variable, total)}"
    weak = sum(1 for p in groups if p.quality == WEAK)
    if weak:
        text += f". {weak} of {len(groups)} group values are Weak and too uncertain to compare"
    return text + "."
