"""The explorer joined to the workspace, and the workspace's long forms, in a real browser:
Review Guide notes saved into a workspace and reopened, a peer set saved and reopened, all
nine readiness conditions on one page, and the searchable member picker. axe-core on every
page at 1280 and 375 px, no sideways scrolling; screenshots to docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import DESKTOP_VIEWPORT, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = (1280, 375)
OVERFLOW_JS = """() => { const w = document.documentElement.clientWidth; const out = [];
  for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect();
    if (r.right > w + 1) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right)); }
  return out.slice(0, 8); }"""


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


@pytest.fixture
def coalition(site: str) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from upward.web.workspace import readiness_store
    from upward.web.workspace.models import CoalitionStructure, Membership, Stakeholder, Workspace

    users = {n: get_user_model().objects.create_user(n, f"{n}@example.org", PASSWORD)
             for n in ("erin", "otto")}  # fmt: skip
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123", "2758000"]
    )
    Membership.objects.create(workspace=workspace, user=users["erin"], role="editor")
    other = Workspace.objects.create(name="Harbor Coalition", slug="harbor", geoids=["38071"])
    Membership.objects.create(workspace=other, user=users["otto"], role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    readiness_store.create_assessment(workspace, users["erin"], "Spring check-in", False)
    Stakeholder.objects.bulk_create(
        Stakeholder(workspace=workspace, name=f"{kind} partner {i:03}", sector="nonprofit",
                    relationship="engaged")
        for i in range(120) for kind in ("Neighborhood", "Faith", "Business")
    )  # fmt: skip
    return {"workspace": workspace, "users": users}


def sign_in(page: Page, site: str, username: str, then: str) -> None:
    page.goto(f"{site}/accounts/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def shot(
    page: Page, name: str, width: int, selector: str | None = None, top: str | None = None
) -> None:
    """A viewport (or one element's) PNG; ``top``: the element to scroll to the top first."""
    page.set_viewport_size({"width": width, "height": 900})
    if top:
        to_top = "e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8)"
        page.locator(top).first.evaluate(to_top)
    path = DOCS_SHOTS / f"{name}.png"
    if selector:
        page.locator(selector).first.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path))
    page.set_viewport_size(DESKTOP_VIEWPORT)


def test_review_guide_notes_are_saved_to_a_workspace_and_reopened(
    site: str, page: Page, coalition: dict[str, Any], both_widths: Callable[..., None]
) -> None:
    guide = "/county/27123/review-guide/"
    page.goto(site + guide)
    expect(page.get_by_text("Your notes are not stored on this site")).to_be_visible()
    sign_in(page, site, "erin", guide)
    both_widths(page, "review-guide-choose")
    page.get_by_label("Show and save the notes of").select_option("ramsey")
    page.get_by_role("button", name="Open with its notes").click()
    expect(page.get_by_role("heading", name="Notes of Ramsey Mobility Coalition")).to_be_visible()
    page.get_by_label("Your notes: what stands out").fill(
        "Income at the 80th percentile sits below the national median; ask the workforce board."
    )
    page.get_by_role("button", name="Save notes to Ramsey Mobility Coalition").click()
    expect(page.get_by_text("Saved your notes in Ramsey Mobility Coalition.")).to_be_visible()
    expect(page.get_by_label("Your notes: what stands out")).to_have_value(
        "Income at the 80th percentile sits below the national median; ask the workforce board."
    )
    expect(page.get_by_text("Saved in Ramsey Mobility Coalition on")).to_be_visible()
    both_widths(page, "review-guide-notes")
    page.locator("#note_stands_out").evaluate("e => e.scrollIntoView({block: 'center'})")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#note_stands_out").evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(DOCS_SHOTS / "review-guide-notes-1280.png"))
    page.get_by_role("link", name="Ramsey Mobility Coalition").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review Guide notes")
    expect(page.get_by_text("ask the workforce board")).to_be_visible()
    both_widths(page, "workspace-guide-notes")
    # another coalition's member never sees them
    page.context.clear_cookies()
    sign_in(page, site, "otto", guide + "?workspace=harbor")
    expect(page.get_by_label("Your notes: what stands out")).to_have_value("")
    page.goto(site + guide + "?workspace=ramsey")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Not found")


