"""Walk every URL pattern of the learning networks (namespace "networks", /n/) and prove
the isolation rules hold for each.

The patterns come from the URL resolver, so a route added later is walked automatically;
its parameters are filled from ``network_world.params`` (tests/network_support.py) by
name, and a parameter the walk cannot fill fails the test instead of being skipped. The
world: the network "maln" with its operator (opal), an adviser (ada) and one team (the
workspace "ramsey": owner olivia, viewer vera); a rival network "harbor-net" with its
operator (bob) and team (owner hank); oscar, signed in, in no network.

The coalition's side (/w/<slug>/network/) is in the workspace namespace, walked by
tests/test_workspace_access.py.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from workspace_support import snapshot

from upward.planning import network as vocab
from upward.web.workspace.models import Activity

pytest_plugins = ["workspace_support", "network_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
CHANGE = {"version": 1, "name": "Changed", "role": "operator", "note": "x", "direction": "up",
          "consent": "on", "title": "x", "text": "x", "status": "done"}  # fmt: skip
"""A body that would change something if the view let the request through."""
TEAM_CHANGES: frozenset[str] = frozenset({"follow_up_done"})
"""The network pages that take a change from a team member (``team_change=True``), by
name: a view added with it must be listed here, and is walked by its own test."""


def network_patterns() -> list[URLPattern]:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "networks":
            return [p for p in entry.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("the network URLs are not mounted")


def scoped_patterns() -> list[URLPattern]:
    """Every pattern that names a network (all but the list, the create and join pages)."""
    return [p for p in network_patterns() if "<slug:slug>" in str(p.pattern)]


def fill(pattern: URLPattern, params: dict[str, Any], **override: Any) -> str:
    """The pattern's address with each parameter from ``params`` (or ``override``)."""
    route = str(pattern.pattern)
    values = {**params, **override}
    kwargs: dict[str, Any] = {}
    for match in PARAM.finditer(route):
        name = match.group(2)
        assert name in values, f"walk cannot fill <{name}> in {route}: add it to world.params"
        kwargs[name] = values[name]
    return reverse(f"networks:{pattern.name}", kwargs=kwargs)


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_the_walk_sees_every_section() -> None:
    names = {p.name for p in network_patterns()}
    expected = {"list", "create", "join", "settings", "track_add", "track_edit", "track_move",
                "track_remove", "staff", "staff_invite", "staff_remove", "invitations",
                "invitation_revoke"}  # fmt: skip
    assert expected <= names
    assert len(scoped_patterns()) >= 10


def test_the_walk_refuses_a_parameter_it_cannot_fill(network_world: SimpleNamespace) -> None:
    unknown = path("<slug:slug>/widgets/<int:widget_id>/", lambda r: None, name="settings")
    with pytest.raises(AssertionError, match="cannot fill"):
        fill(unknown, network_world.params)


def test_every_scoped_view_is_guarded() -> None:
    for pattern in scoped_patterns():
        assert hasattr(pattern.callback, "network_role"), f"{pattern.name} lacks network_view"


def test_only_listed_views_take_a_change_from_a_team() -> None:
    taken = {p.name for p in scoped_patterns() if getattr(p.callback, "team_change", False)}
    assert taken == TEAM_CHANGES


def test_operator_reaches_every_url(network_world: SimpleNamespace, client: Client) -> None:
    """The world fills every URL with real objects (else the 404s below prove nothing)."""
    client.force_login(network_world.operator)
    for pattern in network_patterns():
        url = fill(pattern, network_world.params)
        response = client.get(url)
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"


def test_anonymous_is_sent_to_sign_in(network_world: SimpleNamespace, client: Client) -> None:
    before = snapshot()
    for pattern in network_patterns():
        url = fill(pattern, network_world.params)
        for response in (client.get(url), client.post(url, CHANGE)):
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url
        # the same answer whether or not the network exists: nothing leaks
        missing = fill(pattern, network_world.params, slug="no-such-network")
        assert client.get(missing)["Location"].startswith("/accounts/login/"), missing
    assert snapshot() == before


