"""Chart specs (Altair builds Vega-Lite) and the one-sentence summaries that go with them.

A page with many charts does not repeat a full spec per chart: each chart *kind* gets one
template, built once with Altair over the named data sources ``values`` (the rows) and
``breaks`` (marks where a series changes source or method), with the number formats left
as the placeholders ``"@axis"`` and ``"@tip"`` and the chart's own frame as ``"@title"``
(the value axis title, with the unit) and ``"@domain"`` (the value axis range). A page
sends the templates of the kinds it uses, the formats of each unit (:func:`page_charts`),
compact rows per chart and each chart's :class:`Frame` as ``data-*`` attributes
(:meth:`Frame.attrs`). :func:`template` and :func:`chart_spec` fill them in Python
(documents, tests); the browser does the same in ``site.js``; documents draw the same
spec to SVG or PNG with vl-convert (:func:`render_svg`, :func:`render_png`), so page, PDF
and Word show one chart style.

Rows of a trend chart: ``{"s": series label, "x": year, "v": value, "lb", "ub", "q"}``.
Rows of a subgroup chart: ``{"g": group, "v", "lb", "ub", "q", "t": "Group"|"Total"}``.

Value axes are fitted to the data (:func:`value_domain`): the range of the values and
their intervals with some room, starting at zero only when the data come close to it, so
82% and 88% are not squeezed together. When the axis does not start at zero,
:meth:`Frame.axis_note` says so under the chart. A year with no value inside a series'
span (2020 for one-year survey data) breaks the line (:func:`gap_years`), and a change of
source or method recorded in the catalog (:class:`~upward.catalog.SeriesBreak`) is drawn
as a dashed rule with its label, its note printed under the chart.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import altair as alt

from upward.analysis.uncertainty import ObservationLike
from upward.catalog import WEAK, Metric, SeriesBreak, Variable
from upward.catalog.model import UNIT_SCALES
from upward.reports import strict_json
from upward.reports.numbers import format_ci, format_in_unit, format_number


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
PALETTE = ["#005ea2", "#c05600", "#2e7d32", "#7a4fb0", "#b0306f", "#00687d"]
"""Series colours: distinct hues, each at least 4.5:1 against white."""
DASHES = [[1, 0], [7, 3], [2, 2], [9, 3, 2, 3], [4, 4], [1, 3]]
"""Series dash patterns, so lines differ by more than colour."""
TOTAL_COLOR = "#565c65"
BREAK_COLOR = "#3d4551"
DOCUMENT_WIDTH = 560
"""Charts in documents are drawn at this width (pixels; about 15 cm at 96 dpi)."""
LABEL_CHARS = 38
"""Legend labels are wrapped into lines of about this many characters, never cut short."""
WRAP_LABEL = f"split(trim(replace(datum.label, /(.{{1,{LABEL_CHARS}}})(\\s+|$)/g, '$1\\n')), '\\n')"
"""A Vega expression that wraps a legend label into lines (an array of strings)."""


def slot(name: str) -> str:
    """A stand-in for a word of a chart template (a title, a number format), written in
    by :func:`filled`: the template is built by Altair once, for every variable at once."""
    return f"\x00{name}\x00"


def filled(template: str, words: Mapping[str, str]) -> str:
    """``template`` (JSON text, as :func:`strict_json.dumps` wrote it) with the string of
    each :func:`slot` of ``words`` replaced by its word: the JSON Altair writes for the word."""
    for name, word in words.items():
        stand_in = json.dumps(slot(name))
        assert stand_in in template, f"the template has no slot {name!r}"
        template = template.replace(stand_in, json.dumps(word))
    return template


def configure(chart: alt.TopLevelMixin, **legend: Any) -> alt.TopLevelMixin:
    """Our fonts, axes and a legend below the chart (``legend`` adds legend settings)."""
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, grid=True, gridColor="#dfe1e2")
        .configure_legend(orient="bottom", labelFontSize=12, labelLimit=0, **legend)
    )


AXIS_SLOT = '"@axis"'
TIP_SLOT = '"@tip"'
TITLE_SLOT = '"@title"'
DOMAIN_SLOT = '["@domain"]'


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
        .encode(x=alt.X("lb:Q", scale=value_scale()), x2="ub:Q")
        .transform_filter("isValid(datum.lb) && isValid(datum.ub)")
    )


def value_axis(fmt: str, **settings: Any) -> alt.Axis:
    """A value axis: its title (with the unit) and range are filled per chart."""
    return alt.Axis(format=fmt, title="@title", titleFontWeight="normal", **settings)


def value_scale() -> alt.Scale:
    """A value scale over the chart's own range (``"@domain"``), as :func:`value_domain` set it."""
    return alt.Scale(domain=["@domain"], zero=False, nice=False)


