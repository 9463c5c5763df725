"""Stakeholder inventory pages: forms, coverage, invitation list, CSV import and export."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from upward.web.workspace.models import Activity, Stakeholder

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

VALID = {
    "name": "East Side Freedom Library",
    "kind": "organization",
    "sector": "nonprofit",
    "pillars": ["neighborhoods"],
    "predictors": ["social_capital"],
    "relationship": "engaged",
    "influence": "medium",
    "role": "partner",
    "invitation_status": "accepted",
    "email": "hello@example.org",
    "phone": "651-555-0100",
}


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def test_form_rejects_bad_values_field_by_field(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    bad = {
        **VALID,
        "name": "saint paul public schools",
        "sector": "aliens",
        "predictors": ["nope"],
        "email": "no-at-sign",
        "phone": "call me",
        "influence": "",
    }
    response = editor.post(reverse("workspace:stakeholder_create", args=["ramsey"]), bad)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"name", "sector", "predictors", "email", "phone", "influence"}
    assert "already in the inventory" in errors["name"][0]
    page = response.content.decode()
    assert 'id="id_email_error"' in page and "usa-input--error" in page
    assert Stakeholder.objects.count() == 1


def test_create_edit_delete(workspace_world: SimpleNamespace, editor: Client) -> None:
    response = editor.post(reverse("workspace:stakeholder_create", args=["ramsey"]), VALID)
    assert response.status_code == 302
    created = Stakeholder.objects.get(name=VALID["name"])
    assert created.pillars == ["neighborhoods"] and created.predictors == ["social_capital"]
    url = reverse("workspace:stakeholder_edit", args=["ramsey", created.pk])
    editor.post(url, {**VALID, "influence": "high", "version": 1})
    created.refresh_from_db()
    assert created.influence == "high" and created.version == 2
    delete = reverse("workspace:stakeholder_delete", args=["ramsey", created.pk])
    editor.post(delete, {"version": 1})  # stale: refused
    assert Stakeholder.objects.filter(pk=created.pk).exists()
    editor.post(delete, {"version": 2})
    assert not Stakeholder.objects.filter(pk=created.pk).exists()
    verbs = set(Activity.objects.values_list("verb", flat=True))
    assert {"added", "edited", "deleted"} <= verbs


def test_list_filters(workspace_world: SimpleNamespace, editor: Client) -> None:
    editor.post(reverse("workspace:stakeholder_create", args=["ramsey"]), VALID)
    url = reverse("workspace:stakeholders", args=["ramsey"])
    editor.get(url)  # shows (and so clears) the "Added ..." message
    page = editor.get(url, {"pillar": "education"}).content.decode()
    assert "Saint Paul Public Schools" in page and "East Side Freedom Library" not in page
    page = editor.get(url, {"sector": "nonprofit", "q": "freedom"}).content.decode()
    assert "East Side Freedom Library" in page and "Saint Paul Public Schools" not in page
    assert editor.get(url, {"sector": "aliens"}).status_code == 200  # bad filter: ignored


def test_coverage_flags_just_policing(workspace_world: SimpleNamespace, editor: Client) -> None:
    page = editor.get(reverse("workspace:coverage", args=["ramsey"])).content.decode()
    assert "Gaps, where to look first" in page
    assert (
        '<strong>Just policing</strong> <span class="upward-meta">(predictor with no active '
        "partner)</span>: Responsive and Just Governance." in page
    )
    assert "<strong>Effective public education</strong>" not in page


def test_invitation_list_ranks_and_marks(workspace_world: SimpleNamespace, editor: Client) -> None:
    editor.post(
        reverse("workspace:stakeholder_create", args=["ramsey"]),
        {
            **VALID,
            "name": "Police Civilian Review",
            "sector": "justice",
            "predictors": ["just_policing"],
            "relationship": "none",
            "influence": "high",
            "invitation_status": "not_invited",
            "role": "to_invite",
        },
    )
    page = editor.get(reverse("workspace:invitation_list", args=["ramsey"])).content.decode()
    assert page.index("Police Civilian Review") < page.index("Saint Paul Public Schools")
    assert "would cover Just policing (+2)" in page
    target = Stakeholder.objects.get(name="Police Civilian Review")
    editor.post(reverse("workspace:mark_invited", args=["ramsey", target.pk]), {"version": 1})
    target.refresh_from_db()
    assert target.invitation_status == "invited"
    page = editor.get(reverse("workspace:invitation_list", args=["ramsey"])).content.decode()
    assert "Invited, awaiting a reply" in page


def test_import_is_all_or_nothing(workspace_world: SimpleNamespace, editor: Client) -> None:
    url = reverse("workspace:stakeholder_import", args=["ramsey"])
    text = (
        "name,sector,predictors,email\n"
        "Good One,business,,\n"
        "Saint Paul Public Schools,early_k12,,\n"
        "Bad Two,nonprofit,Moon access,x@\n"
    )
    response = editor.post(url, {"text": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported: 3 problems found" in page
    assert (
        '<td data-label="Line">3</td><td data-label="Name">Saint Paul Public Schools</td>' in page
    )
    assert (
        '<td data-label="Line">4</td><td data-label="Name">Bad Two</td>'
        '<td data-label="Column">predictors' in page
    )
    assert "choose the file again" not in page  # text was pasted, not a file
    assert "Bad Two,nonprofit,Moon access" in page  # the pasted text is kept
    assert not Stakeholder.objects.filter(name="Good One").exists()
    upload = SimpleUploadedFile("s.csv", b"name,sector\nGood One,business\nGood Two,faith\n")
    response = editor.post(url, {"file": upload})
    assert response.status_code == 302
    assert set(Stakeholder.objects.values_list("name", flat=True)) >= {"Good One", "Good Two"}
    latin = SimpleUploadedFile("s.csv", "name,sector\nCaf\xe9,other\n".encode("latin-1"))
    response = editor.post(url, {"file": latin})
    assert "not UTF-8" in response.context["form"].errors["file"][0]
    assert "Choose a CSV file" in editor.post(url, {}).context["form"].errors["file"][0]


def test_export_round_trips_through_import(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    editor.post(reverse("workspace:stakeholder_create", args=["ramsey"]), VALID)
    response = editor.get(reverse("workspace:stakeholder_export", args=["ramsey"]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "East Side Freedom Library" in text and "Social capital" in text
    Stakeholder.objects.all().delete()
    editor.post(reverse("workspace:stakeholder_import", args=["ramsey"]), {"text": text})
    again = Stakeholder.objects.get(name="East Side Freedom Library")
    assert (again.sector, again.predictors, again.invitation_status) == (
        "nonprofit",
        ["social_capital"],
        "accepted",
    )


def test_import_can_update_records_by_name_all_or_nothing(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    editor.post(reverse("workspace:stakeholder_create", args=["ramsey"]), VALID)
    before = Stakeholder.objects.get(name="East Side Freedom Library")
    count = Stakeholder.objects.count()
    text = editor.get(reverse("workspace:stakeholder_export", args=["ramsey"])).content.decode()
    edited = text.replace("East Side Freedom Library,", "EAST SIDE  freedom library,", 1)
    edited = edited.replace(",Accepted,", ",Declined,", 1)
    edited += "Brand New Group,,,Faith-based organizations,,,,,,,,,\n"
    url = reverse("workspace:stakeholder_import", args=["ramsey"])
    # adding only: the names already there are problems, each named, and nothing is saved
    upload = SimpleUploadedFile("s.csv", edited.encode())
    response = editor.post(url, {"file": upload, "mode": "add"})
    page = response.content.decode()
    assert response.status_code == 400 and "EAST SIDE freedom library" in page
    assert "choose the file again" in page  # the browser cannot keep the chosen file
    assert 'value="add" class="usa-radio__input" id="id_mode_0" checked' in page
    assert Stakeholder.objects.count() == count
    # a bad line in update mode: nothing is updated either
    bad = edited + "Broken,,,nowhere,,,,,,,,,\n"
    response = editor.post(url, {"text": bad, "mode": "update"})
    assert response.status_code == 400
    assert (
        '<td data-label="Name">Broken</td><td data-label="Column">sector</td>'
        in response.content.decode()
    )
    assert 'id="id_mode_1" checked' in response.content.decode()  # the choice is kept
    assert Stakeholder.objects.get(pk=before.pk).invitation_status == "accepted"
    # updating: matched by the one name rule, version bumped, new names added
    response = editor.post(url, {"text": edited, "mode": "update"}, follow=True)
    assert "stakeholder added, " in response.content.decode()
    after = Stakeholder.objects.get(pk=before.pk)
    assert (after.name, after.invitation_status) == ("EAST SIDE  freedom library", "declined")
    assert after.version == before.version + 1
    assert Stakeholder.objects.count() == count + 1
    # an edit form opened before the import is now stale and cannot overwrite it
    response = editor.post(
        reverse("workspace:stakeholder_edit", args=["ramsey", before.pk]),
        {**VALID, "version": before.version},
    )
    assert response.status_code == 409
