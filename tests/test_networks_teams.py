"""Networks and tracks (issue 15, part 1): creating a network, its settings and tracks,
staff and invitation links, joining by consent, and a coalition's side (track, sharing,
shared records, leaving), with the bad input of each."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from workspace_support import add_member, make_user, make_workspace, snapshot

from upward.planning import network as vocab
from upward.web.networks import team_store
from upward.web.networks.models import (
    Network,
    NetworkInvitation,
    SharedRecord,
    Staff,
    Team,
    Track,
)
from upward.web.workspace.models import Activity
from upward.web.workspace.tokens import make_token

pytest_plugins = ["workspace_support", "network_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def join_url(invitation: NetworkInvitation) -> str:
    return reverse("networks:join", args=[make_token(invitation, salt=team_store.SALT)])


def invite_team(world: SimpleNamespace, **fields: object) -> NetworkInvitation:
    return team_store.create_invitation(
        world.network, world.operator, NetworkInvitation.TEAM, **fields
    )


# --- creating a network ---------------------------------------------------------------


def test_any_signed_in_user_creates_a_network_and_runs_it(
    network_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(network_world.outsider)
    data = {"name": "Prairie Network", "slug": "", "description": "Four counties.",
            "tracks": "Data\n\n  Coalitions  \nImpact"}  # fmt: skip
    response = client.post(reverse("networks:create"), data)
    assert response.status_code == 302
    network = Network.objects.get(name="Prairie Network")
    assert network.slug == "prairie-network"
    assert [t.name for t in network.tracks.all()] == ["Data", "Coalitions", "Impact"]
    assert Staff.objects.get(network=network).user == network_world.outsider
    assert Staff.objects.get(network=network).role == vocab.OPERATOR
    listing = client.get(reverse("networks:list")).content.decode()
    assert "Prairie Network" in listing and "operator" in listing
    assert client.get(reverse("networks:settings", args=[network.slug])).status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "Prairie", "tracks": "  \n "}, "tracks", "at least one track"),
        ({"name": "Prairie", "tracks": "Data\ndata"}, "tracks", "listed twice"),
        ({"name": "P", "tracks": "Data"}, "name", "at least 3"),
        ({"name": "Prairie", "slug": "new", "tracks": "Data"}, "slug", "reserved"),
        ({"name": "Prairie", "slug": "maln", "tracks": "Data"}, "slug", "Another network"),
        ({"name": "Prairie", "slug": "no spaces!", "tracks": "Data"}, "slug", "valid"),
    ],
)
def test_a_bad_network_is_refused_on_its_field(
    network_world: SimpleNamespace, client: Client, data: dict, field: str, message: str
) -> None:
    client.force_login(network_world.outsider)
    before = snapshot()
    response = client.post(reverse("networks:create"), {"description": "", **data})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert snapshot() == before


def test_the_list_shows_only_ones_own_networks(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    client.force_login(world.owner)  # a team member of maln, staff of nothing
    html = client.get(reverse("networks:list")).content.decode()
    assert world.network.name in html and world.workspace.name in html
    assert world.rival_network.name not in html
    client.force_login(world.outsider)
    html = client.get(reverse("networks:list")).content.decode()
    assert world.network.name not in html and world.rival_network.name not in html


# --- settings and tracks --------------------------------------------------------------


def test_operator_renames_reorders_adds_and_removes_tracks(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    client.force_login(world.operator)
    slug = world.network.slug
    settings = reverse("networks:settings", args=[slug])
    saved = client.post(settings, {"name": "MALN", "description": "Twelve months.", "version": 1})
    assert saved.status_code == 302
    world.network.refresh_from_db()
    assert world.network.name == "MALN" and world.network.version == 2
    stale = client.post(settings, {"name": "Old", "description": "", "version": 1})
    assert stale.status_code == 302
    world.network.refresh_from_db()
    assert world.network.name == "MALN"
    added = client.post(reverse("networks:track_add", args=[slug]),
                        {"new-name": "Measuring Impact", "new-description": ""})  # fmt: skip
    assert added.status_code == 302
    dup = client.post(reverse("networks:track_add", args=[slug]),
                      {"new-name": "measuring impact", "new-description": ""})  # fmt: skip
    assert dup.status_code == 400 and "Another track" in dup.content.decode()
    spare = world.spare_track
    rename = reverse("networks:track_edit", args=[slug, spare.pk])
    p = f"t{spare.pk}"
    data = {f"{p}-name": "Empowering Partners", f"{p}-description": "", f"{p}-version": 1}
    renamed = client.post(rename, data)
    assert renamed.status_code == 302
    spare.refresh_from_db()
    assert spare.name == "Empowering Partners" and spare.slug == "empowering-partners"
    move = reverse("networks:track_move", args=[slug, spare.pk])
    assert client.post(move, {"direction": "up"}).status_code == 302
    names = [t.name for t in world.network.tracks.all()]
    assert names.index("Empowering Partners") == 1
    assert client.post(move, {"direction": "sideways"}).status_code == 400
    # a track with teams cannot be removed, and the page says why
    used = reverse("networks:track_remove", args=[slug, world.track.pk])
    refused = client.post(used, follow=True)
    assert "cannot be removed" in refused.content.decode()
    assert Track.objects.filter(pk=world.track.pk).exists()
    # a team that left still holds its track
    assert client.post(reverse("networks:track_remove", args=[slug, spare.pk])).status_code == 302
    assert not Track.objects.filter(pk=spare.pk).exists()


def test_an_adviser_cannot_change_settings(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    client.force_login(world.adviser)
    before = snapshot()
    settings = reverse("networks:settings", args=[world.network.slug])
    assert client.get(settings).status_code == 403
    response = client.post(settings, {"name": "Taken over", "description": "", "version": 1})
    assert response.status_code == 403 and "operator" in response.content.decode()
    remove = reverse("networks:track_remove", args=[world.network.slug, world.spare_track.pk])
    assert client.post(remove).status_code == 403
    assert snapshot() == before


# --- staff ----------------------------------------------------------------------------


def test_staff_invitation_makes_staff_with_its_role(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    client.force_login(world.operator)
    staff_page = reverse("networks:staff", args=[world.network.slug])
    created = client.post(reverse("networks:staff_invite", args=[world.network.slug]),
                          {"role": "operator", "note": "Deputy", "once": "x" * 20})  # fmt: skip
    assert created.status_code == 302
    again = client.post(reverse("networks:staff_invite", args=[world.network.slug]),
                        {"role": "operator", "note": "Deputy", "once": "x" * 20})  # fmt: skip
    assert again.status_code == 302
    invitation = NetworkInvitation.objects.get(note="Deputy")  # created once
    assert invitation.kind == "staff" and invitation.role == "operator"
    page = client.get(staff_page).content.decode()
    assert "Deputy" in page
    newcomer = make_user("nina")
    client.force_login(newcomer)
    url = join_url(invitation)
    assert "Accept and join" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert Staff.objects.get(network=world.network, user=newcomer).role == vocab.OPERATOR
    used = client.get(url)
    assert used.status_code == 410 and "already been used" in used.content.decode()


def test_the_last_operator_cannot_be_removed(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    client.force_login(world.operator)
    me = Staff.objects.get(network=world.network, user=world.operator)
    url = reverse("networks:staff_remove", args=[world.network.slug, me.pk])
    response = client.post(url)
    assert response.status_code == 403 and "last operator" in response.content.decode()
    assert Staff.objects.filter(pk=me.pk).exists()
    assert (
        "The only operator"
        in client.get(reverse("networks:staff", args=[world.network.slug])).content.decode()
    )
    # an adviser is removed; a second operator makes the first removable
    adviser = reverse("networks:staff_remove", args=[world.network.slug, world.adviser_staff.pk])
    assert client.post(adviser).status_code == 302
    assert not Staff.objects.filter(pk=world.adviser_staff.pk).exists()
    Staff.objects.create(network=world.network, user=world.editor, role=vocab.OPERATOR)
    left = client.post(url)
    assert left.status_code == 302 and left["Location"] == reverse("networks:list")


def test_revoked_link_says_so(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    client.force_login(world.operator)
    revoke = reverse("networks:invitation_revoke",
                     args=[world.network.slug, world.team_invitation.pk])  # fmt: skip
    assert client.get(revoke).status_code == 302  # a GET changes nothing
    world.team_invitation.refresh_from_db()
    assert world.team_invitation.revoked_at is None
    assert client.post(revoke)["Location"] == reverse("networks:invitations",
                                                      args=[world.network.slug])  # fmt: skip
    client.force_login(world.rival_owner)
    response = client.get(join_url(world.team_invitation))
    assert response.status_code == 410 and "withdrew" in response.content.decode()


# --- joining by consent ---------------------------------------------------------------


def consent(world: SimpleNamespace, track: Track, **more: object) -> dict:
    return {"workspace": world.rival_workspace.pk, "track": track.pk, "consent": "on", **more}


def test_an_owner_joins_a_workspace_by_consent(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    invitation = invite_team(world, track=world.other_track, note="Harbor")
    client.force_login(world.rival_owner)
    url = join_url(invitation)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "public progress page" in html and "Never its private workspace" in html
    assert page.context["form"]["track"].value() == world.other_track.pk  # the suggestion
    response = client.post(url, consent(world, world.other_track))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:network", args=["harbor"])
    team = Team.objects.get(network=world.network, workspace=world.rival_workspace)
    assert team.track == world.other_track and team.consented_by == world.rival_owner
    assert team.share_stage and team.share_progress and not team.shared.exists()
    assert Activity.objects.filter(workspace=world.rival_workspace,
                                   verb="joined the learning network").exists()  # fmt: skip
    invitation.refresh_from_db()
    assert invitation.accepted_by == world.rival_owner
    # its network page shows the network; its second link is refused as a duplicate
    page = client.get(reverse("workspace:network", args=["harbor"])).content.decode()
    assert world.network.name in page and world.other_track.name in page
    second = invite_team(world)
    before = snapshot()
    dup = client.post(join_url(second), consent(world, world.track))
    assert dup.status_code == 400 and "already in" in dup.content.decode()
    assert snapshot() == before


def test_without_consent_nothing_is_created(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    invitation = invite_team(world)
    client.force_login(world.rival_owner)
    before = snapshot()
    data = consent(world, world.track)
    del data["consent"]
    response = client.post(join_url(invitation), data)
    assert response.status_code == 400
    assert "Nothing is shared without your consent" in response.content.decode()
    assert snapshot() == before


def test_bad_choices_are_refused(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    invitation = invite_team(world)
    client.force_login(world.rival_owner)
    before = snapshot()
    # a workspace the user does not own, a track of another network, nonsense
    for data in (
        consent(world, world.track, workspace=world.workspace.pk),
        consent(world, world.rival_network.tracks.first()),
        consent(world, world.track, workspace="x"),
    ):
        assert client.post(join_url(invitation), data).status_code == 400, data
    assert snapshot() == before


def test_a_non_owner_cannot_join_a_workspace(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    invitation = invite_team(world)
    helper = make_user("hal")
    add_member(world.rival_workspace, helper, "editor")
    client.force_login(helper)
    page = client.get(join_url(invitation))
    html = page.content.decode()
    assert page.status_code == 200 and "owner" in html and "Harbor Coalition" in html
    assert page.context["form"] is None
    before = snapshot()
    assert client.post(join_url(invitation), consent(world, world.track)).status_code == 200
    assert snapshot() == before


def test_an_expired_link_says_so(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    invitation = invite_team(world)
    NetworkInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(world.rival_owner)
    before = snapshot()
    for response in (client.get(join_url(invitation)),
                     client.post(join_url(invitation), consent(world, world.track))):  # fmt: skip
        assert response.status_code == 410 and "expired" in response.content.decode()
    assert snapshot() == before
    forged = client.get(reverse("networks:join", args=["not-a-token"]))
    assert forged.status_code == 404 and "not valid" in forged.content.decode()
    # a workspace's invitation link does not open a network's join page
    workspace_token = make_token(world.invitation)
    assert client.get(reverse("networks:join", args=[workspace_token])).status_code == 404


def test_anonymous_join_goes_to_sign_in(network_world: SimpleNamespace, client: Client) -> None:
    response = client.get(join_url(network_world.team_invitation))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the coalition's side -------------------------------------------------------------


def network_url(world: SimpleNamespace, name: str, *more: int) -> str:
    return reverse(f"workspace:{name}", args=[world.workspace.slug, world.team.pk, *more])


def test_owner_shares_and_stops_sharing_records(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    client.force_login(world.owner)
    page = client.get(reverse("workspace:network", args=[world.workspace.slug]))
    html = page.content.decode()
    assert world.network.name in html and world.priority.title in html
    share = network_url(world, "network_share")
    key = f"s{world.team.pk}-record"
    assert client.post(share, {key: f"measure:{world.population.pk}"}).status_code == 302
    assert client.post(share, {key: "vision:0"}).status_code == 302
    kinds = set(SharedRecord.objects.filter(team=world.team).values_list("kind", "object_id"))
    assert ("measure", world.population.pk) in kinds and ("vision", 0) in kinds
    assert Activity.objects.filter(workspace=world.workspace,
                                   verb="shared with the network").count() == 2  # fmt: skip
    before = snapshot()
    # another workspace's record, an unknown kind, a record already shared
    for value in (f"priority:{world.priority.pk + 999}", "stakeholder:1",
                  f"priority:{world.priority.pk}", "nonsense"):  # fmt: skip
        refused = client.post(share, {key: value})
        assert refused.status_code == 400, value
    assert snapshot() == before
    unshare = network_url(world, "network_unshare", world.shared_record.pk)
    assert client.post(unshare).status_code == 302
    assert not SharedRecord.objects.filter(pk=world.shared_record.pk).exists()
    assert Activity.objects.filter(verb="stopped sharing with the network").exists()


def test_owner_changes_sharing_and_track(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    client.force_login(world.owner)
    p = f"v{world.team.pk}"
    assert client.post(network_url(world, "network_sharing"),
                       {f"{p}-share_progress": "on"}).status_code == 302  # fmt: skip
    world.team.refresh_from_db()
    assert not world.team.share_stage and world.team.share_progress
    track = network_url(world, "network_track")
    k = f"k{world.team.pk}-track"
    assert client.post(track, {k: world.other_track.pk}).status_code == 302
    world.team.refresh_from_db()
    assert world.team.track == world.other_track
    assert client.post(track, {k: world.rival_network.tracks.first().pk}).status_code == 400
    world.team.refresh_from_db()
    assert world.team.track == world.other_track


def test_a_viewer_reads_the_network_page_but_changes_nothing(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    client.force_login(world.viewer)
    html = client.get(reverse("workspace:network", args=[world.workspace.slug])).content.decode()
    assert world.network.name in html and "Leave" not in html and "Stop sharing" not in html
    before = snapshot()
    for url in (network_url(world, "network_leave"), network_url(world, "network_sharing"),
                network_url(world, "network_unshare", world.shared_record.pk)):  # fmt: skip
        assert client.post(url, {"confirm": "yes"}).status_code == 403, url
    assert snapshot() == before


def test_leaving_withdraws_what_was_shared(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    client.force_login(world.owner)
    leave = network_url(world, "network_leave")
    page = client.get(leave)
    assert page.status_code == 200 and "withdrawn" in page.content.decode()
    before = snapshot()
    unconfirmed = client.post(leave, {})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.content.decode()
    assert snapshot() == before
    assert client.post(leave, {"confirm": "yes"}).status_code == 302
    world.team.refresh_from_db()
    assert world.team.status == vocab.TEAM_LEFT and world.team.left_at is not None
    assert not SharedRecord.objects.filter(team=world.team).exists()
    assert Activity.objects.filter(workspace=world.workspace,
                                   verb="left the learning network").exists()  # fmt: skip
    # no longer a team: the network's addresses are 404 for its members, and it can rejoin
    client.force_login(world.viewer)
    assert client.get(reverse("workspace:network", args=[world.workspace.slug])).status_code == 200
    assert client.post(leave, {"confirm": "yes"}).status_code == 403
    client.force_login(world.owner)
    assert client.post(leave, {"confirm": "yes"}).status_code == 404
    rejoin = invite_team(world)
    data = {"workspace": world.workspace.pk, "track": world.track.pk, "consent": "on"}
    assert client.post(join_url(rejoin), data).status_code == 302
    assert Team.objects.filter(workspace=world.workspace, status=vocab.TEAM_ACTIVE).count() == 1


def test_a_workspace_in_no_network_is_told_how_to_join(
    network_world: SimpleNamespace, client: Client
) -> None:
    owner = make_user("wendy")
    make_workspace(owner, "Lone Coalition", "lone")
    client.force_login(owner)
    html = client.get(reverse("workspace:network", args=["lone"])).content.decode()
    assert "not in a learning network" in html and "invitation link" in html


def test_bad_invitations_are_refused_on_their_field(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    client.force_login(world.operator)
    before = snapshot()
    staff = client.post(reverse("networks:staff_invite", args=[world.network.slug]),
                        {"role": "owner", "note": ""})  # fmt: skip
    assert staff.status_code == 400 and "role" in staff.context["form"].errors
    other_track = world.rival_network.tracks.first().pk
    team = client.post(reverse("networks:invitations", args=[world.network.slug]),
                       {"track": other_track, "note": "x" * 201})  # fmt: skip
    assert team.status_code == 400
    assert set(team.context["form"].errors) == {"track", "note"}
    assert snapshot() == before


def test_an_advisers_network_link_never_leads_to_a_refusal(
    network_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(network_world.adviser)
    listing = client.get(reverse("networks:list"))
    assert network_world.network.name in listing.content.decode()
    for _staff, home in listing.context["staff_rows"]:
        assert client.get(home).status_code == 200, home


def test_the_workspace_home_names_its_networks(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    client.force_login(world.viewer)
    html = client.get(reverse("workspace:home", args=[world.workspace.slug])).content.decode()
    assert f"{world.network.name} ({world.track.name})" in html
    assert reverse("workspace:network", args=[world.workspace.slug]) in html
