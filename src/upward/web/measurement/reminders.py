"""``upward remind``: one email per owner, listing what is theirs that is due soon or
overdue, through Django's email backend; at most once a day per person and item.

Two sources of items, kept apart:

* :func:`action_items`: actions and milestones whose owner (a member, or a stakeholder
  with an email address) has an item due within ``within`` days or overdue;
* :func:`measure_items`: measures read on a calendar (monthly, quarterly, yearly) whose
  data were not updated for their period, to the member or stakeholder responsible.

A reminder sent is recorded (:class:`SentReminder`, one row per person, item and day),
so a cron job that runs twice a day does not write twice; ``dry_run`` sends and records
nothing and reports what would be sent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.urls import reverse

from upward.planning import action as rules
from upward.planning import measure as measure_vocab
from upward.web.measurement import action_store as store
from upward.web.measurement.models import Action, Measure, SentReminder


@dataclass(frozen=True)
class Item:
    """One thing an owner is reminded of."""

    subject: str  # "action" or "measure"
    object_id: int
    workspace_id: int
    workspace: str  # the workspace's name
    title: str
    why: str  # "overdue since March 1, 2026", "due on March 9, 2026"
    path: str  # the page where it is edited or read


@dataclass(frozen=True)
class Reminder:
    """The email to one person: every item of theirs not yet reminded of today."""

    email: str
    items: tuple[Item, ...]

    @property
    def title(self) -> str:
        n = len(self.items)
        return f"Upward: {n} item{'s' if n != 1 else ''} due soon or overdue"

    def body(self, base_url: str = "") -> str:
        lines = ["These items of the coalition's plan are yours and need attention:", ""]
        for item in self.items:
            lines.append(f"- {item.title} ({item.workspace}): {item.why}")
            lines.append(f"  {base_url.rstrip('/')}{item.path}")
        lines += ["", "Update an item when its status changes, so the plan says where the work "
                  "stands. You get this at most once a day per item."]  # fmt: skip
        return "\n".join(lines)


@dataclass
class Run:
    """What one run found and did."""

    on: date
    reminders: list[Reminder] = field(default_factory=list)
    already_sent: int = 0  # items skipped: reminded of today already
    sent: int = 0  # emails sent (0 in a dry run)


def _why(action: Action, on: date) -> str:
    assert action.due_date is not None
    if rules.is_overdue(action.due_date, action.status, on):
        return f"overdue since {action.due_date:%B %-d, %Y} ({action.get_status_display()})"
    return f"due on {action.due_date:%B %-d, %Y} ({action.get_status_display()})"


def action_items(on: date, within: int = rules.DUE_SOON_DAYS) -> list[tuple[str, Item]]:
    """(email, item) for every open action due within ``within`` days or overdue whose
    owner has an email address (a member only while still a member), in every workspace."""
    still_member = Q(owner_member__isnull=True) | Q(
        owner_member__memberships__workspace=F("workspace")
    )
    rows = (
        Action.objects.filter(store.overdue_q(on) | store.due_soon_q(on, within))
        .filter(still_member)  # a member who left hears nothing more of the workspace
        .select_related("workspace", "owner_member", "owner_stakeholder")
        .order_by("due_date", "pk")
    )
    out = []
    for action in rows:
        email = action.owner_email.strip().lower()
        if not email:
            continue
        path = reverse("workspace:action_edit", args=[action.workspace.slug, action.pk])
        item = Item("action", action.pk, action.workspace_id, action.workspace.name, action.title,
                    _why(action, on), path)  # fmt: skip
        out.append((email, item))
    return out


def measure_items(on: date) -> list[tuple[str, Item]]:
    """(email, item) for every measure read on a calendar whose data are stale on ``on``
    (not updated for its period: :func:`upward.planning.measure.measure_stale_since`), to
    the member (while still a member) or the stakeholder responsible, in every workspace."""
    still_member = Q(responsible_member__isnull=True) | Q(
        responsible_member__memberships__workspace=F("workspace")
    )
    rows = (
        Measure.objects.filter(frequency__in=list(measure_vocab.MEASURE_STALE_DAYS))
        .filter(still_member)
        .select_related("workspace", "responsible_member", "responsible_stakeholder")
        .order_by("pk")
    )
    out = []
    for measure in rows:
        updated = measure.updated_at.date()
        stale = measure_vocab.measure_stale_since(measure.frequency, updated)
        if stale is None or stale > on:
            continue
        who = measure.responsible_member or measure.responsible_stakeholder
        email = (getattr(who, "email", "") or "").strip().lower()
        if not email:
            continue
        why = (f"its data were last updated on {updated:%B %-d, %Y} and it is read "
               f"{measure.get_frequency_display().lower()}")  # fmt: skip
        path = reverse("workspace:measure_edit", args=[measure.workspace.slug, measure.pk])
        item = Item("measure", measure.pk, measure.workspace_id, measure.workspace.name,
                    measure.title, why, path)  # fmt: skip
        out.append((email, item))
    return out


def plan_run(on: date, within: int = rules.DUE_SOON_DAYS) -> Run:
    """The reminders to send on ``on``, without what was sent that day already."""
    run = Run(on)
    found = action_items(on, within)
    found += measure_items(on)
    sent = set(SentReminder.objects.filter(sent_on=on).values_list("subject", "object_id", "email"))
    by_email: dict[str, list[Item]] = defaultdict(list)
    for email, item in found:
        if (item.subject, item.object_id, email) in sent:
            run.already_sent += 1
        else:
            by_email[email].append(item)
    run.reminders = [Reminder(email, tuple(items)) for email, items in sorted(by_email.items())]
    return run


def _sent(item: Item, email: str, on: date) -> SentReminder:
    return SentReminder(
        workspace_id=item.workspace_id, subject=item.subject, object_id=item.object_id,
        email=email, sent_on=on,
    )  # fmt: skip


def remind(
    on: date | None = None, within: int = rules.DUE_SOON_DAYS, dry_run: bool = False,
    base_url: str = "",
) -> Run:  # fmt: skip
    """Send (or with ``dry_run`` only list) the day's reminders, recording each sent."""
    run = plan_run(on or store.today(), within)
    if dry_run or not run.reminders:
        return run
    with get_connection() as connection:
        for reminder in run.reminders:
            message = EmailMessage(
                reminder.title, reminder.body(base_url), settings.DEFAULT_FROM_EMAIL,
                [reminder.email], connection=connection,
            )  # fmt: skip
            message.send()
            SentReminder.objects.bulk_create(
                [_sent(item, reminder.email, run.on) for item in reminder.items],
                ignore_conflicts=True,
            )
            run.sent += 1
    return run
