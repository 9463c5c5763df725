"""Actions and milestones of a strategy (guide Step 9): their vocabulary and the rules
that flag them. Pure: dates in, answers out; the stores filter with the same constants.

* **Overdue**: the due date is past (before today) and the item is not closed (done or
  dropped). An item due today is not overdue yet.
* **Due soon**: not closed, due today or within the next ``within`` days.
* **Stale**: not closed and not updated for :data:`STALE_DAYS` days or more, so its status
  may no longer say where the work stands.
"""

from __future__ import annotations

from datetime import date, timedelta

KINDS = (("action", "Action"), ("milestone", "Milestone"))
STATUSES = (
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("blocked", "Blocked"),
    ("done", "Done"),
    ("dropped", "Dropped"),
)
CLOSED = frozenset({"done", "dropped"})
"""Statuses that end an item: never overdue, due soon or stale."""

STALE_DAYS = 30
"""An open item not updated for this many days is flagged stale (docs/workspace.md)."""
DUE_SOON_DAYS = 7
"""``upward remind`` writes to owners of items due within this many days by default."""

FUNDING_STATUSES = (("secured", "Secured"), ("pending", "Pending"), ("prospect", "Prospect"))


def is_open(status: str) -> bool:
    return status not in CLOSED


def is_overdue(due: date | None, status: str, today: date) -> bool:
    return due is not None and is_open(status) and due < today


def is_due_soon(due: date | None, status: str, today: date, within: int = DUE_SOON_DAYS) -> bool:
    return due is not None and is_open(status) and today <= due <= today + timedelta(days=within)


def stale_before(today: date, days: int = STALE_DAYS) -> date:
    """The day before which an open item's last update makes it stale."""
    return today - timedelta(days=days - 1)


def is_stale(updated: date, status: str, today: date, days: int = STALE_DAYS) -> bool:
    return is_open(status) and updated < stale_before(today, days)


def dates_problem(start: date | None, due: date | None) -> str:
    """Why a start and a due date do not fit together ("" when they do)."""
    if start is not None and due is not None and due < start:
        return f"Choose a due date on or after the start ({start:%B %-d, %Y})."
    return ""


def percent_problem(percent: int | None) -> str:
    if percent is not None and not 0 <= percent <= 100:
        return "Give a whole number from 0 to 100."
    return ""
