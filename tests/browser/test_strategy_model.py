"""The logic model in a real browser: build a priority's model (a strategy from the
library, an outcome typed by its condition, links with their rationale), see a backward
link refused with both elements named, read the consistency checks, comment, approve,
change an element and see "changed since approval". axe-core checks every page at 1280
and 375 px, with no sideways scrolling; screenshots go to docs/screenshots/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from upward.web.strategy.models import Priority, Strategy
from upward.web.workspace.models import CoalitionStructure, Membership, Stakeholder, Workspace

from .conftest import DESKTOP_VIEWPORT, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
PHONE = {"width": 375, "height": 800}
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def both_widths(
    page: Page, assert_accessible: Callable[..., None], name: str, shot: str = ""
) -> None:
    for viewport in (DESKTOP_VIEWPORT, PHONE):
        page.set_viewport_size(viewport)
        width = viewport["width"]
        assert_accessible(page, context=f"{name} at {width} px")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} scrolls sideways at {width} px ({scroll})"
        if shot:
            DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS_SHOTS / f"strategy-model-{shot}-{width}.png"),
                            full_page=True)  # fmt: skip
    page.set_viewport_size(DESKTOP_VIEWPORT)


def saved(page: Page, words: str) -> None:
    expect(page.locator(".usa-alert--success").first).to_contain_text(words)


def test_build_check_approve_and_change_a_model(
    site: str, page: Page, assert_accessible: Callable[..., None]
) -> None:
    user = get_user_model().objects.create_user("amina", password=PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    lead = Stakeholder.objects.create(workspace=workspace, name="Ramsey Workforce Board",
                                      sector="workforce")  # fmt: skip
    Strategy.objects.create(workspace=workspace, name="Sector partnerships",
                            evidence_level="strong", lead=lead)  # fmt: skip
    Strategy.objects.create(workspace=workspace, name="Paid internships for youth",
                            evidence_level="emerging")  # fmt: skip
    priority = Priority.objects.create(
        workspace=workspace, geoid="27123", predictor="employment_opportunities",
        metric="employment_ratio", variable="share_employed", title="Employment, Ramsey County",
        rank=1,
    )  # fmt: skip
    page.goto(site + "/accounts/login/?next=/w/ramsey/plan/model/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logic model")

    page.get_by_role("link", name="Employment, Ramsey County").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Employment, Ramsey County")
    both_widths(page, assert_accessible, "empty model")

    # a strategy from the library, an input, an outcome (first refused without a condition)
    page.get_by_role("link", name="Add to strategies").click()
    page.select_option("#id_strategy", label="Sector partnerships")
    page.get_by_role("button", name="Save").click()
    saved(page, "Added Sector partnerships")
    page.get_by_role("link", name="Add to strategies").click()
    page.select_option("#id_strategy", label="Paid internships for youth")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add to inputs and resources").click()
    page.fill("#id_title", "Employer staff time")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add to short-term outcomes").click()
    page.fill("#id_title", "Employers hire from the neighborhood")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-error-message").first).to_contain_text(
        "“Employers hire from the neighborhood” is an outcome: choose the condition"
    )
    both_widths(page, assert_accessible, "element form with an error", "element-form")
    page.select_option("#id_condition", label="Practices")
    page.get_by_role("button", name="Save").click()
    saved(page, "Employers hire from the neighborhood")

    # a backward link is refused, naming both; then the right links
    page.get_by_role("link", name="Add a link").first.click()
    page.select_option(
        "#id_source", label="Employers hire from the neighborhood (Short-term outcomes)"
    )
    page.select_option("#id_target", label="Sector partnerships (Strategies)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert--error, .usa-error-message").first).to_contain_text(
        "“Employers hire from the neighborhood” (Short-term outcomes) cannot lead back to "
        "“Sector partnerships” (Strategies)"
    )
    both_widths(page, assert_accessible, "link refused")
    page.select_option("#id_source", label="Sector partnerships (Strategies)")
    page.select_option(
        "#id_target", label="Employers hire from the neighborhood (Short-term outcomes)"
    )
    page.fill("#id_rationale", "Employers who shape the training hire its graduates.")
    page.fill("#id_assumption", "Employers have openings this year.")
    page.get_by_role("button", name="Save").click()
    saved(page, "Added Sector partnerships →")
    page.get_by_role("link", name="Add a link").first.click()
    page.select_option(
        "#id_source", label="Employers hire from the neighborhood (Short-term outcomes)"
    )
    page.select_option("#id_target", index=len(page.locator("#id_target option").all()) - 1)
    page.get_by_role("button", name="Save").click()
    main = page.locator("main")
    expect(main).to_contain_text("Assumes: Employers have openings this year.")
    expect(main).to_contain_text("Lead: Ramsey Workforce Board. Evidence: strong.")
    both_widths(page, assert_accessible, "model", "priority")

    # the checks: the internship strategy leads nowhere and has no lead
    page.goto(site + "/w/ramsey/plan/model/checks/")
    expect(main).to_contain_text("The strategy “Paid internships for youth” leads to no outcome.")
    expect(main).to_contain_text("The strategy “Paid internships for youth” names no lead")
    expect(main).to_contain_text("No outcome addresses power dynamics.")
    both_widths(page, assert_accessible, "checks", "checks")

    # comment on an element, send out for review, approve
    page.get_by_role("link", name="Open “Paid internships for youth”").first.click()
    page.fill("#id_text", "Who would lead this? Ask the school district.")
    page.get_by_role("button", name="Add comment").click()
    saved(page, "Comment added")
    both_widths(page, assert_accessible, "element", "element")
    page.goto(site + "/w/ramsey/plan/model/")
    page.get_by_role("button", name="Send out for review").click()
    saved(page, "out for review")
    page.get_by_role("button", name="Approve the model as it is now").click()
    saved(page, "Approved the logic model")
    expect(main).to_contain_text("Approved by amina")

    # change one element: every page marks it
    page.goto(site + f"/w/ramsey/plan/priorities/{priority.pk}/model/")
    page.get_by_role("link", name="Employer staff time", exact=True).click()
    page.fill("#id_title", "Employer and trainer staff time")
    page.get_by_role("button", name="Save").click()
    expect(main).to_contain_text("Changed since approval.")
    expect(
        page.locator(".upward-model__card", has_text="Employer and trainer staff time")
    ).to_contain_text("changed since approval")
    page.goto(site + "/w/ramsey/plan/model/")
    expect(main).to_contain_text("Employer and trainer staff time: changed")
    both_widths(page, assert_accessible, "overview", "overview")
    link = page.goto(site + f"/w/ramsey/plan/priorities/{priority.pk}/model/")
    assert link is not None and link.ok
    page.get_by_role("link", name="This link from “Sector partnerships”").first.click()
    both_widths(page, assert_accessible, "link")
