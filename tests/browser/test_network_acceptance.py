"""Issue 15's acceptance walk, as new users take it in a real browser, through the pages
only: an operator starts a learning network with two tracks and invites a coalition; the
coalition's owner joins a track by consenting, shares its stage and its public progress
page and one readiness assessment (another stays unshared); the operator invites an
adviser, who accepts; the adviser reads the team in the console (its stage and progress),
opens the shared assessment and gets 404 on the unshared one (its address typed in),
logs an advisory call with a follow-up (an owner of the team, a due date) and adds a link
to the resource library for the team's track; a member of the team (an editor) reads the
call, the follow-up and the resource from the workspace's side (its calls page by
its address: the workspace's network page does not link it yet) and marks the
follow-up done.

The coalition's workspace, its records and its published plan are
``workspace_world``'s (tests/workspace_support.py), with a second assessment; the
people's accounts are made directly. Everything else is done on the pages. axe-core
checks every page visited at 1280 and 375 px (no sideways scrolling either);
screenshots go to test-output/screenshots/network-acceptance-*.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from workspace_support import PASSWORD, make_user

from upward.web.networks.models import AdvisoryCall, Network, Resource, SharedRecord, Team
from upward.web.workspace import readiness_store

from .conftest import SCREENSHOTS, check_both_widths

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.django_db(transaction=True)]

NETWORK = "Mobility Action Learning Network"
DATA_TRACK = "Using Data for Decisionmaking"
TRACKS = (DATA_TRACK, "Building Coalitions for Systems Change")
LINK = "https://example.org/data-walk-guide"


@pytest.fixture
def site(live_server: object, warehouse_env: Path) -> str:
    """The live server, reading the fixture warehouse (``warehouse_env`` points the app
    at it for ``workspace_world`` too)."""
    return str(live_server.url)  # type: ignore[attr-defined]


def sign_in(page: Page, site: str, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def checked(page: Page, name: str, shot: str | None = None) -> None:
    """axe-core and no sideways scrolling at both widths; a full-page PNG of key steps."""
    shots = SCREENSHOTS / f"network-acceptance-{shot}" if shot else None
    check_both_widths(page, name, shots=shots)


def guide_link(page: Page) -> Locator:
    """The resource's title, a link to its address (not its Edit and Delete links)."""
    return page.get_by_role("link", name="Data walk guide", exact=True)


