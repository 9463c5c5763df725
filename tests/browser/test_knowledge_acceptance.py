"""Issue 12's acceptance test: local knowledge as a new user meets it, in a real browser.

Sign up, start a workspace for Ramsey County, MN; log two engagements (one with
participants' demographics) and see who took part flag a group; code five excerpts of a
note; upload a local data file with one bad row (refused, row and column named), then the
fixed file, and see it beside the national metric on the predictor view; enter a
five-member council, have two officials answer the survey by their links (one in
Spanish), and read the descriptive-representation metric with its small-body note; answer
the public form in Spanish on a 375 px phone without JavaScript, moderate the answer into
a finding; export the Summary of Findings as PDF. axe-core checks every page once (the
workspace pages at 1280 px, the public pages at 375 px).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import SCREENSHOTS, collect_csp_violations, confine_to_machine, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
PHONE = {"width": 375, "height": 740}
PREDICTOR = "neonatal_health"  # Urban publishes low birth weight for 27123 in the fixture
NOTE = (
    "Parents at the Rondo data walk said prenatal visits are hard to reach without a car. "
    "Several mothers described waiting weeks for a first appointment. "
    "The clinic on University Avenue has started evening hours, and families noticed. "
    "Neighbors drive each other to appointments through the church network. "
    "Housing costs push young families farther from the hospital every year."
)
CODED = [
    # passage, codes (labels in the codebook)
    ("prenatal visits are hard to reach without a car", ["Neonatal health", "Practices"]),
    ("waiting weeks for a first appointment", ["Neonatal health"]),
    ("started evening hours, and families noticed", ["Neonatal health", "Practices"]),
    ("Neighbors drive each other to appointments", ["Relationships and connections"]),
    ("Housing costs push young families farther", ["Resource flows"]),
]
COUNCIL = [
    ("Rosa Diaz", "Council Member, Ward 1"),
    ("Tom Berg", "Council Member, Ward 2"),
    ("Amina Yusuf", "Council Member, Ward 3"),
    ("Lee Vang", "Council Member, Ward 4"),
    ("Karen Olson", "Council President"),
]
HEADER = "geography,geography_kind,period,value,lower,upper,moe,moe_level,subgroup\n"
GOOD = (
    HEADER + "27123,,2023,0.095,0.090,0.100,,,\n"
    "27123,,2022,0.081,,,0.004,90,\n"
    "55104,zip,2023,0.07,,,0.01,95,\n"
)
BAD = GOOD.replace("55104,zip,2023,0.07", "55104,zip,2023,seven")


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


@pytest.fixture
def uploads(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a temporary folder, never the real UPWARD_HOME."""
    location = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


