"""A metric's national distribution: which values to show, summaries, states, map values.

A metric page and the API's distribution endpoint both start from a :class:`Selection`
(metric, published variable, kind of place, year), made and checked by :func:`select`,
then ask for the pieces they need:

``summarize``     the national spread (from the ``benchmark`` table) and coverage counts
``state_spreads`` the spread of values within each state (``benchmark``)
``map_values``    every place's overall value and quality code, compactly
``place_values``  every place's value with its CI, quality and national percentile, paged
``histogram``     counts of places in equal-width bins with round edges

Only overall values (subgroup ``All`` of type ``all``) enter a distribution.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

from upward.catalog import (
    ALL_LABEL,
    ALL_TYPE,
    GEO_LEVEL_WORDS,
    GEO_LEVELS,
    QUALITY_WORDS,
    GeoLevel,
    Metric,
    UnknownName,
    Variable,
)
from upward.data.model import QUALITY_LABELS
from upward.data.universe import STATES
from upward.data.warehouse import Warehouse

NATION = "US"
PlaceOrder = Literal["geoid", "value", "-value", "name"]
PLACE_ORDERS: tuple[PlaceOrder, ...] = ("geoid", "value", "-value", "name")
LEVEL_WORDS = GEO_LEVEL_WORDS


class InvalidChoice(ValueError):
    """A request parameter that does not name something the data holds."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Selection:
    """What a distribution shows: one variable of a metric, for one kind of place and year."""

    metric: Metric
    variable: Variable
    level: GeoLevel
    year: int | None
    """None only when no place of this kind has a value of the variable in any year."""
    years: tuple[int, ...]
    """Years in which at least one place of this kind has a value for the variable."""
    levels: tuple[GeoLevel, ...]
    """Kinds of place the metric is published for."""

    @property
    def level_word(self) -> str:
        return LEVEL_WORDS[self.level][0]

    @property
    def level_plural(self) -> str:
        return LEVEL_WORDS[self.level][1]


@dataclass(frozen=True)
class Spread:
    """Median, quartiles and range of one variable among places of one kind, in one scope."""

    scope: str
    n: int
    median: float
    p25: float
    p75: float
    min: float
    max: float


@dataclass(frozen=True)
class StateSpread:
    state_fips: str
    state_abbr: str
    state_name: str
    spread: Spread


@dataclass(frozen=True)
class Coverage:
    """How many places of the kind have a row for the year, and what the rows hold."""

    rows: int
    with_value: int
    suppressed: int
    no_estimate: int
    strong: int
    marginal: int
    weak: int
    unrated: int
    """Rows with a value but no quality rating."""


@dataclass(frozen=True)
class Summary:
    national: Spread | None
    coverage: Coverage


@dataclass(frozen=True)
class PlaceValue:
    geoid: str
    name: str
    state_abbr: str
    value: float | None
    lb: float | None
    ub: float | None
    quality: str | None
    value_text: str | None
    pct_nation: float | None
    """Percent rank among places of the kind with a value (ascending by value)."""

    def as_dict(self) -> dict[str, Any]:
        # Its fields are plain values: ``asdict``'s deep copy (a metric page has 3,000
        # places, twice) is not needed.
        return {name: getattr(self, name) for name in _PLACE_VALUE_FIELDS}


_PLACE_VALUE_FIELDS = tuple(f.name for f in fields(PlaceValue))


@dataclass(frozen=True)
class Bin:
    """Places with start <= value < end; an open bin also holds every value beyond its edge."""

    start: float
    end: float
    count: int
    open_start: bool = False
    open_end: bool = False


def _parse_year(year: str | int | None) -> int | None:
    if year is None or isinstance(year, int):
        return year
    text = year.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) != 4:
        raise InvalidChoice("year", f"year must be a four-digit year such as 2021, not '{year}'.")
    return int(text)


def _choose_level(metric: Metric, level: str | None) -> GeoLevel:
    if not level:
        return metric.geographies[0]
    if level not in GEO_LEVELS:
        raise InvalidChoice("level", f"level must be 'county' or 'city', not '{level}'.")
    if level not in metric.geographies:
        only = " and ".join(LEVEL_WORDS[g][1] for g in metric.geographies)
        raise InvalidChoice(
            "level", f"{metric.label} is published for {only} only, not for {level} level."
        )
    return level  # type: ignore[return-value]


def _choose_variable(metric: Metric, name: str | None) -> Variable:
    if not name:
        return metric.headline
    for variable in metric.variables:
        if variable.name == name:
            return variable
    names = [v.name for v in metric.variables]
    raise UnknownName(f"variable of {metric.id}", name, names)


