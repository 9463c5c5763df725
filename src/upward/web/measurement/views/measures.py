"""The measurement plan (guide Step 8; issue 14, parts 1 to 3): a measure for every
element of the logic model, grouped by priority and column, with the elements that still
lack one; adding, editing and deleting a measure; pinning a population indicator's
baseline from a loaded release; setting a target the data can detect; and, when a later
release revised a baseline's cell, keeping or re-basing it with the decision recorded.

Reads go through the release facade; every change is a POST by an editor (confirming a
target inside the noise: the owner), inside a transaction, logged, and refused whole with
a message on the field when it cannot be made."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse

from upward.catalog import WEAK, UnknownName, get_catalog
from upward.planning import measure as vocab
from upward.reports.numbers import measured_text, size_text
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.measurement import baseline_store, target_store
from upward.web.measurement.forms_measures import (
    DecisionForm,
    MeasureForm,
    PinForm,
    TargetForm,
    proposed,
)
from upward.web.measurement.models import Baseline, Measure, Target
from upward.web.strategy import priority_store
from upward.web.strategy.model_store import COLUMN_GROUPS
from upward.web.strategy.models import Element
from upward.web.workspace import places
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.versioning import StaleVersion
from upward.web.workspace.views.common import RecordPages, create_record, page

SECTION = "measure"
T = "measurement/"
PAGES = RecordPages(
    Measure,
    MeasureForm,
    "measure",
    "measure_plan",
    "Add a measure",
    SECTION,
    T + "measure_form.html",
)
KIND_LABELS = dict(vocab.MEASURE_KINDS)
ASPECT_LABELS = dict(vocab.PERFORMANCE_ASPECTS)


def _variable(name: str) -> Any:
    try:
        return get_catalog().variable(name) if name else None
    except (UnknownName, LookupError):
        return None


def reads_text(measure: Measure) -> str:
    """What a population indicator reads, in words: the measure's label, the group (or the
    gap between two) and the place, e.g. "Share of babies born weighing under 2,500
    grams, Black, Non-Hispanic minus White, Non-Hispanic; Ramsey County, MN"."""
    variable = _variable(measure.variable)
    text = variable.label if variable is not None else measure.variable
    if measure.subgroup:
        text += f", {measure.subgroup}" + (f" minus {measure.versus}" if measure.versus else "")
    return text + (f"; {places.place_name(measure.geoid)}" if measure.geoid else "")


def target_facts(target: Target | None, variable: Any, gap: bool = False) -> dict[str, Any] | None:
    """A target as the pages show it: its value (for the ``gap`` between two groups, a
    difference: '+1.2 points'), its MDC and its method."""
    if target is None:
        return None
    return {
        "target": target,
        "value": measured_text(variable, target.value, gap) if variable else f"{target.value:g}",
        "mdc": size_text(variable, target.mdc) if variable else "",
        "method": dict(vocab.TARGET_METHODS).get(target.method, target.method),
    }


def baseline_text(baseline: Baseline | None) -> str:
    """The pinned baseline in words, written from its values for a gap (see
    :func:`baseline_store.cell_of`); '' when none is pinned."""
    return baseline_store.cell_of(baseline).text if baseline is not None else ""


def measure_row(measure: Measure, current: str = "") -> dict[str, Any]:
    baseline = getattr(measure, "baseline", None)
    variable = _variable(measure.variable)
    return {
        "revised": baseline_store.revised_in(baseline, current),
        "measure": measure,
        "kind": KIND_LABELS.get(measure.kind, measure.kind),
        "aspect": ASPECT_LABELS.get(measure.aspect, ""),
        "variable": variable,
        "baseline": baseline,
        "baseline_text": baseline_text(baseline),
        "target": target_facts(getattr(measure, "target", None), variable, bool(measure.versus)),
        "responsible": ", ".join(
            x
            for x in (
                measure.responsible_member.get_username() if measure.responsible_member else "",
                measure.responsible_stakeholder.name if measure.responsible_stakeholder else "",
            )
            if x
        ),
    }


