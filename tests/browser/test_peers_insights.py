"""Issue 4's acceptance in a real browser, on the full data: open a profile, see its peers
and why, remove one, add one from the suggestions, see the comparison change, export the
Data Review Guide as PDF (naming the place and holding its insights), with axe-core
finding no WCAG 2.1 AA violation on the peers, compare, insights and review-guide pages.
Screenshots at 1280 and 375 px."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

pytestmark = pytest.mark.full

CHART_TIMEOUT = 30_000
PLACE = "Ramsey County, MN"
REMOVED = "Tulsa County, OK"
ADDED = "Hennepin County, MN"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def peer_names(page: Page) -> list[str]:
    return [squash(t) for t in page.locator(".upward-peer-table tbody th").all_inner_texts()]


def income_block(page: Page) -> tuple[str, list[str]]:
    """The peer median of median household income, and the peers in its table."""
    block = page.locator("#v-pctl_income_50")
    median = squash(block.locator("tr[data-scope=peers] td").first.inner_text())
    names = [squash(t) for t in block.locator("table[id$='-data'] tbody th").all_text_contents()]
    return median, names


def render_visible_charts(page: Page, count: int = 3) -> None:
    page.wait_for_function("() => typeof window.upwardRenderCharts === 'function'")
    page.evaluate("window.upwardRenderCharts()")
    page.wait_for_function(
        f"() => document.querySelectorAll('.upward-chart__canvas svg.marks').length >= {count}",
        timeout=CHART_TIMEOUT,
    )


def test_peers_compare_and_review_guide(
    site: str,
    page: Page,
    assert_accessible: Callable[..., None],
    screenshot: Callable[[Page, str], list[Path]],
) -> None:
    # The profile links to its peers.
    page.goto(site + "/county/27123/")
    expect(page.get_by_role("heading", level=1)).to_have_text(PLACE)
    page.get_by_role("link", name="Peers and why").click()
    page.wait_for_url("**/county/27123/peers/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Peers: {PLACE}")
    found = peer_names(page)
    assert len(found) == 5 and REMOVED in found and ADDED not in found
    why = page.locator(".upward-why-table")
    expect(why.get_by_role("columnheader", name=PLACE)).to_be_visible()
    expect(
        why.get_by_role("rowheader", name=re.compile("Household income, median"))
    ).to_be_visible()
    assert_accessible(page, "peers page")
    screenshot(page, "peers")

    # The comparison with the peers as found.
    page.get_by_role("link", name="Compare with these peers").click()
    page.wait_for_url("**/county/27123/compare/?set=*")
    before_median, before_names = income_block(page)
    assert REMOVED in before_names

    # Remove one peer, add another from the suggestions.
    page.go_back()
    page.get_by_role("button", name=f"Remove {REMOVED}").click()
    page.wait_for_url("**/peers/?set=*")
    assert REMOVED not in peer_names(page) and len(peer_names(page)) == 4
    box = page.get_by_role("combobox", name="County name or FIPS code")
    box.fill("Hennepin")
    option = page.get_by_role("option", name=re.compile(ADDED))
    expect(option).to_be_visible()
    option.click()
    expect(box).to_have_value(ADDED)
    page.get_by_role("button", name="Add peer").click()
    page.wait_for_url("**/peers/?set=*")
    assert peer_names(page)[-1] == ADDED
    expect(page.locator(".upward-peer-table tbody tr").last).to_contain_text("Added by hand")

    # Name the set; the name is shown wherever it is used.
    page.get_by_label("Name of the peer set").fill("Ramsey and friends")
    page.get_by_role("button", name="Save name").click()
    page.wait_for_url("**/peers/?set=*")
    expect(page.locator(".upward-peer-set__title")).to_have_text("Ramsey and friends")
    share = page.get_by_label("Shareable link to this set").input_value()
    assert "/county/27123/peers/?set=" in share

    # The comparison changed.
    page.get_by_role("link", name="Compare with these peers").click()
    page.wait_for_url("**/county/27123/compare/?set=*")
    expect(page.locator(".upward-peer-set__title")).to_have_text("Ramsey and friends")
    after_median, after_names = income_block(page)
    assert ADDED in after_names and REMOVED not in after_names
    assert after_median != before_median
    render_visible_charts(page)
    chart = page.locator("#v-pctl_income_50 .upward-chart__canvas svg.marks")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible(timeout=CHART_TIMEOUT)
    chart.locator("xpath=ancestor::div[@id='v-pctl_income_50']").screenshot(
        path=str(SCREENSHOTS / "compare-income-block.png")
    )
    assert_accessible(page, "compare page")
    screenshot(page, "compare")

    # Insights, each linked to its numbers.
    page.locator(".upward-analysis-nav").get_by_role("link", name="Insights").click()
    page.wait_for_url("**/insights/?set=*")
    expect(page.locator(".upward-peer-set__title")).to_have_text("Ramsey and friends")
    assert page.locator(".upward-insight__link").count() > 3
    assert_accessible(page, "insights page")
    screenshot(page, "insights")

    # The Data Review Guide, with a note, as PDF.
    page.locator(".upward-analysis-nav").get_by_role("link", name="Data Review Guide").click()
    page.wait_for_url("**/review-guide/?set=*")
    insight = squash(page.locator(".upward-insights li").first.inner_text())
    page.get_by_label("Your notes: how the place compares with its peers").fill(
        "Hennepin is our neighbor; we added it on purpose."
    )
    page.get_by_label("PDF").check()
    assert_accessible(page, "review guide page")
    screenshot(page, "review-guide")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the guide").click()
    download = download_info.value
    assert download.suggested_filename == "upward-review-guide-27123.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = squash(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))
    assert PLACE in text
    assert "Ramsey and friends" in text
    assert insight[:60] in text, insight
    assert "Hennepin is our neighbor" in text
