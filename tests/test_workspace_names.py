"""Names that must be unique in a workspace (stakeholders, workgroups, peer sets).

One rule decides when two names are the same: :func:`upward.planning.name.name_key`
(Unicode case folding after NFKC normalization, spaces collapsed). The form's check, the
CSV import and the database's unique constraint all compare that key, so SQLite and
PostgreSQL agree, and a clash is a field error on the page (400) or in the API, never a
500, even when a second request saves the name between the check and the insert.
"""

from __future__ import annotations

import json
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from upward.planning.name import name_key
from upward.web.workspace.forms.coalition import WorkgroupForm
from upward.web.workspace.forms.stakeholders import StakeholderForm
from upward.web.workspace.forms.workspace import PeerSetForm
from upward.web.workspace.models import PeerSet, Stakeholder, Workgroup

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_the_rule() -> None:
    assert name_key("  Saint  Paul\tSchools ") == "saint paul schools"
    assert name_key("STRASSE Partners") == name_key("Straße partners")
    assert name_key("ÉCOLE Org") == name_key("école org")
    assert name_key("Ｆｕｌｌ Width") == name_key("full width")  # NFKC
    assert name_key("e\u0301cole") == name_key("école")  # composed or not
    # Unicode's case folding keeps the dot of a dotted capital I: İ is not i
    assert name_key("İstanbul Org") != name_key("istanbul Org")


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


STAKEHOLDER = {
    "sector": "other",
    "kind": "organization",
    "relationship": "none",
    "influence": "medium",
    "role": "to_invite",
    "invitation_status": "not_invited",
}


def post_stakeholder(client: Client, name: str) -> Any:
    return client.post("/w/ramsey/stakeholders/new/", {"name": name, **STAKEHOLDER})


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        ("İstanbul Org", "istanbul Org", False),
        ("istanbul Org", "İstanbul Org", False),
        ("İstanbul Org", "İSTANBUL ORG", True),
        ("Straße Partners", "STRASSE PARTNERS", True),
        ("ÉCOLE Org", "école org", True),
        ("Ada Org", "ada  ORG", True),
    ],
)
def test_page_and_api_apply_one_rule_on_every_database(
    workspace_world: SimpleNamespace, editor: Client, first: str, second: str, clash: bool
) -> None:
    assert post_stakeholder(editor, first).status_code == 302
    response = post_stakeholder(editor, second)
    if clash:
        assert response.status_code == 400
        assert "already in the inventory" in str(response.context["form"].errors["name"])
    else:
        assert response.status_code == 302
    api = editor.post(
        "/api/workspaces/ramsey/stakeholders",
        json.dumps({"name": second.upper(), "sector": "other"}),
        content_type="application/json",
    )
    expected_clash = clash or name_key(second.upper()) in {name_key(first), name_key(second)}
    assert api.status_code == (400 if expected_clash else 201), api.content[:300]


def test_the_database_constraint_uses_the_same_key(workspace_world: SimpleNamespace) -> None:
    Stakeholder.objects.create(workspace=workspace_world.workspace, name="Straße", sector="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        Stakeholder.objects.create(
            workspace=workspace_world.workspace, name="STRASSE", sector="other"
        )
    # and a different workspace may use the name
    other = workspace_world.workspace.__class__.objects.get(slug="elsewhere")
    Stakeholder.objects.create(workspace=other, name="strasse", sector="other")


FORMS = {
    "stakeholder": (StakeholderForm, "/w/ramsey/stakeholders/new/", STAKEHOLDER),
    "peer set": (PeerSetForm, "/w/ramsey/peers/new/", {"places": "27053"}),
    "workgroup": (
        WorkgroupForm,
        "/w/ramsey/coalition/workgroups/new/",
        {"cadence": "monthly", "focus": "pillar:work"},
    ),
}
MODELS = {"stakeholder": Stakeholder, "peer set": PeerSet, "workgroup": Workgroup}


@pytest.mark.parametrize("kind", list(FORMS))
def test_a_name_saved_meanwhile_is_a_field_error_not_a_500(
    workspace_world: SimpleNamespace, editor: Client, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Two simultaneous creates: the other request saves the name after our check."""
    form_class, url, extra = FORMS[kind]
    checked = form_class.clean_name

    def check_then_lose_the_race(form: Any) -> str:
        name = checked(form)
        MODELS[kind].objects.create(workspace=workspace_world.workspace, name=name.upper())
        return name

    monkeypatch.setattr(form_class, "clean_name", check_then_lose_the_race)
    response = editor.post(url, {"name": "Racing Partners", **extra})
    assert response.status_code == 400, response.content[:300]
    assert "already" in str(response.context["form"].errors["name"])
    assert MODELS[kind].objects.filter(name__in=["RACING PARTNERS"]).count() == 1


def test_a_rename_that_loses_the_race_is_a_field_error(
    workspace_world: SimpleNamespace, editor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = StakeholderForm.clean_name

    def check_then_lose_the_race(form: Any) -> str:
        name = checked(form)
        Stakeholder.objects.create(workspace=form.workspace, name=name, sector="other")
        return name

    monkeypatch.setattr(StakeholderForm, "clean_name", check_then_lose_the_race)
    pk = workspace_world.stakeholder.pk
    response = editor.post(
        f"/w/ramsey/stakeholders/{pk}/", {"name": "Renamed", **STAKEHOLDER, "version": 1}
    )
    assert response.status_code == 400
    assert Stakeholder.objects.get(pk=pk).name == "Saint Paul Public Schools"


def test_an_import_that_loses_the_race_saves_nothing(
    workspace_world: SimpleNamespace, editor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from upward.web.workspace import stakeholder_store

    imported = stakeholder_store.import_rows

    def lose_the_race(
        workspace: Any, rows: Any, user: Any, update_existing: bool = False
    ) -> tuple[int, int]:
        Stakeholder.objects.create(workspace=workspace, name="b partner", sector="other")
        return imported(workspace, rows, user, update_existing)

    monkeypatch.setattr("upward.web.workspace.views.stakeholders.import_rows", lose_the_race)
    before = Stakeholder.objects.count()
    text = "name,sector\nA partner,other\nB Partner,other\n"
    response = editor.post("/w/ramsey/stakeholders/import/", {"text": text})
    assert response.status_code == 409
    assert "added meanwhile" in response.content.decode()
    assert Stakeholder.objects.count() == before
    # in the mode that updates, the record added meanwhile is updated instead
    Stakeholder.objects.filter(name="b partner").delete()
    response = editor.post("/w/ramsey/stakeholders/import/", {"text": text, "mode": "update"})
    assert response.status_code == 302
    assert Stakeholder.objects.count() == before + 2
    assert Stakeholder.objects.get(name_key="b partner").name == "B Partner"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_of_one_name_never_500(
    workspace_world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real requests in two threads, both past the name check before either inserts."""
    from django.db import close_old_connections, connection

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:")
    ):
        pytest.skip("in-memory SQLite cannot be shared between threads (see test_workspace_sqlite)")
    barrier = threading.Barrier(2)
    checked = StakeholderForm.clean_name

    def check_together(form: Any) -> str:
        name = checked(form)
        barrier.wait(timeout=10)
        return name

    monkeypatch.setattr(StakeholderForm, "clean_name", check_together)
    statuses: list[int] = []

    def create() -> None:
        try:
            client = Client()
            client.force_login(workspace_world.editor)
            statuses.append(post_stakeholder(client, "Twin Name Partners").status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [302, 400], statuses
    assert Stakeholder.objects.filter(name="Twin Name Partners").count() == 1
