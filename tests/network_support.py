"""Fixtures of the learning-network tests: a pytest plugin that a module loads with
``pytest_plugins = ["workspace_support", "network_support"]``. PYTEST_DONT_REWRITE.

``network_world`` stands on ``workspace_world`` (tests/workspace_support.py): workspace A
("ramsey", owner olivia, editor eddie, viewer vera) joins the network "maln" (operator
opal, adviser ada) in its first track and shares one priority (not its measures); a
second network "harbor-net" (operator bob) has its own team, the workspace "harbor"
(owner hank); oscar owns a workspace in no network.

``world.params`` maps each URL parameter name of the /n/ routes to the value the
isolation walk (tests/test_network_access.py) fills it with: a helper who adds a route
with a new parameter adds its object here (and to the world), so the walk reaches it.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from workspace_support import make_user, make_workspace

from upward.planning import network as vocab
from upward.web.networks import team_store
from upward.web.networks.models import (
    AdvisoryCall,
    FollowUp,
    Network,
    NetworkInvitation,
    Resource,
    SharedRecord,
    Staff,
    Team,
    Track,
)
from upward.web.workspace.tokens import make_token

__all__ = ["network_world"]


def make_network(slug: str, name: str, operator: Any, tracks: list[str]) -> Network:
    network = Network.objects.create(name=name, slug=slug, created_by=operator)
    for order, track in enumerate(tracks):
        Track.objects.create(network=network, name=track, slug=f"t{order}", order=order)
    Staff.objects.create(network=network, user=operator, role=vocab.OPERATOR)
    return network


def make_team(network: Network, workspace: Any, owner: Any, track: Track | None = None) -> Team:
    return Team.objects.create(
        network=network,
        workspace=workspace,
        track=track or network.tracks.first(),
        consented_by=owner,
        consented_by_name=owner.get_username(),
    )


def join_network(world: SimpleNamespace) -> SimpleNamespace:
    """Workspace A in the network "maln", sharing its priority: what the workspace walk
    needs for /w/ramsey/network/ (``world.team``, ``world.shared_record``)."""
    world.operator = make_user("opal")
    world.network = make_network(
        "maln",
        "Mobility Action Learning Network",
        world.operator,
        ["Using Data for Decisionmaking", "Building Coalitions", "Spare track"],
    )
    world.track, world.other_track, world.spare_track = world.network.tracks.all()
    world.team = make_team(world.network, world.workspace, world.owner, world.track)
    world.shared_record = SharedRecord.objects.create(
        team=world.team, kind="priority", object_id=world.priority.pk, shared_by=world.owner
    )
    return world


@pytest.fixture
def network_world(workspace_world: SimpleNamespace) -> SimpleNamespace:
    world = join_network(workspace_world)
    world.adviser = make_user("ada")
    world.adviser_staff = Staff.objects.create(
        network=world.network, user=world.adviser, role=vocab.ADVISER
    )
    world.team_invitation = team_store.create_invitation(
        world.network, world.operator, NetworkInvitation.TEAM, note="Harbor", track=world.track
    )
    world.staff_invitation = team_store.create_invitation(
        world.network, world.operator, NetworkInvitation.STAFF, role=vocab.ADVISER
    )
    # another network, with its own staff and team
    world.rival_operator = make_user("bob")
    world.rival_network = make_network(
        "harbor-net", "Harbor Network", world.rival_operator, ["Harbor track"]
    )
    world.rival_owner = make_user("hank")
    world.rival_workspace = make_workspace(world.rival_owner, "Harbor Coalition", "harbor")
    world.rival_team = make_team(world.rival_network, world.rival_workspace, world.rival_owner)
    # an advisory call with the team, and its follow-up owned by the team's owner
    world.call = AdvisoryCall.objects.create(
        team=world.team, held_on=datetime.date(2026, 3, 2), attendees="Ada\nOlivia",
        notes="Private call notes", created_by=world.adviser,
    )  # fmt: skip
    world.follow_up = FollowUp.objects.create(
        call=world.call, text="Send the data plan", owner=world.owner,
        due_on=datetime.date(2026, 3, 20),
    )  # fmt: skip
    # a file in the library of the team's track
    world.resource = Resource(
        network=world.network, track=world.track, title="Data walk guide", added_by=world.operator
    )
    world.resource.file.save("guide.txt", ContentFile(b"How to run a data walk.\n"), save=False)
    world.resource.save()
    world.params = {
        "slug": world.network.slug,
        "token": make_token(world.team_invitation, salt=team_store.SALT),
        "track_id": world.spare_track.pk,
        "staff_id": world.adviser_staff.pk,
        "invitation_id": world.team_invitation.pk,
        "team_id": world.team.pk,
        "call_id": world.call.pk,
        "follow_up_id": world.follow_up.pk,
        "resource_id": world.resource.pk,
        "kind": world.shared_record.kind,
        "object_id": world.shared_record.object_id,
    }
    return world
