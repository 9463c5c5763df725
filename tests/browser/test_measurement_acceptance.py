"""Issue 14's walk, as a new coalition member takes it in a real browser, on Urban's real
releases: sign up, start a Ramsey County workspace while release 2023.01 is current, add
three priorities and the minimum logic model (a strategy in each priority's model, which
adds its population-level result), add a population measure for each result and pin its
baseline from release 2023.01, set three targets (one inside the noise, which the page
flags), add actions with owners (a member and a stakeholder), read the draft Mobility
Action Plan and download it as PDF and Word, publish version 1 (refused until each open
problem is confirmed) and open the public page /p/<slug>/ as a visitor. Then the
operator makes release 2025.01 current (``upward data use``, the command line) and the
member reads each indicator's progress status and the one baseline 2025.01 revised
(Ramsey County's 2021 high-school share, 87.8% in 2023.01, 92.0% in 2025.01: ``upward
data diff 2023.01 2025.01 --place 27123``); the public page now compares the published
baselines with 2025.01; the published plan's PDF and Word files are read back; the
revised baseline is re-based with the decision recorded.

axe-core checks every distinct page of the measurement and strategy sections and the
public page once, at 1280 and at 375 px (no sideways scrolling either); the account and
workspace pages on the way are checked by tests/browser/test_knowledge_acceptance.py.
The PDFs become PNG pages in test-output/measurement-acceptance/ to look at. The
releases are the run's shared ``full_releases`` files (built once per run, with
tests/test_releases_full.py), linked into this test's own warehouse folder; without
Urban's files the test is skipped. Screenshots of the key steps go to
docs/screenshots/measurement-acceptance-*.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import docx  # python-docx
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from typer.testing import CliRunner

from upward.cli import app
from upward.data.registry import Registry
from upward.web.measurement.models import Action, Baseline, Measure, Target
from upward.web.strategy.models import Element, Priority

from .conftest import (
    DESKTOP_VIEWPORT,
    collect_csp_violations,
    confine_to_machine,
    serve_warehouse,
)

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SHOTS = DOCS / "measurement-acceptance"
RAMSEY = "27123"
# The three indicators, read from both releases first (see the module's docstring):
# variable, 2023.01's latest year (the baseline), what its page says, the target to set.
HS = "share_hs_degree"  # 2021: 87.8% [82.4%, 93.2%] in 2023.01, revised to 92.0% in 2025.01
BIRTH = "rate_low_birth_weight"  # 2020: 8.4% [7.8%, 9.1%], unchanged; 8.6% in 2023
GAP = "gap"  # low birth weight, Black minus White non-Hispanic: 4.9 points in 2020, unchanged
INDICATORS = (HS, BIRTH, GAP)
SECTIONS = (
    "1. The coalition's work",
    "2. Local mobility conditions",
    "3. Vision, theory of change, logic model and strategies",
    "4. The measurement plan",
    "5. Sustainability and learning",
    "6. Partners and signatories",
    "Glossary",
)
DRAFT_NUMBERS = ("87.8%", "95% CI 82.4%–93.2%", "8.4%", "95% CI 7.8%–9.1%", "+4.9 points",
                 "2023.01")  # fmt: skip
"""The baselines as the plan states them: value, 95% CI, release."""
PUBLISHED_NUMBERS = ("87.8%", "8.4%", "+4.9 points", "2023.01", "Known problems in this plan")
"""The general edition of version 1, as the public page offers it."""
OUT = Path(__file__).resolve().parents[2] / "test-output" / "measurement-acceptance"
QUERIES = {
    HS: f"variable={HS}",
    BIRTH: f"variable={BIRTH}",
    GAP: f"variable={BIRTH}&breakdown=race-ethnicity&subgroup=Black%2C+Non-Hispanic"
    "&versus=White%2C+Non-Hispanic",
}


@pytest.fixture
def warehouse(full_releases: Registry, tmp_path: Path) -> Path:
    """This test's warehouse: Urban's two releases, 2023.01 current, as an operator has
    it after ``upward data load ../shared/mobility-data-2023 --release 2023.01`` and
    ``upward data load ../shared/mobility-data --release 2025.01 --keep-current``. The
    release files are the run's (hard links, else symbolic links): nothing is rebuilt."""
    path = tmp_path / "home" / "warehouse.duckdb"
    folder = path.parent / "releases"
    folder.mkdir(parents=True)
    for entry in full_releases.releases():
        source = full_releases.folder / entry.file
        try:
            os.link(source, folder / entry.file)
        except OSError:
            (folder / entry.file).symlink_to(source)
    shutil.copy(full_releases.file, folder / "registry.json")
    Registry(path).use("2023.01")
    return path


