"""The draft Mobility Action Plan in a real browser: a member opens it from the
measurement overview, reads the preview (the indicator's chart with its alt text and
data table, the target inside the noise flagged), sees the plain-language warning with
where it occurs and what to write instead, switches to the general edition, and finds the
downloads. axe-core checks it at 1280 and 375 px, with no sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from upward.web.measurement.models import Baseline, Measure, Target
from upward.web.strategy.models import Strategy

from .test_measurement_measures import (  # noqa: F401
    DOCS,
    PASSWORD,
    pytestmark,
    ramsey_result,
    site,
)


def test_the_draft_plan_its_warnings_editions_and_downloads(
    site: str,  # noqa: F811
    page: Page,
    both_widths: Callable[..., None],
) -> None:
    result = ramsey_result("viewer")
    workspace = result.workspace
    measure = Measure.objects.create(
        workspace=workspace, element=result, kind="population", title="Income of the 20th",
        geoid="27123", variable="pctl_income_20", data_source="Urban Institute",
    )  # fmt: skip
    Baseline.objects.create(
        workspace=workspace, measure=measure, geoid="27123", variable="pctl_income_20",
        year=2023, value=27250.5, lb=25500, ub=29000, quality="Strong",
        text="$27,250 in 2023", release="2025.01",
    )  # fmt: skip
    Target.objects.create(
        workspace=workspace, measure=measure, method="value", parameters={"value": 28000},
        value=28000, mdc=2474.87, inside_noise=True, words="A target of $28,000.",
    )  # fmt: skip
    Strategy.objects.create(
        workspace=workspace, name="Career pathways", evidence_level="moderate",
        description="Paid training for at-risk youth.",
    )  # fmt: skip
    page.goto(site + "/accounts/login/?next=/w/ramsey/measure/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="The Mobility Action Plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mobility Action Plan (draft)")
    main = page.locator("main")
    expect(main).to_contain_text("Preview: Technical edition")
    expect(main).to_contain_text("Target inside the noise.")
    expect(main).to_contain_text("95% CI $25,500")
    chart = page.get_by_role("img", name="Income of the 20th: baseline $27,250 in 2023")
    expect(chart).to_be_visible()
    numbers = page.locator("table", has_text="its indicators, the numbers of their charts")
    expect(numbers).to_contain_text("Income of the 20th")
    expect(numbers.get_by_role("img", name="Income of the 20th: baseline")).to_be_visible()
    flags = page.locator(".upward-map-flags")
    expect(flags).to_contain_text("Strategy “Career pathways”: description: “at-risk”")
    expect(flags).to_contain_text("In context: Paid training for at-risk youth.")
    expect(flags).to_contain_text("name the condition")
    both_widths(page, "plan draft", shots=DOCS / "measurement-map")

    page.get_by_role("link", name="Edition for a general audience", exact=True).click()
    expect(main).to_contain_text("Preview: Edition for a general audience")
    expect(main).to_contain_text("It starts at $27,250 in 2023 (95% CI")
    expect(main).to_contain_text("This target is inside the noise")
    both_widths(page, "plan draft, general edition")
    for name in ("Technical edition, PDF", "Edition for a general audience, Word"):
        expect(page.get_by_role("link", name=name)).to_have_attribute("download", "")
    with page.expect_download() as got:
        page.get_by_role("link", name="Edition for a general audience, PDF").click()
    assert got.value.suggested_filename == "mobility-action-plan-ramsey-general.pdf"
