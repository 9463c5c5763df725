"""``upward remind``: one email per owner, listing what is theirs that is due soon or
overdue, through Django's email backend; at most once a day per person and item.

Two sources of items, kept apart:

* :func:`action_items`: actions and milestones whose owner (a member, or a stakeholder
  with an email address) has an item due within ``within`` days or overdue;
* :func:`measure_items`: measures whose data are stale, to the people responsible for
  them. The Measure model belongs to the measures part of the measurement app; until it
  exists this answers ``None`` and the command says that measures were not checked.

A reminder sent is recorded (:class:`SentReminder`, one row per person, item and day),
so a cron job that runs twice a day does not write twice; ``dry_run`` sends and records
nothing and reports what would be sent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.urls import reverse

from upward.planning import action as rules
from upward.web.measurement import action_store as store
from upward.web.measurement.models import Action, SentReminder


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
    measures_checked: bool = False
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


def measure_items(on: date) -> list[tuple[str, Item]] | None:
    """(email, item) for every measure whose data are stale, to whoever is responsible;
    ``None`` while the Measure model does not exist (measures are not checked then).

    To be written with the Measure model (its staleness rule and its responsible people
    belong to the measures part); nothing here guesses at their fields."""
    try:
        apps.get_model("measurement", "Measure")
    except LookupError:
        return None
    raise NotImplementedError(
        "The Measure model exists: write measure_items() for its staleness rule and its "
        "responsible people (upward.web.measurement.reminders)."
    )


def plan_run(on: date, within: int = rules.DUE_SOON_DAYS) -> Run:
    """The reminders to send on ``on``, without what was sent that day already."""
    run = Run(on)
    found = action_items(on, within)
    measures = measure_items(on)
    run.measures_checked = measures is not None
    found += measures or []
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
