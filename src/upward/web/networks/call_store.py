"""Advisory calls and their follow-ups (issue 15, part 3): who may own a follow-up, logging
a call (with its first follow-up) and the team's activity line for it, marking a
follow-up done, a staff member's follow-ups across the network's teams, and the open and
overdue counts per team that the console shows.

A call's notes are private to the team and the network's staff: nothing here is read by a
public page, and the activity line names the call's date, never its notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from upward.planning import network as vocab
from upward.web.networks.models import AdvisoryCall, FollowUp, Network, Team
from upward.web.workspace.activity import record
from upward.web.workspace.models import Role


def today() -> date:
    return timezone.localdate()


def possible_owners(team: Team) -> QuerySet:
    """The people who may own a follow-up of ``team``'s calls: the team's owners and
    editors and the network's staff, by user name."""
    return (
        get_user_model()
        .objects.filter(
            Q(
                memberships__workspace=team.workspace,
                memberships__role__in=[Role.OWNER, Role.EDITOR],
            )
            | Q(network_staff__network=team.network)
        )
        .distinct()
        .order_by("username")
    )


def call_label(call: AdvisoryCall) -> str:
    return f"advisory call of {call.held_on:%b} {call.held_on.day}, {call.held_on.year}"


def log_call(
    team: Team, user: Any, held_on: date, attendees: str, notes: str, follow_up: dict | None
) -> AdvisoryCall:
    """Save a new call (and its first follow-up, if given) and tell the team's activity
    log, in one transaction."""
    with transaction.atomic():
        call = AdvisoryCall.objects.create(
            team=team, held_on=held_on, attendees=attendees, notes=notes, created_by=user,
            updated_by=user,
        )  # fmt: skip
        if follow_up:
            add_follow_up(call, user, **follow_up, log=False)
        record(team.workspace, user, "logged", call_label(call), f"With {team.network.name}")
    return call


def add_follow_up(
    call: AdvisoryCall, user: Any, text: str, owner: Any, due_on: date, log: bool = True
) -> FollowUp:
    with transaction.atomic():
        item = FollowUp.objects.create(
            call=call, text=text, owner=owner, due_on=due_on, updated_by=user
        )
        if log:
            record(call.team.workspace, user, "added a follow-up to", call_label(call), text)
    return item


def may_mark(follow_up: FollowUp, user: Any, staff: Any) -> bool:
    """The network's staff, or the follow-up's owner, may mark it done or not done."""
    return staff is not None or (user.is_authenticated and follow_up.owner_id == user.pk)


def set_done(follow_up: FollowUp, user: Any, done: bool) -> bool:
    """Mark the follow-up done (or open again); False when it already was."""
    if bool(follow_up.done_at) == done:
        return False
    with transaction.atomic():
        follow_up.done_at = timezone.now() if done else None
        follow_up.version += 1
        follow_up.updated_by = user
        follow_up.save(update_fields=["done_at", "version", "updated_by", "updated_at"])
        verb = "completed the follow-up" if done else "reopened the follow-up"
        record(follow_up.call.team.workspace, user, verb, follow_up.text[:300])
    return True


def is_overdue(follow_up: FollowUp, on: date | None = None) -> bool:
    return follow_up.done_at is None and follow_up.due_on < (on or today())


def team_calls(team: Team) -> list[AdvisoryCall]:
    """The team's calls, newest first, each with its follow-ups."""
    return list(
        AdvisoryCall.objects.filter(team=team)
        .select_related("created_by", "updated_by")
        .prefetch_related("follow_ups__owner")
    )


def open_follow_ups(network: Network) -> QuerySet:
    """The open follow-ups of the network's active teams, soonest due first."""
    return (
        FollowUp.objects.filter(
            call__team__network=network,
            call__team__status=vocab.TEAM_ACTIVE,
            done_at__isnull=True,
        )
        .select_related("call__team__workspace", "owner")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class FollowUpCounts:
    open: int
    overdue: int


def follow_up_counts(network: Network, on: date | None = None) -> dict[int, FollowUpCounts]:
    """Open and overdue (due before ``on``, by default today) follow-ups per active team
    of ``network``, by team id; a team with none is absent. For the console."""
    cutoff = on or today()
    rows = (
        FollowUp.objects.filter(
            call__team__network=network,
            call__team__status=vocab.TEAM_ACTIVE,
            done_at__isnull=True,
        )
        .values("call__team_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=cutoff)))
    )
    return {r["call__team_id"]: FollowUpCounts(r["open"], r["overdue"]) for r in rows}
