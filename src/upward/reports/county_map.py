"""The county map of a metric: its colour scale, its legend and its Vega-Lite template.

One map serves the nation (the metric page) and one state (the state page): the template
takes its values from a named data source ``values`` (rows ``{"g": geoid, "v": value,
"q": "Strong"|"Marginal"|"Weak"|"Not rated"}``, which the page fills from the metric's
``map.json``) and five parameters the page may set or change while it shows the map:

``focus_state``  '' for the nation, or a 2-digit state FIPS code: only that state's
                 counties are drawn, and the projection fits them (zoom to a state)
``highlight``    a county's 5-digit FIPS code, outlined on top ('' for none)
``hide_weak``    true draws Weak estimates without their colour (hatched on white)
``lo``, ``hi``   the ends of the colour scale (values beyond them take the end colours)

How it reads, everywhere: **darker always means a higher value**, whatever the metric's
direction; the legend says in words which end is better ("for this measure lower is
better"), or that neither is (context metrics, drawn in a neutral purple rather than the
scale used for measures with a better end). Quality is a separate mark, never a fading of
the colour: Weak estimates are hatched over their colour (``WEAK_PATTERN``, an SVG pattern
the page defines), so a pooled state value keeps its true shade.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import altair as alt

from upward.catalog import WEAK, Variable, get_catalog
from upward.data.distribution import Bin, Selection
from upward.reports import strict_json
from upward.reports.charts import FONT, TIP_FORMAT, filled, slot
from upward.reports.numbers import format_number

#: Measures with a better end: light yellow to dark blue (ColorBrewer YlGnBu).
RAMP = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
#: Context measures (neither end is better): one neutral hue, light to dark purple.
NEUTRAL_RAMP = ("#f2f0f7", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486")
NO_ESTIMATE_COLOR = "#71767a"
HIDDEN_COLOR = "#ffffff"
EDGE_COLOR = "#ffffff"
FOUND_COLOR = "#1b1b1b"
#: The id of the SVG pattern (diagonal hatching) the page defines for Weak estimates.
WEAK_PATTERN = "upward-hatch"

PARAMS = ("focus_state", "highlight", "hide_weak", "lo", "hi")
_IN_VIEW = "(focus_state == '' || substring(datum.id, 0, 2) == focus_state)"
_WEAK = f"datum.q == '{WEAK}'"


@dataclass(frozen=True)
class MapSymbol:
    """One entry of the map's key: how a kind of county is drawn, and what it means."""

    key: str
    """'valued', 'weak', 'hidden', 'missing' or 'found': the swatch the page draws."""
    label: str
    meaning: str


@dataclass(frozen=True)
class MapScale:
    """The colour scale of one variable's map, and its legend in words."""

    ramp: tuple[str, ...]
    """Colours from the lowest value to the highest (light to dark)."""
    neutral: bool
    """True for a context measure: a neutral hue, and no end is called better."""
    low: float
    high: float
    low_label: str
    high_label: str
    darker: str
    """'Darker means a higher value of this measure: ...': the same reading on every map."""
    reading: str
    """Which end is better for this measure, or that neither is."""

    @property
    def stops(self) -> list[tuple[str, str]]:
        """(offset, colour) for a gradient swatch of the ramp: '0%', '16.7%', ... '100%'."""
        last = len(self.ramp) - 1
        return [(f"{100 * i / last:.1f}%", colour) for i, colour in enumerate(self.ramp)]


READING = {
    "higher_better": "For this measure, higher values are better.",
    "lower_better": "For this measure, lower values are better.",
    "context": "This measure describes context: neither a higher nor a lower value is "
    "better in itself.",
}


def map_scale(variable: Variable, bins: Sequence[Bin]) -> MapScale:
    """The scale of a variable's map over the span of its histogram's bins.

    The ends are the outer edges of the bins, so a few far-off values do not wash out the
    rest; an open bin's end is labelled 'or less' / 'or more' (those values take the end
    colour). Darker is always higher; only the words about which end is better change.
    """
    if not bins:
        raise ValueError("A map needs at least one value to scale its colours.")
    first, last = bins[0], bins[-1]
    low_label = format_number(variable, first.start) + (" or less" if first.open_start else "")
    high_label = format_number(variable, last.end) + (" or more" if last.open_end else "")
    neutral = variable.direction == "context"
    label = variable.label[0].lower() + variable.label[1:]
    return MapScale(
        ramp=NEUTRAL_RAMP if neutral else RAMP,
        neutral=neutral,
        low=first.start,
        high=last.end,
        low_label=low_label,
        high_label=high_label,
        darker=f"Darker means a higher value of this measure: {label}.",
        reading=READING[variable.direction],
    )


def map_symbols(level_plural: str = "counties", find: bool = False) -> list[MapSymbol]:
    """The key of the map: each kind of county drawn differently, and said in words."""
    symbols = [
        MapSymbol("valued", "Strong or Marginal estimate",
                  f"Plain colour. {level_plural.capitalize()} whose value Urban did not rate "
                  "are drawn the same way."),
        MapSymbol("weak", "Weak estimate",
                  "Hatched over its colour: a rough signal only; many are one state-wide "
                  "value shared by several counties."),
        MapSymbol("hidden", "Weak estimate, hidden",
                  "Hatched on white, when you choose to hide Weak estimates."),
        MapSymbol("missing", "No published value", "Solid grey."),
    ]  # fmt: skip
    if find:
        symbols.append(MapSymbol("found", "The place you found", "A thick dark outline."))
    return symbols


