"""Charts in a real browser, on the full data, at 1280 and 375 px: whole legend labels, a
unit on the value axis, a break in the line for a missing year, a mark and a note where a
series changes source, axes fitted to the data, axe-core clean and no page overflow."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.full

CHART_TIMEOUT = 20_000
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "screenshots"
WIDTHS = (1280, 375)


def drawn(page: Page, metric: str) -> Locator:
    """The metric's trend chart, scrolled to and drawn."""
    canvas = page.locator(f"#m-{metric} figure.upward-chart .upward-chart__canvas").first
    canvas.scroll_into_view_if_needed()
    expect(canvas.locator("svg.marks")).to_be_visible(timeout=CHART_TIMEOUT)
    return canvas


def legend_labels(canvas: Locator) -> list[str]:
    """Each legend entry's text, its wrapped lines joined (Vega draws a line per tspan)."""
    return canvas.evaluate(
        """c => [...c.querySelectorAll('g.role-legend-label text')].map(t => {
             const parts = [...t.querySelectorAll('tspan')].map(s => s.textContent);
             return (parts.length ? parts.join(' ') : t.textContent).trim();
           })"""
    )


def no_overflow(page: Page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll}px wide at {width}px"


@pytest.mark.parametrize("width", WIDTHS)
def test_trend_legends_units_gaps_and_breaks(
    site: str, page: Page, width: int, assert_accessible: Callable[..., None]
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/county/27123/")
    housing = drawn(page, "housing_affordability")
    labels = legend_labels(housing)
    assert len(labels) == 6, labels
    assert all("…" not in label for label in labels), labels
    assert any(label.endswith("30% of area median income") for label in labels), labels
    assert housing.locator("text", has_text="Homes per household").count() == 1
    # 2020 has no one-year survey data: the canvas asks for a break there.
    assert json.loads(housing.get_attribute("data-gaps") or "[]") == [2020]
    # Six lines, each with its own dash pattern and colour.
    dashes = housing.evaluate(
        """c => [...c.querySelectorAll('g.role-legend-symbol path')]
             .map(p => (p.getAttribute('stroke') || '') + '|' +
                       (p.getAttribute('stroke-dasharray') || 'solid'))"""
    )
    assert len(set(dashes)) == 6, dashes
    page.locator("#m-housing_affordability figure.upward-chart").first.screenshot(
        path=str(DOCS / f"profile-chart-housing-{width}.png")
    )

    homeless = drawn(page, "student_homelessness")
    assert homeless.locator("text", has_text="New source").count() == 1
    note = page.locator("#m-student_homelessness .upward-chart__note").first
    expect(note).to_contain_text("Comparability, 2019")
    page.locator("#m-student_homelessness figure.upward-chart").first.screenshot(
        path=str(DOCS / f"profile-chart-homelessness-{width}.png")
    )
    poverty = drawn(page, "poverty_exposure")
    expect(page.locator("#m-poverty_exposure .upward-chart__note").first).to_contain_text(
        "2020 Census boundaries"
    )
    assert poverty.locator("text", has_text="New tract boundaries").count() == 1
    no_overflow(page, width)
    assert_accessible(page, f"profile with charts at {width}px")


@pytest.mark.parametrize("width", WIDTHS)
def test_group_and_peer_axes_fit_the_data(
    site: str, page: Page, width: int, assert_accessible: Callable[..., None]
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/county/27123/")
    article = page.locator("#m-employment_ratio")
    group = article.locator(".upward-tabpanel:not([hidden]) .upward-chart__canvas")
    group.scroll_into_view_if_needed()
    expect(group.locator("svg.marks")).to_be_visible(timeout=CHART_TIMEOUT)
    low, high = json.loads(group.get_attribute("data-domain") or "[]")
    assert low > 0.5 and high <= 1, (low, high)  # shares near 85%: not squeezed from 0
    expect(article.locator(".upward-tabpanel:not([hidden]) .upward-chart__note")).to_contain_text(
        "not at zero"
    )
    article.locator(".upward-tabpanel:not([hidden]) figure").screenshot(
        path=str(DOCS / f"profile-chart-groups-{width}.png")
    )

    page.goto(site + "/county/27123/compare/")
    canvas = page.locator(".upward-chart__canvas").first
    canvas.scroll_into_view_if_needed()
    expect(canvas.locator("svg.marks")).to_be_visible(timeout=CHART_TIMEOUT)
    title = json.loads(canvas.get_attribute("data-axis-title") or "[]")
    assert title and title != ["Value"]
    low, high = json.loads(canvas.get_attribute("data-domain") or "[]")
    assert low < high
    no_overflow(page, width)
    assert_accessible(page, f"compare with charts at {width}px")
