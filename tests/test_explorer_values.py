"""Every value on a profile page and in its .json twin equals the warehouse value.

The page marks each number with its raw value in data-* attributes (data-value, data-lb,
data-ub, data-q for the quality code, data-value-text for a:b ratios, data-status when
no value is published). These tests read them back and compare them, exactly, with
``Warehouse.profile`` and ``Warehouse.series`` and with the ``standing`` and ``benchmark``
tables queried directly.

The fast test covers every place of the fixture release; the acceptance test (marker
``full``) covers 60 places drawn with a fixed seed from the full data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from upward.data.model import Geography, Observation
from upward.data.warehouse import Warehouse
from upward.reports.numbers import format_number
from upward.web import data as web_data

QUALITY_CODES = {"Strong": 1, "Marginal": 2, "Weak": 3}


# -- reading the page ----------------------------------------------------------------------


@dataclass
class Row:
    attrs: dict[str, str]
    context: dict[str, str] = field(default_factory=dict)
    text: list[str] = field(default_factory=list)
    header: str = ""


@dataclass
class Table:
    attrs: dict[str, str]
    rows: list[Row] = field(default_factory=list)


class ProfileParser(HTMLParser):
    """Collects the stat cards and the rows of every trend and group table."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[Row] = []
        self.bodies: list[Table] = []
        self._card: Row | None = None
        self._card_depth = 0
        self._body: Table | None = None
        self._row: Row | None = None
        self._in_th = False

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        classes = attrs.get("class", "").split()
        if tag == "div" and "upward-stat" in classes:
            self._card = Row(attrs)
            self._card_depth = 1
            self.cards.append(self._card)
        elif tag == "div" and self._card is not None:
            self._card_depth += 1
        if tag == "ul" and "upward-context" in classes and self._card is not None:
            self._card.context = attrs
        if tag == "tbody" and "data-var" in attrs:
            self._body = Table(attrs)
            self.bodies.append(self._body)
        if (
            tag == "tr"
            and self._body is not None
            and ("data-value" in attrs or "data-status" in attrs or "data-value-text" in attrs)
        ):
            self._row = Row(attrs)
            self._body.rows.append(self._row)
        if tag == "th" and self._row is not None and attrs.get("scope") == "row":
            self._in_th = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._card is not None:
            self._card_depth -= 1
            if self._card_depth == 0:
                self._card = None
        if tag == "tbody":
            self._body = None
        if tag == "tr":
            self._row = None
        if tag == "th":
            self._in_th = False

    def handle_data(self, data: str) -> None:
        if self._card is not None:
            self._card.text.append(data)
        if self._row is not None:
            self._row.text.append(data)
            if self._in_th:
                self._row.header += data


def parse(html: str) -> ProfileParser:
    parser = ProfileParser()
    parser.feed(html)
    return parser


def _num(attrs: dict[str, str], key: str) -> float | None:
    return float(attrs[key]) if key in attrs else None


def assert_cell(attrs: dict[str, str], obs: Observation, where: str) -> None:
    assert _num(attrs, "data-value") == obs.value, where
    assert _num(attrs, "data-lb") == obs.lb, where
    assert _num(attrs, "data-ub") == obs.ub, where
    code = int(attrs["data-q"]) if "data-q" in attrs else None
    assert code == obs.quality_code, where
    assert attrs.get("data-value-text") == obs.value_text, where
    assert attrs.get("data-status", "published") == obs.status, where


# -- comparing ------------------------------------------------------------------------------


