"""Engagement log pages and API: add, edit, conflict, delete, bad input, the viewer's
limits, the summary, and who took part against who lives here (fixture residents' shares
of Ramsey County, 2023: Black 12.5%, Hispanic 8.5%, White 61%, other 18%)."""

from __future__ import annotations

import json
from datetime import date
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from upward.web.knowledge.models import Engagement
from upward.web.workspace.models import Activity, Stakeholder

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

RACE = {
    "demo_race__black_nonhispanic": 0,
    "demo_race__hispanic": 2,
    "demo_race__white_nonhispanic": 34,
    "demo_race__other": 2,
    "demo_race__not_reported": 2,
}
VALID: dict[str, Any] = {
    "title": "Frogtown listening session",
    "kind": "listening_session",
    "date": "2025-03-04",
    "location": "Rondo Library",
    "facilitators": "Amina and Jo",
    "languages": ["English", "Somali"],
    "other_languages": "Karen",
    "accommodations": "Child care, dinner",
    "participants": 40,
    "compensation": "800.00",
    "compensation_note": "$20 gift cards",
    "level": "involve",
    "pillars": ["work"],
    "predictors": ["social_capital"],
    "notes": "Transit to jobs came up often.",
    **RACE,
    "demo_age__25_44": 20,
    "demo_lived_experience__yes": 25,
}


def url(name: str, *args: Any) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


@pytest.fixture(autouse=True)
def no_engagements(workspace_world: SimpleNamespace) -> None:
    """Start from an empty log (the fixture world has one engagement for the walk)."""
    Engagement.objects.all().delete()


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def make(world: SimpleNamespace, **fields: Any) -> Engagement:
    values: dict[str, Any] = {
        "workspace": world.workspace,
        "title": "Data walk",
        "kind": "data_walk",
        "date": date(2025, 1, 10),
        "level": "consult",
        "participants": 12,
    }
    return Engagement.objects.create(**(values | fields))