def data_years(warehouse: Warehouse, variable: str, level: str) -> tuple[int, ...]:
    rows = warehouse.query(
        "SELECT year FROM benchmark WHERE geo_level = ? AND variable = ? AND scope = ? "
        "AND n > 0 ORDER BY year",
        [level, variable, NATION],
    )
    return tuple(int(r[0]) for r in rows)


def select(
    warehouse: Warehouse,
    metric_id: str,
    variable: str | None = None,
    year: str | int | None = None,
    level: str | None = None,
) -> Selection:
    """Check a request's choices; defaults are the headline variable and the latest year.

    Raises :class:`UnknownName` for an unknown metric or variable and
    :class:`InvalidChoice` for a level or year the metric's data do not have. When the
    loaded data hold no value of the variable at all, the selection's year is None and
    every query below returns nothing.
    """
    metric = warehouse.catalog.metric(metric_id)
    chosen_level = _choose_level(metric, level)
    chosen_variable = _choose_variable(metric, variable)
    years = data_years(warehouse, chosen_variable.name, chosen_level)
    wanted = _parse_year(year)
    if wanted is None:
        wanted = years[-1] if years else None
    elif wanted not in years:
        listed = ", ".join(str(y) for y in years) or "none"
        raise InvalidChoice(
            "year",
            f"There are no {LEVEL_WORDS[chosen_level][0]} values of {chosen_variable.name} "
            f"for {wanted}. Years with values: {listed}.",
        )
    return Selection(metric, chosen_variable, chosen_level, wanted, years, metric.geographies)


_SPREAD = "scope, n, median, p25, p75, min, max"
_OVERALL = (
    "FROM observation WHERE geo_level = ? AND variable = ? AND year = ? "
    f"AND subgroup_type = '{ALL_TYPE}' AND subgroup = '{ALL_LABEL}'"
)


def _params(selection: Selection) -> list[Any]:
    return [selection.level, selection.variable.name, selection.year]


def _spread(row: Sequence[Any]) -> Spread:
    return Spread(str(row[0]), int(row[1]), *(float(x) for x in row[2:7]))


def summarize(warehouse: Warehouse, selection: Selection) -> Summary:
    rows = warehouse.query(
        f"SELECT {_SPREAD} FROM benchmark WHERE geo_level = ? AND variable = ? AND year = ? "
        "AND scope = ?",
        [*_params(selection), NATION],
    )
    by_quality = "".join(  # strong, marginal, weak: Coverage's order
        f"count(*) FILTER (WHERE value IS NOT NULL AND quality = {code}), "
        for code in QUALITY_WORDS
    )
    counts = warehouse.query(
        "SELECT count(*), count(value), "
        "count(*) FILTER (WHERE value IS NULL AND quality IS NOT NULL), "
        "count(*) FILTER (WHERE value IS NULL AND quality IS NULL), "
        f"{by_quality}"
        f"count(*) FILTER (WHERE value IS NOT NULL AND quality IS NULL) {_OVERALL}",
        _params(selection),
    )[0]
    coverage = Coverage(*(int(c) for c in counts))
    return Summary(_spread(rows[0]) if rows else None, coverage)


def state_spreads(warehouse: Warehouse, selection: Selection) -> list[StateSpread]:
    """One spread per state with at least one value, in state-name order."""
    rows = warehouse.query(
        f"SELECT {_SPREAD} FROM benchmark WHERE geo_level = ? AND variable = ? AND year = ? "
        "AND scope <> ?",
        [*_params(selection), NATION],
    )
    spreads = []
    for row in rows:
        abbr, name = STATES.get(str(row[0]), (str(row[0]), f"State {row[0]}"))
        spreads.append(StateSpread(str(row[0]), abbr, name, _spread(row)))
    return sorted(spreads, key=lambda s: s.state_name)


def map_values(
    warehouse: Warehouse, selection: Selection
) -> list[tuple[str, float | None, int | None]]:
    """(geoid, value, quality code) for every place with a row, in FIPS order."""
    rows = warehouse.query(
        f"SELECT geoid, value, quality {_OVERALL} ORDER BY geoid", _params(selection)
    )
    return [(str(g), v, int(q) if q is not None else None) for g, v, q in rows]


_ORDER_SQL = {
    "geoid": "o.geoid",
    "value": "o.value ASC NULLS LAST, o.geoid",
    "-value": "o.value DESC NULLS LAST, o.geoid",
    "name": "g.display_name, o.geoid",
}


