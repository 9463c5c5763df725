"""The community vision and the theory of change in a real browser, as a coalition
would use them: a first draft, a review round with a comment, a second draft, the two
compared, the owner adopting one, a later draft marked "changed since adoption", and a
theory of change linked to a priority. axe-core checks every page at 1280 and 375 px;
the screenshots in docs/screenshots/strategy-vision-*.png come from here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from upward.web.strategy.models import Priority
from upward.web.workspace.models import CoalitionStructure, Membership, Workspace

from .conftest import serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FIRST = "Every family in Ramsey County has what it needs to thrive."
SECOND = (
    "Every family in Ramsey County, in every neighborhood, has what it needs to thrive, "
    "and shapes the decisions that affect it."
)


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def test_vision_adopted_after_a_review_round(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    user = get_user_model().objects.create_user("maria", "maria@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    Priority.objects.create(
        workspace=workspace, geoid="27123", predictor="opportunities_for_income",
        metric="employment", variable="share_employed", title="Employment, Ramsey County",
        rank=1,
    )  # fmt: skip

    page.goto(site + "/accounts/login/?next=/w/ramsey/plan/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategy")
    page.get_by_role("link", name="Community vision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community vision")
    both_widths(page, "empty vision")

    # 1. a first draft, sent out for review, with a comment
    page.get_by_role("link", name="Write the first draft").click()
    page.fill("#id_text", FIRST)
    page.fill("#id_note", "First draft from the March listening sessions")
    both_widths(page, "draft form")
    page.get_by_role("button", name="Save as version 1").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Saved version 1")
    page.get_by_text("Send out for review").first.click()
    page.fill("#id_note", "Please comment by Friday.")
    page.get_by_role("button", name="Send out for review").click()
    expect(page.locator(".upward-vision-status")).to_contain_text("Out for review")
    page.fill("#comment-text-v1", "Say that residents shape the decisions too.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".upward-comments")).to_contain_text("Say that residents shape")

    # 2. a second draft answers the comment, which is then resolved
    page.get_by_role("link", name="Write a new draft").click()
    page.fill("#id_text", SECOND)
    page.fill("#id_note", "Every neighborhood; residents shape decisions")
    page.get_by_role("button", name="Save as version 2").click()
    page.get_by_role("link", name="Version 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vision, version 1")
    page.get_by_role("button", name="Mark resolved").click()
    expect(page.locator(".upward-comments")).to_contain_text("0 open, 1 resolved")
    both_widths(page, "a version with a resolved comment")

    # 3. the two versions compared
    page.get_by_role("link", name="Compare with the current draft (version 2)").click()
    expect(page.get_by_role("heading", level=2, name="From version 1 to version 2")).to_be_visible()
    expect(page.locator(".upward-diff ins").first).to_contain_text("in every neighborhood")
    expect(page.locator(".upward-diff__legend")).to_contain_text("words added")
    both_widths(page, "compare", shots=DOCS / "strategy-vision-compare")

    # 4. the owner adopts version 2
    page.get_by_role("link", name="Community vision").first.click()
    page.get_by_role("link", name="Adopt version 2…").click()
    page.fill("#id_note", "Agreed at the coalition meeting")
    both_widths(page, "adopt")
    page.get_by_role("button", name="Adopt version 2").click()
    status = page.locator(".upward-vision-status")
    expect(status).to_contain_text("Adopted: version 2")
    expect(status).to_contain_text("The current draft is the adopted version.")
    expect(status).to_contain_text("No review round is open.")

    # 5. a later draft is marked changed since adoption
    page.get_by_role("link", name="Write a new draft").click()
    page.fill("#id_text", SECOND.replace("thrive", "thrive and grow wealth"))
    page.get_by_role("button", name="Save as version 3").click()
    expect(status).to_contain_text("Changed since adoption")
    expect(status).to_contain_text("differs from the adopted version 2")
    both_widths(page, "vision", shots=DOCS / "strategy-vision-page")

    # 6. a theory of change linked to the priority, with a comment
    page.get_by_role("link", name="Strategy").first.click()
    page.get_by_role("link", name="Theory of change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Theory of change")
    page.get_by_role("link", name="Add a statement").click()
    page.fill("#id_if_we", "pay for child care during job training")
    page.fill("#id_then", "more parents finish training and are hired")
    page.fill("#id_because", "care is the barrier parents named most often")
    page.fill("#id_assumptions", "Providers have open slots\nEmployers hire graduates")
    page.locator("label:has-text('Employment, Ramsey County')").click()
    both_widths(page, "theory form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".upward-theory__statement")).to_contain_text(
        "If we pay for child care during job training, then more parents"
    )
    expect(page.locator(".upward-theory")).to_contain_text("Employment, Ramsey County")
    page.fill("[id^='comment-text-t']", "Which providers have slots?")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".upward-theory")).to_contain_text("Which providers have slots?")
    both_widths(page, "theories", shots=DOCS / "strategy-vision-theories")


def test_a_viewer_comments_but_does_not_draft(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    """Any member comments on the vision and a theory, a viewer too; they resolve their own
    comment, not the owner's, and see no way to draft, adopt or edit."""
    from upward.web.strategy import review_store, vision_store
    from upward.web.strategy.models import Comment, TheoryOfChange

    owner = get_user_model().objects.create_user("maria", "maria@example.org", PASSWORD)
    viewer = get_user_model().objects.create_user("vic", "vic@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=owner
    )
    Membership.objects.create(workspace=workspace, user=owner, role="owner")
    Membership.objects.create(workspace=workspace, user=viewer, role="viewer")
    CoalitionStructure.objects.create(workspace=workspace)
    version = vision_store.save_draft(workspace, owner, FIRST, "", based_on=0)
    review_store.add_comment(workspace, owner, "vision", version.pk, "Name the neighborhoods.")
    theory = TheoryOfChange.objects.create(workspace=workspace, if_we="pay for child care",
                                           then="parents finish training",
                                           because="care is the barrier")  # fmt: skip

    page.goto(site + "/accounts/login/?next=/w/ramsey/plan/vision/versions/1/")
    page.fill("#id_username", "vic")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vision, version 1")
    expect(page.get_by_role("link", name="Write a new draft")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark resolved")).to_have_count(0)  # the owner's
    page.fill("#comment-text-v1", "Say that residents shape the decisions too.")
    page.get_by_role("button", name="Add comment").click()
    comments = page.locator(".upward-comments")
    expect(comments).to_contain_text("Say that residents shape the decisions too.")
    expect(comments).to_contain_text("2 open, 0 resolved")
    both_widths(page, "a viewer's comment")
    page.get_by_role("button", name="Mark resolved").click()  # only their own has one
    expect(comments).to_contain_text("1 open, 1 resolved")
    mine = Comment.objects.get(author=viewer)
    assert mine.resolved_by == viewer and mine.object_id == version.pk

    page.goto(site + "/w/ramsey/plan/theories/")
    expect(page.get_by_role("link", name="Add a statement")).to_have_count(0)
    expect(page.locator(".upward-theory").get_by_role("link", name="Edit")).to_have_count(0)
    page.fill(f"#comment-text-t{theory.pk}", "Which providers have slots?")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".upward-theory")).to_contain_text("Which providers have slots?")
    both_widths(page, "a viewer on the theories")
    assert Comment.objects.filter(author=viewer, subject="theory", object_id=theory.pk).exists()
