"""One loaded release, as every caller sees it: places, profiles, peers, analyses, guides.

:class:`Release` wraps the read-only warehouse of one release. It names places (one
check of a FIPS code's form and kind, one set of typed errors with suggestions), returns
typed results built by :mod:`upward.data`, :mod:`upward.analysis` and
:mod:`upward.reports`, and keeps everything worth keeping in one :class:`ReleaseCache`,
dropped at once by :meth:`Release.invalidate` when the release stops answering.
The command line, the pages, the API and the documents call it; none of them opens
a warehouse.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from upward import config
from upward.analysis.comparison import VariableComparison
from upward.analysis.disparity import Breakdown
from upward.analysis.insight import InsightReport
from upward.analysis.peer_set import PeerSet, PeerSetError
from upward.analysis.peers import FeatureTable, PeerError, PeerMethod, PeerResult
from upward.analysis.trend import BrightSpots, Trend
from upward.catalog import ALL_TYPE, Catalog
from upward.data import city_county, distribution, state_table
from upward.data.city_county import CityCounty
from upward.data.context import (
    NATION,
    PlaceContext,
    ScopeBenchmarks,
    benchmarks,
    place_context,
    scope_benchmarks,
    standing_rows,
    standing_rows_of,
)
from upward.data.model import Geography, Observation, Profile, ProfileEntry, ReleaseInfo
from upward.data.warehouse import AmbiguousPlace, PlaceNotFound, Warehouse
from upward.explore.cache import ReleaseCache
from upward.explore.peer_choice import KIND_PLURAL, PeerChoice, PeerChoiceError
from upward.explore.shapes import ProfileOut, profile_json, profile_out, release_ref
from upward.reports import place_analysis
from upward.reports.place_analysis import PlaceAnalysis
from upward.reports.review_guide import ReviewGuide, build_review_guide

T = TypeVar("T")

#: Whole analyses kept (a place with one peer choice each; about 0.5 MB each at most).
ANALYSES_KEPT = 32
#: The store of each kind of place's benchmarks per scope (the nation, each state).
BENCHMARKS = "benchmarks"
#: Benchmark tables kept: every scope (51 states and the nation) of both kinds of place.
BENCHMARKS_KEPT = 128
#: Metric-page overviews kept (summary, states, histogram and map values of a choice).
OVERVIEWS_KEPT = 256


class Release:
    """A loaded release: its warehouse, its places and everything computed from them."""

    def __init__(self, warehouse: Warehouse, name: str | None = None) -> None:
        self._warehouse = warehouse
        self.name = name or warehouse.release_name
        """The release's name in the registry (``?release=``), if it has one."""
        self.cache = ReleaseCache()
        """Every kept result of this release (see :meth:`keep`)."""
        self._reader: ThreadPoolExecutor | None = None
        self._ahead: dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]] = {}
        """Cells and standing rows read ahead (:meth:`read_ahead`), by place code."""

    @classmethod
    def open(
        cls, path: Path | None = None, release: str | None = None, catalog: Catalog | None = None
    ) -> Release:
        """The release at ``path`` (default: the configured warehouse), or its ``release``.

        A missing file is :class:`ReleaseMissing` (also ``WarehouseMissing``); an unknown
        release name :class:`UnknownRelease` with the loaded names.
        """
        target = Path(path) if path is not None else config.warehouse_path()
        if release is None:
            return cls(Warehouse(target, catalog))
        return cls(Warehouse.open_release(target, release, catalog), release)

    # -- the release itself ---------------------------------------------------------------

    @property
    def warehouse(self) -> Warehouse:
        """The warehouse underneath, for the data layer's own functions and tests."""
        return self._warehouse

    @property
    def catalog(self) -> Catalog:
        return self._warehouse.catalog

    @property
    def path(self) -> Path:
        return self._warehouse.path

    @property
    def citation(self) -> str:
        """Where the numbers come from: title, release name, version."""
        return self._warehouse.citation

    @property
    def version(self) -> str:
        return self._warehouse.version

    @property
    def release_name(self) -> str | None:
        """The name the file was loaded under (``data load --release``), if recorded."""
        return self._warehouse.release_name

    def status(self) -> ReleaseInfo:
        return self._warehouse.status()

    def files(self) -> list[dict[str, Any]]:
        return self._warehouse.files()

    def close(self) -> None:
        """Drop the kept results and close the warehouse."""
        self.invalidate()
        if self._reader is not None:
            self._reader.shutdown()
        self._warehouse.close()

    def __enter__(self) -> Release:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- the one cache ----------------------------------------------------------------------

    def keep(self, store: str, key: Hashable, build: Callable[[], T], size: int = 64) -> T:
        """``build()``, kept in this release's store ``store`` (at most ``size`` entries).

        How the layers above keep what they make from a release (rendered profiles,
        finished pages): the storage is this release's, so it goes with the release.
        """
        return self.cache.keep(store, key, build, size)

    def invalidate(self) -> None:
        """Drop every kept result (the release no longer answers; tests; benchmarks)."""
        self.cache.clear()

    # -- places -----------------------------------------------------------------------------

    @property
    def places(self) -> dict[str, Geography]:
        """Every county and city, by FIPS code, in FIPS order."""
        return self._warehouse.geographies

    def place(self, level: str, fips: str) -> Geography:
        """The county or city (``level``) with this FIPS code, its form checked first.

        :class:`BadPlaceCode` (a 400: not digits, the wrong width, the other kind's code)
        or :class:`PlaceNotFound` with the closest codes of that kind.
        """
        return self._warehouse.place(level, fips)

    def geography(self, geoid: str) -> Geography:
        """The place with this FIPS code, of either kind; else :class:`PlaceNotFound`."""
        return self._warehouse.geography(geoid)

    def find_place(self, text: str, level: str | None = None) -> Geography:
        """A place from a FIPS code or a name such as "Ramsey County, MN".

        :class:`AmbiguousPlace` (several match) or :class:`PlaceNotFound`, with suggestions.
        """
        return self._warehouse.resolve_place(text, level)

    def search(self, text: str, limit: int = 10, level: str | None = None) -> list[Geography]:
        """Places whose name or FIPS code matches ``text``, best first."""
        return self._warehouse.search(text, limit=limit, geo_level=level)

    def places_of(self, level: str | None = None, state_fips: str | None = None) -> list[Geography]:
        """Every place of one kind (or both) and one state (or all), in FIPS order."""
        return [
            g
            for g in self.places.values()
            if level in (None, g.geo_level) and state_fips in (None, g.state_fips)
        ]

    def counties_of_city(self, name: str, state_abbr: str) -> list[CityCounty]:
        """The counties the city ``name`` (e.g. "Dubuque") of the state ``state_abbr`` lies
        in, by the release's county-to-place crosswalk, largest share of the city first;
        also for a city too small for Urban's city data. Empty when the crosswalk has none."""
        return city_county.counties_of_city(self._warehouse, name, state_abbr)

    def _geo(self, place: Geography | str) -> Geography:
        return place if isinstance(place, Geography) else self.find_place(place)

    # -- a place's data ---------------------------------------------------------------------

    def profile(
        self, place: Geography | str, year: int | None = None, subgroup_type: str | None = None
    ) -> Profile:
        """The latest (or ``year``'s) value of every metric, by pillar and predictor."""
        return self._warehouse.profile(self._geo(place), year=year, subgroup_type=subgroup_type)

    def series(
        self,
        place: Geography | str,
        metric: str | None = None,
        subgroup_type: str | None = None,
    ) -> list[Observation]:
        """Every published cell of a place (optionally one metric and one breakdown)."""
        return self._warehouse.series(self._geo(place), metric, subgroup_type=subgroup_type)

    def subgroups(self, place: Geography | str, metric: str | None = None) -> list[Observation]:
        """Every breakdown cell of a place (race, income, ...), optionally of one metric."""
        return [o for o in self.series(place, metric) if o.subgroup_type != ALL_TYPE]

    def profile_and_series(
        self, place: Geography | str, year: int | None = None
    ) -> tuple[Profile, list[Observation]]:
        """``profile(place, year)`` and ``series(place)`` from one query (the web profile)."""
        return self._warehouse.profile_and_series(self._geo(place), year=year)

    def read_ahead(self, places: Iterable[Geography]) -> None:
        """Read the cells and the standings of ``places`` in one query each, rather than
        two queries a place: the next :meth:`profile_series_and_context` of each of them
        takes what was read (once). For a caller that builds many profiles in turn (the
        static export, a chunk of places at a time)."""
        geos = list(places)
        if not geos:
            return
        cells = self._warehouse.places_rows(geos)
        ranks = standing_rows_of(self._warehouse, cells)
        self._ahead = {geoid: (rows, ranks[geoid]) for geoid, rows in cells.items()}

    def profile_series_and_context(
        self, place: Geography, year: int | None = None
    ) -> tuple[Profile, list[Observation], dict[tuple[str, int], PlaceContext]]:
        """:meth:`profile_and_series` and the :meth:`place_context` of the profile's values
        (the web profile): the overall cells of every year, and of each breakdown the
        cells of the year the page shows (``Warehouse.profile_and_series``,
        ``shown_breakdowns``). The standings, and the benchmarks not kept yet, are read on a
        second thread while this one reads and builds the cells: DuckDB runs a query
        without the GIL, so the queries overlap rather than add up. What :meth:`read_ahead`
        read of the place is taken instead."""
        ahead = self._ahead.pop(place.geoid, None)
        if ahead is not None:  # (the scopes' benchmarks are read at most once, and kept)
            self._read_scopes(place.geo_level, (NATION, place.state_fips))
            profile, cells = self._warehouse.profile_and_series(
                place, year, shown_breakdowns=True, rows=ahead[0]
            )
            rows = ahead[1]
        else:
            profile, cells, rows = self._read_profile(place, year)
        contexts = place_context(
            self._warehouse, place, _valued(profile), self.scope_benchmarks, rows
        )
        return profile, cells, contexts

    def _read_profile(
        self, place: Geography, year: int | None
    ) -> tuple[Profile, list[Observation], list[tuple[Any, ...]]]:
        if self._reader is None:
            self._reader = ThreadPoolExecutor(1, thread_name_prefix="upward-release")
        scopes = (NATION, place.state_fips)
        standings = self._reader.submit(standing_rows, self._warehouse, place.geoid)
        # Once a scope's benchmarks are kept (every page after the first of its state),
        # nothing is handed to the reader for them.
        benches = None
        if self._missing_scopes(place.geo_level, scopes):
            benches = self._reader.submit(self._read_scopes, place.geo_level, scopes)
        profile, cells = self._warehouse.profile_and_series(place, year, shown_breakdowns=True)
        rows = standings.result()
        if benches is not None:
            benches.result()
        return profile, cells, rows

    def scope_comparisons(
        self,
        place: Geography,
        entries: Iterable[ProfileEntry],
        cells: Sequence[Observation],
        contexts: Mapping[tuple[str, int], PlaceContext],
    ) -> dict[str, VariableComparison]:
        """The entries' values tested against the state and national medians, as the
        Compare page tests them, from what :meth:`profile_series_and_context` returned
        (no query; :func:`upward.reports.place_analysis.scope_comparisons`)."""
        return place_analysis.scope_comparisons(place, entries, cells, contexts)

    def profile_shape(
        self, place: Geography | str, year: int | None = None, subgroup_type: str | None = None
    ) -> ProfileOut:
        """The profile as its one JSON shape (the API, the ``.json`` twin, ``--format json``),
        with every entry's series and standing (three queries; the benchmarks are kept)."""
        geo = self._geo(place)
        profile = self.profile(geo, year=year, subgroup_type=subgroup_type)
        series = self.series(geo, subgroup_type=ALL_TYPE)
        contexts = self.place_context(geo, _valued(profile))
        return profile_out(profile, self.catalog, release_ref(self), series, contexts)

    def profile_shape_of(
        self,
        profile: Profile,
        cells: Iterable[Observation],
        contexts: Mapping[tuple[str, int], PlaceContext],
    ) -> ProfileOut:
        """:meth:`profile_shape` of the overall profile (no ``subgroup_type``) from what
        :meth:`profile_series_and_context` returned for it (no query: the web profile's
        ``.json`` twin, from the cells its page was built from)."""
        series = [c for c in cells if c.subgroup_type == ALL_TYPE]
        return profile_out(profile, self.catalog, release_ref(self), series, contexts)

    def profile_json_of(
        self,
        profile: Profile,
        cells: Iterable[Observation],
        contexts: Mapping[tuple[str, int], PlaceContext],
    ) -> dict[str, Any]:
        """``profile_shape_of(...).model_dump(mode="json")``, without making the models
        (:func:`upward.explore.shapes.profile_json`): the web profile's ``.json`` twin."""
        series = [c for c in cells if c.subgroup_type == ALL_TYPE]
        return profile_json(profile, self.catalog, release_ref(self), series, contexts)

    def place_context(
        self, place: Geography, wanted: Iterable[tuple[str, int]]
    ) -> dict[tuple[str, int], PlaceContext]:
        """The place's standing and the national and state medians, per (variable, year)."""
        self._read_scopes(place.geo_level, (NATION, place.state_fips))
        return place_context(self._warehouse, place, wanted, self.scope_benchmarks)

    def _read_scopes(self, level: str, scopes: tuple[str, ...]) -> None:
        """Keep the benchmarks of the scopes not kept yet, read in one query (after a
        release switch, the nation and the state: one scan of the table rather than two)."""
        missing = self._missing_scopes(level, scopes)
        if not missing:
            return
        tables: dict[str, ScopeBenchmarks] = {scope: {} for scope in missing}
        for (variable, year, scope), bench in benchmarks(self._warehouse, level, missing).items():
            tables[scope][variable, year] = bench
        for scope, table in tables.items():
            self.cache.put(BENCHMARKS, (level, scope), table, BENCHMARKS_KEPT)

    def _missing_scopes(self, level: str, scopes: tuple[str, ...]) -> list[str]:
        """The scopes whose benchmarks of ``level`` are not kept."""
        return [s for s in scopes if self.cache.get(BENCHMARKS, (level, s)) is None]

    def scope_benchmarks(self, level: str, scope: str) -> ScopeBenchmarks:
        """The benchmarks of one kind of place in one scope ('US' or a state), kept."""
        return self.keep(
            BENCHMARKS,
            (level, scope),
            lambda: scope_benchmarks(self._warehouse, level, scope),
            size=BENCHMARKS_KEPT,
        )

    # -- a metric across places (the metric pages and API) ----------------------------------

    def selection(
        self,
        metric: str,
        variable: str | None = None,
        year: str | int | None = None,
        level: str | None = None,
    ) -> distribution.Selection:
        """A metric's variable, year and kind of place, checked (:class:`InvalidChoice`)."""
        return distribution.select(self._warehouse, metric, variable, year, level)

    def overview(self, selection: distribution.Selection) -> distribution.Overview:
        """The summary, state spreads, histogram and map values of a selection, kept."""
        return self.keep(
            "overviews",
            selection,
            lambda: distribution.overview(self._warehouse, selection),
            size=OVERVIEWS_KEPT,
        )

    def summary(self, selection: distribution.Selection) -> distribution.Summary:
        return distribution.summarize(self._warehouse, selection)

    def state_spreads(self, selection: distribution.Selection) -> list[distribution.StateSpread]:
        return distribution.state_spreads(self._warehouse, selection)

    def place_values(
        self,
        selection: distribution.Selection,
        *,
        order: str = "geoid",
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[int, list[distribution.PlaceValue]]:
        """How many places have a value, and one page of them."""
        return distribution.place_values(
            self._warehouse, selection, order=order, limit=limit, offset=offset
        )

    def state_values(
        self, selection: distribution.Selection, state_fips: str
    ) -> dict[str, state_table.StateValue]:
        """The places of one state with a value row for the selection, with their standing
        in the state (the state page's table), by FIPS code."""
        return state_table.state_values(self._warehouse, selection, state_fips)

    # -- peers and analysis -----------------------------------------------------------------

    def feature_table(self, level: str) -> FeatureTable:
        """Every current place's peer characteristics and z-scores, kept per kind."""
        return self.keep(
            "feature_tables", level, lambda: place_analysis.feature_table(self._warehouse, level)
        )

    def peers(
        self, place: Geography | str, choice: PeerChoice | PeerMethod | None = None
    ) -> tuple[PeerResult, PeerSet]:
        """The explained peers and the set they form (found peers make an unnamed set).

        ``choice``: a method (default: the 5 nearest) or a :class:`PeerChoice`, whose
        set wins over its method. A problem is a :class:`PeerChoiceError`.
        """
        geo = self._geo(place)
        method, peer_set = _method_and_set(choice)
        try:
            result = place_analysis.place_peers(
                self._warehouse, geo, method, peer_set, self.feature_table(geo.geo_level)
            )
        except (PeerError, PeerSetError, ValueError) as error:  # ValueError: another's set
            raise PeerChoiceError(str(error)) from None
        return result, peer_set or PeerSet.from_result(result)

    def analysis(
        self,
        place: Geography | str,
        choice: PeerChoice | PeerMethod | None = None,
        metric: str | None = None,
    ) -> PlaceAnalysis:
        """Peers, comparisons, disparities, trends and insights of a place (kept).

        ``metric`` narrows the comparisons, breakdowns and trends to one metric (an
        unknown one is :class:`UnknownName`). A peer problem is a :class:`PeerChoiceError`.
        """
        geo = self._geo(place)
        method, peer_set = _method_and_set(choice)
        if metric:
            self.catalog.metric(metric)

        def build() -> PlaceAnalysis:
            try:
                return place_analysis.analyze_place(
                    self._warehouse, geo, method, peer_set, metric,
                    self.feature_table(geo.geo_level),
                )  # fmt: skip
            except (PeerError, PeerSetError, ValueError) as error:
                raise PeerChoiceError(str(error)) from None

        key = (geo.geoid, method, peer_set, metric)
        return self.keep("analyses", key, build, size=ANALYSES_KEPT)

    def comparisons(
        self,
        place: Geography | str,
        choice: PeerChoice | PeerMethod | None = None,
        metric: str | None = None,
    ) -> tuple[VariableComparison, ...]:
        """Every variable against the peers, the state and the nation."""
        found = self.analysis(place, choice).comparisons
        return tuple(vc for vc in found if not metric or vc.metric.id == metric)

    def disparities(
        self, place: Geography | str, metric: str | None = None
    ) -> tuple[Breakdown, ...]:
        """The gaps between groups of every breakdown, latest year, and how they changed."""
        if metric:
            self.catalog.metric(metric)
        found = self.analysis(place).breakdowns
        return tuple(b for b in found if not metric or b.metric.id == metric)

    def trends(self, place: Geography | str, metric: str | None = None) -> tuple[Trend, ...]:
        """How each variable changed over the published years."""
        if metric:
            self.catalog.metric(metric)
        found = self.analysis(place).trends
        return tuple(t for t in found if not metric or t.metric.id == metric)

    def insights(
        self, place: Geography | str, choice: PeerChoice | PeerMethod | None = None
    ) -> InsightReport:
        """Strengths, areas to explore, gaps and changes, in sentences with their numbers."""
        return self.analysis(place, choice).insights

    def bright_spots(self, analysis: PlaceAnalysis, predictor_id: str) -> BrightSpots:
        """The peers (and the place itself) that improved most on a predictor."""
        return place_analysis.place_bright_spots(analysis, predictor_id)

    def review_guide(
        self,
        place: Geography | str,
        choice: PeerChoice | PeerMethod | None = None,
        notes: Mapping[str, str] | None = None,
        created: date | None = None,
    ) -> ReviewGuide:
        """The Data Review Guide, pre-filled with the insights and the coalition's notes.

        An unknown question id or a note too long is a ``ValueError`` saying so.
        """
        return build_review_guide(self.analysis(place, choice), notes, created)

    def find_addition(self, geo: Geography, text: str, pick: str = "") -> Geography:
        """The place a person asked to add as a peer: a chosen suggestion, a code or a name.

        It must be of ``geo``'s kind and not ``geo`` itself; else a
        :class:`PeerChoiceError` with suggestions of the right kind.
        """
        query = (pick or text).strip()
        if not query:
            raise PeerChoiceError("Type a place's name or FIPS code to add it as a peer.")
        try:
            found = self.find_place(query)
        except AmbiguousPlace as error:
            same = tuple(g for g in error.suggestions if g.geo_level == geo.geo_level)
            raise PeerChoiceError(
                f"'{query}' matches more than one place; choose one of the suggestions or add "
                "the state.",
                same or tuple(error.suggestions),
            ) from None
        except PlaceNotFound as error:
            same = tuple(self.search(query, limit=5, level=geo.geo_level))
            raise PeerChoiceError(error.reason, same or tuple(error.suggestions)) from None
        if found.geo_level != geo.geo_level:
            same = tuple(self.search(query, limit=5, level=geo.geo_level))
            raise PeerChoiceError(
                f"{found.display_name} is a {found.geo_level}; the peers of a {geo.geo_level} "
                f"must be {KIND_PLURAL[geo.geo_level]}, so that every number compares like "
                "with like.",
                same,
            )
        if found.geoid == geo.geoid:
            raise PeerChoiceError(f"{geo.display_name} cannot be its own peer.")
        return found


def _method_and_set(choice: PeerChoice | PeerMethod | None) -> tuple[PeerMethod, PeerSet | None]:
    """The method (the default one when none is given: one cache key) and the set."""
    if isinstance(choice, PeerChoice):
        return choice.method, choice.peer_set
    return choice or PeerMethod(), None


def _valued(profile: Profile) -> list[tuple[str, int]]:
    """(variable, year) of every entry of the profile with a value: what has a standing."""
    return [(e.variable.name, e.observation.year) for e in profile.entries
            if e.observation is not None and e.observation.value is not None]  # fmt: skip