# -- the frame of a chart: value axis and years ----------------------------------------------


def axis_title(variable: Variable) -> list[str]:
    """The value axis title, with the unit: ['% of enrolled public school students'].

    Returned as lines (a Vega title can be an array) so that no title is cut short.
    """
    return list(_axis_title(variable.unit, variable.unit_detail))


@lru_cache(maxsize=256)
def _axis_title(unit: str, unit_detail: str) -> tuple[str, ...]:
    """:func:`axis_title` of a unit and its detail, worked out once for each (a profile
    draws about 45 charts, and the catalog has a few dozen units)."""
    detail = re.sub(r"\s*\([^)]*\)", "", unit_detail).strip()
    if unit == "share":
        text = (
            "% of " + detail.removeprefix("share of ")
            if detail.startswith("share of ")
            else f"% ({detail})"
        )
    elif unit == "dollars":
        text = detail.split(",")[0]
    elif detail.startswith("per "):
        text = f"Number {detail}"
    else:
        text = detail
    return tuple(wrap_words(text[:1].upper() + text[1:], LABEL_CHARS + 6))


def wrap_words(text: str, width: int) -> list[str]:
    """Text in lines of at most about ``width`` characters, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) cutting ``span`` in about eight."""
    raw = span / 8
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def value_domain(unit: str, numbers: Iterable[float | None]) -> tuple[float, float]:
    """The value axis range for these values (and interval ends): fitted, padded and round.

    The axis starts at zero only when the data come within half their own spread of it;
    it never passes the edges of the unit's scale (0% and 100% for shares).
    """
    found = [n for n in numbers if n is not None and math.isfinite(n)]
    if not found:
        return (0.0, 1.0)
    low, high = min(found), max(found)
    spread = high - low or abs(high) * 0.2 or 1.0
    low, high = low - spread * 0.15, high + spread * 0.15
    floor, ceiling = UNIT_SCALES[unit]  # type: ignore[index]
    if floor is not None:
        low = max(low, floor)
        if 0 < low - floor < spread * 0.5:
            low = floor
    if ceiling is not None:
        high = min(high, ceiling)
    step = _nice_step(high - low)
    low, high = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    return (round(low, 10), round(high, 10))


