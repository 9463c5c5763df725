"""The static export opened as a visitor would: straight from disk (file://) and from a
plain static server. axe-core clean at 1280 and 375 px, charts drawn, no console errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from upward.web import data as web_data
from upward.web.static_site import export_site

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHART_TIMEOUT = 15_000


@pytest.fixture(scope="module")
def exported(fixture_warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    mp = pytest.MonkeyPatch()
    mp.setenv("UPWARD_WAREHOUSE", str(fixture_warehouse_path))
    web_data.reset()
    target = tmp_path_factory.mktemp("static-browser") / "site"
    try:
        export_site(target, workers=1)
    finally:
        web_data.reset()
        mp.undo()
    return target


def watch_console(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of the page, as they happen."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    return errors


def test_a_profile_works_from_disk(
    page: Page, exported: Path, both_widths: Callable[..., None]
) -> None:
    errors = watch_console(page)
    page.goto((exported / "county" / "27123" / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text("Ramsey County, MN")
    canvas = page.locator("#m-low_birth_weight figure.upward-chart .upward-chart__canvas").first
    canvas.scroll_into_view_if_needed()
    expect(canvas.locator("svg.marks")).to_be_visible(timeout=CHART_TIMEOUT)
    page.locator(".usa-accordion__button, .upward-tab").first.scroll_into_view_if_needed()
    assert not errors, "\n".join(dict.fromkeys(errors))  # (axe-core reads the style sheets
    both_widths(page, "static profile (file://)")  # itself)
    DOCS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):  # the top of the page, opened from disk
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / f"static-profile-{width}.png"))
    page.set_viewport_size({"width": 1280, "height": 800})
    # the links lead on, from disk too: the state (its map says why it is not drawn here),
    # then back to the index
    errors.clear()
    page.locator(".upward-place .usa-intro a").first.click()
    expect(page.locator("h1")).to_have_text("Minnesota")
    expect(page.locator("#metric-map")).to_contain_text("served by a web server")
    page.locator(".usa-logo a").click()
    expect(page).to_have_url((exported / "index.html").as_uri())
    assert not errors, "\n".join(dict.fromkeys(errors))
    both_widths(page, "static index (file://)")


def test_a_metric_page_draws_its_map_from_a_static_host(
    page: Page, exported: Path, serve_directory: Callable[[Path], str],
    both_widths: Callable[..., None],
) -> None:  # fmt: skip
    errors = watch_console(page)
    base = serve_directory(exported)
    page.goto(f"{base}/metric/low_birth_weight/index.html")
    expect(page.locator("#metric-map svg.marks")).to_be_visible(timeout=CHART_TIMEOUT)
    assert not errors, "\n".join(dict.fromkeys(errors))
    both_widths(page, "static metric page (http)")
    page.goto(f"{base}/state/27/index.html")
    expect(page.locator("#metric-map svg.marks")).to_be_visible(timeout=CHART_TIMEOUT)
    assert not errors, "\n".join(dict.fromkeys(errors))
    both_widths(page, "static state page (http)")
