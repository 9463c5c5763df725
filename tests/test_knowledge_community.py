"""Community input: the editors' form setup, the public anonymous form (English and
Spanish, no script, its protections), the moderation queue and the JSON API."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.web.knowledge import community_store as store
from upward.web.knowledge.models import Excerpt, InputAnswer, InputForm, InputThrottle, Note
from upward.web.workspace.models import Activity

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

REFUSED_ES = "No pudimos aceptar este envío"
REFUSED_EN = "We could not accept this submission. Please try again later."
QUESTIONS = [
    {
        "id": "q1",
        "text": "What helps your family get ahead?",
        "text_es": "¿Qué ayuda a su familia a salir adelante?",
        "predictor": "social_capital",
    },
    {"id": "q2", "text": "What gets in the way?", "text_es": "", "predictor": ""},
]


@pytest.fixture
def voices(workspace_world: SimpleNamespace) -> InputForm:
    return InputForm.objects.create(
        workspace=workspace_world.workspace,
        public_id=store.new_public_id(),
        title="Frogtown voices",
        title_es="Voces de Frogtown",
        intro="Tell us what you see.",
        intro_es="Cuéntenos lo que ve.",
        questions=QUESTIONS,
    )


def public_url(form: InputForm, lang: str = "") -> str:
    url = reverse("public:input_form", args=[form.public_id])
    return f"{url}?lang={lang}" if lang else url


def csrf_client() -> tuple[Client, str]:
    return Client(enforce_csrf_checks=True), ""


def open_form(client: Client, form: InputForm, lang: str = "es") -> str:
    """GET the form as a browser would; the CSRF token its page carries."""
    response = client.get(public_url(form, lang))
    assert response.status_code == 200
    return response.cookies["csrftoken"].value


def post_form(client: Client, form: InputForm, data: dict[str, Any], lang: str = "es") -> Any:
    token = open_form(client, form, lang)
    return client.post(public_url(form, lang), {"csrfmiddlewaretoken": token, **data})


# --- the public form ------------------------------------------------------------------


def test_get_sets_no_cookie_but_the_csrf_token(voices: InputForm) -> None:
    response = Client().get(public_url(voices))
    assert response.status_code == 200
    assert set(response.cookies) == {"csrftoken"}
    assert "sessionid" not in response.cookies
    assert "Accept-Language" in response["Vary"]


def test_spanish_page_shows_the_coalitions_words_in_spanish(voices: InputForm) -> None:
    page = Client().get(public_url(voices, "es")).content.decode()
    assert '<html lang="es">' in page
    assert "Voces de Frogtown" in page and "Cuéntenos lo que ve." in page
    assert "¿Qué ayuda a su familia a salir adelante?" in page
    assert "What gets in the way?" in page  # no Spanish text: English
    assert "Enviar mis respuestas" in page and "Deje este campo vacío" in page
    assert 'tabindex="-1"' in page and 'autocomplete="off"' in page
    assert "<script" not in page
    english = Client().get(public_url(voices, "en")).content.decode()
    assert '<html lang="en">' in english and "Send my answers" in english


def test_accept_language_chooses_spanish(voices: InputForm) -> None:
    page = Client().get(public_url(voices), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert "Enviar mis respuestas" in page.content.decode()


def test_submit_in_spanish_without_script(voices: InputForm) -> None:
    client = Client(enforce_csrf_checks=True)
    response = post_form(client, voices, {"answer_q1": "La biblioteca y los vecinos."})
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert "Gracias" in thanks.content.decode()
    assert '<html lang="es">' in thanks.content.decode()
    answer = voices.answers.get()
    assert answer.language == "es" and answer.status == "pending"
    assert answer.answers == {"q1": "La biblioteca y los vecinos."}
    assert set(response.cookies) <= {"csrftoken"}


def test_an_empty_submission_asks_for_an_answer(voices: InputForm) -> None:
    response = post_form(Client(enforce_csrf_checks=True), voices, {"answer_q1": "  "})
    assert response.status_code == 400
    assert "Por favor, responda al menos una pregunta." in response.content.decode()
    assert not voices.answers.exists()


def assert_refused(response: Any, status: int, message: str = REFUSED_ES) -> None:
    assert response.status_code == status
    page = response.content.decode()
    assert message in page
    for word in ("honeypot", "rate", "limit", "too long", "characters"):
        assert word not in page.lower()


def test_honeypot_is_refused_neutrally(voices: InputForm) -> None:
    client = Client(enforce_csrf_checks=True)
    response = post_form(client, voices, {"answer_q1": "Hola", "website": "http://spam.example"})
    assert_refused(response, 400)
    assert not voices.answers.exists()


def test_oversized_answers_are_refused_neutrally(voices: InputForm) -> None:
    client = Client(enforce_csrf_checks=True)
    one = "x" * (store.MAX_ANSWER_CHARS + 1)
    assert_refused(post_form(client, voices, {"answer_q1": one}), 400)
    body = "y" * (store.MAX_BODY_BYTES + 10)
    assert_refused(post_form(client, voices, {"answer_q1": body}, lang="en"), 400, REFUSED_EN)
    assert not voices.answers.exists()


def test_total_size_limit(voices: InputForm, settings: Any) -> None:
    assert not store.oversized({"a": "x" * 2000, "b": "y" * 2000})
    assert store.oversized({str(i): "x" * 2000 for i in range(6)})


def test_rate_limit_per_address(voices: InputForm, settings: Any) -> None:
    settings.UPWARD_INPUT_MAX_PER_HOUR = 2
    client = Client(enforce_csrf_checks=True)
    for _ in range(2):
        assert post_form(client, voices, {"answer_q1": "Sí"}).status_code == 302
    assert_refused(post_form(client, voices, {"answer_q1": "Otra vez"}), 429)
    assert voices.answers.count() == 2
    # another address is not limited; no address is stored, only a keyed hash
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    assert post_form(other, voices, {"answer_q1": "Hola"}).status_code == 302
    hashes = list(InputThrottle.objects.values_list("address_hash", flat=True))
    assert len(hashes) == 2 and all(len(h) == 64 and "127.0.0.1" not in h for h in hashes)


def test_post_without_csrf_token_is_refused(voices: InputForm) -> None:
    response = Client(enforce_csrf_checks=True).post(public_url(voices), {"answer_q1": "Hi"})
    assert_refused(response, 403, REFUSED_EN)
    assert not voices.answers.exists()


def test_closed_and_missing_forms(voices: InputForm) -> None:
    InputForm.objects.filter(pk=voices.pk).update(is_open=False)
    page = Client().get(public_url(voices, "es"))
    assert page.status_code == 200
    assert "Este formulario está cerrado" in page.content.decode()
    assert "answer_q1" not in page.content.decode()
    response = Client().post(public_url(voices), {"answer_q1": "Hi"})
    assert response.status_code == 403 and not voices.answers.exists()
    missing = Client().get(reverse("public:input_form", args=["no-such-form"]))
    assert missing.status_code == 404


def test_typed_text_is_escaped_everywhere(
    workspace_world: SimpleNamespace, voices: InputForm, client: Client
) -> None:
    InputForm.objects.filter(pk=voices.pk).update(title="<b>Bold</b>", intro="<script>x</script>")
    voices.refresh_from_db()
    page = Client().get(public_url(voices, "en")).content.decode()
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt;" in page
    assert "<script>x</script>" not in page
    store.submit(voices, "en", {"q1": "<img src=x onerror=alert(1)>", "q2": "=HYPERLINK(1)"})
    client.force_login(workspace_world.editor)
    queue = client.get(reverse("workspace:input_moderation", args=["ramsey"])).content.decode()
    assert "<img src=x" not in queue and "&lt;img src=x" in queue


# --- moderation ---------------------------------------------------------------------------


def moderate(client: Client, answer: InputAnswer, action: str) -> Any:
    url = reverse(f"workspace:input_answer_{action}", args=["ramsey", answer.pk])
    return client.post(url, {"status": "pending"})


def test_accept_makes_a_coded_finding_once(
    workspace_world: SimpleNamespace, voices: InputForm, client: Client
) -> None:
    answer = store.submit(voices, "es", {"q1": "La biblioteca.", "q2": "El autobús."})
    client.force_login(workspace_world.editor)
    queue = client.get(reverse("workspace:input_moderation", args=["ramsey"]))
    assert "La biblioteca." in queue.content.decode()
    assert moderate(client, answer, "accept").status_code == 302
    answer.refresh_from_db()
    assert answer.status == "accepted" and answer.moderated_by == workspace_world.editor
    note = Note.objects.get(kind="community_input")
    assert answer.note == note
    assert note.title.startswith("Community input: Frogtown voices, ")
    assert not note.attribution_consent and not note.attributed_to
    assert "What helps your family get ahead?" in note.text and "La biblioteca." in note.text
    excerpts = list(Excerpt.objects.filter(note=note).order_by("start"))
    assert [e.text for e in excerpts] == ["La biblioteca.", "El autobús."]
    for excerpt in excerpts:
        assert note.text[excerpt.start : excerpt.end] == excerpt.text
    assert [c.ref for c in excerpts[0].codes.all()] == ["social_capital"]
    assert not excerpts[1].codes.exists()
    logged = Activity.objects.filter(verb="accepted").count()
    # a second accept (a double click, a second tab) does nothing twice
    assert moderate(client, answer, "accept").status_code == 302
    assert Note.objects.filter(kind="community_input").count() == 1
    assert Excerpt.objects.filter(note__kind="community_input").count() == 2
    assert Activity.objects.filter(verb="accepted").count() == logged == 1
    accepted = client.get(reverse("workspace:input_moderation", args=["ramsey"]) + "?status=all")
    assert note.title in accepted.content.decode()
    # a finding cannot be set aside
    moderate(client, answer, "reject")
    answer.refresh_from_db()
    assert answer.status == "accepted"


def test_reject_keeps_the_answer_and_restore_puts_it_back(
    workspace_world: SimpleNamespace, voices: InputForm, client: Client
) -> None:
    answer = store.submit(voices, "en", {"q2": "Rent."})
    client.force_login(workspace_world.editor)
    moderate(client, answer, "reject")
    answer.refresh_from_db()
    assert answer.status == "rejected" and not Note.objects.filter(kind="community_input").exists()
    url = reverse("workspace:input_moderation", args=["ramsey"])
    assert "Rent." not in client.get(url).content.decode()
    assert "Rent." in client.get(url + "?status=rejected").content.decode()
    moderate(client, answer, "restore")
    answer.refresh_from_db()
    assert answer.status == "pending"
    assert Activity.objects.filter(verb__in=["set aside", "restored"]).count() == 2


def test_viewer_cannot_moderate_and_get_changes_nothing(
    workspace_world: SimpleNamespace, voices: InputForm, client: Client
) -> None:
    answer = store.submit(voices, "en", {"q1": "Neighbors."})
    client.force_login(workspace_world.viewer)
    page = client.get(reverse("workspace:input_moderation", args=["ramsey"])).content.decode()
    assert "Neighbors." in page and "Make a finding" not in page
    for action in ("accept", "reject"):
        assert moderate(client, answer, action).status_code == 403
    client.force_login(workspace_world.editor)
    get = client.get(reverse("workspace:input_answer_accept", args=["ramsey", answer.pk]))
    assert get.status_code == 302
    answer.refresh_from_db()
    assert answer.status == "pending" and not Note.objects.filter(kind="community_input").exists()


# --- the editors' form setup ----------------------------------------------------------------


def form_data(**more: Any) -> dict[str, Any]:
    return {
        "title": "Eastside listening",
        "title_es": "Escuchando al Eastside",
        "intro": "Three questions.",
        "is_open": "on",
        "q1_text": "What works here?",
        "q1_text_es": "¿Qué funciona aquí?",
        "q1_predictor": "social_capital",
        "q2_text": "What is missing?",
        **more,
    }


def test_create_edit_flyer_delete(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.editor)
    create = reverse("workspace:input_form_create", args=["ramsey"])
    assert client.get(create).status_code == 200
    bad = client.post(create, form_data(q1_text="", q3_text_es="¿Sin inglés?"))
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"q1_text", "q3_text"}
    assert client.post(create, form_data()).status_code == 302
    made = InputForm.objects.get(title="Eastside listening")
    assert len(made.public_id) == 22
    assert made.questions == [
        {"id": "q1", "text": "What works here?", "text_es": "¿Qué funciona aquí?",
         "predictor": "social_capital"},
        {"id": "q2", "text": "What is missing?", "text_es": "", "predictor": ""},
    ]  # fmt: skip
    listing = client.get(reverse("workspace:knowledge_input", args=["ramsey"])).content.decode()
    assert made.public_id in listing
    edit = reverse("workspace:input_form_edit", args=["ramsey", made.pk])
    assert "What works here?" in client.get(edit).content.decode()
    # the first question is emptied: the second keeps its id
    changed = form_data(version=made.version, q1_text="", q1_text_es="", q1_predictor="")
    changed |= {"q1_text": "What is missing?", "q2_text": "Anything else?", "is_open": ""}
    assert client.post(edit, changed).status_code == 302
    made.refresh_from_db()
    assert [q["id"] for q in made.questions] == ["q1", "q2"] and not made.is_open
    stale = client.post(edit, form_data(version=1))
    assert stale.status_code == 409
    flyer = client.get(reverse("workspace:input_form_flyer", args=["ramsey", made.pk]))
    page = flyer.content.decode()
    assert flyer.status_code == 200 and "<svg" in page and made.public_id in page
    assert 'lang="es"' in page and "Escuchando al Eastside" in page
    delete = reverse("workspace:input_form_delete", args=["ramsey", made.pk])
    assert client.post(delete, {"version": made.version}).status_code == 302
    assert not InputForm.objects.filter(pk=made.pk).exists()


def test_hub_card_counts_pending_answers(
    workspace_world: SimpleNamespace, voices: InputForm, client: Client
) -> None:
    store.submit(voices, "en", {"q1": "A"})
    client.force_login(workspace_world.viewer)
    page = client.get(reverse("workspace:knowledge", args=["ramsey"])).content.decode()
    assert "Community input" in page


# --- the JSON API -----------------------------------------------------------------------------

API = "/api/workspaces/ramsey/input-forms"


def api(client: Client, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, url, data, content_type="application/json")


def test_api_forms(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.editor)
    body = {
        "title": "API form",
        "questions": [{"text": "Why?", "text_es": "¿Por qué?", "predictor": "social_capital"}],
    }
    made = api(client, "POST", API, body)
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["questions"][0]["id"] == "q1" and out["pending"] == 0
    assert out["public_url"].endswith(f"/p/input/{out['public_id']}/")
    bad = api(client, "POST", API, {"title": "x", "questions": [], "extra": 1})
    assert bad.status_code == 400 and "extra" in bad.json()["error"]["fields"]
    bad = api(client, "POST", API, {"title": "x", "questions": [{"text": "a", "predictor": "z"}]})
    assert bad.status_code == 400
    url = f"{API}/{out['id']}"
    assert api(client, "GET", url).json()["title"] == "API form"
    put = {**body, "title": "API form 2", "version": out["version"]}
    changed = api(client, "PUT", url, put)
    assert changed.status_code == 200 and changed.json()["version"] == out["version"] + 1
    stale = api(client, "PUT", url, put)
    assert stale.status_code == 409 and stale.json()["current"]["title"] == "API form 2"
    listing = api(client, "GET", API).json()
    assert {f["title"] for f in listing["items"]} >= {"API form 2", "Neighborhood voices"}
    gone = api(client, "DELETE", f"{url}?version={changed.json()['version']}")
    assert gone.status_code == 204
    assert api(client, "GET", url).status_code == 404


def test_api_answers_and_moderation(
    workspace_world: SimpleNamespace, voices: InputForm, client: Client
) -> None:
    answer = store.submit(voices, "es", {"q1": "Vecinos."})
    other = store.submit(voices, "en", {"q2": "Rent."})
    client.force_login(workspace_world.editor)
    answers = api(client, "GET", f"{API}/{voices.pk}/answers").json()
    assert [a["id"] for a in answers["items"]] == [other.pk, answer.pk]
    assert answers["items"][1]["answers"][0]["predictor"] == "social_capital"
    first = api(client, "POST", f"{API}/answers/{answer.pk}/accept")
    assert first.status_code == 200 and first.json()["status"] == "accepted"
    again = api(client, "POST", f"{API}/answers/{answer.pk}/accept")
    assert again.json()["note_id"] == first.json()["note_id"]
    assert Note.objects.filter(kind="community_input").count() == 1
    refused = api(client, "POST", f"{API}/answers/{answer.pk}/reject")
    assert refused.status_code == 409 and refused.json()["current"]["status"] == "accepted"
    aside = api(client, "POST", f"{API}/answers/{other.pk}/reject")
    assert aside.json()["status"] == "rejected"
    every = api(client, "GET", f"{API}/{voices.pk}/answers?status=all").json()
    assert every["count"] == 2
    assert api(client, "GET", f"{API}/{voices.pk}/answers?status=nope").status_code == 400
    client.force_login(workspace_world.viewer)
    assert api(client, "POST", f"{API}/answers/{other.pk}/accept").status_code == 403


def test_an_answer_to_a_removed_question_is_kept(
    workspace_world: SimpleNamespace, voices: InputForm
) -> None:
    answer = store.submit(voices, "en", {"q1": "Neighbors.", "q2": "Rent."})
    InputForm.objects.filter(pk=voices.pk).update(questions=QUESTIONS[:1])
    accepted = store.accept(answer.pk, workspace_world.workspace, workspace_world.editor)
    assert accepted.note is not None
    assert store.REMOVED_QUESTION in accepted.note.text and "Rent." in accepted.note.text
    assert Excerpt.objects.filter(note=accepted.note).count() == 2
