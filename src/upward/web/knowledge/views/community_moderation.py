"""The moderation queue of community input: answers waiting for review, newest first;
an editor makes each a finding (an anonymous note with one coded excerpt per answer) or
sets it aside (kept, and can be restored). Changes are POST only and idempotent: a
second accept of the same answer does nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, URLPattern, path, reverse

from upward.catalog import get_catalog
from upward.planning.knowledge import INPUT_STATUSES
from upward.web.knowledge import community_store as store
from upward.web.knowledge.models import InputAnswer, InputForm
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import page

SECTION = "knowledge"
PAGE_SIZE = 20
STATUS_FILTERS = (("pending", "Waiting for review"), ("accepted", "Made a finding"),
                  ("rejected", "Set aside"), ("all", "All"))  # fmt: skip
EMPTY = {
    "pending": "No answers are waiting for review.",
    "accepted": "No answers have been made findings yet.",
    "rejected": "No answers have been set aside.",
    "all": "No answers yet.",
}


def note_url(workspace: Workspace, note_id: int | None) -> str | None:
    """The note's page, when the coding section's route exists (else None)."""
    if note_id is None:
        return None
    try:
        return reverse("workspace:note_detail", args=[workspace.slug, note_id])
    except NoReverseMatch:
        return None


def _filters(request: HttpRequest, workspace: Workspace) -> tuple[str, InputForm | None]:
    status = request.GET.get("status", "pending")
    if status not in dict(STATUS_FILTERS):
        status = "pending"
    form = None
    form_id = request.GET.get("form", "")
    if form_id.isdigit():
        form = InputForm.objects.filter(workspace=workspace, pk=int(form_id)).first()
    return status, form


def _card(answer: InputAnswer, workspace: Workspace, labels: dict[str, str]) -> dict[str, Any]:
    rows = []
    for question, text in store.answered(answer):
        predictor = labels.get(str(question.get("predictor") or ""), "")
        rows.append({"question": question.get("text", ""), "answer": text, "predictor": predictor})
    return {
        "answer": answer,
        "rows": rows,
        "language": "Spanish" if answer.language == "es" else "English",
        "note_url": note_url(workspace, answer.note_id),
    }


@workspace_view()
def input_moderation(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    status, form = _filters(request, workspace)
    answers = InputAnswer.objects.filter(form__workspace=workspace).select_related("form", "note")
    if form is not None:
        answers = answers.filter(form=form)
    if status != "all":
        answers = answers.filter(status=status)
    answers = answers.order_by("-submitted_at", "-pk")
    page_obj = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {p.id: p.label for p in get_catalog().predictors}
    query = QueryDict(mutable=True)
    query["status"] = status
    if form is not None:
        query["form"] = str(form.pk)
    context = {
        "cards": [_card(a, workspace, labels) for a in page_obj],
        "page_obj": page_obj,
        "query": query.urlencode(),
        "status": status,
        "status_filters": STATUS_FILTERS,
        "status_labels": dict(INPUT_STATUSES),
        "empty": EMPTY[status],
        "chosen_form": form,
        "forms": InputForm.objects.filter(workspace=workspace).order_by("title"),
        "back": _back_query(status, form, page_obj.number),
    }
    return page(request, workspace, "knowledge/input_moderation.html", context, section=SECTION)


def _back_query(status: str, form: InputForm | None, number: int) -> str:
    query = QueryDict(mutable=True)
    query["status"] = status
    if form is not None:
        query["form"] = str(form.pk)
    if number > 1:
        query["page"] = str(number)
    return query.urlencode()


def _back(request: HttpRequest, workspace: Workspace) -> str:
    """The queue as the editor saw it (status, form, page), from the form's hidden fields."""
    query = QueryDict(mutable=True)
    status = request.POST.get("status", "pending")
    query["status"] = status if status in dict(STATUS_FILTERS) else "pending"
    for name in ("form", "page"):
        value = request.POST.get(name, "")
        if value.isdigit():
            query[name] = value
    return reverse("workspace:input_moderation", args=[workspace.slug]) + "?" + query.urlencode()


def _moderate(request: HttpRequest, workspace: Workspace, pk: int, action: str) -> HttpResponse:
    answer = get_object_or_404(InputAnswer, form__workspace=workspace, pk=pk)
    back = _back(request, workspace)
    if request.method != "POST":
        return redirect(back)
    if action == "accept":
        was = answer.status
        answer = store.accept(answer.pk, workspace, request.user)
        if was == "accepted":
            messages.info(request, "This answer had already been made a finding.")
        else:
            messages.success(
                request, f"Made a finding: {answer.note.title if answer.note else ''}."
            )
        return redirect(back)
    status = "rejected" if action == "reject" else "pending"
    try:
        store.set_status(answer.pk, workspace, request.user, status)
    except store.AlreadyAccepted:
        messages.error(request, "Not changed: this answer has already been made a finding.")
        return redirect(back)
    done = "Set the answer aside." if status == "rejected" else "Put the answer back in the queue."
    messages.success(request, done)
    return redirect(back)


@workspace_view(role=Role.EDITOR)
def input_answer_accept(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    return _moderate(request, workspace, pk, "accept")


@workspace_view(role=Role.EDITOR)
def input_answer_reject(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    return _moderate(request, workspace, pk, "reject")


@workspace_view(role=Role.EDITOR)
def input_answer_restore(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    return _moderate(request, workspace, pk, "restore")


P = "<slug:slug>/knowledge/"
urls: list[URLPattern] = [
    path(P + "input/moderation/", input_moderation, name="input_moderation"),
    path(P + "input-answers/<int:pk>/accept/", input_answer_accept, name="input_answer_accept"),
    path(P + "input-answers/<int:pk>/reject/", input_answer_reject, name="input_answer_reject"),
    path(P + "input-answers/<int:pk>/restore/", input_answer_restore, name="input_answer_restore"),
]