def gap_years(grid: Sequence[int], published: Iterable[int]) -> tuple[int, ...]:
    """Years inside a series' span that have no value, where its line must break.

    ``grid``: the years the metric is published in for this kind of place. Where the grid
    is yearly, a calendar year missing from it (2020 for one-year survey data) is a gap
    too; where it is every few years (five-year survey windows), only a grid year without
    a value is.
    """
    have = sorted(set(published))
    if len(have) < 2:
        return ()
    steps = sorted(b - a for a, b in itertools.pairwise(grid))
    yearly = bool(steps) and steps[len(steps) // 2] == 1
    inside = range(have[0] + 1, have[-1]) if yearly else [y for y in grid if have[0] < y < have[-1]]
    return tuple(y for y in inside if y not in have)


@dataclass(frozen=True)
class Frame:
    """How one chart's value axis and years are drawn, computed once for page and documents."""

    title: tuple[str, ...]
    """The value axis title, with the unit, in lines."""
    domain: tuple[float, float]
    unit: str
    gaps: tuple[int, ...] = ()
    """Years without a value inside the series' span: the lines break there."""
    breaks: tuple[SeriesBreak, ...] = ()
    """Changes of source, method, window or boundaries inside the series' span."""
    marks: tuple[tuple[float, str], ...] = ()
    """Where each break is drawn on the year axis (between two published years), and its label."""

    @property
    def breaks_at(self) -> tuple[float, ...]:
        """Where the lines break: each gap year and each break mark (between two years)."""
        return tuple(sorted((*self.gaps, *(x for x, _ in self.marks))))

    @property
    def from_zero(self) -> bool:
        return self.domain[0] <= 0

    def axis_note(self) -> str:
        """A sentence when the value axis does not start at zero, else empty."""
        if self.from_zero:
            return ""
        start = format_in_unit(self.unit, self.domain[0])
        return f"The value axis starts at {start}, not at zero, to show the differences."

    def notes(self) -> tuple[str, ...]:
        """What to print under the chart: each break's note, then the axis note."""
        found = [b.sentence for b in self.breaks]
        note = self.axis_note()
        if note:
            found.append(note)
        return tuple(found)

    def break_rows(self) -> list[dict[str, Any]]:
        return [{"x": x, "label": label} for x, label in self.marks]

    def attrs(self) -> dict[str, str]:
        """The ``data-*`` attributes a page's chart canvas carries (``site.js`` reads them)."""
        found = {
            "data-axis-title": _title_json(self.title),
            "data-domain": _pair_json(self.domain),
        }
        if self.gaps:
            found["data-gaps"] = json.dumps(list(self.gaps))
        if self.marks:
            found["data-breaks"] = json.dumps(self.break_rows())
        return found


@lru_cache(maxsize=256)
def _title_json(title: tuple[str, ...]) -> str:
    """A value axis title as JSON, worked out once per title (a unit has one title, and a
    profile draws about 45 charts in a few units)."""
    return json.dumps(list(title))


def _pair_json(pair: tuple[float, float]) -> str:
    """``json.dumps(list(pair))`` of a value axis range: for two Python floats or ints
    (what :func:`value_domain` returns) each is written as its ``repr``, as JSON does."""
    low, high = pair
    if type(low) in (float, int) and type(high) in (float, int) and math.isfinite(low + high):
        return f"[{low!r}, {high!r}]"
    return json.dumps(list(pair))


def trend_frame(
    variable: Variable,
    grid: Sequence[int],
    years: Iterable[int],
    numbers: Iterable[float | None],
    breaks: Sequence[SeriesBreak] = (),
) -> Frame:
    """The frame of a trend chart: ``years`` with a value, every value and interval end."""
    have = sorted(set(years))
    inside = [b for b in breaks if have and have[0] < b.year <= have[-1]]
    marks = []
    for b in inside:
        before = max((y for y in have if y < b.year), default=b.year - 1)
        marks.append(((before + b.year) / 2, b.label))
    return Frame(
        title=_axis_title(variable.unit, variable.unit_detail),
        domain=value_domain(variable.unit, numbers),
        unit=variable.unit,
        gaps=gap_years(grid, have),
        breaks=tuple(inside),
        marks=tuple(marks),
    )


def value_frame(variable: Variable, numbers: Iterable[float | None]) -> Frame:
    """The frame of a chart of values side by side (groups, peers): its axis only."""
    title = _axis_title(variable.unit, variable.unit_detail)
    return Frame(title, value_domain(variable.unit, numbers), variable.unit)


def with_gaps(rows: Sequence[Mapping[str, Any]], gaps: Iterable[float]) -> list[dict[str, Any]]:
    """Trend rows with a row without value at each gap of each series, where the line breaks
    (a year without a value, or a break of method or source between two years)."""
    found = [dict(r) for r in rows]
    series = list(dict.fromkeys(r["s"] for r in rows))
    found += [{"s": s, "x": year, "v": None} for s in series for year in gaps]
    return sorted(found, key=lambda r: (series.index(r["s"]), r["x"]))


# -- templates -------------------------------------------------------------------------------


def fill_formats(template_text: str, unit: str, frame: Frame | None = None) -> dict[str, Any]:
    """A template's JSON with the unit's number formats (and the frame) put in its slots."""
    text = template_text.replace(AXIS_SLOT, json.dumps(AXIS_FORMAT[unit]))
    text = text.replace(TIP_SLOT, json.dumps(TIP_FORMAT[unit]))
    if frame is not None:
        text = text.replace(TITLE_SLOT, json.dumps(list(frame.title)))
        text = text.replace(DOMAIN_SLOT, json.dumps(list(frame.domain)))
    return dict(json.loads(text))


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
        chart = configure(_trend_chart(), titleFontSize=12, symbolType="stroke",
                          symbolStrokeWidth=3, symbolSize=400)  # fmt: skip
    elif kind == SUBGROUP:
        chart = configure(_subgroup_chart(), titleFontSize=12)
    else:
        raise ValueError(f"Unknown chart kind {kind!r}; expected {TREND!r} or {SUBGROUP!r}.")
    return strict_json.dumps(chart.to_dict(), separators=(",", ":"))


def template(kind: str, unit: str, frame: Frame | None = None) -> dict[str, Any]:
    """The Vega-Lite spec for a chart kind and unit, without data (data source 'values')."""
    if unit not in AXIS_FORMAT:
        raise ValueError(f"Unknown unit {unit!r}; expected one of {', '.join(AXIS_FORMAT)}.")
    return fill_formats(kind_template_json(kind), unit, frame)


def page_charts(keys: Iterable[tuple[str, str]]) -> str:
    """What a page needs to draw its charts: the kinds' templates and the units' formats.

    ``keys`` are the (kind, unit) pairs of the page's charts. The result is JSON (safe to
    put inside a ``<script type="application/json">`` element).
    """
    pairs = set(keys)
    kinds = sorted({kind for kind, _ in pairs})
    units = sorted({unit for _, unit in pairs})
    return page_json({kind: kind_template_json(kind) for kind in kinds}, units)


def with_data(
    spec: dict[str, Any], rows: Sequence[Mapping[str, Any]], frame: Frame | None
) -> dict[str, Any]:
    """A filled template with its rows (and break marks) as the named data sets it reads."""
    values = [dict(row) for row in rows]
    if frame is not None and frame.breaks_at:
        values = with_gaps(values, frame.breaks_at)
    spec["datasets"] = {"values": values, "breaks": frame.break_rows() if frame else []}
    return spec


def chart_spec(
    kind: str, unit: str, rows: Sequence[Mapping[str, Any]], frame: Frame | None = None
) -> dict[str, Any]:
    """A complete spec: the template, filled with the frame, with its rows inlined."""
    frame = frame or _fallback_frame(unit, rows)
    spec = with_data(copy.deepcopy(template(kind, unit, frame)), rows, frame)
    if kind == TREND and len({r.get("s") for r in rows}) < 2:
        drop_legends(spec)
    return spec


def _fallback_frame(unit: str, rows: Sequence[Mapping[str, Any]]) -> Frame:
    numbers = [r.get(k) for r in rows for k in ("v", "lb", "ub")]
    return Frame(("Value",), value_domain(unit, numbers), unit)


def drop_legends(spec: dict[str, Any]) -> None:
    """No legend for a chart of one series (as ``site.js`` does)."""
    for layer in spec.get("layer", []):
        for channel in ("color", "strokeDash"):
            if channel in layer.get("encoding", {}):
                layer["encoding"][channel]["legend"] = None


def sized(spec: Mapping[str, Any], width: int = DOCUMENT_WIDTH) -> dict[str, Any]:
    """A spec drawn at a fixed width (documents have no container to fill)."""
    fixed = copy.deepcopy(dict(spec))
    fixed["width"] = width
    fixed["autosize"] = {"type": "fit-x", "contains": "padding"}
    return fixed


def render_svg(spec: Mapping[str, Any], width: int = DOCUMENT_WIDTH) -> str:
    """The chart as SVG text, drawn by vl-convert (for the PDF)."""
    import vl_convert as vlc

    return str(vlc.vegalite_to_svg(sized(spec, width)))


def render_png(spec: Mapping[str, Any], width: int = DOCUMENT_WIDTH, scale: float = 2) -> bytes:
    """The chart as PNG bytes, drawn by vl-convert (for Word, which does not read SVG)."""
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(sized(spec, width), scale=scale))


