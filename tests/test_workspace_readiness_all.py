"""Every readiness condition on one page, each saved on its own (and only when changed)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.planning import readiness as rules
from upward.web.workspace import readiness_store
from upward.web.workspace.models import ConditionAnswer

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

URL = "/w/ramsey/readiness/1/all/"


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def shown(client: Client) -> dict[str, Any]:
    """The page's form as a browser would send it untouched."""
    response = client.get(URL)
    assert response.status_code == 200
    data: dict[str, Any] = {}
    for part in response.context["parts"]:
        form = part.form
        for name, value in form.initial.items():
            key = form.add_prefix(name)
            if name.startswith("done_"):
                if value:
                    data[key] = "on"
            else:
                data[key] = "" if value is None else value
    return data


def versions() -> dict[str, int]:
    return dict(ConditionAnswer.objects.values_list("condition_id", "version"))


def test_the_page_holds_all_nine_conditions(editor: Client) -> None:
    page = editor.get(URL).content.decode()
    for condition in rules.get_conditions():
        assert f'id="condition-{condition.id}"' in page
        assert f'name="answer" value="{condition.id}"' in page
    assert page.count('<form method="post"') == 2  # the conditions' one, and sign out
    assert "Save all changes" in page
    detail = editor.get(reverse("workspace:assessment", args=["ramsey", 1])).content.decode()
    assert "Answer all nine on one page" in detail


def test_only_changed_conditions_are_saved(editor: Client) -> None:
    data = shown(editor)
    data["leadership-done_leadership_briefed"] = "on"
    data["culture-to_address"] = "Talk with department heads."
    response = editor.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    after = versions()
    assert after["leadership"] == 2 and after["culture"] == 2
    assert all(v == 1 for k, v in after.items() if k not in ("leadership", "culture"))
    assessment = ConditionAnswer.objects.get(condition_id="culture").assessment
    assert readiness_store.answered_ids(assessment) == {"leadership", "culture"}
    # sending the page again untouched saves nothing
    again = editor.post(URL, shown(editor))
    assert again.status_code == 302 and versions() == after


def test_a_condition_button_saves_it_even_unchanged(editor: Client) -> None:
    response = editor.post(URL, {**shown(editor), "answer": "data"})
    assert response["Location"] == URL + "#condition-data"
    assert versions()["data"] == 2  # answered: "nothing done yet" is an answer


def test_one_invalid_condition_keeps_its_text_and_the_others_are_saved(editor: Client) -> None:
    data = shown(editor)
    data["capacity-to_address"] = "x" * 4001
    data["capacity-note_facilitation_staff"] = "We have one facilitator"
    data["partnerships-done_partnerships_listed"] = "on"
    response = editor.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 condition not saved" in page and "We have one facilitator</textarea>" in page
    assert versions()["partnerships"] == 2 and versions()["capacity"] == 1


def test_a_condition_saved_meanwhile_is_a_conflict_and_the_rest_is_saved(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    data = shown(editor)
    leadership = ConditionAnswer.objects.get(condition_id="leadership")
    readiness_store.save_condition(
        leadership, 1, {"to_address": "Theirs"}, workspace_world.owner
    )  # someone saves it after the page was shown
    data["leadership-to_address"] = "Mine"
    data["culture-done_open_to_change"] = "on"
    response = editor.post(URL, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this first" in page and "Mine" in page and "Theirs" in page
    assert ConditionAnswer.objects.get(condition_id="leadership").to_address == "Theirs"
    assert versions()["culture"] == 2


def test_viewers_and_outsiders_cannot_answer(workspace_world: SimpleNamespace) -> None:
    for user, status in ((workspace_world.viewer, 403), (workspace_world.outsider, 404)):
        client = Client()
        client.force_login(user)
        assert client.get(URL).status_code == status
        assert client.post(URL, {"answer": "data"}).status_code == status
    assert all(v == 1 for v in versions().values())
