"""Place suggestions as you type, in the header's search box (every page) and in the peer
editor: one ARIA 1.2 combobox (site.js, window.Upward.combobox) over the typo-tolerant
search. Without JavaScript both forms still work: the header box submits to the search
results, the peer editor takes a typed name or FIPS code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP_VIEWPORT, confine_to_machine

RAMSEY, TULSA, ST_PAUL = "27123", "4075000", "2758000"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def first_option(page: Page, input_selector: str, expected: str) -> str:
    """The first suggestion once it is ``expected``'s: the list shown for a shorter prefix
    of the typed text (a lookup that fired between two keys) is replaced when the answer
    for the whole text arrives, so wait for that answer rather than take the first list."""
    box = page.locator(input_selector)
    list_id = box.get_attribute("aria-controls")
    assert list_id
    option = page.locator(f"#{list_id} [role=option]").first
    expect(option).to_be_visible()
    expect(option).to_contain_text(expected)
    return option.inner_text()


def test_header_box_suggests_ramsey_county_for_a_typo(
    site: str, page: Page, assert_accessible: Callable[..., None]
) -> None:
    page.goto(site + "/metrics/")  # a page with no search of its own
    box = page.locator("#header-search")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("ramsy", delay=30)
    assert "Ramsey County, MN" in first_option(page, "#header-search", "Ramsey County, MN")
    expect(box).to_have_attribute("aria-expanded", "true")
    status = page.locator("#header-search ~ [role=status]")
    expect(status).to_contain_text("suggested")
    assert_accessible(page, context="header suggestions open")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SHOTS / "header-suggestions-1280.png"),
        clip={"x": 560, "y": 0, "width": 720, "height": 420},
    )

    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active
    expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    expect(page.locator(f"#{active}")).to_contain_text("Ramsey County, MN")
    box.press("Enter")
    page.wait_for_url(f"**/county/{RAMSEY}/")

    # Escape closes the list and keeps what was typed
    box = page.locator("#header-search")
    box.press_sequentially("ramsy", delay=30)
    first_option(page, "#header-search", "Ramsey County, MN")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("ramsy")


def test_header_box_on_a_phone_opens_in_the_menu_and_fits(site: str, page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/methods/")
    page.get_by_role("button", name="Menu").click()
    box = page.locator("#header-search")
    box.press_sequentially("saint paul", delay=30)
    assert "St. Paul, MN" in first_option(page, "#header-search", "St. Paul, MN")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(SHOTS / "header-suggestions-375.png"))
    listbox = page.locator("#" + str(box.get_attribute("aria-controls")))
    bounds = listbox.bounding_box()
    assert bounds is not None and bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= 375


def test_header_box_without_javascript_submits_to_the_results(site: str, browser: Browser) -> None:
    context = browser.new_context(viewport=DESKTOP_VIEWPORT, java_script_enabled=False)
    confine_to_machine(context)
    page = context.new_page()
    page.goto(site + "/metrics/")
    page.fill("#header-search", "ramsy")
    page.press("#header-search", "Enter")
    page.wait_for_url("**/?q=ramsy")
    expect(page.locator("main a", has_text="Ramsey County, MN").first).to_be_visible()
    context.close()


def test_peer_editor_suggests_st_paul_for_saint_paul_and_adds_it(
    site: str, page: Page, assert_accessible: Callable[..., None]
) -> None:
    page.goto(site + f"/city/{TULSA}/peers/")
    table = page.locator(".upward-peer-table")
    if table.locator(f"tr[data-geoid='{ST_PAUL}']").count():
        page.get_by_role("button", name="Remove St. Paul, MN").click()
    expect(page.locator(f".upward-peer-table tr[data-geoid='{ST_PAUL}']")).to_have_count(0)

    box = page.locator("#add-peer")
    expect(box).to_have_attribute("role", "combobox")
    box.press_sequentially("saint paul", delay=30)
    assert "St. Paul, MN" in first_option(page, "#add-peer", "St. Paul, MN")
    assert_accessible(page, context="peer suggestions open")
    page.locator("#add-heading").locator("xpath=..").screenshot(
        path=str(SHOTS / "peer-suggestions-1280.png")
    )
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value("St. Paul, MN")
    expect(page.locator("[data-pick]")).to_have_value(ST_PAUL)
    page.get_by_role("button", name="Add peer").click()
    expect(page.locator(f".upward-peer-table tr[data-geoid='{ST_PAUL}']")).to_have_count(1)
    assert_accessible(page, context="peers after adding St. Paul")
