"""Log an engagement with participants' counts in a real browser and see who took part set
beside who lives here, with a group flagged and a partner suggested; axe-core checks each
engagement page at 1280 and 375 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from upward.web.workspace.models import CoalitionStructure, Membership, Stakeholder, Workspace

from .conftest import DESKTOP_VIEWPORT, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def both_widths(page: Page, assert_accessible: Callable[..., None], name: str) -> None:
    assert_accessible(page, context=f"{name}-1280")
    page.set_viewport_size(PHONE)
    assert_accessible(page, context=f"{name}-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
    page.set_viewport_size(DESKTOP_VIEWPORT)


def tick(page: Page, selector: str) -> None:
    box = page.locator(selector)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def test_log_an_engagement_and_see_who_took_part(
    site: str, page: Page, assert_accessible: Callable[..., None]
) -> None:
    user = get_user_model().objects.create_user("amina", password=PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    Stakeholder.objects.create(
        workspace=workspace,
        name="Black Community Network",
        sector="nonprofit",
        communities=["black_nonhispanic"],
    )
    page.goto(site + "/accounts/login/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(site + "/w/ramsey/engagements/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement log")
    both_widths(page, assert_accessible, "engagement-list-empty")
    page.get_by_role("link", name="Log an engagement").click()
    both_widths(page, assert_accessible, "engagement-form")
    page.fill("#id_title", "Frogtown listening session")
    page.select_option("#id_kind", "listening_session")
    page.fill("#id_date", "2025-03-04")
    tick(page, "#id_languages_0")
    page.fill("#id_other_languages", "Karen")
    page.fill("#id_participants", "40")
    tick(page, "input[name=level][value=involve]")
    for group, count in (
        ("black_nonhispanic", 0),
        ("hispanic", 2),
        ("white_nonhispanic", 34),
        ("other", 2),
        ("not_reported", 2),
    ):
        page.fill(f"#id_demo_race__{group}", str(count))
    page.fill("#id_demo_age__25_44", "50")  # more than the participants: refused
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("add up to 50, more than the 40 participants").first).to_be_visible()
    both_widths(page, assert_accessible, "engagement-form-errors")
    page.fill("#id_demo_age__25_44", "20")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Frogtown listening session")
    table = page.locator(".upward-representation-table")
    black = table.locator("tr", has_text="Black, non-Hispanic")
    expect(black).to_contain_text("Fewer than the residents' share")
    expect(black).to_contain_text("95% CI 0.0% to 9.2%")
    expect(page.get_by_text("without a confidence interval")).to_be_visible()
    expect(page.get_by_role("link", name="Black Community Network")).to_be_visible()
    both_widths(page, assert_accessible, "engagement-detail")

    page.get_by_role("link", name="Who took part").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who took part, beside who lives here"
    )
    both_widths(page, assert_accessible, "engagement-representation")
    page.get_by_role("link", name="Summary").click()
    expect(page.get_by_role("rowheader", name="Mar 2025")).to_be_visible()
    both_widths(page, assert_accessible, "engagement-summary")