# -- charts in documents ---------------------------------------------------------------------


def plotted_variables(metric: Metric) -> tuple[Variable, ...]:
    """The variables a metric's trend chart draws: those in the headline's unit."""
    return tuple(v for v in metric.variables if v.unit == metric.headline.unit)


def series_label(variable: Variable, plotted: Sequence[Variable]) -> str:
    """A line's name in the legend: the variable's label, or "Value" when it is alone."""
    return variable.label if len(plotted) > 1 else "Value"


@dataclass(frozen=True)
class DocumentChart:
    """A chart for a document: its spec (the page's template, filled) and its words."""

    title: str
    summary: str
    notes: tuple[str, ...]
    spec: Mapping[str, Any]
    axis: tuple[str, ...] = ()
    """The value axis title (drawn in the chart, with the unit), in lines."""

    def svg(self) -> str:
        return render_svg(self.spec)

    def png(self) -> bytes:
        return render_png(self.spec)


def trend_chart(
    metric: Metric, geo_level: str, cells: Iterable[ObservationLike], title: str
) -> DocumentChart | None:
    """A place's trend chart of a metric from its overall cells (all years), as the profile
    page draws it; None when fewer than two years of its headline are published."""
    plotted = plotted_variables(metric)
    names = {v.name: v for v in plotted}
    found = sorted((c for c in cells if c.variable in names), key=lambda c: c.year)
    rows = [
        {"s": series_label(names[c.variable], plotted), "x": c.year, "v": c.value,
         "lb": c.lb, "ub": c.ub, "q": c.quality}
        for c in found
    ]  # fmt: skip
    headline = metric.headline
    points = [
        (c.year, Point(headline.label, c.value, c.lb, c.ub, c.quality))
        for c in found
        if c.variable == headline.name and c.value is not None
    ]
    if len(points) < 2:
        return None  # one year is no trend
    frame = trend_frame(
        headline,
        metric.years.get(geo_level, ()),  # type: ignore[call-overload]
        [c.year for c in found if c.value is not None],
        [n for c in found for n in (c.value, c.lb, c.ub)],
        metric.breaks_for(geo_level),
    )
    summary = describe_trend(headline, points)
    if len(plotted) > 1:
        summary = f"{headline.label}: {summary[0].lower()}{summary[1:]}"
    spec = chart_spec(TREND, headline.unit, rows, frame)
    return DocumentChart(title, summary, frame.notes(), spec, frame.title)


