"""Community input in a real browser: an editor sets up a form and prints its flyer; a
community member answers it in Spanish on a phone with JavaScript off; the editor makes
the answer a finding. axe-core checks every page at 1280 and 375 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from workspace_support import PASSWORD, make_user, make_workspace

from upward.web.knowledge.models import Excerpt, InputAnswer, Note

from .conftest import DESKTOP_VIEWPORT, collect_csp_violations, confine_to_machine, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def both_widths(page: Page, check: Callable[..., None], name: str) -> None:
    """axe at 1280 px, then at 375 px, back to 1280."""
    check(page, context=f"{name} at 1280")
    page.set_viewport_size(PHONE)
    check(page, context=f"{name} at 375")
    page.set_viewport_size(DESKTOP_VIEWPORT)


def test_answer_in_spanish_on_a_phone_and_moderate_into_a_finding(
    site: str, page: Page, browser: Browser, assert_accessible: Callable[..., None]
) -> None:
    owner = make_user("maria")
    make_workspace(owner)
    page.goto(site + "/accounts/login/?next=/w/ramsey/knowledge/input/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community input")
    both_widths(page, assert_accessible, "input forms, empty")

    # the editor sets up a form with two questions, one tagged to a predictor
    page.get_by_role("link", name="New form").click()
    both_widths(page, assert_accessible, "new input form")
    page.fill("#id_title", "Frogtown voices")
    page.fill("#id_title_es", "Voces de Frogtown")
    page.fill("#id_intro_es", "Sus respuestas ayudan a la coalición.")
    page.fill("#id_q1_text", "What helps your family get ahead?")
    page.fill("#id_q1_text_es", "¿Qué ayuda a su familia a salir adelante?")
    page.select_option("#id_q1_predictor", "social_capital")
    page.fill("#id_q2_text", "What gets in the way?")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Frogtown voices", exact=True)).to_be_visible()
    both_widths(page, assert_accessible, "input forms")
    public_url = page.locator("a.upward-input-link").first.get_attribute("href")
    assert public_url and "/p/input/" in public_url

    page.get_by_role("link", name="Flyer with QR code").first.click()
    expect(page.locator("svg.upward-qr")).to_be_visible()
    expect(page.locator(".upward-flyer__url").first).to_have_text(public_url)
    both_widths(page, assert_accessible, "flyer")

    # a community member, on a phone, in Spanish, with JavaScript off
    phone = browser.new_context(viewport=PHONE, locale="es-MX", java_script_enabled=False)
    refused = confine_to_machine(phone)
    violations = collect_csp_violations(phone)
    member = phone.new_page()
    member.goto(public_url)
    expect(member.get_by_role("heading", level=1)).to_have_text("Voces de Frogtown")
    assert member.locator("html").get_attribute("lang") == "es"
    member.get_by_label("¿Qué ayuda a su familia a salir adelante?").fill(
        "La biblioteca y los vecinos."
    )
    member.get_by_role("button", name="Enviar mis respuestas").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Gracias")
    assert {c["name"] for c in phone.cookies()} == {"csrftoken"}
    phone.close()
    assert not refused and not violations, (refused, violations)
    answer = InputAnswer.objects.get()
    assert answer.language == "es"

    # the public pages, checked by axe (which needs script) in a context of their own
    page.goto(public_url + "?lang=es")
    both_widths(page, assert_accessible, "public form")
    page.goto(public_url + "thanks/?lang=es")
    both_widths(page, assert_accessible, "thanks")

    # the editor makes the answer a finding
    page.goto(site + "/w/ramsey/knowledge/input/moderation/")
    expect(page.get_by_text("La biblioteca y los vecinos.")).to_be_visible()
    both_widths(page, assert_accessible, "moderation queue")
    page.get_by_role("button", name="Make a finding").click()
    expect(page.locator(".upward-messages")).to_contain_text("Made a finding")
    both_widths(page, assert_accessible, "moderation after accept")
    note = Note.objects.get(kind="community_input")
    excerpt = Excerpt.objects.get(note=note, text="La biblioteca y los vecinos.")
    assert [c.ref for c in excerpt.codes.all()] == ["social_capital"]
