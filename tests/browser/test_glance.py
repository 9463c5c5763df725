"""'At a glance' in a real browser, on the full data: the summary table atop the profile and
Compare, sorted from the keyboard, accessible (axe-core) and inside the page at 375 px; and
the note on why a breakdown's total is not the headline value, on the profile and Insights."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from upward.catalog import get_catalog

from .conftest import SCREENSHOTS, assert_accessible

pytestmark = pytest.mark.full

PAGES = {"profile": "/county/27123/", "compare": "/county/27123/compare/"}
NATION = "Standing in the nation"


def row_keys(page: Page, column: int) -> list[str]:
    """The sort keys of one column, in the order the rows are shown."""
    return page.evaluate(
        """(column) => [...document.querySelectorAll('.upward-glance__table tbody')]
             .filter((b) => !b.hidden)
             .flatMap((b) => [...b.rows])
             .filter((r) => !r.classList.contains('upward-glance__group'))
             .map((r) => r.cells[column].getAttribute('data-sort'))""",
        column,
    )


def metric_order(page: Page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.upward-glance__table tbody')]
             .filter((b) => !b.hidden).flatMap((b) => [...b.rows])
             .filter((r) => r.dataset.metric).map((r) => r.dataset.metric)"""
    )


def numbers_then_blanks(keys: list[str], descending: bool = False) -> None:
    found = [float(k) for k in keys if k]
    assert found == sorted(found, reverse=descending), keys
    assert all(k for k in keys[: len(found)]), "rows without a key sort last"


def no_page_overflow(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.evaluate("() => window.innerWidth"), width


def shoot(page: Page, name: str, where: str = "#at-a-glance") -> None:
    """A viewport-sized PNG with ``where`` at its top (test-output/screenshots/NAME.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(where).first.evaluate("(el) => el.scrollIntoView()")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.mark.parametrize("name", list(PAGES))
def test_the_glance_lists_every_measure_and_sorts_from_the_keyboard(
    site: str, page: Page, name: str
) -> None:
    page.goto(site + PAGES[name])
    glance = page.locator("#at-a-glance")
    expect(glance.get_by_role("heading", name="At a glance")).to_be_visible()
    county_metrics = {m.id for m in get_catalog().metrics_for("county")}
    assert set(metric_order(page)) == county_metrics
    original = metric_order(page)
    # each row links to its measure's details on the same page
    first = glance.locator("tbody th[scope=row] a").first
    target = first.get_attribute("href")
    assert target and target.startswith("#m-") and page.locator(target).count() == 1

    sort = glance.get_by_role("button", name=NATION)
    header = glance.locator("thead th").nth(6)
    sort.focus()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "ascending")
    numbers_then_blanks(row_keys(page, 6))
    expect(sort).to_be_focused()
    page.keyboard.press(" ")
    expect(header).to_have_attribute("aria-sort", "descending")
    numbers_then_blanks(row_keys(page, 6), descending=True)
    assert glance.locator("thead th[aria-sort]").count() == 1
    expect(glance.locator(".upward-glance__pillar").first).to_be_visible()  # rows name pillars
    expect(glance.get_by_role("status")).to_contain_text("descending")

    by_year = glance.get_by_role("button", name="Year")
    by_year.focus()
    page.keyboard.press("Enter")
    expect(glance.locator("thead th").nth(2)).to_have_attribute("aria-sort", "ascending")
    expect(header).not_to_have_attribute("aria-sort", "descending")
    numbers_then_blanks(row_keys(page, 2))

    regroup = glance.get_by_role("button", name="Group by pillar again")
    regroup.focus()
    page.keyboard.press("Enter")
    assert metric_order(page) == original
    assert glance.locator("thead th[aria-sort]").count() == 0
    expect(regroup).to_be_hidden()
    shoot(page, f"{name}-glance-1280")
    assert_accessible(page, f"{name} with its glance")


@pytest.mark.parametrize("name", list(PAGES))
def test_the_glance_scrolls_inside_the_page_at_375(site: str, page: Page, name: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + PAGES[name])
    no_page_overflow(page)
    region = page.get_by_role("region", name="At a glance: every measure")
    expect(region).to_be_visible()
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")  # scrolls within
    hint = page.locator(".upward-glance .upward-scroll-hint")  # the shared cue says so
    expect(hint).to_be_visible()
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.upward-glance__scroll').scrollLeft > 0")
    # the measure stays in view while the other columns scroll
    name_cell = page.locator(".upward-glance__table tbody th[scope=row]").first
    box = name_cell.bounding_box()
    assert box is not None and 0 <= box["x"] < 40
    region.evaluate("(el) => { el.scrollLeft = 0; }")
    page.get_by_role("button", name="Quality").click()
    no_page_overflow(page)
    region.evaluate("(el) => { el.scrollLeft = 0; }")
    shoot(page, f"{name}-glance-375")
    assert_accessible(page, f"{name} at 375 px")


EMPLOYMENT_NOTE = "Why this total differs from the headline value: in 2023 the total for this"


@pytest.mark.parametrize("width", [1280, 375])
def test_a_breakdown_total_says_why_it_differs(site: str, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "/county/27123/#m-employment_ratio")
    metric = page.locator("#m-employment_ratio")
    note = metric.locator("[data-total-note]:visible")
    expect(note).to_contain_text(EMPLOYMENT_NOTE)
    expect(note).to_contain_text("88.2%")
    expect(note).to_contain_text("85.3%")
    expect(note).to_contain_text("five years of answers")
    no_page_overflow(page)
    shoot(page, f"profile-total-note-{width}", "#m-employment_ratio .upward-breakdowns")
    assert_accessible(page, f"profile at {width} px")

    page.goto(site + "/county/27123/insights/")
    block = page.locator("details.upward-breakdown", has_text="employed by gender")
    block.evaluate("(el) => { el.open = true; }")
    note = block.locator("[data-total-note]")
    expect(note).to_contain_text(EMPLOYMENT_NOTE)
    expect(block).to_contain_text("Each gap below is measured against this total.")
    no_page_overflow(page)
    shoot(page, f"insights-total-note-{width}", "#" + (block.get_attribute("id") or ""))
    assert_accessible(page, f"insights at {width} px")
