"""The JSON API under /api/: every endpoint, paging, and every error path.

Runs against the shared fixture warehouse (tests/fixtures/mobility-data): 15 places,
among them Ramsey County, MN (27123), Ramsey County, ND (38071), St. Paul (2758000).
Expected values are read from the warehouse directly, so each test compares the API
with the data it serves.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from web_support import api_error, api_get

from upward.data.warehouse import Warehouse
from upward.web import data as web_data
from upward.web.api.paging import MAX_LIMIT
from upward.web.api.routes import api


@pytest.fixture
def client(warehouse_env: Path) -> Client:
    return Client()


def test_health(client: Client) -> None:
    assert api_get(client, "/api/health") == {"status": "ok"}


# Geographies ---------------------------------------------------------------------------


def test_list_every_place_in_fips_order(client: Client, fixture_warehouse: Warehouse) -> None:
    body = api_get(client, f"/api/geographies?limit={MAX_LIMIT}")
    assert body["count"] == len(fixture_warehouse.geographies)
    assert [g["geoid"] for g in body["items"]] == sorted(fixture_warehouse.geographies)
    assert body["next"] is None and body["previous"] is None


def test_paging_links_walk_the_whole_list(client: Client, fixture_warehouse: Warehouse) -> None:
    seen: list[str] = []
    url: str | None = "/api/geographies?limit=4"
    pages = 0
    while url:
        body = api_get(client, url.replace("http://testserver", ""))
        seen += [g["geoid"] for g in body["items"]]
        url = body["next"]
        pages += 1
    assert seen == sorted(fixture_warehouse.geographies)
    assert pages == -(-len(seen) // 4)
    middle = api_get(client, "/api/geographies?limit=4&offset=4")
    assert middle["previous"].endswith("limit=4&offset=0")
    assert middle["next"].endswith("limit=4&offset=8")


def test_filter_by_level_and_state(client: Client) -> None:
    cities = api_get(client, "/api/geographies?level=city")
    assert cities["items"] and all(g["geo_level"] == "city" for g in cities["items"])
    minnesota = api_get(client, "/api/geographies?state=MN")
    assert {g["geoid"] for g in minnesota["items"]} == {"27053", "27123", "2743000", "2758000"}
    assert api_get(client, "/api/geographies?state=27")["count"] == minnesota["count"]
    assert api_get(client, "/api/geographies?state=mn&level=county")["count"] == 2


def test_search_by_name_and_fips(client: Client) -> None:
    body = api_get(client, "/api/geographies?q=Ramsey&limit=8")
    assert [g["geoid"] for g in body["items"]] == ["27123", "38071"]  # larger population first
    assert body["items"][0]["display_name"] == "Ramsey County, MN"
    assert body["items"][0]["url"] == "/county/27123/"
    assert api_get(client, "/api/geographies?q=ramsey&state=ND")["items"][0]["geoid"] == "38071"
    assert api_get(client, "/api/geographies?q=tulsa&level=city")["items"][0]["geoid"] == "4075000"
    assert api_get(client, "/api/geographies?q=2712")["items"][0]["geoid"] == "27123"
    assert api_get(client, "/api/geographies?q=zzzz")["count"] == 0


def test_one_place(client: Client) -> None:
    body = api_get(client, "/api/geographies/2758000")
    assert body["display_name"] == "St. Paul, MN"
    assert body["geo_level"] == "city"
    assert body["state_fips"] == "27"
    assert body["url"] == "/city/2758000/"


def test_unknown_place_is_404_with_closest_codes(client: Client) -> None:
    message = api_error(client, "/api/geographies/27124", 404)
    assert "No county or city has the FIPS code 27124" in message
    assert "Closest matches: Ramsey County, MN (27123)" in message
    assert "FIPS code 9999999" in api_error(client, "/api/geographies/9999999/profile", 404)


@pytest.mark.parametrize("bad", ["abc", "2712", "123456", "27123x", "00000000", "٢٧١٢٣"])
def test_malformed_fips_is_400(client: Client, bad: str) -> None:
    message = api_error(client, f"/api/geographies/{bad}", 400)
    assert message == (
        "Parameter 'geoid' must be a FIPS code: 5 digits for a county (e.g. 27123) or 7 for "
        f"a city (e.g. 2758000), not '{bad}'."
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("limit=0", "Parameter 'limit' must be at least 1, not '0'."),
        ("limit=101", "Parameter 'limit' must be at most 100, not '101'."),
        ("limit=ten", "Parameter 'limit' must be a whole number, not 'ten'."),
        ("offset=-1", "Parameter 'offset' must be at least 0, not '-1'."),
        ("level=town", "Parameter 'level' must be one of 'county' or 'city', not 'town'."),
        ("state=ZZ", "Parameter 'state' must be a 2-digit state FIPS code"),
        ("q=" + "x" * 101, "Parameter 'q' must be at most 100 characters long"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_parameter(
    client: Client, query: str, expected: str
) -> None:
    assert expected in api_error(client, f"/api/geographies?{query}", 400)


# Catalog -------------------------------------------------------------------------------


def test_catalog_lists_the_framework(client: Client) -> None:
    body = api_get(client, "/api/catalog")
    assert len(body["pillars"]) == 5
    assert len(body["predictors"]) == 24
    assert len(body["metrics"]) == 27
    assert [q["label"] for q in body["quality"]] == ["Strong", "Marginal", "Weak"]
    lbw = next(m for m in body["metrics"] if m["id"] == "low_birth_weight")
    assert lbw["geographies"] == ["county"]
    assert lbw["url"] == "/metric/low_birth_weight/"


def test_one_metric(client: Client) -> None:
    body = api_get(client, "/api/catalog/metrics/employment_ratio")
    assert body["pillar_id"] == "work"
    assert [v["name"] for v in body["variables"]] == ["share_employed"]
    assert body["variables"][0]["headline"] is True
    assert "race-ethnicity" in body["subgroup_types"]["city"]


def test_unknown_metric_is_404_with_suggestion(client: Client) -> None:
    message = api_error(client, "/api/catalog/metrics/low_birth_wieght", 404)
    assert "'low_birth_wieght'" in message and "low_birth_weight" in message


# Profile, series, subgroups --------------------------------------------------------------


def _entries(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for p in body["pillars"] for s in p["predictors"] for e in s["entries"]]


def test_profile_values_equal_the_warehouse(client: Client, fixture_warehouse: Warehouse) -> None:
    body = api_get(client, "/api/geographies/27123/profile")
    assert body["geography"]["geoid"] == "27123"
    assert body["pillars"][0]["id"] == "neighborhoods"
    expected = fixture_warehouse.profile("27123")
    entries = _entries(body)
    assert len(entries) == len(expected.entries)
    for got, want in zip(entries, expected.entries, strict=True):
        assert got["variable"] == want.variable.name
        assert got["status"] == want.status
        if want.observation is None:
            assert got["observation"] is None
        else:
            assert got["observation"]["value"] == want.observation.value
            assert got["observation"]["lb"] == want.observation.lb
            assert got["observation"]["quality"] == want.observation.quality
            assert got["observation"]["year"] == want.observation.year


def test_profile_for_a_year_and_a_breakdown(client: Client) -> None:
    body = api_get(client, "/api/geographies/27123/profile?year=2020&subgroup_type=race-ethnicity")
    assert body["year"] == 2020
    assert body["subgroup_type"] == "race-ethnicity"
    assert all(o["subgroup_type"] == "race-ethnicity" for o in body["subgroups"])
    lbw = next(e for e in _entries(body) if e["variable"] == "rate_low_birth_weight")
    assert lbw["observation"] is None or lbw["observation"]["year"] == 2020


def test_profile_errors(client: Client) -> None:
    assert "Parameter 'year' must be a whole number, not 'abc'." in api_error(
        client, "/api/geographies/27123/profile?year=abc", 400
    )
    assert "Parameter 'subgroup_type' must be one of all, race-ethnicity," in api_error(
        client, "/api/geographies/27123/profile?subgroup_type=races", 400
    )
    assert "Parameter 'year' must be at most 2023, not '2030'." in api_error(
        client, "/api/geographies/27123/profile?year=2030", 400
    )


def test_series_is_paged_and_filtered(client: Client, fixture_warehouse: Warehouse) -> None:
    cells = fixture_warehouse.series("27123", metric="low_birth_weight")
    body = api_get(client, "/api/geographies/27123/series?metric=low_birth_weight&limit=3")
    assert body["count"] == len(cells)
    assert [(o["year"], o["subgroup"], o["value"]) for o in body["items"]] == [
        (c.year, c.subgroup, c.value) for c in cells[:3]
    ]
    item = body["items"][0]
    assert set(item) >= {"geoid", "geo_level", "year", "metric", "variable", "subgroup_type",
                         "subgroup", "value", "lb", "ub", "quality"}  # fmt: skip
    overall = api_get(client, "/api/geographies/27123/series?subgroup_type=all&limit=100")
    assert all(o["subgroup_type"] == "all" for o in overall["items"])
    assert "no metric called 'lbw'" in api_error(
        client, "/api/geographies/27123/series?metric=lbw", 404
    )


def test_subgroups_hold_every_breakdown_cell(client: Client, fixture_warehouse: Warehouse) -> None:
    body = api_get(client, "/api/geographies/2758000/subgroups")
    expected = [c for c in fixture_warehouse.series("2758000") if c.subgroup_type != "all"]
    assert body["count"] == len(expected) > 0
    assert {o["subgroup_type"] for o in body["items"]} == {c.subgroup_type for c in expected}
    one = api_get(client, "/api/geographies/2758000/subgroups?metric=income_percentiles")
    assert one["items"] and {o["metric"] for o in one["items"]} == {"income_percentiles"}


# Distribution --------------------------------------------------------------------------


def test_distribution_matches_the_benchmark_table(
    client: Client, fixture_warehouse: Warehouse
) -> None:
    body = api_get(client, "/api/metrics/low_birth_weight/distribution")
    assert body["variable"] == "rate_low_birth_weight"
    assert body["level"] == "county"
    year = body["year"]
    assert year == max(body["years_with_values"])
    median, n = fixture_warehouse.query(
        "SELECT median, n FROM benchmark WHERE variable = 'rate_low_birth_weight' "
        "AND geo_level = 'county' AND scope = 'US' AND year = ?",
        [year],
    )[0]
    assert body["national"]["median"] == pytest.approx(median)
    assert body["national"]["n"] == n
    assert sum(s["n"] for s in body["states"]) == n
    values = {
        g: v
        for g, v in fixture_warehouse.query(
            "SELECT geoid, value FROM observation WHERE variable = 'rate_low_birth_weight' "
            "AND subgroup_type = 'all' AND year = ?",
            [year],
        )
    }
    assert body["places"]["count"] == len(values)
    assert {p["geoid"]: p["value"] for p in body["places"]["items"]} == values


def test_distribution_orders_and_pages_places(client: Client) -> None:
    url = "/api/metrics/income_percentiles/distribution?level=city&year=2023&order=-value"
    every = api_get(client, url + "&limit=100")["places"]
    values = [p["value"] for p in every["items"]]
    assert len(values) == every["count"] >= 2
    assert values == sorted(values, reverse=True)
    first = api_get(client, url + "&limit=1")["places"]
    assert first["next"].endswith("limit=1&offset=1")
    assert first["items"][0]["value"] == values[0]
    second = api_get(client, url + "&limit=1&offset=1")["places"]
    assert second["items"][0]["value"] == values[1]
    assert second["previous"].endswith("limit=1&offset=0")
    ascending = api_get(client, url.replace("-value", "value") + "&limit=100")["places"]
    assert [p["value"] for p in ascending["items"]] == sorted(values)


@pytest.mark.parametrize(
    ("query", "status", "expected"),
    [
        ("variable=nope", 404, "no variable of low_birth_weight called 'nope'"),
        ("year=1999", 400, "Parameter 'year' must be at least 2014, not '1999'."),
        # Years and levels the document allows but this metric's data lack: 422.
        ("year=2018", 422, "no county values of rate_low_birth_weight for 2018"),
        ("year=abc", 400, "Parameter 'year' must be a whole number, not 'abc'."),
        ("level=city", 422, "published for counties only"),
        ("order=best", 400, "Parameter 'order' must be one of"),
        ("limit=1000", 400, "Parameter 'limit' must be at most 100"),
    ],
)
def test_distribution_errors(client: Client, query: str, status: int, expected: str) -> None:
    message = api_error(client, f"/api/metrics/low_birth_weight/distribution?{query}", status)
    assert expected in message


def test_distribution_of_a_metric_without_loaded_values(client: Client) -> None:
    body = api_get(client, "/api/metrics/housing_affordability/distribution")
    assert body["year"] is None and body["national"] is None
    assert body["places"]["count"] == 0


def test_unknown_metric_distribution_is_404(client: Client) -> None:
    assert "no metric called 'birth'" in api_error(client, "/api/metrics/birth/distribution", 404)


# Errors and docs -------------------------------------------------------------------------


def test_unknown_api_address_is_json_404(client: Client) -> None:
    api_error(client, "/api/nothing/here", 404)


def test_unexpected_failure_is_json_500_without_traceback(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("upward.web.api.geographies.get_release", broken)
    message = api_error(client, "/api/geographies/27123", 500)
    assert "secret" not in message and "Traceback" not in message


def test_missing_warehouse_is_json_503(
    client: Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(tmp_path / "none.duckdb"))
    web_data.reset()
    assert "upward data load" in api_error(client, "/api/geographies/27123", 503)


ROUTES = {
    "/api/health",
    "/api/geographies",
    "/api/geographies/{geoid}",
    "/api/geographies/{geoid}/profile",
    "/api/geographies/{geoid}/series",
    "/api/geographies/{geoid}/subgroups",
    "/api/catalog",
    "/api/catalog/metrics/{metric_id}",
    "/api/metrics/{metric_id}/distribution",
}


def test_openapi_document_lists_every_route_with_typed_responses(client: Client) -> None:
    document = api_get(client, "/api/openapi.json")
    assert document["openapi"].startswith("3.")
    documented = set(document["paths"])
    assert documented >= ROUTES  # other modules may add routes of their own
    served = {
        "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
        for p in api.urls[0]
        if p.name not in ("openapi-json", "openapi-view", "api-root")
    }
    assert served == documented  # every route ninja serves is in the document
    schemas = document["components"]["schemas"]
    assert {"ObservationOut", "GeographyPage", "DistributionOut", "ErrorOut"} <= set(schemas)
    quality = json.dumps(schemas["ObservationOut"]["properties"]["quality"])
    assert all(word in quality for word in ("Strong", "Marginal", "Weak"))
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert any(code.startswith("2") for code in operation["responses"]), path


def test_docs_page_serves_swagger_from_our_static_files(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_an_unsupported_method_gets_a_json_error(client: Client) -> None:
    response = client.delete("/api/catalog")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["status"] == 405
    assert "DELETE is not allowed" in response.json()["error"]["message"]