def _trend_chart() -> alt.TopLevelMixin:
    fmt, tip = "@axis", "@tip"
    legend = alt.Legend(direction="vertical", labelExpr=WRAP_LABEL)
    base = alt.Chart(alt.Data(name="values")).encode(
        x=alt.X("x:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.Color("s:N", title=None, scale=alt.Scale(range=PALETTE), legend=legend),
        strokeDash=alt.StrokeDash("s:N", title=None, scale=alt.Scale(range=DASHES), legend=legend),
    )
    tooltip = [
        alt.Tooltip("s:N", title="Series"),
        alt.Tooltip("x:Q", title="Year", format="d"),
        *value_tooltips(tip),
    ]
    y = alt.Y(
        "v:Q",
        axis=value_axis(fmt, titleAngle=0, titleAlign="left", titleBaseline="bottom",
                        titleX=0, titleY=-10),
        scale=value_scale(),
    )  # fmt: skip
    band = (
        alt.Chart(alt.Data(name="values"))
        .mark_area(opacity=0.15, aria=False, invalid="break-paths-show-domains")
        .encode(
            x="x:Q",
            y=alt.Y("lb:Q", scale=value_scale()),
            y2="ub:Q",
            fill=alt.Fill("s:N", scale=alt.Scale(range=PALETTE), legend=None),
        )
    )
    line = base.mark_line(
        point=alt.OverlayMarkDef(size=40, filled=True, aria=False),
        aria=False,
        strokeWidth=2,
        invalid="break-paths-show-domains",
    ).encode(y=y, tooltip=tooltip)
    breaks = alt.Chart(alt.Data(name="breaks"))
    rule = breaks.mark_rule(strokeDash=[5, 3], color=BREAK_COLOR, aria=False).encode(x="x:Q")
    label = breaks.mark_text(
        align="left", baseline="top", dx=4, y=2, fontSize=11, color=BREAK_COLOR, aria=False
    ).encode(x="x:Q", text="label:N")
    return alt.layer(band, line, rule, label).properties(width="container", height=200)


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
    x = alt.X("v:Q", axis=value_axis(fmt), scale=value_scale())
    bars = ci_rules(base)
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
