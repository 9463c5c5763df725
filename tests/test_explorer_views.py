"""The explorer's routes on the fixture warehouse: pages, twins, downloads and errors."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from upward.data.warehouse import Warehouse
from upward.reports import charts
from upward.web import data as web_data
from upward.web.explorer.profile_export import CSV_COLUMNS


@pytest.fixture
def warehouse(fixture_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Warehouse]:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(fixture_warehouse_path))
    web_data.reset()
    yield web_data.get_warehouse()
    web_data.reset()


@pytest.fixture
def client(warehouse: Warehouse) -> Client:
    return Client()


# -- home, search, states --------------------------------------------------------------------


def test_home_explains_the_framework_and_lists_states(client: Client) -> None:
    html = client.get("/").content.decode()
    for text in ("Economic success", "Power and autonomy", "Dignity and belonging"):
        assert text in html
    assert "Rewarding Work" in html and "Employment" in html
    assert 'href="/state/27/"' in html and "Minnesota" in html
    assert 'data-source="/search.json"' in html


def test_search_lists_matches_and_redirects_a_single_match(client: Client) -> None:
    response = client.get("/", {"q": "Ramsey"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/county/27123/"' in html and 'href="/county/38071/"' in html
    assert client.get("/", {"q": "27123"})["Location"] == "/county/27123/"
    assert client.get("/", {"q": "Ramsey County, MN"})["Location"] == "/county/27123/"
    missing = client.get("/", {"q": "Zzyzx Nowhere"}).content.decode()
    assert "No county or city matches" in missing


def test_search_json_gives_suggestions(client: Client) -> None:
    data = client.get("/search.json", {"q": "ramsey", "limit": "8"}).json()
    assert [r["geoid"] for r in data["results"]][:2] == ["27123", "38071"]
    assert data["results"][0]["url"] == "/county/27123/"
    assert client.get("/search.json", {"q": "27"}).json()["results"]
    assert client.get("/search.json", {"q": "x", "limit": "500"}).status_code == 400


def test_home_and_state_json_twins(client: Client) -> None:
    home = client.get("/index.json").json()
    assert len(home["framework"]["definition"]) == 3
    assert len(home["framework"]["pillars"]) == 5
    assert {s["fips"] for s in home["states"]} >= {"27", "40"}
    state = client.get("/state/27.json").json()
    assert state["state"]["name"] == "Minnesota"
    assert [c["geoid"] for c in state["counties"]] == ["27053", "27123"]
    assert [c["geoid"] for c in state["cities"]] == ["2743000", "2758000"]


def test_state_page_lists_counties_and_cities_with_population(client: Client) -> None:
    html = client.get("/state/27/").content.decode()
    assert "Ramsey County" in html and "St. Paul" in html
    assert "546,700 (" in html
    assert client.get("/state/2x/").status_code == 400
    assert client.get("/state/99/").status_code == 404


# -- profiles ---------------------------------------------------------------------------------


def test_county_profile_shows_place_values_and_context(client: Client) -> None:
    response = client.get("/county/27123/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ramsey County, MN</h1>" in html
    assert 'href="/state/27/"' in html
    assert "546,700" in html
    assert "Strong" in html and "Marginal" in html and "Weak" in html  # the legend
    assert 'href="#m-employment_ratio"' in html  # table of contents
    assert "Higher than" in html and "median" in html
    assert "No confidence interval published" in html or "95% CI" in html
    assert re.search(r'id="chart-templates">\{"templates"', html)


def test_missing_values_show_their_reason_never_zero(client: Client, warehouse: Warehouse) -> None:
    html = client.get("/county/38071/").content.decode()
    profile = warehouse.profile("38071")
    missing = [e for e in profile.entries if e.observation is None or e.observation.value is None]
    assert missing
    for entry in missing:
        assert entry.status_text in html


def test_city_profile_and_breakdown_switch(client: Client) -> None:
    html = client.get("/city/2758000/").content.decode()
    assert "<h1>St. Paul, MN</h1>" in html
    assert 'role="tablist"' in html and 'role="tabpanel"' in html
    selected = client.get("/city/2758000/", {"breakdown": "age"}).content.decode()
    panel = re.search(r'aria-selected="true"[^>]*>Age<', selected)
    assert panel, "the age tab is selected when asked for without JavaScript"


def test_year_parameter_shows_that_year(client: Client, warehouse: Warehouse) -> None:
    entry = next(e for e in warehouse.profile("27123").entries if len(e.years) > 1)
    year = entry.years[0]
    html = client.get("/county/27123/", {"year": str(year)}).content.decode()
    assert f"Showing values for {year}" in html
    assert re.search(rf'data-var="{entry.variable.name}"[^>]*data-year="{year}"', html)


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/county/27x23/", 400, "not a FIPS code"),
        ("/county/123/", 400, "has 5 digits"),
        ("/county/27123/?year=1999", 400, "year must be"),
        ("/county/27123/?year=abc", 400, "year must be"),
        ("/county/27123/?breakdown=shoe-size", 400, "breakdown must be"),
        ("/county/27125/", 404, "Did you mean"),
    ],
)
def test_bad_addresses_get_clear_errors(client: Client, path: str, status: int, text: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert text in html
    assert "Traceback" not in html


def test_unknown_fips_suggests_places(client: Client) -> None:
    html = client.get("/county/27125/").content.decode()
    assert 'href="/county/27123/"' in html


def test_errors_in_twins_are_json(client: Client) -> None:
    response = client.get("/county/27125.json")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    assert client.get("/county/27x23.json").json()["error"]["status"] == 400


# -- twins and downloads ------------------------------------------------------------------------


def test_profile_json_twin_shape(client: Client) -> None:
    data = client.get("/county/27123.json").json()
    assert data["geography"]["display_name"] == "Ramsey County, MN"
    assert data["geography"]["url"] == "/county/27123/"
    assert data["release"]["citation"].startswith("Urban Institute")
    assert [q["label"] for q in data["quality_levels"]] == ["Strong", "Marginal", "Weak"]
    entries = [e for p in data["pillars"] for s in p["predictors"] for e in s["entries"]]
    value = next(e for e in entries if e["variable"] == "rate_low_birth_weight")
    assert set(value) >= {"variable", "status", "status_text", "observation", "context", "years"}
    assert value["observation"]["year"] in value["years"]
    assert value["observation"]["release"] == data["release"]["name"]
    assert value["context"]["n_nation"] and value["series"]
    assert [c["year"] for c in value["series"]] == sorted(c["year"] for c in value["series"])
    assert data["subgroup_type"] == "all" and data["subgroups"] == []
    groups = client.get("/county/27123.json", {"breakdown": "race-ethnicity"}).json()
    assert groups["subgroup_type"] == "race-ethnicity"
    assert {c["subgroup_type"] for c in groups["subgroups"]} == {"race-ethnicity"}


def test_profile_csv_and_xlsx_hold_the_same_rows(client: Client, warehouse: Warehouse) -> None:
    response = client.get("/county/27123.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="upward-county-27123.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == CSV_COLUMNS
    latest = [r for r in rows if r["section"] == "latest"]
    assert len(latest) == len(warehouse.profile("27123").entries)
    lbw = next(r for r in latest if r["variable"] == "rate_low_birth_weight")
    entry = next(
        e for e in warehouse.profile("27123").entries if e.variable.name == "rate_low_birth_weight"
    )
    assert entry.observation is not None
    assert float(lbw["value"]) == entry.observation.value
    assert {r["section"] for r in rows} == {"latest", "series", "subgroup"}

    book = load_workbook(io.BytesIO(client.get("/county/27123.xlsx").content))
    data = [book[name] for name in book.sheetnames if name != "Notes"]
    assert all(tuple(next(sheet.values)) == CSV_COLUMNS for sheet in data)
    assert sum(sheet.max_row - 1 for sheet in data) == len(rows)
    assert "Notes" in book.sheetnames


def test_chart_templates_fill_formats(client: Client) -> None:
    spec = charts.template("trend", "share")
    text = json.dumps(spec)
    assert "@axis" not in text and "@tip" not in text and '".1~%"' in text
    full = charts.chart_spec("subgroup", "dollars", [{"g": "A", "v": 1.0, "t": "Group"}])
    assert full["datasets"]["values"] == [{"g": "A", "v": 1.0, "t": "Group"}]
    assert "@title" not in json.dumps(full) and "@domain" not in json.dumps(full)
    page = json.loads(charts.page_charts([("trend", "share"), ("subgroup", "rate")]))
    assert set(page["templates"]) == {"trend", "subgroup"}
    assert page["formats"] == {"rate": [",.3~f", ",.2f"], "share": [".1~%", ".1%"]}


@pytest.mark.django_db
def test_public_profiles_are_kept_gzipped_and_never_for_signed_in_users(
    client: Client, django_user_model: Any
) -> None:
    from upward.web.page_cache import forget_pages, kept_pages

    forget_pages()
    first = client.get("/county/27123/")
    again = client.get("/county/27123/", HTTP_ACCEPT_ENCODING="gzip")
    assert again["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == first.content
    assert kept_pages() == 1
    user = django_user_model.objects.create_user("reader", password="a-long-passphrase-1")
    client.force_login(user)
    assert "Content-Encoding" not in client.get("/county/27053/")
    assert kept_pages() == 1


@pytest.mark.django_db
def test_the_request_that_builds_a_page_gets_the_kept_gzipped_copy(client: Client) -> None:
    from upward.web.page_cache import forget_pages, kept_pages

    forget_pages()
    built = client.get("/county/27123/", HTTP_ACCEPT_ENCODING="gzip")
    assert built["Content-Encoding"] == "gzip" and kept_pages() == 1
    assert "Accept-Encoding" in built["Vary"]
    assert int(built["Content-Length"]) == len(built.content)
    kept = client.get("/county/27123/", HTTP_ACCEPT_ENCODING="gzip")
    assert built.content == kept.content  # compressed once, the same bytes for everyone
    assert gzip.decompress(built.content) == client.get("/county/27123/").content


def test_compressed_formats_are_not_gzipped_again(client: Client) -> None:
    css = client.get("/static/upward/site.css", HTTP_ACCEPT_ENCODING="gzip")
    assert css["Content-Encoding"] == "gzip"
    font = "/static/vendor/uswds/fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2"
    woff2 = client.get(font, HTTP_ACCEPT_ENCODING="gzip")
    assert woff2.status_code == 200 and woff2["Content-Type"] == "font/woff2"
    assert "Content-Encoding" not in woff2


@pytest.mark.django_db
def test_a_form_post_without_its_csrf_token_gets_a_clear_page(warehouse: Warehouse) -> None:
    response = Client(enforce_csrf_checks=True).post("/county/27123/review-guide/", {})
    assert response.status_code == 403
    assert b"security token" in response.content
    assert b"Traceback" not in response.content
