"""Walk every workspace URL pattern and prove the isolation rules hold for each.

The patterns come from the URL resolver, so a URL added later is walked automatically;
its parameters are filled from the fixture world by parameter name and by the path
segment before the parameter. A URL whose parameter the walk cannot fill fails the test
instead of being skipped.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from workspace_support import *  # noqa: F403  (fixtures)
from workspace_support import snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db]

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def workspace_patterns() -> list[URLPattern]:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "workspace":
            return [p for p in entry.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("the workspace URLs are not mounted")


def scoped_patterns() -> list[URLPattern]:
    """Every pattern that names a workspace (all but the list and the create page)."""
    return [p for p in workspace_patterns() if "<slug:slug>" in str(p.pattern)]


def fill(pattern: URLPattern, world: SimpleNamespace) -> str:
    route = str(pattern.pattern)
    by_segment = {
        "members": world.viewer_membership.pk,
        "invitations": world.invitation.pk,
        "stakeholders": world.stakeholder.pk,
        "workgroups": world.workgroup.pk,
        "peers": world.peer_set.pk,
        "plan": world.task.pk,
    }
    kwargs: dict[str, Any] = {}
    for match in PARAM.finditer(route):
        name = match.group(2)
        if name == "slug":
            kwargs[name] = world.workspace.slug
        elif name == "number":
            kwargs[name] = world.assessment.number
        elif name == "condition_id":
            kwargs[name] = "leadership"
        elif name == "pk":
            segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            assert segment in by_segment, f"walk cannot fill pk after '{segment}/' in {route}"
            kwargs[name] = by_segment[segment]
        else:
            raise AssertionError(f"walk cannot fill <{name}> in {route}: add it to fill()")
    return reverse(f"workspace:{pattern.name}", kwargs=kwargs)


def test_the_walk_sees_every_section() -> None:
    names = {p.name for p in scoped_patterns()}
    for expected in (
        "home",
        "members",
        "readiness",
        "condition_edit",
        "plan",
        "task_edit",
        "stakeholders",
        "stakeholder_import",
        "coverage",
        "coalition",
        "workgroup_edit",
        "peers",
        "activity",
        "settings",
    ):
        assert expected in names
    assert len(names) >= 30


def test_every_scoped_view_is_guarded() -> None:
    for pattern in scoped_patterns():
        assert hasattr(pattern.callback, "workspace_role"), f"{pattern.name} lacks workspace_view"


def test_owner_reaches_every_url(workspace_world: SimpleNamespace, client: Client) -> None:
    """The fixture fills every URL with real objects (else the 404s below would be vacuous)."""
    client.force_login(workspace_world.owner)
    for pattern in scoped_patterns():
        url = fill(pattern, workspace_world)
        response = client.get(url)
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"


def test_non_member_gets_404_everywhere(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.outsider)
    before = snapshot()
    for pattern in scoped_patterns():
        url = fill(pattern, workspace_world)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"version": 1, "name": "x"}).status_code == 404, url
    assert snapshot() == before


def test_anonymous_is_sent_to_sign_in(workspace_world: SimpleNamespace, client: Client) -> None:
    for pattern in scoped_patterns():
        url = fill(pattern, workspace_world)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    # the same redirect whether or not the workspace exists: nothing leaks
    assert client.get("/w/no-such-workspace/").status_code == 302


def test_viewer_cannot_change_anything(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.viewer)
    before = snapshot()
    for pattern in scoped_patterns():
        url = fill(pattern, workspace_world)
        payload = {
            "version": 1,
            "name": "Changed",
            "role": "owner",
            "sector": "other",
            "title": "x",
            "copy_previous": "on",
            "places": "27123",
            "text": "name,sector\nNew partner,other\n",
            "done_leadership_briefed": "on",
            "focus": "pillar:work",
            "status": "done",
        }
        status = client.post(url, payload).status_code
        assert status in (403, 404), f"viewer POST {url}: {status}"
    assert snapshot() == before


def test_post_without_csrf_token_fails(workspace_world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(workspace_world.owner)
    before = snapshot()
    for pattern in scoped_patterns():
        url = fill(pattern, workspace_world)
        assert client.post(url, {"version": 1, "name": "x"}).status_code == 403, url
    for url in (reverse("workspace:create"), reverse("login"), reverse("signup")):
        assert client.post(url, {"name": "x", "username": "x", "password": "y"}).status_code == 403
    assert snapshot() == before


def test_records_of_another_workspace_are_404(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    """A member of one workspace cannot reach another's records through their own slug."""
    client.force_login(workspace_world.outsider)
    url = reverse("workspace:stakeholder_edit", args=["elsewhere", workspace_world.stakeholder.pk])
    assert client.get(url).status_code == 404
    url = reverse("workspace:assessment", args=["elsewhere", workspace_world.assessment.number])
    assert client.get(url).status_code == 404