def test_a_network_follows_a_coalition_as_new_users_would(
    site: str, page: Page, workspace_world: SimpleNamespace
) -> None:
    world = workspace_world
    make_user("opal")
    make_user("ada")
    unshared = readiness_store.create_assessment(
        world.workspace, world.owner, "Spring check-in", False
    )
    shared = world.assessment  # "First look"
    slug_of_ws = world.workspace.slug

    # --- the operator starts a network with its tracks and invites the coalition -------
    sign_in(page, site, "opal", "/n/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your learning networks")
    page.get_by_role("link", name="Start a network").click()
    page.fill("#id_name", NETWORK)
    page.fill("#id_tracks", "\n".join(TRACKS))
    checked(page, "the create form", "create")
    page.get_by_role("button", name="Create network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings and tracks")
    network = Network.objects.get()
    assert list(network.tracks.values_list("name", flat=True)) == list(TRACKS)
    checked(page, "the settings page", "settings")

    page.get_by_role("link", name="Team invitations").click()
    page.select_option("#id_track", label=DATA_TRACK)
    page.fill("#id_note", "Ramsey Mobility Coalition")
    page.get_by_role("button", name="Create invitation link").click()
    team_link = page.locator("#new-invitation-link").input_value()
    assert "/n/join/" in team_link
    checked(page, "the team invitations page", "invitations")

    # --- the coalition's owner joins its track with consent and shares ------------------
    sign_in(page, site, world.owner.username, urlparse(team_link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {NETWORK}")
    expect(page.get_by_label(DATA_TRACK)).to_be_checked()
    checked(page, "the join page", "join")
    page.locator("label[for=id_consent]").click()
    page.get_by_role("button", name="Join the network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning networks")
    team = Team.objects.get()
    assert team.track.name == DATA_TRACK and team.workspace == world.workspace

    stage_box = page.get_by_label("Share our stage in the planning process")
    progress_box = page.get_by_label("Share our public progress page")
    for box in (stage_box, progress_box):
        if not box.is_checked():
            page.locator(f"label[for={box.get_attribute('id')}]").click()
    page.get_by_role("button", name="Save sharing").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Saved what")
    team.refresh_from_db()
    assert team.share_stage and team.share_progress

    page.select_option(f"#id_s{team.pk}-record", label="1. First look")
    page.get_by_role("button", name="Share this record").click()
    expect(page.locator("main table")).to_contain_text("First look")
    expect(page.locator("main table")).not_to_contain_text("Spring check-in")
    assert list(SharedRecord.objects.values_list("kind", "object_id")) == [
        ("assessment", shared.pk)
    ]
    checked(page, "the workspace's network page, sharing", "workspace-network")

    # --- the operator invites an adviser, who accepts ------------------------------------
    sign_in(page, site, "opal", f"/n/{network.slug}/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    page.locator("label", has_text="Technical-assistance adviser").click()
    page.fill("#id_note", "Ada, our data adviser")
    page.get_by_role("button", name="Create invitation link").click()
    staff_link = page.locator("#new-invitation-link").input_value()
    checked(page, "the staff page with a new link", "staff")

    sign_in(page, site, "ada", urlparse(staff_link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join the staff of {NETWORK}")
    checked(page, "the staff join page", "join-staff")
    page.get_by_role("button", name="Accept and join").click()

    # --- the adviser reads the team in the console ---------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Technical-assistance console")
    row = page.locator(f"#console tr[data-team='{team.pk}']")
    expect(row).to_contain_text(world.workspace.name)
    expect(row).to_contain_text(DATA_TRACK)
    expect(row.locator("td[data-label=Stage]")).to_contain_text("MAP published")
    expect(row.locator("td[data-label='Real change']")).to_contain_text("indicator")
    checked(page, "the console", "console")

    row.get_by_role("link", name=world.workspace.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.workspace.name)
    main = page.locator("main")
    expect(main).to_contain_text("Progress since baseline")
    expect(main).to_contain_text("statistically real change since baseline")
    expect(main).to_contain_text("First look")
    expect(main).not_to_contain_text("Spring check-in")
    checked(page, "the team's shared view", "team")
    team_url = page.url

    page.get_by_role("link", name="First look").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("First look")
    expect(page.locator("main")).to_contain_text("Read only")
    checked(page, "the shared record", "shared-record")

    unshared_url = f"{site}/n/{network.slug}/teams/{team.pk}/shared/assessment/{unshared.pk}/"
    response = page.goto(unshared_url)
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("Spring check-in")
    checked(page, "the 404 of the unshared record", "unshared-404")

    # --- the adviser logs an advisory call with a follow-up ------------------------------
    page.goto(team_url)
    page.get_by_role("link", name="Advisory calls").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Advisory calls with {world.workspace.name}"
    )
    checked(page, "the team's calls, none yet", "calls-empty")
    page.get_by_role("link", name="Log a call").click()
    today = timezone.localdate()
    due = today + timedelta(days=14)
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_attendees", "Ada (adviser)\nOlivia (owner)\nEddie (editor)")
    page.fill("#id_notes", "Walked through the employment baseline and its margin of error.")
    page.fill("#id_f-text", "Draft the data walk invitation")
    page.select_option("#id_f-owner", label=world.editor.username)
    page.fill("#id_f-due_on", due.isoformat())
    checked(page, "the call form, filled", "call-form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Logged")
    call = AdvisoryCall.objects.get(team=team)
    item = call.follow_ups.get()  # type: ignore[attr-defined]
    assert (item.owner, item.due_on) == (world.editor, due)
    article = page.locator(f"#call-{call.pk}")
    expect(article).to_contain_text("Draft the data walk invitation")
    expect(article).to_contain_text(f"owner {world.editor.username}")
    checked(page, "the team's calls", "calls")

    # --- the adviser adds a link for the team's track -----------------------------------
    page.get_by_role("link", name="Resource library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resource library")
    page.get_by_role("link", name="Add a resource").click()
    page.fill("#id_title", "Data walk guide")
    page.fill("#id_description", "How to run a data walk with residents.")
    page.select_option("#id_track", label=DATA_TRACK)
    page.fill("#id_url", LINK)
    checked(page, "the resource form, filled", "resource-form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Added")
    resource = Resource.objects.get()
    assert resource.track is not None and resource.track.name == DATA_TRACK
    expect(guide_link(page)).to_have_attribute("href", LINK)
    checked(page, "the resource library", "resources")

    # --- a member of the team sees the call, its follow-up and the resource --------------
    sign_in(page, site, world.editor.username, f"/w/{slug_of_ws}/network/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning networks")
    checked(page, "the workspace's network page, a member's", "member-network")
    page.get_by_role("link", name="The network's resource library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resource library")
    expect(guide_link(page)).to_have_attribute("href", LINK)
    checked(page, "the resource library, a member's", "member-resources")

    # the workspace's network page does not link its calls yet: their address
    page.goto(f"{site}/w/{slug_of_ws}/network/calls/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Advisory calls")
    article = page.locator(f"#call-{call.pk}")
    expect(article).to_contain_text("Walked through the employment baseline")
    follow = page.locator(f"#follow-up-{item.pk}")
    expect(follow).to_contain_text("Draft the data walk invitation")
    expect(follow).to_contain_text(f"owner {world.editor.username}")
    expect(follow).to_contain_text(f"due {due.strftime('%b')} {due.day}, {due.year}")
    checked(page, "the coalition's calls, a member's", "member-calls")
    # the follow-up's owner marks it done
    follow.get_by_role("button", name="Mark “Draft the data walk invitation” done").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("done")
    item.refresh_from_db()
    assert item.done_at is not None
