"""Two people editing one record: the second save is refused and shown the newer version."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from upward.web.workspace.models import ConditionAnswer, Stakeholder, Workgroup
from upward.web.workspace.versioning import StaleVersion, claim_version

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def form_data(client: Client, url: str) -> dict[str, object]:
    """What the browser would send back: the form's current values, version included."""
    form = client.get(url).context["form"]
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_stale_stakeholder_edit_is_refused_and_shown(workspace_world: SimpleNamespace) -> None:
    first, second = Client(), Client()
    first.force_login(workspace_world.owner)
    second.force_login(workspace_world.editor)
    url = reverse("workspace:stakeholder_edit", args=["ramsey", workspace_world.stakeholder.pk])
    mine, theirs = form_data(first, url), form_data(second, url)  # both open version 1
    assert mine["version"] == theirs["version"] == 1
    assert (
        first.post(url, {**mine, "influence": "high", "notes": "Met the board"}).status_code == 302
    )
    response = second.post(url, {**theirs, "influence": "low"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this first" in page and "olivia" in page
    assert "Your changes were not saved" in page
    rows = {d.label: (d.yours, d.saved) for d in response.context["conflict"]}
    assert rows["Influence"] == ("Low", "High") and rows["Notes"] == ("(empty)", "Met the board")
    assert response.context["form"]["version"].value() == 2  # the form now holds the newer one
    stored = Stakeholder.objects.get(pk=workspace_world.stakeholder.pk)
    assert (stored.influence, stored.version) == ("high", 2)
    # re-applying on the newer version works
    retry = {**form_data(second, url), "influence": "low"}
    assert second.post(url, retry).status_code == 302


def test_stale_condition_answer_is_refused(workspace_world: SimpleNamespace) -> None:
    first, second = Client(), Client()
    first.force_login(workspace_world.owner)
    second.force_login(workspace_world.editor)
    url = reverse("workspace:condition_edit", args=["ramsey", 1, "culture"])
    mine, theirs = form_data(first, url), form_data(second, url)
    first.post(url, {**mine, "done_open_to_change": "on", "to_address": "Staff survey"})
    response = second.post(url, {**theirs, "to_address": "Other idea"})
    assert response.status_code == 409
    assert "Staff survey" in response.content.decode()
    assert (
        ConditionAnswer.objects.get(assessment__number=1, condition_id="culture").to_address
        == "Staff survey"
    )


def test_stale_workgroup_members_are_not_overwritten(workspace_world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(workspace_world.editor)
    group = workspace_world.workgroup
    url = reverse("workspace:workgroup_edit", args=["ramsey", group.pk])
    data = form_data(client, url)
    assert client.post(url, {**data, "cadence": "weekly"}).status_code == 302
    assert client.post(url, {**data, "cadence": "quarterly", "members": []}).status_code == 409
    group.refresh_from_db()
    assert group.cadence == "weekly" and group.members.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_claims_only_one_wins(workspace_world: SimpleNamespace) -> None:
    """Two threads claim the same version at once: exactly one succeeds (real transactions)."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("in-memory SQLite cannot be shared between threads")
    pk = Workgroup.objects.get(name="Education").pk
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def claim() -> None:
        try:
            barrier.wait()
            from django.db import transaction

            with transaction.atomic():
                claim_version(Workgroup, pk, 1)
            outcomes.append("won")
        except StaleVersion:
            outcomes.append("stale")
        except Exception as exc:  # SQLite may report the lock instead
            outcomes.append(type(exc).__name__)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("won") == 1, outcomes
    assert Workgroup.objects.get(pk=pk).version == 2
