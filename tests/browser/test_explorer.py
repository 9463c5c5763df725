"""The explorer in a real browser, on the full data: search, profile, groups, download,
accessibility (axe-core, WCAG 2.1 AA), keyboard use, small screens and print."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.full

CHART_TIMEOUT = 20_000


def render_all_charts(page: Page) -> None:
    page.wait_for_function("() => typeof window.upwardRenderCharts === 'function'")
    page.evaluate("window.upwardRenderCharts()")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.upward-chart__canvas')]"
        ".filter(c => c.offsetParent).every(c => c.querySelector('svg.marks'))",
        timeout=CHART_TIMEOUT,
    )


def test_search_open_profile_switch_group_and_download(site: str, page: Page) -> None:
    page.goto(site + "/")
    box = page.get_by_role("combobox", name="County or city name, or FIPS code")
    box.fill("Ramsey")
    option = page.get_by_role("option", name="Ramsey County, MN")
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option.click()
    page.wait_for_url("**/county/27123/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ramsey County, MN")

    metric = page.locator("#m-low_birth_weight")
    metric.scroll_into_view_if_needed()
    expect(metric.locator(".upward-chart__canvas svg.marks").first).to_be_visible(
        timeout=CHART_TIMEOUT
    )
    tab = metric.get_by_role("tab", name="Mother's education")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = metric.locator(f"#{tab.get_attribute('aria-controls')}")
    expect(panel).to_be_visible()
    expect(panel.locator(".upward-chart__canvas svg.marks")).to_be_visible(timeout=CHART_TIMEOUT)
    assert "College Degree or Higher" in panel.inner_text()
    assert "/county/27123/" in page.url  # switched in place, no reload

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename == "upward-county-27123.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert {r["geoid"] for r in rows} == {"27123"}
    assert any(r["variable"] == "rate_low_birth_weight" and r["section"] == "latest" for r in rows)


def test_group_tabs_work_from_the_keyboard(site: str, page: Page) -> None:
    page.goto(site + "/county/27123/#m-low_birth_weight")
    metric = page.locator("#m-low_birth_weight")
    first = metric.get_by_role("tab").first
    first.focus()
    page.keyboard.press("ArrowRight")
    second = metric.get_by_role("tab").nth(1)
    expect(second).to_be_focused()
    expect(second).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("aria-selected", "false")


def test_search_without_javascript_lists_results(site: str, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site + "/?q=Ramsey")
    expect(page.get_by_role("link", name="Ramsey County, MN")).to_be_visible()
    page.goto(site + "/county/27123/?breakdown=mothers-education")
    tab = page.locator("#m-low_birth_weight").get_by_role("tab", name="Mother's education")
    expect(tab).to_have_attribute("aria-selected", "true")
    context.close()


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home", "/"),
        ("county-profile", "/county/27123/"),
        ("city-profile", "/city/2758000/"),
        ("state", "/state/27/"),
        ("not-found", "/county/27999/"),
    ],
)
def test_pages_are_accessible_and_photographed(
    site: str,
    page: Page,
    name: str,
    path: str,
    assert_accessible: Callable[..., None],
    screenshot: Callable[[Page, str], list[Path]],
) -> None:
    page.goto(site + path)
    if "profile" in name:
        render_all_charts(page)
    assert_accessible(page, context=name)
    paths = screenshot(page, f"explorer-{name}")
    assert all(p.stat().st_size > 10_000 for p in paths)


@pytest.mark.parametrize("path", ["/", "/county/27123/", "/city/2758000/", "/state/27/"])
def test_no_sideways_scrolling_at_360_px(site: str, page: Page, path: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + path)
    if "profile" in path or "county" in path or "city" in path:
        render_all_charts(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width} px wide at a 360 px viewport"


def test_print_hides_navigation_and_keeps_charts(site: str, page: Page) -> None:
    page.goto(site + "/county/27123/")
    render_all_charts(page)
    page.emulate_media(media="print")
    expect(page.locator(".usa-header")).to_be_hidden()
    expect(page.locator(".upward-toc")).to_be_hidden()
    expect(page.locator(".upward-chart__canvas svg.marks").first).to_be_visible()
    pdf = page.pdf(format="Letter")
    assert pdf[:4] == b"%PDF" and len(pdf) > 50_000
