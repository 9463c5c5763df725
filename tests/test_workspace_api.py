"""The workspace JSON API (/api/workspaces/...): what each route returns, how changes are
validated, versioned and logged. The isolation walk over every route is in
tests/test_workspace_access.py.

Expected values are read from the store and the planning rules directly (or counted by
hand from the fixture world), so each test compares the API with what it serves.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from workspace_support import add_member, make_user, snapshot

from upward.planning.readiness import RECOMMENDATION_LABELS, get_conditions
from upward.web.workspace import readiness_store
from upward.web.workspace.forms.stakeholders import StakeholderForm
from upward.web.workspace.models import Activity, Stakeholder, StepAnswer

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

BASE = "/api/workspaces/ramsey"


def send(client: Client, method: str, url: str, body: Any = None) -> HttpResponse:
    data = "" if body is None else json.dumps(body)
    return client.generic(method, url, data, content_type="application/json")


def ok(response: HttpResponse, status: int = 200) -> Any:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def field_errors(response: HttpResponse) -> dict[str, list[str]]:
    body = ok(response, 400)
    assert body["error"]["status"] == 400 and "Nothing was saved" in body["error"]["message"]
    return body["error"]["fields"]


@pytest.fixture
def owner(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.owner)
    return client


# --- workspaces ---------------------------------------------------------------------


def test_list_holds_only_your_workspaces_with_your_role(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(workspace_world.viewer)
    body = ok(client.get("/api/workspaces"))
    assert body["count"] == 1 and body["next"] is None
    (item,) = body["items"]
    assert (item["slug"], item["name"], item["role"]) == (
        "ramsey",
        "Ramsey Mobility Coalition",
        "viewer",
    )
    assert item["geoids"] == ["27123", "2758000"] and item["url"] == "/w/ramsey/"


def test_list_pages_through_many_workspaces(
    workspace_world: SimpleNamespace, owner: Client
) -> None:
    from workspace_support import make_workspace

    user = make_user("mira")
    for n in range(3):
        make_workspace(user, name=f"Coalition {n}", slug=f"coalition-{n}")
    owner.force_login(user)
    first = ok(owner.get("/api/workspaces?limit=2"))
    assert first["count"] == 3 and [w["slug"] for w in first["items"]] == [
        "coalition-0",
        "coalition-1",
    ]
    second = ok(owner.get(first["next"]))
    assert [w["slug"] for w in second["items"]] == ["coalition-2"] and second["next"] is None


def test_workspace_detail(workspace_world: SimpleNamespace, owner: Client) -> None:
    body = ok(owner.get(BASE))
    assert body["name"] == "Ramsey Mobility Coalition" and body["role"] == "owner"
    names = [j["name"] for j in body["jurisdictions"]]
    assert names[0] == "Ramsey County, MN" and body["jurisdictions"][0]["url"] == "/county/27123/"
    assert len(names) == 2 and "St. Paul" in names[1]
    for headline in body["jurisdictions"][0]["headlines"]:
        assert headline["year"] > 2000 and headline["quality"]  # a number carries its year
    assert {(m["username"], m["role"]) for m in body["members"]} == {
        ("olivia", "owner"),
        ("eddie", "editor"),
        ("vera", "viewer"),
    }
    _, result = readiness_store.latest_result(workspace_world.workspace)
    assert result is not None
    assert body["readiness"] == {
        "assessment": 1,
        "title": "First look",
        "met_count": result.met_count,
        "total": 9,
        "recommendation": result.recommendation,
        "recommendation_label": RECOMMENDATION_LABELS[result.recommendation],
        "reason": result.reason,
        "state": "not_assessed",  # nothing answered yet
        "state_label": "Not assessed yet",
    }
    coalition = body["coalition"]
    assert (coalition["stakeholders"], coalition["active"]) == (1, 1)  # the school is engaged
    assert "just_policing" in coalition["predictor_gaps"]
    assert "effective_public_education" not in coalition["predictor_gaps"]
    assert coalition["workgroups"] == [
        {
            "id": workspace_world.workgroup.pk,
            "name": "Education",
            "focus_pillar": "education",
            "focus_predictor": "",
            "lead": "Saint Paul Public Schools",
            "members": 1,
            "cadence": "monthly",
        }
    ]
    assert body["peer_sets"] == [
        {"id": workspace_world.peer_set.pk, "name": "Twin counties", "geoids": ["27053"]}
    ]


def test_unauthenticated_and_unknown_answers_are_json(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    error = ok(client.get(BASE), 401)["error"]
    assert error == {
        "status": 401,
        "title": "Sign-in needed",
        "message": "Sign in at /accounts/login/ to use the workspace API.",
    }
    client.force_login(workspace_world.outsider)
    assert ok(client.get(BASE), 404)["error"]["title"] == "Not found"


# --- stakeholders: reading ------------------------------------------------------------


def test_stakeholders_are_paged_by_name(workspace_world: SimpleNamespace, owner: Client) -> None:
    Stakeholder.objects.bulk_create(
        Stakeholder(workspace=workspace_world.workspace, name=f"Partner {n:02d}", sector="business")
        for n in range(25)
    )
    first = ok(owner.get(BASE + "/stakeholders?limit=10"))
    assert first["count"] == 26 and first["previous"] is None
    assert [s["name"] for s in first["items"]][:2] == ["Partner 00", "Partner 01"]
    last = ok(owner.get(BASE + "/stakeholders?limit=10&offset=20"))
    assert [s["name"] for s in last["items"]][-1] == "Saint Paul Public Schools"
    assert last["next"] is None and "offset=10" in last["previous"]
    school = ok(owner.get(BASE + "/stakeholders?q=schools"))["items"]
    assert len(school) == 1
    record = school[0]
    assert record["id"] == workspace_world.stakeholder.pk and record["version"] == 1
    assert record["sector_label"] == "Early learning and K-12 education"
    assert record["predictors"] == ["effective_public_education"] and record["active"] is True
    assert ok(owner.get(BASE + "/stakeholders?sector=business"))["count"] == 25
    error = ok(owner.get(BASE + "/stakeholders?sector=banks"), 400)["error"]
    assert "banks" in error["message"] and "government" in error["message"]
    assert ok(owner.get(BASE + "/stakeholders?limit=500"), 400)["error"]["status"] == 400


# --- stakeholders: adding -------------------------------------------------------------


def test_an_editor_adds_a_stakeholder_and_it_is_logged(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(workspace_world.editor)
    payload = {
        "name": "  Ramsey   County Public Health ",
        "sector": "health",
        "pillars": ["health"],
        "predictors": ["access_to_health_services"],
        "relationship": "partner",
        "influence": "high",
        "email": "health@example.org",
    }
    body = ok(send(client, "POST", BASE + "/stakeholders", payload), 201)
    assert body["name"] == "Ramsey County Public Health"  # the form's cleaning, as on the page
    assert (body["version"], body["role"], body["kind"]) == (1, "to_invite", "organization")
    assert body["active"] is True and body["updated_by"] == "eddie"
    saved = Stakeholder.objects.get(pk=body["id"])
    assert saved.workspace == workspace_world.workspace and saved.influence == "high"
    entry = Activity.objects.filter(workspace=workspace_world.workspace).first()
    assert entry is not None
    assert (entry.actor_name, entry.verb) == ("eddie", "added")
    assert "Ramsey County Public Health" in entry.target and entry.detail == "through the API"


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"name", "sector"}),
        ({"name": "A", "sector": "banks"}, {"sector"}),
        ({"name": "A", "sector": "other", "email": "not-an-address"}, {"email"}),
        ({"name": "A", "sector": "other", "phone": "call me"}, {"phone"}),
        ({"name": "A", "sector": "other", "pillars": ["moonshots"]}, {"pillars"}),
        ({"name": "A", "sector": "other", "predictors": "just_policing"}, {"predictors"}),
        ({"name": "A", "sector": "other", "relationship": "best friends"}, {"relationship"}),
        ({"name": "saint paul public SCHOOLS", "sector": "other"}, {"name"}),
        ({"name": "A", "sectr": "other"}, {"sector", "sectr"}),
        ({"name": 7, "sector": "other"}, {"name"}),
        ({"name": "   ", "sector": "other"}, {"name"}),
    ],
)
def test_bad_input_gets_field_level_messages_and_saves_nothing(
    workspace_world: SimpleNamespace, owner: Client, payload: dict[str, Any], fields: set[str]
) -> None:
    before = snapshot()
    errors = field_errors(send(owner, "POST", BASE + "/stakeholders", payload))
    assert set(errors) == fields
    assert all(messages and all(m.endswith(".") for m in messages) for messages in errors.values())
    assert snapshot() == before


def test_the_api_and_the_page_form_give_the_same_messages(
    workspace_world: SimpleNamespace, owner: Client
) -> None:
    payload = {
        "name": "Saint Paul Public Schools",
        "sector": "banks",
        "email": "nope",
        "phone": "12",
        "influence": "enormous",
    }
    errors = field_errors(send(owner, "POST", BASE + "/stakeholders", payload))
    defaults = {"kind": "organization", "relationship": "none", "role": "to_invite"}
    form = StakeholderForm(
        {**defaults, "invitation_status": "not_invited", **payload},
        workspace=workspace_world.workspace,
    )
    assert not form.is_valid()
    assert errors == {name: list(messages) for name, messages in form.errors.items()}


def test_bad_json_is_refused(workspace_world: SimpleNamespace, owner: Client) -> None:
    response = owner.generic("POST", BASE + "/stakeholders", "{name:", "application/json")
    assert field_errors(response) == {"__all__": ["The request body is not valid JSON."]}
    response = send(owner, "POST", BASE + "/stakeholders", ["name", "sector"])
    assert field_errors(response) == {"__all__": ["The request body must be a JSON object."]}


# --- stakeholders: changing and deleting ----------------------------------------------


def test_patch_changes_only_the_fields_sent(
    workspace_world: SimpleNamespace, owner: Client
) -> None:
    sid = workspace_world.stakeholder.pk
    body = ok(send(owner, "PATCH", f"{BASE}/stakeholders/{sid}", {"version": 1, "notes": "Met"}))
    assert (body["version"], body["notes"], body["sector"]) == (2, "Met", "early_k12")
    assert body["predictors"] == ["effective_public_education"]
    saved = Stakeholder.objects.get(pk=sid)
    assert (saved.version, saved.notes, saved.relationship) == (2, "Met", "engaged")
    assert ok(owner.get(f"{BASE}/stakeholders/{sid}")) == body
    entry = Activity.objects.filter(workspace=workspace_world.workspace).first()
    assert entry is not None and entry.verb == "edited" and entry.actor_name == "olivia"


def test_patch_without_version_or_with_bad_values_is_refused(
    workspace_world: SimpleNamespace, owner: Client
) -> None:
    url = f"{BASE}/stakeholders/{workspace_world.stakeholder.pk}"
    before = snapshot()
    assert field_errors(send(owner, "PATCH", url, {"notes": "x"})) == {
        "version": ["This field is required."]
    }
    assert set(field_errors(send(owner, "PATCH", url, {"version": 1, "sector": "x"}))) == {"sector"}
    assert set(field_errors(send(owner, "PATCH", url, {"version": "one"}))) == {"version"}
    assert snapshot() == before


def test_two_people_saving_the_same_version_cannot_overwrite_each_other(
    workspace_world: SimpleNamespace, owner: Client
) -> None:
    """Olivia and Eddie both read version 1; Eddie saves first; Olivia gets 409."""
    url = f"{BASE}/stakeholders/{workspace_world.stakeholder.pk}"
    eddie = Client()
    eddie.force_login(workspace_world.editor)
    ok(send(eddie, "PATCH", url, {"version": 1, "influence": "high", "notes": "Eddie's"}))
    response = send(owner, "PATCH", url, {"version": 1, "notes": "Olivia's"})
    body = ok(response, 409)
    assert body["error"]["title"] == "Changed meanwhile"
    message = body["error"]["message"]
    assert "at version 2 (saved by eddie" in message and "not the version 1 you sent" in message
    assert body["current"]["version"] == 2 and body["current"]["notes"] == "Eddie's"
    assert body["current"]["updated_by"] == "eddie"
    saved = Stakeholder.objects.get(pk=workspace_world.stakeholder.pk)
    assert (saved.notes, saved.influence) == ("Eddie's", "high")
    # re-applied to the newer version, it goes through
    body = ok(send(owner, "PATCH", url, {"version": 2, "notes": "Olivia's"}))
    assert (body["version"], body["notes"], body["influence"]) == (3, "Olivia's", "high")


def test_delete_checks_the_version(workspace_world: SimpleNamespace, owner: Client) -> None:
    sid = workspace_world.stakeholder.pk
    Stakeholder.objects.filter(pk=sid).update(version=4)
    stale = ok(owner.delete(f"{BASE}/stakeholders/{sid}?version=3"), 409)
    assert stale["current"]["version"] == 4
    assert Stakeholder.objects.filter(pk=sid).exists()
    assert ok(owner.delete(f"{BASE}/stakeholders/{sid}"), 400)["error"]["status"] == 400
    response = owner.delete(f"{BASE}/stakeholders/{sid}?version=4")
    assert response.status_code == 204 and response.content == b""
    assert not Stakeholder.objects.filter(pk=sid).exists()
    entry = Activity.objects.filter(workspace=workspace_world.workspace).first()
    assert entry is not None and entry.verb == "deleted" and "Saint Paul" in entry.target
    # gone: a change or a second delete is a plain 404
    assert ok(owner.delete(f"{BASE}/stakeholders/{sid}?version=4"), 404)["error"]["status"] == 404
    patch = send(owner, "PATCH", f"{BASE}/stakeholders/{sid}", {"version": 4})
    assert ok(patch, 404)["error"]["status"] == 404


def test_a_record_of_another_workspace_is_404_even_for_its_owner(
    rival_world: SimpleNamespace, owner: Client
) -> None:
    """Olivia owns ramsey; the food shelf belongs to elsewhere: not reachable via ramsey."""
    url = f"{BASE}/stakeholders/{rival_world.other_stakeholder.pk}"
    before = snapshot()
    assert ok(send(owner, "PATCH", url, {"version": 1, "notes": "x"}), 404)
    assert ok(owner.delete(url + "?version=1"), 404)
    assert "Harbor" not in owner.get(BASE + "/stakeholders").content.decode()
    assert snapshot() == before


def test_a_change_with_the_csrf_token_goes_through(workspace_world: SimpleNamespace) -> None:
    """The refusal in the CSRF walk is about the token, not about the request."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(workspace_world.owner)
    assert client.get("/w/ramsey/stakeholders/new/").status_code == 200  # sets the cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        BASE + "/stakeholders",
        json.dumps({"name": "Youth Council", "sector": "residents"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert ok(response, 201)["name"] == "Youth Council"


def test_viewer_change_is_403_naming_the_role(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(workspace_world.viewer)
    error = ok(send(client, "POST", BASE + "/stakeholders", {"name": "A", "sector": "x"}), 403)
    assert error["error"]["message"] == (
        "This needs the editor role; you are a viewer in Ramsey Mobility Coalition."
    )


# --- readiness, coverage, activity ----------------------------------------------------


def test_readiness_without_an_assessment(db: Any, warehouse_env: Any, client: Client) -> None:
    from workspace_support import make_workspace

    user = make_user("nadia")
    make_workspace(user, name="New Start", slug="new-start")
    client.force_login(user)
    body = ok(client.get("/api/workspaces/new-start/readiness"))
    assert body["assessments"] == 0 and body["assessment"] is None and body["result"] is None
    assert [b["recommendation"] for b in body["rule"]["bands"]] == [
        "proceed",
        "prepare",
        "postpone",
    ]
    assert "every one of its steps" in body["rule"]["condition_rule"]
    assert ok(client.get("/api/workspaces/new-start"))["readiness"] is None


def test_readiness_reports_the_latest_assessment(
    workspace_world: SimpleNamespace, owner: Client
) -> None:
    conditions = get_conditions()
    leadership = next(c for c in conditions if c.id == "leadership")
    done = [s.id for s in leadership.steps]
    StepAnswer.objects.filter(
        condition__assessment=workspace_world.assessment, step_id__in=done
    ).update(done=True, note="Council resolution")
    body = ok(owner.get(BASE + "/readiness"))
    assert body["assessments"] == 1 and body["assessment"]["number"] == 1
    assert body["assessment"]["title"] == "First look"
    result = body["result"]
    assert (result["met_count"], result["total"], result["recommendation"]) == (1, 9, "postpone")
    assert (result["state"], result["state_label"]) == ("postpone", "Postpone the next steps")
    assert result["steps_done"] == len(done)
    assert result["steps_total"] == sum(len(c.steps) for c in conditions) == 31
    by_id = {c["id"]: c for c in result["conditions"]}
    assert by_id["leadership"]["met"] is True
    assert all(
        s["done"] and s["note"] == "Council resolution" for s in by_id["leadership"]["steps"]
    )
    assert sum(c["met"] for c in result["conditions"]) == 1
    assert [c["id"] for c in result["conditions"] if c["answered"]] == ["leadership"]
    # the plan was built before the steps were marked: one task per step, in order
    assert len(body["tasks"]) == 31 and body["tasks"][0]["status"] == "open"
    assert body["tasks"][0]["step"] == conditions[0].steps[0].text


def test_coverage_matrix_and_gaps(rival_world: SimpleNamespace, owner: Client) -> None:
    Stakeholder.objects.create(
        workspace=rival_world.workspace,
        name="Block Club",
        sector="residents",
        predictors=["just_policing"],
        relationship="none",
    )
    body = ok(owner.get(BASE + "/coverage"))
    assert len(body["sectors"]) == 15 and len(body["matrix"]) == 5
    education = next(r for r in body["matrix"] if r["pillar_id"] == "education")
    sectors = [s["id"] for s in body["sectors"]]
    cell = education["cells"][sectors.index("early_k12")]
    assert cell == {"sector": "early_k12", "active": 1, "prospects": 0}
    assert (education["active"], education["active_sectors"]) == (1, 1)
    governance = next(r for r in body["matrix"] if r["pillar_id"] == "governance")
    assert governance["cells"][sectors.index("residents")]["prospects"] == 1
    policing = next(p for p in body["predictors"] if p["predictor_id"] == "just_policing")
    assert policing == {
        "predictor_id": "just_policing",
        "label": policing["label"],
        "pillar_id": "governance",
        "active": [],
        "prospects": ["Block Club"],
        "gap": True,
    }
    gaps = {(g["kind"], g["id"]) for g in body["gaps"]}
    assert ("predictor", "just_policing") in gaps and ("narrow_pillar", "education") in gaps
    assert ("predictor", "effective_public_education") not in gaps
    assert ("sector", "residents") in gaps and ("sector", "other") not in gaps
    # the other coalition's partner on jobs paying a living wage does not fill our gap
    assert ("predictor", "jobs_paying_living_wage") in gaps


def test_activity_is_paged_newest_first(workspace_world: SimpleNamespace, owner: Client) -> None:
    for n in range(3):
        ok(
            send(owner, "POST", BASE + "/stakeholders", {"name": f"Ally {n}", "sector": "faith"}),
            201,
        )
    body = ok(owner.get(BASE + "/activity?limit=2"))
    assert body["count"] == Activity.objects.filter(workspace=workspace_world.workspace).count()
    assert [a["target"] for a in body["items"]] == ["stakeholder “Ally 2”", "stakeholder “Ally 1”"]
    assert body["items"][0]["actor"] == "olivia" and body["items"][0]["verb"] == "added"
    assert body["next"] is not None


def test_a_new_member_sees_the_workspace_at_once(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    newcomer = make_user("nora")
    client.force_login(newcomer)
    assert client.get(BASE).status_code == 404
    add_member(workspace_world.workspace, newcomer, "viewer")
    assert ok(client.get(BASE))["role"] == "viewer"
