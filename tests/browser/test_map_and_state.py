"""The county map and the state page in a real browser, on the full data, at 1280 and 375 px:
the map draws with its key (each symbol distinct), hatches Weak estimates and hides them on
request, finds and outlines a county and zooms to its state; the tables of values sort by
keyboard; axe-core finds no WCAG 2.1 AA violation; nothing overflows sideways.
Screenshots go to test-output/screenshots (the ones in docs/screenshots come from here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.full

RENDER_TIMEOUT = 30_000
MAP = "#metric-map[data-state=rendered] svg.marks"
HATCH = "url(#upward-hatch)"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
WIDTHS = (1280, 375)


def wait_for_map(page: Page, at_least: int = 3000) -> None:
    page.wait_for_function(
        f"(n) => document.querySelectorAll('{MAP} path').length > n",
        arg=at_least,
        timeout=RENDER_TIMEOUT,
    )


def count_paths(page: Page, attribute: str, value: str) -> int:
    return int(
        page.evaluate(
            "([sel, a, v]) => Array.from(document.querySelectorAll(sel + ' path'))"
            ".filter(p => p.getAttribute(a) === v).length",
            [MAP, attribute, value],
        )
    )


def no_overflow(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.evaluate("() => window.innerWidth"), f"page is {width} px wide"


def shot(page: Page, name: str, selector: str | None = None) -> Path:
    """A viewport or element screenshot (small enough for docs/screenshots)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if selector:
        page.locator(selector).first.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path))
    return path