def place_values(
    warehouse: Warehouse,
    selection: Selection,
    *,
    order: str = "geoid",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[int, list[PlaceValue]]:
    """(number of places with a row, one page of them)."""
    if order not in _ORDER_SQL:
        raise InvalidChoice(
            "order", f"order must be one of {', '.join(PLACE_ORDERS)}, not '{order}'."
        )
    if selection.year is None:
        return 0, []
    total = int(warehouse.query(f"SELECT count(*) {_OVERALL}", _params(selection))[0][0])
    page = f" LIMIT {int(limit)}" if limit is not None else ""
    rows = warehouse.query(
        "SELECT o.geoid, coalesce(g.display_name, o.geoid), coalesce(g.state_abbr, ''), "
        "o.value, o.lb, o.ub, o.quality, o.value_text, s.pct_nation "
        "FROM observation o LEFT JOIN geography g USING (geoid) "
        "LEFT JOIN standing s ON s.geoid = o.geoid AND s.variable = o.variable "
        "AND s.year = o.year "
        "WHERE o.geo_level = ? AND o.variable = ? AND o.year = ? "
        f"AND o.subgroup_type = '{ALL_TYPE}' AND o.subgroup = '{ALL_LABEL}' "
        f"ORDER BY {_ORDER_SQL[order]}{page} OFFSET {int(offset)}",
        _params(selection),
    )
    places = [
        PlaceValue(
            geoid=str(r[0]),
            name=str(r[1]),
            state_abbr=str(r[2]),
            value=r[3],
            lb=r[4],
            ub=r[5],
            quality=QUALITY_LABELS.get(r[6]) if r[6] is not None else None,
            value_text=r[7],
            pct_nation=r[8],
        )
        for r in rows
    ]
    return total, places


def nice_step(span: float, target_bins: int = 20) -> float:
    """A round bin width (1, 2, 2.5 or 5 times a power of ten) giving about target_bins."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / target_bins
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _histogram_range(
    warehouse: Warehouse, selection: Selection
) -> tuple[float, float, float, float] | None:
    """(lowest, highest, low edge, high edge): the edges leave out long thin tails."""
    row = warehouse.query(
        "SELECT min(value), max(value), quantile_cont(value, 0.01), quantile_cont(value, 0.99) "
        f"{_OVERALL} AND value IS NOT NULL",
        _params(selection),
    )[0]
    if row[0] is None:
        return None
    low, high, p01, p99 = (float(x) for x in row)
    slack = (p99 - p01) * 0.25
    return low, high, (p01 if low < p01 - slack else low), (p99 if high > p99 + slack else high)


def histogram(warehouse: Warehouse, selection: Selection, target_bins: int = 20) -> list[Bin]:
    """Counts of places in equal-width bins with round edges.

    When a few places lie far beyond the 1st or 99th percentile, the outermost bins are
    open (``open_start``/``open_end``) and hold them, so the bulk of places stays legible.
    """
    found = _histogram_range(warehouse, selection)
    if found is None:
        return []
    low, high, lo_edge, hi_edge = found
    step = nice_step(hi_edge - lo_edge, target_bins)
    start = math.floor(lo_edge / step) * step
    last = max(0, math.ceil((hi_edge - start) / step) - 1)
    rows = warehouse.query(
        f"SELECT least(greatest(floor((value - ?) / ?), 0), ?) AS k, count(*) {_OVERALL} "
        "AND value IS NOT NULL GROUP BY k ORDER BY k",
        [start, step, last, *_params(selection)],
    )
    counts = {int(k): int(n) for k, n in rows}
    return [
        Bin(
            round(start + k * step, 10),
            round(start + (k + 1) * step, 10),
            counts.get(k, 0),
            open_start=k == 0 and low < start,
            open_end=k == last and high >= start + (k + 1) * step,
        )
        for k in range(last + 1)
    ]


@dataclass(frozen=True)
class Overview:
    """Everything a metric page shows about one selection."""

    selection: Selection
    summary: Summary
    states: tuple[StateSpread, ...]
    bins: tuple[Bin, ...]
    values: tuple[tuple[str, float | None, int | None], ...]


def overview(warehouse: Warehouse, selection: Selection) -> Overview:
    """The summary, states, histogram and map values of a selection.

    A warehouse is read-only, so a selection's figures never change while it is open:
    the release facade keeps them (:meth:`upward.explore.Release.overview`).
    """
    if selection.year is None:
        return Overview(selection, Summary(None, Coverage(0, 0, 0, 0, 0, 0, 0, 0)), (), (), ())
    return Overview(
        selection,
        summarize(warehouse, selection),
        tuple(state_spreads(warehouse, selection)),
        tuple(histogram(warehouse, selection)),
        tuple(map_values(warehouse, selection)),
    )
