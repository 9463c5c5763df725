"""Actions as the pages, the API and ``upward remind`` read them: a workspace's actions
with their flags, filtered by the rules of :mod:`upward.planning.action` (one place for
each rule; the filters here are built from its constants)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from upward.planning import action as rules
from upward.web.measurement.models import Action
from upward.web.workspace.models import Workspace


def today() -> date:
    return timezone.localdate()


def is_open_q() -> Q:
    return ~Q(status__in=rules.CLOSED)


def overdue_q(on: date) -> Q:
    return is_open_q() & Q(due_date__lt=on)


def due_soon_q(on: date, within: int = rules.DUE_SOON_DAYS) -> Q:
    return is_open_q() & Q(due_date__gte=on, due_date__lte=on + timedelta(days=within))


def stale_q(on: date, days: int = rules.STALE_DAYS) -> Q:
    start = timezone.make_aware(datetime.combine(rules.stale_before(on, days), time.min))
    return is_open_q() & Q(updated_at__lt=start)


def actions_of(workspace: Workspace) -> QuerySet[Action]:
    return Action.objects.filter(workspace=workspace).select_related(
        "strategy", "owner_member", "owner_stakeholder"
    )


@dataclass(frozen=True)
class Flags:
    overdue: bool
    stale: bool
    due_soon: bool


def flags_of(action: Action, on: date) -> Flags:
    updated = timezone.localtime(action.updated_at).date() if action.updated_at else on
    return Flags(
        overdue=rules.is_overdue(action.due_date, action.status, on),
        stale=rules.is_stale(updated, action.status, on),
        due_soon=rules.is_due_soon(action.due_date, action.status, on),
    )


def filtered(rows: QuerySet[Action], data: dict, on: date) -> QuerySet[Action]:
    """``rows`` narrowed by the list's filters (the cleaned ActionFilterForm)."""
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if data.get("strategy"):
        rows = rows.filter(strategy=data["strategy"])
    kind, _colon, pk = (data.get("owner") or "").partition(":")
    if kind == "member":
        rows = rows.filter(owner_member_id=int(pk))
    elif kind == "stakeholder":
        rows = rows.filter(owner_stakeholder_id=int(pk))
    if data.get("flag") == "overdue":
        rows = rows.filter(overdue_q(on))
    elif data.get("flag") == "stale":
        rows = rows.filter(stale_q(on))
    return rows