def _configure(chart: alt.TopLevelMixin) -> dict[str, Any]:
    # The page labels the map's SVG as one image (its summary sentence) and shows the key
    # and a table of the values beside it, so marks carry no ARIA of their own.
    configured = chart.configure(font=FONT, aria=False).configure_mark(aria=False)
    return dict(configured.configure_view(stroke=None).to_dict())


def _tooltips(label: str, number_format: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("properties.name:N", title="County"),
        alt.Tooltip("id:N", title="FIPS"),
        alt.Tooltip("v:Q", title=label, format=number_format),
        alt.Tooltip("q:N", title="Quality"),
    ]


def _layer(test: str, **mark: Any) -> alt.Chart:
    return alt.Chart().transform_filter(test).mark_geoshape(**mark)


@lru_cache(maxsize=128)
def _map_template(variable_name: str, neutral: bool, counties_url: str, states_url: str) -> str:
    variable = get_catalog().variable(variable_name)
    words = {"label": variable.label, "format": TIP_FORMAT[variable.unit]}
    return filled(_map_frame(neutral, counties_url, states_url), words)


@lru_cache(maxsize=16)
def _map_frame(neutral: bool, counties_url: str, states_url: str) -> str:
    """The map of any variable: its label and number format are slots (Altair takes about
    0.3 s to build one; the static export draws a map for each of some 30 variables)."""
    tips = _tooltips(slot("label"), slot("format"))
    edge = {"stroke": EDGE_COLOR, "strokeWidth": 0.25}
    colour = alt.Color(
        "v:Q",
        legend=None,  # the page's key says it in words, with the same colours
        scale=alt.Scale(
            range=list(NEUTRAL_RAMP if neutral else RAMP),
            domainMin=alt.ExprRef("lo"),
            domainMax=alt.ExprRef("hi"),
            clamp=True,
        ),
    )
    valued = f"{_IN_VIEW} && isValid(datum.v)"
    layers = [
        _layer(f"{_IN_VIEW} && !isValid(datum.v)", fill=NO_ESTIMATE_COLOR, **edge).encode(
            tooltip=[tips[0], tips[1], alt.Tooltip("status:N", title="Value")]
        ).transform_calculate(status="'No published value'"),
        _layer(f"{valued} && !(hide_weak && {_WEAK})", **edge).encode(color=colour, tooltip=tips),
        _layer(f"{valued} && hide_weak && {_WEAK}", fill=HIDDEN_COLOR, stroke=NO_ESTIMATE_COLOR,
               strokeWidth=0.25).encode(tooltip=tips),
        _layer(f"{valued} && {_WEAK}", fill=f"url(#{WEAK_PATTERN})", strokeWidth=0).encode(
            tooltip=tips
        ),
        _layer("datum.id == highlight", filled=False, stroke=EDGE_COLOR, strokeWidth=5),
        _layer("datum.id == highlight", filled=False, stroke=FOUND_COLOR, strokeWidth=2.5),
    ]  # fmt: skip
    lookup = alt.LookupData(alt.NamedData(name="values"), key="g", fields=["v", "q"])
    counties = (
        alt.layer(*layers, data=alt.topo_feature(counties_url, "counties"))
        .transform_lookup(lookup="id", from_=lookup)
        .project(type="albersUsa")
    )
    states = (
        alt.Chart(alt.topo_feature(states_url, "states"))
        .transform_filter("focus_state == '' || datum.id == focus_state")
        .mark_geoshape(filled=False, stroke=EDGE_COLOR, strokeWidth=1.2)
        .project(type="albersUsa")
    )
    chart = alt.layer(counties, states).properties(width="container", height=420)
    spec = _configure(chart)
    spec["params"] = [
        {"name": "focus_state", "value": ""},
        {"name": "highlight", "value": ""},
        {"name": "hide_weak", "value": False},
        {"name": "lo", "value": 0},
        {"name": "hi", "value": 1},
    ]
    return strict_json.dumps(spec)


def county_map_spec(
    selection: Selection,
    scale: MapScale,
    counties_url: str,
    states_url: str,
    description: str,
    focus_state: str = "",
) -> dict[str, Any]:
    """The map of a selection's counties: the nation, or one state (``focus_state``)."""
    template = _map_template(selection.variable.name, scale.neutral, counties_url, states_url)
    spec = dict(json.loads(template))
    values = {"focus_state": focus_state, "lo": scale.low, "hi": scale.high}
    spec["params"] = [{**p, "value": values.get(p["name"], p["value"])} for p in spec["params"]]
    spec["description"] = description
    return spec


def describe_map(selection: Selection, scale: MapScale, where: str = "US counties") -> str:
    """The map in one sentence, for its image label: what the shades and marks mean."""
    variable = selection.variable
    return (
        f"Map of {where} shaded by {variable.label.lower()} in {selection.year}, from "
        f"{scale.low_label} (lightest) to {scale.high_label} (darkest). {scale.darker} "
        f"{scale.reading} Weak estimates are hatched; counties without a published value "
        "are grey."
    )