@pytest.mark.parametrize("width", WIDTHS)
def test_the_map_draws_with_a_key_of_distinct_symbols(
    site: str, page: Page, assert_accessible: Callable[..., None], width: int
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/metric/low_birth_weight/")
    wait_for_map(page)
    # Weak estimates are hatched over their colour, never faded.
    assert count_paths(page, "fill", HATCH) > 1000
    assert page.locator(f"{MAP} [opacity], {MAP} [fill-opacity]").count() == 0
    key = page.locator(".upward-map-key")
    expect(key).to_contain_text("Darker means a higher value of this measure: share of babies")
    expect(key).to_contain_text("For this measure, lower values are better.")
    symbols = key.locator(".upward-map-key__symbols li")
    assert symbols.count() == 5
    drawings = [symbols.nth(i).locator("svg").inner_html() for i in range(symbols.count())]
    labels = [symbols.nth(i).locator("strong").inner_text() for i in range(symbols.count())]
    assert len(set(drawings)) == len(drawings), "two symbols of the key look the same"
    assert len(set(labels)) == len(labels)
    no_overflow(page)
    assert_accessible(page, f"metric page with the map at {width} px")
    assert errors == []
    shot(page, f"map-low-birth-weight-{width}", ".upward-map")


def test_hide_weak_toggle_draws_weak_estimates_without_colour(site: str, page: Page) -> None:
    page.goto(site + "/metric/low_birth_weight/")
    wait_for_map(page)
    toggle = page.get_by_label("Hide Weak estimates")  # a real checkbox, styled by USWDS
    label = page.locator("label[for=map-hide-weak]")
    expect(label).to_be_visible()
    hatched = count_paths(page, "fill", HATCH)
    white = count_paths(page, "fill", "#ffffff")
    label.click()
    expect(toggle).to_be_checked()
    expect(page.locator("#metric-map")).to_have_attribute("data-weak", "hidden")
    assert count_paths(page, "fill", "#ffffff") >= white + hatched  # every Weak one is white
    assert count_paths(page, "fill", HATCH) == hatched  # and still hatched
    shot(page, "map-hide-weak-1280", ".upward-map")
    toggle.focus()
    page.keyboard.press("Space")  # by keyboard too
    expect(toggle).not_to_be_checked()
    expect(page.locator("#metric-map")).to_have_attribute("data-weak", "shown")
    assert count_paths(page, "fill", "#ffffff") == white


def test_finding_a_place_outlines_it_and_zooms_to_its_state(site: str, page: Page) -> None:
    page.goto(site + "/metric/low_birth_weight/")
    wait_for_map(page)
    before = page.locator(f"{MAP} path").count()
    box = page.get_by_role("combobox", name="Find a county")
    box.fill("Ramsey County, MN")
    page.wait_for_selector("#map-find-list-0 [role=option]", timeout=RENDER_TIMEOUT)
    box.press("ArrowDown")
    box.press("Enter")
    expect(page.locator("#metric-map")).to_have_attribute("data-found", "27123")
    status = page.locator("#map-status")
    expect(status).to_contain_text("Ramsey County, MN is outlined on the map, zoomed to Minnesota")
    expect(status.get_by_role("link")).to_have_attribute("href", "/county/27123/")
    outline = count_paths(page, "stroke", "#1b1b1b")
    assert outline == 1
    assert page.locator(f"{MAP} path").count() < before / 10  # only Minnesota is drawn
    shot(page, "map-find-place-1280", ".upward-map")
    status.get_by_role("button", name="Show the whole nation again").click()
    expect(page.locator("#metric-map")).to_have_attribute("data-found", "")
    wait_for_map(page)


def test_without_a_script_the_finder_opens_the_profile(site: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/metric/low_birth_weight/")
    page.locator("#map-find-input").fill("Ramsey County, MN")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url("**/county/27123/")
    context.close()


def test_the_table_of_values_sorts_by_keyboard(site: str, page: Page) -> None:
    page.goto(site + "/metric/low_birth_weight/")
    header = page.locator("#values thead th").nth(1)
    expect(header).to_have_attribute("aria-sort", "descending")
    first = page.locator("#values tbody tr").first.inner_text()
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**order=value**")
    header = page.locator("#values thead th").nth(1)
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert page.locator("#values tbody tr").first.inner_text() != first
    assert page.locator("#values tbody tr").count() == 100
    page.get_by_role("link", name="Next 100").click()
    expect(page.locator("#values")).to_contain_text("page 2 of")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_state_page_has_a_map_and_a_table_that_sorts_by_keyboard(
    site: str, page: Page, assert_accessible: Callable[..., None], width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/state/MN/")
    page.get_by_label("Measure", exact=True).select_option("low_birth_weight")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**/state/27/?metric=low_birth_weight")
    wait_for_map(page, at_least=80)
    assert page.locator(f"{MAP} path").count() < 1000  # Minnesota's counties only
    table = page.locator("section[aria-labelledby=county-values] table")
    rows = table.locator("tbody tr")
    assert rows.count() == 87
    expect(table).to_contain_text("Tied")
    expect(table).to_contain_text("Weak")
    value_head = table.locator("thead th").nth(1)
    expect(value_head).to_have_attribute("aria-sort", "descending")
    name_button = table.locator("thead th").first.get_by_role("button")
    name_button.focus()
    page.keyboard.press("Enter")
    expect(table.locator("thead th").first).to_have_attribute("aria-sort", "ascending")
    assert value_head.get_attribute("aria-sort") is None
    names = [rows.nth(i).locator("th").inner_text() for i in range(3)]
    assert names == sorted(names) and names[0].startswith("Aitkin County")
    page.keyboard.press("Enter")
    expect(table.locator("thead th").first).to_have_attribute("aria-sort", "descending")
    # Cities are named as everywhere else, even for a measure published for counties only.
    expect(page.get_by_role("link", name="St. Paul, MN")).to_be_visible()
    assert "St. Paul city" not in page.content()
    no_overflow(page)
    assert_accessible(page, f"state page at {width} px")
    page.set_viewport_size({"width": width, "height": 1100 if width > 400 else 800})
    page.reload()  # the first order, for the screenshots
    wait_for_map(page, at_least=80)
    page.evaluate("() => window.scrollBy(0, document.getElementById('map-title')"
                  ".getBoundingClientRect().top - 8)")  # fmt: skip
    shot(page, f"state-mn-{width}")
    page.evaluate("() => window.scrollBy(0, document.getElementById('county-values')"
                  ".getBoundingClientRect().top - 8)")  # fmt: skip
    shot(page, f"state-mn-table-{width}")