def check_page(client: Client, warehouse: Warehouse, geo: Geography) -> int:
    """Compare every marked value of the profile page; return how many were compared."""
    response = client.get(geo.url_path)
    assert response.status_code == 200, geo.geoid
    page = parse(response.content.decode())
    profile = warehouse.profile(geo)
    cards = {c.attrs["data-var"]: c for c in page.cards}
    assert len(cards) == len(profile.entries) == len(page.cards)
    compared = 0
    for entry in profile.entries:
        card = cards[entry.variable.name]
        where = f"{geo.geoid} {entry.variable.name} (card)"
        assert card.attrs.get("data-status", "published") == entry.status, where
        obs = entry.observation
        if obs is None:
            assert "data-value" not in card.attrs and "data-year" not in card.attrs, where
            assert entry.status_text in "".join(card.text), where
            continue
        assert int(card.attrs["data-year"]) == obs.year, where
        assert_cell(card.attrs, obs, where)
        text = " ".join("".join(card.text).split())
        if obs.value is None and obs.value_text:
            # A published "0.000:0.000" pair: no ratio, but both shares are shown.
            assert "no ratio" in text and str(obs.year) in text, where
        elif obs.value is None:
            assert entry.status_text in text, where
        else:
            assert format_number(entry.variable, obs.value) in text, where
            assert str(obs.year) in text and obs.quality in text, where  # type: ignore[operator]
            compared += 1 + check_context(warehouse, geo, obs, card.context, where)
    compared += check_tables(warehouse, geo, page.bodies)
    return compared


def check_context(
    warehouse: Warehouse, geo: Geography, obs: Observation, attrs: dict[str, str], where: str
) -> int:
    rank = warehouse.query(
        "SELECT pct_nation, n_nation, pct_state, n_state, tied_nation, tied_state FROM standing "
        "WHERE geoid = ? AND variable = ? AND year = ?",
        [geo.geoid, obs.variable, obs.year],
    )
    if rank:
        pct_nation, n_nation, pct_state, n_state, tied_nation, tied_state = rank[0]
        assert _num(attrs, "data-pct-nation") == pct_nation, where
        assert int(attrs["data-n-nation"]) == n_nation, where
        assert _num(attrs, "data-pct-state") == pct_state, where  # none when alone in the state
        assert int(attrs["data-n-state"]) == n_state, where
        assert int(attrs["data-tied-nation"]) == tied_nation, where
        assert int(attrs["data-tied-state"]) == tied_state, where
    medians = dict(
        warehouse.query(
            "SELECT scope, median FROM benchmark WHERE geo_level = ? AND variable = ? "
            "AND year = ? AND scope IN ('US', ?)",
            [geo.geo_level, obs.variable, obs.year, geo.state_fips],
        )
    )
    assert _num(attrs, "data-median-nation") == medians.get("US"), where
    assert _num(attrs, "data-median-state") == medians.get(geo.state_fips), where
    return len(rank) * 4 + len(medians)


def _cells(warehouse: Warehouse, geo: Geography) -> dict[tuple[str, str, str, int], Observation]:
    return {(o.variable, o.subgroup_type, o.subgroup, o.year): o for o in warehouse.series(geo)}


def check_tables(warehouse: Warehouse, geo: Geography, bodies: list[Table]) -> int:
    cells = _cells(warehouse, geo)
    catalog = warehouse.catalog
    seen: set[tuple[str, str, str, int]] = set()
    for body in bodies:
        variable = body.attrs["data-var"]
        subgroup_type = body.attrs.get("data-sg", "all")
        for row in body.rows:
            if subgroup_type == "all":
                key = (variable, "all", "All", int(row.header))
            else:
                key = (
                    variable,
                    subgroup_type,
                    row.attrs["data-group"],
                    int(body.attrs["data-year"]),
                )
            assert key in cells, f"{geo.geoid}: {key} is on the page but not in the warehouse"
            assert_cell(row.attrs, cells[key], f"{geo.geoid} {key}")
            if cells[key].value is not None:
                shown = format_number(catalog.variable(variable), cells[key].value)
                assert shown in "".join(row.text), key
            seen.add(key)
    # Completeness: every overall cell of a charted variable, and the latest year of every
    # breakdown of each metric's headline variable, is on the page.
    for metric in catalog.metrics_for(geo.geo_level):  # type: ignore[arg-type]
        headline = metric.headline
        charted = {v.name for v in metric.variables if v.unit == headline.unit}
        for key in cells:
            if key[0] in charted and key[1] == "all":
                assert key in seen, f"{geo.geoid}: {key} is missing from the trend table"
        by_type: dict[str, list[tuple[str, str, str, int]]] = {}
        for key in cells:
            if key[0] == headline.name and key[1] != "all":
                by_type.setdefault(key[1], []).append(key)
        for subgroup_type, keys in by_type.items():
            years = [k[3] for k in keys if k[2] != "All" and cells[k].value is not None]
            if years:
                latest = [k for k in keys if k[3] == max(years)]
                assert set(latest) <= seen, f"{geo.geoid}: {subgroup_type} groups missing"
    return len(seen)


