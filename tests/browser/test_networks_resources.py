"""A network's resource library in a real browser: an adviser is refused a javascript:
link, adds a network-wide link and a file for one track, filters the library; a team
member of that track finds both from the workspace and downloads the file; a member of
another track sees only the link. axe-core checks every page at 1280 and 375 px, with no
sideways scrolling; screenshots go to test-output/screenshots/networks-resources-*."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from upward.planning import network as vocab
from upward.web.networks.models import Network, Resource, Staff, Team, Track
from upward.web.workspace.models import Membership, Workspace

from .conftest import SCREENSHOTS, serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Learning-Together-2025"
PDF = b"%PDF-1.4\n% a tiny test file\n"


@pytest.fixture
def site(
    live_server: object, fixture_warehouse_path: Path, settings: Any, tmp_path: Path
) -> Iterator[str]:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    yield from serve_warehouse(live_server, fixture_warehouse_path)


def sign_in(page: Page, site: str, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def team_of(network: Network, track: Track, owner: Any, name: str, slug: str) -> Team:
    workspace = Workspace.objects.create(name=name, slug=slug, geoids=["27123"], created_by=owner)
    Membership.objects.create(workspace=workspace, user=owner, role="owner")
    return Team.objects.create(
        network=network, workspace=workspace, track=track, consented_by=owner,
        consented_by_name=owner.get_username(),
    )  # fmt: skip


def test_an_adviser_adds_resources_that_the_track_sees(
    site: str, page: Page, both_widths: Callable[..., None], tmp_path: Path
) -> None:
    users = get_user_model().objects
    adviser = users.create_user("ada", "ada@example.org", PASSWORD)
    olivia = users.create_user("olivia", "olivia@example.org", PASSWORD)
    tom = users.create_user("tom", "tom@example.org", PASSWORD)
    network = Network.objects.create(name="Mobility Action Learning Network", slug="maln")
    data = Track.objects.create(network=network, name="Using Data for Decisionmaking", slug="d")
    coalitions = Track.objects.create(network=network, name="Building Coalitions", slug="c")
    Staff.objects.create(network=network, user=adviser, role=vocab.ADVISER)
    team_of(network, data, olivia, "Ramsey Mobility Coalition", "ramsey")
    team_of(network, coalitions, tom, "Duluth Coalition", "duluth")

    sign_in(page, site, "ada", "/n/maln/resources/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Resource library")
    both_widths(page, "the empty library", shots=SCREENSHOTS / "networks-resources-empty")
    page.get_by_role("link", name="Add a resource").click()
    page.fill("#id_title", "Community data walks")
    page.fill("#id_url", "javascript:alert(1)")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_url_error")).to_contain_text("javascript: addresses are not")
    assert not Resource.objects.exists()
    both_widths(page, "the form with an error", shots=SCREENSHOTS / "networks-resources-form")
    page.fill("#id_url", "https://example.org/data-walks")
    page.fill("#id_description", "How three coalitions ran data walks with residents.")
    page.locator("label", has_text="Education").first.click()
    page.select_option("#id_stage", label="Engagements held")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Added")

    page.get_by_role("link", name="Add a resource").click()
    page.fill("#id_title", "Logic model template")
    page.select_option("#id_track", label="Using Data for Decisionmaking")
    page.set_input_files(
        "#id_upload", {"name": "template.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Save").click()
    added = page.locator("[id^=resource-]", has_text="Logic model template")  # ids vary by run
    expect(added).to_contain_text("Download template.pdf")
    both_widths(page, "the library for staff", shots=SCREENSHOTS / "networks-resources-staff")
    page.select_option("#id_track", label="The whole network only")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("main")).to_contain_text("1 of 2 resources shown")

    page.get_by_role("link", name="Resource library").first.click()
    page.get_by_role("link", name="Delete Logic model template").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delete")
    both_widths(page, "the delete page", shots=SCREENSHOTS / "networks-resources-delete")
    page.get_by_role("link", name="Cancel").click()
    assert Resource.objects.count() == 2

    # a member of the track finds both from the workspace and downloads the file
    sign_in(page, site, "olivia", "/w/ramsey/network/")
    page.get_by_role("link", name="The network's resource library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resource library")
    expect(page.locator("main")).to_contain_text("Community data walks")
    expect(page.locator("main")).to_contain_text("Logic model template")
    both_widths(page, "the library of a team", shots=SCREENSHOTS / "networks-resources-team")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download template.pdf").click()
    assert Path(info.value.path()).read_bytes() == PDF

    # a member of another track sees only the network-wide link
    sign_in(page, site, "tom", "/w/duluth/network/resources/")
    expect(page.locator("main")).to_contain_text("Community data walks")
    expect(page.locator("main")).not_to_contain_text("Logic model template")
    both_widths(page, "the library of another track")
