"""The technical-assistance console in a real browser: an adviser opens the console of a
network with two teams in two tracks (one shares its stage and public progress, the other
nothing), filters by track, expands a team's stage evidence, opens the team's shared view
and a record it shared; an unshared record is 404. A team member opening the network sees
their own team instead. axe-core at 1280 and 375 px, no sideways scrolling; screenshots in
test-output/screenshots/networks-console-*."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from network_support import make_network, make_team
from playwright.sync_api import Page, expect
from test_networks_peers import income_indicator
from workspace_support import add_member, make_user, make_workspace, publish_plan

from upward.planning import network as vocab
from upward.web.knowledge.models import Engagement
from upward.web.networks.models import SharedRecord, Staff
from upward.web.strategy.models import Priority
from upward.web.workspace.models import Stakeholder

from .conftest import SCREENSHOTS, serve_warehouse, sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def test_an_adviser_reads_the_console_and_a_team_its_own_view(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    from django.utils import timezone

    operator = make_user("opal")
    network = make_network(
        "maln", "Mobility Action Learning Network", operator, ["Using Data", "Coalitions"]
    )
    data, coalitions = network.tracks.all()
    adviser = make_user("ada")
    Staff.objects.create(network=network, user=adviser, role=vocab.ADVISER)
    owner = make_user("olivia")
    workspace = make_workspace(owner, "Ramsey Mobility Coalition", "ramsey")
    add_member(workspace, make_user("vera"), "viewer")
    Stakeholder.objects.create(workspace=workspace, name="Saint Paul Public Schools",
                               sector="early_k12")  # fmt: skip
    Engagement.objects.create(workspace=workspace, title="Data walk", kind="data_walk",
                              date=timezone.now().date(), level="consult")  # fmt: skip
    priority = Priority.objects.create(
        workspace=workspace, geoid="27123", predictor="opportunities_for_income",
        metric="income", variable="pctl_income_20", title="Incomes in Ramsey", rank=1,
        rationale="Incomes at the 20th percentile lag the state's.",
    )  # fmt: skip
    measure = income_indicator(workspace, priority, "27123", "Income since 2014")
    publish_plan(workspace, owner)
    team = make_team(network, workspace, owner, data)
    SharedRecord.objects.create(team=team, kind="priority", object_id=priority.pk)
    quiet_owner = make_user("quinn")
    quiet = make_team(network, make_workspace(quiet_owner, "Quiet Coalition", "quiet"),
                      quiet_owner, coalitions)  # fmt: skip
    quiet.share_stage = quiet.share_progress = False
    quiet.save()

    sign_in(page, site, "ada", "/n/maln/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Technical-assistance console")
    rows = page.locator("#console tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Quiet Coalition")).to_contain_text("Not shared")
    ramsey = rows.filter(has_text="Ramsey Mobility Coalition")
    expect(ramsey).to_contain_text("MAP published")
    expect(ramsey).to_contain_text("0 of 1 indicator")
    ramsey.locator("summary").click()
    expect(ramsey.locator("details")).to_contain_text("Engagements held")
    both_widths(page, "the console", shots=SCREENSHOTS / "networks-console")

    page.select_option("#console-track", "t1")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Quiet Coalition")

    page.goto(f"{site}/n/maln/")
    page.get_by_role("link", name="Ramsey Mobility Coalition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ramsey Mobility Coalition")
    expect(page.get_by_role("link", name="Its public progress page")).to_be_visible()
    both_widths(page, "a team's shared view", shots=SCREENSHOTS / "networks-console-team")
    page.get_by_role("link", name="Incomes in Ramsey").click()
    expect(page.locator("main")).to_contain_text("lag the state's")
    both_widths(page, "a shared record", shots=SCREENSHOTS / "networks-console-record")
    unshared = page.goto(f"{site}/n/maln/teams/{team.pk}/shared/measure/{measure.pk}/")
    assert unshared is not None and unshared.status == 404

    sign_in(page, site, "vera", "/n/maln/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mobility Action Learning Network")
    expect(page.locator("main")).not_to_contain_text("Quiet Coalition")
    both_widths(page, "a team member's network page", shots=SCREENSHOTS / "networks-console-member")
