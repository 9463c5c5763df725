"""Workspaces, members, roles, invitation links and the activity log."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from workspace_support import make_user

from upward.web.workspace.models import (
    Activity,
    Invitation,
    Membership,
    Workspace,
    role_with_article,
)
from upward.web.workspace.tokens import make_token

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_create_workspace_validates_places(warehouse_env, client: Client) -> None:
    client.force_login(make_user("ana"))
    response = client.post(
        reverse("workspace:create"), {"name": "X", "places": "99999\nRamsey County"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "at least 3 characters" in errors["name"][0]
    assert any("No county or city matches '99999'" in e for e in errors["places"])
    assert any("matches several places" in e for e in errors["places"])
    response = client.post(
        reverse("workspace:create"),
        {"name": "Ramsey Mobility Coalition", "places": "Ramsey County, MN\n2758000"},
    )
    workspace = Workspace.objects.get()
    assert response["Location"] == reverse("workspace:home", args=[workspace.slug])
    assert workspace.slug == "ramsey-mobility-coalition"
    assert workspace.geoids == ["27123", "2758000"]
    assert Membership.objects.get(workspace=workspace).role == "owner"
    home = client.get(response["Location"]).content.decode()
    assert 'href="/county/27123/"' in home and 'href="/city/2758000/"' in home
    assert "Household income at the 20th percentile" in home and "95% CI" in home


def test_home_shows_headline_values_with_year_ci_and_quality(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(workspace_world.viewer)
    page = client.get(reverse("workspace:home", args=["ramsey"])).content.decode()
    assert "$27,250" in page and "(2023; 95% CI $25,500–$29,000; quality: Strong)" in page
    assert "Twin counties" in page and "Hennepin County, MN" in page
    assert "Not assessed yet" in page and "Postpone the next steps" not in page  # blank


def test_invitation_link_is_signed_single_use_and_expiring(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    owner = Client()
    owner.force_login(workspace_world.owner)
    response = owner.post(
        reverse("workspace:invite", args=["ramsey"]), {"role": "viewer", "note": "Sam"}
    )
    assert response.status_code == 302
    link = owner.get(reverse("workspace:members", args=["ramsey"])).context["new_link"]
    path = link.split("testserver", 1)[1]
    # anonymous: asked to sign in or sign up, then come back
    page = client.get(path).content.decode()
    assert "Join Ramsey Mobility Coalition" in page and "Create an account" in page
    assert "workspace as a viewer." in page
    sam = make_user("sam")
    client.force_login(sam)
    response = client.post(path)
    assert response["Location"] == reverse("workspace:home", args=["ramsey"])
    assert Membership.objects.get(user=sam).role == "viewer"
    # single use
    other = Client()
    other.force_login(make_user("tom"))
    assert other.post(path).status_code == 410
    assert not Membership.objects.filter(user__username="tom").exists()
    # tampered or unknown tokens
    assert other.get(path[:-3] + "xyz/").status_code == 404
    # expired and withdrawn
    invitation = workspace_world.invitation
    url = reverse("accept_invitation", args=[make_token(invitation)])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert other.get(url).status_code == 410
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    assert other.post(url).status_code == 410
    joined = Activity.objects.filter(workspace=workspace_world.workspace, verb="joined as").get()
    assert joined.target == "a viewer"
    created = Activity.objects.get(verb="created an invitation link for")
    assert created.target == "a viewer"


@pytest.mark.parametrize(
    ("role", "phrase"), [("owner", "an owner"), ("editor", "an editor"), ("viewer", "a viewer")]
)
def test_a_role_in_a_sentence_has_its_article(role: str, phrase: str) -> None:
    assert role_with_article(role) == phrase


def test_owner_manages_roles_but_not_the_last_owner(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(workspace_world.owner)
    owner_membership = Membership.objects.get(user=workspace_world.owner)
    viewer = workspace_world.viewer_membership
    url = reverse("workspace:member_role", args=["ramsey", viewer.pk])
    response = client.post(
        url, {f"m{viewer.pk}-role": "editor", f"m{viewer.pk}-version": viewer.version}, follow=True
    )
    assert "vera is now an editor." in response.content.decode()
    viewer.refresh_from_db()
    assert viewer.role == "editor" and viewer.version == 2
    # a stale version does not overwrite
    client.post(url, {f"m{viewer.pk}-role": "viewer", f"m{viewer.pk}-version": 1})
    viewer.refresh_from_db()
    assert viewer.role == "editor"
    # the only owner can neither step down nor be removed, and is offered neither
    page = client.get(reverse("workspace:members", args=["ramsey"])).content.decode()
    own_remove = reverse("workspace:member_remove", args=["ramsey", owner_membership.pk])
    own_role = reverse("workspace:member_role", args=["ramsey", owner_membership.pk])
    assert own_remove not in page and own_role not in page
    assert "The only owner: make someone else an owner" in page
    assert reverse("workspace:member_remove", args=["ramsey", viewer.pk]) in page
    url = reverse("workspace:member_role", args=["ramsey", owner_membership.pk])
    response = client.post(
        url, {f"m{owner_membership.pk}-role": "editor", f"m{owner_membership.pk}-version": 1}
    )
    assert response.status_code == 403
    remove = reverse("workspace:member_remove", args=["ramsey", owner_membership.pk])
    assert client.post(remove).status_code == 403
    assert Membership.objects.get(pk=owner_membership.pk).role == "owner"
    # an editor cannot manage members
    editor = Client()
    editor.force_login(workspace_world.editor)
    refused = editor.post(reverse("workspace:member_remove", args=["ramsey", viewer.pk]))
    assert refused.status_code == 403
    assert "you are an editor in Ramsey Mobility Coalition" in refused.content.decode()
    # with a second owner, the first can be removed
    client.post(
        reverse("workspace:member_role", args=["ramsey", viewer.pk]),
        {f"m{viewer.pk}-role": "owner", f"m{viewer.pk}-version": 2},
    )
    page = client.get(reverse("workspace:members", args=["ramsey"])).content.decode()
    assert own_remove in page and "The only owner" not in page  # two owners: both offered
    assert client.post(remove).status_code == 302
    assert not Membership.objects.filter(pk=owner_membership.pk).exists()
    verbs = list(
        Activity.objects.filter(workspace=workspace_world.workspace).values_list("verb", flat=True)
    )
    assert "removed" in verbs and verbs.count("changed the role of") == 2


def test_activity_log_is_visible_to_members(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    editor = Client()
    editor.force_login(workspace_world.editor)
    editor.post(
        reverse("workspace:stakeholder_create", args=["ramsey"]),
        {
            "name": "Hmong American Partnership",
            "kind": "organization",
            "sector": "nonprofit",
            "relationship": "aware",
            "influence": "medium",
            "role": "to_invite",
            "invitation_status": "not_invited",
        },
    )
    client.force_login(workspace_world.viewer)
    page = client.get(reverse("workspace:activity", args=["ramsey"])).content.decode()
    assert "eddie" in page and "added" in page and "Hmong American Partnership" in page


def test_settings_change_places(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.owner)
    url = reverse("workspace:settings", args=["ramsey"])
    form = client.get(url).context["form"]
    assert form.initial["places"] == "Ramsey County, MN\nSt. Paul, MN"
    response = client.post(url, {"name": "Ramsey Coalition", "places": "27123", "version": 1})
    assert response.status_code == 302
    workspace = Workspace.objects.get(slug="ramsey")
    assert workspace.geoids == ["27123"] and workspace.version == 2
