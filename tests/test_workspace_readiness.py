"""Readiness assessments in the workspace: answering, result, plan, history, comparison."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from upward.planning import readiness as rules
from upward.web.workspace import readiness_store
from upward.web.workspace.models import Assessment, ConditionAnswer, PreparednessTask

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def answer(client: Client, number: int, condition_id: str, done: bool = True, **extra: str):
    condition = rules.condition(condition_id)
    stored = ConditionAnswer.objects.get(assessment__number=number, condition_id=condition_id)
    data = {"version": stored.version, "to_address": extra.get("to_address", "")}
    for step in condition.steps:
        if done:
            data[f"done_{step.id}"] = "on"
        data[f"note_{step.id}"] = extra.get("note", "")
    url = reverse("workspace:condition_edit", args=["ramsey", number, condition_id])
    return client.post(url, data)


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def test_answers_drive_the_recommendation(workspace_world: SimpleNamespace, editor: Client) -> None:
    for cid in ("leadership", "partnerships", "capacity"):
        assert answer(editor, 1, cid, note="Mayor agreed on May 3").status_code == 302
    page = editor.get(reverse("workspace:assessment", args=["ramsey", 1])).content.decode()
    assert "Recommendation: Start with a preparedness plan" in page
    assert "3 of 9 conditions are met" in page
    assert "Mayor agreed on May 3" in page
    assert "7–9 conditions met, including leadership commitment" in page  # the rule is shown
    assert "every one of its steps" in page
    for cid in ("culture", "staff_buy_in", "racial_equity", "data"):
        answer(editor, 1, cid)
    page = editor.get(reverse("workspace:assessment", args=["ramsey", 1])).content.decode()
    assert "Recommendation: Proceed, and plan to close the remaining gaps" in page


def test_condition_form_rejects_bad_values(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    url = reverse("workspace:condition_edit", args=["ramsey", 1, "culture"])
    response = editor.post(url, {"version": "abc", "to_address": "x" * 4001})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "version" in errors and "to_address" in errors
    assert (
        editor.get(reverse("workspace:condition_edit", args=["ramsey", 1, "nope"])).status_code
        == 404
    )


def test_what_to_address_is_saved(workspace_world: SimpleNamespace, editor: Client) -> None:
    answer(editor, 1, "engagement", done=False, to_address="Budget line for stipends")
    stored = ConditionAnswer.objects.get(assessment__number=1, condition_id="engagement")
    assert stored.to_address == "Budget line for stipends" and stored.version == 2
    assert not stored.steps.filter(done=True).exists()


def test_preparedness_plan_tasks_with_owner_and_due_date(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    assessment = workspace_world.assessment
    task = workspace_world.task
    assert assessment.tasks.count() == 31  # one per missing step
    url = reverse("workspace:task_edit", args=["ramsey", 1, task.pk])
    response = editor.post(
        url,
        {
            "version": 1,
            "owner": workspace_world.viewer.pk,
            "due_date": "2001-01-01",
            "status": "nonsense",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"owner", "due_date", "status"} <= set(errors)  # viewers cannot own tasks
    due = date.today() + timedelta(days=30)
    response = editor.post(
        url,
        {
            "version": 1,
            "owner": workspace_world.editor.pk,
            "due_date": due.isoformat(),
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.owner, task.due_date, task.status) == (workspace_world.editor, due, "in_progress")
    page = editor.get(reverse("workspace:plan", args=["ramsey", 1])).content.decode()
    assert "eddie" in page and due.strftime("%b") in page
    # answering a step makes the plan show it as done; building again adds nothing
    answer(editor, 1, "leadership")
    assert readiness_store.build_plan(assessment) == 0


def test_new_assessment_copies_and_freezes_the_old_one(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    answer(editor, 1, "leadership")
    answer(editor, 1, "culture", done=False)  # answered: nothing done yet
    response = editor.post(
        reverse("workspace:readiness", args=["ramsey"]),
        {"title": "Six months on", "copy_previous": "on"},
    )
    assert response["Location"] == reverse("workspace:assessment", args=["ramsey", 2])
    second = Assessment.objects.get(number=2)
    assert readiness_store.done_ids(second) == {s.id for s in rules.condition("leadership").steps}
    # copied answers stay answered; a condition answered "nothing done" too
    assert readiness_store.result_of(second).state == "postpone"
    answered = {c.condition.id for c in readiness_store.result_of(second).conditions if c.answered}
    assert answered == {"leadership", "culture"}
    # open tasks for steps still missing carry over; tasks for done steps do not
    assert second.tasks.count() == 31 - 4
    # the first assessment is now a read-only record
    assert answer(editor, 1, "culture").status_code == 403
    assert editor.post(reverse("workspace:plan", args=["ramsey", 1])).status_code == 403
    page = editor.get(reverse("workspace:assessment", args=["ramsey", 1])).content.decode()
    assert "Kept as a record" in page
    # compare: what changed between 1 and 2
    answer(editor, 2, "culture")
    page = editor.get(reverse("workspace:readiness_compare", args=["ramsey"])).content.decode()
    assert "Now done: Leadership sees a general openness" in page
    assert "1 condition changed" in page
    assert "Not assessed yet" not in page
    bad = editor.get(reverse("workspace:readiness_compare", args=["ramsey"]), {"a": 2, "b": 2})
    assert bad.status_code == 400 and "two different" in bad.content.decode()


def test_blank_new_assessment(workspace_world: SimpleNamespace, editor: Client) -> None:
    answer(editor, 1, "leadership")
    editor.post(reverse("workspace:readiness", args=["ramsey"]), {"title": ""})
    second = Assessment.objects.get(number=2)
    assert readiness_store.done_ids(second) == set()
    assert not PreparednessTask.objects.filter(assessment=second).exists()
    page = editor.get(reverse("workspace:readiness_compare", args=["ramsey"])).content.decode()
    assert "<td>Not assessed yet (0 met)</td>" in page  # the blank one has no verdict


def test_a_blank_assessment_is_not_assessed_yet(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    detail = reverse("workspace:assessment", args=["ramsey", 1])
    page = editor.get(detail).content.decode()
    assert "Not assessed yet" in page and "No condition has been answered yet" in page
    assert "upward-result--not_assessed" in page and "upward-result--postpone" not in page
    assert "Recommendation: Postpone" not in page and "your result" not in page
    assert page.count("not answered yet") == 9 and "Change the answer" not in page
    listing = editor.get(reverse("workspace:readiness", args=["ramsey"])).content.decode()
    assert "Not assessed yet" in listing and "Postpone the next steps</td>" not in listing
    home = editor.get(reverse("workspace:home", args=["ramsey"])).content.decode()
    assert "upward-status--not_assessed" in home
    status = editor.get("/api/workspaces/ramsey").json()["readiness"]
    assert (status["state"], status["recommendation"]) == ("not_assessed", "postpone")
    # answering one condition "none done" is an answer: now the verdict shows
    answer(editor, 1, "culture", done=False)
    page = editor.get(detail).content.decode()
    assert "Recommendation: Postpone the next steps" in page
    assert "upward-result--postpone" in page
    assert page.count("Change the answer to") == 1 and page.count("not answered yet") == 8
    assert page.count(">Answer “") == 8
