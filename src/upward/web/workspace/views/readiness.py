"""Readiness assessments (guide Step 3): list, answer, result, preparedness plan, compare."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from upward.planning import readiness as rules
from upward.planning.action import is_overdue
from upward.web.workspace import readiness_store as store
from upward.web.workspace import submission
from upward.web.workspace.access import forbidden, workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.forms.readiness import (
    CompareForm,
    ConditionForm,
    NewAssessmentForm,
    TaskForm,
)
from upward.web.workspace.models import (
    Assessment,
    ConditionAnswer,
    PreparednessTask,
    Role,
    Workspace,
)
from upward.web.workspace.versioning import Difference, StaleVersion, differences
from upward.web.workspace.views.common import FORM_PAGE, edit_versioned, page

SECTION = "readiness"


def _assessment(workspace: Workspace, number: int) -> Assessment:
    return get_object_or_404(Assessment, workspace=workspace, number=number)


def _read_only(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    return forbidden(
        request,
        f"Assessment {assessment.number} is kept as a record and can no longer be changed. "
        "Start a new assessment to record progress.",
    )


def _rule_context() -> dict[str, object]:
    return {
        "bands": rules.rule_bands(),
        "condition_rule": rules.condition_rule_text(),
        "labels": rules.RECOMMENDATION_LABELS,
    }


@workspace_view()
def assessment_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    if request.method == "POST":
        if again := submission.repeat(request):
            return again
        form = NewAssessmentForm(request.POST)
        if form.is_valid():
            try:
                assessment = _start(request, workspace, form.cleaned_data)
            except IntegrityError as clash:  # a simultaneous twin of this form was first
                return submission.after_clash(request, clash)
            messages.success(request, f"Started {assessment}.")
            return redirect("workspace:assessment", slug=workspace.slug, number=assessment.number)
    else:
        form = NewAssessmentForm()
    rows = [(a, store.result_of(a)) for a in workspace.assessments.all()]
    context = {"rows": rows, "form": form, "once": submission.token_for(request), **_rule_context()}
    status = 400 if form.errors else 200
    return page(request, workspace, "workspace/readiness_list.html", context, status, SECTION)


def _start(request: HttpRequest, workspace: Workspace, data: dict[str, Any]) -> Assessment:
    with transaction.atomic():
        assessment = store.create_assessment(
            workspace, request.user, data["title"], data["copy_previous"]
        )
        record(workspace, request.user, "started", str(assessment))
        url = reverse("workspace:assessment", args=[workspace.slug, assessment.number])
        submission.claim(request, url)
    return assessment


@workspace_view()
def assessment_detail(request: HttpRequest, workspace: Workspace, number: int) -> HttpResponse:
    assessment = _assessment(workspace, number)
    result = store.result_of(assessment)
    answers = store.answers_of(assessment)
    conditions = [
        (c, answers.get(c.condition.id, {"answer": None, "steps": {}})) for c in result.conditions
    ]
    context = {
        "assessment": assessment,
        "result": result,
        "conditions": conditions,
        "current": store.is_current(assessment),
        "task_count": assessment.tasks.count(),
        **_rule_context(),
    }
    return page(request, workspace, "workspace/readiness_detail.html", context, section=SECTION)


@workspace_view(role=Role.EDITOR)
def condition_edit(
    request: HttpRequest, workspace: Workspace, number: int, condition_id: str
) -> HttpResponse:
    assessment = _assessment(workspace, number)
    try:
        condition = rules.condition(condition_id)
    except KeyError:
        raise Http404("No such readiness condition.") from None
    if not store.is_current(assessment):
        return _read_only(request, assessment)
    answer = get_object_or_404(ConditionAnswer, assessment=assessment, condition_id=condition.id)
    context = {"assessment": assessment, "condition": condition}
    template = "workspace/readiness_condition.html"
    if request.method != "POST":
        form = ConditionForm(condition, initial=_initial(answer))
        return page(request, workspace, template, {**context, "form": form}, section=SECTION)
    form = ConditionForm(condition, request.POST)
    if not form.is_valid():
        return page(request, workspace, template, {**context, "form": form}, 400, SECTION)
    try:
        with transaction.atomic():
            store.save_condition(
                answer, form.cleaned_data["version"], form.cleaned_data, request.user
            )
            record(workspace, request.user, "answered", f"“{condition.title}”", f"in {assessment}")
    except StaleVersion:
        fresh = ConditionAnswer.objects.get(pk=answer.pk)
        fresh_form = ConditionForm(condition, initial=_initial(fresh))
        conflict = differences(form, fresh_form)
        return page(
            request,
            workspace,
            template,
            {**context, "form": fresh_form, "conflict": conflict, "fresh": fresh},
            409,
            SECTION,
        )
    messages.success(request, f"Saved “{condition.title}”.")
    return redirect(
        reverse("workspace:assessment", args=[workspace.slug, number])
        + f"#condition-{condition.id}"
    )


def _initial(answer: ConditionAnswer) -> dict[str, object]:
    initial: dict[str, object] = {"version": answer.version, "to_address": answer.to_address}
    for step in answer.steps.all():
        initial[f"done_{step.step_id}"] = step.done
        initial[f"note_{step.step_id}"] = step.note
    return initial


@workspace_view()
def plan(request: HttpRequest, workspace: Workspace, number: int) -> HttpResponse:
    assessment = _assessment(workspace, number)
    current = store.is_current(assessment)
    if request.method == "POST":
        if not current:
            return _read_only(request, assessment)
        added = store.build_plan(assessment)
        record(
            workspace,
            request.user,
            "built the preparedness plan of",
            str(assessment),
            f"{added} new tasks",
        )
        messages.success(request, f"Added {added} task(s), one for each step not yet done.")
        return redirect("workspace:plan", slug=workspace.slug, number=number)
    result = store.result_of(assessment)
    done = {s.id for c in result.conditions for s in c.done}
    tasks = assessment.tasks.select_related("owner")
    by_step = {t.step_id: t for t in tasks}
    today = timezone.localdate()
    overdue = {t.pk for t in tasks if current and is_overdue(t.due_date, t.status, today)}
    rows = [
        (
            c,
            [(s, by_step.get(s.id)) for s in c.missing]
            + [(s, by_step[s.id]) for s in c.done if s.id in by_step],
        )
        for c in result.conditions
        if c.missing or any(s.id in by_step for s in c.done)
    ]
    context = {
        "assessment": assessment,
        "result": result,
        "rows": rows,
        "done": done,
        "current": current,
        "overdue": overdue,
        "untasked": sum(1 for s in result.missing_steps if s.id not in by_step),
        **_rule_context(),
    }
    return page(request, workspace, "workspace/readiness_plan.html", context, section=SECTION)


@workspace_view(role=Role.EDITOR)
def task_edit(request: HttpRequest, workspace: Workspace, number: int, pk: int) -> HttpResponse:
    assessment = _assessment(workspace, number)
    task = get_object_or_404(PreparednessTask, assessment=assessment, pk=pk)
    if not store.is_current(assessment):
        return _read_only(request, assessment)
    step = rules.step(task.step_id)

    plan_url = reverse("workspace:plan", args=[workspace.slug, number])
    context = {"title": "Preparedness task", "lead": step.text, "cancel_url": plan_url}
    return edit_versioned(
        request,
        workspace,
        task,
        partial(TaskForm, workspace=workspace, assessment=assessment),
        FORM_PAGE,
        context,
        plan_url,
        verb="updated",
    )


@workspace_view()
def compare(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    assessments = list(workspace.assessments.order_by("number"))
    numbers = [(a.number, str(a)) for a in assessments]
    if len(assessments) < 2:
        return page(
            request,
            workspace,
            "workspace/readiness_compare.html",
            {"too_few": True},
            section=SECTION,
        )
    data = (
        request.GET
        if "a" in request.GET
        else {"a": assessments[-2].number, "b": assessments[-1].number}
    )
    form = CompareForm(data, numbers=numbers)
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        first = _assessment(workspace, form.cleaned_data["a"])
        second = _assessment(workspace, form.cleaned_data["b"])
        context.update(
            first=first,
            second=second,
            comparison=rules.compare_assessments(
                store.done_ids(first),
                store.done_ids(second),
                store.answered_ids(first),
                store.answered_ids(second),
            ),
            labels=rules.RECOMMENDATION_LABELS,
        )
    status = 200 if form.is_valid() else 400
    return page(request, workspace, "workspace/readiness_compare.html", context, status, SECTION)


# -- every condition on one page -------------------------------------------------------------


@dataclass
class Part:
    """One condition of the page of all nine: its form, and what became of it on a POST."""

    condition: rules.ReadinessCondition
    answer: ConditionAnswer
    form: ConditionForm
    state: str = ""
    """"" (shown as saved), "saved", "invalid" (kept as typed) or "conflict"."""
    conflict: list[Difference] | None = None
    fresh: ConditionAnswer | None = None


def _shown(condition: rules.ReadinessCondition, answer: ConditionAnswer) -> ConditionForm:
    form = ConditionForm(condition, prefix=condition.id, initial=_initial(answer))
    form.initial["seen"] = form.fingerprint(form.initial)
    return form


def _answer_one(request: HttpRequest, workspace: Workspace, assessment: Assessment,
                part: Part, forced: bool) -> Part:  # fmt: skip
    """Save one condition of the page when it was changed (or its own button pressed)."""
    condition, answer = part.condition, part.answer
    form = ConditionForm(condition, request.POST, prefix=condition.id)
    if not form.is_valid():
        return Part(condition, answer, form, "invalid")
    if not forced and form.cleaned_data.get("seen") == form.fingerprint(form.cleaned_data):
        return part  # untouched: shown as saved now
    try:
        with transaction.atomic():
            store.save_condition(answer, form.cleaned_data["version"], form.cleaned_data,
                                 request.user)  # fmt: skip
            record(workspace, request.user, "answered", f"“{condition.title}”", f"in {assessment}")
    except StaleVersion:
        fresh = ConditionAnswer.objects.get(pk=answer.pk)
        fresh_form = _shown(condition, fresh)
        return Part(condition, fresh, fresh_form, "conflict", differences(form, fresh_form), fresh)
    saved = ConditionAnswer.objects.get(pk=answer.pk)
    return Part(condition, saved, _shown(condition, saved), "saved")


@workspace_view(role=Role.EDITOR)
def answer_all(request: HttpRequest, workspace: Workspace, number: int) -> HttpResponse:
    """All nine conditions on one page, in one form that saves each changed condition on
    its own: one that fails its check or was saved by someone else meanwhile is kept (as
    typed, or beside the newer version) while the others are saved."""
    assessment = _assessment(workspace, number)
    if not store.is_current(assessment):
        return _read_only(request, assessment)
    answers = {a.condition_id: a for a in assessment.answers.prefetch_related("steps")}
    parts = [Part(c, answers[c.id], _shown(c, answers[c.id])) for c in rules.get_conditions()]
    status = 200
    if request.method == "POST":
        pressed = request.POST.get("answer", "")
        parts = [_answer_one(request, workspace, assessment, p, p.condition.id == pressed)
                 for p in parts]  # fmt: skip
        saved = [p.condition.title for p in parts if p.state == "saved"]
        failed = [p for p in parts if p.state in ("invalid", "conflict")]
        if not failed:
            if saved:
                messages.success(request, f"Saved {len(saved)} condition(s): {', '.join(saved)}.")
            else:
                messages.info(request, "Nothing changed, so nothing was saved.")
            url = reverse("workspace:assessment_all", args=[workspace.slug, number])
            return redirect(url + (f"#condition-{pressed}" if pressed else ""))
        status = 409 if any(p.state == "conflict" for p in failed) else 400
    result = store.result_of(assessment)
    context = {
        "assessment": assessment,
        "parts": parts,
        "verdicts": {c.condition.id: c for c in result.conditions},
        "failed": [p for p in parts if p.state in ("invalid", "conflict")],
        "saved": [p for p in parts if p.state == "saved"],
    }
    return page(request, workspace, "workspace/readiness_all.html", context, status, SECTION)
