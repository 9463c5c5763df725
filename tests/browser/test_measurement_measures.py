"""The measurement plan in a real browser, as a new member uses it: from the plan, add a
measure for the logic model's result, pin its baseline from the loaded release (value,
year, 95% CI, quality, release), set a target inside the noise and see the warning.
axe-core checks every page at 1280 and 375 px, with no sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from upward.web.measurement.models import Baseline, Measure, Target
from upward.web.strategy.models import Element, Priority
from upward.web.workspace.models import CoalitionStructure, Membership, Workspace

from .conftest import serve_warehouse

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def ramsey_result(role: str = "owner") -> Element:
    """A Ramsey County workspace whose member amina has ``role``, with one priority (the
    20th income percentile) and its logic model's result, which is returned."""
    user = get_user_model().objects.create_user("amina", password=PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=workspace, user=user, role=role)
    CoalitionStructure.objects.create(workspace=workspace)
    priority = Priority.objects.create(
        workspace=workspace, geoid="27123", predictor="opportunities_for_income",
        metric="income", variable="pctl_income_20", title="Income, Ramsey County", rank=1,
    )  # fmt: skip
    return Element.objects.create(workspace=workspace, priority=priority, kind="result",
                                  title="Income of the 20th percentile")  # fmt: skip


def test_add_a_measure_pin_its_baseline_and_set_a_target_inside_the_noise(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    ramsey_result()
    page.goto(site + "/accounts/login/?next=/w/ramsey/measure/plan/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measurement plan")
    expect(page.locator("main")).to_contain_text("1 element still without a measure")
    both_widths(page, "measurement plan", shots=DOCS / "measurement-plan")

    page.get_by_role("link", name="Add a measure for Income of the 20th percentile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a measure")
    # without script every section shows, each labelled with its kind
    for legend in ("For a population indicator", "For a performance measure",
                   "For a systems-change measure"):  # fmt: skip
        expect(page.get_by_text(legend, exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="Population indicator")).to_be_checked()
    both_widths(page, "measure form")
    page.get_by_label("Data source").fill("Urban Institute, Mobility Metrics")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Baseline of")
    expect(page.locator("main")).to_contain_text("$27,250")  # what the pin would record
    both_widths(page, "baseline page")
    page.get_by_role("button", name="Pin the baseline").click()
    facts = page.locator("#baseline")
    expect(facts).to_contain_text("2023")
    expect(facts).to_contain_text("95% CI")
    expect(facts).to_contain_text("Strong")
    assert Baseline.objects.get().value == 27250.5

    page.get_by_role("link", name="Target").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Target of")
    expect(page.locator("#mdc")).to_contain_text("$2,475")
    both_widths(page, "target page")
    page.locator("label[for=id_method_4]").click()
    page.get_by_label("Target value (for a value the coalition chooses)").fill("28000")
    page.get_by_role("button", name="Save the target").click()
    warning = page.locator("#inside-noise")
    expect(warning).to_contain_text("This target lies inside the noise")
    expect(warning).to_contain_text("An owner must confirm it")
    both_widths(page, "target inside the noise", shots=DOCS / "measurement-target-noise")
    assert Target.objects.get().inside_noise

    page.goto(site + "/w/ramsey/measure/plan/")
    expect(page.locator("main")).to_contain_text("inside the noise")
    expect(page.locator("main")).to_contain_text("every element has a measure")


def test_pin_a_baseline_for_a_chosen_year(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    """The baseline page lists the years the release publishes (the fixture's Ramsey County
    20th percentile: 2014, 2021, 2023); a year it does not publish is refused on the field,
    naming them; a year it does is pinned with that year's value and CI."""
    result = ramsey_result()
    measure = Measure.objects.create(
        workspace=result.workspace, element=result, kind="population", title="Income, 20th",
        geoid="27123", variable="pctl_income_20",
    )  # fmt: skip
    page.goto(site + f"/accounts/login/?next=/w/ramsey/measure/measures/{measure.pk}/baseline/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("main")).to_contain_text(
        "the years it publishes for this measure: 2014, 2021, 2023"
    )
    page.get_by_label("Year").fill("2019")
    page.get_by_role("button", name="Pin the baseline").click()
    expect(page.locator("#id_year_error")).to_contain_text("in 2014, 2021, 2023; not in 2019")
    assert not Baseline.objects.exists()
    both_widths(page, "a year not published", shots=DOCS / "measurement-baseline-year")
    page.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Pin the baseline").click()
    facts = page.locator("#baseline")
    expect(facts).to_contain_text("2021")
    expect(facts).to_contain_text("$25,100")
    assert Baseline.objects.get().year == 2021
