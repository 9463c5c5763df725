"""Peer teams in a real browser: the owner of one coalition opens its peer teams (the
other team shares a priority on the same predictor, is a similar place, and both
published a 2014 income baseline, whose changes the 95% test cannot tell apart); the
network's adviser opens the same team's page on the network's side. axe-core at 1280 and
375 px, no sideways scrolling; screenshots in test-output/screenshots/networks-peers-*."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from network_support import make_network, make_team
from playwright.sync_api import Page, expect
from test_networks_peers import income_indicator
from workspace_support import make_user, make_workspace, publish_plan

from upward.planning import network as vocab
from upward.web.networks.models import SharedRecord, Staff
from upward.web.strategy.models import Priority

from .conftest import SCREENSHOTS, serve_warehouse, sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def coalition(owner_name: str, name: str, slug: str, geoid: str, network: object) -> object:
    owner = make_user(owner_name)
    workspace = make_workspace(owner, name, slug)
    workspace.geoids = [geoid]
    workspace.save()
    priority = Priority.objects.create(
        workspace=workspace, geoid=geoid, predictor="opportunities_for_income", metric="income",
        variable="pctl_income_20", title=f"Incomes in {name.split()[0]}", rank=1,
    )  # fmt: skip
    income_indicator(workspace, priority, geoid, f"{name.split()[0]} income since 2014")
    publish_plan(workspace, owner)
    team = make_team(network, workspace, owner)
    SharedRecord.objects.create(team=team, kind="priority", object_id=priority.pk)
    return team


def test_a_team_sees_its_peers_and_how_their_progress_compares(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    operator = make_user("opal")
    network = make_network("maln", "Mobility Action Learning Network", operator, ["Data"])
    ramsey = coalition("olivia", "Ramsey Mobility Coalition", "ramsey", "27123", network)
    coalition("hana", "Hennepin Works", "hennepin", "27053", network)
    adviser = make_user("ada")
    Staff.objects.create(network=network, user=adviser, role=vocab.ADVISER)

    sign_in(page, site, "olivia", "/w/ramsey/network/peers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer teams")
    panel = page.locator(".upward-panel", has_text="Hennepin Works")
    expect(panel).to_contain_text("Both work on Opportunities for income")
    expect(panel).to_contain_text("by the peer finder")
    expect(panel.locator("tr[data-verdict=not_distinguishable]")).to_contain_text(
        "not distinguishable from Hennepin Works's change"
    )
    both_widths(page, "a team's peer teams", shots=SCREENSHOTS / "networks-peers-workspace")

    sign_in(page, site, "ada", f"/n/maln/teams/{ramsey.pk}/peers/")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Peer teams of Ramsey Mobility Coalition"
    )
    expect(page.locator("main")).to_contain_text("Hennepin Works")
    both_widths(page, "a team's peers, staff side", shots=SCREENSHOTS / "networks-peers-staff")
