"""Progress on a release in a real browser: from the measurement plan, a member opens the
progress page and reads each indicator's baseline, latest value, change and status in
words (a 2014 baseline tested in real terms; an indicator without a baseline). axe-core
checks it at 1280 and 375 px, with no sideways scrolling."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from upward.web.measurement import refresh_store
from upward.web.measurement.models import Baseline, Measure, ProgressRefresh

from .test_measurement_measures import PASSWORD, pytestmark, ramsey_result, site  # noqa: F401
from .test_overflow import assert_cued

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_progress_on_the_loaded_release(
    site: str,  # noqa: F811
    page: Page,
    both_widths: Callable[..., None],
) -> None:
    result = ramsey_result("viewer")
    workspace = result.workspace
    pinned, _unpinned = (
        Measure.objects.create(
            workspace=workspace,
            element=result,
            kind="population",
            title=title,
            geoid="27123",
            variable="pctl_income_20",
        )
        for title in ("Income since 2014", "Income (not pinned)")
    )
    Baseline.objects.create(
        workspace=workspace, measure=pinned, geoid="27123", variable="pctl_income_20",
        year=2014, value=21000, lb=19500, ub=22500, quality="Strong",
        text="$21,000 in 2014 (95% CI $19,500–$22,500; Strong)", release="2014 pin",
    )  # fmt: skip
    # an earlier refresh found the indicator not yet comparable; the refresh on the release
    # loaded now finds it with little or no detectable change
    ProgressRefresh.objects.create(
        workspace=workspace, release="2014 pin", counts={"not_comparable": 1},
        rows=[{"measure": pinned.pk, "status": "not_comparable",
               "status_words": "Not yet comparable"}],
    )  # fmt: skip
    (done,) = refresh_store.refresh_all(workspaces=[workspace]).workspaces
    assert done.outcome == "refreshed" and done.changed == 1
    page.goto(site + "/accounts/login/?next=/w/ramsey/measure/plan/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Progress on a release").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress on a release")
    row = page.locator(f"#progress-{pinned.pk}")
    expect(row).to_contain_text("Little or no detectable change")
    expect(row).to_contain_text("2023 dollars")
    expect(row).to_contain_text("95% CI")
    expect(page.locator("main")).to_contain_text("No baseline pinned")
    last = page.get_by_role("region", name="Last refresh")
    expect(last).to_contain_text("Progress last refreshed for release")
    expect(last).to_contain_text("1 changed status since the refresh on release 2014 pin")
    expect(last).to_contain_text("Income since 2014: Not yet comparable → Little or no")
    # one card per indicator: its head once, its numbers in a compact table
    title = row.get_by_role("heading", level=2, name="Income since 2014")
    expect(title).to_be_visible()
    expect(row.locator(".upward-progress-card__where")).to_have_text(
        re.compile(r"^.+ › .+\s*Household income at the 20th percentile · everyone · Ramsey")
    )
    numbers = row.locator(".upward-progress-numbers")
    expect(numbers.locator("tbody th")).to_have_text(["Baseline", "Latest", "Target", "Change"])
    expect(numbers).to_contain_text("$21,000 in 2014 (95% CI $19,500–$22,500; Strong)")
    expect(numbers).to_contain_text("release 2014 pin")
    expect(numbers.locator("tbody tr").nth(3)).to_contain_text("95% CI")
    expect(numbers.locator("tbody tr").nth(3)).to_contain_text("2014 to 2023")
    # the change beside the peers', the state's and the nation's: a row each, with its test
    beside = row.locator(".upward-beside-table")
    expect(row.get_by_role("heading", level=3)).to_have_text(
        "Change beside peers, state and nation"
    )
    expect(beside.locator("tbody tr")).to_have_count(3)
    expect(beside.locator("tbody th").nth(0)).to_contain_text("peer")
    expect(beside.locator("tbody th").nth(1)).to_contain_text("Minnesota counties")
    expect(beside.locator("tbody th").nth(2)).to_contain_text("U.S. counties")
    expect(beside).to_contain_text("not distinguishable from theirs (95% test")
    expect(beside).not_to_contain_text("a median of places, treated as fixed")  # said once
    expect(row).to_contain_text("a median of places, treated as fixed (no sampling error)")
    # nothing is coloured good or bad: one neutral tag per card
    expect(row.locator(".usa-tag")).to_have_count(1)
    expect(row.locator(".usa-tag")).to_have_class(re.compile(r"upward-tag--unanswered"))
    # at 1280 px each table fits its card: no sideways scrolling, no cue
    for table in (numbers, beside):
        assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 2600, f"the progress page is {height} px tall at 1280 px"
    both_widths(page, "progress page")
    page.set_viewport_size({"width": 375, "height": 900})
    # at 375 px the numbers fit; the comparison table scrolls in its cued region
    assert numbers.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1")
    assert_cued(page, f"#progress-{pinned.pk} .upward-beside-table >> xpath=..")
    page.wait_for_timeout(400)  # the keyboard's smooth scroll has ended: back to the start
    page.locator(f"#progress-{pinned.pk} .upward-beside-table >> xpath=..").evaluate(
        "r => { r.scrollLeft = 0; r.blur(); }"
    )
    page.screenshot(path=str(SHOTS / "measurement-progress-375.png"), full_page=True)
    row.screenshot(path=str(SHOTS / "measurement-progress-card-375.png"))
    last.screenshot(path=str(SHOTS / "measurement-progress-refresh-375.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / "measurement-progress-1280.png"), full_page=True)
