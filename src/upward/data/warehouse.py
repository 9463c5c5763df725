"""Read-only queries over a built warehouse: places, profiles, series, status.

The web app, the API and the command line all go through :class:`Warehouse`.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import duckdb

from upward.catalog import (
    ALL_LABEL,
    ALL_TYPE,
    CITY,
    COUNTY,
    FIPS_WIDTHS,
    NOT_COVERED,
    NOT_FOR_LEVEL,
    NOT_IN_YEAR,
    PUBLISHED,
    Catalog,
    Metric,
    UnknownName,
    Variable,
    get_catalog,
)
from upward.data.model import (
    Geography,
    Observation,
    OtherValue,
    PillarSection,
    PredictorSection,
    Profile,
    ProfileEntry,
    ReleaseInfo,
    Status,
)
from upward.data.place_search import FUZZY_TIER, PlaceSearch, fold_name
from upward.data.schema import SCHEMA_VERSION

OBS_COLUMNS = (
    "geoid, geo_level, year, metric, variable, subgroup_type, subgroup, "
    "value, lb, ub, quality, value_text, file_id, source_line, note, conflict, other_values"
)
GEO_COLUMNS = (
    "geoid, geo_level, name, short_name, display_name, state_fips, state_abbr, state_name, "
    "first_year, last_year, population, population_year, current"
)


CITATION = "Urban Institute, Boosting Upward Mobility: Metrics to Inform Local Action"
"""The publication every number comes from."""


class WarehouseMissing(FileNotFoundError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"No warehouse at {path}. Build one with: upward data load DIR "
            "(DIR holds Urban's files; `upward data fetch DIR` downloads them)."
        )
        self.path = path


class WarehouseOutdated(WarehouseMissing):
    """A warehouse built by an older Upward, without the tables this one reads."""

    def __init__(self, path: Path, version: int) -> None:
        super().__init__(path)
        self.args = (
            f"The warehouse at {path} was built by an older Upward (schema {version}; this "
            f"one reads schema {SCHEMA_VERSION}). Rebuild it with: upward data load DIR.",
        )

    def __str__(self) -> str:
        return str(self.args[0])


FIPS_WIDTH = FIPS_WIDTHS
"""How many digits a FIPS code of each kind of place has (the catalog's one table)."""
LEVEL_OF_WIDTH = {width: level for level, width in FIPS_WIDTH.items()}
EXAMPLE_FIPS: dict[str, str] = {COUNTY: "27123", CITY: "2758000"}


class PlaceError(LookupError):
    """A place that cannot be named as asked; carries the closest matches.

    :class:`BadPlaceCode` (the code's form or kind is wrong: a 400), :class:`PlaceNotFound`
    (no such place: a 404) and :class:`AmbiguousPlace` (several match: a 404 with the
    candidates) are the only kinds.
    """

    def __init__(self, query: str, suggestions: Sequence[Geography], reason: str) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        if not self.suggestions:
            return self.reason
        names = "; ".join(f"{g.display_name} ({g.geoid})" for g in self.suggestions)
        return f"{self.reason} Closest matches: {names}."


class BadPlaceCode(PlaceError, ValueError):
    """Not a FIPS code of the kind of place asked for (wrong characters, width or kind)."""

    def __init__(self, query: str, reason: str) -> None:
        super().__init__(query, (), reason)


class PlaceNotFound(PlaceError):
    """No place matches; carries the closest matches."""

    def __init__(self, query: str, suggestions: Sequence[Geography], reason: str = "") -> None:
        super().__init__(query, suggestions, reason or f"No county or city matches '{query}'.")


class AmbiguousPlace(PlaceNotFound):
    """Several places match equally well."""

    def __init__(self, query: str, candidates: Sequence[Geography]) -> None:
        super().__init__(
            query,
            candidates,
            f"'{query}' matches more than one place; add the state or use a FIPS code.",
        )

    def __str__(self) -> str:
        names = "; ".join(f"{g.display_name} ({g.geoid})" for g in self.suggestions)
        return f"{self.reason} Candidates: {names}."


def check_place_code(level: str, fips: str) -> str:
    """``fips`` if it has the form of a ``level``'s FIPS code; else :class:`BadPlaceCode`.

    The one check of a code's form: digits only (ASCII), the kind's width, and a code of
    the other kind named as such.
    """
    width = FIPS_WIDTH[level]
    if not (fips.isascii() and fips.isdigit()):
        raise BadPlaceCode(
            fips,
            f"'{fips}' is not a FIPS code: a {level} code has {width} digits, "
            f"such as {EXAMPLE_FIPS[level]}.",
        )
    other = LEVEL_OF_WIDTH.get(len(fips))
    if other is not None and other != level:
        raise BadPlaceCode(
            fips,
            f"{fips} has {len(fips)} digits, so it is a {other} code: "
            f"see /{other}/{fips}/ for its profile.",
        )
    if len(fips) != width:
        raise BadPlaceCode(
            fips, f"A {level} FIPS code has {width} digits; '{fips}' has {len(fips)}."
        )
    return fips


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    return fold_name(text)


_new = object.__new__
_PLACE_HEAD = "geoid, geo_level, "
assert OBS_COLUMNS.startswith(_PLACE_HEAD)  # what Warehouse._place_rows adds to each row
_PLACE_ROWS = f"SELECT {OBS_COLUMNS.removeprefix(_PLACE_HEAD)} FROM observation WHERE geoid = ?"
_PLACES_ROWS = (
    f"SELECT geoid, {OBS_COLUMNS.removeprefix(_PLACE_HEAD)} FROM observation "
    "WHERE geoid IN (SELECT unnest(?::VARCHAR[]))"
)
# Positions in a row of ``OBS_COLUMNS``.
_YEAR, _VARIABLE, _TYPE, _GROUP, _VALUE = 2, 4, 5, 6, 7


def shown_breakdown_years(
    rows: Iterable[Sequence[Any]], year: int | None = None
) -> dict[tuple[str, str], int]:
    """(variable, subgroup type) -> the year a profile shows of that breakdown: the
    latest (up to ``year``) in which a group other than the total has a value."""
    shown: dict[tuple[str, str], int] = {}
    for r in rows:
        if r[_TYPE] == ALL_TYPE or r[_GROUP] == ALL_LABEL or r[_VALUE] is None:
            continue
        if year is not None and r[_YEAR] > year:
            continue
        key = (r[_VARIABLE], r[_TYPE])
        if r[_YEAR] > shown.get(key, -1):
            shown[key] = r[_YEAR]
    return shown


def _row_to_obs(row: Sequence[Any], paths: dict[int, str]) -> Observation:
    """An :class:`Observation` from a row of ``OBS_COLUMNS``.

    A frozen dataclass sets each field through ``object.__setattr__``: about 2 µs per
    cell, a millisecond on a profile's ~600 cells. Filling ``__dict__`` directly gives an
    equal object (same fields, equality, hash and repr) in a third of the time.
    """
    obs = _new(Observation)
    obs.__dict__.update(
        geoid=row[0],
        geo_level=row[1],
        year=int(row[2]),
        metric=row[3],
        variable=row[4],
        subgroup_type=row[5],
        subgroup=row[6],
        value=row[7],
        lb=row[8],
        ub=row[9],
        quality_code=int(row[10]) if row[10] is not None else None,
        value_text=row[11],
        source_file=paths.get(row[12], ""),
        source_line=row[13],
        note=row[14],
        conflict=row[15],
        others=tuple(
            OtherValue(paths.get(o["file_id"], ""), o["source_line"], o["value"], o["value_text"])
            for o in row[16]
        )
        if row[16]
        else (),
    )
    return obs


class Warehouse:
    """A read-only connection to a warehouse file."""

    def __init__(self, path: Path, catalog: Catalog | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise WarehouseMissing(self.path)
        self.catalog = catalog or get_catalog()
        self._con = duckdb.connect(str(self.path), read_only=True)
        found = self._con.execute(
            "SELECT max(value) FROM meta WHERE key = 'schema_version'"
        ).fetchone()
        version = int(found[0]) if found and found[0] else 0
        if version < SCHEMA_VERSION:
            self._con.close()
            raise WarehouseOutdated(self.path, version)

    @classmethod
    def open_release(
        cls, warehouse: Path, release: str | None = None, catalog: Catalog | None = None
    ) -> Warehouse:
        """The warehouse of release ``release`` (None: the current one at ``warehouse``).

        An unknown name raises :class:`~upward.data.registry.UnknownRelease` with the
        closest loaded names. Each release's file never changes once built, so the
        object can be kept for as long as the release is registered.
        """
        from upward.data.registry import resolve_release

        return cls(resolve_release(Path(warehouse), release), catalog)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query on a fresh cursor (safe across threads)."""
        cursor = self._con.cursor()
        try:
            return cursor.execute(sql, list(params)).fetchall()
        finally:
            cursor.close()

    @cached_property
    def _file_paths(self) -> dict[int, str]:
        rows = self.query("SELECT file_id, path FROM release_file WHERE file_id IS NOT NULL")
        return {int(file_id): path for file_id, path in rows}

    @property
    def file_paths(self) -> dict[int, str]:
        """``file_id`` -> path of each metric file of the release (read once)."""
        return self._file_paths

    def _obs(self, row: Sequence[Any]) -> Observation:
        return _row_to_obs(row, self._file_paths)

    # Places -------------------------------------------------------------------------

    @cached_property
    def geographies(self) -> dict[str, Geography]:
        rows = self.query(f"SELECT {GEO_COLUMNS} FROM geography ORDER BY geoid")
        return {row[0]: Geography(*row) for row in rows}

    @cached_property
    def _name_index(self) -> dict[str, list[Geography]]:
        index: dict[str, list[Geography]] = defaultdict(list)
        for geo in self.geographies.values():
            keys = {
                geo.display_name,
                f"{geo.name}, {geo.state_abbr}",
                f"{geo.name}, {geo.state_name}",
                f"{geo.short_name}, {geo.state_name}",
            }
            for key in keys:
                index[_norm(key)].append(geo)
        return index

    def geography(self, geoid: str) -> Geography:
        """The place with this FIPS code, of either kind; else :class:`PlaceNotFound`."""
        geo = self.geographies.get(geoid)
        if geo is None:
            raise PlaceNotFound(
                geoid,
                self.nearest_codes(geoid),
                f"No county (5-digit FIPS) or city (7-digit FIPS) has the code '{geoid}'.",
            )
        return geo

    def place(self, level: str, fips: str) -> Geography:
        """The ``level`` (county or city) with this FIPS code, its form checked first.

        :class:`BadPlaceCode` for a code of the wrong form or kind, :class:`PlaceNotFound`
        (with the closest codes of that kind, in the same state first) for none.
        """
        check_place_code(level, fips)
        geo = self.geographies.get(fips)
        if geo is None:
            raise PlaceNotFound(
                fips,
                self.nearest_codes(fips, level, n=5, same_state=True),
                f"No {level} has the FIPS code {fips}. These {level} codes are close to it:",
            )
        if geo.geo_level != level:  # pragma: no cover - widths tell the kinds apart
            raise BadPlaceCode(fips, f"{fips} is a {geo.geo_level}, not a {level}.")
        return geo

    def nearest_codes(
        self, code: str, level: str | None = None, n: int = 3, same_state: bool = False
    ) -> list[Geography]:
        """Places of the code's kind whose FIPS codes are numerically closest to ``code``."""
        kind = level or LEVEL_OF_WIDTH.get(len(code))
        same_kind = [g for g in self.geographies.values() if g.geo_level == kind]
        if same_state:
            same_kind = [g for g in same_kind if g.state_fips == code[:2]] or same_kind
        return sorted(same_kind, key=lambda g: (abs(int(g.geoid) - int(code)), g.geoid))[:n]

    def resolve_place(self, text: str, geo_level: str | None = None) -> Geography:
        """A place from a FIPS code or a name such as "Ramsey County, MN" or "Tulsa, OK"."""
        query = text.strip()
        if query.isascii() and query.isdigit():
            width = FIPS_WIDTH[COUNTY if len(query) <= FIPS_WIDTH[COUNTY] else CITY]
            return self.geography(query.zfill(width))
        exact = [
            g
            for g in dict.fromkeys(self._name_index.get(_norm(query), []))
            if geo_level in (None, g.geo_level)
        ]
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise AmbiguousPlace(query, exact)
        ranked = self._place_search.ranked(query, limit=8, level=geo_level)
        found = [geo for _, geo in ranked]
        if len(found) == 1 and ranked[0][0] < FUZZY_TIER:
            return found[0]
        if len(found) > 1:
            raise AmbiguousPlace(query, found)
        raise PlaceNotFound(query, found or self._closest(query, geo_level))

    @cached_property
    def _place_search(self) -> PlaceSearch:
        return PlaceSearch(self.geographies.values())

    def search(self, text: str, limit: int = 10, geo_level: str | None = None) -> list[Geography]:
        """Places whose name (or FIPS code) matches ``text``, best first.

        Tolerates typos and reads "St."/"Saint", "Ste."/"Sainte" alike; places of equal
        relevance come largest first (see :mod:`upward.data.place_search`).
        """
        return self._place_search.search(text, limit=limit, level=geo_level)

    def _closest(self, text: str, geo_level: str | None = None) -> list[Geography]:
        if text.strip().isascii() and text.strip().isdigit():
            return self.nearest_codes(text.strip().zfill(FIPS_WIDTH[COUNTY]), geo_level)
        return self.search(text, limit=5, geo_level=geo_level)

    # Observations -------------------------------------------------------------------

    def _check_subgroup_type(self, subgroup_type: str) -> str:
        known = [ALL_TYPE, *[s.id for s in self.catalog.subgroup_types]]
        if subgroup_type not in known:
            close = difflib.get_close_matches(subgroup_type, known, n=3)
            raise UnknownName("subgroup type", subgroup_type, close)
        return subgroup_type

    def series(
        self,
        place: Geography | str,
        metric: str | None = None,
        subgroup_type: str | None = None,
    ) -> list[Observation]:
        """Every published cell for a place (optionally one metric and one breakdown)."""
        geo = place if isinstance(place, Geography) else self.resolve_place(place)
        sql = f"SELECT {OBS_COLUMNS} FROM observation WHERE geoid = ?"
        params: list[Any] = [geo.geoid]
        if metric:
            sql += " AND metric = ?"
            params.append(self.catalog.metric(metric).id)
        if subgroup_type:
            sql += " AND subgroup_type = ?"
            params.append(self._check_subgroup_type(subgroup_type))
        paths = self._file_paths
        cells = [_row_to_obs(r, paths) for r in self.query(sql, params)]
        return sorted(cells, key=self._display_key)

    def _display_key(self, obs: Observation) -> tuple[int, int, str, str, int]:
        order = self._variable_order.get(obs.variable, 9999)
        st = 0 if obs.subgroup_type == ALL_TYPE else 1
        return (
            order,
            st,
            obs.subgroup_type,
            obs.subgroup if obs.subgroup != ALL_LABEL else "",
            obs.year,
        )

    @cached_property
    def _variable_order(self) -> dict[str, int]:
        names = [v.name for m in self.catalog.metrics for v in m.variables]
        return {name: i for i, name in enumerate(names)}

    def profile(
        self,
        place: Geography | str,
        year: int | None = None,
        subgroup_type: str | None = None,
    ) -> Profile:
        """The latest (or ``year``'s) value of every metric, by pillar and predictor."""
        geo = place if isinstance(place, Geography) else self.resolve_place(place)
        rows = self.query(
            f"SELECT {OBS_COLUMNS} FROM observation "
            f"WHERE geoid = ? AND subgroup_type = '{ALL_TYPE}'",
            [geo.geoid],
        )
        paths = self._file_paths
        return self._profile(geo, [_row_to_obs(r, paths) for r in rows], year, subgroup_type)

    def profile_and_series(
        self,
        place: Geography | str,
        year: int | None = None,
        shown_breakdowns: bool = False,
        rows: list[tuple[Any, ...]] | None = None,
    ) -> tuple[Profile, list[Observation]]:
        """``profile(place, year)`` and ``series(place)`` from one query (the web profile).

        ``shown_breakdowns``: of the breakdown cells, only those a profile shows, each
        breakdown's latest year (up to ``year``) in which a group has a value, with its
        total (:meth:`shown_breakdown_years`). Earlier years are most of a city's cells
        (about 1,000 of 1,440), read for nothing by the page. ``rows``: the place's rows
        of :meth:`places_rows`, when already read.
        """
        geo = place if isinstance(place, Geography) else self.resolve_place(place)
        if shown_breakdowns:
            rows = self._place_rows(geo) if rows is None else rows
            shown = shown_breakdown_years(rows, year)
            paths = self._file_paths
            cells = sorted(
                (_row_to_obs(r, paths) for r in rows
                 if r[_TYPE] == ALL_TYPE or shown.get((r[_VARIABLE], r[_TYPE])) == r[_YEAR]),
                key=self._display_key,
            )  # fmt: skip
        else:
            cells = self.series(geo)
        overall = [c for c in cells if c.subgroup_type == ALL_TYPE]
        return self._profile(geo, overall, year, None), cells

    def _place_rows(self, geo: Geography) -> list[tuple[Any, ...]]:
        """Every cell of a place as a row of ``OBS_COLUMNS``. Its code and kind, the same
        on every row, are added rather than read: two strings fewer per cell to convert."""
        head = (geo.geoid, geo.geo_level)
        return [head + row for row in self.query(_PLACE_ROWS, [geo.geoid])]

    def places_rows(self, places: Iterable[Geography]) -> dict[str, list[tuple[Any, ...]]]:
        """:meth:`_place_rows` of each of ``places``, read in one query (by code)."""
        kinds = {geo.geoid: geo.geo_level for geo in places}
        found: dict[str, list[tuple[Any, ...]]] = {geoid: [] for geoid in kinds}
        for row in self.query(_PLACES_ROWS, [list(kinds)]):
            geoid = row[0]
            found[geoid].append((geoid, kinds[geoid], *row[1:]))
        return found

    def _profile(
        self,
        geo: Geography,
        overall: Sequence[Observation],
        year: int | None,
        subgroup_type: str | None,
    ) -> Profile:
        by_variable: dict[str, list[Observation]] = defaultdict(list)
        for obs in overall:
            by_variable[obs.variable].append(obs)
        catalog = self.catalog
        pillars = []
        for pillar in catalog.pillars:
            sections = []
            for predictor_id in pillar.predictor_ids:
                predictor = catalog.predictor(predictor_id)
                entries = [
                    self._entry(geo, metric, variable, by_variable.get(variable.name, []), year)
                    for metric in (catalog.metric(m) for m in predictor.metric_ids)
                    for variable in metric.variables
                ]
                sections.append(PredictorSection(predictor, tuple(entries)))
            pillars.append(PillarSection(pillar, tuple(sections)))
        subgroups: tuple[Observation, ...] = ()
        if subgroup_type and subgroup_type != ALL_TYPE:
            self._check_subgroup_type(subgroup_type)
            subgroups = tuple(self._latest_subgroups(geo, subgroup_type, year))
        return Profile(geo, year, subgroup_type or ALL_TYPE, tuple(pillars), subgroups)

    def _entry(
        self,
        geo: Geography,
        metric: Metric,
        variable: Variable,
        cells: list[Observation],
        year: int | None,
    ) -> ProfileEntry:
        years = tuple(sorted(c.year for c in cells if c.status == PUBLISHED))
        status: Status
        chosen: Observation | None = None
        if not cells:
            status = NOT_FOR_LEVEL if geo.geo_level not in metric.geographies else NOT_COVERED
        elif year is not None:
            chosen = next((c for c in cells if c.year == year), None)
            status = chosen.status if chosen else NOT_IN_YEAR
        else:
            published = [c for c in cells if c.status == PUBLISHED]
            chosen = max(published or cells, key=lambda c: c.year)
            status = chosen.status
        return ProfileEntry(metric, variable, chosen, status, years)

    def _latest_subgroups(
        self, geo: Geography, subgroup_type: str, year: int | None
    ) -> Iterable[Observation]:
        rows = self.query(
            f"SELECT {OBS_COLUMNS} FROM observation WHERE geoid = ? AND subgroup_type = ?",
            [geo.geoid, subgroup_type],
        )
        by_variable: dict[str, list[Observation]] = defaultdict(list)
        for row in rows:
            by_variable[row[4]].append(self._obs(row))
        for cells in by_variable.values():
            with_values = [
                c.year for c in cells if c.status == PUBLISHED and c.subgroup != ALL_LABEL
            ]
            pick = year if year is not None else max(with_values, default=None)
            yield from sorted((c for c in cells if c.year == pick), key=self._display_key)

    # Release ------------------------------------------------------------------------

    def status(self) -> ReleaseInfo:
        release = self.query(
            "SELECT release_id, source, source_dir, version, loaded_at, upward_version, "
            "files_verified, files FROM release"
        )[0]
        counts = self.query(
            "SELECT (SELECT count(*) FROM observation), "
            f"(SELECT count(*) FROM geography WHERE geo_level = '{COUNTY}'), "
            f"(SELECT count(*) FROM geography WHERE geo_level = '{CITY}')"
        )[0]
        release_id, source, source_dir, version, loaded_at, upward_version, verified, files = (
            release
        )
        return ReleaseInfo(
            release_id=release_id,
            source=source,
            source_dir=source_dir,
            version=version,
            loaded_at=loaded_at.replace(tzinfo=UTC),
            upward_version=upward_version,
            files_verified=verified,
            files=files,
            observations=counts[0],
            counties=counts[1],
            cities=counts[2],
            path=str(self.path),
        )

    @cached_property
    def version(self) -> str:
        """Which of Urban's releases the files were, as recorded by the load."""
        rows = self.query("SELECT version FROM release")
        return str(rows[0][0]) if rows else ""

    @property
    def citation(self) -> str:
        """The source line every page and document prints: title, release name, version."""
        name = f"release {self.release_name}: " if self.release_name else ""
        return f"{CITATION}, {name}{self.version}" if self.version else CITATION

    @cached_property
    def release_name(self) -> str | None:
        """The name the release was loaded under (``data load --release``), if any."""
        rows = self.query("SELECT value FROM meta WHERE key = 'release'")
        return str(rows[0][0]) if rows and rows[0][0] else None

    def files(self) -> list[dict[str, Any]]:
        cols = ["file_id", "path", "kind", "geo_level", "rows", "rows_rejected", "cells", "metrics",
                "sha256", "matches_manifest", "notes"]  # fmt: skip
        rows = self.query(f"SELECT {', '.join(cols)} FROM release_file ORDER BY path")
        return [dict(zip(cols, row, strict=True)) for row in rows]
