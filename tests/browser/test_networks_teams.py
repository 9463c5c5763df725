"""Networks and tracks in a real browser, as people would: an operator starts a network
with its tracks, reorders them and creates a team invitation link; a coalition's owner
opens it, is refused without consent, joins a track by consenting, shares a record and
then leaves, withdrawing it. axe-core checks every page at 1280 and 375 px, with no
sideways scrolling; screenshots go to test-output/screenshots/networks-*."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from upward.web.networks.models import Network, SharedRecord, Staff, Team
from upward.web.workspace import readiness_store
from upward.web.workspace.models import CoalitionStructure, Membership, Workspace

from .conftest import SCREENSHOTS, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Learning-Together-2025"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def sign_in(page: Page, site: str, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_operator_starts_a_network_and_a_coalition_joins_it(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    users = get_user_model().objects
    users.create_user("opal", "opal@example.org", PASSWORD)
    owner = users.create_user("olivia", "olivia@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=owner
    )
    Membership.objects.create(workspace=workspace, user=owner, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    readiness_store.create_assessment(workspace, owner, "Spring check-in", False)

    # the operator starts a network
    sign_in(page, site, "opal", "/n/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your learning networks")
    both_widths(page, "the network list, empty", shots=SCREENSHOTS / "networks-list")
    page.get_by_role("link", name="Start a network").click()
    page.fill("#id_name", "Mobility Action Learning Network")
    page.get_by_role("button", name="Create network").click()
    expect(page.locator("#id_tracks_error")).to_contain_text("at least one track")
    assert not Network.objects.exists()
    both_widths(page, "the create form with an error", shots=SCREENSHOTS / "networks-create")
    page.fill("#id_tracks", "Using Data for Decisionmaking\nBuilding Coalitions for Systems Change")
    page.get_by_role("button", name="Create network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings and tracks")
    network = Network.objects.get()
    assert Staff.objects.get(network=network).role == "operator"
    page.get_by_role("button", name="Move up Building Coalitions for Systems Change").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Moved")
    first = page.locator("table tbody tr").first
    expect(first.locator("input[type=text]")).to_have_value(
        "Building Coalitions for Systems Change"
    )
    both_widths(page, "the settings page", shots=SCREENSHOTS / "networks-settings")

    page.get_by_role("link", name="Staff").click()
    expect(page.locator("main")).to_contain_text("The only operator")
    both_widths(page, "the staff page", shots=SCREENSHOTS / "networks-staff")

    page.get_by_role("link", name="Team invitations").click()
    page.select_option("#id_track", label="Using Data for Decisionmaking")
    page.fill("#id_note", "Ramsey County")
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator("#new-invitation-link").input_value()
    assert "/n/join/" in link
    both_widths(page, "the invitations page", shots=SCREENSHOTS / "networks-invitations")

    # the coalition's owner opens the link; without consent nothing is created
    sign_in(page, site, "olivia", urlparse(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Join Mobility Action Learning Network"
    )
    expect(page.get_by_label("Using Data for Decisionmaking")).to_be_checked()  # suggested
    both_widths(page, "the join page", shots=SCREENSHOTS / "networks-join")
    page.get_by_role("button", name="Join the network").click()
    expect(page.locator("#id_consent_error")).to_contain_text("without your consent")
    assert not Team.objects.exists()
    both_widths(page, "the join page with an error")
    page.locator("label[for=id_consent]").click()
    page.get_by_role("button", name="Join the network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning networks")
    team = Team.objects.get()
    assert team.track.name == "Using Data for Decisionmaking"

    # it shares its readiness assessment, then leaves and withdraws it
    page.select_option(f"#id_s{team.pk}-record", label="1. Spring check-in")
    page.get_by_role("button", name="Share this record").click()
    expect(page.locator("main table")).to_contain_text("Spring check-in")
    assert SharedRecord.objects.filter(team=team, kind="assessment").exists()
    both_widths(page, "the workspace's network page", shots=SCREENSHOTS / "networks-workspace")
    page.get_by_role("link", name="Leave Mobility Action Learning Network").click()
    both_widths(page, "the leave page", shots=SCREENSHOTS / "networks-leave")
    page.locator("label[for=confirm]").click()
    page.get_by_role("button", name="Leave the network").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("withdrawn")
    team.refresh_from_db()
    assert team.status == "left" and not SharedRecord.objects.exists()
    expect(page.locator("main")).to_contain_text("Networks it left")
