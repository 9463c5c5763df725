"""Issue 13's walk, as a new coalition member would take it in a real browser: from Ramsey
County's insights add three priorities (one a gap between groups), adopt a vision after
one comment round, write a theory of change, build a logic model with four strategies (one
adopted from the starter library, one with emerging evidence), see and fix two consistency
findings, get the model approved, change one element and see "changed since approval",
and download the diagram as PDF and Word. axe-core checks every page it opens; the
diagram has its text alternative. The downloads are read back (the PDF's text and pages
as PNG, the Word file's picture and outline) and kept in test-output/ to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from upward.web.strategy.library import sync_starter_library
from upward.web.strategy.models import Element, Priority, Strategy
from upward.web.workspace.models import CoalitionStructure, Membership, Stakeholder, Workspace

from .conftest import serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
OUT = Path(__file__).resolve().parents[2] / "test-output" / "strategy-acceptance"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def saved(page: Page, words: str) -> None:
    expect(page.locator(".usa-alert--success").first).to_contain_text(words)


def test_from_insights_to_an_approved_model_and_its_documents(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    sync_starter_library()  # the transactional test's database starts empty
    user = get_user_model().objects.create_user("nadia", "nadia@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    Stakeholder.objects.create(
        workspace=workspace, name="Ramsey Workforce Board", sector="workforce"
    )
    Stakeholder.objects.create(
        workspace=workspace, name="Family Child Care Network", sector="early_k12"
    )
    checked: set[str] = set()

    def look(name: str) -> None:
        """axe-core on this page, once per page, at both widths; no sideways scrolling."""
        if name in checked:
            return
        checked.add(name)
        both_widths(page, name)

    page.goto(site + "/accounts/login/?next=/county/27123/insights/")
    page.fill("#id_username", "nadia")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # 1. three priorities from the insights, the first a gap between groups
    gap = page.locator("#gaps a:has-text('Make this a priority')").first.get_attribute("href")
    others = [
        a.get_attribute("href")
        for a in page.locator(".upward-insight a:has-text('Make this a priority')").all()
    ]
    look("insights")
    for href in [gap, *[h for h in others if h != gap]]:
        if Priority.objects.filter(workspace=workspace).count() == 3:
            break
        page.goto(site + str(href))
        look("confirm a priority")
        button = page.get_by_role("button", name="Add this priority")
        if button.count() == 0:  # the same measure again: refused as a duplicate
            continue
        button.click()
        saved(page, "Added the priority")
    priorities = list(Priority.objects.filter(workspace=workspace).order_by("rank", "pk"))
    assert len(priorities) == 3 and priorities[0].versus, "three priorities, the first a gap"
    look("a priority")
    first = priorities[0]

    # 2. the vision: a draft, one comment round, adopted
    page.goto(site + "/w/ramsey/plan/vision/")
    look("vision, empty")
    page.get_by_role("link", name="Write the first draft").click()
    page.fill("#id_text", "Every family in Ramsey County can build a good life and shape it.")
    page.get_by_role("button", name="Save as version 1").click()
    saved(page, "Saved version 1")
    page.get_by_text("Send out for review").first.click()
    page.get_by_role("button", name="Send out for review").click()
    page.fill("#comment-text-v1", "Name the neighborhoods we heard from.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".upward-comments")).to_contain_text("Name the neighborhoods")
    page.get_by_role("link", name="Adopt version 1…").click()
    look("adopt the vision")
    page.get_by_role("button", name="Adopt version 1").click()
    expect(page.locator(".upward-vision-status")).to_contain_text("Adopted: version 1")
    look("vision, adopted")

    # 3. a theory of change for the first priority
    page.goto(site + "/w/ramsey/plan/theories/new/")
    page.fill("#id_if_we", "train residents with the employers who hire")
    page.fill("#id_then", "more residents of every group are employed")
    page.fill("#id_because", "employers hire those they helped to train")
    page.locator(f"label:has-text('{first.title}')").click()
    look("theory form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".upward-theory__statement")).to_contain_text("If we train residents")
    look("theories")

    # 4. four strategies: one adopted from the starter library, one with emerging evidence
    page.goto(site + "/w/ramsey/plan/library/?pillar=work")
    look("shared library")
    card = page.locator(".usa-card", has_text="Sector-based workforce training")
    card.get_by_role("button", name="Adopt").click()
    saved(page, "Adopted")
    page.select_option("#id_lead", label="Ramsey Workforce Board")
    page.get_by_role("button", name="Save").click()
    for name, level, lead in (
        ("Family child care near training sites", "emerging", ""),
        ("Employer hiring pledge", "moderate", "Ramsey Workforce Board"),
        ("Transit passes for trainees", "moderate", "Ramsey Workforce Board"),
    ):
        page.goto(site + "/w/ramsey/plan/strategies/new/")
        page.fill("#id_name", name)
        page.select_option("#id_evidence_level", level)
        if lead:
            page.select_option("#id_lead", label=lead)
        page.get_by_role("button", name="Save").click()
        saved(page, f"Added {name}")
    look("strategies")
    assert Strategy.objects.filter(workspace=workspace).count() == 4

    # 5. the model of the first priority: the four strategies, an outcome, links
    model_url = f"{site}/w/ramsey/plan/priorities/{first.pk}/model/"
    page.goto(model_url)
    look("empty model")
    for strategy in Strategy.objects.filter(workspace=workspace).order_by("name"):
        page.get_by_role("link", name="Add to strategies").click()
        page.select_option("#id_strategy", label=strategy.name)
        page.get_by_role("button", name="Save").click()
        saved(page, f"Added {strategy.name}")
    page.get_by_role("link", name="Add to short-term outcomes").click()
    page.fill("#id_title", "Employers hire trainees from the neighborhood")
    page.select_option("#id_condition", label="Practices")
    look("element form")
    page.get_by_role("button", name="Save").click()
    outcome = "Employers hire trainees from the neighborhood (Short-term outcomes)"

    def link(source: str, target: str | None = None) -> None:
        page.goto(model_url)
        page.get_by_role("link", name="Add a link").first.click()
        page.select_option("#id_source", label=source)
        if target is None:  # the population-level result, the last choice
            page.select_option("#id_target", index=page.locator("#id_target option").count() - 1)
        else:
            page.select_option("#id_target", label=target)
        page.fill("#id_rationale", "Training shaped by employers leads to hiring.")
        page.get_by_role("button", name="Save").click()

    for name in ("Sector-based workforce training with employers", "Employer hiring pledge",
                 "Transit passes for trainees"):  # fmt: skip
        link(f"{name} (Strategies)", outcome)
    link(outcome)
    look("link form")
    page.goto(model_url)
    look("model")
    # the diagram itself (the page's icons are images too): drawn, not a problem notice
    expect(page.locator(".upward-diagram .usa-alert")).to_have_count(0)
    expect(page.locator(".upward-diagram__figure svg[role='img']")).to_have_count(1)
    expect(page.locator("#model-outline")).to_contain_text("Employers hire trainees")

    # 6. two consistency findings, seen and fixed
    page.goto(site + "/w/ramsey/plan/model/checks/")
    main = page.locator("main")
    care = "Family child care near training sites"
    expect(main).to_contain_text(f"The strategy “{care}” leads to no outcome.")
    expect(main).to_contain_text(f"The strategy “{care}” names no lead")
    look("checks")
    link(f"{care} (Strategies)", outcome)
    page.goto(site + "/w/ramsey/plan/strategies/")
    page.get_by_role("link", name=care, exact=True).click()
    page.select_option("#id_lead", label="Family Child Care Network")
    page.get_by_role("button", name="Save").click()
    page.goto(site + "/w/ramsey/plan/model/checks/")
    expect(main).not_to_contain_text(f"“{care}” leads to no outcome")
    expect(main).not_to_contain_text(f"“{care}” names no lead")

    # 7. review and approval; then one change is marked
    page.goto(site + "/w/ramsey/plan/model/")
    page.get_by_role("button", name="Send out for review").click()
    page.get_by_role("button", name="Approve the model as it is now").click()
    saved(page, "Approved the logic model")
    look("model overview")
    changed = Element.objects.get(workspace=workspace, kind="short")
    page.goto(f"{site}/w/ramsey/plan/elements/{changed.pk}/")
    look("element page")
    page.fill("#id_title", "Employers hire and promote trainees from the neighborhood")
    page.get_by_role("button", name="Save").click()
    expect(main).to_contain_text("Changed since approval.")
    page.goto(site + "/w/ramsey/plan/model/")
    expect(main).to_contain_text("changed since approval", ignore_case=True)

    # 8. the diagram as PDF and Word, read back
    page.goto(site + f"/w/ramsey/plan/priorities/{first.pk}/model/diagram/")
    look("diagram page")
    svg = page.locator(".upward-diagram__figure svg[role='img']")
    expect(svg).to_have_attribute("aria-labelledby", re.compile(r"-title .*-desc$"))
    expect(page.get_by_role("link", name="Read the model as a text outline")).to_be_visible()
    OUT.mkdir(parents=True, exist_ok=True)
    files = {}
    for fmt, label in (("pdf", "PDF"), ("docx", "Word")):
        with page.expect_download() as download:
            page.locator(".upward-diagram__downloads a", has_text=label).first.click()
        files[fmt] = OUT / f"model.{fmt}"
        download.value.save_as(files[fmt])
    text = subprocess.run(
        ["pdftotext", str(files["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Employers hire and promote trainees" in text and "Sector-based workforce" in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(files["pdf"]), str(OUT / "model")],
                       check=True)  # fmt: skip
    import docx  # python-docx

    document = docx.Document(str(files["docx"]))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "Employers hire and promote trainees" in words
    assert document.inline_shapes, "the Word file holds the diagram's picture"