def test_a_peer_set_is_saved_from_the_explorer_and_reopened(
    site: str, page: Page, coalition: dict[str, Any], both_widths: Callable[..., None]
) -> None:
    sign_in(page, site, "erin", "/county/27123/peers/?k=4")
    expect(page.get_by_role("heading", name="Save this peer set to a workspace")).to_be_visible()
    both_widths(page, "peers-save")
    page.fill("#keep-name", "Four nearest counties")
    page.get_by_role("button", name="Save this peer set to Ramsey Mobility Coalition").click()
    expect(page.get_by_text("Saved the peer set “Four nearest counties”")).to_be_visible()
    expect(page.get_by_role("heading", name="Four nearest counties")).to_be_visible()
    both_widths(page, "workspace-peer-sets")
    shot(page, "workspace-peer-sets-1280", 1280)
    page.get_by_role("link", name="Open these peers of Ramsey County, MN (Four nearest").click()
    expect(page.locator("#set-name")).to_have_value("Four nearest counties")
    expect(page.locator(".upward-peer-table tbody tr")).to_have_count(4)
    page.go_back()
    page.get_by_role("link", name="Compare Ramsey County, MN with them").first.click()
    expect(page).to_have_url(re.compile(r"/county/27123/compare/\?set="))
    expect(page.get_by_text("Four nearest counties").first).to_be_visible()


def test_all_nine_conditions_on_one_page(
    site: str, page: Page, coalition: dict[str, Any], both_widths: Callable[..., None]
) -> None:
    sign_in(page, site, "erin", "/w/ramsey/readiness/1/")
    page.get_by_role("link", name="Answer all nine on one page").click()
    expect(page.locator("section.upward-condition")).to_have_count(9)
    both_widths(page, "readiness-all")
    page.locator("label[for='id_leadership-done_leadership_briefed']").click()
    page.fill("#id_culture-to_address", "Hold a listening session with staff.")
    too_long = page.locator("#id_capacity-to_address")
    too_long.evaluate("e => e.removeAttribute('maxlength')")  # as a browser without it would
    too_long.fill("x" * 4001)  # too long: this one is kept as typed, the others are saved
    page.get_by_role("button", name="Save all changes").first.click()
    expect(page.get_by_text("1 condition not saved")).to_be_visible()
    expect(page.locator("#id_culture-to_address")).to_have_value(
        "Hold a listening session with staff."
    )
    both_widths(page, "readiness-all-error")
    page.fill("#id_capacity-to_address", "Name a facilitator.")
    page.get_by_role("button", name="Save condition 3").click()
    expect(page.get_by_text("Saved 1 condition(s)")).to_be_visible()
    expect(page.locator("#condition-culture .upward-tag--unmet")).to_be_visible()
    shot(page, "workspace-readiness-all-1280", 1280, top="h1")


def test_the_member_picker_filters_and_shows_chips(
    site: str, page: Page, coalition: dict[str, Any], both_widths: Callable[..., None]
) -> None:
    sign_in(page, site, "erin", "/w/ramsey/coalition/structure/")
    page.set_viewport_size({"width": 375, "height": 900})
    picker = page.locator("#id_advisory_members_picker")
    filter_box = picker.get_by_label("Filter: Advisory group members")
    filter_box.fill("faith 01")
    # 001, 010 to 019 and 101: every word of the filter is in the name
    expect(picker.locator("[data-picker-item]:visible")).to_have_count(12)
    expect(picker.get_by_text("12 of 360 shown")).to_be_visible()
    filter_box.press("ArrowDown")  # to the first box shown, then Space checks it
    page.keyboard.press("Space")
    picker.locator("label", has_text="Faith partner 012").click()
    filter_box.fill("business 1")
    picker.locator("label", has_text="Business partner 100").click()
    expect(picker.get_by_role("button", name="Remove Faith partner 001")).to_be_visible()
    expect(picker.locator(".upward-chip")).to_have_count(3)
    picker.get_by_role("button", name="Remove Faith partner 012").click()
    expect(picker.locator(".upward-chip")).to_have_count(2)
    # focus moves to the chip now in its place, or the one before when it was last
    expect(picker.get_by_role("button", name="Remove Faith partner 001")).to_be_focused()
    filter_box.fill("faith 01")
    both_widths(page, "multipicker")
    shot(page, "workspace-multipicker-375", 375, ".upward-picker-field")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved")).to_be_visible()
    page.goto(site + "/w/ramsey/coalition/")
    expect(page.get_by_text("Faith partner 001")).to_be_visible()
    expect(page.get_by_text("Business partner 100")).to_be_visible()


def test_the_member_picker_works_without_script(
    site: str, browser: Any, coalition: dict[str, Any], assert_accessible: Callable[..., None]
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 900},
                                  java_script_enabled=False)  # fmt: skip
    page = context.new_page()
    try:
        sign_in(page, site, "erin", "/w/ramsey/coalition/structure/")
        picker = page.locator("#id_advisory_members_picker")
        expect(picker.locator(".upward-picker__filter")).to_be_hidden()
        expect(picker.locator("input[type=checkbox]")).to_have_count(360)
        picker.locator("label", has_text="Neighborhood partner 007").click()
        page.get_by_role("button", name="Save").click()
        page.goto(site + "/w/ramsey/coalition/")
        expect(page.get_by_text("Neighborhood partner 007")).to_be_visible()
    finally:
        context.close()
