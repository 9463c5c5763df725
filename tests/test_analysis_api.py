"""API: /api/geographies/{geoid}/peers, /comparisons, /insights and /disparities on the
fixture warehouse, with their JSON error objects."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from web_support import api_error, api_get

from upward.analysis.peer_set import PeerSet

COUNTY, CITY = "27123", "2758000"


@pytest.fixture
def client(warehouse_env: Path) -> Client:
    return Client()


def test_peers_are_explained_and_shareable(client: Client) -> None:
    body = api_get(client, f"/api/geographies/{COUNTY}/peers")
    assert [p["geoid"] for p in body["peers"]] == ["40143", "27053", "09110", "13121", "38071"]
    first = body["peers"][0]
    assert first["why"] and {"feature", "target", "peer", "z_difference"} <= set(first["why"][0])
    assert body["method"].startswith("5 nearest")
    shared = PeerSet.from_token(body["share"]["token"])
    assert shared.members == tuple(p["geoid"] for p in body["peers"])
    again = api_get(client, f"/api/geographies/{COUNTY}/peers?set={body['share']['token']}")
    assert again["peers"] == body["peers"]


def test_peer_filters(client: Client) -> None:
    assert len(api_get(client, f"/api/geographies/{COUNTY}/peers?k=2")["peers"]) == 2
    same = api_get(client, f"/api/geographies/{COUNTY}/peers?same_state=true")
    assert [p["geoid"] for p in same["peers"]] == ["27053"]
    region = api_get(client, f"/api/geographies/{COUNTY}/peers?same_region=1&k=10")
    assert all(p["same_region"] for p in region["peers"])
    band = api_get(client, f"/api/geographies/{COUNTY}/peers?population_band=0.5,2&k=10")
    assert "population 0.5× to 2×" in band["method"]
    weighted = api_get(client, f"/api/geographies/{COUNTY}/peers?weights=population:3")
    assert "weights population=3" in weighted["method"]
    cities = api_get(client, f"/api/geographies/{CITY}/peers")
    assert cities["peers"] and all(len(p["geoid"]) == 7 for p in cities["peers"])


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("k=0", 400, "Parameter 'k' must be at least 1"),
        ("k=x", 400, "Parameter 'k' must be a whole number"),
        (
            "population_band=3,4",
            400,
            "Parameter 'population_band' must be two factors, low "
            "and high, with low ≤ 1 ≤ high (e.g. 0.5,2), not '3,4'.",
        ),
        ("population_band=0.5", 400, "low ≤ 1 ≤ high"),
        ("weights=nope:1", 400, "takes characteristic:weight pairs"),
        ("weights=population:-2", 400, "with weights from 0 to 10"),
        ("weights=population:10.5", 400, "with weights from 0 to 10"),
        ("set=not%20a%20token", 400, "Parameter 'set' must be a peer-set token"),
        # A token of the right form that does not decode: the document allows it, so 422.
        ("set=garbage", 422, "damaged or incomplete"),
    ],
)
def test_bad_peer_parameters(client: Client, query: str, status: int, message: str) -> None:
    assert message in api_error(client, f"/api/geographies/{COUNTY}/peers?{query}", status)


def test_comparisons_use_the_set_and_filter_by_metric(client: Client) -> None:
    body = api_get(client, f"/api/geographies/{COUNTY}/comparisons")
    assert body["count"] == len(body["items"]) > 0
    assert body["peer_set"]["name"] == "5 nearest peers of Ramsey County, MN"
    token = PeerSet(
        "Two neighbors", COUNTY, ("27053", "40143"), added=("27053", "40143")
    ).to_token()
    mine = api_get(
        client, f"/api/geographies/{COUNTY}/comparisons?set={token}&metric=income_percentiles"
    )
    assert {i["metric"] for i in mine["items"]} == {"income_percentiles"}
    item = mine["items"][0]
    assert [p["geoid"] for p in item["peers"]] == ["27053", "40143"]
    assert item["peer_set"] == "Two neighbors"
    scopes = {s["scope"] for s in item["scopes"]}
    assert scopes == {"peers", "state", "nation"}
    for peer in item["peers"]:
        assert peer["comparison"]["verdict"] in (
            "higher", "lower", "not_distinguishable", "no_test", "too_uncertain", "no_data"
        )  # fmt: skip
    assert "no metric called 'nope'" in api_error(
        client, f"/api/geographies/{COUNTY}/comparisons?metric=nope", 404
    )


def test_insights(client: Client) -> None:
    body = api_get(client, f"/api/geographies/{COUNTY}/insights")
    assert body["geography"]["display_name"] == "Ramsey County, MN"
    assert body["geography"]["geoid"] == COUNTY and body["peer_set"]["target"] == COUNTY
    assert [p["pillar"] for p in body["pillars"]]
    sentences = [i for p in body["pillars"] for i in (*p["strengths"], *p["areas_to_explore"])]
    assert sentences and all("Ramsey County, MN" in i["sentence"] for i in sentences)
    assert all(i["observations"] for i in sentences)  # the numbers behind each sentence
    for insight in sentences:
        if insight["tested"]:
            assert any(t["verdict"] in ("higher", "lower") for t in insight["tests"])


def test_disparities(client: Client) -> None:
    body = api_get(client, f"/api/geographies/{COUNTY}/disparities")
    assert body["count"] == len(body["items"]) > 0
    breakdown = body["items"][0]
    assert {"vs_total", "between", "changes", "groups", "total"} <= set(breakdown)
    for gap in breakdown["vs_total"]:
        assert gap["reference"] == "All" and "verdict" in gap["test"]
    only = api_get(client, f"/api/geographies/{COUNTY}/disparities?metric=low_birth_weight")
    assert {b["metric"] for b in only["items"]} == {"low_birth_weight"}


@pytest.mark.parametrize("endpoint", ["peers", "comparisons", "insights", "disparities"])
def test_unknown_and_malformed_places(client: Client, endpoint: str) -> None:
    assert "99999" in api_error(client, f"/api/geographies/99999/{endpoint}", 404)
    assert "must be a FIPS code" in api_error(client, f"/api/geographies/2712/{endpoint}", 400)


def test_a_set_of_another_place_or_kind_is_refused(client: Client) -> None:
    token = api_get(client, f"/api/geographies/{COUNTY}/peers")["share"]["token"]
    message = api_error(client, f"/api/geographies/{CITY}/comparisons?set={token}", 422)
    assert "made for the place with FIPS code 27123" in message
    assert "made for the place" in api_error(
        client, f"/api/geographies/27053/insights?set={token}", 422
    )


def test_openapi_documents_the_endpoints(client: Client) -> None:
    paths = api_get(client, "/api/openapi.json")["paths"]
    for endpoint in ("peers", "comparisons", "insights", "disparities"):
        assert f"/api/geographies/{{geoid}}/{endpoint}" in paths
    params = {p["name"] for p in paths["/api/geographies/{geoid}/peers"]["get"]["parameters"]}
    assert {"k", "same_state", "same_region", "population_band", "set"} <= params


def test_a_place_alone_in_its_state_has_no_state_percentile(client: Client) -> None:
    # Tulsa is the only Oklahoma city of the fixture release
    body = api_get(client, "/api/geographies/4075000/comparisons?metric=income_percentiles")
    state = next(s for s in body["items"][0]["scopes"] if s["scope"] == "state")
    assert state["percentile"] is None
    assert state["rank"] == {"below": 0, "tied": 0, "above": 0}
    assert state["standing"] == "the only city in Oklahoma with a value"
    assert state["support"]["n"] == 1 and state["support"]["bears_claim"] is False
    assert state["comparison"]["verdict"] in ("too_uncertain", "no_data")
    profile = api_get(client, "/city/4075000.json")
    entries = [e for p in profile["pillars"] for s in p["predictors"] for e in s["entries"]]
    contexts = [e["context"] for e in entries if e["context"]]
    assert contexts and all(c["pct_state"] is None and c["n_state"] == 1 for c in contexts)
    assert all(c["tied_state"] == 0 for c in contexts)
