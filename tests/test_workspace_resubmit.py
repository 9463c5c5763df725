"""A creating form sent twice (back, then submit again; or a double click) creates once.

Every creating form carries a one-time token (a hidden ``once`` field). The first
submission that creates something claims it, in the same transaction; a second
submission of the same form goes to what the first created, with a message.
"""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from upward.web.workspace import submission
from upward.web.workspace.models import (
    Assessment,
    Invitation,
    PeerSet,
    Stakeholder,
    Workgroup,
    Workspace,
)

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

ONCE = re.compile(r'name="once" value="([^"]+)"')
STAKEHOLDER = {
    "name": "Frogtown Neighbors",
    "sector": "residents",
    "kind": "organization",
    "relationship": "none",
    "influence": "medium",
    "role": "to_invite",
    "invitation_status": "not_invited",
}
FORMS: dict[str, tuple[str, str, dict[str, Any], Any]] = {
    # name: (form page, where it posts, what a person fills in, model counted)
    "workspace": ("/w/new/", "/w/new/", {"name": "Ramsey Mobility Coalition",
                                         "places": "Ramsey County, MN"}, Workspace),
    "stakeholder": ("/w/ramsey/stakeholders/new/", "/w/ramsey/stakeholders/new/", STAKEHOLDER,
                    Stakeholder),
    "peer set": ("/w/ramsey/peers/new/", "/w/ramsey/peers/new/",
                 {"name": "Lake counties", "places": "27053"}, PeerSet),
    "workgroup": ("/w/ramsey/coalition/workgroups/new/", "/w/ramsey/coalition/workgroups/new/",
                  {"name": "Housing", "focus": "pillar:work", "cadence": "monthly"},
                  Workgroup),
    "assessment": ("/w/ramsey/readiness/", "/w/ramsey/readiness/",
                   {"title": "Spring check", "copy_previous": ""}, Assessment),
    "invitation": ("/w/ramsey/members/", "/w/ramsey/members/invite/",
                   {"role": "editor", "note": "Board chair"}, Invitation),
}  # fmt: skip


@pytest.fixture
def owner(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.owner)
    return client


def token_of(client: Client, url: str) -> str:
    found = ONCE.findall(client.get(url).content.decode())
    assert len(found) == 1, f"{url} renders {len(found)} one-time tokens"
    return found[0]


@pytest.mark.parametrize("kind", list(FORMS))
def test_sending_a_creating_form_twice_creates_once(owner: Client, kind: str) -> None:
    page, action, data, model = FORMS[kind]
    token = token_of(owner, page)
    before = model.objects.count()
    first = owner.post(action, {**data, "once": token})
    assert first.status_code == 302, first.content[:300]
    assert model.objects.count() == before + 1
    list(get_messages(first.wsgi_request))  # read the first message
    again = owner.post(action, {**data, "once": token})  # back, then submit again
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert model.objects.count() == before + 1
    shown = [str(m) for m in get_messages(again.wsgi_request)]
    assert any("already sent" in m for m in shown), shown
    # a fresh form (opened again on purpose) creates another
    if kind in ("assessment", "invitation"):
        fresh = owner.post(action, {**data, "once": token_of(owner, page)})
        assert fresh.status_code == 302 and model.objects.count() == before + 2


def test_a_reloaded_workspace_form_sent_again_goes_to_the_workspace(owner: Client) -> None:
    """Back to a form the browser fetched again: a new token, the same name and places."""
    data = {"name": "Saint Paul Together", "places": "Ramsey County, MN\nSt. Paul, MN"}
    first = owner.post("/w/new/", {**data, "once": token_of(owner, "/w/new/")})
    assert first.status_code == 302
    again = owner.post("/w/new/", {**data, "once": token_of(owner, "/w/new/")})
    assert again.status_code == 302 and again["Location"] == first["Location"]
    shown = [str(m) for m in get_messages(again.wsgi_request)]
    assert any("no second workspace was created" in m for m in shown), shown
    assert (
        owner.post("/w/new/", {**data, "name": "saint paul  TOGETHER"})["Location"]
        == (first["Location"])
    )
    assert Workspace.objects.filter(name="Saint Paul Together").count() == 1
    # other places, another name, or the same one later: a new workspace, on purpose
    assert owner.post("/w/new/", {**data, "places": "27123"})["Location"] != first["Location"]
    Workspace.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    later = owner.post("/w/new/", data)
    assert later.status_code == 302 and later["Location"] != first["Location"]
    assert Workspace.objects.filter(name="Saint Paul Together").count() == 3


def test_a_form_with_errors_keeps_its_token_and_creates_once(owner: Client) -> None:
    token = token_of(owner, "/w/new/")
    bad = owner.post("/w/new/", {"name": "R", "places": "Ramsey County, MN", "once": token})
    assert bad.status_code == 400 and ONCE.findall(bad.content.decode()) == [token]
    data = {"name": "Ramsey Mobility Coalition", "places": "Ramsey County, MN", "once": token}
    assert owner.post("/w/new/", data).status_code == 302
    assert owner.post("/w/new/", data).status_code == 302
    assert Workspace.objects.filter(name="Ramsey Mobility Coalition").count() == 2  # + fixture


def test_a_simultaneous_twin_is_caught_by_the_database(
    owner: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A double click: both requests pass the first check before either has claimed."""
    token = token_of(owner, "/w/new/")
    data = {"name": "Twin Cities Coalition", "places": "Ramsey County, MN", "once": token}
    assert owner.post("/w/new/", data).status_code == 302
    checked = submission.earlier
    calls = iter([None])
    monkeypatch.setattr(submission, "earlier", lambda request: next(calls, checked(request)))
    twin = owner.post("/w/new/", data)
    assert twin.status_code == 302
    assert Workspace.objects.filter(name="Twin Cities Coalition").count() == 1


def test_another_persons_token_is_not_theirs(
    workspace_world: SimpleNamespace, owner: Client
) -> None:
    token = token_of(owner, "/w/ramsey/stakeholders/new/")
    assert owner.post("/w/ramsey/stakeholders/new/", {**STAKEHOLDER, "once": token}).status_code
    editor = Client()
    editor.force_login(workspace_world.editor)
    data = {**STAKEHOLDER, "name": "Another partner", "once": token}
    assert editor.post("/w/ramsey/stakeholders/new/", data).status_code == 302
    assert Stakeholder.objects.filter(name="Another partner").exists()
