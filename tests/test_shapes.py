"""One JSON shape per result: the ``.json`` twin, the API and ``--format json`` agree.

A place, an observation and a profile are written by one mapping each
(:mod:`upward.explore.shapes`), so the three ways of asking for them give the same JSON,
and the OpenAPI document describes exactly those keys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pydantic import create_model
from typer.testing import CliRunner
from web_support import api_get

from upward import cli
from upward.data.model import Observation, OtherValue
from upward.explore import Release
from upward.explore.analysis_shapes import InsightsOut, PeersOut
from upward.explore.shapes import (
    ContextOut,
    GeographyOut,
    ObservationOut,
    OtherValueOut,
    ProfileEntryOut,
    ProfileOut,
    ReleaseRefOut,
    StatePlaceOut,
    StateTableOut,
    built,
    dumped,
    release_name,
    release_ref,
)
from upward.web.api.routes import api

COUNTY = "27123"
VARIABLE = "rate_low_birth_weight"


@pytest.fixture
def client(warehouse_env: Path) -> Client:
    return Client()


def command(warehouse: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli.app, [*args, "--format", "json", "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def entry(profile: dict[str, Any], variable: str) -> dict[str, Any]:
    entries = [e for p in profile["pillars"] for s in p["predictors"] for e in s["entries"]]
    return next(e for e in entries if e["variable"] == variable)


def test_a_profile_has_one_shape(client: Client, warehouse_env: Path) -> None:
    twin = api_get(client, f"/county/{COUNTY}.json")
    api_answer = api_get(client, f"/api/geographies/{COUNTY}/profile")
    printed = command(warehouse_env, "profile", COUNTY)
    assert twin == api_answer == printed
    assert set(twin) == set(ProfileOut.model_fields)
    asked = {"year": "2021", "breakdown": "race-ethnicity"}
    twin = api_get(client, f"/county/{COUNTY}.json?year=2021&breakdown=race-ethnicity")
    api_answer = api_get(
        client, f"/api/geographies/{COUNTY}/profile?year=2021&subgroup_type=race-ethnicity"
    )
    printed = command(warehouse_env, "profile", COUNTY, "--year", asked["year"],
                      "--subgroup-type", asked["breakdown"])  # fmt: skip
    assert twin == api_answer == printed and twin["subgroups"]


def test_an_observation_has_one_shape(client: Client, warehouse_env: Path) -> None:
    in_twin = entry(api_get(client, f"/county/{COUNTY}.json"), VARIABLE)
    latest = in_twin["observation"]
    assert set(latest) == set(ObservationOut.model_fields)
    series = api_get(
        client, f"/api/geographies/{COUNTY}/series?metric=low_birth_weight&subgroup_type=all"
    )["items"]
    printed = command(warehouse_env, "series", COUNTY, "low_birth_weight", "--subgroup-type", "all")
    mine = [c for c in series if c["variable"] == VARIABLE]
    assert mine == [c for c in printed if c["variable"] == VARIABLE] == in_twin["series"]
    assert latest in mine
    for cell in (latest, *mine):
        assert {"year", "release", "lb", "ub", "quality", "status", "source_file"} <= set(cell)
    # The same cell inside an analysis answer (an insight's numbers, a breakdown's groups).
    insights = api_get(client, f"/api/geographies/{COUNTY}/insights")
    InsightsOut.model_validate(insights)
    numbers = [o for p in insights["pillars"] for i in p["strengths"] + p["areas_to_explore"]
               for o in i["observations"]]  # fmt: skip
    assert numbers and all(set(o) == set(ObservationOut.model_fields) for o in numbers)


def test_a_geography_has_one_shape(client: Client, warehouse_env: Path) -> None:
    one = api_get(client, f"/api/geographies/{COUNTY}")
    assert set(one) == set(GeographyOut.model_fields)
    assert api_get(client, f"/county/{COUNTY}.json")["geography"] == one
    assert one in api_get(client, "/api/geographies?q=Ramsey")["items"]
    assert one in api_get(client, "/search.json?q=Ramsey")["results"]
    assert one in command(warehouse_env, "search", "Ramsey")
    peers = api_get(client, f"/county/{COUNTY}/peers.json")
    assert peers == api_get(client, f"/api/geographies/{COUNTY}/peers")
    PeersOut.model_validate(peers)
    for page in ("compare", "insights"):
        assert api_get(client, f"/county/{COUNTY}/{page}.json")["geography"] == one
    state = api_get(client, "/state/27.json?metric=low_birth_weight")
    assert one in state["counties"]
    rows = [p for level in state["table"]["levels"] for p in level["places"]]
    assert one in [p["geography"] for p in rows]


def test_a_state_table_place_has_one_shape(client: Client) -> None:
    """The state page's table: each place's geography, value, interval and quality, with the
    year and release the numbers come from, in the shape StatePlaceOut declares."""
    table = api_get(client, "/state/27.json?metric=low_birth_weight")["table"]
    StateTableOut.model_validate(table)
    assert table["release"] == api_get(client, f"/county/{COUNTY}.json")["release"]
    county = next(level for level in table["levels"] if level["geo_level"] == "county")
    mine = next(p for p in county["places"] if p["geography"]["geoid"] == COUNTY)
    assert set(mine) == set(StatePlaceOut.model_fields)
    latest = entry(api_get(client, f"/county/{COUNTY}.json"), VARIABLE)["observation"]
    assert mine["year"] == latest["year"] == county["year"]
    assert (mine["value"], mine["lb"], mine["ub"], mine["quality"]) == (
        latest["value"], latest["lb"], latest["ub"], latest["quality"])  # fmt: skip


def test_the_openapi_document_describes_the_shapes(client: Client) -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    for shape in (GeographyOut, ObservationOut, ProfileEntryOut, ProfileOut):
        assert set(schemas[shape.__name__]["properties"]) == set(shape.model_fields)
    release = schemas["ObservationOut"]["properties"]["release"]
    assert "release" in release["description"]


def test_the_release_builds_the_profile_shape(fixture_warehouse_path: Path) -> None:
    """Callers pass a place, never a warehouse; the benchmarks are kept by the release."""
    with Release.open(fixture_warehouse_path) as release:
        geo = release.place("county", COUNTY)
        shape = release.profile_shape(geo)
        assert release.cache.size("benchmarks") == 2  # the nation and the place's state
        assert release.profile_shape(COUNTY) == shape  # a FIPS code or name works too
        assert shape.release == release_ref(release)
        assert shape.release.name == release_name(release)
        latest = entry(shape.model_dump(mode="json"), VARIABLE)
        assert latest["observation"]["release"] == shape.release.name
        assert latest["context"] is not None and latest["series"]
        release.invalidate()
        assert release.cache.size("benchmarks") == 0


def test_the_profile_json_twin_reads_nothing_again(fixture_warehouse_path: Path) -> None:
    """The web profile's ``.json`` is built from the cells its page was built from: the
    very shape :meth:`Release.profile_shape` reads (every place, the latest and a year)."""
    from upward.web.explorer.profile_page import build_profile_page

    with Release.open(fixture_warehouse_path) as release:
        for geo in release.places.values():
            for year in (None, 2021):
                page = build_profile_page(release, geo, year)
                shape = release.profile_shape_of(page.profile, page.cells, page.contexts)
                assert shape.model_dump_json() == release.profile_shape(geo, year).model_dump_json()
                # The twin is dumped without the models: the very same JSON, types included.
                dumped = release.profile_json_of(page.profile, page.cells, page.contexts)
                assert json.dumps(dumped) == json.dumps(shape.model_dump(mode="json"))


def test_a_shape_dumped_without_its_model_is_its_model_dumped() -> None:
    """``dumped`` writes what ``built(...).model_dump(mode="json")`` does: the fields in
    the shape's order, an int given for a float as a float, nested shapes and lists; a
    field type it does not know is refused rather than guessed."""
    obs = Observation(
        geoid=COUNTY, geo_level="county", year=2021, metric="low_birth_weight",
        variable=VARIABLE, subgroup_type="all", subgroup="All", value=3, lb=None, ub=2.5,
        quality_code=2, value_text=None, source_file="a.csv", source_line=7, conflict=True,
        others=(OtherValue("b.csv", 3, 4, None),),
    )  # fmt: skip
    other = OtherValue("b.csv", 3, 4, None)
    for shape, source, given in [
        (
            ObservationOut,
            obs,
            lambda build: {"release": "r", "other_values": [build(OtherValueOut, other)]},
        ),
        (ContextOut, None, lambda build: dict.fromkeys(ContextOut.model_fields, 1)),
        (ReleaseRefOut, None, lambda build: {"name": "r", "version": "v", "citation": "c"}),
    ]:
        expected = json.dumps(built(shape, source, **given(built)).model_dump(mode="json"))
        assert json.dumps(dumped(shape, source, **given(dumped))) == expected
        if shape is ObservationOut:  # (ints given: the cell's and the other file's value)
            assert '"value": 3.0' in expected and '"value": 4.0' in expected
    with pytest.raises(TypeError, match="No JSON writer"):
        dumped(create_model("Odd", when=(dict[str, int], ...)), None, when={})
