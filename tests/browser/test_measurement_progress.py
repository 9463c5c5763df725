"""Progress on a release in a real browser: from the measurement plan, a member opens the
progress page and reads each indicator's baseline, latest value, change and status in
words (a 2014 baseline tested in real terms; an indicator without a baseline). axe-core
checks it at 1280 and 375 px, with no sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from upward.web.measurement import refresh_store
from upward.web.measurement.models import Baseline, Measure, ProgressRefresh

from .test_measurement_measures import PASSWORD, pytestmark, ramsey_result, site  # noqa: F401


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
    # the change beside the peers', the state's and the nation's, each with its test
    beside = row.locator('td[data-label="Beside peers, state and nation"]')
    expect(beside).to_contain_text("U.S. counties")
    expect(beside).to_contain_text("not distinguishable from theirs (95% test")
    expect(beside).to_contain_text("Minnesota counties")
    both_widths(page, "progress page")
    page.set_viewport_size({"width": 375, "height": 900})
    row.screenshot(path="docs/screenshots/measure-progress-beside-375.png")
    last.screenshot(path="docs/screenshots/measure-progress-refresh-375.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path="docs/screenshots/measure-progress-1280.png", full_page=True)
