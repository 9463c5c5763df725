"""Where a place's value sits among places of its kind: percentiles and medians.

Reads the warehouse's ``standing`` table (a place's percent rank among every county, or
every city, with a value for that variable and year, in the nation and in its state) and
its ``benchmark`` table (medians and quartiles by year, for the nation and each state).

A standing counts the other places separately: how many have a lower value
(``below_*``), how many the same value (``tied_*``) and, by difference, how many a higher
one, so a tie is never read as a strict standing. ``pct_*`` is the share of the other
places with a lower value (None for a place alone in its scope). Whether higher is better
is a property of the metric, not of the rank; callers phrase it
(:mod:`upward.analysis.standing`).

A benchmark carries two medians: ``median`` over every value (context, Weak values
included) and ``claim_median`` over the values not rated Weak, a pooled value counted
once (``claim_n`` of them); :func:`upward.analysis.standing.benchmark_claim` decides from
these counts whether it may bear a claim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from upward.data.model import Geography
from upward.data.warehouse import Warehouse

NATION = "US"


@dataclass(frozen=True)
class Standing:
    """A place's percent rank for one variable and year."""

    geoid: str
    variable: str
    year: int
    value: float
    pct_nation: float | None
    """Share of the other places in the nation with a lower value; None if alone."""
    n_nation: int
    pct_state: float | None
    n_state: int
    below_nation: int = 0
    tied_nation: int = 0
    below_state: int = 0
    tied_state: int = 0


@dataclass(frozen=True)
class Benchmark:
    """The distribution of one variable among places of one kind, in one year and scope."""

    geo_level: str
    variable: str
    year: int
    scope: str
    """'US' for the nation, or a 2-digit state FIPS code."""
    median: float
    p25: float
    p75: float
    min: float
    max: float
    n: int
    n_weak: int = 0
    """How many of the ``n`` values are rated Weak."""
    n_pooled: int = 0
    """How many of the ``n`` places share a pooled value (one value and interval for several)."""
    claim_median: float | None = None
    """Median of the values not rated Weak, each pooled value counted once."""
    claim_n: int = 0
    """How many values ``claim_median`` rests on."""


CONTEXT_NUMBERS: tuple[tuple[str, str, str], ...] = (
    ("pct_nation", "standing", "pct_nation"),
    ("n_nation", "standing", "n_nation"),
    ("pct_state", "standing", "pct_state"),
    ("n_state", "standing", "n_state"),
    ("median_nation", "nation", "median"),
    ("n_median_nation", "nation", "n"),
    ("median_state", "state", "median"),
    ("n_median_state", "state", "n"),
    ("below_nation", "standing", "below_nation"),
    ("tied_nation", "standing", "tied_nation"),
    ("below_state", "standing", "below_state"),
    ("tied_state", "standing", "tied_state"),
    ("weak_median_nation", "nation", "n_weak"),
    ("weak_median_state", "state", "n_weak"),
)
"""The numbers of a context as one flat record: (name, part of the context, its field)."""


@dataclass(frozen=True)
class PlaceContext:
    """A place's value for one variable and year, set among the nation and its state."""

    variable: str
    year: int
    standing: Standing | None
    nation: Benchmark | None
    state: Benchmark | None

    def numbers(self) -> dict[str, Any]:
        """The standing and both medians flat, named as :data:`CONTEXT_NUMBERS` names them
        (None where the part is missing): the numbers of every shape of a context."""
        out: dict[str, Any] = {}
        for name, part, field in CONTEXT_NUMBERS:
            found = getattr(self, part)
            out[name] = getattr(found, field) if found is not None else None
        return out


def _columns(row_type: type[Any]) -> str:
    """The columns to select for rows of ``row_type``: the context tables name their
    columns as the dataclasses name their fields, in the same order and of the same types,
    so a row is made with ``row_type(*row)``."""
    return ", ".join(f.name for f in fields(row_type))


_STANDING_SQL = f"SELECT {_columns(Standing)} FROM standing WHERE geoid = ?"
_STANDINGS_SQL = _STANDING_SQL.replace("= ?", "IN (SELECT unnest(?::VARCHAR[]))")


