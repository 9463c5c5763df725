"""The logic-model diagram in a real browser (issue 13, item 4's drawing): one priority's
diagram page at 1280 and 375 px, axe-core clean; the SVG keeps readable text and scrolls
inside its own region (with the "scroll sideways" cue) while the page does not; the link
to the text outline lands on it. The page partial is the one the model page includes."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from upward.web.strategy.models import Element, Link, Priority, Strategy
from upward.web.workspace.models import CoalitionStructure, Membership, Stakeholder, Workspace

from .conftest import SCREENSHOTS, serve_warehouse

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed"),
]
PASSWORD = "Mobility-Coalition-2025"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def make_model() -> Priority:
    user = get_user_model().objects.create_user("maria", "maria@example.org", PASSWORD)
    ws = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=ws, user=user, role="viewer")
    CoalitionStructure.objects.create(workspace=ws)
    lead = Stakeholder.objects.create(workspace=ws, name="Ramsey County Workforce Solutions")
    priority = Priority.objects.create(
        workspace=ws, geoid="27123", predictor="opportunities_for_income", metric="employment",
        variable="share_employed", title="Employment gap between Black and white residents",
    )  # fmt: skip
    partnership = Strategy.objects.create(
        workspace=ws, name="Sector partnerships", evidence_level="strong", lead=lead
    )
    navigators = Strategy.objects.create(
        workspace=ws, name="Neighborhood job navigators", evidence_level="emerging"
    )

    def add(kind: str, title: str, **more: object) -> Element:
        return Element.objects.create(workspace=ws, priority=priority, kind=kind, title=title,
                                      **more)  # fmt: skip

    funds = add("input", "County & foundation funding")
    a = add("strategy", partnership.name, strategy=partnership)
    b = add("strategy", navigators.name, strategy=navigators)
    train = add("activity", "Train 200 residents a year with employers")
    certs = add("output", "200 industry-recognized certificates")
    hire = add("short", "Employers hire from the training", condition="practices")
    policy = add("medium", "Hiring policies drop degree requirements", condition="policies")
    flows = add("long", "Wages rise in the neighborhoods", condition="resource_flows")
    result = add("result", "Share employed, by race and ethnicity")
    for s, t in ((funds, a), (funds, b), (a, train), (b, train), (train, certs), (certs, hire),
                 (hire, policy), (policy, flows), (flows, result)):  # fmt: skip
        Link.objects.create(workspace=ws, source=s, target=t, rationale="Because it follows",
                            assumption="Employers stay at the table")  # fmt: skip
    return priority


def test_diagram_page_at_both_widths(
    site: str, page: Page, assert_accessible: Callable[..., None], screenshot: Callable[..., list]
) -> None:
    priority = make_model()
    url = f"/w/ramsey/plan/priorities/{priority.pk}/model/diagram/"
    page.goto(site + "/accounts/login/?next=" + url)
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{url}")
    # diagram.css (linked in the page's body) keeps the SVG at its natural size: until it
    # has loaded, the site's `svg { max-width: 100% }` shrinks the drawing to fit
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Logic model")
    image = page.get_by_role("img", name="Logic model: Employment gap between Black and white")
    expect(image).to_be_visible()
    region = page.get_by_role("region", name="Logic-model diagram of Employment gap")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        # The drawing is about 2,000 px wide at its natural size (eight columns of readable
        # text), wider than the region at both widths: the region scrolls, not the page.
        # Wait for the layout at this width rather than a fixed time.
        page.wait_for_function(
            "() => { const r = document.querySelector('.upward-diagram__scroll');"
            f" return r.clientWidth < {width} && r.scrollWidth > r.clientWidth + 8; }}"
        )
        assert_accessible(page, context=f"diagram page at {width} px")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert region.evaluate("r => r.scrollWidth > r.clientWidth + 8")  # region scrolls
        natural = image.evaluate("svg => svg.getBoundingClientRect().width")
        assert natural > 1280, natural  # not shrunk to the region's width
        expect(page.locator(".upward-scroll-hint")).to_be_visible()
        size = image.evaluate(
            "svg => Math.min(...[...svg.querySelectorAll('text')]"
            ".map(t => t.getBoundingClientRect().height))"
        )
        assert size >= 12, size  # px on screen: the drawing is not shrunk to fit
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Read the model as a text outline").click()
    expect(page.locator("#outline")).to_be_in_viewport()
    expect(page.locator("#outline")).to_contain_text("Leads to Hiring policies drop degree")
    for path in screenshot(page, "strategy-diagram"):
        DOCS.mkdir(exist_ok=True)
        shutil.copy(path, DOCS / path.name)
    assert (SCREENSHOTS / "strategy-diagram-375.png").exists()
