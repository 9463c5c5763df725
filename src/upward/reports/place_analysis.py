"""A place's peers, comparisons, disparities, trends and insights, assembled from the warehouse.

This is the one entry point the command line, the web views and the documents call. It
reads through :mod:`upward.data` and computes through the pure :mod:`upward.analysis`.
Feature tables (z-scores of every place's characteristics) are built here and kept by the
release facade (:class:`upward.explore.Release`), which passes them back in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from upward.analysis.comparison import (
    ComparisonInputs,
    PeerSeries,
    VariableComparison,
    compare_place,
    compare_variable,
)
from upward.analysis.disparity import Breakdown, analyze_disparities
from upward.analysis.insight import InsightReport, build_insights
from upward.analysis.peer_set import PeerSet
from upward.analysis.peers import (
    FeatureTable,
    PeerMethod,
    PeerResult,
    explain_peers,
    features_for,
    find_peers,
)
from upward.analysis.trend import BrightSpots, Trend, bright_spots, trends
from upward.catalog import ALL_TYPE, Variable, get_catalog
from upward.data.context import NATION, PlaceContext, benchmarks, standings
from upward.data.features import IN_PLACE_SHARE, POPULATION, load_characteristics
from upward.data.model import Geography, Observation, ProfileEntry
from upward.data.warehouse import Warehouse
from upward.reports.numbers import format_number


def feature_table(warehouse: Warehouse, geo_level: str) -> FeatureTable:
    """Every current place's peer characteristics and z-scores.

    Built in a few hundred milliseconds on the full data; the release facade
    (:class:`upward.explore.Release`) keeps one per kind of place and passes it in.
    """
    names = [f.id for f in features_for(geo_level) if f.id not in (POPULATION, IN_PLACE_SHARE)]
    found = load_characteristics(warehouse, geo_level, names)
    return FeatureTable.build(geo_level, found.places, found.years)


def _place(warehouse: Warehouse, place: Geography | str) -> Geography:
    return place if isinstance(place, Geography) else warehouse.resolve_place(place)


def place_peers(
    warehouse: Warehouse,
    place: Geography | str,
    method: PeerMethod | None = None,
    peer_set: PeerSet | None = None,
    table: FeatureTable | None = None,
) -> PeerResult:
    """The peers of a place: found by ``method``, or the members of a given set, explained.

    ``table``: the feature table of the place's kind, if the caller keeps one.
    """
    geo = _place(warehouse, place)
    if table is None or table.geo_level != geo.geo_level:
        table = feature_table(warehouse, geo.geo_level)
    if peer_set is None:
        return find_peers(geo.geoid, table, method)
    if peer_set.target != geo.geoid:
        raise ValueError(f"This peer set belongs to {peer_set.target}, not {geo.geoid}.")
    return explain_peers(geo.geoid, peer_set.members, table, peer_set.method, peer_set.added)


def peer_set_for(result: PeerResult, peer_set: PeerSet | None = None) -> PeerSet:
    return peer_set or PeerSet.from_result(result)


def sentence_number(variable: Variable, value: float | None) -> str:
    return format_number(variable, value) if value is not None else "no value"


@dataclass(frozen=True)
class PlaceAnalysis:
    geography: Geography
    peers: PeerResult
    peer_set: PeerSet
    inputs: ComparisonInputs
    comparisons: tuple[VariableComparison, ...]
    breakdowns: tuple[Breakdown, ...]
    trends: tuple[Trend, ...]
    insights: InsightReport
    citation: str
    """Where the numbers come from, with the release (``Warehouse.citation``)."""


def comparison_inputs(
    warehouse: Warehouse, geo: Geography, peers: PeerResult, name: str
) -> tuple[ComparisonInputs, list[Observation]]:
    """The place's and its peers' published cells, standings and benchmarks."""
    cells = warehouse.series(geo)
    overall = [c for c in cells if c.subgroup_type == ALL_TYPE]
    peer_series = [
        PeerSeries(
            p.geoid, p.name, warehouse.series(warehouse.geography(p.geoid), subgroup_type=ALL_TYPE)
        )
        for p in peers.peers
    ]
    inputs = ComparisonInputs(
        geoid=geo.geoid,
        place_name=geo.display_name,
        geo_level=geo.geo_level,
        state_fips=geo.state_fips,
        state_name=geo.state_name,
        cells=overall,
        peers=peer_series,
        peer_set_name=name,
        standings=list(standings(warehouse, geo.geoid).values()),
        benchmarks=list(benchmarks(warehouse, geo.geo_level, (NATION, geo.state_fips)).values()),
    )
    return inputs, [c for c in cells if c.subgroup_type != ALL_TYPE]


def scope_comparisons(
    geo: Geography,
    entries: Iterable[ProfileEntry],
    cells: Sequence[Observation],
    contexts: Mapping[tuple[str, int], PlaceContext],
) -> dict[str, VariableComparison]:
    """Each entry's value against the state and national medians, by variable name.

    The Compare page's tests (:func:`~upward.analysis.comparison.compare_variable`, on the
    same benchmark table), without peers, from what a profile has already read: the
    place's cells and the standings and benchmarks of its values. No query, so a profile
    can show its verdicts without building the whole analysis. An entry without a cell
    (none in the year asked for) has no comparison.
    """
    entries = [e for e in entries if e.observation is not None]
    names = {e.variable.name for e in entries}
    standings_found = [c.standing for c in contexts.values() if c.standing is not None]
    benches = [b for c in contexts.values() for b in (c.nation, c.state) if b is not None]
    inputs = ComparisonInputs(
        geoid=geo.geoid, place_name=geo.display_name, geo_level=geo.geo_level,
        state_fips=geo.state_fips, state_name=geo.state_name,
        cells=[c for c in cells if c.variable in names and c.subgroup_type == ALL_TYPE],
        peers=(), peer_set_name="",
        standings=standings_found, benchmarks=benches,
    )  # fmt: skip
    return {
        e.variable.name: compare_variable(
            inputs, e.metric, e.variable, e.observation.year, with_peers=False
        )
        for e in entries
        if e.observation is not None  # (all are: for the type checker)
    }


def analyze_place(
    warehouse: Warehouse,
    place: Geography | str,
    method: PeerMethod | None = None,
    peer_set: PeerSet | None = None,
    metric: str | None = None,
    table: FeatureTable | None = None,
) -> PlaceAnalysis:
    """Peers, comparisons with peers, state and nation, disparities, trends and insights."""
    geo = _place(warehouse, place)
    catalog = warehouse.catalog
    if metric:
        catalog.metric(metric)
    peers = place_peers(warehouse, geo, method, peer_set, table)
    chosen = peer_set_for(peers, peer_set)
    inputs, subgroup_cells = comparison_inputs(warehouse, geo, peers, chosen.name)
    comparisons = compare_place(inputs, catalog, metric)
    breakdowns = analyze_disparities(catalog, subgroup_cells, metric)
    found_trends = tuple(
        t for t in trends(catalog, inputs.cells) if not metric or t.metric.id == metric
    )
    insights = build_insights(
        catalog, geo.display_name, chosen.name, comparisons, breakdowns, found_trends,
        sentence_number,
    )  # fmt: skip
    return PlaceAnalysis(geo, peers, chosen, inputs, comparisons, breakdowns, found_trends,
                         insights, warehouse.citation)  # fmt: skip


def place_bright_spots(analysis: PlaceAnalysis, predictor_id: str) -> BrightSpots:
    """The peers (and the place itself) that improved most on a predictor."""
    inputs = analysis.inputs
    series: Sequence[PeerSeries] = [
        PeerSeries(inputs.geoid, inputs.place_name, inputs.cells),
        *inputs.peers,
    ]
    return bright_spots(get_catalog(), predictor_id, series)
