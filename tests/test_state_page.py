"""The state page (/state/27/?metric=): a table of the state's counties and cities for one
metric, neutral positions with ties as ties, a state map, one name per place, and 400s
that name a bad choice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client

from upward.catalog import COUNTY, get_catalog
from upward.data.distribution import Selection
from upward.data.model import Geography
from upward.data.state_table import StateValue
from upward.data.warehouse import Warehouse
from upward.explore.shapes import StatePlaceOut
from upward.web.explorer.state_page import StateLevel, ordinal, position, table_rows


@pytest.fixture
def client(warehouse_env: Path) -> Client:
    return Client()


def _value(geoid: str, value: float | None, below: int | None = None, tied: int | None = None,
           n: int | None = None, quality: str | None = "Strong") -> StateValue:  # fmt: skip
    return StateValue(geoid, value, None, None, quality, None, below, tied, n)  # type: ignore[arg-type]


def _geo(geoid: str, name: str) -> Geography:
    return Geography(geoid, COUNTY, name, name, f"{name}, MN", "27", "MN", "Minnesota",
                     2014, 2023, 1000.0, 2023, True)  # fmt: skip


# -- positions, pure --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th"), (1002, "1,002nd")],
)  # fmt: skip
def test_ordinal(n: int, text: str) -> None:
    assert ordinal(n) == text


def test_a_position_counts_from_the_highest_and_a_shared_value_is_a_tie() -> None:
    # 5 places: 2 lower, none equal, so 2 higher: 3rd from the top.
    assert position(_value("27001", 0.5, below=2, tied=0, n=5), COUNTY) == ("3rd of 5", 3)
    # 6 places: 1 lower, 2 others equal, 2 higher: the three share 3rd to 5th.
    text, key = position(_value("27001", 0.5, below=1, tied=2, n=6), COUNTY)
    assert (text, key) == ("Tied 3rd–5th of 6 (3 share this value)", 3)
    assert position(_value("27001", 0.5, below=0, tied=0, n=1), COUNTY) == (
        "The only county with a value", 1)  # fmt: skip
    assert position(_value("27001", None), COUNTY) == ("", None)


def test_rows_run_highest_first_ties_by_name_places_without_a_value_last() -> None:
    metric = get_catalog().metric("low_birth_weight")
    selection = Selection(metric, metric.headline, COUNTY, 2023, (2023,), metric.geographies)
    geos = (_geo("27001", "Cass"), _geo("27002", "Anoka"), _geo("27003", "Blue Earth"),
            _geo("27004", "Dakota"), _geo("27005", "Aitkin"))  # fmt: skip
    values = {
        "27001": _value("27001", 0.05, below=0, tied=1, n=3, quality="Weak"),
        "27002": _value("27002", 0.05, below=0, tied=1, n=3, quality="Weak"),
        "27003": _value("27003", 0.09, below=2, tied=0, n=3),
        "27004": _value("27004", None, quality="Strong"),  # withheld
    }
    rows = table_rows(StateLevel(COUNTY, selection, geos, values))
    names = [r["geo"].display_name for r in rows]
    assert names == ["Blue Earth, MN", "Anoka, MN", "Cass, MN", "Aitkin, MN", "Dakota, MN"]
    assert rows[0]["position"] == "1st of 3"
    assert rows[1]["position"] == rows[2]["position"] == "Tied 2nd–3rd of 3 (2 share this value)"
    assert rows[1]["weak"] and rows[2]["weak"] and not rows[0]["weak"]
    assert rows[1]["value"] == rows[2]["value"] == "5.0%"
    assert all(r["year"] == 2023 for r in rows)
    assert [r["value"] for r in rows[3:]] == ["No published value"] * 2
    assert rows[3]["quality"] == rows[3]["position"] == ""


# -- the page ---------------------------------------------------------------------------------


def _table(html: str, level: str) -> str:
    found = re.search(rf'<section aria-labelledby="{level}-values">(.*?)</section>', html, re.S)
    assert found, f"no {level} table"
    return found.group(1)


def test_the_state_page_shows_every_county_for_a_metric_in_value_order(
    client: Client, fixture_warehouse: Warehouse
) -> None:
    response = client.get("/state/27/?metric=low_birth_weight")
    assert response.status_code == 200
    html = response.content.decode()
    rows = fixture_warehouse.query(
        "SELECT geoid, value FROM observation WHERE variable = 'rate_low_birth_weight' "
        "AND subgroup_type = 'all' AND year = (SELECT max(year) FROM observation WHERE "
        "variable = 'rate_low_birth_weight') AND geoid LIKE '27___' ORDER BY value DESC"
    )
    table = _table(html, "county")
    order = re.findall(r'<tr data-geoid="(\d+)"', table)
    assert order[: len(rows)] == [r[0] for r in rows if r[1] is not None]
    assert 'aria-sort="descending"' in table and "data-sortable" in table
    assert "Position in Minnesota, highest first (not tested)" in table
    assert 'id="map-spec"' in html and '"focus_state", "value": "27"' in html
    # A county-only metric still lists the state's cities, by the name every page uses.
    cities = _table(html, "city")
    assert "published for counties only" in cities
    assert 'href="/city/2758000/">St. Paul, MN</a>' in cities
    assert "St. Paul city" not in html


def test_the_metric_chooser_is_a_get_form(client: Client) -> None:
    html = client.get("/state/27/").content.decode()
    form = re.search(r"<form[^>]*upward-state-choice[^>]*>", html)
    assert form and 'method="get"' in form.group(0) and 'action="/state/27/"' in form.group(0)
    assert '<select class="usa-select" id="choose-metric" name="metric">' in html
    assert html.count("<option ") == len(get_catalog().metrics)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("metric=low_birth_wieght", "there is no metric called &#x27;low_birth_wieght&#x27;"),
        ("metric=low_birth_weight&year=1999", "for 1999. Years with values"),
        ("metric=low_birth_weight&year=abc", "year must be a four-digit year"),
        ("metric=low_birth_weight&variable=nope", "&#x27;nope&#x27; is not a variable"),
    ],
)
def test_a_bad_choice_is_a_400_that_names_it(client: Client, query: str, message: str) -> None:
    response = client.get(f"/state/27/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    twin = client.get(f"/state/27.json?{query}")
    assert twin.status_code == 400
    assert json.loads(twin.content)["error"]["status"] == 400


def test_the_json_twin_holds_the_table(client: Client) -> None:
    body = client.get("/state/27.json?metric=employment_ratio").json()
    table = body["table"]
    assert table["metric"] == "employment_ratio" and table["release"]["name"]
    levels = {level["geo_level"]: level for level in table["levels"]}
    assert set(levels) == {"county", "city"}
    for level in levels.values():
        for place in level["places"]:
            assert set(place) == set(StatePlaceOut.model_fields)
            if place["value"] is not None:
                others = place["n_in_state"] - 1
                assert 0 <= place["below_in_state"] + place["tied_in_state"] <= others
    assert {p["geography"]["geoid"] for p in levels["city"]["places"]} == {"2743000", "2758000"}
