"""Advisory calls in a learning network (issue 15, part 3): staff log a call with a
follow-up, the team sees it (and its activity log says so), nobody else does; bad input is
refused on the field with nothing saved; a follow-up's owner marks it done; the staff's
follow-ups and the console's counts."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from workspace_support import snapshot

from upward.web.networks import call_store
from upward.web.networks.models import AdvisoryCall, FollowUp
from upward.web.workspace.models import Activity

pytest_plugins = ["workspace_support", "network_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def calls_url(world: SimpleNamespace) -> str:
    return reverse("networks:team_calls", args=[world.network.slug, world.team.pk])


def new_url(world: SimpleNamespace) -> str:
    return reverse("networks:call_create", args=[world.network.slug, world.team.pk])


def body(world: SimpleNamespace, **over: object) -> dict[str, object]:
    today = call_store.today()
    data = {
        "held_on": today.isoformat(), "attendees": "Ada\nOlivia", "notes": "Talked data plan",
        "f-text": "Draft the survey", "f-owner": world.editor.pk,
        "f-due_on": (today + datetime.timedelta(days=7)).isoformat(),
    }  # fmt: skip
    data.update(over)
    return data


def test_staff_log_a_call_the_team_sees_it(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    client.force_login(world.adviser)
    response = client.post(new_url(world), body(world))
    assert response.status_code == 302 and response["Location"] == calls_url(world)
    call = AdvisoryCall.objects.exclude(pk=world.call.pk).get()
    assert call.team == world.team and call.created_by == world.adviser
    item = call.follow_ups.get()
    assert (item.text, item.owner) == ("Draft the survey", world.editor)
    activity = Activity.objects.filter(workspace=world.workspace, verb="logged").get()
    assert "advisory call" in activity.target and "Talked data plan" not in activity.detail
    # the team's viewer reads it on both addresses; the editor may tick their own
    for user in (world.viewer, world.editor):
        client.force_login(user)
        for url in (calls_url(world), reverse("workspace:network_calls", args=["ramsey"])):
            page = client.get(url).content.decode()
            assert "Talked data plan" in page and "Draft the survey" in page, url
            assert ("Mark “Draft the survey” done" in page) == (user == world.editor)
            assert "Log a call" not in page
    client.force_login(world.adviser)
    assert "Log a call" in client.get(calls_url(world)).content.decode()


@pytest.mark.parametrize("who", ["outsider", "rival_owner", "rival_operator"])
def test_nobody_else_sees_the_calls(
    network_world: SimpleNamespace, client: Client, who: str
) -> None:
    world = network_world
    client.force_login(getattr(world, who))
    assert client.get(calls_url(world)).status_code == 404
    assert client.post(new_url(world), body(world)).status_code == 404
    assert AdvisoryCall.objects.count() == 1


def test_another_team_member_gets_404(network_world: SimpleNamespace, client: Client) -> None:
    """hank's team is in another network; a team of the same network sees only its own."""
    world = network_world
    from network_support import make_team
    from workspace_support import make_user, make_workspace

    hana = make_user("hana")
    other = make_workspace(hana, "Hennepin Works", "hennepin")
    make_team(world.network, other, hana)
    client.force_login(hana)
    assert client.get(calls_url(world)).status_code == 404
    assert (
        "Private call notes"
        not in client.get(reverse("workspace:network_calls", args=["hennepin"])).content.decode()
    )


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"held_on": "2999-01-01"}, "held_on", "logged after it happens"),
        ({"held_on": ""}, "held_on", "Enter the day the call took place"),
        ({"attendees": "  "}, "attendees", "Name at least one person"),
        ({"f-owner": "outsider"}, "f-owner", "must be one of the team"),
        ({"f-owner": ""}, "f-owner", "Choose who owns"),
        ({"f-due_on": ""}, "f-due_on", "due date"),
        ({"f-text": ""}, "f-text", "Say what is to be done"),
    ],
)
def test_bad_input_is_refused_on_the_field(
    network_world: SimpleNamespace, client: Client, over: dict, field: str, message: str
) -> None:
    world = network_world
    if over.get("f-owner") == "outsider":
        over = {"f-owner": world.outsider.pk}
    client.force_login(world.adviser)
    before = snapshot()
    response = client.post(new_url(world), body(world, **over))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message in page
    assert snapshot() == before


