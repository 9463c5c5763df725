"""Place search (issue 11 item 6): typos, "St."/"Saint", ranking by population, and the
301s for a state's postal code and for a FIPS code of the other kind of place.

The fixture warehouse has two Ramsey Counties (MN, 546,700 people; ND, 11,290) and
St. Paul, MN; the full-data case checks the same on every county and city.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from upward.data.place_search import fold_name
from upward.data.warehouse import Warehouse
from upward.explore import AmbiguousPlace, PlaceNotFound


def _ids(warehouse: Warehouse, text: str, **options: object) -> list[str]:
    return [g.geoid for g in warehouse.search(text, **options)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("St. Paul", "saint paul"),
        ("ST PAUL, mn", "saint paul, mn"),
        ("Ste. Genevieve County", "sainte genevieve county"),
        ("Doña Ana  County", "dona ana county"),
        ("Coeur d'Alene", "coeur dalene"),
        ("Stevens", "stevens"),  # only the word St is a saint
    ],
)
def test_fold_name(text: str, folded: str) -> None:
    assert fold_name(text) == folded


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("ramsy", "27123"),
        ("Ramsy county", "27123"),
        ("ramsey cuonty", "27123"),
        ("ramsy county, nd", "38071"),
        ("saint paul", "2758000"),
        ("Saint Paul, MN", "2758000"),
        ("St Paul", "2758000"),
        ("st. paul, minnesota", "2758000"),
        ("minneapols", "2743000"),
        ("dona ana", "35013"),
    ],
)
def test_search_tolerates_typos_and_saints(
    fixture_warehouse: Warehouse, text: str, first: str
) -> None:
    assert _ids(fixture_warehouse, text)[0] == first


def test_equal_relevance_ranks_by_population(fixture_warehouse: Warehouse) -> None:
    # Same name, same misspelling: Ramsey County, MN (546,700) before ND (11,290).
    for text in ("Ramsey", "Ramsey County", "ramsy", "Ramsy county"):
        assert _ids(fixture_warehouse, text) == ["27123", "38071"], text
    assert _ids(fixture_warehouse, "Fulton") == ["13121", "1372122"]


def test_exact_lookups_unchanged(fixture_warehouse: Warehouse) -> None:
    assert _ids(fixture_warehouse, "27123") == ["27123"]
    assert _ids(fixture_warehouse, "Tulsa") == ["4075000", "40143"]  # whole name first
    assert _ids(fixture_warehouse, "Springfield") == []
    assert fixture_warehouse.resolve_place("Saint Paul, MN").geoid == "2758000"
    assert fixture_warehouse.resolve_place("Ramsey County, MN").geoid == "27123"
    assert fixture_warehouse.resolve_place("9001").geoid == "09001"


def test_find_place_suggests_close_spellings(fixture_warehouse: Warehouse) -> None:
    with pytest.raises(AmbiguousPlace) as many:
        fixture_warehouse.resolve_place("Ramsy county")
    assert [g.geoid for g in many.value.suggestions] == ["27123", "38071"]
    with pytest.raises(PlaceNotFound) as none:  # one close spelling: a suggestion, not a jump
        fixture_warehouse.resolve_place("minneapols")
    assert [g.geoid for g in none.value.suggestions] == ["2743000"]


def test_every_caller_gets_the_same_ranking(warehouse_env: Path) -> None:
    client = Client()
    found = client.get("/search.json", {"q": "Ramsy county"}).json()["results"]
    assert [r["url"] for r in found] == ["/county/27123/", "/county/38071/"]
    found = client.get("/search.json", {"q": "saint paul"}).json()["results"]
    assert [r["url"] for r in found] == ["/city/2758000/"]
    assert client.get("/", {"q": "Saint Paul, MN"})["Location"] == "/city/2758000/"
    items = client.get("/api/geographies", {"q": "ramsy"}).json()["items"]
    assert [g["geoid"] for g in items][:2] == ["27123", "38071"]
    html = client.get("/", {"q": "ramsy"}).content.decode()
    assert html.index('href="/county/27123/"') < html.index('href="/county/38071/"')


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/state/MN/", "/state/27/"),
        ("/state/mn/", "/state/27/"),
        ("/state/MN.json", "/state/27.json"),
        ("/state/MN/?x=1&y=2", "/state/27/?x=1&y=2"),
        ("/county/4075000/", "/city/4075000/"),
        ("/city/27123/", "/county/27123/"),
        ("/city/27123.json?year=2021", "/county/27123.json?year=2021"),
        ("/county/2758000/peers/?k=3", "/city/2758000/peers/?k=3"),
        ("/city/27123/review-guide/", "/county/27123/review-guide/"),
    ],
)
def test_redirects(warehouse_env: Path, path: str, location: str) -> None:
    response = Client().get(path)
    assert response.status_code == 301
    assert response["Location"] == location


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/state/ZZ/", 400),
        ("/state/M1/", 400),
        ("/state/99/", 404),
        ("/county/123/", 400),
        ("/county/27x23/", 400),
        ("/city/123456/", 400),
    ],
)
def test_no_redirect_for_malformed_codes(warehouse_env: Path, path: str, status: int) -> None:
    assert Client().get(path).status_code == status


def test_full_data_search(full_warehouse_path: Path) -> None:
    warehouse = Warehouse(full_warehouse_path)
    ramseys = warehouse.search("Ramsy county")
    assert [g.display_name for g in ramseys] == ["Ramsey County, MN", "Ramsey County, ND"]
    assert warehouse.search("Hennepn county")[0].display_name == "Hennepin County, MN"
    assert warehouse.search("Saint Paul, MN")[0].display_name == "St. Paul, MN"
    assert warehouse.search("st louis")[0].state_abbr in {"MO", "MN"}
    assert warehouse.search("ste genevieve")[0].name.startswith("Ste. Genevieve")
