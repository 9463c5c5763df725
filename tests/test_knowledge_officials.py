"""Elected officials: the roster pages, survey links and the public survey page (English
and Spanish, refusals), the descriptive-representation page, and the JSON API."""

from __future__ import annotations

import json
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from workspace_support import snapshot

from upward.web.knowledge.models import Official, SurveyLink
from upward.web.workspace.models import Activity

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

VALID = {
    "name": "Rosa Diaz",
    "office": "Council Member, Ward 2",
    "body": "City Council",
    "term_start": "2024-01-02",
    "term_end": "2027-12-31",
    "contact": "ward2@example.gov",
    "race": "",
    "identity_source": "unknown",
    "identity_date": "",
    "identity_note": "",
}


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def url(name: str, *args: Any) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


def council(workspace: Any, races: list[tuple[str, str]]) -> list[Official]:
    """A City Council whose seats have the given (race, source)."""
    Official.objects.filter(workspace=workspace).delete()
    return [
        Official.objects.create(
            workspace=workspace,
            name=f"Member {i}",
            office="Council Member",
            body="City Council",
            race=race,
            identity_source=source,
            identity_date=date(2025, 3, 1) if source != "unknown" else None,
            identity_note="The council's web page" if source == "public" else "",
        )
        for i, (race, source) in enumerate(races, 1)
    ]


# --- roster ---------------------------------------------------------------------------


def test_create_edit_delete_with_activity(workspace_world: SimpleNamespace, editor: Client) -> None:
    form = editor.get(url("official_create")).content.decode()
    assert 'list="id_body_suggestions"' in form and '<option value="City Council">' in form
    response = editor.post(url("official_create"), VALID)
    assert response.status_code == 302 and response["Location"] == url("knowledge_officials")
    official = Official.objects.get(name="Rosa Diaz")
    assert official.workspace == workspace_world.workspace and official.version == 1
    listing = editor.get(url("knowledge_officials")).content.decode()
    assert "Rosa Diaz" in listing and "City Council" in listing and "2 seats" in listing
    edit = {
        **VALID,
        "race": "hispanic",
        "identity_source": "public",
        "identity_date": "2025-02-01",
        "identity_note": "Campaign site",
        "version": 1,
    }
    assert editor.post(url("official_edit", official.pk), edit).status_code == 302
    official.refresh_from_db()
    assert (official.race, official.identity_source, official.version) == ("hispanic", "public", 2)
    # a stale version is refused and shows the newer record
    stale = editor.post(url("official_edit", official.pk), {**edit, "name": "R. Diaz"})
    assert stale.status_code == 409 and "Someone else saved this first" in stale.content.decode()
    assert Official.objects.get(pk=official.pk).name == "Rosa Diaz"
    assert editor.post(url("official_delete", official.pk), {"version": 2}).status_code == 302
    assert not Official.objects.filter(pk=official.pk).exists()
    verbs = list(
        Activity.objects.filter(target__contains="Rosa Diaz").values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["added", "deleted", "edited"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": "   "}, "name", "A name is required"),
        ({"body": ""}, "body", "governing body is required"),
        ({"term_end": "2020-01-01"}, "term_end", "cannot end before it starts"),
        ({"race": "black_nonhispanic"}, "identity_source", "Say how"),
        ({"identity_source": "public"}, "race", "needs its group"),
        ({"race": "martian", "identity_source": "self"}, "race", "valid choice"),
        ({"race": "white_nonhispanic", "identity_source": "self"}, "identity_date", "date"),
        ({"term_start": "not a date"}, "term_start", "valid date"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    workspace_world: SimpleNamespace, editor: Client, change: dict[str, str], field: str, words: str
) -> None:
    before = Official.objects.count()
    response = editor.post(url("official_create"), {**VALID, **change})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field]), errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Official.objects.count() == before


