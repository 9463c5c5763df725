"""Explainable peers: the places of the same kind most like a given place.

Each place is described by published characteristics (:data:`FEATURES`). Every
characteristic is standardized over all current places of that kind (a z-score: how many
standard deviations from the average place), and the distance between two places is the
weighted Euclidean distance between their z-scores. The k nearest places are the peers;
ties are broken by FIPS code so the answer never depends on the order of the data.

When a characteristic is missing for a candidate (small counties have no income
estimate), it is dropped from that pair's distance and the remaining weighted sum is scaled
up by (total weight / weight used), so a place is not made to look closer by having fewer
published numbers. Candidates with less than half of the weight available are left out,
and each peer lists the characteristics that were dropped for it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from upward.analysis.region import census_region
from upward.catalog import COUNTY, GEO_LEVELS

FeatureUnit = Literal["people", "share", "dollars"]
PeerSource = Literal["found", "added"]
MIN_WEIGHT_SHARE = 0.5


@dataclass(frozen=True)
class Feature:
    """A characteristic used to find peers.

    ``id`` is Urban's variable name where the characteristic is a published variable;
    ``population`` and ``in_place_share`` come from the population table and the
    county-to-place crosswalk.
    """

    id: str
    label: str
    unit: FeatureUnit
    weight: float
    source: str
    levels: tuple[str, ...] = GEO_LEVELS
    log_scale: bool = False


FEATURES: tuple[Feature, ...] = (
    Feature("population", "Population", "people", 1.0, "Urban's population table", log_scale=True),
    Feature("share_desc_rep_white_nonhispanic", "White, non-Hispanic residents", "share", 0.5,
            "residents' shares (descriptive representation metric)"),
    Feature("share_desc_rep_black_nonhispanic", "Black, non-Hispanic residents", "share", 0.5,
            "residents' shares (descriptive representation metric)"),
    Feature("share_desc_rep_hispanic", "Hispanic residents", "share", 0.5,
            "residents' shares (descriptive representation metric)"),
    Feature("share_desc_rep_other", "Residents of other races and ethnicities", "share", 0.5,
            "residents' shares (descriptive representation metric)"),
    Feature("pctl_income_20", "Household income, 20th percentile", "dollars", 1 / 3,
            "household income metric"),
    Feature("pctl_income_50", "Household income, median", "dollars", 1 / 3,
            "household income metric"),
    Feature("pctl_income_80", "Household income, 80th percentile", "dollars", 1 / 3,
            "household income metric"),
    Feature("share_poverty_exposure", "People in poverty living in high-poverty neighborhoods",
            "share", 1.0, "concentrated poverty metric"),
    Feature("in_place_share", "Residents living in a city, town or census-designated place",
            "share", 1.0, "Geocorr 2022 county-to-place allocation (an urbanicity proxy)",
            levels=(COUNTY,)),
)  # fmt: skip
FEATURE_BY_ID: dict[str, Feature] = {f.id: f for f in FEATURES}


class PeerError(ValueError):
    """A peer request that cannot be answered (unknown place, bad filter, bad weights)."""


def features_for(geo_level: str) -> tuple[Feature, ...]:
    return tuple(f for f in FEATURES if geo_level in f.levels)


class PlaceRecord(Protocol):
    """A place's characteristics as the data layer reads them."""

    @property
    def geoid(self) -> str: ...
    @property
    def geo_level(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def state_fips(self) -> str: ...
    @property
    def state_abbr(self) -> str: ...
    @property
    def values(self) -> Mapping[str, float | None]: ...


@dataclass(frozen=True)
class PlaceFeatures:
    """One place's characteristics, as published (population in people, shares 0–1)."""

    geoid: str
    geo_level: str
    name: str
    state_fips: str
    state_abbr: str
    values: Mapping[str, float | None] = field(hash=False)

    @property
    def region(self) -> str | None:
        return census_region(self.state_fips)

    @property
    def population(self) -> float | None:
        return self.values.get("population")


def _transform(feature: Feature, value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if feature.log_scale:
        return math.log10(value) if value > 0 else None
    return value


@dataclass(frozen=True, eq=False)
class FeatureTable:
    """The characteristics of every current place of one kind, with their z-scores."""

    geo_level: str
    places: Mapping[str, PlaceFeatures]
    years: Mapping[str, int | None]
    """The data year each characteristic was read from."""
    zscores: Mapping[str, Mapping[str, float | None]] = field(init=False, repr=False)
    stats: Mapping[str, tuple[float, float]] = field(init=False, repr=False)

    @classmethod
    def build(
        cls, geo_level: str, records: Iterable[PlaceRecord], years: Mapping[str, int | None]
    ) -> FeatureTable:
        """The table of every record of ``geo_level`` (records of other kinds are skipped)."""
        places = {
            r.geoid: PlaceFeatures(r.geoid, r.geo_level, r.name, r.state_fips, r.state_abbr,
                                   dict(r.values))
            for r in records
            if r.geo_level == geo_level
        }  # fmt: skip
        return cls(geo_level, dict(sorted(places.items())), dict(years))

    def __post_init__(self) -> None:
        stats: dict[str, tuple[float, float]] = {}
        zscores: dict[str, dict[str, float | None]] = {g: {} for g in self.places}
        for feature in self.features:
            values = {
                g: _transform(feature, p.values.get(feature.id)) for g, p in self.places.items()
            }
            present = [v for v in values.values() if v is not None]
            mean = sum(present) / len(present) if present else 0.0
            var = sum((v - mean) ** 2 for v in present) / len(present) if present else 0.0
            sd = math.sqrt(var)
            stats[feature.id] = (mean, sd)
            for geoid, v in values.items():
                zscores[geoid][feature.id] = None if v is None or sd == 0 else (v - mean) / sd
        object.__setattr__(self, "stats", stats)
        object.__setattr__(self, "zscores", zscores)

    @property
    def features(self) -> tuple[Feature, ...]:
        return features_for(self.geo_level)

    def place(self, geoid: str) -> PlaceFeatures:
        found = self.places.get(geoid)
        if found is None:
            raise PeerError(f"No current {self.geo_level} with FIPS code {geoid} to compare.")
        return found


@dataclass(frozen=True)
class PeerMethod:
    """How a peer set was found: the user can change every part of it."""

    k: int = 5
    weights: tuple[tuple[str, float], ...] = ()
    """Weights that differ from each feature's default, as (feature id, weight) pairs."""
    same_state: bool = False
    same_region: bool = False
    population_band: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if self.k < 1:
            raise PeerError("The number of peers must be at least 1.")
        for feature_id, weight in self.weights:
            if feature_id not in FEATURE_BY_ID:
                known = ", ".join(FEATURE_BY_ID)
                raise PeerError(f"Unknown characteristic '{feature_id}'. Known: {known}.")
            if weight < 0 or math.isnan(weight):
                raise PeerError(f"The weight of '{feature_id}' must be zero or more.")
        band = self.population_band
        if band is not None and not (0 < band[0] <= 1 <= band[1]):
            raise PeerError("The population band must be two factors, low ≤ 1 ≤ high, e.g. 0.5,2.")

    def weight(self, feature: Feature) -> float:
        return dict(self.weights).get(feature.id, feature.weight)

    def describe(self) -> str:
        parts = [f"{self.k} nearest by standardized distance"]
        if self.weights:
            parts.append("weights " + ", ".join(f"{f}={w:g}" for f, w in self.weights))
        if self.same_state:
            parts.append("same state")
        if self.same_region:
            parts.append("same Census region")
        if self.population_band:
            low, high = self.population_band
            parts.append(f"population {low:g}× to {high:g}× the place's")
        return "; ".join(parts)


@dataclass(frozen=True)
class FeatureRow:
    """One line of the "why these peers" table."""

    feature_id: str
    label: str
    unit: FeatureUnit
    target_value: float | None
    peer_value: float | None
    z_difference: float | None
    """Peer minus place, in standard deviations across all places of this kind."""
    used: bool
    weight: float

    @property
    def missing(self) -> bool:
        """Counted in the method but not published for the place or the peer."""
        return self.weight > 0 and self.z_difference is None


@dataclass(frozen=True)
class Peer:
    geoid: str
    name: str
    state_abbr: str
    distance: float | None
    why: tuple[FeatureRow, ...]
    same_state: bool
    same_region: bool
    source: PeerSource = "found"

    @property
    def dropped(self) -> tuple[str, ...]:
        """Labels of characteristics left out of this pair's distance (missing data)."""
        return tuple(row.label for row in self.why if row.missing)


@dataclass(frozen=True)
class PeerResult:
    target: PlaceFeatures
    peers: tuple[Peer, ...]
    method: PeerMethod
    candidates: int
    notes: tuple[str, ...]

    @property
    def geoids(self) -> tuple[str, ...]:
        return tuple(p.geoid for p in self.peers)


def _scaled_distance(
    target: Sequence[float | None], other: Sequence[float | None], weights: Sequence[float]
) -> float | None:
    """Weighted Euclidean distance over the features both have, scaled to the full weight."""
    total = used = squares = 0.0
    for a, b, w in zip(target, other, weights, strict=True):
        if a is None or w == 0:
            continue
        total += w
        if b is not None:
            used += w
            squares += w * (b - a) ** 2
    if total == 0 or used < MIN_WEIGHT_SHARE * total:
        return None
    return math.sqrt(squares * total / used)


def _distance(
    table: FeatureTable, target: str, other: str, weights: Mapping[str, float]
) -> tuple[float | None, tuple[FeatureRow, ...]]:
    zt, zo = table.zscores[target], table.zscores[other]
    tp, op = table.places[target].values, table.places[other].values
    rows = []
    for f in table.features:
        a, b = zt.get(f.id), zo.get(f.id)
        dz = None if a is None or b is None else b - a
        used = dz is not None and weights[f.id] > 0
        rows.append(
            FeatureRow(f.id, f.label, f.unit, tp.get(f.id), op.get(f.id), dz, used, weights[f.id])
        )
    order = [f.id for f in table.features]
    distance = _scaled_distance(
        [zt.get(f) for f in order], [zo.get(f) for f in order], [weights[f] for f in order]
    )
    return distance, tuple(rows)


def _peer(
    table: FeatureTable, target: PlaceFeatures, geoid: str, weights: Mapping[str, float],
    source: PeerSource = "found",
) -> Peer:  # fmt: skip
    other = table.place(geoid)
    distance, rows = _distance(table, target.geoid, geoid, weights)
    return Peer(
        geoid=geoid,
        name=other.name,
        state_abbr=other.state_abbr,
        distance=distance,
        why=rows,
        same_state=other.state_fips == target.state_fips,
        same_region=other.region is not None and other.region == target.region,
        source=source,
    )


def _passes(target: PlaceFeatures, other: PlaceFeatures, method: PeerMethod) -> bool:
    if other.geoid == target.geoid:
        return False
    if method.same_state and other.state_fips != target.state_fips:
        return False
    if method.same_region and other.region != target.region:
        return False
    band = method.population_band
    if band is not None and target.population:
        pop = other.population
        if pop is None or not band[0] * target.population <= pop <= band[1] * target.population:
            return False
    return True


def _target_notes(table: FeatureTable, target: PlaceFeatures, method: PeerMethod) -> list[str]:
    notes = []
    for feature in table.features:
        if method.weight(feature) > 0 and table.zscores[target.geoid].get(feature.id) is None:
            notes.append(f"{target.name} has no published value for {feature.label.lower()}, "
                         "so it is left out of every distance.")  # fmt: skip
    if method.population_band and not target.population:
        notes.append("No population is published for this place, so the band was not applied.")
    return notes


def find_peers(
    target_geoid: str,
    table: FeatureTable,
    method: PeerMethod | None = None,
    exclude: Iterable[str] = (),
) -> PeerResult:
    """The ``method.k`` places of the same kind nearest to the target."""
    method = method or PeerMethod()
    target = table.place(target_geoid)
    weights = {f.id: method.weight(f) for f in table.features}
    if sum(weights.values()) == 0:
        raise PeerError("At least one characteristic needs a weight above zero.")
    skip = set(exclude)
    ranked: list[tuple[float, str]] = []
    candidates = incomplete = 0
    order = [f.id for f in table.features]
    vector = [weights[f] for f in order]
    mine = [table.zscores[target.geoid][f] for f in order]
    for geoid, other in table.places.items():
        if geoid in skip or not _passes(target, other, method):
            continue
        candidates += 1
        theirs = table.zscores[geoid]
        distance = _scaled_distance(mine, [theirs[f] for f in order], vector)
        if distance is None:
            incomplete += 1
            continue
        ranked.append((distance, geoid))
    ranked.sort()
    peers = tuple(_peer(table, target, g, weights) for _, g in ranked[: method.k])
    notes = _target_notes(table, target, method)
    if incomplete:
        notes.append(f"{incomplete} candidate places were left out because fewer than half of "
                     "the characteristics (by weight) are published for them.")  # fmt: skip
    if len(peers) < method.k:
        notes.append(f"Only {len(peers)} places meet the filters.")
    if any(p.dropped for p in peers):
        notes.append("Where a peer lacks a characteristic, it is left out of that peer's "
                     "distance and the rest is scaled up to the full weight.")  # fmt: skip
    return PeerResult(target, peers, method, candidates, tuple(notes))


def explain_peers(
    target_geoid: str,
    geoids: Sequence[str],
    table: FeatureTable,
    method: PeerMethod | None = None,
    added: Iterable[str] = (),
) -> PeerResult:
    """The "why" table for a given list of peers (a saved or hand-edited set), in its order."""
    method = method or PeerMethod(k=max(len(geoids), 1))
    target = table.place(target_geoid)
    weights = {f.id: method.weight(f) for f in table.features}
    manual = set(added)
    peers = tuple(
        _peer(table, target, g, weights, "added" if g in manual else "found")
        for g in geoids
        if g != target_geoid
    )
    notes = _target_notes(table, target, method)
    return PeerResult(target, peers, method, len(peers), tuple(notes))
