"""Advisory calls in a real browser: the network's adviser logs a call with a team and a
follow-up owned by the team's owner (a call dated in the future is refused on its field
first), the team's owner reads it on the coalition's side and marks the follow-up done,
and the adviser opens the network's follow-ups. axe-core at 1280 and 375 px, no sideways
scrolling; screenshots in test-output/screenshots/networks-calls-*."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from network_support import make_network, make_team
from playwright.sync_api import Page, expect
from workspace_support import make_user, make_workspace

from upward.planning import network as vocab
from upward.web.networks.call_store import today
from upward.web.networks.models import FollowUp, Staff

from .conftest import SCREENSHOTS, serve_warehouse, sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def test_an_adviser_logs_a_call_and_the_team_ticks_its_follow_up(
    site: str, page: Page, both_widths: Callable[..., None]
) -> None:
    operator = make_user("opal")
    network = make_network("maln", "Mobility Action Learning Network", operator, ["Data"])
    olivia = make_user("olivia")
    workspace = make_workspace(olivia, "Ramsey Mobility Coalition", "ramsey")
    team = make_team(network, workspace, olivia)
    adviser = make_user("ada")
    Staff.objects.create(network=network, user=adviser, role=vocab.ADVISER)
    calls = f"/n/maln/teams/{team.pk}/calls/"

    sign_in(page, site, "ada", calls)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Advisory calls with Ramsey Mobility Coalition"
    )
    page.get_by_role("link", name="Log a call").click()
    future = (today() + datetime.timedelta(days=3)).isoformat()
    page.fill("#id_held_on", future)
    page.fill("#id_attendees", "Ada (adviser)\nOlivia (coalition lead)")
    page.fill("#id_notes", "Walked through the readiness assessment; data plan next.")
    page.fill("#id_f-text", "Send the draft data plan")
    page.select_option("#id_f-owner", label="olivia")
    page.fill("#id_f-due_on", (today() + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_held_on_error")).to_contain_text("logged after it happens")
    assert not FollowUp.objects.exists()
    both_widths(page, "a refused call", shots=SCREENSHOTS / "networks-calls-refused")

    page.fill("#id_held_on", today().isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Logged the advisory call")
    call = page.locator("article.upward-call")
    expect(call).to_contain_text("data plan next")
    expect(call.locator("li[data-state=open]")).to_contain_text("Send the draft data plan")
    both_widths(page, "the team's calls, staff side", shots=SCREENSHOTS / "networks-calls-staff")

    sign_in(page, site, "olivia", "/w/ramsey/network/calls/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Advisory calls")
    expect(page.locator("main")).to_contain_text("data plan next")
    expect(page.get_by_role("link", name="Log a call")).to_have_count(0)
    page.get_by_role("button", name="Mark “Send the draft data plan” done").click()
    expect(page.locator("li[data-state=done]")).to_contain_text("Send the draft data plan")
    assert FollowUp.objects.get().done_at is not None
    both_widths(page, "the team's calls", shots=SCREENSHOTS / "networks-calls-workspace")

    FollowUp.objects.create(
        call=FollowUp.objects.get().call, text="Share the survey template", owner=adviser,
        due_on=today() - datetime.timedelta(days=1),
    )  # fmt: skip
    sign_in(page, site, "ada", "/n/maln/follow-ups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-ups")
    expect(page.locator("tr[data-state=overdue]")).to_contain_text("Share the survey template")
    both_widths(page, "the staff's follow-ups", shots=SCREENSHOTS / "networks-calls-follow-ups")
