"""Priorities from the evidence (guide Step 7): the list with ranks and the latest
decision's votes, adding a priority from the evidence (a confirm page: GET shows what
will be added with its evidence, POST adds), one priority's kept evidence beside the live
one, editing its words, ranking, and the decisions that ranked them.

The explorer's pages (profile, insights), the predictor view, the Summary of Findings and
each coded finding (an excerpt coded to a predictor, ``ref=excerpt:<pk>``) link here with
:func:`add_url`: ``?place=&variable=`` (or ``metric=``/``predictor=``)
``&breakdown=&subgroup=&versus=&from=&ref=``. A page the same for everyone (the cached profile)
links to :func:`priority_choose`, which asks which of the visitor's workspaces.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse

from upward.planning import strategy as vocab
from upward.web.knowledge.models import Excerpt
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.strategy import priority_store as store
from upward.web.strategy.forms_priorities import DecisionForm, PriorityEditForm, PriorityForm
from upward.web.strategy.models import Priority, PriorityDecision
from upward.web.workspace import submission
from upward.web.workspace.access import workspace_view
from upward.web.workspace.guide_notes import member_workspaces
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.versioning import StaleVersion
from upward.web.workspace.views.common import (
    FORM_PAGE,
    RecordPages,
    delete_page,
    edit_versioned,
    page,
)

SECTION = "plan"
QUERY_FIELDS = ("place", "variable", "metric", "predictor", "breakdown", "subgroup", "versus")
SOURCES = dict(vocab.PRIORITY_SOURCES)
FINDING_REF = "excerpt:{}"
"""The ``ref`` of a priority added from a coded finding: the excerpt's id."""


def _list_url(workspace: Workspace) -> str:
    return reverse("workspace:priority_list", args=[workspace.slug])


def _detail_url(workspace: Workspace, priority: Priority) -> str:
    return reverse("workspace:priority_detail", args=[workspace.slug, priority.pk])


def add_url(slug: str, **params: str) -> str:
    """The confirm page of workspace ``slug`` for the target ``params`` name."""
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("workspace:priority_create", args=[slug]) + (f"?{query}" if query else "")


def choose_url(**params: str) -> str:
    """The page that asks which workspace, for a page the same for everyone."""
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("workspace:priority_choose") + (f"?{query}" if query else "")


def priority_targets(user: Any, geoid: str) -> list[Workspace]:
    """The workspaces of ``geoid`` in which ``user`` may add a priority (editor or owner)."""
    return [m.workspace for m in member_workspaces(user, Role.EDITOR)
            if geoid in (m.workspace.geoids or [])]  # fmt: skip


def add_link(targets: list[Workspace], **params: str) -> str:
    """Where a "Make this a priority" link goes: the one workspace's confirm page, the
    chooser when there are several, '' when none."""
    if not targets:
        return ""
    if len(targets) == 1:
        return add_url(targets[0].slug, **params)
    return choose_url(**params)


# -- list and detail ------------------------------------------------------------------------


def _votes(decision: PriorityDecision | None) -> dict[int, int]:
    if decision is None:
        return {}
    return {int(k): int(v) for k, v in (decision.votes or {}).items() if str(k).isdigit()}


@workspace_view()
def priority_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    priorities = store.ordered(workspace)
    decision = store.latest_decision(workspace)
    votes = _votes(decision)
    rows = [{"priority": p, "headline": store.headline_of(p.evidence or {}),
             "source": SOURCES.get(p.source, p.source), "votes": votes.get(p.pk)}
            for p in priorities]  # fmt: skip
    context = {
        "rows": rows,
        "decision": decision,
        "decisions": PriorityDecision.objects.filter(workspace=workspace).order_by("-date", "-id"),
        "methods": dict(vocab.DECISION_METHODS),
    }
    return page(request, workspace, "strategy/priorities.html", context, section=SECTION)


def origin_of(workspace: Workspace, priority: Priority) -> tuple[str, str] | None:
    """Where a priority added from a coded finding came from: (words, the excerpt in its
    note), while the excerpt exists."""
    prefix = FINDING_REF.format("")
    if priority.source != "finding" or not priority.source_ref.startswith(prefix):
        return None
    raw = priority.source_ref.removeprefix(prefix)
    excerpt = (Excerpt.objects.filter(workspace=workspace, pk=int(raw)).select_related("note")
               .only("pk", "note__title").first() if raw.isdigit() else None)  # fmt: skip
    if excerpt is None:
        return None
    url = reverse("workspace:note_detail", args=[workspace.slug, excerpt.note_id])
    return f"an excerpt of “{excerpt.note.title}”", f"{url}#excerpt-{excerpt.pk}"


