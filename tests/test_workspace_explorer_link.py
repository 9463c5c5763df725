"""The explorer joined to the workspace: Review Guide notes and peer sets saved into a
workspace and reopened, for its members only (one coalition never reads another's)."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from workspace_support import snapshot

from upward.web.workspace.models import Activity, GuideNote, PeerSet, Workspace

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

GUIDE = "/county/27123/review-guide/"
SAVE = "/w/ramsey/guide-notes/27123/"


def as_user(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def save_notes(client: Client, **notes: str) -> object:
    data = {f"note_{q}": text for q, text in notes.items()}
    data.update({f"version_{q}": "0" for q in notes})
    return client.post(SAVE, data)


# -- Review Guide notes ------------------------------------------------------------------


def records() -> dict[str, list[dict[str, object]]]:
    """Every workspace row (signing in, which updates the user's last login, aside)."""
    return {k: v for k, v in snapshot().items() if k != "User"}


def test_anonymous_guide_says_notes_are_not_stored_and_offers_no_save(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    page = client.get(GUIDE).content.decode()
    assert "Your notes are not stored on this site" in page
    assert "Save notes to" not in page and "guide-notes" not in page
    assert "Members of a coalition workspace can sign in" in page
    login = client.get(GUIDE + "?workspace=ramsey")
    assert login.status_code == 302 and login["Location"].startswith("/accounts/login/")


def test_member_chooses_a_workspace_saves_notes_and_reopens_them(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    as_user(client, workspace_world.editor)
    page = client.get(GUIDE).content.decode()
    assert 'name="workspace"' in page and "Ramsey Mobility Coalition" in page
    chosen = client.get(GUIDE + "?workspace=ramsey").content.decode()
    assert f'formaction="{SAVE}"' in chosen and "Save notes to Ramsey Mobility Coalition" in chosen
    response = save_notes(client, stands_out="Housing costs rose faster than pay.", peers="")
    assert response.status_code == 302 and response["Location"].endswith("?workspace=ramsey#notes")
    note = GuideNote.objects.get(workspace__slug="ramsey", geoid="27123")
    assert (note.question_id, note.version, note.updated_by) == (
        "stands_out",
        1,
        workspace_world.editor,
    )
    assert Activity.objects.filter(verb="saved Review Guide notes on").count() == 1
    reopened = client.get(GUIDE + "?workspace=ramsey").content.decode()
    assert "Housing costs rose faster than pay.</textarea>" in reopened
    assert 'name="version_stands_out" value="1"' in reopened
    listing = client.get(reverse("workspace:guide_notes", args=["ramsey"])).content.decode()
    assert "Housing costs rose faster than pay." in listing and "What stands out" in listing
    assert f"{GUIDE}?workspace=ramsey" in listing


def test_downloads_carry_the_workspace_notes_for_members_only(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    GuideNote.objects.create(
        workspace=workspace_world.workspace, geoid="27123", question_id="peers", text="Ask Dakota."
    )
    as_user(client, workspace_world.viewer)
    md = client.get("/county/27123/review-guide.md?workspace=ramsey")
    assert md.status_code == 200 and "Ask Dakota." in md.content.decode()
    assert "Ask Dakota." not in client.get("/county/27123/review-guide.md").content.decode()
    for fmt in ("docx", "pdf"):
        assert client.get(f"/county/27123/review-guide.{fmt}?workspace=ramsey").status_code == 200
    page = client.get(GUIDE + "?workspace=ramsey").content.decode()
    assert "review-guide.pdf?set=" in page and "&amp;workspace=ramsey" in page
    assert "Save notes to" not in page and "readonly" in page  # a viewer reads only
    client.force_login(workspace_world.outsider)
    assert client.get("/county/27123/review-guide.md?workspace=ramsey").status_code == 404
    assert client.get(GUIDE + "?workspace=ramsey").status_code == 404
    own = client.get(GUIDE + "?workspace=elsewhere").content.decode()
    assert "Ask Dakota." not in own


def test_outsiders_and_viewers_cannot_save_and_get_changes_nothing(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    before = records()
    as_user(client, workspace_world.outsider)
    assert save_notes(client, stands_out="Not mine").status_code == 404
    elsewhere = client.post("/w/elsewhere/guide-notes/27123/", {"note_stands_out": "Mine"})
    assert elsewhere.status_code == 302  # their own workspace takes it...
    assert not GuideNote.objects.filter(workspace__slug="ramsey").exists()  # ...not ramsey's
    GuideNote.objects.filter(workspace__slug="elsewhere").delete()
    Activity.objects.filter(workspace__slug="elsewhere").delete()
    client.force_login(workspace_world.viewer)
    assert save_notes(client, stands_out="A viewer's note").status_code == 403
    assert client.get(SAVE).status_code == 403
    client.force_login(workspace_world.editor)
    assert client.get(SAVE)["Location"] == GUIDE + "?workspace=ramsey"  # GET only goes back
    assert records() == before


def test_a_note_saved_meanwhile_is_a_conflict_that_keeps_what_was_typed(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    as_user(client, workspace_world.editor)
    GuideNote.objects.create(
        workspace=workspace_world.workspace, geoid="27123", question_id="peers", text="Theirs"
    )
    sent = {"note_peers": "Mine", "version_peers": "0"}
    response = client.post(SAVE, {**sent, "note_stands_out": "Also mine"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved notes first" in page and ">Mine</textarea>" in page
    assert "Also mine</textarea>" in page and "Theirs" in page
    assert list(GuideNote.objects.values_list("text", flat=True)) == ["Theirs"]  # all or nothing
    again = client.post(SAVE, {"note_peers": "Mine", "version_peers": "1"})
    assert again.status_code == 302
    assert GuideNote.objects.get(question_id="peers").text == "Mine"
    emptied = client.post(SAVE, {"note_peers": "", "version_peers": "2"})
    assert emptied.status_code == 302 and not GuideNote.objects.exists()


def test_bad_notes_are_a_clear_400(workspace_world: SimpleNamespace, client: Client) -> None:
    as_user(client, workspace_world.editor)
    long = client.post(SAVE, {"note_peers": "x" * 20_001})
    assert long.status_code == 400 and "at most 20,000" in long.content.decode()
    assert client.post(SAVE, {"note_peers": "x", "version_peers": "one"}).status_code == 400
    assert client.post("/w/ramsey/guide-notes/99999/", {"note_peers": "x"}).status_code == 404
    assert not GuideNote.objects.exists()


# -- peer sets ---------------------------------------------------------------------------


def peers_token(client: Client) -> str:
    page = client.get("/county/27123/peers/?k=3").content.decode()
    start = page.index('name="token" value="') + len('name="token" value="')
    return page[start : page.index('"', start)]


def test_peers_page_offers_saving_to_the_editors_workspaces_only(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    assert "Save this peer set to" not in client.get("/county/27123/peers/").content.decode()
    as_user(client, workspace_world.viewer)
    assert "Save this peer set to" not in client.get("/county/27123/peers/").content.decode()
    client.force_login(workspace_world.editor)
    page = client.get("/county/27123/peers/").content.decode()
    assert "Save this peer set to Ramsey Mobility Coalition" in page
    assert 'formaction="/w/ramsey/peers/save/"' in page and "Elsewhere" not in page


def test_a_saved_peer_set_reopens_in_the_explorer(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    as_user(client, workspace_world.editor)
    token = peers_token(client)
    url = reverse("workspace:peer_set_save", args=["ramsey"])
    response = client.post(url, {"token": token, "name": "Three nearest"})
    assert response.status_code == 302
    saved = PeerSet.objects.get(workspace__slug="ramsey", name="Three nearest")
    assert saved.place == "27123" and len(saved.geoids) == 3 and saved.choice["k"] == 3
    listing = client.get(reverse("workspace:peers", args=["ramsey"])).content.decode()
    assert "Open these peers" in listing and "Compare Ramsey County, MN with them" in listing
    start = listing.index('href="/county/27123/peers/?set=') + len('href="')
    link = listing[start : listing.index('"', start)].replace("&amp;", "&")
    reopened = client.get(link)
    assert reopened.status_code == 200
    reopened_page = reopened.content.decode()
    assert "Three nearest" in reopened_page
    assert all(g in reopened_page for g in saved.geoids)
    shared = parse_qs(urlparse(link).query)["set"][0]
    assert client.get(f"/county/27123/compare/?set={shared}").status_code == 200
    # a hand-made set opens with each jurisdiction of its kind
    assert "With Ramsey County, MN" in listing  # the fixture's "Twin counties"


def test_peer_set_save_refuses_what_it_cannot_keep(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    url = reverse("workspace:peer_set_save", args=["ramsey"])
    as_user(client, workspace_world.editor)
    token = peers_token(client)
    taken = client.post(url, {"token": token, "name": "twin  COUNTIES"})
    assert taken.status_code == 400 and "already has this name" in taken.content.decode()
    bad = client.post(url, {"token": "not-a-token", "name": "Broken"})
    assert bad.status_code == 400 and "cannot be read" in bad.content.decode()
    before = records()
    client.force_login(workspace_world.viewer)
    assert client.post(url, {"token": token, "name": "Viewer's"}).status_code == 403
    client.force_login(workspace_world.outsider)
    assert client.post(url, {"token": token, "name": "Outsider's"}).status_code == 404
    assert client.get(url).status_code == 404
    assert records() == before
    assert not PeerSet.objects.filter(workspace=Workspace.objects.get(slug="elsewhere")).exists()


# -- coverage gaps ranked by the places' areas to explore ---------------------------------


def test_coverage_ranks_gaps_by_the_places_areas_to_explore(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    as_user(client, workspace_world.viewer)
    page = client.get(reverse("workspace:coverage", args=["ramsey"])).content.decode()
    ranked = page[page.index("upward-ranked-gaps") : page.index("<h2>Matrix</h2>")]
    # the fixture's one tested area to explore for Ramsey is in Rewarding Work (income)
    assert "1 area to explore in this pillar:" in ranked
    assert 'href="/county/27123/compare/#v-pctl_income_80"' in ranked
    work = ranked.index("<strong>Rewarding Work</strong>")
    assert work < ranked.index("No area to explore in this pillar for your places.")
    assert ranked.index("<strong>Opportunities for income</strong>") < work  # its own metric
    sector = ranked.index("(sector with no active partner)")
    assert sector > ranked.rindex("in this pillar")  # sectors last