@workspace_view()
def plan(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    measures: dict[int, list[Measure]] = {}
    rows = (
        Measure.objects.filter(workspace=workspace)
        .select_related(
            "baseline", "target", "responsible_member", "responsible_stakeholder", "local_series"
        )
        .order_by("element_id", "id")
    )
    for m in rows:
        measures.setdefault(m.element_id, []).append(m)
    elements = Element.objects.filter(workspace=workspace).order_by("position", "id")
    by_priority: dict[int, list[Element]] = {}
    for e in elements:
        by_priority.setdefault(e.priority_id, []).append(e)
    priorities = []
    lacking, current = 0, baseline_store.default_release()
    for priority in priority_store.ordered(workspace):
        columns = []
        for label, kinds in COLUMN_GROUPS:
            items = [
                {
                    "element": e,
                    "measures": [measure_row(m, current) for m in measures.get(e.pk, [])],
                }
                for e in by_priority.get(priority.pk, [])
                if e.kind in kinds
            ]
            lacking += sum(not i["measures"] for i in items)
            if items:
                columns.append({"label": label, "rows": items})
        priorities.append({"priority": priority, "columns": columns})
    context = {
        "priorities": priorities,
        "lacking": lacking,
        "count": rows.count(),
        "elements": len(elements),
    }
    return page(request, workspace, T + "measure_plan.html", context, section=SECTION)


def _initial(workspace: Workspace, element_id: str) -> dict[str, Any]:
    """A new measure's first values from the element it is for (``?element=``)."""
    if not element_id.isdigit():
        return {}
    element = (
        Element.objects.filter(workspace=workspace, pk=int(element_id))
        .select_related("priority")
        .first()
    )
    if element is None:
        return {}
    kind = vocab.SUGGESTED_KIND.get(element.kind, "performance")
    initial: dict[str, Any] = {
        "element": element.pk,
        "kind": kind,
        "title": element.title,
        "condition": element.condition,
    }
    if kind == "population":
        p = element.priority
        initial.update(
            geoid=p.geoid,
            variable=p.variable,
            breakdown=p.breakdown,
            subgroup=p.subgroup,
            versus=p.versus,
        )
    return initial


def measure_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    initial = _initial(workspace, request.GET.get("element", ""))
    make_form = partial(MeasureForm, workspace=workspace, initial=initial)
    back = PAGES.list_url(workspace)
    context = {"title": "Add a measure", "cancel_url": back, "section": SECTION}
    return create_record(
        request,
        workspace,
        make_form,
        PAGES.template,
        context,
        lambda obj: (
            reverse("workspace:measure_baseline", args=[workspace.slug, obj.pk])
            if obj.reads_metrics
            else back + f"#measure-{obj.pk}"
        ),
    )


# -- baselines ------------------------------------------------------------------------------


def _measure(workspace: Workspace, pk: int) -> Measure:
    return get_object_or_404(
        Measure.objects.select_related("element__priority"), workspace=workspace, pk=pk
    )


def _refusals(
    form: forms.Form, problem: baseline_store.BaselineRefused, other: str | None = None
) -> None:
    """The refusal's messages on the form's fields they name (else on ``other``)."""
    for name, message in problem.errors.items():
        form.add_error(name if name in form.fields else other, message)


@workspace_view()
def measure_baseline(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    measure = _measure(workspace, pk)
    baseline = Baseline.objects.filter(measure=measure).first()
    status, conflict = 200, ""
    form = PinForm(
        request.POST if request.method == "POST" else None,
        initial={"version": baseline.version if baseline else None},
    )
    if request.method == "POST":
        if form.is_valid():
            seen = form.cleaned_data.get("version")
            try:
                with transaction.atomic():
                    ref, cell = baseline_store.check_pin(
                        measure, form.cleaned_data["release"], form.cleaned_data.get("year")
                    )
                    if baseline is not None and seen is None:
                        raise StaleVersion
                    baseline_store.pin(measure, request.user, ref, cell, expected=seen)
            except baseline_store.BaselineRefused as problem:
                _refusals(form, problem, "release")  # the release chosen publishes no value
            except StaleVersion:
                conflict = (
                    "Not pinned: someone pinned this baseline after you opened the "
                    "page. Review the baseline as it is now, then pin again."
                )
            else:
                messages.success(
                    request, f"Pinned the baseline of {measure}: {cell.text}, release {ref.name}."
                )
                return redirect("workspace:measure_baseline", slug=workspace.slug, pk=measure.pk)
        status = 409 if conflict else 400
        if conflict:
            baseline = Baseline.objects.filter(measure=measure).first()
            form = PinForm(initial={"version": baseline.version if baseline else None})
    preview, preview_problem, years = None, "", []
    if measure.reads_metrics:
        try:
            preview = baseline_store.check_pin(measure, str(form["release"].value() or ""))
            years = baseline_store.published_years(preview[0].release, measure)
        except baseline_store.BaselineRefused as problem:
            preview_problem = " ".join(problem.errors.values())
    context = {
        "measure": measure,
        "reads": reads_text(measure),
        "baseline": baseline,
        "baseline_text": baseline_text(baseline),
        "form": form,
        "conflict_message": conflict,
        "preview": preview[1] if preview else None,
        "preview_release": preview[0].name if preview else "",
        "preview_problem": preview_problem,
        "preview_years": ", ".join(str(y) for y in sorted(years)),
        "decisions": list(baseline.decisions.select_related("decided_by")) if baseline else [],
    }
    return page(request, workspace, T + "measure_baseline.html", context, status, SECTION)


@workspace_view()
def measure_revision(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    measure = _measure(workspace, pk)
    baseline = Baseline.objects.filter(measure=measure).first()
    options = [o for o in baseline_store.release_options() if o[0] != baseline_store.CURRENT]
    others = [o for o in options if baseline is None or o[0] != baseline.release]
    compare = request.POST.get("compare") if request.method == "POST" else None
    compare = compare or request.GET.get("compare") or (others[0][0] if others else "")
    status = 200
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"compare": compare, "version": baseline.version if baseline else None},
    )
    if request.method == "POST" and baseline is not None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = baseline_store.decide(
                    baseline,
                    request.user,
                    data["compare"],
                    data["decision"],
                    data["version"],
                    data["note"],
                )
            except baseline_store.BaselineRefused as problem:
                _refusals(form, problem)
            except StaleVersion:
                form.add_error(
                    None,
                    "Not recorded: the baseline changed after you opened the "
                    "page. Review it below, then decide again.",
                )
                status = 409
            else:
                messages.success(
                    request, f"Recorded: {made.get_decision_display().lower()} ({made.release})."
                )
                return redirect("workspace:measure_baseline", slug=workspace.slug, pk=measure.pk)
        status = status if status != 200 else 400
        baseline.refresh_from_db()
    found, unknown = None, ""
    if baseline is not None and compare:
        try:
            found = baseline_store.revision(baseline, compare)
        except baseline_store.BaselineRefused as refused:
            unknown = " ".join(refused.errors.values())
            status = 404 if status == 200 else status
    context = {
        "measure": measure,
        "reads": reads_text(measure),
        "baseline": baseline,
        "baseline_text": baseline_text(baseline),
        "form": form,
        "found": found,
        "problem": unknown,
        "others": others,
        "compare": compare,
    }
    return page(request, workspace, T + "measure_revision.html", context, status, SECTION)


# -- targets --------------------------------------------------------------------------------


@workspace_view()
def measure_target(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    measure = _measure(workspace, pk)
    baseline = Baseline.objects.filter(measure=measure).first()
    target = Target.objects.filter(measure=measure).first()
    status = 200
    weak = baseline is not None and baseline.quality == WEAK
    if request.method == "POST":
        form = TargetForm(request.POST)
        if problem := target_store.no_target_reason(baseline):
            form.is_valid()
            form.add_error(None, problem)  # the measure, the page's address, is at fault
        elif form.is_valid():
            saved = _set_target(request, workspace, measure, baseline, target, form)
            if saved is not None:
                return saved
        status = 409 if getattr(form, "stale", False) else 400
        target = Target.objects.filter(measure=measure).first()
    else:
        initial: dict[str, Any] = {"method": "detectable"}
        if target is not None:
            initial = {"method": target.method, **target.parameters, "version": target.version}
        form = TargetForm(initial=initial)
    variable = _variable(measure.variable)
    mdc, no_mdc = (None, "") if baseline is None else target_store.mdc_of(baseline)
    context = {
        "measure": measure,
        "reads": reads_text(measure),
        "baseline": baseline,
        "baseline_text": baseline_text(baseline),
        "form": form,
        "weak": weak,
        "suggestion": vocab.WEAK_SUGGESTION,
        "mdc": size_text(variable, mdc),
        "no_mdc": no_mdc,
        "target": target_facts(target, variable, bool(measure.versus)),
        "benchmarks": target_store.benchmarks(baseline) if baseline and not weak else [],
        "unit_note": target_store.unit_note(baseline) if baseline else "",
    }
    return page(request, workspace, T + "measure_target.html", context, status, SECTION)


def _set_target(
    request: HttpRequest,
    workspace: Workspace,
    measure: Measure,
    baseline: Baseline,
    target: Target | None,
    form: TargetForm,
) -> HttpResponse | None:
    """Save the form's target and redirect, or put the refusal on the form (None)."""
    data = form.cleaned_data
    membership = getattr(request, "membership", None)
    if data.get("confirm") and not (membership and membership.can(Role.OWNER)):
        form.add_error(
            "confirm", "Only an owner of the workspace can confirm a target inside the noise."
        )
        return None
    proposal = proposed(form, measure, baseline, data)
    if proposal is None:
        return None
    seen = data.get("version")
    try:
        with transaction.atomic():
            if target is not None and seen is None:
                raise StaleVersion
            target_store.save_target(
                measure,
                baseline,
                request.user,
                data,
                proposal,
                bool(data.get("confirm")),
                expected=seen,
            )
    except StaleVersion:
        form.add_error(
            None,
            "Not saved: someone set this target after you opened the page. "
            "Review it below, then save again.",
        )
        form.stale = True  # type: ignore[attr-defined]
        return None
    if proposal.inside_noise:
        messages.warning(request, f"Saved, but the target lies inside the noise: {proposal.words}")
    else:
        messages.success(request, f"Saved the target: {proposal.words}")
    return redirect("workspace:measure_target", slug=workspace.slug, pk=measure.pk)


SECTION_LINKS = [
    HubLink(
        "Measurement plan",
        "measure_plan",
        "A measure for every element of the logic model: population indicators with "
        "baselines pinned to a data release and targets the data can detect, performance "
        "measures of the strategies, and systems-change milestones with their evidence.",
        records_of(Measure),
        "measure",
    ),
]

_P = "<slug:slug>/measure/plan/"
_M = "<slug:slug>/measure/measures/"
editor = workspace_view(role=Role.EDITOR)
workspace_urls: list[URLPattern] = [
    path(_P, plan, name="measure_plan"),
    path(_M + "new/", editor(measure_create), name="measure_create"),
    path(_M + "<int:pk>/", editor(PAGES.edit), name="measure_edit"),
    path(_M + "<int:pk>/delete/", editor(PAGES.delete), name="measure_delete"),
    path(_M + "<int:pk>/baseline/", measure_baseline, name="measure_baseline"),
    path(_M + "<int:pk>/target/", measure_target, name="measure_target"),
    path(_M + "<int:pk>/revision/", measure_revision, name="measure_revision"),
]