@workspace_view()
def priority_detail(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority, workspace=workspace, pk=pk)
    kept = priority.evidence or {}
    try:
        live: dict[str, Any] | None = store.evidence_for(workspace, store.target_of(priority))
    except store.TargetError as problem:  # the catalog or the workspace's places changed
        live, note = None, str(problem)
    else:
        note = ""
    decision = store.latest_decision(workspace)
    context = {
        "priority": priority,
        "kept": kept,
        "live": live,
        "live_note": note,
        "changed": live is not None and store.release_changed(priority, live),
        "source": SOURCES.get(priority.source, priority.source),
        "origin": origin_of(workspace, priority),
        "decision": decision,
        "votes": _votes(decision).get(priority.pk),
        "methods": dict(vocab.DECISION_METHODS),
    }
    return page(request, workspace, "strategy/priority_detail.html", context, section=SECTION)


# -- adding from the evidence ---------------------------------------------------------------


def _asked(request: HttpRequest, workspace: Workspace) -> dict[str, str]:
    """The form's data from the link's query: the target, where it came from."""
    q = request.GET
    data = {k: q.get(k, "").strip() for k in QUERY_FIELDS}
    if not data["place"] and len(workspace.geoids or []) == 1:
        data["place"] = workspace.geoids[0]
    data["variable"] = store.variable_name(data)
    source = q.get("from", "").strip()
    return {**data, "source": source if source in SOURCES else "manual",
            "source_ref": q.get("ref", "").strip()[:200], "title": "", "rationale": ""}  # fmt: skip


def priority_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """GET: what will be added, with its evidence (nothing saved); POST: add it once."""
    make = partial(PriorityForm, workspace=workspace)
    context: dict[str, Any] = {"once": submission.token_for(request), "section": SECTION}
    if request.method != "POST":
        asked = _asked(request, workspace)
        # A link that names no place (a coded finding or the Summary of Findings, in a
        # workspace of several places) shows the form to choose one, not an error.
        shown = bool(asked["variable"]) and (bool(asked["place"]) or "place" in request.GET)
        form = make(asked) if shown else make(initial=asked)
        status = 200
        if shown and form.is_valid() and form.target is not None:
            context["evidence"] = store.evidence_for(workspace, form.target)
            context["target"] = form.target
        elif shown:
            status = 400
        return page(request, workspace, "strategy/priority_confirm.html",
                    {**context, "form": form}, status=status)  # fmt: skip
    if again := submission.repeat(request):
        return again
    form = make(request.POST)
    if not form.is_valid() or form.target is None:
        if form.target is not None and not form.has_error("variable"):
            context.update(target=form.target, evidence=store.evidence_for(workspace, form.target))
        return page(request, workspace, "strategy/priority_confirm.html",
                    {**context, "form": form}, status=400)  # fmt: skip
    data = form.cleaned_data
    try:
        with transaction.atomic():
            priority = store.add_priority(
                workspace, request.user, form.target, title=data["title"],
                rationale=data["rationale"], source=data["source"], source_ref=data["source_ref"],
            )  # fmt: skip
            submission.claim(request, _detail_url(workspace, priority))
    except IntegrityError:  # the same priority added a moment ago
        if again := submission.repeat(request):
            return again
        form.add_error(
            "variable", "Measure: this priority was added a moment ago; it is added once."
        )
        return page(request, workspace, "strategy/priority_confirm.html",
                    {**context, "form": form}, status=400)  # fmt: skip
    messages.success(request, f"Added the priority “{priority.title}” with its evidence.")
    return redirect(_detail_url(workspace, priority))