@pytest.fixture
def site(live_server: object, warehouse: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, warehouse)


def read_back(pdf: Path, docx_file: Path, stem: str, numbers: tuple[str, ...]) -> None:
    """The plan's PDF holds its sections and numbers (pdftotext) and becomes PNG pages in
    test-output/ to look at (pdftoppm); its Word file has the same sections as headings."""
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())  # without spaces: a table cell wraps anywhere
    for words in (*SECTIONS, *numbers, "95% CI", "Target inside the noise"):
        assert "".join(words.split()) in flat, f"{words!r} is not in {pdf.name}"
    assert len(PdfReader(pdf).pages) >= 2
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(OUT / stem)], check=True)
    document = docx.Document(str(docx_file))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for section in SECTIONS:
        assert section in headings, f"{section!r} is not a heading of {docx_file.name}"
    words = " ".join(p.text for p in document.paragraphs) + " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for number in numbers:
        assert number in words, f"{number!r} is not in {docx_file.name}"


def key(record: Priority | Measure | Baseline) -> str:
    """Which of the three indicators a priority, measure or baseline is."""
    return GAP if record.versus else record.variable


def saved(page: Page, words: str) -> None:
    expect(page.locator(".usa-alert--success").first).to_contain_text(words)


def test_a_plan_measured_on_one_release_and_followed_on_the_next(
    site: str, page: Page, browser: Browser, warehouse: Path, both_widths: Callable[..., None]
) -> None:
    checked: set[str] = set()
    OUT.mkdir(parents=True, exist_ok=True)

    def look(name: str, shot: str | None = None) -> None:
        """axe-core and no sideways scrolling at 1280 and 375 px, once per distinct page;
        ``shot``: also photograph it as docs/screenshots/measurement-acceptance-SHOT-*.png."""
        assert name not in checked, f"{name} checked twice"
        checked.add(name)
        both_widths(page, name, shots=SHOTS.with_name(f"{SHOTS.name}-{shot}") if shot else None)

    def heading(text: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(text)

    # 1. a new user: an account and a Ramsey County workspace ---------------------------
    page.goto(site + "/accounts/signup/")
    page.fill("#id_username", "amina")
    page.fill("#id_email", "amina@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    heading("Your workspaces")
    page.get_by_role("link", name="Start a workspace").click()
    page.fill("#id_name", "Ramsey Mobility Coalition")
    page.fill("#id_places", "Ramsey County, MN")
    page.get_by_role("button", name="Create workspace").click()
    heading("Ramsey Mobility Coalition")
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    w = f"{site}/w/{slug}"

    # a stakeholder who will own an action
    page.goto(w + "/stakeholders/new/")
    page.fill("#id_name", "Ramsey County Public Health")
    page.select_option("#id_sector", "government")
    page.get_by_role("button", name="Save").click()
    saved(page, "Ramsey County Public Health")

    # 2. three priorities (the "Make this a priority" links of the data pages go here) --
    for variable in INDICATORS:
        page.goto(f"{w}/plan/priorities/new/?place={RAMSEY}&{QUERIES[variable]}")
        if variable == GAP:
            look("confirm a priority")
        page.get_by_role("button", name="Add this priority").click()
        saved(page, "Added the priority")
    priorities = {key(p): p for p in Priority.objects.filter(workspace__slug=slug)}
    assert set(priorities) == set(INDICATORS)

    # 3. the minimum logic model: one strategy, in each priority's model ----------------
    page.goto(w + "/plan/strategies/new/")
    page.fill("#id_name", "Community health workers in every clinic")
    page.select_option("#id_evidence_level", "moderate")
    look("strategy form")
    page.get_by_role("button", name="Save").click()
    saved(page, "Added Community health workers")
    for variable in INDICATORS:
        page.goto(f"{w}/plan/priorities/{priorities[variable].pk}/model/")
        if variable == HS:
            look("a priority's logic model, empty")
        page.get_by_role("link", name="Add to strategies").click()
        page.select_option("#id_strategy", label="Community health workers in every clinic")
        if variable == HS:
            look("element form")
        page.get_by_role("button", name="Save").click()
        saved(page, "Added Community health workers")
    assert Element.objects.filter(workspace__slug=slug, kind="result").count() == 3

    # 4. a measure for each result, its baseline pinned from release 2023.01 ------------
    page.goto(w + "/measure/plan/")
    heading("Measurement plan")
    expect(page.locator("main")).to_contain_text("6 elements still without a measure")
    look("measurement plan, empty")
    for variable in INDICATORS:
        result = Element.objects.get(priority=priorities[variable], kind="result")
        page.goto(w + "/measure/plan/")
        page.get_by_role("link", name=f"Add a measure for {result.title}").click()
        heading("Add a measure")
        if variable == HS:
            look("measure form")
        page.get_by_label("Data source").fill("Urban Institute, Mobility Metrics")
        page.select_option("#id_responsible_member", label="amina")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Baseline of")
        expect(page.locator("#id_release")).to_have_value("2023.01")
        if variable == HS:
            expect(page.locator("main")).to_contain_text("87.8%")  # what the pin records
            expect(page.locator("main")).to_contain_text(  # in words, not codes
                "Share of people ages 19 and 20 with a high school degree; Ramsey County, MN"
            )
            look("baseline page")
        page.get_by_role("button", name="Pin the baseline").click()
        saved(page, "release 2023.01")
    baselines = {key(b): b for b in Baseline.objects.filter(workspace__slug=slug)}
    assert {v: (b.release, b.year) for v, b in baselines.items()} == {
        HS: ("2023.01", 2021),
        BIRTH: ("2023.01", 2020),
        GAP: ("2023.01", 2020),
    }
    assert all(b.release_checksum for b in baselines.values())
    facts = page.locator("#baseline")
    expect(facts).to_contain_text("95% CI")
    look("a pinned baseline", "baseline")

    # 5. three targets: the smallest detectable change, 3/4 of a gap, one inside the noise
    measures = {key(m): m for m in Measure.objects.filter(workspace__slug=slug)}

    def target(variable: str, method: str, **fields: str) -> None:
        page.goto(f"{w}/measure/measures/{measures[variable].pk}/target/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Target of")
        expect(page.locator("#mdc")).to_contain_text("cannot be told apart from noise")
        page.get_by_text(method, exact=True).click()  # USWDS radios: by their label
        expect(page.get_by_role("radio", name=method)).to_be_checked()
        for label, value in fields.items():
            page.get_by_label(label).fill(value)
        page.get_by_role("button", name="Save the target").click()

    target(HS, "The smallest detectable change")
    saved(page, "Saved the target")
    look("target page")
    target(GAP, "Closing a gap between groups by a share",
           **{"Share of the gap to close, in percent (for closing a gap)": "75"})  # fmt: skip
    saved(page, "Saved the target")
    target(BIRTH, "A value the coalition chooses",
           **{"Target value (for a value the coalition chooses)": "0.082"})  # fmt: skip
    warning = page.locator("#inside-noise")
    expect(warning).to_contain_text("This target lies inside the noise")
    expect(warning).to_contain_text("An owner must confirm it")
    look("a target inside the noise", "target-noise")
    targets = {key(t.measure): t for t in Target.objects.select_related("measure")}
    assert [v for v, t in targets.items() if t.inside_noise] == [BIRTH]

    page.goto(w + "/measure/plan/")
    main = page.locator("main")
    expect(main).to_contain_text("inside the noise")
    expect(main).to_contain_text("3 elements still without a measure")  # the strategies
    look("measurement plan", "plan")

    # 6. actions with owners under the strategy ----------------------------------------
    start = timezone.localdate()
    for title, owner, days in (
        ("Hire two community health workers", "amina", 90),
        ("Train clinic staff in referrals", "Ramsey County Public Health", 120),
    ):
        page.goto(w + "/measure/actions/new/")
        page.select_option("#id_strategy", label="Community health workers in every clinic")
        page.fill("#id_title", title)
        page.select_option("#id_owner", label=owner)
        page.fill("#id_start_date", start.isoformat())
        page.fill("#id_due_date", (start + timedelta(days=days)).isoformat())
        page.select_option("#id_status", label="In progress")
        if owner != "amina":
            look("action form")
        page.get_by_role("button", name="Save").click()
        saved(page, title)
    page.goto(w + "/measure/actions/")
    heading("Actions and milestones")
    expect(page.locator("#actions tbody tr")).to_have_count(2)
    expect(page.locator("#actions")).to_contain_text("Ramsey County Public Health")
    look("actions", "actions")
    assert Action.objects.count() == 2

    # 7. the Mobility Action Plan: the draft, then its PDF and Word files, read back ----
    page.goto(w + "/measure/map/")
    heading("Mobility Action Plan (draft)")
    preview = page.locator(".upward-map-preview")
    expect(preview).to_contain_text("4. The measurement plan")
    expect(preview).to_contain_text("Target inside the noise")
    look("the plan document", "map")
    files = {}
    for fmt, label in (("pdf", "PDF"), ("docx", "Word")):
        with page.expect_download() as download:
            page.get_by_role("link", name=f"Technical edition, {label}", exact=True).click()
        files[fmt] = OUT / f"draft.{fmt}"
        download.value.save_as(files[fmt])
    read_back(files["pdf"], files["docx"], "draft", DRAFT_NUMBERS)
    text = "".join(subprocess.run(["pdftotext", str(files["pdf"]), "-"], capture_output=True,
                                  text=True, check=True).stdout.split())  # fmt: skip
    conditions = text[text.index("2.Localmobility") : text.index("3.Vision")]
    # the gap priority is stated as the gap, not as the value for everyone
    assert conditions.count("8.4%") == 1, conditions
    assert "Black,Non-HispanicminusWhite,Non-Hispanic:+4.9" in conditions, conditions

    # 8. publishing: each open problem confirmed, version 1 frozen, the public page on --
    page.get_by_role("link", name="Measurement and plan", exact=True).first.click()
    look("measurement and plan")
    page.get_by_role("link", name="Publish the plan").click()
    heading("Published versions of the plan")
    look("published versions, none yet")
    page.get_by_role("link", name="Publish a new version").click()
    heading("Publish the Mobility Action Plan")
    problems = page.locator("#problems .usa-checkbox")
    expect(problems).to_have_count(4)  # the three strategies without a measure, the noise
    expect(page.locator("#problems")).to_contain_text("the target lies inside the noise")
    look("publish", "publish")
    page.get_by_role("button", name="Publish version 1").click()  # nothing confirmed yet
    expect(page.locator("#publish-errors")).to_contain_text("Nothing was published")
    for label in problems.locator("label").all():
        label.click()
    page.get_by_role("button", name="Publish version 1").click()
    saved(page, "Version 1 of the plan is published.")
    look("a published version")
    public = browser.new_context(viewport=DESKTOP_VIEWPORT, locale="en-US")
    refused, violations = confine_to_machine(public), collect_csp_violations(public)
    visitor = public.new_page()
    visitor.goto(f"{site}/p/{slug}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Our progress")
    expect(visitor.locator("main")).to_contain_text("latest values from release 2023.01")
    expect(visitor.locator("#open-problems li")).to_have_count(4)

    # 9. the operator makes release 2025.01 current -----------------------------------
    switched = CliRunner().invoke(app, ["data", "use", "2025.01", "--warehouse", str(warehouse)])
    assert switched.exit_code == 0, switched.output
    assert "Release 2025.01" in switched.output and "is now current" in switched.output
    assert f"{slug}: refreshed 3 indicator(s)" in switched.output  # progress, refreshed

    page.goto(w + "/measure/progress/")
    heading("Progress on a release")
    expect(page.locator("#id_release")).to_have_value("2025.01")
    refreshed = page.locator(".upward-refresh")
    expect(refreshed).to_contain_text("Progress last refreshed for release 2025.01")
    expect(refreshed).to_contain_text("1 newly revised baseline")
    rows = {v: page.locator(f"#progress-{measures[v].pk}") for v in INDICATORS}
    expect(rows[HS]).to_contain_text("Now published as")
    expect(rows[HS]).to_contain_text("92.0%")
    expect(rows[BIRTH]).to_contain_text("Little or no detectable change")
    expect(rows[GAP]).to_contain_text("Little or no detectable change")
    for row in rows.values():
        expect(row).to_contain_text("release 2023.01")
        expect(row).to_contain_text("release 2025.01")
        expect(row).to_contain_text("95% CI")
    look("progress on release 2025.01", "progress")

    # the public page follows the new release: the published baselines, 2025.01's values
    visitor.goto(f"{site}/p/{slug}/")
    expect(visitor.locator("main")).to_contain_text("latest values from release 2025.01")
    shown = {v: visitor.locator(f"#progress-{measures[v].pk}") for v in INDICATORS}
    expect(shown[HS].locator(".upward-status")).to_contain_text("revised", ignore_case=True)
    for v in (BIRTH, GAP):
        expect(shown[v].locator(".upward-status")).to_contain_text("Little or no detectable change")
    for row in shown.values():
        expect(row).to_contain_text("2023.01")
        expect(row).to_contain_text("2025.01")
    both_widths(visitor, "public progress page", shots=SHOTS.with_name(f"{SHOTS.name}-public"))
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Download it as PDF").click()
    download.value.save_as(OUT / "published.pdf")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Download it as Word (DOCX)").click()
    download.value.save_as(OUT / "published.docx")
    read_back(OUT / "published.pdf", OUT / "published.docx", "published", PUBLISHED_NUMBERS)
    public.close()
    assert not refused and not violations, (refused, violations)

    # the revised baseline, flagged on the plan, re-based with the decision recorded
    page.goto(w + "/measure/plan/")
    revised = page.locator(f"#measure-{measures[HS].pk}")
    expect(revised).to_contain_text("Baseline revised:")
    expect(page.locator("main").get_by_text("Baseline revised:")).to_have_count(1)
    revised.get_by_role("link", name="Keep or re-base").click()
    expect(page.locator("main")).to_contain_text("Baseline revised")
    look("keep or re-base", "revision")
    page.get_by_text("Re-base on the later release", exact=True).click()
    page.fill("#id_note", "Urban re-estimated 2021 with the 2025 data round.")
    page.get_by_role("button", name="Record the decision").click()
    saved(page, "Recorded: re-base")
    rebased = Baseline.objects.get(measure=measures[HS])
    assert (rebased.release, rebased.year, round(rebased.value, 3)) == ("2025.01", 2021, 0.920)
    assert rebased.decisions.get().pinned["release"] == "2023.01"
    page.goto(w + "/measure/progress/")
    expect(rows[HS]).not_to_contain_text("Now published as")
    expect(page.locator("main")).not_to_contain_text("Baseline revised")