def test_viewer_cannot_own_a_follow_up(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    client.force_login(world.adviser)
    response = client.post(new_url(world), body(world, **{"f-owner": world.viewer.pk}))
    assert response.status_code == 400 and AdvisoryCall.objects.count() == 1


def test_a_call_without_follow_up_and_staff_as_owner(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    client.force_login(world.operator)
    empty = {"f-text": "", "f-owner": "", "f-due_on": ""}
    assert client.post(new_url(world), body(world, **empty)).status_code == 302
    assert FollowUp.objects.count() == 1
    url = reverse("networks:follow_up_add", args=[world.network.slug, world.team.pk, world.call.pk])
    assert client.post(url, {"text": "Call back", "owner": world.adviser.pk}).status_code == 400
    due = call_store.today().isoformat()
    data = {"text": "Call back", "owner": world.adviser.pk, "due_on": due}
    assert client.post(url, data).status_code == 302
    assert world.call.follow_ups.filter(owner=world.adviser).exists()


def test_edit_refuses_a_stale_version(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    client.force_login(world.adviser)
    url = reverse("networks:call_edit", args=[world.network.slug, world.team.pk, world.call.pk])
    assert client.get(url).status_code == 200
    data = {"held_on": "2026-03-01", "attendees": "Ada", "notes": "New", "version": 1}
    assert client.post(url, data).status_code == 302
    world.call.refresh_from_db()
    assert (world.call.notes, world.call.version) == ("New", 2)
    response = client.post(url, {**data, "notes": "Stale edit"})
    assert (
        response.status_code == 409 and "Someone else saved this first" in response.content.decode()
    )
    world.call.refresh_from_db()
    assert world.call.notes == "New"
    future = client.post(url, {**data, "version": 2, "held_on": "2999-01-01"})
    assert future.status_code == 400
    world.call.refresh_from_db()
    assert world.call.held_on == datetime.date(2026, 3, 1)


def test_delete_asks_then_deletes(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    client.force_login(world.adviser)
    url = reverse("networks:call_delete", args=[world.network.slug, world.team.pk, world.call.pk])
    assert "Delete the call" in client.get(url).content.decode()
    assert AdvisoryCall.objects.count() == 1
    assert client.post(url, {"version": 9}).status_code == 302
    assert AdvisoryCall.objects.count() == 1
    assert client.post(url, {"version": 1}).status_code == 302
    assert not AdvisoryCall.objects.exists() and not FollowUp.objects.exists()
    assert Activity.objects.filter(workspace=world.workspace, verb="deleted").exists()


def test_only_owner_or_staff_mark_a_follow_up_done(
    network_world: SimpleNamespace, client: Client
) -> None:
    world = network_world
    url = reverse(
        "networks:follow_up_done",
        args=[world.network.slug, world.team.pk, world.call.pk, world.follow_up.pk],
    )
    activity = Activity.objects.count()
    for user in (world.viewer, world.editor):  # members, but not its owner
        client.force_login(user)
        assert client.post(url, {"done": "yes"}).status_code == 403
    for user in (world.outsider, world.rival_owner, world.rival_operator):
        client.force_login(user)
        assert client.post(url, {"done": "yes"}).status_code == 404
    client.force_login(world.owner)
    assert client.get(url).status_code == 302
    world.follow_up.refresh_from_db()
    assert world.follow_up.done_at is None and Activity.objects.count() == activity
    response = client.post(url, {"done": "yes", "back": "workspace"})
    assert response["Location"] == reverse("workspace:network_calls", args=["ramsey"])
    world.follow_up.refresh_from_db()
    assert world.follow_up.done_at is not None
    client.force_login(world.adviser)
    assert client.post(url, {"done": "no"}).status_code == 302
    world.follow_up.refresh_from_db()
    assert world.follow_up.done_at is None


def test_follow_ups_page_and_console_counts(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    FollowUp.objects.create(
        call=world.call, text="Adviser's task", owner=world.adviser,
        due_on=call_store.today() + datetime.timedelta(days=3),
    )  # fmt: skip
    counts = call_store.follow_up_counts(world.network)
    assert counts[world.team.pk] == call_store.FollowUpCounts(open=2, overdue=1)
    assert world.rival_team.pk not in counts
    client.force_login(world.adviser)
    page = client.get(reverse("networks:follow_ups", args=[world.network.slug])).content.decode()
    mine, others = page.split("Others'")
    assert "Adviser" in mine and "task" in mine and "Send the data plan" not in mine
    assert "Send the data plan" in others and "Overdue" in others
    client.force_login(world.viewer)
    assert client.get(reverse("networks:follow_ups", args=[world.network.slug])).status_code == 404


def test_get_changes_nothing(network_world: SimpleNamespace, client: Client) -> None:
    world = network_world
    client.force_login(world.adviser)
    before = snapshot()
    args = [world.network.slug, world.team.pk, world.call.pk]
    for url in (
        calls_url(world), new_url(world), reverse("networks:call_edit", args=args),
        reverse("networks:call_delete", args=args), reverse("networks:follow_up_add", args=args),
        reverse("networks:follow_up_done", args=[*args, world.follow_up.pk]),
        reverse("networks:follow_ups", args=[world.network.slug]),
    ):  # fmt: skip
        assert client.get(url).status_code in (200, 302), url
    assert snapshot() == before
