"""Elected officials in a real browser: enter a five-member council, make survey links,
have two officials answer (one in Spanish on a 375 px phone), and read the
descriptive-representation metric with its small-body note. axe-core checks every page
at 1280 and 375 px, the public survey page included."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from upward.web.workspace.models import CoalitionStructure, Membership, Workspace

from .conftest import confine_to_machine, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
COUNCIL = [
    ("Rosa Diaz", "Council Member, Ward 1"),
    ("Tom Berg", "Council Member, Ward 2"),
    ("Amina Yusuf", "Council Member, Ward 3"),
    ("Lee Vang", "Council Member, Ward 4"),
    ("Karen Olson", "Council President"),
]
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def answer(page: Page, link: str, choice: str, button: str, thanks: str) -> None:
    page.goto(link)
    page.locator(f"label:has-text('{choice}')").click()
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(thanks)


def test_council_survey_and_metric(
    site: str,
    page: Page,
    browser: Browser,
    assert_accessible: Callable[..., None],
    both_widths: Callable[..., None],
) -> None:
    user = get_user_model().objects.create_user("maria", "maria@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)

    page.goto(site + "/accounts/login/?next=/w/ramsey/officials/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Elected officials")

    # 1. a five-member council, one of them with a publicly reported identity
    for i, (name, office) in enumerate(COUNCIL):
        page.get_by_role("link", name="Add an elected official").click()
        page.fill("#id_name", name)
        page.fill("#id_office", office)
        page.fill("#id_body", "Saint Paul City Council")
        if i == 4:
            page.select_option("#id_race", "white_nonhispanic")
            page.locator("label[for='id_identity_source_1']").click()
            page.fill("#id_identity_date", "2025-03-01")
            page.fill("#id_identity_note", "The council's web page")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".usa-alert--success")).to_contain_text(f"Added {name}")
    expect(page.get_by_role("heading", level=2, name="Saint Paul City Council")).to_be_visible()
    both_widths(page, "roster", height=800)

    # 2. survey links for two officials
    links = []
    for name in ("Rosa Diaz", "Tom Berg"):
        page.get_by_role("button", name=f"Make a survey link for {name}").click()
        field = page.get_by_label(f"Link for {name} (copy and send)")
        links.append(field.input_value())
    assert all("/p/survey/" in link for link in links)
    both_widths(page, "roster with links", height=800)

    # 3. one answers in English on a desktop, the other in Spanish on a phone
    official = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    confine_to_machine(official)
    desk = official.new_page()
    desk.goto(links[0])
    expect(desk.get_by_role("heading", level=1)).to_have_text("A question about representation")
    both_widths(desk, "survey", height=800)
    answer(desk, links[0], "Hispanic or Latino, of any race", "Send my answer", "Thank you")
    assert_accessible(desk, context="survey thanks")
    desk.goto(links[0])
    expect(desk.get_by_role("heading", level=1)).to_have_text(
        "This survey has already been answered"
    )
    assert_accessible(desk, context="survey refused")
    official.close()

    phone_context = browser.new_context(viewport=PHONE, locale="en-US")
    confine_to_machine(phone_context)
    phone = phone_context.new_page()
    phone.goto(links[1])
    phone.get_by_role("link", name="Español").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Una pregunta sobre representación")
    assert phone.locator("html").get_attribute("lang") == "es"
    assert_accessible(phone, context="survey in Spanish at 375 px")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 375
    phone.get_by_role("button", name="Enviar mi respuesta").click()  # nothing chosen
    expect(phone.locator(".usa-error-message")).to_contain_text("Elija una respuesta")
    phone.locator("label:has-text('Negro o afroamericano')").click()
    phone.get_by_role("button", name="Enviar mi respuesta").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Gracias")
    assert_accessible(phone, context="survey thanks in Spanish")
    phone_context.close()

    # 4. the roster shows the answers; the metric shows the small-body note
    page.reload()
    expect(page.locator("#official-1, tr:has-text('Rosa Diaz')").first).to_contain_text(
        "Self-identified"
    )
    page.get_by_role("link", name="Descriptive representation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Descriptive representation")
    note = page.locator(".upward-step-note").first
    expect(note).to_contain_text("One seat on a five-seat body is 20 points")
    expect(note).to_contain_text("only 3 of the 5 identities are known")
    expect(page.locator("main")).to_contain_text("Lower quality: 1 of the 3 known identities")
    expect(page.locator("main")).to_contain_text("without a confidence interval")
    both_widths(page, "representation", height=800)