def standings(warehouse: Warehouse, geoid: str) -> dict[tuple[str, int], Standing]:
    """Every (variable, year) standing of one place."""
    found = (Standing(*row) for row in warehouse.query(_STANDING_SQL, [geoid]))
    return {(s.variable, s.year): s for s in found}


def benchmarks(
    warehouse: Warehouse,
    geo_level: str,
    scopes: Iterable[str] = (NATION,),
    variables: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> dict[tuple[str, int, str], Benchmark]:
    """Benchmarks keyed by (variable, year, scope) for the given scopes (variables, years)."""
    scope_list = list(scopes)
    sql = (
        f"SELECT {_columns(Benchmark)} FROM benchmark "
        f"WHERE geo_level = ? AND scope IN ({', '.join('?' * len(scope_list))})"
    )
    params: list[object] = [geo_level, *scope_list]
    if variables is not None:
        names = list(variables)
        if not names:
            return {}
        sql += f" AND variable IN ({', '.join('?' * len(names))})"
        params += names
    if years is not None:
        wanted = sorted(set(years))
        if not wanted:
            return {}
        sql += f" AND year IN ({', '.join('?' * len(wanted))})"
        params += wanted
    out: dict[tuple[str, int, str], Benchmark] = {}
    for row in warehouse.query(sql, params):
        bench = Benchmark(*row)
        out[(bench.variable, bench.year, bench.scope)] = bench
    return out


ScopeBenchmarks = dict[tuple[str, int], Benchmark]
ScopeReader = Callable[[str, str], ScopeBenchmarks]
"""``(geo_level, scope) -> benchmarks``: how :func:`place_context` reads a scope's table."""


def scope_benchmarks(warehouse: Warehouse, geo_level: str, scope: str) -> ScopeBenchmarks:
    """Every benchmark of one kind of place and scope, keyed by (variable, year).

    The table is small (a few hundred rows per scope) and a warehouse never changes once
    built, so a caller that reads many places keeps it: the release facade
    (:class:`upward.explore.Release`) keeps one per kind and scope.
    """
    found = benchmarks(warehouse, geo_level, scopes=(scope,))
    return {(variable, year): bench for (variable, year, _), bench in found.items()}


def standing_rows(warehouse: Warehouse, geoid: str) -> list[tuple[Any, ...]]:
    """Every standing row of one place, as :func:`place_context` reads them."""
    return warehouse.query(_STANDING_SQL, [geoid])


def standing_rows_of(
    warehouse: Warehouse, geoids: Iterable[str]
) -> dict[str, list[tuple[Any, ...]]]:
    """:func:`standing_rows` of each of ``geoids``, read in one query."""
    found: dict[str, list[tuple[Any, ...]]] = {geoid: [] for geoid in geoids}
    for row in warehouse.query(_STANDINGS_SQL, [list(found)]):
        found[row[0]].append(row)
    return found


def place_context(
    warehouse: Warehouse,
    place: Geography,
    wanted: Iterable[tuple[str, int]],
    scope_reader: ScopeReader | None = None,
    rows: Sequence[tuple[Any, ...]] | None = None,
) -> dict[tuple[str, int], PlaceContext]:
    """Standing and national and state medians for each wanted (variable, year).

    ``scope_reader`` reads a scope's benchmarks (default: from the warehouse, each time);
    ``rows``, the place's :func:`standing_rows` if already read.
    """
    read = scope_reader or (lambda level, scope: scope_benchmarks(warehouse, level, scope))
    pairs = list(dict.fromkeys(wanted))
    needed = set(pairs)
    if rows is None:
        rows = standing_rows(warehouse, place.geoid)  # only the needed ones are built
    ranks = {key: Standing(*row) for row in rows if (key := (row[1], row[2])) in needed}
    nation = read(place.geo_level, NATION)
    state = read(place.geo_level, place.state_fips)
    return {
        pair: PlaceContext(
            variable=pair[0],
            year=pair[1],
            standing=ranks.get(pair),
            nation=nation.get(pair),
            state=state.get(pair),
        )
        for pair in pairs
    }
