"""``?release=NAME`` on pages and API addresses: the named release answers; an unknown or
malformed name is a clear 404 or 400, never a 500."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from upward.data.ingest import load_release
from upward.web import data as web_data
from upward.web.page_cache import forget_pages

LBW = "04_health/neonatal-health/data/final/rate_low_birth_weight_metric_all_county.csv"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory, fixture_data_dir: Path) -> Path:
    """Release 'a' (the fixture) and current release 'b' with Ramsey's 2022 rate revised."""
    root = tmp_path_factory.mktemp("releases")
    warehouse = root / "home" / "warehouse.duckdb"
    load_release(fixture_data_dir, warehouse, release="a")
    revised = root / "b"
    shutil.copytree(fixture_data_dir, revised)
    lbw = revised / LBW
    lbw.write_text(
        lbw.read_text().replace(
            "2022,27,123,0.0803,0.0768,0.0838,", "2022,27,123,0.0903,0.0868,0.0938,"
        )
    )
    load_release(revised, warehouse, release="b")
    return warehouse


@pytest.fixture
def client(releases: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(releases))
    web_data.reset()
    forget_pages()
    yield Client()
    web_data.reset()
    forget_pages()


def lbw_2022(client: Client, query: str = "") -> float:
    response = client.get(f"/api/geographies/27123/series?metric=low_birth_weight{query}")
    assert response.status_code == 200, response.content
    items = response.json()
    items = items.get("items", items) if isinstance(items, dict) else items
    cell = next(c for c in items if c["year"] == 2022 and c["subgroup_type"] == "all")
    return float(cell["value"])


def test_the_api_answers_from_the_named_release(client: Client) -> None:
    assert lbw_2022(client) == 0.0903
    assert lbw_2022(client, "&release=a") == 0.0803
    assert lbw_2022(client, "&release=b") == 0.0903


def test_a_page_answers_from_the_named_release(client: Client) -> None:
    current = client.get("/county/27123/").content.decode()
    older = client.get("/county/27123/?release=a").content.decode()
    assert 'data-value="0.0903"' in current and 'data-value="0.0903"' not in older
    assert 'data-value="0.0803"' in older and 'data-value="0.0803"' not in current
    # The footer names the release each page reads.
    assert "Metrics to Inform Local Action, release a: " in older
    assert "Metrics to Inform Local Action, release b: local files" in current


@pytest.mark.parametrize(
    ("address", "status", "text"),
    [
        ("/api/geographies/27123?release=c", 404, "Unknown release 'c'."),
        ("/api/geographies/27123?release=..%2Fx", 400, "is not a release name"),
        ("/county/27123/?release=2019", 404, "Unknown release"),
    ],
)
def test_an_unknown_or_malformed_release_is_refused(
    client: Client, address: str, status: int, text: str
) -> None:
    response = client.get(address)
    assert response.status_code == status
    assert text in response.content.decode()
    if address.startswith("/api/"):
        assert response.json()["error"]["status"] == status


def test_the_api_lists_the_releases(client: Client) -> None:
    body = client.get("/api/releases").json()
    assert body["current"] == "b"
    assert [(r["name"], r["current"]) for r in body["items"]] == [("a", False), ("b", True)]
    assert body["items"][0]["files"] == 24 and len(body["items"][0]["checksum"]) == 64