def refused_everywhere(client: Client, world: SimpleNamespace, user: Any) -> None:
    """``user`` gets 404 on every address of network "maln", read or change, as if it did
    not exist; nothing changes."""
    client.force_login(user)
    before = snapshot()
    for pattern in scoped_patterns():
        url = fill(pattern, world.params)
        assert client.get(url).status_code == 404, (user.username, url)
        assert client.post(url, CHANGE).status_code == 404, (user.username, url)
        assert world.network.name not in client.get(url).content.decode(), url
    assert snapshot() == before


def test_a_signed_in_outsider_gets_404(network_world: SimpleNamespace, client: Client) -> None:
    refused_everywhere(client, network_world, network_world.outsider)


def test_staff_of_another_network_get_404(network_world: SimpleNamespace, client: Client) -> None:
    refused_everywhere(client, network_world, network_world.rival_operator)


def test_a_team_of_another_network_gets_404(network_world: SimpleNamespace, client: Client) -> None:
    refused_everywhere(client, network_world, network_world.rival_owner)


def test_a_viewer_team_member_cannot_change_anything(
    network_world: SimpleNamespace, client: Client
) -> None:
    """vera reads what the network shows its teams, and changes nothing anywhere."""
    client.force_login(network_world.viewer)
    before = snapshot()
    for pattern in scoped_patterns():
        if pattern.name in TEAM_CHANGES:
            continue
        url = fill(pattern, network_world.params)
        status = client.post(url, CHANGE).status_code
        assert status in (403, 404), f"viewer POST {url}: {status}"
        if not pattern.callback.network_teams:  # type: ignore[attr-defined]
            assert client.get(url).status_code == 404, f"a staff page shown to a team: {url}"
    assert snapshot() == before


def test_an_adviser_is_refused_the_operator_pages(
    network_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(network_world.adviser)
    before = snapshot()
    for pattern in scoped_patterns():
        url = fill(pattern, network_world.params)
        if pattern.callback.network_role == vocab.OPERATOR:  # type: ignore[attr-defined]
            assert client.get(url).status_code == 403, url
            assert client.post(url, CHANGE).status_code == 403, url
        else:
            assert client.get(url).status_code in (200, 302), url
    assert snapshot() == before


def test_staff_see_no_team_of_another_network(
    network_world: SimpleNamespace, client: Client
) -> None:
    """An address naming another network's team (or one that left) is 404 for staff."""
    world = network_world
    with_team = [p for p in scoped_patterns() if "<int:team_id>" in str(p.pattern)]
    client.force_login(world.operator)
    before = snapshot()
    for pattern in with_team:
        url = fill(pattern, world.params, team_id=world.rival_team.pk)
        assert client.get(url).status_code == 404, url
        assert client.post(url, CHANGE).status_code == 404, url
    assert snapshot() == before


def test_no_get_changes_anything(network_world: SimpleNamespace, client: Client) -> None:
    """The operator who merely opens any address (a link on another site would do it)
    changes nothing: no row of any model, no activity, on every network URL."""
    client.force_login(network_world.operator)
    urls = [fill(p, network_world.params) for p in network_patterns()]
    assert any("/remove/" in u for u in urls) and any("/revoke/" in u for u in urls)
    before, counts, activity = snapshot(), row_counts(), Activity.objects.count()
    for url in urls:
        for method in (client.get, client.head):
            response = method(url)
            assert response.status_code < 500, f"{url}: {response.status_code}"
        assert Activity.objects.count() == activity, f"GET {url} wrote to the activity log"
        assert row_counts() == counts, f"GET {url} added or removed rows"
    assert snapshot() == before


def test_post_without_csrf_token_fails(network_world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(network_world.operator)
    before = snapshot()
    for pattern in network_patterns():
        url = fill(pattern, network_world.params)
        assert client.post(url, CHANGE).status_code == 403, url
    assert snapshot() == before