def check_json(client: Client, warehouse: Warehouse, geo: Geography) -> int:
    response = client.get(geo.url_path.rstrip("/") + ".json")
    assert response.status_code == 200
    data = response.json()
    assert data["geography"]["geoid"] == geo.geoid
    profile = {e.variable.name: e for e in warehouse.profile(geo).entries}
    cells = _cells(warehouse, geo)
    compared = 0
    listed = list(data["subgroups"])
    for pillar in data["pillars"]:
        for value in (e for s in pillar["predictors"] for e in s["entries"]):
            listed += value["series"]
            entry = profile.pop(value["variable"])
            assert value["status"] == entry.status
            obs = entry.observation
            if obs is None:
                assert value["observation"] is None
                continue
            got = value["observation"]
            assert (got["year"], got["value"], got["lb"], got["ub"], got["quality"]) == (
                obs.year, obs.value, obs.lb, obs.ub, obs.quality
            )  # fmt: skip
            compared += 1
    for got in listed:
        obs = cells[(got["variable"], got["subgroup_type"], got["subgroup"], got["year"])]
        assert (got["value"], got["lb"], got["ub"], got["quality"], got["status"]) == (
            obs.value, obs.lb, obs.ub, obs.quality, obs.status
        )  # fmt: skip
        compared += 1
    assert not profile, f"variables missing from the JSON twin: {sorted(profile)}"
    return compared


# -- fixtures and tests ---------------------------------------------------------------------


def _use(path: Path) -> Iterator[Warehouse]:
    mp = pytest.MonkeyPatch()
    mp.setenv("UPWARD_WAREHOUSE", str(path))
    web_data.reset()
    try:
        yield web_data.get_warehouse()
    finally:
        web_data.reset()
        mp.undo()


@pytest.fixture
def fixture_web(fixture_warehouse_path: Path) -> Iterator[Warehouse]:
    yield from _use(fixture_warehouse_path)


@pytest.fixture
def full_web(full_warehouse_path: Path) -> Iterator[Warehouse]:
    yield from _use(full_warehouse_path)


def test_every_fixture_place_matches_the_warehouse(fixture_web: Warehouse) -> None:
    client = Client()
    total = 0
    for geo in fixture_web.geographies.values():
        total += check_page(client, fixture_web, geo)
        total += check_json(client, fixture_web, geo)
    assert total > 300


def test_a_wrong_value_is_caught(fixture_web: Warehouse) -> None:
    """The comparison can fail: a page with one altered value does not pass."""
    geo = fixture_web.geography("27123")
    html = Client().get(geo.url_path).content.decode()
    obs = next(e.observation for e in fixture_web.profile(geo).entries if e.observation)
    assert obs.value is not None
    altered = html.replace(f'data-value="{obs.value!r}"', 'data-value="0.123456"', 1)
    page = parse(altered)
    card = next(c for c in page.cards if c.attrs["data-var"] == obs.variable)
    with pytest.raises(AssertionError):
        assert_cell(card.attrs, obs, "altered")


@pytest.mark.full
def test_sixty_random_places_match_the_warehouse(full_web: Warehouse) -> None:
    places = sorted(full_web.geographies.values(), key=lambda g: g.geoid)
    rng = random.Random(20250516)
    counties = rng.sample([g for g in places if g.geo_level == "county"], 35)
    cities = rng.sample([g for g in places if g.geo_level == "city"], 25)
    client = Client()
    compared: dict[str, Any] = {}
    for geo in counties + cities:
        compared[geo.geoid] = check_page(client, full_web, geo) + check_json(client, full_web, geo)
    assert len(compared) == 60
    assert sum(compared.values()) > 60 * 50
