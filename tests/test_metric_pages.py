"""Metric pages (/metric/<id>/, /metrics/) and their .json, .csv, .xlsx and map.json twins."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from upward.catalog import get_catalog
from upward.data import distribution
from upward.data.warehouse import Warehouse
from upward.reports import county_map as county_map_module
from upward.reports import distribution_charts
from upward.web import data as web_data


def _client(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(path))
    web_data.reset()
    yield Client()
    web_data.reset()


@pytest.fixture
def client(fixture_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    yield from _client(fixture_warehouse_path, monkeypatch)


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:400]
    return response.content.decode()


def json_script(html: str, element_id: str) -> dict[str, Any]:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found, f"no {element_id} in the page"
    return dict(json.loads(found.group(1)))


def lbw_values(warehouse: Warehouse, year: int) -> dict[str, tuple[Any, ...]]:
    rows = warehouse.query(
        "SELECT geoid, value, lb, ub, quality FROM observation "
        "WHERE variable = 'rate_low_birth_weight' AND subgroup_type = 'all' AND year = ?",
        [year],
    )
    return {row[0]: row[1:] for row in rows}


def test_metric_page_shows_what_it_measures_and_the_distribution(
    client: Client, fixture_warehouse: Warehouse
) -> None:
    metric = get_catalog().metric("low_birth_weight")
    html = page(client, "/metric/low_birth_weight/")
    assert f"<h1>{metric.label}</h1>" in html
    for text in (metric.description, metric.why_it_matters, metric.source):
        assert text.replace("'", "&#x27;") in html
    assert "Lower values are better for mobility." in html
    catalog = get_catalog()
    breakdowns = [catalog.subgroup_type(t).label for t in metric.subgroup_types["county"]]
    assert ", ".join(b for b in breakdowns if b != "Everyone").replace("'", "&#x27;") in html
    assert ", ".join(str(y) for y in metric.years["county"]) in html
    selection = distribution.select(fixture_warehouse, "low_birth_weight")
    summary = distribution.summarize(fixture_warehouse, selection)
    assert summary.national is not None
    sentence = distribution_charts.describe_distribution(selection, summary)
    assert sentence.replace(",", "") in html.replace(",", "")
    assert (
        'href="/state/27/?metric=low_birth_weight&amp;variable=rate_low_birth_weight&amp;year='
        in html
    )
    spec = json_script(html, "map-spec")
    assert '"data": {"name": "values"}' in json.dumps(spec)  # filled by the page script
    assert "/static/vendor/us-atlas/counties-10m.json" in json.dumps(spec)
    assert "/metric/low_birth_weight/map.json?variable=rate_low_birth_weight" in html
    histogram = json_script(html, "histogram-spec")
    counts = sum(b["count"] for b in histogram["datasets"]["bins"])
    assert counts == summary.national.n


def test_map_json_is_compact_and_equals_the_warehouse(
    client: Client, fixture_warehouse: Warehouse
) -> None:
    response = client.get("/metric/low_birth_weight/map.json?year=2023")
    assert response.status_code == 200
    rows = json.loads(response.content)
    expected = lbw_values(fixture_warehouse, 2023)
    assert [r[0] for r in rows] == sorted(expected)
    for geoid, value, quality in rows:
        want = expected[geoid]
        assert value == (pytest.approx(want[0], rel=1e-5) if want[0] is not None else None)
        assert quality == want[3]
    assert b": " not in response.content and b", " not in response.content


def test_json_csv_and_xlsx_twins_hold_every_place(
    client: Client, fixture_warehouse: Warehouse
) -> None:
    expected = lbw_values(fixture_warehouse, 2022)
    query = "?variable=rate_low_birth_weight&year=2022&level=county"
    body = json.loads(page(client, f"/metric/low_birth_weight.json{query}"))
    assert body["selection"]["year"] == 2022
    assert {p["geoid"]: (p["value"], p["lb"], p["ub"]) for p in body["places"]} == {
        g: v[:3] for g, v in expected.items()
    }
    response = client.get(f"/metric/low_birth_weight.csv{query}")
    assert response["Content-Disposition"].endswith('-county-2022.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["geoid"] for r in rows} == set(expected)
    ramsey = next(r for r in rows if r["geoid"] == "27123")
    assert float(ramsey["value"]) == expected["27123"][0]
    assert ramsey["quality"] in ("Strong", "Marginal", "Weak")
    assert ramsey["name"] == "Ramsey County, MN"
    from openpyxl import load_workbook

    response = client.get(f"/metric/low_birth_weight.xlsx{query}")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["low_birth_weight"]
    assert sheet.max_row == len(expected) + 1
    assert "Notes" in book.sheetnames


def test_city_level_page_has_a_ranked_table_not_a_map(client: Client) -> None:
    html = page(client, "/metric/income_percentiles/?level=city&variable=pctl_income_50")
    assert 'id="values"' in html
    assert 'id="map-spec"' not in html
    assert "/metric/income_percentiles.json?variable=pctl_income_50" in html


def _values_rows(html: str) -> list[str]:
    table = re.search(r'<section aria-labelledby="values-title" id="values">(.*?)</section>',
                      html, re.S)  # fmt: skip
    assert table, "no table of values"
    return re.findall(r'<th scope="row"><a href="/county/(\d+)/">', table.group(1))


def test_the_table_of_values_sorts_and_pages_without_a_script(
    client: Client, fixture_warehouse: Warehouse
) -> None:
    """The map's alternative: every county's value, CI, quality and year, sorted by links."""
    values = lbw_values(fixture_warehouse, 2023)
    valued = [(v[0], g) for g, v in values.items() if v[0] is not None]
    highest = [g for _, g in sorted(valued, key=lambda x: (-x[0], x[1]))]  # ties by FIPS
    html = page(client, "/metric/low_birth_weight/?year=2023")
    assert _values_rows(html)[: len(valued)] == highest
    assert 'aria-sort="descending"' in html
    assert "order=value&amp;page=1#values" in html  # the value heading sorts the other way
    low = page(client, "/metric/low_birth_weight/?year=2023&order=value")
    assert _values_rows(low)[: len(valued)] == [g for _, g in sorted(valued)]
    assert 'aria-sort="ascending"' in low
    by_name = page(client, "/metric/low_birth_weight/?year=2023&order=name")
    assert len(_values_rows(by_name)) == len(values)
    for query, message in (("order=size", "order must be one of -value, value, name"),
                           ("page=0", "page must be a whole number from 1"),
                           ("page=9", "page must be from 1 to 1 for this table")):  # fmt: skip
        assert message in page(client, f"/metric/low_birth_weight/?{query}", 400)


def test_metric_without_loaded_values_says_so(client: Client) -> None:
    html = page(client, "/metric/housing_affordability/")
    assert "The loaded data hold no county values" in html
    assert 'id="map-spec"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=abc", "year must be a four-digit year such as 2021, not &#x27;abc&#x27;"),
        ("year=1999", "no county values of rate_low_birth_weight for 1999"),
        ("level=city", "published for counties only"),
        ("level=state", "level must be &#x27;county&#x27; or &#x27;city&#x27;"),
        ("variable=lbw", "&#x27;lbw&#x27; is not a variable of this metric"),
    ],
)
def test_bad_parameters_are_400_with_a_clear_message(
    client: Client, query: str, expected: str
) -> None:
    html = page(client, f"/metric/low_birth_weight/?{query}", 400)
    assert expected in html
    assert "Traceback" not in html


def test_bad_parameters_on_json_twins_are_json(client: Client) -> None:
    response = client.get("/metric/low_birth_weight.json?year=abc")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["status"] == 400
    response = client.get("/metric/low_birth_weight/map.json?level=city")
    assert response.status_code == 400
    assert "counties only" in json.loads(response.content)["error"]["message"]


def test_unknown_metric_is_404_with_suggestions(client: Client) -> None:
    html = page(client, "/metric/low_birth_wieght/", 404)
    assert 'href="/metric/low_birth_weight/"' in html
    response = client.get("/metric/low_birth_wieght.json")
    assert response.status_code == 404
    assert "low_birth_weight" in json.loads(response.content)["error"]["message"]


def test_metrics_index_groups_every_metric_by_pillar(client: Client) -> None:
    catalog = get_catalog()
    html = page(client, "/metrics/")
    for metric in catalog.metrics:
        assert f'href="/metric/{metric.id}/"' in html
    positions = [html.index(f'id="{p.id}"') for p in catalog.pillars]
    assert positions == sorted(positions)
    body = json.loads(page(client, "/metrics.json"))
    assert [m["id"] for m in body["metrics"]] == [m.id for m in catalog.metrics]


def test_chart_specs_are_valid_vega_lite(fixture_warehouse: Warehouse) -> None:
    """Altair validates templates when it builds them; vl-convert compiles them to Vega."""
    import vl_convert as vlc

    selection = distribution.select(fixture_warehouse, "low_birth_weight")
    data = distribution.overview(fixture_warehouse, selection)
    median = data.summary.national.median if data.summary.national else None
    histogram = distribution_charts.histogram_spec(selection, data.bins, median, "summary")
    vega = vlc.vegalite_to_vega(histogram)
    vega = json.loads(vega) if isinstance(vega, str) else vega
    assert vega["description"] == "summary"
    assert "<svg" in vlc.vegalite_to_svg(histogram)
    scale = county_map_module.map_scale(selection.variable, data.bins)
    county_map = county_map_module.county_map_spec(selection, scale, "/c.json", "/s.json", "map")
    compiled = vlc.vegalite_to_vega(county_map)
    compiled = json.loads(compiled) if isinstance(compiled, str) else compiled
    assert any(d.get("name") == "values" for d in compiled["data"])


def test_histogram_bins_hold_every_value_once(fixture_warehouse: Warehouse) -> None:
    selection = distribution.select(fixture_warehouse, "income_percentiles", year=2023)
    bins = distribution.histogram(fixture_warehouse, selection)
    summary = distribution.summarize(fixture_warehouse, selection)
    assert summary.national is not None
    assert sum(b.count for b in bins) == summary.national.n
    assert bins[0].start <= summary.national.min
    assert all(a.end == pytest.approx(b.start) for a, b in itertools.pairwise(bins))


@pytest.mark.parametrize(
    ("span", "expected"), [(1.0, 0.05), (0.113, 0.01), (30_000, 2_000), (7, 0.5), (0, 1.0)]
)
def test_nice_step(span: float, expected: float) -> None:
    assert distribution.nice_step(span) == pytest.approx(expected)


# The full data set ---------------------------------------------------------------------


@pytest.fixture
def full_client(full_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    yield from _client(full_warehouse_path, monkeypatch)


@pytest.mark.parametrize("metric_id", [m.id for m in get_catalog().metrics])
def test_every_metric_page_renders_with_the_full_data(full_client: Client, metric_id: str) -> None:
    metric = get_catalog().metric(metric_id)
    for level in metric.geographies:
        html = page(full_client, f"/metric/{metric_id}/?level={level}")
        assert "The loaded data hold no" not in html, f"{metric_id} has no {level} values"
        assert ("map-spec" in html) == (level == "county")
        rows = json.loads(page(full_client, f"/metric/{metric_id}/map.json?level={level}"))
        assert len(rows) > 100
        assert all(len(r) == 3 for r in rows)
