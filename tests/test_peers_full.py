"""Peers for the 26 localities of the Mobility Action Learning Network, on the full data.

Each locality is mapped to the place Urban publishes for it. Cities of 75,000 people or
more are in Urban's city universe and are used as cities; counties are used as counties.
Dubuque, IA (about 59,000 people) is below the city threshold, so its county (Dubuque
County, 19061) stands in for it. Denver, New Orleans, Alexandria and Richmond are also
county equivalents (08031, 22071, 51510, 51760); the network works at city level there,
so the city is used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from upward.analysis.peer_set import PeerSet
from upward.analysis.peers import FeatureTable, PeerMethod
from upward.data.warehouse import Warehouse
from upward.explore import Release
from upward.reports import place_analysis
from upward.reports.place_analysis import analyze_place, feature_table, place_peers

pytestmark = pytest.mark.full

NETWORK = {
    "Forsyth County, NC": "37067",
    "Kansas City, MO": "2938000",
    "Ramsey County, MN": "27123",
    "San Jose, CA": "0668000",
    "San Mateo County, CA": "06081",
    "Tulsa, OK": "4075000",
    "Alexandria, VA": "5101000",
    "Dallas, TX": "4819000",
    "Green Bay, WI": "5531000",
    "Hammond, IN": "1831000",
    "New Haven, CT": "0952000",
    "New Orleans, LA": "2255000",
    "Palm Beach County, FL": "12099",
    "Santa Barbara County, CA": "06083",
    "Washington County, PA": "42125",
    "Denver, CO": "0820000",
    "Dubuque, IA": "19061",
    "Tacoma, WA": "5370000",
    "Charlotte, NC": "3712000",
    "Dayton, OH": "3921000",
    "Fairfax County, VA": "51059",
    "Memphis, TN": "4748000",
    "Pima County, AZ": "04019",
    "Providence, RI": "4459000",
    "Richmond, VA": "5167000",
    "Rochester, NY": "3663000",
}


@pytest.fixture(scope="module")
def warehouse(full_warehouse_path: Path):  # type: ignore[no-untyped-def]
    with Warehouse(full_warehouse_path) as wh:
        yield wh


@pytest.fixture(scope="module")
def tables(warehouse: Warehouse) -> dict[str, FeatureTable]:
    """The feature table of each kind of place, built once for the module (as the release
    facade keeps one): the per-place tests find peers in it."""
    return {level: feature_table(warehouse, level) for level in ("county", "city")}


def test_the_network_has_26_localities() -> None:
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_dbe219559a52d520.txt"
    if seeds.is_file():
        listed = [
            line[2:].strip() for line in seeds.read_text().splitlines() if line.startswith("- ")
        ]
        assert sorted(listed) == sorted(NETWORK)
    assert len(NETWORK) == 26


@pytest.mark.parametrize(("name", "geoid"), sorted(NETWORK.items()))
def test_explained_deterministic_peers(
    warehouse: Warehouse, tables: dict[str, FeatureTable], name: str, geoid: str
) -> None:
    geo = warehouse.geography(geoid)
    assert geo.current
    table = tables[geo.geo_level]
    first = place_peers(warehouse, geo, table=table)
    assert first == place_peers(warehouse, geo, table=table)  # deterministic
    assert len(first.peers) == 5
    assert geoid not in first.geoids
    distances = [p.distance for p in first.peers]
    assert all(d is not None for d in distances)
    assert distances == sorted(distances)  # type: ignore[type-var]
    for peer in first.peers:
        other = warehouse.geography(peer.geoid)
        assert other.geo_level == geo.geo_level and other.current
        assert any(row.used for row in peer.why)
        assert peer.why[0].feature_id == "population"
    filtered = place_peers(
        warehouse, geo, PeerMethod(k=3, same_state=True, population_band=(0.5, 2)), table=table
    )
    assert all(warehouse.geography(g).state_fips == geo.state_fips for g in filtered.geoids)


def test_a_saved_set_is_explained_and_compared(warehouse: Warehouse) -> None:
    chosen = PeerSet("Twin Cities", "27123", ("27053", "27037"), added=("27053", "27037"))
    result = analyze_place(warehouse, "27123", peer_set=chosen, metric="low_birth_weight")
    assert result.peers.geoids == ("27053", "27037")
    assert {p.source for p in result.peers.peers} == {"added"}
    (vc,) = result.comparisons
    assert vc.peer_set_name == "Twin Cities"
    assert vc.target is not None and vc.target.year == 2023
    assert [p.name for p in vc.peers] == ["Hennepin County, MN", "Dakota County, MN"]


@pytest.mark.parametrize("level", ["county", "city"])
def test_peers_are_the_same_from_a_fresh_feature_table(
    warehouse: Warehouse, tables: dict[str, FeatureTable], level: str
) -> None:
    """A table built again gives every locality of the network the same peers as the kept
    one (what the per-place tests use), and ``place_peers`` without a table builds its own."""
    fresh = feature_table(warehouse, level)
    assert fresh.places == tables[level].places and fresh.zscores == tables[level].zscores
    geoids = [g for g in NETWORK.values() if warehouse.geography(g).geo_level == level]
    assert len(geoids) > 5
    for geoid in geoids:
        kept = place_peers(warehouse, geoid, table=tables[level])
        assert place_peers(warehouse, geoid, table=fresh) == kept, geoid
    assert place_peers(warehouse, geoids[0]) == place_peers(warehouse, geoids[0], table=fresh)


def test_warm_peers_reuse_the_kept_feature_table(
    full_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once warm, finding a place's peers builds no feature table again: the release keeps
    one per kind of place (the timing itself is a benchmark's business, not a test's)."""
    built: list[str] = []
    build = place_analysis.feature_table

    def counted(warehouse: Warehouse, level: str) -> FeatureTable:
        built.append(level)
        return build(warehouse, level)

    monkeypatch.setattr(place_analysis, "feature_table", counted)
    with Release(Warehouse(full_warehouse_path)) as release:
        first, _ = release.peers("27123")  # warm the feature table
        assert built == ["county"]
        for _ in range(5):
            again, _ = release.peers("27123")
            assert again == first
        release.peers("2758000")  # a city: its own table, once
        release.peers("4075000")
        assert built == ["county", "city"]
        assert release.cache.size("feature_tables") == 2