def priority_choose(request: HttpRequest) -> HttpResponse:
    """From a page the same for everyone: which workspace of the visitor's (editor) the
    priority goes to. One: straight to its confirm page. GET only; nothing is saved."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    params = {k: request.GET.get(k, "").strip() for k in (*QUERY_FIELDS, "from", "ref")}
    geoid = params["place"]
    targets = priority_targets(request.user, geoid)
    if len(targets) == 1:
        return redirect(add_url(targets[0].slug, **params))
    choices = [(w, add_url(w.slug, **params)) for w in targets]
    elsewhere = member_workspaces(request.user, Role.EDITOR)
    context = {"choices": choices, "geoid": geoid, "others": [] if choices else [
        (m.workspace, add_url(m.workspace.slug, **params)) for m in elsewhere]}  # fmt: skip
    return render(request, "strategy/priority_choose.html", context)


# -- edit, delete, rank ---------------------------------------------------------------------


def priority_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority, workspace=workspace, pk=pk)
    context = {
        "title": f"Edit the priority “{priority.title}”",
        "lead": "The title and the rationale. What the priority is about, and the evidence it "
        "was added with, stay as they are: a different measure, place or group is a new priority.",
        "cancel_url": _detail_url(workspace, priority),
        "delete_url": reverse("workspace:priority_delete", args=[workspace.slug, pk]),
        "section": SECTION,
    }
    make = partial(PriorityEditForm, workspace=workspace)
    return edit_versioned(
        request, workspace, priority, make, FORM_PAGE, context, _detail_url(workspace, priority)
    )


priority_delete = delete_page(Priority, "priority", _list_url)


def _rank_order(request: HttpRequest, priorities: list[Priority]) -> tuple[list[int], str]:
    """The order the ranking form asks for, or a message naming the field at fault."""
    current = [p.pk for p in priorities]
    moving = request.POST.get("move", "")
    if moving:
        pk, _sep, direction = moving.partition(":")
        if not pk.isdigit() or int(pk) not in current or direction not in ("up", "down"):
            return current, "Move: that priority is not in this list."
        return store.move(current, int(pk), direction), ""
    given: dict[int, int] = {}
    for p in priorities:
        raw = request.POST.get(f"rank_{p.pk}", "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= len(priorities):
            return current, (f"Rank of “{p.title}”: give a whole number from 1 to "
                             f"{len(priorities)}.")  # fmt: skip
        given[p.pk] = int(raw)
    taken: dict[int, Priority] = {}
    for p in priorities:
        if given[p.pk] in taken:
            return current, (f"Rank {given[p.pk]}: given to both “{taken[given[p.pk]].title}” "
                             f"and “{p.title}”; each rank is given once.")  # fmt: skip
        taken[given[p.pk]] = p
    return sorted(current, key=lambda pk: given[pk]), ""


def priority_rank(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The ranking: a number per priority, or Move up / Move down (no script needed)."""
    priorities = store.ordered(workspace)
    decision = store.latest_decision(workspace)
    context = {"priorities": priorities, "seen": store.seen_token(priorities),
               "votes": _votes(decision), "decision": decision,
               "methods": dict(vocab.DECISION_METHODS)}  # fmt: skip
    template = "strategy/priority_rank.html"
    if request.method != "POST":
        return page(request, workspace, template, context, section=SECTION)
    order, problem = _rank_order(request, priorities)
    if problem:
        return page(request, workspace, template, {**context, "error": problem}, 400, SECTION)
    try:
        store.save_ranking(workspace, request.user, order, request.POST.get("seen", ""))
    except StaleVersion:
        fresh = store.ordered(workspace)
        stale = {**context, "priorities": fresh, "seen": store.seen_token(fresh), "error":
                 "Not saved: someone changed the priorities after you opened this page. "
                 "Here is the ranking as it is now; rank again."}  # fmt: skip
        return page(request, workspace, template, stale, 409, SECTION)
    except ValueError as problem_text:
        return page(request, workspace, template, {**context, "error": str(problem_text)}, 400,
                    SECTION)  # fmt: skip
    messages.success(request, "Saved the ranking.")
    if request.POST.get("move"):
        return redirect("workspace:priority_rank", slug=workspace.slug)
    return redirect(_list_url(workspace))


# -- decisions ------------------------------------------------------------------------------

decisions = RecordPages(
    PriorityDecision, DecisionForm, "priority_decision", "priority_list",
    "Record how the coalition decided", SECTION,
)  # fmt: skip
"""How the coalition decided on its ranking, and the votes each priority got (for a dot
vote, the dots): new/, <pk>/ and <pk>/delete/ under plan/decisions/, back to the list."""


SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Priorities",
        "priority_list",
        "The predictors the coalition chose to work on, each with the evidence it was added "
        "with (the value with its CI, quality and release, its tests, the gaps between "
        "groups, the local data and findings), ranked, with how the coalition decided.",
        records_of(Priority),
        "priority",
    )
]
_editor = workspace_view(role=Role.EDITOR)  # type: ignore[arg-type]
P = "<slug:slug>/plan/priorities/"
D = "<slug:slug>/plan/decisions/"
workspace_urls: list[URLPattern] = [
    path("priorities/new/", priority_choose, name="priority_choose"),
    path(P, priority_list, name="priority_list"),
    path(P + "new/", _editor(priority_create), name="priority_create"),
    path(P + "rank/", _editor(priority_rank), name="priority_rank"),
    path(P + "<int:pk>/", priority_detail, name="priority_detail"),
    path(P + "<int:pk>/edit/", _editor(priority_edit), name="priority_edit"),
    path(P + "<int:pk>/delete/", _editor(priority_delete), name="priority_delete"),
    *decisions.urls(D),
]
