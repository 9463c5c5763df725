"""The strategy libraries in a real browser: browse the shared library by pillar and
evidence, adopt a strategy with its evidence, choose its lead partner and workgroup, and
add a strategy of the coalition's own with emerging evidence. axe-core checks each page
at 1280 and 375 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from upward.web.workspace.models import (
    CoalitionStructure,
    Membership,
    Stakeholder,
    Workgroup,
    Workspace,
)

from .conftest import screenshot, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def test_adopt_and_add_strategies(site: str, page: Page, both_widths: Callable[..., None]) -> None:
    from upward.web.strategy.library import sync_starter_library

    sync_starter_library()  # a transactional test's database is flushed, starters too
    user = get_user_model().objects.create_user("maria", "maria@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    schools = Stakeholder.objects.create(
        workspace=workspace, name="Saint Paul Public Schools", sector="early_k12"
    )
    Workgroup.objects.create(workspace=workspace, name="Early learning", lead=schools)

    page.goto(site + "/accounts/login/?next=/w/ramsey/plan/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategy")
    both_widths(page, "strategy overview", height=800)

    page.get_by_role("link", name="Strategies", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategies")
    page.get_by_role("link", name="Browse the shared library").click()
    page.wait_for_url("**/library/**", timeout=30_000)  # a slow first render on a busy machine
    expect(page.get_by_role("heading", level=2, name="High-Quality Education")).to_be_visible()
    both_widths(page, "shared library", height=800)
    screenshot(page, "strategy-library")

    page.select_option("#id_pillar", "education")
    page.select_option("#id_evidence", "strong")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", level=2)).to_have_count(1)
    card = page.locator(".usa-card", has_text="High-dosage tutoring")
    expect(card).to_contain_text("Nickow")
    card.get_by_role("button", name="Adopt").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Adopted")
    page.select_option("#id_lead", label="Saint Paul Public Schools")
    page.select_option("#id_workgroup", label="Early learning")
    both_widths(page, "strategy edit", height=800)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#strategies")).to_contain_text("Saint Paul Public Schools")

    page.get_by_role("link", name="Add a strategy").click()
    page.fill("#id_name", "Family child care network")
    page.select_option("#id_evidence_level", "emerging")
    page.fill("#id_sources_text", "Local provider survey (2025)\nBad | not-a-web-address")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-error-message")).to_contain_text("Line 2")
    both_widths(page, "strategy form with an error", height=800)
    page.fill("#id_sources_text", "Local provider survey (2025)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert--info")).to_contain_text("1 strategy rests on emerging")
    row = page.locator("#strategies li.upward-record", has_text="Family child care network")
    expect(row).to_contain_text("Needs an evaluation measure")
    expect(row).to_contain_text("No lead partner yet")
    both_widths(page, "strategies list", height=800)
    screenshot(page, "strategy-strategies")
