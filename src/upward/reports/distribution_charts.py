"""Charts of a metric's national distribution (Altair builds Vega-Lite) and their summaries.

``histogram_spec``  bars of how many places fall in each range, national median marked
``describe_distribution`` the one-sentence summary that goes with it (and the map,
                    :mod:`upward.reports.county_map`)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import altair as alt

from upward.catalog import Variable, get_catalog
from upward.data.distribution import Bin, Selection, Summary
from upward.reports import strict_json
from upward.reports.charts import AXIS_FORMAT, FONT, filled, slot
from upward.reports.numbers import format_number

BAR_COLOR = "#005ea2"
MEDIAN_COLOR = "#1b1b1b"


def _configure(chart: alt.TopLevelMixin) -> dict[str, Any]:
    # The page labels each chart's SVG as one image (its summary sentence) and shows a
    # data table beside it, so marks, axes and legends carry no ARIA of their own.
    configured = (
        chart.configure(font=FONT, aria=False)
        .configure_mark(aria=False)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, gridColor="#dfe1e2", aria=False)
        .configure_legend(labelFontSize=12, titleFontSize=12, labelLimit=320, aria=False)
    )
    return dict(configured.to_dict())


def bin_label(variable: Variable, item: Bin) -> str:
    start, end = format_number(variable, item.start), format_number(variable, item.end)
    if item.open_start:
        return f"below {end}"
    if item.open_end:
        return f"{start} and above"
    return f"{start} to under {end}"


@lru_cache(maxsize=128)
def _histogram_template(variable_name: str, level_plural: str) -> str:
    variable = get_catalog().variable(variable_name)
    words = {"label": variable.label, "format": AXIS_FORMAT[variable.unit]}
    return filled(_histogram_frame(level_plural), words)


@lru_cache(maxsize=16)
def _histogram_frame(level_plural: str) -> str:
    """The histogram of any variable: its label and number format are slots."""
    plural = level_plural.capitalize()
    bars = (
        alt.Chart(alt.NamedData(name="bins"))
        .mark_rect(color=BAR_COLOR, stroke="#ffffff", strokeWidth=1)
        .encode(
            x=alt.X(
                "start:Q",
                title=slot("label"),
                axis=alt.Axis(format=slot("format"), labelOverlap=True),
                scale=alt.Scale(zero=False, nice=False),
            ),
            x2="end:Q",
            y=alt.Y("count:Q", title=plural),
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("range:N", title="Range"),
                alt.Tooltip("count:Q", title=plural),
            ],
        )
    )
    marker = alt.Chart(alt.NamedData(name="median"))
    rule = marker.mark_rule(color=MEDIAN_COLOR, strokeDash=[5, 3], size=2).encode(
        x="median:Q", tooltip=alt.Tooltip("label:N", title="Median")
    )
    text = marker.mark_text(align="left", dx=4, dy=-4, baseline="bottom", fontSize=12).encode(
        x="median:Q", y=alt.value(0), text="label:N"
    )
    chart = alt.layer(bars, rule, text).properties(width="container", height=240)
    return strict_json.dumps(_configure(chart))


def histogram_spec(
    selection: Selection, bins: Sequence[Bin], median: float | None, description: str
) -> dict[str, Any]:
    """Bars of places per range with the national median marked (data inlined)."""
    variable = selection.variable
    spec = dict(json.loads(_histogram_template(variable.name, selection.level_plural)))
    marker = []
    if median is not None:
        label = f"National median {format_number(variable, median)}"
        marker.append({"median": median, "label": label})
    spec["datasets"] = {
        "bins": [
            {"start": b.start, "end": b.end, "count": b.count, "range": bin_label(variable, b)}
            for b in bins
        ],
        "median": marker,
    }
    spec["description"] = description
    return spec


def describe_distribution(selection: Selection, summary: Summary) -> str:
    """One sentence: the national median and middle half, with the year and the count."""
    variable = selection.variable
    spread = summary.national
    if selection.year is None:
        return f"The loaded data hold no {selection.level_word} values of {variable.label.lower()}."
    if spread is None:
        return (
            f"No {selection.level_word} has a published value of {variable.label.lower()} "
            f"in {selection.year}."
        )
    plural = selection.level_plural
    return (
        f"In {selection.year}, the median of {variable.label.lower()} among the {spread.n:,} "
        f"{plural} with a value was {format_number(variable, spread.median)}, and the middle "
        f"half of {plural} lay between {format_number(variable, spread.p25)} and "
        f"{format_number(variable, spread.p75)}."
    )


def describe_coverage(selection: Selection, summary: Summary) -> str:
    """One sentence on what is missing and how much is Weak ('' when nothing is)."""
    coverage = summary.coverage
    plural = selection.level_plural
    parts = []
    without = coverage.rows - coverage.with_value
    if without:
        parts.append(f"{without:,} of {coverage.rows:,} {plural} have no published value")
    if coverage.weak:
        parts.append(f"{coverage.weak:,} values are rated Weak (treat them as rough signals only)")
    return " and ".join(parts) + "." if parts else ""
