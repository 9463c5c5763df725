"""Advisory calls (issue 15, part 3): the log of one-on-one calls with a team, newest
first, with their follow-ups (:mod:`upward.web.networks.call_store`).

* /n/<slug>/teams/<team_id>/calls/: the network's staff and the team's own members read it
  (through :func:`access.visible_team`; anyone else gets 404). Staff log a call (with a
  first follow-up), edit it (optimistic concurrency, as every versioned record), delete it
  after a confirmation, and add follow-ups later.
* A follow-up's owner (a member of the team) or any staff member marks it done: the one
  change a team member makes here (``team_change``), checked against the follow-up.
* /n/<slug>/follow-ups/: a staff member's own open follow-ups across teams, then the
  network's other open ones, overdue ones flagged.
* /w/<slug>/network/calls/: the coalition's side, the calls of each of the workspace's
  active teams, with the same template.

A call's notes are seen only there: never on a public page. Reading changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse

from upward.planning import network as vocab
from upward.web.explorer.errors import error_response
from upward.web.networks import call_store
from upward.web.networks.access import network_view, visible_team
from upward.web.networks.call_forms import CallForm, FollowUpForm
from upward.web.networks.models import AdvisoryCall, FollowUp, Network, Team
from upward.web.networks.views.teams import network_page
from upward.web.workspace import submission
from upward.web.workspace.access import forbidden, workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import (
    StaleVersion,
    delete_versioned,
    differences,
    save_versioned,
)
from upward.web.workspace.views.common import page

TEMPLATE = "networks/calls.html"
T = "<slug:slug>/teams/<int:team_id>/calls/"
C = T + "<int:call_id>/"


def calls_url(network: Network, team: Team) -> str:
    return reverse("networks:team_calls", args=[network.slug, team.pk])


def _group(team: Team, request: HttpRequest) -> dict[str, Any]:
    today = call_store.today()
    calls = call_store.team_calls(team)
    for call in calls:
        for item in call.follow_ups.all():  # type: ignore[attr-defined]
            item.overdue = call_store.is_overdue(item, today)
            item.markable = call_store.may_mark(item, request.user, getattr(request, "staff", None))
    return {"team": team, "calls": calls}


def _staff_team(request: HttpRequest, network: Network, team_id: int) -> Team:
    return visible_team(request, network, team_id)


def _call(team: Team, call_id: int) -> AdvisoryCall:
    return get_object_or_404(
        AdvisoryCall.objects.select_related("updated_by"), team=team, pk=call_id
    )


@network_view(teams=True)
def team_calls(request: HttpRequest, network: Network, team_id: int) -> HttpResponse:
    team = visible_team(request, network, team_id)
    context = {
        "layout": "networks/base.html",
        "groups": [_group(team, request)],
        "team": team,
        "can_log": request.staff is not None,  # type: ignore[attr-defined]
        "back": "team",
    }
    return network_page(request, network, TEMPLATE, context, "calls")


def _form_page(
    request: HttpRequest, network: Network, team: Team, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    base = {"team": team, "cancel_url": calls_url(network, team), "conflict": None}
    return network_page(
        request, network, "networks/call_form.html", {**base, **context}, "calls", status
    )


@network_view()
def call_create(request: HttpRequest, network: Network, team_id: int) -> HttpResponse:
    team = _staff_team(request, network, team_id)
    context: dict[str, Any] = {
        "title": "Log an advisory call",
        "once": submission.token_for(request),
    }
    if request.method != "POST":
        form, follow = CallForm(), FollowUpForm(team=team, optional=True, prefix="f")
        return _form_page(request, network, team, {**context, "form": form, "follow": follow})
    if again := submission.repeat(request):
        return again
    form = CallForm(request.POST)
    follow = FollowUpForm(request.POST, team=team, optional=True, prefix="f")
    if not (form.is_valid() & follow.is_valid()):
        context = {**context, "form": form, "follow": follow}
        return _form_page(request, network, team, context, 400)
    data = form.cleaned_data
    back = calls_url(network, team)
    try:
        with transaction.atomic():
            call = call_store.log_call(
                team, request.user, data["held_on"], data["attendees"], data["notes"],
                follow.follow_up(),
            )  # fmt: skip
            submission.claim(request, back)
    except IntegrityError as clash:
        return submission.after_clash(request, clash)
    messages.success(request, f"Logged the {call_store.call_label(call)}.")
    return redirect(back)


@network_view()
def call_edit(request: HttpRequest, network: Network, team_id: int, call_id: int) -> HttpResponse:
    team = _staff_team(request, network, team_id)
    call = _call(team, call_id)
    context: dict[str, Any] = {
        "title": f"Edit the {call_store.call_label(call)}",
        "delete_url": reverse("networks:call_delete", args=[network.slug, team.pk, call.pk]),
    }
    if request.method != "POST":
        return _form_page(request, network, team, {**context, "form": CallForm(instance=call)})
    form = CallForm(request.POST, instance=call)
    if not form.is_valid():
        return _form_page(request, network, team, {**context, "form": form}, 400)
    try:
        with transaction.atomic():
            saved = save_versioned(form, form.cleaned_data["version"], request.user)
            record(team.workspace, request.user, "edited", call_store.call_label(saved))  # type: ignore[arg-type]
    except StaleVersion:
        fresh = AdvisoryCall.objects.filter(pk=call.pk).select_related("updated_by").first()
        if fresh is None:
            return error_response(
                request, 409, "Deleted meanwhile", "Someone deleted this call while you edited it."
            )
        fresh_form = CallForm(instance=fresh)
        conflict = {"form": fresh_form, "conflict": differences(form, fresh_form), "fresh": fresh}
        return _form_page(request, network, team, {**context, **conflict}, 409)
    messages.success(request, f"Saved the {call_store.call_label(saved)}.")  # type: ignore[arg-type]
    return redirect(calls_url(network, team))


@network_view()
def call_delete(request: HttpRequest, network: Network, team_id: int, call_id: int) -> HttpResponse:
    """GET asks to confirm; POST (with the version seen) deletes the call and its
    follow-ups."""
    team = _staff_team(request, network, team_id)
    call = _call(team, call_id)
    label = call_store.call_label(call)
    context = {"team": team, "call": call, "label": label, "cancel_url": calls_url(network, team)}
    if request.method != "POST":
        return network_page(request, network, "networks/call_delete.html", context, "calls")
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        return error_response(request, 400, "Bad request", "The form did not say which version.")
    try:
        with transaction.atomic():
            delete_versioned(call, expected)
            record(team.workspace, request.user, "deleted", label)
    except StaleVersion:
        messages.error(request, f"Not deleted: someone changed the {label} meanwhile. Review it.")
        return redirect(calls_url(network, team))
    messages.success(request, f"Deleted the {label}.")
    return redirect(calls_url(network, team))


@network_view()
def follow_up_add(
    request: HttpRequest, network: Network, team_id: int, call_id: int
) -> HttpResponse:
    team = _staff_team(request, network, team_id)
    call = _call(team, call_id)
    context: dict[str, Any] = {
        "title": f"Add a follow-up to the {call_store.call_label(call)}",
        "once": submission.token_for(request),
        "call": call,
    }
    if request.method != "POST":
        return _form_page(request, network, team, {**context, "follow": FollowUpForm(team=team)})
    if again := submission.repeat(request):
        return again
    follow = FollowUpForm(request.POST, team=team)
    if not follow.is_valid():
        return _form_page(request, network, team, {**context, "follow": follow}, 400)
    back = calls_url(network, team)
    try:
        with transaction.atomic():
            call_store.add_follow_up(call, request.user, **follow.follow_up())  # type: ignore[arg-type]
            submission.claim(request, back)
    except IntegrityError as clash:
        return submission.after_clash(request, clash)
    messages.success(request, "Added the follow-up.")
    return redirect(back)


@network_view(teams=True, team_change=True)
def follow_up_done(
    request: HttpRequest, network: Network, team_id: int, call_id: int, follow_up_id: int
) -> HttpResponse:
    """POST ``done`` ("yes" or "no"): the follow-up's owner or a staff member marks it;
    anyone else who may read the team's calls is refused (403). A GET goes back."""
    team = visible_team(request, network, team_id)
    call = _call(team, call_id)
    item = get_object_or_404(FollowUp, call=call, pk=follow_up_id)
    back = calls_url(network, team)
    if request.POST.get("back") == "workspace":
        back = reverse("workspace:network_calls", args=[team.workspace.slug])
    if request.method != "POST":
        return redirect(back)
    if not call_store.may_mark(item, request.user, request.staff):  # type: ignore[attr-defined]
        return forbidden(request, "Only the follow-up's owner or the network's staff mark it.")
    done = request.POST.get("done")
    if done not in ("yes", "no"):
        return error_response(request, 400, "Bad request", "Say whether it is done.")
    if call_store.set_done(item, request.user, done == "yes"):
        word = "done" if done == "yes" else "not done"
        messages.success(request, f"Marked “{item.text}” {word}.")
    return redirect(back)


