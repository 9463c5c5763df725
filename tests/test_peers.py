"""The peer finder and peer sets, on a small hand-computed table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upward.analysis.peer_set import PeerSet, PeerSetError
from upward.analysis.peers import (
    FEATURES,
    FeatureTable,
    PeerError,
    PeerMethod,
    explain_peers,
    find_peers,
)
from upward.analysis.region import census_region

HISP, POV = "share_desc_rep_hispanic", "share_poverty_exposure"
#: Only two characteristics count, with weight 1 each, so distances can be checked by hand.
TWO = (*((f.id, 0.0) for f in FEATURES if f.id not in (HISP, POV)), (HISP, 1.0))


@dataclass(frozen=True)
class Record:
    geoid: str
    name: str
    state_fips: str
    values: dict[str, float | None] = field(hash=False)
    geo_level: str = "city"
    state_abbr: str = "XX"


def table() -> FeatureTable:
    rows = [
        Record("0100001", "A", "01", {"population": 100_000, HISP: 0.1, POV: 0.1}),
        Record("0100002", "B", "01", {"population": 300_000, HISP: 0.2, POV: 0.1}),
        Record("0100003", "C", "01", {"population": 150_000, HISP: 0.3, POV: 0.3}),
        Record("0100004", "D", "01", {"population": 90_000, HISP: 0.4, POV: 0.3}),
        Record("0200005", "E", "02", {"population": 100_000, HISP: 0.2, POV: None}),
        Record("01001", "a county", "01", {"population": 1}, geo_level="county"),
    ]
    years = {HISP: 2023, POV: 2023, "population": 2023}
    return FeatureTable.build("city", rows, years)


def test_z_scores_over_the_places_of_one_kind() -> None:
    t = table()
    assert set(t.places) == {"0100001", "0100002", "0100003", "0100004", "0200005"}
    mean, sd = t.stats[HISP]  # 0.1 .. 0.4 and 0.2: mean 0.24, sd √0.0104
    assert mean == pytest.approx(0.24)
    assert sd == pytest.approx(math.sqrt(0.0104))
    assert t.zscores["0100001"][HISP] == pytest.approx(-1.372813, rel=1e-6)
    assert t.stats[POV] == pytest.approx((0.2, 0.1))
    assert t.zscores["0200005"][POV] is None
    mean_log, _ = t.stats["population"]
    assert mean_log == pytest.approx(sum(math.log10(p) for p in (1e5, 3e5, 1.5e5, 9e4, 1e5)) / 5)


def test_nearest_peers_with_hand_computed_distances() -> None:
    result = find_peers("0100001", table(), PeerMethod(k=4, weights=TWO))
    assert result.geoids == ("0100002", "0200005", "0100003", "0100004")
    distances = [p.distance for p in result.peers]
    # B: Δz = 0.98058 on Hispanic share only; E: the same, scaled by √(2/1) for the missing
    # poverty value; C: √(1.96116² + 2²); D: √(2.94174² + 2²).
    assert distances == pytest.approx([0.980581, 1.386750, 2.801099, 3.557221], rel=1e-5)
    e = result.peers[1]
    assert e.dropped == ("People in poverty living in high-poverty neighborhoods",)
    assert any("scaled up" in note for note in result.notes)
    b = result.peers[0]
    row = next(r for r in b.why if r.feature_id == HISP)
    assert (row.target_value, row.peer_value, row.used) == (0.1, 0.2, True)
    assert row.z_difference == pytest.approx(0.980581, rel=1e-5)
    assert b.same_state and b.same_region and not e.same_state


def test_filters() -> None:
    t = table()
    same_state = find_peers("0100001", t, PeerMethod(k=5, weights=TWO, same_state=True))
    assert "0200005" not in same_state.geoids
    assert same_state.notes[-1] == "Only 3 places meet the filters." or len(same_state.peers) == 3
    region = find_peers("0100001", t, PeerMethod(k=5, weights=TWO, same_region=True))
    assert "0200005" not in region.geoids  # Alabama is South, Alaska West
    band = find_peers("0100001", t, PeerMethod(k=5, weights=TWO, population_band=(0.5, 2)))
    assert set(band.geoids) == {"0100003", "0100004", "0200005"}  # B has 3× the population


def test_candidates_missing_most_of_the_weight_are_left_out() -> None:
    weights = (*TWO, (POV, 3.0))
    result = find_peers("0100001", table(), PeerMethod(k=5, weights=weights))
    assert "0200005" not in result.geoids
    assert any("fewer than half" in note for note in result.notes)


def test_ties_are_broken_by_fips_code() -> None:
    rows = [
        Record("0100009", "Z", "01", {HISP: 0.2, POV: 0.2}),
        Record("0100001", "A", "01", {HISP: 0.1, POV: 0.1}),
        Record("0100005", "M", "01", {HISP: 0.2, POV: 0.2}),
    ]
    t = FeatureTable.build("city", rows, {})
    first = find_peers("0100001", t, PeerMethod(k=2, weights=TWO))
    assert first.geoids == ("0100005", "0100009")
    assert first.peers[0].distance == first.peers[1].distance
    assert find_peers("0100001", t, PeerMethod(k=2, weights=TWO)) == first


def test_bad_requests_are_refused_clearly() -> None:
    t = table()
    with pytest.raises(PeerError, match="No current city"):
        find_peers("9999999", t)
    with pytest.raises(PeerError, match="Unknown characteristic 'size'"):
        PeerMethod(weights=(("size", 1.0),))
    with pytest.raises(PeerError, match="population band"):
        PeerMethod(population_band=(2.0, 3.0))
    with pytest.raises(PeerError, match="at least 1"):
        PeerMethod(k=0)
    zero = tuple((f.id, 0.0) for f in FEATURES)
    with pytest.raises(PeerError, match="weight above zero"):
        find_peers("0100001", t, PeerMethod(weights=zero))


def test_explain_a_hand_made_set() -> None:
    result = explain_peers(
        "0100001", ["0100004", "0100002"], table(), PeerMethod(k=2, weights=TWO), added=["0100004"]
    )
    assert result.geoids == ("0100004", "0100002")
    assert [p.source for p in result.peers] == ["added", "found"]
    assert result.peers[0].distance == pytest.approx(3.557221, rel=1e-5)


def test_census_regions() -> None:
    assert census_region("27") == "Midwest"
    assert census_region("6") == "West"
    assert census_region("11") == "South"
    assert census_region("09") == "Northeast"
    assert census_region("72") is None


def test_describe_method() -> None:
    method = PeerMethod(k=3, same_state=True, population_band=(0.5, 2))
    assert method.describe() == (
        "3 nearest by standardized distance; same state; population 0.5× to 2× the place's"
    )


# Peer sets ------------------------------------------------------------------------------


def test_peer_set_from_a_result_and_edits() -> None:
    result = find_peers("0100001", table(), PeerMethod(k=2, weights=TWO))
    peer_set = PeerSet.from_result(result)
    assert peer_set.name == "2 nearest peers of A"
    assert peer_set.members == ("0100002", "0200005")
    edited = peer_set.edit(add=["0100004"], remove=["0200005"])
    assert edited.members == ("0100002", "0100004")
    assert edited.added == ("0100004",) and edited.removed == ("0200005",)
    back = edited.edit(add=["0200005"])
    assert back.removed == () and back.added == ("0100004", "0200005")


def test_peer_set_query_and_token_round_trip() -> None:
    method = PeerMethod(k=3, weights=((HISP, 2.0),), same_region=True, population_band=(0.5, 2))
    peer_set = PeerSet(
        "Twin Cities & friends", "27123", ("27053", "27037"), method, added=("27037",)
    )
    query = peer_set.to_query()
    assert query.startswith("name=Twin+Cities+%26+friends&target=27123&peers=27053%2C27037")
    assert PeerSet.from_query(query) == peer_set
    assert PeerSet.from_query("?" + query) == peer_set
    assert PeerSet.from_token(peer_set.to_token()) == peer_set
    assert PeerSet.from_query("name=Mine&target=27123&peers=27053") == PeerSet(
        "Mine", "27123", ("27053",)
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: PeerSet("x", "27123", ("2758000",)), "same kind"),
        (lambda: PeerSet("x", "27123", ("27123",)), "own peer"),
        (lambda: PeerSet("x", "27123", ("27053", "27053")), "once"),
        (lambda: PeerSet(" ", "27123", ()), "name"),
        (lambda: PeerSet("x", "abc", ()), "FIPS"),
        (lambda: PeerSet.from_token("not-a-token"), "damaged"),
        (lambda: PeerSet.from_query("peers=27053"), "needs a name"),
        (lambda: PeerSet.from_query("name=x&target=27123&k=two"), "not readable"),
    ],
)
def test_invalid_peer_sets_are_refused(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PeerSetError, match=message):
        make()


counties = st.from_regex(r"\A\d{5}\Z", fullmatch=True)


@given(
    name=st.text(min_size=1, max_size=60).filter(lambda s: s.strip()),
    members=st.lists(counties, max_size=8, unique=True),
    k=st.integers(1, 20),
    state=st.booleans(),
)
def test_encodings_round_trip(name: str, members: list[str], k: int, state: bool) -> None:
    members = [m for m in members if m != "27123"]
    peer_set = PeerSet(name, "27123", tuple(members), PeerMethod(k=k, same_state=state))
    assert PeerSet.from_query(peer_set.to_query()) == peer_set
    assert PeerSet.from_token(peer_set.to_token()) == peer_set
