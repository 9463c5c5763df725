"""A new user's path through the coalition workspace, in a real browser.

Sign up, start a workspace for Ramsey County, MN, invite a second person who signs up
and accepts in their own browser, complete a readiness assessment and see the
recommendation and the preparedness plan, add ten stakeholders, see a coverage gap and
create a workgroup. axe-core checks every page; screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from upward.planning.readiness import get_conditions

from .conftest import DESKTOP_VIEWPORT, confine_to_machine, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"

STAKEHOLDERS = [
    # name, sector, pillar ids, predictor ids, relationship
    ("Ramsey County Public Health", "health", ["health"], ["neonatal_health"], "partner"),
    (
        "Saint Paul Public Schools",
        "early_k12",
        ["education"],
        ["effective_public_education"],
        "engaged",
    ),
    ("Saint Paul Area Chamber", "business", ["work"], ["employment_opportunities"], "aware"),
    ("Saint Paul Foundation", "philanthropy", [], ["wealth_building"], "engaged"),
    ("Regions Hospital", "anchor", ["health"], ["access_to_health_services"], "partner"),
    (
        "Frogtown Neighborhood Association",
        "residents",
        ["neighborhoods"],
        ["social_capital"],
        "engaged",
    ),
    ("Metro Transit", "government", [], ["transportation_access"], "aware"),
    ("Twin Cities Habitat for Humanity", "housing", [], ["housing_affordability"], "partner"),
    ("Minnesota Council of Churches", "faith", [], ["social_capital"], "none"),
    (
        "Ramsey County Workforce Solutions",
        "workforce",
        ["work"],
        ["jobs_paying_living_wage"],
        "engaged",
    ),
]


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def check(
    page: Page,
    assert_accessible: Callable[..., None],
    name: str,
    screenshot: Callable[[Page, str], list[Path]] | None = None,
) -> None:
    assert_accessible(page, context=name)
    if screenshot is not None:
        screenshot(page, f"workspace-{name}")


def tick(page: Page, selector: str) -> None:
    """Check a USWDS checkbox the way a person does: by clicking its label."""
    box = page.locator(selector)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def sign_up(page: Page, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_new_user_builds_a_coalition_workspace(
    site: str,
    page: Page,
    browser: Browser,
    assert_accessible: Callable[..., None],
    screenshot: Callable[[Page, str], list[Path]],
) -> None:
    # 1. sign up
    page.goto(site + "/")
    page.get_by_role("link", name="Sign in").first.click()
    check(page, assert_accessible, "sign-in")
    page.get_by_role("link", name="Create an account").click()
    check(page, assert_accessible, "sign-up", screenshot)
    page.fill("#id_username", "maria")
    page.fill("#id_email", "maria@example.org")
    page.fill("#id_password1", "password")
    page.fill("#id_password2", "password")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#id_password2_error")).to_contain_text("too common")
    check(page, assert_accessible, "sign-up-errors", screenshot)
    sign_up(page, "maria")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your workspaces")
    check(page, assert_accessible, "list")

    # 2. a workspace for Ramsey County, MN
    page.get_by_role("link", name="Start a workspace").click()
    page.fill("#id_name", "Ramsey Mobility Coalition")
    page.fill("#id_places", "Ramsey County, MN")
    check(page, assert_accessible, "create")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ramsey Mobility Coalition")
    expect(page.get_by_role("link", name="Ramsey County, MN").first).to_have_attribute(
        "href", "/county/27123/"
    )
    expect(page.get_by_text("95% CI").first).to_be_visible()
    home = page.url
    # going back and sending the form again creates no second workspace
    page.go_back()
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_text("no second workspace was created")).to_be_visible()
    assert page.url == home
    check(page, assert_accessible, "home-new", screenshot)

    # 3. invite a second person, who signs up and accepts in their own browser
    page.get_by_role("link", name="Members").click()
    page.select_option("#id_role", "editor")
    page.fill("#id_note", "Deputy director")
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator("#new-invitation-link").input_value()
    check(page, assert_accessible, "members", screenshot)
    context = browser.new_context(viewport=DESKTOP_VIEWPORT, locale="en-US")
    confine_to_machine(context)
    guest = context.new_page()
    guest.goto(link)
    expect(guest.get_by_role("heading", level=1)).to_have_text("Join Ramsey Mobility Coalition")
    check(guest, assert_accessible, "invitation")
    guest.get_by_role("link", name="Create an account").click()
    sign_up(guest, "tomas")
    guest.get_by_role("button", name="Accept and join").click()
    expect(guest.get_by_role("heading", level=1)).to_have_text("Ramsey Mobility Coalition")
    expect(guest.get_by_text("Signed in as")).to_contain_text("(editor)")
    context.close()
    page.reload()
    expect(page.get_by_role("rowheader", name="tomas", exact=True)).to_be_visible()

    # 4. readiness: answer all nine conditions (the first five fully) and read the result
    page.get_by_role("link", name="Readiness").first.click()
    check(page, assert_accessible, "readiness-start")
    page.get_by_role("button", name="Start assessment").click()
    assessment = page.url
    # a blank assessment has no verdict yet, and every condition is still to answer
    expect(page.get_by_role("heading", name="Not assessed yet")).to_be_visible()
    expect(page.locator(".upward-result--postpone")).to_have_count(0)
    expect(page.get_by_text("not answered yet")).to_have_count(9)
    check(page, assert_accessible, "readiness-blank", screenshot)
    for number, condition in enumerate(get_conditions(), start=1):
        page.goto(f"{assessment}conditions/{condition.id}/")
        steps = condition.steps if number <= 5 else condition.steps[:1]
        for step in steps:
            tick(page, f"#id_done_{step.id}")
        if number == 6:
            page.fill(f"#id_note_{condition.steps[0].id}", "Council resolution adopted in March")
            page.fill("#id_to_address", "Required equity training for all staff")
            check(page, assert_accessible, "readiness-condition", screenshot)
        page.get_by_role("button", name="Save condition").click()
    expect(
        page.get_by_role("heading", name="Recommendation: Start with a preparedness plan")
    ).to_be_visible()
    expect(page.get_by_text("5 of 9 conditions are met")).to_be_visible()
    expect(page.get_by_text("Required equity training for all staff")).to_be_visible()
    expect(page.locator(".upward-current-band")).to_contain_text("3–6 conditions met")
    expect(page.get_by_role("link", name="Change the answer to")).to_have_count(9)
    check(page, assert_accessible, "readiness-result", screenshot)

    # 5. the preparedness plan: a task per missing step, with an owner and a due date
    page.get_by_role("link", name="Preparedness plan").first.click()
    page.get_by_role("button", name="Create 10 tasks").click()
    expect(page.get_by_text("Added 10 task(s)")).to_be_visible()
    page.get_by_role("link", name="Edit").first.click()
    page.select_option("#id_owner", label="tomas")
    page.fill("#id_due_date", (date.today() + timedelta(days=45)).isoformat())
    page.select_option("#id_status", "in_progress")
    check(page, assert_accessible, "task")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="tomas").first).to_be_visible()
    check(page, assert_accessible, "plan", screenshot)

    # 6. ten stakeholders, added through the form
    for name, sector, pillars, predictors, relationship in STAKEHOLDERS:
        page.goto(home + "stakeholders/new/")
        page.fill("#id_name", name)
        page.select_option("#id_sector", sector)
        for pillar in pillars:
            tick(page, f"input[name=pillars][value={pillar}]")
        for predictor in predictors:
            tick(page, f"input[name=predictors][value={predictor}]")
        page.select_option("#id_relationship", relationship)
        if name == STAKEHOLDERS[0][0]:
            page.fill("#id_email", "not an email")
            page.get_by_role("button", name="Save").click()
            expect(page.locator("#id_email_error")).to_be_visible()
            check(page, assert_accessible, "stakeholder-errors", screenshot)
            page.fill("#id_email", "health@example.org")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text(f"Added {name}.")).to_be_visible()
    expect(page.get_by_text("10 of 10 stakeholders shown")).to_be_visible()
    check(page, assert_accessible, "stakeholders", screenshot)

    # 6b. export, edit and import back: update by name; a bad line names its record
    csv_text = page.request.get(home + "stakeholders/export.csv").text()
    assert "Metro Transit" in csv_text
    edited = csv_text.replace("Metro Transit,Organization,,", "METRO transit,Organization,,", 1)
    page.goto(home + "stakeholders/import/")
    page.fill("#id_text", edited + "Broken Line,,,nowhere,,,,,,,,,\n")
    page.locator("label[for='id_mode_1']").click()
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("#import-errors")).to_contain_text("Broken Line")
    expect(page.locator("#id_mode_1")).to_be_checked()
    check(page, assert_accessible, "import-errors", screenshot)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page, context="import-errors-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size(DESKTOP_VIEWPORT)
    page.fill("#id_text", edited)
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("Imported: 0 stakeholders added, 10 updated.")).to_be_visible()
    expect(page.get_by_text("METRO transit")).to_be_visible()

    # 7. a coverage gap: nobody works on just policing
    page.get_by_role("link", name="Coverage and gaps").click()
    expect(page.locator(".upward-gaps").first).to_contain_text("Just policing")
    check(page, assert_accessible, "coverage", screenshot)
    page.goto(home + "stakeholders/invitations/")
    check(page, assert_accessible, "invitations", screenshot)

    # 8. a workgroup
    page.get_by_role("link", name="Coalition structure").click()
    page.get_by_role("link", name="New workgroup").click()
    page.fill("#id_name", "Healthy starts")
    page.select_option("#id_focus", "predictor:neonatal_health")
    page.select_option("#id_lead", label="Ramsey County Public Health")
    picker = page.locator("#id_members_picker")
    for name in ("Regions Hospital", "Frogtown Neighborhood Association"):
        picker.get_by_label("Filter: Members").fill(name.split()[0])
        picker.locator("label", has_text=name).click()
    expect(picker.get_by_role("button", name="Remove Frogtown")).to_be_visible()
    page.select_option("#id_cadence", "biweekly")
    check(page, assert_accessible, "workgroup-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("rowheader", name="Healthy starts")).to_be_visible()
    expect(page.get_by_role("cell", name="Neonatal health")).to_be_visible()
    check(page, assert_accessible, "coalition", screenshot)

    page.goto(home)
    expect(page.get_by_text("10 stakeholders in the inventory")).to_be_visible()
    check(page, assert_accessible, "home", screenshot)
    page.get_by_role("link", name="Activity").first.click()
    expect(page.get_by_text("joined as an editor")).to_be_visible()
    check(page, assert_accessible, "activity")

    page.goto(site + "/w/")
    expect(page.get_by_role("link", name="Ramsey Mobility Coalition")).to_have_count(1)
    page.goto(home)

    # 9. members: withdraw an invitation and remove a member, with the page's buttons only
    page.get_by_role("link", name="Members").first.click()
    page.fill("#id_note", "Board chair")
    page.get_by_role("button", name="Create invitation link").click()
    expect(page.get_by_role("cell", name="Board chair")).to_be_visible()
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_text("Invitation withdrawn")).to_be_visible()
    expect(page.get_by_role("cell", name="Board chair")).to_have_count(0)
    members = page.url
    # the only owner is offered neither a role change nor a Remove for themselves
    expect(page.get_by_role("button", name="Remove maria")).to_have_count(0)
    expect(page.get_by_text("The only owner: make someone else an owner")).to_be_visible()
    expect(page.locator("form[action$='/remove/']")).to_have_count(1)
    check(page, assert_accessible, "members-only-owner", screenshot)
    remove = page.locator("form[action$='/remove/']").first.get_attribute("action")
    page.goto(site + str(remove))  # opening the address (a link elsewhere) changes nothing
    expect(page.get_by_role("rowheader", name="tomas", exact=True)).to_be_visible()
    assert page.url == members
    page.get_by_role("button", name="Remove tomas").click()
    expect(page.get_by_text("Removed tomas.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="tomas", exact=True)).to_have_count(0)