def test_create_shows_detail_with_comparison_and_logs(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    form = editor.get(url("engagement_create"))
    assert form.status_code == 200
    page = form.content.decode()
    assert "no list of residents" in page and "Residents decide" in page  # LEVEL_MEANINGS
    data = {**VALID, "partners": [workspace_world.stakeholder.pk]}
    response = editor.post(url("engagement_create"), data)
    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert response["Location"] == url("engagement_detail", engagement.pk)
    assert engagement.languages == ["English", "Somali", "Karen"]
    assert engagement.demographics["race"]["white_nonhispanic"] == 34
    assert engagement.demographics["age"] == {"25_44": 20}
    assert list(engagement.partners.all()) == [workspace_world.stakeholder]
    assert Activity.objects.filter(verb="added", target__contains="Frogtown").exists()
    detail = unescape(editor.get(response["Location"]).content.decode())
    assert "Fewer than the residents' share, beyond what chance explains" in detail
    assert "More than the residents' share" in detail
    assert "without a confidence interval" in detail
    assert "12.5%" in detail and "2023" in detail and "p = 0.012" in detail
    assert "95% CI 0.0% to 9.2%" in detail  # Wilson, 0 of 38
    assert "Urban's files publish no residents' shares by age group" in detail


def test_create_twice_with_one_token_creates_once(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    data = {**VALID, "once": "token-for-this-form-1234"}
    assert editor.post(url("engagement_create"), data).status_code == 302
    assert editor.post(url("engagement_create"), data).status_code == 302
    assert Engagement.objects.count() == 1


def test_bad_input_is_400_with_messages_and_saves_nothing(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    bad = {
        **VALID,
        "title": "   ",
        "date": "next tuesday",
        "participants": "-3",
        "demo_age__18_24": "many",
        "compensation": "-5",
        "level": "command",
    }
    response = editor.post(url("engagement_create"), bad)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"title", "date", "participants", "demo_age__18_24", "compensation", "level"} <= set(
        errors
    )
    assert "YYYY-MM-DD" in errors["date"][0]
    ancient = editor.post(url("engagement_create"), {**VALID, "date": "0001-01-01"})
    assert "Enter a date from 1950" in ancient.context["form"].errors["date"][0]
    assert "whole number" in errors["participants"][0]
    assert Engagement.objects.count() == 0


def test_counts_over_the_participants_are_refused(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    response = editor.post(url("engagement_create"), {**VALID, "participants": 10})
    assert response.status_code == 400
    page = response.content.decode()
    assert "add up to 40, more than the 10 participants" in page
    assert Engagement.objects.count() == 0


def test_a_partner_of_another_workspace_is_refused(
    rival_world: SimpleNamespace, editor: Client
) -> None:
    theirs = Stakeholder.objects.exclude(workspace=rival_world.workspace).first()
    assert theirs is not None
    response = editor.post(url("engagement_create"), {**VALID, "partners": [theirs.pk]})
    assert response.status_code == 400 and "partners" in response.context["form"].errors


def test_edit_conflict_and_delete(workspace_world: SimpleNamespace, editor: Client) -> None:
    engagement = make(workspace_world)
    edit = editor.get(url("engagement_edit", engagement.pk))
    assert edit.status_code == 200
    changed = {**VALID, "version": engagement.version, "title": "Data walk, round two"}
    assert editor.post(url("engagement_edit", engagement.pk), changed).status_code == 302
    engagement.refresh_from_db()
    assert engagement.title == "Data walk, round two" and engagement.version == 2
    stale = {**changed, "version": 1, "title": "Stale title"}
    response = editor.post(url("engagement_edit", engagement.pk), stale)
    assert response.status_code == 409
    assert "Someone else saved this first" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.title == "Data walk, round two"
    # the edit form shows saved counts again
    assert 'value="34"' in editor.get(url("engagement_edit", engagement.pk)).content.decode()
    stale_delete = editor.post(url("engagement_delete", engagement.pk), {"version": 1})
    assert stale_delete.status_code == 302 and Engagement.objects.count() == 1
    gone = editor.post(url("engagement_delete", engagement.pk), {"version": 2})
    assert gone.status_code == 302 and Engagement.objects.count() == 0
    assert Activity.objects.filter(verb="deleted").exists()


def test_viewer_reads_but_cannot_change(workspace_world: SimpleNamespace, client: Client) -> None:
    engagement = make(workspace_world)
    client.force_login(workspace_world.viewer)
    listing = client.get(url("knowledge_engagements")).content.decode()
    assert "Data walk" in listing and "Log an engagement" not in listing
    assert client.get(url("engagement_detail", engagement.pk)).status_code == 200
    assert client.get(url("engagement_create")).status_code == 403
    assert client.post(url("engagement_create"), VALID).status_code == 403
    post = client.post(url("engagement_edit", engagement.pk), {**VALID, "version": 1})
    assert post.status_code == 403
    assert client.post(url("engagement_delete", engagement.pk), {"version": 1}).status_code == 403
    assert Engagement.objects.get().title == "Data walk"


def test_list_filters_and_pages(workspace_world: SimpleNamespace, editor: Client) -> None:
    for day in range(1, 28):
        make(workspace_world, title=f"Walk {day}", date=date(2025, 2, day))
    make(workspace_world, title="Town hall", kind="town_hall", level="inform", pillars=["work"])
    first = editor.get(url("knowledge_engagements")).content.decode()
    assert first.index("Walk 27") < first.index("Walk 26")  # newest first
    assert "Page 1 of 2" in first
    only = editor.get(url("knowledge_engagements"), {"kind": "town_hall"}).content.decode()
    assert "Town hall" in only and "Walk 3" not in only
    by_pillar = editor.get(url("knowledge_engagements"), {"pillar": "work"}).content.decode()
    assert "Town hall" in by_pillar and "Walk 3" not in by_pillar
    by_level = editor.get(url("knowledge_engagements"), {"level": "collaborate"})
    assert "No engagements match" in by_level.content.decode()


def test_summary_by_month_level_and_pillar(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    make(workspace_world, date=date(2025, 1, 5), participants=10, level="consult")
    make(workspace_world, date=date(2025, 3, 5), participants=5, level="defer", pillars=["work"])
    response = editor.get(url("engagement_summary"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jan 2025" in page and "Feb 2025" in page and "Mar 2025" in page
    assert page.index("Inform") < page.index("Consult") < page.index("Defer to the community")
    assert "15 participants" in page


def test_representation_pools_and_suggests_partners(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    counts = {"black_nonhispanic": 0, "hispanic": 2, "white_nonhispanic": 34, "other": 2}
    make(workspace_world, participants=38, demographics={"race": counts})
    helper = Stakeholder.objects.create(
        workspace=workspace_world.workspace,
        name="Black Community Network",
        sector="nonprofit",
        communities=["black_nonhispanic"],
    )
    Stakeholder.objects.create(
        workspace=workspace_world.workspace, name="Tenant Voices", sector="residents"
    )
    page = editor.get(url("knowledge_representation")).content.decode()
    assert "Black Community Network" in page
    assert url_of_stakeholder(helper) in page
    assert "Tenant Voices" in page  # lived experience: residents' sector
    assert "Compare with residents of" in page  # two places: a chooser
    city = editor.get(url("knowledge_representation"), {"place": "2758000"}).content.decode()
    assert "Minneapolis" in city or "2758000" in city
    # a partner of a recent engagement is not suggested again
    recent = make(workspace_world, date=date.today(), title="Recent")
    recent.partners.add(helper)
    page = editor.get(url("knowledge_representation")).content.decode()
    assert url_of_stakeholder(helper) not in page.split("Partners who could help")[-1]


def url_of_stakeholder(stakeholder: Stakeholder) -> str:
    return reverse("workspace:stakeholder_edit", args=["ramsey", stakeholder.pk])


def test_stakeholder_form_keeps_communities(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    s = workspace_world.stakeholder
    data = {
        "name": s.name,
        "kind": "organization",
        "sector": s.sector,
        "relationship": "engaged",
        "influence": "medium",
        "role": "to_invite",
        "invitation_status": "not_invited",
        "communities": ["hispanic", "lived_experience"],
        "version": s.version,
    }
    response = editor.post(reverse("workspace:stakeholder_edit", args=["ramsey", s.pk]), data)
    assert response.status_code == 302, response.content[:400]
    s.refresh_from_db()
    assert s.communities == ["hispanic", "lived_experience"]


# --- the JSON API ----------------------------------------------------------------------

BASE = "/api/workspaces/ramsey/engagements"
BODY: dict[str, Any] = {
    "title": "Survey at the food shelf",
    "kind": "survey",
    "date": "2025-04-01",
    "level": "consult",
    "participants": 40,
    "languages": ["English", "Hmong"],
    "compensation": 150.5,
    "demographics": {
        "race": {"black_nonhispanic": 0, "hispanic": 2, "white_nonhispanic": 34, "other": 2},
        "lived_experience": {"yes": 10, "not_reported": 30},
    },
}


def send(client: Client, method: str, path: str, body: Any = None) -> HttpResponse:
    data = "" if body is None else json.dumps(body)
    return client.generic(method, path, data, content_type="application/json")


def body_of(response: HttpResponse, status: int) -> Any:
    assert response.status_code == status, response.content[:600]
    return json.loads(response.content)


def test_api_create_read_replace_delete(workspace_world: SimpleNamespace, editor: Client) -> None:
    created = body_of(send(editor, "POST", BASE, BODY), 201)
    assert created["version"] == 1 and created["kind_label"] == "Survey"
    assert created["compensation"] == 150.5
    assert created["demographics"]["race"]["white_nonhispanic"] == 34
    one = f"{BASE}/{created['id']}"
    assert body_of(editor.get(one), 200)["title"] == BODY["title"]
    listing = body_of(editor.get(BASE, {"kind": "survey"}), 200)
    assert listing["count"] == 1
    replaced = body_of(send(editor, "PUT", one, {**BODY, "version": 1, "title": "Survey 2"}), 200)
    assert replaced["version"] == 2 and replaced["title"] == "Survey 2"
    stale = body_of(send(editor, "PUT", one, {**BODY, "version": 1}), 409)
    assert stale["current"]["version"] == 2 and stale["error"]["status"] == 409
    assert body_of(send(editor, "DELETE", one + "?version=1"), 409)["current"]["version"] == 2
    assert send(editor, "DELETE", one + "?version=2").status_code == 204
    assert body_of(editor.get(one), 404)["error"]["status"] == 404


def test_api_bad_input(workspace_world: SimpleNamespace, editor: Client) -> None:
    fields = body_of(send(editor, "POST", BASE, {**BODY, "kind": "rave", "x": 1}), 400)
    assert set(fields["error"]["fields"]) >= {"kind", "x"}
    too_many = {**BODY, "participants": 5}
    problem = body_of(send(editor, "POST", BASE, too_many), 422)
    assert "more than the 5 participants" in json.dumps(problem["error"]["fields"])
    assert body_of(send(editor, "POST", BASE, [1]), 400)["error"]["fields"]["__all__"]
    assert Engagement.objects.count() == 0


def test_api_viewer_cannot_change(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.viewer)
    assert body_of(send(client, "POST", BASE, BODY), 403)["error"]["status"] == 403
    assert body_of(client.get(BASE), 200)["count"] == 0


def test_api_summary_and_representation(workspace_world: SimpleNamespace, editor: Client) -> None:
    created = body_of(send(editor, "POST", BASE, BODY), 201)
    summary = body_of(editor.get(f"{BASE}/summary"), 200)
    assert summary["total"] == 1 and summary["participants"] == 40
    assert summary["levels"][0]["key"] == "inform"
    pooled = body_of(editor.get(f"{BASE}/representation"), 200)
    assert pooled["place"] == "27123" and pooled["year"] == 2023
    assert pooled["residents_have_interval"] is False
    groups = {g["group"]: g for g in pooled["groups"]}
    assert groups["black_nonhispanic"]["verdict"] == "under"
    assert groups["white_nonhispanic"]["verdict"] == "over"
    assert groups["black_nonhispanic"]["resident_share"] == pytest.approx(0.125)
    lived = next(d for d in pooled["other_dimensions"] if d["dimension"] == "lived_experience")
    assert lived["reported"] == 10 and lived["not_reported"] == 30
    one = body_of(editor.get(f"{BASE}/{created['id']}/representation?place=2758000"), 200)
    assert one["place"] == "2758000"
    assert editor.get(f"{BASE}/representation?place=38071").status_code == 404
