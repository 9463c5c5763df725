"""Publishing the plan and its public progress page in a real browser: the owner sees the
open problems, is refused until each is confirmed, publishes version 1, reads the versions
list (checksum, release, the widget's snippet), then anyone reads the public page in
English and Spanish and the embeddable widget, without an account. axe-core checks every
page at 1280 and 375 px, with no sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from upward.web.measurement.models import Action, Baseline, Measure, PlanVersion, Target
from upward.web.strategy.models import Strategy
from upward.web.workspace.models import Stakeholder

from .test_measurement_measures import PASSWORD, pytestmark, ramsey_result, site  # noqa: F401

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def make_plan() -> None:
    """Ramsey's plan: an indicator pinned in 2023 with a target inside the noise, one not
    pinned, a strategy with an action led by a partner organization."""
    result = ramsey_result("owner")
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
        for title in ("Income at the 20th percentile", "Income (not pinned)")
    )
    Baseline.objects.create(
        workspace=workspace, measure=pinned, geoid="27123", variable="pctl_income_20",
        year=2023, value=27250.5, lb=25500, ub=29000, quality="Strong",
        text="$27,251 in 2023 (95% CI $25,500–$29,000; Strong)", release="fixture",
    )  # fmt: skip
    Target.objects.create(
        workspace=workspace, measure=pinned, method="value", parameters={"value": 28000},
        value=28000, mdc=2474.87, inside_noise=True, words="A target of $28,000.",
    )  # fmt: skip
    strategy = Strategy.objects.create(
        workspace=workspace, name="Sector partnerships", evidence_level="strong"
    )
    partner = Stakeholder.objects.create(
        workspace=workspace, name="East Side Workforce Center", sector="workforce",
        relationship="engaged",
    )  # fmt: skip
    Action.objects.create(
        workspace=workspace, strategy=strategy, title="Convene employers",
        owner_stakeholder=partner, status="in_progress", percent=40,
    )  # fmt: skip


def test_publish_the_plan_and_read_its_public_page(
    site: str,  # noqa: F811
    page: Page,
    both_widths: Callable[..., None],
) -> None:
    make_plan()
    page.goto(site + "/accounts/login/?next=/w/ramsey/measure/publish/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the Mobility Action Plan")
    problems = page.locator("#problems input[type=checkbox]")
    labels = page.locator("#problems label")
    expect(page.locator("#problems")).to_contain_text("the target lies inside the noise")
    expect(page.locator("#problems")).to_contain_text("has no baseline")
    both_widths(page, "publish page", shots=DOCS / "measurement-publish-problems")

    labels.first.click()  # one confirmed, the others not: refused, nothing saved
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator("#publish-errors")).to_contain_text("Nothing was published")
    expect(page.locator(".usa-error-message").first).to_be_visible()
    assert not PlanVersion.objects.exists()
    both_widths(page, "publish refused", shots=DOCS / "measurement-publish-refused")

    for i in range(1, problems.count()):
        labels.nth(i).click()
    expect(problems.last).to_be_checked()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1 of the plan")
    version = PlanVersion.objects.get()
    expect(page.locator("#version-facts")).to_contain_text(version.checksum)
    both_widths(page, "version page", shots=DOCS / "measurement-publish-version")

    page.get_by_role("link", name="Published versions").click()
    expect(page.locator("#versions")).to_contain_text("Version 1")
    expect(page.get_by_label("HTML to copy")).to_have_value(
        f'<iframe src="{site}/p/ramsey/embed/" title="Progress of Ramsey Mobility Coalition" '
        'width="100%" height="360" loading="lazy"></iframe>'
    )
    both_widths(page, "versions page", shots=DOCS / "measurement-publish-versions")

    anonymous = page.context.browser.new_page()  # type: ignore[union-attr]
    try:
        anonymous.goto(site + "/p/ramsey/")
        expect(anonymous.get_by_role("heading", level=1)).to_have_text("Our progress")
        card = anonymous.locator(".upward-indicator").first
        expect(card).to_contain_text("Not yet comparable")
        expect(card).to_contain_text("$25,500 – $29,000")
        expect(card.get_by_role("img")).to_have_accessible_name(
            "Income at the 20th percentile: baseline, latest value and target"
        )
        expect(anonymous.locator("main")).to_contain_text("East Side Workforce Center")
        both_widths(anonymous, "public page", shots=DOCS / "public-progress-en", height=1400)
        anonymous.get_by_role("link", name="Read the published plan").click()
        expect(anonymous.locator(".upward-plan-body")).to_contain_text("Sector partnerships")
        both_widths(anonymous, "published plan", shots=DOCS / "public-progress-plan", height=1400)
        anonymous.get_by_role("link", name="Our progress").click()
        anonymous.get_by_role("link", name="Español").click()
        expect(anonymous.get_by_role("heading", level=1)).to_have_text("Nuestros avances")
        expect(anonymous.locator(".upward-indicator").first).to_contain_text("Aún no comparable")
        both_widths(anonymous, "public page in Spanish", shots=DOCS / "public-progress-es",
                    height=1400)  # fmt: skip
        anonymous.goto(site + "/p/ramsey/embed/")
        expect(anonymous.get_by_role("heading", level=1)).to_contain_text("Progress of")
        both_widths(anonymous, "embed", shots=DOCS / "public-progress-embed", height=400)
    finally:
        anonymous.close()