def tick(page: Page, selector: str) -> None:
    """Check a USWDS checkbox or radio the way a person does: by clicking its label."""
    box = page.locator(selector)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def open_section(page: Page, card: str) -> None:
    """From anywhere in the workspace: the side navigation, then the section's card."""
    page.get_by_role("link", name="Local knowledge", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local knowledge")
    page.get_by_role("link", name=card, exact=True).click()


def test_new_user_gathers_local_knowledge(
    site: str,
    page: Page,
    browser: Browser,
    uploads: Path,
    tmp_path: Path,
    assert_accessible: Callable[..., None],
) -> None:
    seen: set[str] = set()

    def check(where: Page, name: str) -> None:
        """axe-core on each distinct page, once."""
        assert name not in seen, f"{name} checked twice"
        seen.add(name)
        assert_accessible(where, context=name)

    # --- a new user: sign up, start a workspace for Ramsey County, MN -------------------
    page.goto(site + "/")
    page.get_by_role("link", name="Sign in").first.click()
    expect(page.locator("#id_password")).to_be_visible()
    check(page, "sign-in")
    page.get_by_role("link", name="Create an account").click()
    expect(page.locator("#id_password1")).to_be_visible()
    check(page, "sign-up")
    page.fill("#id_username", "noor")
    page.fill("#id_email", "noor@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your workspaces")
    check(page, "workspaces")
    page.get_by_role("link", name="Start a workspace").click()
    page.fill("#id_name", "Ramsey Mobility Coalition")
    page.fill("#id_places", "Ramsey County, MN")
    check(page, "workspace-create")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ramsey Mobility Coalition")
    check(page, "workspace-home")
    page.get_by_role("link", name="Local knowledge", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local knowledge")
    check(page, "knowledge-hub")

    # --- two engagements, one with participants' demographics --------------------------
    page.get_by_role("link", name="Engagement log", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement log")
    check(page, "engagement-list-empty")
    page.get_by_role("link", name="Log an engagement").click()
    expect(page.locator("#id_title")).to_be_visible()
    check(page, "engagement-form")
    page.fill("#id_title", "Frogtown listening session")
    page.select_option("#id_kind", "listening_session")
    page.fill("#id_date", "2025-03-04")
    tick(page, "#id_languages_0")
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
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frogtown listening session")
    black = page.locator(".upward-representation-table tr", has_text="Black, non-Hispanic")
    expect(black).to_contain_text("Fewer than the residents' share")
    expect(black).to_contain_text("95% CI 0.0% to 9.2%")
    check(page, "engagement-detail")
    page.get_by_role("link", name="Who took part").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who took part, beside who lives here"
    )
    expect(page.locator("main")).to_contain_text("Fewer than the residents' share")
    check(page, "engagement-representation")

    page.get_by_role("link", name="Engagement log", exact=True).last.click()
    page.get_by_role("link", name="Log an engagement").click()
    page.fill("#id_title", "Rondo data walk")
    page.select_option("#id_kind", "data_walk")
    page.fill("#id_date", "2025-04-12")
    page.fill("#id_participants", "15")
    tick(page, "input[name=level][value=consult]")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rondo data walk")
    page.get_by_role("link", name="Engagement log", exact=True).last.click()
    expect(page.locator("main").get_by_role("link", name="Rondo data walk")).to_be_visible()
    expect(
        page.locator("main").get_by_role("link", name="Frogtown listening session")
    ).to_be_visible()
    check(page, "engagement-list")
    page.get_by_role("link", name="Summary", exact=True).click()
    expect(page.get_by_role("rowheader", name="Mar 2025")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Apr 2025")).to_be_visible()
    check(page, "engagement-summary")

    # --- a note from the data walk, five passages coded -----------------------------------
    open_section(page, "Coded findings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coded findings")
    check(page, "findings-empty")
    page.get_by_role("link", name="Add a note").click()
    expect(page.locator("#id_text")).to_be_visible()
    check(page, "note-form")
    page.fill("#id_title", "Rondo data walk notes")
    page.select_option("#id_engagement", label="Rondo data walk")
    page.fill("#id_text", NOTE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rondo data walk notes")
    check(page, "note-detail")
    form = page.locator("#excerpt-form")
    for number, (passage, codes) in enumerate(CODED, start=1):
        page.fill("#id_passage", passage)
        for code in codes:
            form.get_by_text(code, exact=True).click()
        if number == 1:
            tick(page, "#id_is_quote")
        page.get_by_role("button", name="Code this passage").click()
        expect(page.get_by_text("Coded the excerpt.")).to_be_visible()
        expect(page.locator("#note-text mark")).to_have_count(number)
    expect(page.locator(".upward-excerpt-list > li")).to_have_count(5)
    expect(page.locator("main")).to_contain_text("5 coded excerpts")
    check(page, "note-coded")

    # --- local data: one bad row refused, then the fixed file --------------------------
    open_section(page, "Local data")
    expect(page.get_by_role("heading", level=1)).to_have_text("Local data")
    check(page, "local-list-empty")
    page.get_by_role("link", name="Upload local data").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload local data")
    check(page, "local-upload")
    page.fill("#id_name", "Low birth weight, county vital records")
    page.fill("#id_description", "Births under 2,500 grams, from birth certificates.")
    page.fill("#id_unit", "share")
    page.select_option("#id_direction", "lower_better")
    page.fill("#id_source", "Ramsey County Public Health")
    tick(page, f"input[name=predictors][value={PREDICTOR}]")
    for question, answer in (("documented", 0), ("coverage", 0), ("precision", 0),
                             ("recent", 1)):  # fmt: skip
        tick(page, f"#id_{question}_{answer}")
    bad, good = tmp_path / "births-bad.csv", tmp_path / "births.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    page.set_input_files("#id_file", bad)
    page.get_by_role("button", name="Check and upload").click()
    errors = page.locator("#upload-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").nth(0)).to_have_text("4")
    expect(errors.locator("tbody tr td").nth(1)).to_have_text("value")
    expect(errors).to_contain_text("'seven' is not a number")
    check(page, "local-upload-refused")
    page.set_input_files("#id_file", good)
    page.get_by_role("button", name="Check and upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Low birth weight, county vital records"
    )
    expect(page.locator("#series-facts")).to_contain_text("Marginal")
    expect(page.locator("#local-values tbody tr")).to_have_count(3)
    check(page, "local-detail")
    assert [p.read_text(encoding="utf-8") for p in uploads.rglob("*.csv")] == [GOOD]

    # --- beside the numbers: the national metric, the local series, the findings -------
    open_section(page, "Beside the numbers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beside the numbers")
    check(page, "predictors")
    page.get_by_role("link", name="Neonatal health", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neonatal health")
    national = page.locator("section[aria-labelledby=national-h]")
    expect(national).to_contain_text("95% CI")
    local = page.locator(".upward-local-panel")
    series = local.locator("table", has_text="Low birth weight, county vital records")
    county = series.locator("tbody tr", has_text="Ramsey")
    expect(county.locator("td[data-label='Local value']")).to_contain_text("9.5%")
    expect(county.locator('td[data-label="Urban\'s value"]')).to_contain_text("(2023)")
    expect(county.locator('td[data-label="Beside Urban\'s value"]')).to_contain_text("higher")
    expect(page.get_by_role("heading", name="What people said")).to_be_visible()
    expect(page.locator("main")).to_contain_text("prenatal visits are hard to reach")
    check(page, "predictor")

    # --- a five-member council and two survey links -------------------------------------
    open_section(page, "Elected officials and representation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Elected officials")
    check(page, "roster-empty")
    for i, (name, office) in enumerate(COUNCIL):
        page.get_by_role("link", name="Add an elected official").click()
        if i == 0:
            expect(page.locator("#id_body")).to_be_visible()
            check(page, "official-form")
        page.fill("#id_name", name)
        page.fill("#id_office", office)
        page.fill("#id_body", "Saint Paul City Council")
        if i == 4:  # one identity as publicly reported
            page.select_option("#id_race", "white_nonhispanic")
            page.locator("label[for='id_identity_source_1']").click()
            page.fill("#id_identity_date", "2025-03-01")
            page.fill("#id_identity_note", "The council's web page")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".usa-alert--success")).to_contain_text(f"Added {name}")
    expect(page.get_by_role("heading", level=2, name="Saint Paul City Council")).to_be_visible()
    links = []
    for name in ("Rosa Diaz", "Tom Berg"):
        page.get_by_role("button", name=f"Make a survey link for {name}").click()
        links.append(page.get_by_label(f"Link for {name} (copy and send)").input_value())
    assert all("/p/survey/" in link for link in links), links
    check(page, "roster")

    # --- the public side: a phone, in Spanish, without JavaScript -----------------------
    public = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="es-ES")
    refused = confine_to_machine(public)
    violations = collect_csp_violations(public)
    # axe-core needs script (its timers never fire with JavaScript off), so each page the
    # phone shows is checked in a twin context with script on: the same URL, answered
    # with the very HTML the phone received, its stylesheets from the server.
    twin = browser.new_context(viewport=PHONE, locale="es-ES")
    twin_refused = confine_to_machine(twin)
    axe_page = twin.new_page()

    def check_phone(name: str) -> None:
        url, html = phone.url, phone.content()
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        axe_page.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
        axe_page.goto(url)
        axe_page.unroute(url)
        heading = phone.locator("h1").inner_text()
        expect(axe_page.locator("h1")).to_have_text(heading)  # the page the phone saw
        check(axe_page, name)

    try:
        phone = public.new_page()
        # Rosa Diaz answers in English: the page's language link works without script
        phone.goto(links[0])
        expect(phone.get_by_role("heading", level=1)).to_have_text(
            "Una pregunta sobre representación"
        )
        check_phone("survey-es")
        phone.get_by_role("link", name="English").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text(
            "A question about representation"
        )
        check_phone("survey-en")
        phone.locator("label:has-text('Hispanic or Latino, of any race')").click()
        phone.get_by_role("button", name="Send my answer").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")
        check_phone("survey-thanks-en")
        # Tom Berg answers in Spanish
        phone.goto(links[1])
        expect(phone.locator("html")).to_have_attribute("lang", "es")
        phone.locator("label:has-text('Negro o afroamericano')").click()
        phone.get_by_role("button", name="Enviar mi respuesta").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Gracias")
        check_phone("survey-thanks-es")
        phone.goto(links[1])  # a second answer by the same link is refused
        expect(phone.get_by_role("heading", level=1)).to_have_text(
            "Esta encuesta ya fue respondida"
        )
        check_phone("survey-refused-es")

        # --- the descriptive-representation metric --------------------------------------
        page.reload()
        expect(page.locator("tr:has-text('Rosa Diaz')").first).to_contain_text("Self-identified")
        page.get_by_role("link", name="Descriptive representation").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Descriptive representation")
        small_body = page.locator(".upward-step-note").first
        expect(small_body).to_contain_text("One seat on a five-seat body is 20 points")
        expect(small_body).to_contain_text("only 3 of the 5 identities are known")
        expect(page.locator("main")).to_contain_text("Lower quality: 1 of the 3 known identities")
        check(page, "representation")

        # --- a community input form, answered on the phone in Spanish ------------------
        open_section(page, "Community input")
        expect(page.get_by_role("heading", level=1)).to_have_text("Community input")
        check(page, "input-forms-empty")
        page.get_by_role("link", name="New form").click()
        expect(page.locator("#id_q1_text")).to_be_visible()
        check(page, "input-form-new")
        page.fill("#id_title", "Healthy starts in Frogtown")
        page.fill("#id_title_es", "Comienzos sanos en Frogtown")
        page.fill("#id_q1_text", "What helps families get prenatal care?")
        page.fill("#id_q1_text_es", "¿Qué ayuda a las familias a recibir atención prenatal?")
        page.select_option("#id_q1_predictor", PREDICTOR)
        page.get_by_role("button", name="Save").click()
        expect(
            page.get_by_role("link", name="Healthy starts in Frogtown", exact=True)
        ).to_be_visible()
        check(page, "input-forms")
        public_url = page.locator("a.upward-input-link").first.get_attribute("href")
        assert public_url and "/p/input/" in public_url

        phone.goto(public_url)
        expect(phone.get_by_role("heading", level=1)).to_have_text("Comienzos sanos en Frogtown")
        expect(phone.locator("html")).to_have_attribute("lang", "es")
        check_phone("public-form-es")
        phone.get_by_label("¿Qué ayuda a las familias a recibir atención prenatal?").fill(
            "La clínica con horario de noche y los vecinos que nos llevan."
        )
        phone.get_by_role("button", name="Enviar mis respuestas").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Gracias")
        check_phone("public-form-thanks-es")
        assert {c["name"] for c in public.cookies()} <= {"csrftoken"}
    finally:
        twin.close()
        public.close()
    assert not refused and not twin_refused and not violations, (refused, violations)

    # --- moderated into a finding -------------------------------------------------------
    page.reload()
    page.get_by_role("link", name="Moderation queue").click()
    expect(page.get_by_text("La clínica con horario de noche")).to_be_visible()
    check(page, "moderation")
    page.get_by_role("button", name="Make a finding").click()
    expect(page.locator(".upward-messages")).to_contain_text("Made a finding")
    open_section(page, "Coded findings")
    expect(page.locator("#notes tbody tr")).to_have_count(2)
    check(page, "findings")

    # --- the Summary of Findings, exported as PDF ---------------------------------------
    open_section(page, "Summary of findings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary of Upward Mobility Findings")
    check(page, "summary-empty")
    page.get_by_role("link", name="Choose priorities and draft the summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the summary of findings")
    # the priorities come suggested: areas to explore, and predictors with coded findings
    chosen = page.locator("select[id^=id_priority_]").evaluate_all("els => els.map(e => e.value)")
    assert PREDICTOR in chosen, chosen
    page.get_by_role("button", name="Draft empty sections").click()
    section = page.locator(f"#id_section_{PREDICTOR}")
    expect(section).to_have_value(re.compile("What people told us"))
    drafted = section.input_value()
    assert "What the local data say. Low birth weight, county vital records" in drafted
    # three passages of the note and the moderated community answer
    assert "4 coded excerpts from 2 notes speak to Neonatal health" in drafted
    check(page, "summary-edit")
    page.fill("#id_introduction", "The Ramsey coalition heard from 55 residents this spring.")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_text("Saved version 1 of the summary.")).to_be_visible()
    check(page, "summary")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name.endswith(".pdf") and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Summary of Upward Mobility Findings" in text
    assert "Neonatal health" in text
    assert "heard from 55 residents" in text
    assert "What the local data say" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(SCREENSHOTS / "knowledge-acceptance-summary-pdf")],
        check=True,
    )  # fmt: skip