def test_viewer_sees_roster_but_no_links_or_buttons(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(workspace_world.viewer)
    page = client.get(url("knowledge_officials")).content.decode()
    assert "Ana Ruiz" in page and "Waiting for an answer" in page
    assert workspace_world.survey_link.nonce not in page
    assert "Make a new link" not in page and "Add an elected official" not in page
    assert client.post(url("official_survey_link", workspace_world.official.pk)).status_code == 403


def test_hub_card_counts_officials(workspace_world: SimpleNamespace, editor: Client) -> None:
    page = editor.get(reverse("workspace:knowledge", args=["ramsey"])).content.decode()
    assert "Elected officials and representation" in page and "official" in page


# --- survey links -----------------------------------------------------------------------


def make_link(editor: Client, official: Official) -> SurveyLink:
    response = editor.post(url("official_survey_link", official.pk))
    assert response.status_code == 302
    return SurveyLink.objects.filter(official=official).order_by("-created_at", "-pk").first()


def survey(nonce: str) -> str:
    return reverse("public:official_survey", args=[nonce])


def test_link_is_made_shown_to_editors_and_answered_once(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    official = workspace_world.official
    old = workspace_world.survey_link
    link = make_link(editor, official)
    assert len(link.nonce) == 43 and link.nonce != old.nonce
    assert abs(link.expires_at - link.created_at - timedelta(days=30)) < timedelta(seconds=5)
    old.refresh_from_db()
    assert old.revoked_at is not None, "a new link withdraws the one still waiting"
    page = editor.get(url("knowledge_officials")).content.decode()
    assert survey(link.nonce) in page and survey(old.nonce) not in page

    public = Client(enforce_csrf_checks=True)
    form = public.get(survey(link.nonce))
    assert form.status_code == 200
    body = form.content.decode()
    assert "Ramsey Mobility Coalition" in body and "voluntary" in body
    assert "I prefer not to say" in body and '<html lang="en">' in body
    token = form.cookies["csrftoken"].value
    # without the CSRF token nothing happens
    refused = Client(enforce_csrf_checks=True).post(survey(link.nonce), {"race": "hispanic"})
    assert refused.status_code == 403
    answered = public.post(survey(link.nonce), {"race": "hispanic", "csrfmiddlewaretoken": token})
    assert answered.status_code == 200 and "Thank you" in answered.content.decode()
    official.refresh_from_db()
    assert official.race == "hispanic" and official.identity_source == "self"
    assert official.identity_date == timezone.localdate() and official.version == 2
    link.refresh_from_db()
    assert link.answered_at is not None
    assert "Answered" in editor.get(url("knowledge_officials")).content.decode()
    # reused: refused plainly, nothing changes
    again = public.post(survey(link.nonce), {"race": "other", "csrfmiddlewaretoken": token})
    assert again.status_code == 410
    text = again.content.decode()
    assert "already been answered" in text and "Ramsey" not in text and "Ana Ruiz" not in text
    official.refresh_from_db()
    assert official.race == "hispanic"
    assert public.get(survey(link.nonce)).status_code == 410


def test_declining_is_recorded_as_self_and_unknown(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    link = workspace_world.survey_link
    assert client.post(survey(link.nonce), {"race": "declined"}).status_code == 200
    official = Official.objects.get(pk=workspace_world.official.pk)
    assert (official.race, official.identity_source) == ("", "self")
    assert "not to say" in official.identity_note


@pytest.mark.parametrize(
    ("state", "status", "words"),
    [
        ("expired", 410, "has expired"),
        ("revoked", 410, "was withdrawn"),
        ("forged", 404, "is not valid"),
        ("short", 404, "is not valid"),
    ],
)
def test_unusable_links_are_refused_plainly(
    workspace_world: SimpleNamespace, client: Client, state: str, status: int, words: str
) -> None:
    link = workspace_world.survey_link
    nonce = link.nonce
    if state == "expired":
        SurveyLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(1))
    elif state == "revoked":
        SurveyLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    elif state == "forged":
        nonce = "x" * 43
    else:
        nonce = "abc"
    before = snapshot()
    for response in (client.get(survey(nonce)), client.post(survey(nonce), {"race": "other"})):
        assert response.status_code == status
        text = response.content.decode()
        assert words in text and "Ramsey" not in text and "Ana Ruiz" not in text
    assert snapshot() == before


def test_get_changes_nothing_and_bad_answers_are_refused(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    nonce = workspace_world.survey_link.nonce
    before = snapshot()
    for _ in range(2):
        assert client.get(survey(nonce)).status_code == 200
        assert client.head(survey(nonce)).status_code == 200
    missing = client.post(survey(nonce), {})
    assert missing.status_code == 400 and "Choose one answer" in missing.content.decode()
    assert client.post(survey(nonce), {"race": "<script>"}).status_code == 400
    huge = client.post(survey(nonce), {"race": "other", "pad": "x" * 10_000})
    assert huge.status_code == 413 and "could not be accepted" in huge.content.decode()
    assert snapshot() == before


def test_spanish_by_header_and_by_link(workspace_world: SimpleNamespace, client: Client) -> None:
    nonce = workspace_world.survey_link.nonce
    by_header = client.get(survey(nonce), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    by_link = client.get(survey(nonce) + "?lang=es")
    for response in (by_header, by_link):
        text = response.content.decode()
        assert '<html lang="es">' in text
        assert "Por qué preguntamos" in text and "Prefiero no decirlo" in text
        assert "Hispano o latino, de cualquier raza" in text and "Enviar mi respuesta" in text
        assert 'action="?lang=es"' in text and 'href="?lang=en"' in text
        for english_words in ("Why we ask", "voluntary", "Send my answer", "Skip to main"):
            assert english_words not in text
    english = client.get(survey(nonce) + "?lang=en", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Why we ask" in english
    # the form works without script, in Spanish: the error and the thanks are Spanish
    error = client.post(survey(nonce) + "?lang=es", {})
    assert error.status_code == 400 and "Elija una respuesta" in error.content.decode()
    done = client.post(survey(nonce) + "?lang=es", {"race": "black_nonhispanic"})
    assert done.status_code == 200 and "Gracias" in done.content.decode()
    refused = client.get(survey(nonce) + "?lang=es")
    assert refused.status_code == 410 and "ya fue respondida" in refused.content.decode()
    assert Official.objects.get(pk=workspace_world.official.pk).race == "black_nonhispanic"


def test_what_people_type_is_escaped(workspace_world: SimpleNamespace, editor: Client) -> None:
    Official.objects.filter(pk=workspace_world.official.pk).update(
        name="<script>alert(1)</script>", body="<b>Board</b>"
    )
    for page in (
        editor.get(url("knowledge_officials")),
        editor.get(url("descriptive_representation")),
        Client().get(survey(workspace_world.survey_link.nonce)),
    ):
        text = page.content.decode()
        assert "<script>alert" not in text and "<b>Board" not in text
        assert "&lt;b&gt;Board&lt;/b&gt;" in text


def test_revoke_link(workspace_world: SimpleNamespace, editor: Client) -> None:
    link = workspace_world.survey_link
    revoke = url("survey_link_revoke", link.pk)
    assert editor.get(revoke).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is None, "GET changes nothing"
    assert editor.post(revoke).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "Withdrawn" in editor.get(url("knowledge_officials")).content.decode()
    page = editor.post(revoke, follow=True).content.decode()
    assert "Not withdrawn" in page
    assert Client().get(survey(link.nonce)).status_code == 410


def test_links_of_another_workspace_are_404(rival_world: SimpleNamespace, client: Client) -> None:
    client.force_login(rival_world.outsider)
    pk = rival_world.survey_link.pk
    assert (
        client.post(reverse("workspace:survey_link_revoke", args=["elsewhere", pk])).status_code
        == 404
    )
    official = rival_world.official.pk
    assert (
        client.post(
            reverse("workspace:official_survey_link", args=["elsewhere", official])
        ).status_code
        == 404
    )
    rival_world.survey_link.refresh_from_db()
    assert rival_world.survey_link.revoked_at is None


# --- the metric page -------------------------------------------------------------------


def test_representation_page(workspace_world: SimpleNamespace, editor: Client) -> None:
    council(
        workspace_world.workspace,
        [("white_nonhispanic", "self")] * 3 + [("black_nonhispanic", "public"), ("", "unknown")],
    )
    response = editor.get(url("descriptive_representation"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ramsey County, MN" in text and "2023" in text
    assert "without a confidence interval" in text
    # Ramsey County 2023: white 61%, Black 12.5%
    assert "75.0%" in text and "61.0%" in text and "1.23" in text
    assert "25.0%" in text and "12.5%" in text and "2.00" in text
    assert "One seat on a five-seat body is 20 points" in text
    assert "steps of 25 points" in text
    assert "Lower quality: 1 of the 4 known identities was publicly reported" in text
    assert "Unknown: 1" in text
    # another of the workspace's places; a place not among them is refused
    city = editor.get(url("descriptive_representation") + "?place=2758000")
    assert city.status_code == 200
    bad = editor.get(url("descriptive_representation") + "?place=38071")
    assert bad.status_code == 400 and "valid choice" in bad.content.decode()


def test_representation_page_without_officials(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    Official.objects.all().delete()
    text = editor.get(url("descriptive_representation")).content.decode()
    assert "No officials yet" in text


# --- API -------------------------------------------------------------------------------

API = "/api/workspaces/ramsey/officials"


def api(client: Client, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, path, data, content_type="application/json")


def test_api_crud(workspace_world: SimpleNamespace, editor: Client) -> None:
    listing = json.loads(editor.get(API).content)
    assert listing["count"] == 1 and listing["items"][0]["name"] == "Ana Ruiz"
    created = api(
        editor,
        "POST",
        API,
        {
            "name": "Lee Vang",
            "office": "Mayor",
            "body": "City",
            "race": "other",
            "identity_source": "self",
            "identity_date": "2025-05-01",
        },
    )
    assert created.status_code == 201, created.content
    item = json.loads(created.content)
    assert item["race_label"] == "Other races and ethnicities" and item["version"] == 1
    one = f"{API}/{item['id']}"
    assert json.loads(editor.get(one).content)["office"] == "Mayor"
    put = api(
        editor,
        "PUT",
        one,
        {"version": 1, "name": "Lee Vang", "office": "Mayor", "body": "City Council"},
    )
    assert put.status_code == 200
    replaced = json.loads(put.content)
    assert (
        replaced["body"] == "City Council" and replaced["race"] == "" and replaced["version"] == 2
    )
    stale = api(editor, "PUT", one, {"version": 1, "name": "X", "office": "Y", "body": "Z"})
    assert stale.status_code == 409 and json.loads(stale.content)["current"]["version"] == 2
    assert editor.delete(one + "?version=1").status_code == 409
    assert editor.delete(one + "?version=2").status_code == 204
    assert editor.get(one).status_code == 404
    assert Activity.objects.filter(detail="through the API").count() == 3


def test_api_bad_input(workspace_world: SimpleNamespace, editor: Client) -> None:
    bad = api(
        editor, "POST", API, {"name": "A", "office": "B", "body": "C", "race": "black_nonhispanic"}
    )
    assert bad.status_code == 422
    assert "identity_source" in json.loads(bad.content)["error"]["fields"]
    extra = api(editor, "POST", API, {"name": "A", "office": "B", "body": "C", "colour": "x"})
    assert json.loads(extra.content)["error"]["fields"]["colour"] == [
        "This is not a field of an official."
    ]
    missing = api(editor, "POST", API, {"name": "A"})
    assert set(json.loads(missing.content)["error"]["fields"]) == {"office", "body"}
    assert api(editor, "POST", API, [1]).status_code == 400
    no_version = api(
        editor,
        "PUT",
        f"{API}/{workspace_world.official.pk}",
        {"name": "A", "office": "B", "body": "C"},
    )
    assert "version" in json.loads(no_version.content)["error"]["fields"]
    assert Official.objects.count() == 1


def test_api_representation(workspace_world: SimpleNamespace, editor: Client) -> None:
    council(
        workspace_world.workspace,
        [("white_nonhispanic", "self")] * 3 + [("black_nonhispanic", "self"), ("", "unknown")],
    )
    Official.objects.create(
        workspace=workspace_world.workspace,
        name="Z",
        office="Chair",
        body="County Board",
        race="hispanic",
        identity_source="public",
        identity_date=date(2025, 1, 1),
        identity_note="News",
    )
    body = json.loads(editor.get(f"{API}/representation").content)
    assert body["place"] == "27123" and body["residents"]["year"] == 2023
    assert body["residents"]["has_interval"] is False
    names = [b["body"] for b in body["bodies"]]
    assert names == ["City Council", "County Board"]
    city = body["bodies"][0]
    assert (city["seats"], city["known"], city["unknown"], city["step_points"]) == (5, 4, 1, 20.0)
    black = next(g for g in city["groups"] if g["group"] == "black_nonhispanic")
    assert black["share"] == 0.25 and black["ratio"] == pytest.approx(2.0)
    assert black["residents_quality"] == "Strong"
    assert body["bodies"][1]["lower_quality"] is True
    assert body["overall"]["seats"] == 6 and body["overall"]["publicly_reported"] == 1
    other = json.loads(editor.get(f"{API}/representation?place=2758000").content)
    assert other["place"] == "2758000"
    assert editor.get(f"{API}/representation?place=38071").status_code == 404
    assert editor.get(f"{API}/representation?place=abc").status_code == 400


def test_a_weak_residents_share_gets_no_reading() -> None:
    from upward.planning.descriptive import GroupShare
    from upward.web.knowledge.views.officials import _ratio_words

    share = GroupShare("other", "Other races and ethnicities", 1, 0.25, 0.125, 2.0, "")
    assert _ratio_words(share, "Weak").startswith("Urban rates this residents' share Weak")
    assert _ratio_words(share, "Strong") == "A larger share of seats than of residents."
