"""Beside the numbers and the Summary of Findings in a real browser: the predictor view,
then the summary drafted, edited, saved, its PDF link answering, shared, and the public
page read without JavaScript. axe-core clean and no sideways scrolling at 1280 and 375 px."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
WIDTHS = (1280, 375)
PREDICTOR = "opportunities_for_income"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


@pytest.fixture
def coalition(site: str) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from upward.web.knowledge.codebook import builtin_code
    from upward.web.knowledge.models import Excerpt, Note
    from upward.web.workspace.models import CoalitionStructure, Membership, Workspace

    user = get_user_model().objects.create_user("erin", "erin@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123", "2758000"]
    )
    Membership.objects.create(workspace=workspace, user=user, role="editor")
    CoalitionStructure.objects.create(workspace=workspace)
    note = Note.objects.create(workspace=workspace, title="Listening session", text="Wages lag.")
    excerpt = Excerpt.objects.create(
        workspace=workspace, note=note, start=0, end=10, text="Wages lag.", is_quote=True
    )
    excerpt.codes.add(builtin_code(workspace, "predictor", PREDICTOR))
    return {"workspace": workspace}


def test_predictor_view_and_summary(
    page: Page,
    browser: Browser,
    site: str,
    coalition: dict[str, Any],
    both_widths: Callable[..., None],
    screenshot: Callable[[Page, str], list[Path]],
) -> None:
    page.goto(f"{site}/accounts/login/?next=/w/ramsey/predictors/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Beside the numbers", level=1)).to_be_visible()
    both_widths(page, "predictors")
    page.get_by_role("link", name="Opportunities for income").click()
    expect(page.get_by_role("heading", name="Opportunities for income", level=1)).to_be_visible()
    expect(page.get_by_text("95% CI").first).to_be_visible()
    expect(page.get_by_role("heading", name="What people said")).to_be_visible()
    both_widths(page, "predictor")
    screenshot(page, "knowledge-predictor")

    page.goto(f"{site}/w/ramsey/summary/")
    both_widths(page, "summary-empty")
    page.get_by_role("link", name="Choose priorities and draft the summary").click()
    page.select_option("#id_priority_1", PREDICTOR)
    page.get_by_role("button", name="Draft empty sections").click()
    section = page.locator(f"#id_section_{PREDICTOR}")
    expect(section).to_have_value(re.compile("What people told us"))
    both_widths(page, "summary-edit")
    section.fill("Wages lag behind rents.\n\nWorkers asked for training close to home.")
    page.fill("#id_introduction", "The Ramsey coalition listened to 120 residents.")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_text("Saved version 1 of the summary.")).to_be_visible()
    expect(page.get_by_text("Workers asked for training close to home.")).to_be_visible()
    pdf = page.get_by_role("link", name="Download PDF").get_attribute("href")
    answer = page.request.get(site + pdf)
    assert answer.status == 200 and answer.body().startswith(b"%PDF")
    page.get_by_role("button", name="Turn the link on").click()
    both_widths(page, "summary")
    screenshot(page, "knowledge-summary")
    shared = page.locator("a[href*='/p/findings/']").first.get_attribute("href")
    assert shared

    public = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    try:
        reader = public.new_page()
        reader.goto(shared + "?lang=es")
        expect(reader.get_by_text("Workers asked for training close to home.")).to_be_visible()
        expect(reader.locator("html")).to_have_attribute("lang", "es")
        scroll = reader.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 375
    finally:
        public.close()
    page.goto(shared)
    both_widths(page, "summary-public")