@network_view()
def follow_ups(request: HttpRequest, network: Network) -> HttpResponse:
    today = call_store.today()
    rows = list(call_store.open_follow_ups(network))
    for item in rows:
        item.overdue = call_store.is_overdue(item, today)
    mine = [r for r in rows if r.owner_id == request.user.pk]
    others = [r for r in rows if r.owner_id != request.user.pk]
    context = {"mine": mine, "others": others, "overdue": sum(r.overdue for r in rows)}
    return network_page(request, network, "networks/follow_ups.html", context, "follow_ups")


@workspace_view()
def workspace_calls(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    teams = Team.objects.filter(workspace=workspace, status=vocab.TEAM_ACTIVE).select_related(
        "network", "track", "workspace"
    )
    context = {
        "layout": "workspace/base.html",
        "groups": [_group(t, request) for t in teams],
        "team": None,
        "can_log": False,
        "back": "workspace",
    }
    return page(request, workspace, TEMPLATE, context, section="network")


network_urls: list[URLPattern] = [
    path(T, team_calls, name="team_calls"),
    path(T + "new/", call_create, name="call_create"),
    path(C, call_edit, name="call_edit"),
    path(C + "delete/", call_delete, name="call_delete"),
    path(C + "follow-ups/new/", follow_up_add, name="follow_up_add"),
    path(C + "follow-ups/<int:follow_up_id>/done/", follow_up_done, name="follow_up_done"),
    path("<slug:slug>/follow-ups/", follow_ups, name="follow_ups"),
]
"""Routes under /n/<slug:slug>/ (namespace "networks")."""
workspace_urls: list[URLPattern] = [
    path("<slug:slug>/network/calls/", workspace_calls, name="network_calls"),
]
"""Routes under /w/<slug:slug>/network/ (namespace "workspace")."""
