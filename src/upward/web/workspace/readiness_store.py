"""Assessments in the store: create (optionally from the latest), read answers, save, plan."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from upward.planning.readiness import ReadinessResult, assess_readiness, get_conditions
from upward.web.workspace.models import (
    Assessment,
    ConditionAnswer,
    PreparednessTask,
    StepAnswer,
    Workspace,
)
from upward.web.workspace.versioning import claim_version


def answers_of(assessment: Assessment) -> dict[str, dict[str, Any]]:
    """{condition_id: {"answer": ConditionAnswer, "steps": {step_id: StepAnswer}}}."""
    out: dict[str, dict[str, Any]] = {}
    for answer in assessment.answers.prefetch_related("steps"):
        out[answer.condition_id] = {
            "answer": answer,
            "steps": {s.step_id: s for s in answer.steps.all()},
        }
    return out


def done_ids(assessment: Assessment) -> set[str]:
    return set(
        StepAnswer.objects.filter(condition__assessment=assessment, done=True).values_list(
            "step_id", flat=True
        )
    )


def answered_q() -> Q:
    """The conditions answered (saved past the first version, or with what to address
    written): the one filter of :func:`answered_ids`, used across workspaces too."""
    return Q(version__gt=1) | ~Q(to_address="")


def answered_ids(assessment: Assessment) -> set[str]:
    """Conditions someone has saved (a version past the first) or written what to address.

    A condition with a step done counts as answered too (the rule adds those). A copy of an
    answered condition starts at version 2 (see ``_fill``), so it stays answered.
    """
    return set(
        ConditionAnswer.objects.filter(assessment=assessment)
        .filter(answered_q())
        .values_list("condition_id", flat=True)
    )


def result_of(assessment: Assessment) -> ReadinessResult:
    return assess_readiness(done_ids(assessment), answered_ids(assessment))


def latest(workspace: Workspace) -> Assessment | None:
    return workspace.assessments.order_by("-number").first()


def latest_result(workspace: Workspace) -> tuple[Assessment | None, ReadinessResult | None]:
    assessment = latest(workspace)
    return assessment, (result_of(assessment) if assessment else None)


def is_current(assessment: Assessment) -> bool:
    top = assessment.workspace.assessments.aggregate(n=Max("number"))["n"]
    return assessment.number == top


def create_assessment(
    workspace: Workspace, user: Any, title: str, copy_previous: bool
) -> Assessment:
    """A new assessment with every condition and step; copied answers and open tasks, if asked."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                previous = latest(workspace)
                number = (previous.number if previous else 0) + 1
                assessment = Assessment.objects.create(
                    workspace=workspace,
                    number=number,
                    title=title,
                    created_by=user,
                    updated_by=user,
                )
                _fill(assessment, previous if copy_previous else None)
                return assessment
        except IntegrityError:
            continue  # two people started one at once; take the next number
    raise RuntimeError("Could not number the new assessment; try again.")


def _fill(assessment: Assessment, previous: Assessment | None) -> None:
    old = answers_of(previous) if previous else {}
    was_answered = answered_ids(previous) if previous else set()
    for condition in get_conditions():
        prior = old.get(condition.id)
        answer = ConditionAnswer.objects.create(
            assessment=assessment,
            condition_id=condition.id,
            to_address=prior["answer"].to_address if prior else "",
            # a copied answer stays answered (even "nothing done yet"): it starts past
            # the first version, which answered_ids reads as saved
            version=2 if condition.id in was_answered else 1,
        )
        StepAnswer.objects.bulk_create(
            StepAnswer(
                condition=answer,
                step_id=step.id,
                done=bool(prior and step.id in prior["steps"] and prior["steps"][step.id].done),
                note=prior["steps"][step.id].note if prior and step.id in prior["steps"] else "",
            )
            for step in condition.steps
        )
    if previous is not None:
        done = done_ids(assessment)
        PreparednessTask.objects.bulk_create(
            PreparednessTask(
                assessment=assessment,
                condition_id=t.condition_id,
                step_id=t.step_id,
                owner_id=t.owner_id,
                due_date=t.due_date,
                status=t.status,
                notes=t.notes,
            )
            for t in previous.tasks.all()
            if t.step_id not in done
        )


def save_condition(answer: ConditionAnswer, expected: int, data: dict[str, Any], user: Any) -> None:
    """Save one condition's steps and notes atomically, refusing a stale version."""
    with transaction.atomic():
        answer.version = claim_version(ConditionAnswer, answer.pk, expected)
        answer.to_address = data["to_address"]
        answer.updated_by = user
        answer.save(update_fields=["to_address", "updated_by", "updated_at", "version"])
        for step in answer.steps.all():
            step.done = bool(data.get(f"done_{step.step_id}"))
            step.note = data.get(f"note_{step.step_id}", "")
            step.save(update_fields=["done", "note"])


def build_plan(assessment: Assessment) -> int:
    """One task per step not done that has no task yet; returns how many were added."""
    result = result_of(assessment)
    with transaction.atomic():
        have = set(assessment.tasks.values_list("step_id", flat=True))
        new = [
            PreparednessTask(assessment=assessment, condition_id=s.condition_id, step_id=s.id)
            for s in result.missing_steps
            if s.id not in have
        ]
        PreparednessTask.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
