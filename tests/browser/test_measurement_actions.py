"""Actions in a real browser, as a coalition member would: add an action with an owner to
a strategy, see it flagged overdue in the list across strategies, mark it done and see
the flag go; and write the continuous-learning plan. axe-core checks each page at 1280
and 375 px, with no sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from upward.web.measurement.models import Action
from upward.web.strategy.models import Strategy
from upward.web.workspace.models import CoalitionStructure, Membership, Stakeholder, Workspace

from .conftest import serve_warehouse

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def test_add_an_action_see_it_overdue_and_mark_it_done(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    user = get_user_model().objects.create_user("amina", "amina@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    Stakeholder.objects.create(workspace=workspace, name="Ramsey Workforce Board",
                               sector="workforce", email="board@example.org")  # fmt: skip
    Strategy.objects.create(workspace=workspace, name="Sector partnerships",
                            evidence_level="strong")  # fmt: skip
    page.goto(site + "/accounts/login/?next=/w/ramsey/plan/strategies/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategies")

    page.get_by_role("link", name="Actions and milestones of Sector partnerships").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions of Sector partnerships")
    both_widths(page, "a strategy's actions, empty")
    page.get_by_role("link", name="Add an action or milestone").click()
    expect(page.locator("#id_strategy")).to_have_value(
        str(Strategy.objects.get(name="Sector partnerships").pk)
    )
    both_widths(page, "the action form")
    start = timezone.localdate() - timedelta(days=20)
    page.fill("#id_title", "Convene the employer table")
    page.select_option("#id_owner", label="Ramsey Workforce Board")
    # a due date before the start is refused on the field, nothing saved
    page.fill("#id_start_date", start.isoformat())
    page.fill("#id_due_date", (start - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_due_date_error")).to_contain_text("on or after the start")
    assert not Action.objects.exists()
    both_widths(page, "the action form with an error", shots=DOCS / "measurement-action-error")
    page.fill("#id_due_date", (start + timedelta(days=10)).isoformat())
    page.select_option("#id_status", label="In progress")
    page.fill("#id_percent", "60")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert--success").first).to_contain_text("Convene the employer")

    page.get_by_role("link", name="Actions", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions and milestones")
    row = page.locator("#actions tbody tr").first
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Ramsey Workforce Board")
    expect(page.locator(".usa-alert--warning")).to_contain_text("1 item overdue")
    page.select_option("#id_flag", label="Overdue only")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#actions tbody tr")).to_have_count(1)
    both_widths(page, "the actions list, filtered", shots=DOCS / "measurement-actions")

    page.get_by_role("link", name="Convene the employer table").click()
    page.select_option("#id_status", label="Done")
    page.fill("#id_percent", "100")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert--success").first).to_contain_text("Saved")
    expect(page.locator("#actions tbody tr").first).not_to_contain_text("Overdue")
    expect(page.locator("#actions tbody tr").first).to_contain_text("Done")
    assert Action.objects.get().status == "done"

    page.goto(site + "/w/ramsey/measure/sustainability/")
    both_widths(page, "sustainability and learning")
    page.get_by_role("link", name="Write the learning plan").click()
    page.fill("#id_questions_text", "Who is not yet reached?\nWhat do employers change?")
    page.fill("#id_revisit_trigger", "a new data release")
    both_widths(page, "the learning plan form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#learning + dl")).to_contain_text("What do employers change?")
