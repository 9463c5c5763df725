"""Priorities from the evidence in a real browser, as a new member would: from Ramsey
County's insights make a gap between groups a priority, from the predictor view a value,
by hand a third; rank them with Move up, record a dot vote, and read a priority's kept
evidence beside the live one; then make a coded finding (an excerpt coded to a predictor)
a fourth, choosing its place. axe-core clean and no sideways scrolling at 1280 and 375 px
on every page; screenshots into docs/screenshots/strategy-priorities-*.png."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def test_priorities_from_the_evidence(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    from django.contrib.auth import get_user_model

    from upward.web.strategy.models import Priority, PriorityDecision
    from upward.web.workspace.models import CoalitionStructure, Membership, Workspace

    user = get_user_model().objects.create_user("erin", "erin@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123", "2758000"]
    )
    Membership.objects.create(workspace=workspace, user=user, role="editor")
    CoalitionStructure.objects.create(workspace=workspace)

    page.goto(site + "/accounts/login/?next=/county/27123/insights/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # 1. from the insights: the first gap between a group and its total
    gap_link = page.locator("#gaps .upward-insight a:has-text('Make this a priority')").first
    gap_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make this a priority")
    expect(page.locator("#evidence")).to_contain_text("95% CI")
    expect(page.locator("main")).to_contain_text("The gap")
    both_widths(page, "confirm", shots=DOCS / "strategy-priorities-confirm")
    page.get_by_role("button", name="Add this priority").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Added the priority")
    gap = Priority.objects.get(workspace=workspace)
    assert gap.versus == "All" and gap.source == "insights" and gap.evidence["gap"]
    both_widths(page, "detail", shots=DOCS / "strategy-priorities-detail")

    # 2. from the predictor view: a value with its tests
    page.goto(site + "/w/ramsey/predictors/opportunities_for_income/")
    page.locator("a:has-text('Make this a priority')").first.click()
    page.fill("#id_rationale", "Wages came up in every listening session.")
    page.get_by_role("button", name="Add this priority").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Added the priority")

    # 3. by hand, with a mistake first: a gap between a group and itself
    page.goto(site + "/w/ramsey/plan/priorities/")
    page.get_by_role("link", name="Add a priority").click()
    page.select_option("#id_place", "27123")
    page.select_option("#id_variable", "rate_injury_death")
    page.select_option("#id_breakdown", "race-ethnicity")
    page.fill("#id_subgroup", "Black, Non-Hispanic")
    page.fill("#id_versus", "Black, Non-Hispanic")
    page.get_by_role("button", name="Show the evidence").click()
    expect(page.locator("#id_versus_error")).to_contain_text("two different groups")
    both_widths(page, "bad-input", shots=DOCS / "strategy-priorities-bad-input")
    page.fill("#id_versus", "White, Non-Hispanic")
    page.get_by_role("button", name="Show the evidence").click()
    page.get_by_role("button", name="Add this priority").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Added the priority")
    assert Priority.objects.filter(workspace=workspace).count() == 3

    # 4. rank: the third moves up to second
    page.goto(site + "/w/ramsey/plan/priorities/rank/")
    both_widths(page, "rank", shots=DOCS / "strategy-priorities-rank")
    third = Priority.objects.get(workspace=workspace, rank=3)
    move = page.locator(f"button[name=move][value='{third.pk}:up']")
    expect(move).to_contain_text("Move up")
    move.click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Saved the ranking")
    third.refresh_from_db()
    assert third.rank == 2

    # 5. a dot vote, shown beside the ranks
    page.goto(site + "/w/ramsey/plan/priorities/")
    page.get_by_role("link", name="Record how you decided", exact=True).click()
    page.select_option("#id_method", "dot_vote")
    page.fill("#id_date", "2026-11-30")
    page.fill("#id_participants", "18")
    for n, p in enumerate(Priority.objects.filter(workspace=workspace).order_by("rank"), 1):
        page.fill(f"#id_votes_{p.pk}", str(20 - 5 * n))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priorities")
    expect(page.locator("table.upward-priorities")).to_contain_text("Votes")
    decision = PriorityDecision.objects.get(workspace=workspace)
    assert sorted(decision.votes.values()) == [5, 10, 15]
    both_widths(page, "list", shots=DOCS / "strategy-priorities-list")

    # 6. from a coded finding: an excerpt of a session note coded to a predictor
    from upward.web.knowledge.codebook import builtin_code
    from upward.web.knowledge.models import Excerpt, Note

    note = Note.objects.create(workspace=workspace, title="Frogtown listening session",
                               text="Rents rose faster than anyone's pay.")  # fmt: skip
    excerpt = Excerpt.objects.create(workspace=workspace, note=note, start=0, end=10,
                                     text="Rents rose")  # fmt: skip
    excerpt.codes.add(builtin_code(workspace, "predictor", "housing_affordability"))
    page.goto(site + f"/w/ramsey/knowledge/notes/{note.pk}/")
    link = page.get_by_role("link", name="Make this a priority: Housing affordability")
    expect(link).to_have_count(1)
    both_widths(page, "finding")
    link.click()
    # two places in this workspace, and a note names none: the page asks which first
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a priority")
    expect(page.locator(".usa-error-message")).to_have_count(0)
    expect(page.locator("#id_variable")).to_have_value("share_affordable_available_50_ami")
    both_widths(page, "finding-place")
    page.select_option("#id_place", "27123")
    page.get_by_role("button", name="Show the evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make this a priority")
    page.get_by_role("button", name="Add this priority").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Added the priority")
    found = Priority.objects.get(workspace=workspace, predictor="housing_affordability")
    assert (found.source, found.source_ref) == ("finding", f"excerpt:{excerpt.pk}")
    assert excerpt.pk in found.evidence["local"]["finding_ids"]
    back = page.get_by_role("link", name="an excerpt of “Frogtown listening session”")
    expect(back).to_have_attribute(
        "href", f"/w/ramsey/knowledge/notes/{note.pk}/#excerpt-{excerpt.pk}"
    )
