"""The release facade: one Release per loaded release, one place check, one peer parser,
one cache dropped at once when the release changes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from upward import explore
from upward.analysis.peer_set import MAX_MEMBERS
from upward.data.ingest import load_release
from upward.data.warehouse import Warehouse
from upward.explore import (
    AmbiguousPlace,
    BadPlaceCode,
    PeerChoice,
    PeerChoiceError,
    PlaceError,
    PlaceNotFound,
    Release,
    ReleaseCache,
    ReleaseMissing,
    peer_method,
    read_method,
)


@pytest.fixture
def release(fixture_warehouse: Warehouse) -> Release:
    """A Release over the shared fixture warehouse (not closed: the session owns it)."""
    return Release(fixture_warehouse)


# -- places ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "fips", "words"),
    [
        ("county", "27x23", "'27x23' is not a FIPS code: a county code has 5 digits"),
        ("county", "٢٧١٢٣", "is not a FIPS code"),  # other scripts' digits are not FIPS digits
        ("county", "2758000", "2758000 has 7 digits, so it is a city code: see /city/2758000/"),
        ("city", "27123", "27123 has 5 digits, so it is a county code: see /county/27123/"),
        ("county", "123", "A county FIPS code has 5 digits; '123' has 3."),
        ("city", "123456", "A city FIPS code has 7 digits; '123456' has 6."),
    ],
)
def test_a_malformed_code_is_one_typed_error(
    release: Release, level: str, fips: str, words: str
) -> None:
    with pytest.raises(BadPlaceCode) as caught:
        release.place(level, fips)
    assert words in caught.value.reason
    assert isinstance(caught.value, PlaceError) and isinstance(caught.value, ValueError)
    assert not isinstance(caught.value, PlaceNotFound)  # a 400, not a 404


def test_a_place_by_level_and_code(release: Release) -> None:
    ramsey = release.place("county", "27123")
    assert ramsey.display_name == "Ramsey County, MN"
    assert release.place("city", "2758000").display_name == "St. Paul, MN"


def test_an_unknown_code_suggests_the_nearest_of_its_kind_in_its_state(release: Release) -> None:
    with pytest.raises(PlaceNotFound) as caught:
        release.place("county", "27125")
    error = caught.value
    assert error.reason.startswith("No county has the FIPS code 27125.")
    assert error.suggestions[0].geoid == "27123"
    assert all(g.geo_level == "county" and g.state_fips == "27" for g in error.suggestions)


def test_names_and_codes_resolve_with_suggestions(release: Release) -> None:
    assert release.find_place("Ramsey County, MN").geoid == "27123"
    assert release.find_place("27123").geoid == "27123"
    with pytest.raises(AmbiguousPlace) as caught:
        release.find_place("Ramsey")
    assert {g.geoid for g in caught.value.suggestions} == {"27123", "38071"}
    with pytest.raises(PlaceNotFound) as missing:
        release.geography("27124")
    assert missing.value.suggestions[0].geoid == "27123"


def test_profiles_read_ahead_are_the_profiles_read_one_by_one(
    fixture_warehouse: Warehouse,
) -> None:
    """``read_ahead`` reads many places' cells and standings in one query each; the
    profiles built from them equal those read a place at a time (taken once)."""
    geos = sorted(Release(fixture_warehouse).places.values(), key=lambda g: g.geoid)[:6]
    one_by_one = Release(fixture_warehouse)
    alone = [one_by_one.profile_series_and_context(g) for g in geos]
    ahead = Release(fixture_warehouse)
    ahead.read_ahead(geos)
    queries = []
    original = fixture_warehouse.query

    def counted(sql: str, params=()):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return original(sql, params)

    fixture_warehouse.query = counted  # type: ignore[method-assign]
    try:
        together = [ahead.profile_series_and_context(g) for g in geos[:-1]]
        assert not [q for q in queries if "FROM observation" in q or "FROM standing" in q]
        together.append(ahead.profile_series_and_context(geos[-1]))
        assert ahead.profile_series_and_context(geos[0]) == alone[0]  # read again: the same
    finally:
        del fixture_warehouse.query
    assert together == alone
    assert len(queries) > 2  # what was read ahead is taken once


def test_places_of_a_kind_and_state(release: Release) -> None:
    counties = release.places_of("county", "27")
    assert counties and all(g.geo_level == "county" and g.state_fips == "27" for g in counties)
    assert [g.geoid for g in counties] == sorted(g.geoid for g in counties)


def test_a_missing_release_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(ReleaseMissing, match="upward data load DIR"):
        Release.open(tmp_path / "none.duckdb")


# -- one peer parser --------------------------------------------------------------------------


def test_the_command_line_the_pages_and_the_api_get_the_same_method() -> None:
    typed = peer_method("county", k=7, population_band=(0.5, 2.0), weights={"population": 3})
    cli = peer_method("county", k=7, population_band="0.5,2", weights=["population=3"])
    page = read_method({"k": "7", "band": "0.5,2", "weights": "population:3"}, "county")
    assert typed == cli == page
    assert typed.weights == (("population", 3.0),)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"k": 0}, f"from 1 to {MAX_MEMBERS}"),
        ({"k": MAX_MEMBERS + 1}, f"from 1 to {MAX_MEMBERS}"),
        ({"weights": ["population=11"]}, "from 0 to 10"),  # the CLI had no cap
        ({"weights": "population:-1"}, "from 0 to 10"),
        ({"weights": "nope:1"}, "takes characteristic:weight pairs"),
        ({"population_band": "3,4"}, "low ≤ 1 ≤ high"),
        ({"population_band": "half"}, "two factors"),
    ],
)
def test_every_caller_gets_the_same_bounds_and_words(kwargs: dict, words: str) -> None:
    with pytest.raises(PeerChoiceError, match=words):
        peer_method("county", **kwargs)


def test_default_weights_are_dropped() -> None:
    assert peer_method("county", weights={"population": 1}).weights == ()


# -- typed results and the one cache ----------------------------------------------------------


def test_an_analysis_is_kept_and_narrowed(release: Release) -> None:
    geo = release.place("county", "27123")
    first = release.analysis(geo)
    assert release.analysis(geo, PeerChoice(peer_method("county"))) is first  # same choice
    assert release.cache.size("analyses") == 1 and release.cache.size("feature_tables") == 1
    peers, peer_set = release.peers(geo)
    assert [p.geoid for p in peers.peers] == list(peer_set.members)
    metric = first.comparisons[0].metric.id
    assert {vc.metric.id for vc in release.comparisons(geo, metric=metric)} == {metric}
    assert release.insights(geo) is first.insights
    assert release.review_guide(geo).place == geo.display_name
    release.invalidate()
    assert release.cache.stores() == {}


def test_a_peer_set_of_another_place_is_a_peer_choice_error(release: Release) -> None:
    ramsey = release.place("county", "27123")
    other = release.place("county", "27053")
    _, ramsey_set = release.peers(ramsey)
    with pytest.raises(PeerChoiceError, match="belongs to 27123"):
        release.peers(other, PeerChoice(peer_method("county"), ramsey_set))


def test_adding_a_peer_of_the_wrong_kind_suggests_the_right_kind(release: Release) -> None:
    ramsey = release.place("county", "27123")
    with pytest.raises(PeerChoiceError, match="must be counties") as caught:
        release.find_addition(ramsey, "St. Paul, MN")
    assert all(g.geo_level == "county" for g in caught.value.suggestions)
    with pytest.raises(PeerChoiceError, match="cannot be its own peer"):
        release.find_addition(ramsey, "27123")


def test_the_cache_is_bounded_and_keeps_the_most_recent() -> None:
    cache = ReleaseCache()
    for n in range(5):
        cache.put("s", n, n, size=3)
    assert cache.size("s") == 3 and cache.get("s", 0) is None
    assert cache.get("s", 2) == 2  # now the most recent
    cache.put("s", 5, 5, size=3)
    assert cache.get("s", 3) is None and cache.get("s", 2) == 2
    assert cache.keep("t", "k", lambda: "built") == "built"
    assert cache.keep("t", "k", lambda: "again") == "built"
    assert cache.put("u", "k", "v", size=0) == "v" and cache.size("u") == 0


# -- the process's release, followed across a switch ------------------------------------------


@pytest.fixture
def switching(
    fixture_warehouse_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    target = tmp_path / "warehouse.duckdb"
    shutil.copy(fixture_warehouse_path, target)
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(target))
    explore.reset()
    yield target
    explore.reset()


def test_a_new_release_drops_every_kept_result_at_once(
    switching: Path, fixture_data_dir: Path
) -> None:
    first = explore.current()
    assert explore.current() is first
    first.analysis(first.place("county", "27123"))
    first.keep("pages", "/county/27123/", lambda: b"page")
    assert first.cache.stores()
    load_release(fixture_data_dir, switching)  # renamed into place: a new file
    second = explore.current()
    assert second is not first
    assert first.cache.stores() == {}  # the one invalidation
    assert second.cache.stores() == {}


def test_work_in_progress_keeps_its_release(switching: Path, fixture_data_dir: Path) -> None:
    with explore.serving() as pinned:
        assert pinned is not None and explore.current() is pinned
    with explore.serving() as again:
        assert again is pinned  # the file did not change
    explore.reset()
    assert explore.current() is not pinned


def test_serving_without_a_release_yields_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(tmp_path / "none.duckdb"))
    explore.reset()
    with explore.serving() as found:
        assert found is None
    with pytest.raises(ReleaseMissing):
        explore.current()
    explore.reset()
