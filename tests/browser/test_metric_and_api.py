"""Metric pages and the API docs in a real browser, on the full data: the county map and
the distribution chart render from our own static files, the city table sorts, downloads
work, and axe-core finds no WCAG 2.1 AA violation. Screenshots at 1280 and 375 px."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.full

RENDER_TIMEOUT = 30_000
MAP_PATHS = "#metric-map[data-state=rendered] svg.marks path"


def wait_for_charts(page: Page) -> None:
    page.wait_for_selector(
        "#metric-histogram[data-state=rendered] svg", state="attached", timeout=RENDER_TIMEOUT
    )
    if page.locator("#metric-map").count():
        page.wait_for_function(
            f"() => document.querySelectorAll('{MAP_PATHS}').length > 3000",
            timeout=RENDER_TIMEOUT,
        )


def test_county_map_and_histogram_render(
    site: str, page: Page, screenshot: Callable[[Page, str], list[Path]]
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site + "/metric/low_birth_weight/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Share of babies born at a low birth weight"
    )
    wait_for_charts(page)
    elapsed = page.evaluate("performance.now()")
    print(f"map rendered {elapsed:.0f} ms after navigation start")
    counties = page.locator(MAP_PATHS).count()
    assert counties > 3000
    key = page.locator(".upward-map-key").inner_text()
    assert "No published value" in key
    assert "Weak estimate" in key
    histogram = page.locator("#metric-histogram svg.marks").evaluate("s => s.textContent")
    assert "National median" in histogram
    # vega-embed's export menu offers SVG (a PNG cannot draw the page's hatching); no
    # editor link leaves the machine
    menu = page.locator("#metric-map > details")
    menu.locator("summary").click()
    expect(menu.get_by_text("Save as SVG")).to_be_visible()
    assert menu.get_by_text("Save as PNG").count() == 0
    assert menu.locator("a[href^='http']").count() == 0
    menu.locator("summary").click()
    assert errors == []
    screenshot(page, "metric-low_birth_weight")


def test_metric_page_is_accessible(
    site: str, page: Page, assert_accessible: Callable[..., None]
) -> None:
    page.goto(site + "/metric/low_birth_weight/")
    wait_for_charts(page)
    page.get_by_text("Show the chart as a table").click()
    assert_accessible(page, "metric page (county map)")


def test_choosing_a_variable_and_year_reloads_the_map(site: str, page: Page) -> None:
    page.goto(site + "/metric/income_percentiles/")
    page.get_by_label("Variable").select_option("pctl_income_80")
    page.get_by_label("Year").select_option("2018")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**variable=pctl_income_80**year=2018**")
    wait_for_charts(page)
    expect(page.get_by_role("heading", name="80th percentile", exact=False).first).to_be_visible()
    assert page.locator("#choose-year").input_value() == "2018"


def test_city_table_sorts_and_is_accessible(
    site: str,
    page: Page,
    assert_accessible: Callable[..., None],
    screenshot: Callable[[Page, str], list[Path]],
) -> None:
    page.goto(site + "/metric/employment_ratio/?level=city")
    rows = page.locator("#values tbody tr")
    assert rows.count() == 100
    expect(page.locator("#values")).to_contain_text("486 cities")
    value_header = page.locator("#values thead th").nth(1)
    expect(value_header).to_have_attribute("aria-sort", "descending")
    first = rows.first.locator("td").first.inner_text()
    value_header.get_by_role("link").click()
    page.wait_for_url("**order=value**")
    value_header = page.locator("#values thead th").nth(1)
    expect(value_header).to_have_attribute("aria-sort", "ascending")
    assert page.locator("#values tbody tr").first.locator("td").first.inner_text() != first
    page.locator("#values thead th").first.get_by_role("link").click()
    page.wait_for_url("**order=name**")
    expect(page.locator("#values thead th").first).to_have_attribute("aria-sort", "ascending")
    wait_for_charts(page)
    assert_accessible(page, "metric page (city table)")
    screenshot(page, "metric-employment_ratio-city")


def test_download_csv_from_the_metric_page(site: str, page: Page) -> None:
    page.goto(site + "/metric/low_birth_weight/")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == "low_birth_weight-rate_low_birth_weight-county-2023.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) > 3000
    assert {"geoid", "value", "lb", "ub", "quality"} <= set(rows[0])


def test_metrics_index_is_accessible(
    site: str,
    page: Page,
    assert_accessible: Callable[..., None],
    screenshot: Callable[[Page, str], list[Path]],
) -> None:
    page.goto(site + "/metrics/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The metrics")
    assert_accessible(page, "metrics index")
    screenshot(page, "metrics-index")


def test_api_docs_load_locally_and_are_accessible(
    site: str,
    page: Page,
    assert_accessible: Callable[..., None],
    screenshot: Callable[[Page, str], list[Path]],
) -> None:
    page.goto(site + "/api/docs")
    page.wait_for_selector(".opblock", timeout=RENDER_TIMEOUT)
    assert page.locator(".opblock").count() >= 9
    assert_accessible(page, "API docs")
    screenshot(page, "api-docs")
