"""Coalition structure (backbone, advisory group, workgroups) and peer sets."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from upward.web.workspace.models import CoalitionStructure, PeerSet, Stakeholder, Workgroup

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def test_workgroup_with_focus_lead_and_members(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    ws = workspace_world.workspace
    lead = Stakeholder.objects.create(workspace=ws, name="Ramsey County Attorney", sector="justice")
    member = workspace_world.stakeholder
    url = reverse("workspace:workgroup_create", args=["ramsey"])
    response = editor.post(
        url, {"name": "education", "focus": "predictor:flying", "cadence": "daily", "lead": 99999}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "focus", "cadence", "lead"}
    response = editor.post(
        url,
        {
            "name": "Safety and justice",
            "focus": "predictor:just_policing",
            "lead": lead.pk,
            "members": [member.pk],
            "cadence": "monthly",
        },
    )
    assert response.status_code == 302
    group = Workgroup.objects.get(name="Safety and justice")
    assert (group.focus_predictor, group.focus_pillar) == ("just_policing", "governance")
    assert set(group.members.all()) == {lead, member}  # the lead joins the members
    page = editor.get(reverse("workspace:coalition", args=["ramsey"])).content.decode()
    assert "Just policing" in page and "Ramsey County Attorney" in page
    other = Stakeholder.objects.create(
        workspace=workspace_world.workspace, name="x", sector="other"
    )
    Stakeholder.objects.filter(pk=other.pk).update(workspace=_elsewhere())
    response = editor.post(
        url, {"name": "Sneaky", "focus": "pillar:work", "cadence": "weekly", "members": [other.pk]}
    )
    assert "members" in response.context["form"].errors  # only this workspace's stakeholders


def _elsewhere():  # type: ignore[no-untyped-def]
    from upward.web.workspace.models import Workspace

    return Workspace.objects.get(slug="elsewhere")


def test_backbone_and_advisory_group(workspace_world: SimpleNamespace, editor: Client) -> None:
    s = workspace_world.stakeholder
    url = reverse("workspace:structure_edit", args=["ramsey"])
    response = editor.post(
        url,
        {
            "version": 1,
            "backbone": s.pk,
            "advisory_members": [s.pk],
            "advisory_cadence": "monthly",
            "backbone_duties": "Keeps the plan",
        },
    )
    assert response.status_code == 302
    structure = CoalitionStructure.objects.get(workspace=workspace_world.workspace)
    assert structure.backbone == s and list(structure.advisory_members.all()) == [s]
    page = editor.get(reverse("workspace:home", args=["ramsey"])).content.decode()
    assert "Backbone: Saint Paul Public Schools" in page and "Advisory group: 1 member" in page


def test_peer_sets_check_places(workspace_world: SimpleNamespace, editor: Client) -> None:
    url = reverse("workspace:peer_set_create", args=["ramsey"])
    response = editor.post(url, {"name": "twin counties", "places": "00000"})
    errors = response.context["form"].errors
    assert (
        "already has this name" in errors["name"][0] and "No county or city" in errors["places"][0]
    )
    response = editor.post(url, {"name": "Big cities", "places": "Minneapolis, MN\n4075000"})
    assert response.status_code == 302
    assert PeerSet.objects.get(name="Big cities").geoids == ["2743000", "4075000"]
    page = editor.get(reverse("workspace:peers", args=["ramsey"])).content.decode()
    assert 'href="/city/4075000/"' in page and "Tulsa, OK" in page


def test_member_pickers_are_searchable_checkbox_lists(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    """One widget (MultiPicker) for every multi-choice of stakeholders: checkboxes that work
    without script, the chosen first, and a filter box the script reveals."""
    from upward.web.workspace.forms.base import MultiPicker
    from upward.web.workspace.forms.coalition import StructureForm, WorkgroupForm

    workspace = workspace_world.workspace
    for form, field in ((StructureForm, "advisory_members"), (WorkgroupForm, "members")):
        assert isinstance(form(workspace=workspace).fields[field].widget, MultiPicker)
    many = Stakeholder.objects.bulk_create(
        Stakeholder(workspace=workspace, name=f"Partner {i:03}", sector="nonprofit")
        for i in range(300)
    )
    structure = workspace.structure
    structure.advisory_members.add(many[250])
    url = reverse("workspace:structure_edit", args=["ramsey"])
    page = editor.get(url).content.decode()
    assert "<select multiple" not in page and "Hold Ctrl" not in page
    assert 'data-picker id="id_advisory_members_picker"' in page
    assert '<div class="upward-picker__filter" data-picker-filter hidden>' in page
    assert page.count('name="advisory_members"') == 301
    first = page.index('name="advisory_members"')
    chosen = page.index(f'name="advisory_members" value="{many[250].pk}" checked', first)
    assert chosen == first  # the chosen come first
    assert page.index(f'name="advisory_members" value="{many[0].pk}"') > chosen
    assert '<legend class="usa-legend">Advisory group members</legend>' in page
    assert "picker.js" in page
    data = {"advisory_cadence": "monthly", "version": structure.version,
            "advisory_members": [many[1].pk, many[2].pk]}  # fmt: skip
    assert editor.post(url, data).status_code == 302
    assert set(structure.advisory_members.values_list("pk", flat=True)) == {many[1].pk, many[2].pk}
    other = Stakeholder.objects.create(
        workspace=workspace_world.workspace.__class__.objects.get(slug="elsewhere"),
        name="Not ours", sector="nonprofit",
    )  # fmt: skip
    data["version"] = structure.version + 1
    data["advisory_members"] = [other.pk]
    assert editor.post(url, data).status_code == 400  # another workspace's stakeholder
