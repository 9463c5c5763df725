"""The systems-change logic model (guide Step 7): the overview of every priority's model,
each priority's model page (its columns, elements and links, with forms to add and
change them), an element's and a link's page (details, review comments, edit), the
consistency checks, and review and approval ("changed since approval")."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse

from upward.planning.logic_model import CHECKS, KIND_LABELS
from upward.planning.strategy import EVIDENCE_LEVELS, OUTCOME_KINDS
from upward.reports import logic_model_diagram as lm
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.strategy import model_store, review_store
from upward.web.strategy.diagram import diagram_context
from upward.web.strategy.forms_model import (
    ApprovalForm,
    CommentForm,
    ElementForm,
    LinkEditForm,
    LinkForm,
)
from upward.web.strategy.models import Element, Link, Priority
from upward.web.strategy.views.comments import any_member, post_comment
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import (
    create_record,
    delete_record,
    edit_versioned,
    page,
)

SECTION = "plan"
T = "strategy/"
MODEL_SUBJECTS = ("element", "link", "model")


def _url(name: str, workspace: Workspace, *args: Any) -> str:
    return reverse(f"workspace:{name}", args=[workspace.slug, *args])


def priority_model_url(workspace: Workspace, priority_id: int, element: int | None = None) -> str:
    url = _url("priority_model", workspace, priority_id)
    return f"{url}#element-{element}" if element else url


def finding_links(
    workspace: Workspace, findings: list[Any], models: Sequence[lm.PriorityModel]
) -> list[tuple[Any, str, str]]:
    """Each finding with where to fix it and the name of what to open there (``models``:
    the models the findings are of)."""
    names = {("priority", m.id): m.title for m in models}
    names.update({("element", e.id): e.title for m in models for e in m.elements})
    out = []
    for f in findings:
        key = ("element", f.element) if f.element is not None else ("priority", f.priority)
        out.append((f, finding_url(workspace, f), names.get(key) or ""))
    return out


def finding_url(workspace: Workspace, finding: Any) -> str:
    """Where to fix a finding: its element's page, else its priority's model."""
    if finding.element is not None:
        return _url("model_element", workspace, finding.element)
    if finding.priority is not None:
        return priority_model_url(workspace, finding.priority)
    return ""


def _common(
    workspace: Workspace, models: list[lm.PriorityModel] | None = None, **more: Any
) -> dict[str, Any]:
    """The approval state and labels every logic-model page shows (``models``: every
    priority's model, when the page has read them, spares reading them again)."""
    snapshot = None if models is None else model_store.snapshot_of(models)
    state = model_store.approval_state(workspace, snapshot)
    return {"approval": state, "kind_labels": KIND_LABELS, **more}


# --- overview, checks ------------------------------------------------------------------


@workspace_view()
def model_overview(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    models = model_store.models_of(workspace)
    to_fix, to_weigh = model_store.split_findings(model_store.checks_of(workspace, models))
    comments = review_store.comments_by_object(workspace, "model").get(None, [])
    context = _common(
        workspace,
        models,
        rows=model_store.overview(workspace),
        to_fix=len(to_fix),
        to_weigh=len(to_weigh),
        comments=comments,
        comment_form=CommentForm(),
        comment_subject="model",
        comment_object=None,
        approval_form=ApprovalForm(),
    )
    return page(request, workspace, T + "model_overview.html", context, section=SECTION)


@workspace_view()
def model_checks(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    models = model_store.models_of(workspace)
    to_fix, to_weigh = model_store.split_findings(model_store.checks_of(workspace, models))
    groups = [
        {
            "check": check,
            "label": label,
            "findings": finding_links(workspace, [f for f in to_fix if f.check == check], models),
        }
        for check, label in CHECKS
        if check != "condition_unaddressed"
    ]
    context = _common(
        workspace,
        models,
        groups=[g for g in groups if g["findings"]],
        total=len(to_fix),
        to_weigh=to_weigh,
        passed=[g["label"] for g in groups if not g["findings"]],
    )
    return page(request, workspace, T + "model_checks.html", context, section=SECTION)


# --- a priority's model ----------------------------------------------------------------


@workspace_view()
def priority_model(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """One priority's model: read once (:func:`model_store.model_of`), checked on its own
    (a link stays within its priority, so its findings are those of the whole workspace's
    checks that name it), drawn, outlined and shown as columns of cards."""
    priority = get_object_or_404(Priority, workspace=workspace, pk=pk)
    model = model_store.model_of(workspace, priority)
    counts = {
        k: len(v)
        for k, v in review_store.comments_by_object(
            workspace, "element", [e.id for e in model.elements]
        ).items()
    }
    findings = [f for f in model_store.checks_of(workspace, [model]) if f.to_fix]
    context = _common(
        workspace,
        priority=priority,
        model=model,
        result_title=model_store.model_result_title(model, priority),
        comment_counts=counts,
        evidence=dict(EVIDENCE_LEVELS),
        findings=finding_links(workspace, findings, [model]),
        outcome_kinds=OUTCOME_KINDS,
        outline_anchor="#model-outline",
        **diagram_context(workspace, priority, model),
    )
    context["columns"] = model_store.column_groups(context["diagram_outline"])
    return page(request, workspace, T + "priority_model.html", context, section=SECTION)


def _form_context(workspace: Workspace, priority: Priority, title: str, **more: Any) -> dict:
    return {
        **_common(workspace),
        "title": title,
        "priority": priority,
        "cancel_url": priority_model_url(workspace, priority.pk),
        "conflict": None,  # a stale save's conflict_response replaces it
        **more,
        "section": SECTION,
    }


def model_element_create(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority, workspace=workspace, pk=pk)
    kind = request.GET.get("kind", "")
    label = KIND_LABELS.get(kind, "") if kind != "result" else ""
    make = partial(ElementForm, workspace=workspace, priority=priority, user=request.user)
    if label and request.method != "POST":
        make = partial(make, initial={"kind": kind})
    title = f"Add to {label.lower()}" if label else "Add an element"
    context = _form_context(workspace, priority, title, lead=f"In the model of “{priority}”.")
    return create_record(
        request, workspace, make, T + "model_form.html", context,
        lambda obj: priority_model_url(workspace, priority.pk, obj.pk),
    )  # fmt: skip


def model_link_create(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority, workspace=workspace, pk=pk)
    initial = {k: request.GET[k] for k in ("source", "target") if request.GET.get(k, "").isdigit()}
    make = partial(LinkForm, workspace=workspace, priority=priority)
    if initial and request.method != "POST":
        make = partial(make, initial=initial)
    context = _form_context(
        workspace, priority, "Add a link", lead=f"Between two elements of “{priority}”'s model."
    )
    return create_record(
        request, workspace, make, T + "model_form.html", context,
        lambda obj: priority_model_url(workspace, priority.pk, obj.source_id),
    )  # fmt: skip


# --- an element, a link ------------------------------------------------------------------


def _comment_context(workspace: Workspace, subject: str, object_id: int) -> dict[str, Any]:
    return {
        "comments": review_store.comments_by_object(workspace, subject, [object_id]).get(
            object_id, []
        ),
        "comment_form": CommentForm(),
        "comment_subject": subject,
        "comment_object": object_id,
    }


@workspace_view()
def model_element(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    element = get_object_or_404(
        Element.objects.select_related("priority", "strategy__lead"), workspace=workspace, pk=pk
    )
    priority = element.priority
    model = model_store.model_of(workspace, priority)
    context = _form_context(
        workspace,
        priority,
        str(element),
        element=element,
        links_out=element.links_out.select_related("target").order_by("target__position", "id"),
        links_in=element.links_in.select_related("source").order_by("source__position", "id"),
        evidence=dict(EVIDENCE_LEVELS),
        findings=[f for f in model_store.checks_of(workspace, [model]) if f.element == element.pk],
        delete_url=_url("model_element_delete", workspace, pk) if element.kind != "result" else "",
        cancel_url=priority_model_url(workspace, priority.pk, pk),
        outcome_kinds=OUTCOME_KINDS,
        **_comment_context(workspace, "element", pk),
    )
    make = partial(ElementForm, workspace=workspace)
    return edit_versioned(
        request, workspace, element, make, T + "model_element.html", context,
        priority_model_url(workspace, priority.pk, pk),
    )  # fmt: skip


def model_element_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    element = get_object_or_404(Element, workspace=workspace, pk=pk)
    if request.method != "POST":
        return redirect("workspace:model_element", slug=workspace.slug, pk=pk)
    if element.kind == "result":
        messages.error(
            request,
            f"Not deleted: “{element}” is the priority's population-level result; every "
            "priority's model keeps it.",
        )
        return redirect("workspace:model_element", slug=workspace.slug, pk=pk)
    return delete_record(
        request, workspace, element, priority_model_url(workspace, element.priority_id)
    )


@workspace_view()
def model_link(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    link = get_object_or_404(
        Link.objects.select_related("source__priority", "target"), workspace=workspace, pk=pk
    )
    priority = link.source.priority
    context = _form_context(
        workspace,
        priority,
        f"“{link.source}” leads to “{link.target}”",
        link=link,
        delete_url=_url("model_link_delete", workspace, pk),
        cancel_url=priority_model_url(workspace, priority.pk, link.source_id),
        **_comment_context(workspace, "link", pk),
    )
    make = partial(LinkEditForm, workspace=workspace)
    return edit_versioned(
        request, workspace, link, make, T + "model_link.html", context,
        priority_model_url(workspace, priority.pk, link.source_id),
    )  # fmt: skip


def model_link_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    link = get_object_or_404(Link.objects.select_related("source"), workspace=workspace, pk=pk)
    if request.method != "POST":
        return redirect("workspace:model_link", slug=workspace.slug, pk=pk)
    back = priority_model_url(workspace, link.source.priority_id, link.source_id)
    return delete_record(request, workspace, link, back)


# --- review and approval ---------------------------------------------------------------


def subject_url(workspace: Workspace, subject: str, object_id: int | None) -> str:
    if subject == "element":
        return _url("model_element", workspace, object_id)
    if subject == "link":
        return _url("model_link", workspace, object_id)
    return _url("model_overview", workspace)


def model_comment(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """POST: a member's comment on an element, a link or the model as a whole (resolved
    through the one ``comment_resolve`` route of :mod:`upward.web.strategy.views.comments`)."""
    if request.method != "POST":
        return redirect("workspace:model_overview", slug=workspace.slug)
    subject = request.POST.get("subject", "")
    raw = request.POST.get("object_id", "")
    if subject not in MODEL_SUBJECTS or (subject != "model" and not raw.isdigit()):
        raise Http404("No such part of the model.")
    object_id = int(raw) if subject != "model" else None
    model = {"element": Element, "link": Link}.get(subject)
    if model is not None and not model.objects.filter(workspace=workspace, pk=object_id).exists():
        raise Http404("No such part of this workspace's model.")
    back = subject_url(workspace, subject, object_id)
    return post_comment(request, workspace, subject, object_id, back, "#comments")


def model_review(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    if request.method == "POST":
        note = request.POST.get("note", "").strip()[:2000]
        review_store.open_review(workspace, request.user, "model", note)
        messages.success(
            request, "The logic model is out for review: members can comment on its parts."
        )
    return redirect("workspace:model_overview", slug=workspace.slug)


def model_approve(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    if request.method == "POST":
        form = ApprovalForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Not approved: the note is too long (2,000 characters).")
        else:
            shown = request.POST.get("fingerprint", "")
            state = model_store.approval_state(workspace)
            if shown and shown != state.fingerprint:
                messages.error(
                    request,
                    "Not approved: the model changed after you opened this page. "
                    "Review it as it is now, then approve.",
                )
            else:
                model_store.approve(workspace, request.user, form.cleaned_data["note"])
                messages.success(request, "Approved the logic model as it is now.")
    return redirect("workspace:model_overview", slug=workspace.slug)


SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Logic model",
        "model_overview",
        "Per priority, from inputs through strategies and outcomes to the population-level "
        "result, each outcome typed by the condition of systems change it shifts; the "
        "consistency checks; review and approval.",
        records_of(Element),
        "element",
    )
]
_editor = workspace_view(role=Role.EDITOR)  # type: ignore[arg-type]
_owner = workspace_view(role=Role.OWNER)  # type: ignore[arg-type]
_M = "<slug:slug>/plan/model/"
_P = "<slug:slug>/plan/priorities/<int:pk>/model/"
workspace_urls: list[URLPattern] = [
    path(_M, model_overview, name="model_overview"),
    path(_M + "checks/", model_checks, name="model_checks"),
    path(_M + "comments/", any_member(model_comment), name="model_comment"),
    path(_M + "review/", _editor(model_review), name="model_review"),
    path(_M + "approve/", _owner(model_approve), name="model_approve"),
    path(_P, priority_model, name="priority_model"),
    path(_P + "elements/new/", _editor(model_element_create), name="model_element_create"),
    path(_P + "links/new/", _editor(model_link_create), name="model_link_create"),
    path("<slug:slug>/plan/elements/<int:pk>/", model_element, name="model_element"),
    path(
        "<slug:slug>/plan/elements/<int:pk>/delete/",
        _editor(model_element_delete),
        name="model_element_delete",
    ),
    path("<slug:slug>/plan/links/<int:pk>/", model_link, name="model_link"),
    path(
        "<slug:slug>/plan/links/<int:pk>/delete/",
        _editor(model_link_delete),
        name="model_link_delete",
    ),
]
