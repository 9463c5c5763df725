"""The state page: a state's counties and cities for one metric, and its county map.

``/state/27/?metric=&variable=&year=`` shows, for the chosen metric (the first of the
catalog when none is chosen), a table per kind of place the metric is published for:
every county or city of the state with its value, year, 95% interval, quality and
position in the state. Positions are untested and neutral ("3rd of 87", highest first);
a value shared by several places is a tie ("tied 9th–85th of 87"), never a strict order.
An unknown metric or variable, or a year no kind of place has, is a 400 naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from upward.analysis.standing import Rank, place_words
from upward.catalog import CITY, COUNTY, WEAK, Metric, UnknownName, Variable, get_catalog
from upward.explore import Geography, InvalidChoice, Selection, StateValue
from upward.explore.shapes import StateLevelOut, StateTableOut, release_ref, state_place_out
from upward.reports import county_map
from upward.reports.numbers import format_bounds, format_value
from upward.web.data import get_release
from upward.web.problem import BadRequest


@dataclass(frozen=True)
class StateLevel:
    """One kind of place of the state, for the chosen variable."""

    level: str
    selection: Selection | None
    """None when the metric is not published for this kind of place, or the asked year
    has no values for it (``missing`` says which)."""
    places: tuple[Geography, ...]
    values: dict[str, StateValue]
    missing: str = ""


@dataclass(frozen=True)
class StateTable:
    metric: Metric
    variable: Variable
    levels: tuple[StateLevel, ...]

    def level(self, level: str) -> StateLevel | None:
        return next((t for t in self.levels if t.level == level), None)


def default_metric() -> Metric:
    """The metric a state page shows first: the catalog's first one published for counties
    and cities with values in the loaded release (else the first one for counties)."""
    release, metrics = get_release(), get_catalog().metrics
    for metric in metrics:
        if {COUNTY, CITY} <= set(metric.geographies) and release.selection(metric.id).year:
            return metric
    return next(m for m in metrics if COUNTY in m.geographies)


def _metric(params: QueryDict) -> Metric:
    wanted = params.get("metric", "").strip()
    if not wanted:
        return default_metric()
    try:
        return get_catalog().metric(wanted)
    except UnknownName as error:
        close = f" Closest matches: {', '.join(error.suggestions)}." if error.suggestions else ""
        raise BadRequest(
            f"metric must be the id of a metric, such as low_birth_weight; "
            f"there is no metric called '{wanted}'.{close}"
        ) from None


def state_table(
    params: QueryDict, state_fips: str, places: dict[str, list[Geography]]
) -> StateTable:
    """The chosen metric's table for each kind of place it is published for (``places``:
    the state's counties and cities by kind)."""
    release = get_release()
    metric = _metric(params)
    variable, year = params.get("variable") or None, params.get("year") or None
    levels, problems = [], []
    for level in (COUNTY, CITY):
        if level not in metric.geographies:
            only = " and ".join(place_words(g)[1] for g in metric.geographies)
            note = f"{metric.label} is published for {only} only."
            levels.append(StateLevel(level, None, tuple(places[level]), {}, note))
            continue
        try:
            selection = release.selection(metric.id, variable, year, level)
        except InvalidChoice as error:
            if error.parameter != "year":
                raise
            problems.append(error)
            levels.append(StateLevel(level, None, tuple(places[level]), {}, error.message))
            continue
        values = release.state_values(selection, state_fips)
        levels.append(StateLevel(level, selection, tuple(places[level]), values))
    if problems and len(problems) == len(metric.geographies):
        raise problems[0]
    chosen = next((t.selection.variable for t in levels if t.selection), metric.headline)
    return StateTable(metric, chosen, tuple(levels))


def direction_text(variable: Variable) -> str:
    """Which end is better, in the words the map's key uses."""
    return county_map.READING[variable.direction]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, ..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def position(found: StateValue, level: str) -> tuple[str, int | None]:
    """Where a value stands in its state, highest first, in neutral words, and its sort key.

    ``('3rd of 87', 3)``; a shared value ``('Tied 9th–85th of 87 (77 share this value)',
    9)``; the only place with a value ``('The only county with a value', 1)``.
    """
    if found.value is None or found.n is None or found.below is None or found.tied is None:
        return "", None
    rank = Rank.of(found.below, found.tied, found.n)
    if rank.alone:
        return f"The only {place_words(level)[0]} with a value", 1
    first = rank.above + 1
    if rank.tied:
        last = first + rank.tied
        shared = f"{rank.tied + 1:,} share this value"
        return f"Tied {ordinal(first)}–{ordinal(last)} of {found.n:,} ({shared})", first
    return f"{ordinal(first)} of {found.n:,}", first


def table_rows(table: StateLevel) -> list[dict[str, Any]]:
    """The rows of one kind of place, highest value first (ties and places without a
    value by name), each with the text shown and the keys a script sorts by."""
    selection = table.selection
    if selection is None:
        return []
    variable = selection.variable
    rows = []
    for geo in table.places:
        found = table.values.get(geo.geoid)
        value = found.value if found else None
        text, place = position(found, table.level) if found else ("", None)
        shown = found is not None and (value is not None or found.value_text is not None)
        rows.append({
            "geo": geo,
            "value": format_value(variable, value, found.value_text) if shown and found
            else "No published value",
            "value_key": "" if value is None else repr(value),
            "year": selection.year,
            "ci": format_bounds(variable, found.lb, found.ub)
            if found else "",
            "quality": (found.quality or "Not rated") if shown and found else "",
            "weak": found is not None and found.quality == WEAK,
            "position": text,
            "position_key": "" if place is None else place,
            "population": f"{geo.population:,.0f}" if geo.population else "",
            "population_key": "" if not geo.population else repr(geo.population),
        })  # fmt: skip
    return sorted(rows, key=lambda r: (r["value_key"] == "", -_number(r), r["geo"].display_name))


def _number(row: dict[str, Any]) -> float:
    return float(row["value_key"]) if row["value_key"] else 0.0


def state_table_out(table: StateTable) -> StateTableOut:
    """The table as its one JSON shape (the state page's ``.json`` twin)."""
    variable = table.variable
    levels = []
    for t in table.levels:
        year = t.selection.year if t.selection else None
        places = [state_place_out(g, year, t.values.get(g.geoid)) for g in t.places]
        levels.append(StateLevelOut(geo_level=t.level, year=year, note=t.missing or None,  # type: ignore[arg-type]
                                    places=places))  # fmt: skip
    return StateTableOut(metric=table.metric.id, variable=variable.name,
                         variable_label=variable.label, direction=variable.direction,
                         release=release_ref(get_release()), levels=levels)  # fmt: skip
