"""Progress refreshed on a release (issue 14, part 4): ``upward plan refresh``, run by hand
or after ``upward data load`` makes a release current and after ``upward data use``.

Each workspace with population indicators gets one :class:`ProgressRefresh` per release
(name and checksum): its rows as :func:`progress_store.plan_progress` computes them, the
count per status, and what changed since the workspace's previous refresh (statuses that
changed, baselines newly revised), with one line in its activity log. Refreshing again on
the same release is a no-op (idempotent per workspace and checksum). Each workspace is
refreshed in its own transaction: a failure in one is reported and the others go on.
Reading a refresh (the progress page, the API) writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from django.db import IntegrityError, transaction

from upward.explore.shapes import Shape
from upward.web.measurement import progress_store
from upward.web.measurement.models import ProgressRefresh
from upward.web.measurement.progress_store import PlanProgress, ProgressRow
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace

log = logging.getLogger(__name__)

Outcome = Literal["refreshed", "already", "skipped", "failed"]
REVISED = "revised"


@dataclass(frozen=True)
class WorkspaceRefresh:
    """What one workspace's refresh did."""

    workspace: str
    outcome: Outcome
    """refreshed; already (this release was refreshed before: nothing written); skipped
    (no indicator reads the Mobility Metrics); failed (``message`` says why)."""
    indicators: int = 0
    changed: int = 0
    revised: int = 0
    message: str = ""


@dataclass
class RefreshRun:
    """One ``upward plan refresh``: the release, and each workspace's outcome."""

    release: str
    release_checksum: str
    workspaces: list[WorkspaceRefresh] = field(default_factory=list)

    @property
    def failed(self) -> list[WorkspaceRefresh]:
        return [w for w in self.workspaces if w.outcome == "failed"]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for w in self.workspaces if w.outcome == outcome)


def _changes(
    rows: Sequence[ProgressRow], previous: ProgressRefresh | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The statuses that changed since ``previous`` (none without one) and the baselines
    revised now that were not revised then."""
    before = {r["measure"]: r for r in previous.rows} if previous is not None else {}
    changed, revised = [], []
    for row in rows:
        old = before.get(row.measure)
        if old is not None and old.get("status") != row.status:
            changed.append({"measure": row.measure, "title": row.title,
                            "before": old.get("status"), "after": row.status,
                            "before_words": old.get("status_words", ""),
                            "after_words": row.status_words})  # fmt: skip
        if row.status == REVISED and (old is None or old.get("status") != REVISED):
            revised.append({"measure": row.measure, "title": row.title,
                            "text": row.revised_text})  # fmt: skip
    return changed, revised


def _detail(found: PlanProgress, changed: int, revised: int) -> str:
    words = progress_store.ROW_STATUS_WORDS
    counts = "; ".join(f"{n} {words.get(s, s).lower()}" for s, n in found.counts().items())
    n = len(found.rows)
    return (f"{n} indicator{'s' if n != 1 else ''} ({counts}); {changed} changed "
            f"status{'es' if changed != 1 else ''} and {revised} newly revised "
            f"baseline{'s' if revised != 1 else ''} since the previous refresh")  # fmt: skip


def refresh_workspace(workspace: Workspace, release_name: str | None = None) -> WorkspaceRefresh:
    """Refresh one workspace's progress on ``release_name`` (default: the current one);
    :class:`progress_store.UnknownProgressRelease` when it is not loaded."""
    name, ref = progress_store.open_progress_release(release_name)
    key = {"workspace": workspace, "release": ref.name[:60],
           "release_checksum": ref.checksum[:80]}  # fmt: skip
    if ProgressRefresh.objects.filter(**key).exists():  # nothing to compute again
        return WorkspaceRefresh(workspace.slug, "already")
    found = progress_store.rows_of(
        progress_store.workspace_indicators(workspace), workspace=workspace.slug,
        opened=(name, ref),
    )  # fmt: skip
    if not found.rows:
        return WorkspaceRefresh(workspace.slug, "skipped", message="no indicator")
    try:
        with transaction.atomic():
            if ProgressRefresh.objects.filter(**key).exists():
                return WorkspaceRefresh(workspace.slug, "already", len(found.rows))
            previous = ProgressRefresh.objects.filter(workspace=workspace).first()
            changed, revised = _changes(found.rows, previous)
            ProgressRefresh.objects.create(
                **key,
                counts=found.counts(),
                rows=[row.model_dump(mode="json") for row in found.rows],
                changed=changed,
                revised=revised,
                previous_release=previous.release if previous is not None else "",
            )
            record(workspace, None, "refreshed", f"progress on release {found.release}",
                   _detail(found, len(changed), len(revised)))  # fmt: skip
    except IntegrityError:  # another refresh of the same release won the race
        return WorkspaceRefresh(workspace.slug, "already", len(found.rows))
    return WorkspaceRefresh(workspace.slug, "refreshed", len(found.rows), len(changed),
                            len(revised))  # fmt: skip


def refresh_all(
    release_name: str | None = None, workspaces: Iterable[Workspace] | None = None
) -> RefreshRun:
    """Refresh every workspace that has population indicators on the loaded release
    ``release_name`` (default: the current one); :class:`UnknownProgressRelease` when it is
    not loaded. A workspace that fails is reported in the run; the others go on."""
    name, ref = progress_store.open_progress_release(release_name)
    run = RefreshRun(ref.name, ref.checksum)
    chosen = workspaces if workspaces is not None else _with_indicators()
    for workspace in chosen:
        try:
            run.workspaces.append(refresh_workspace(workspace, name))
        except Exception as problem:  # one workspace never stops the others
            log.exception("Refreshing the progress of %s failed", workspace.slug)
            message = f"{type(problem).__name__}: {problem}"
            run.workspaces.append(WorkspaceRefresh(workspace.slug, "failed", message=message))
    return run


def _with_indicators() -> list[Workspace]:
    """The workspaces with at least one population indicator on the Mobility Metrics."""
    found = Workspace.objects.filter(
        measures__kind="population",
        measures__local_series__isnull=True,
        measures__variable__gt="",
    )
    return list(found.distinct().order_by("slug"))


class StatusChange(Shape):
    """An indicator whose status changed since the previous refresh."""

    measure: int
    title: str
    before: str
    after: str
    before_words: str = ""
    after_words: str = ""


class RevisedBaseline(Shape):
    """An indicator whose baseline the release revised (it was not revised before)."""

    measure: int
    title: str
    text: str
    """The baseline's cell as the release now publishes it."""


class RefreshOut(Shape):
    """One refresh of a workspace's progress on a release (without its rows: see
    ``/progress?release=`` for them)."""

    release: str
    release_checksum: str
    computed_at: datetime
    counts: dict[str, int]
    """Indicators per status (met, improving, no_change, ...)."""
    changed: tuple[StatusChange, ...]
    revised: tuple[RevisedBaseline, ...]
    previous_release: str
    """The release of the workspace's refresh before this one ('' for the first)."""


def refresh_out(found: ProgressRefresh) -> RefreshOut:
    return RefreshOut(
        release=found.release,
        release_checksum=found.release_checksum,
        computed_at=found.computed_at,
        counts=found.counts,
        changed=tuple(StatusChange.model_validate(c) for c in found.changed),
        revised=tuple(RevisedBaseline.model_validate(r) for r in found.revised),
        previous_release=found.previous_release,
    )


def refreshes(workspace: Workspace, limit: int = 20) -> list[RefreshOut]:
    """The workspace's latest refreshes, newest first."""
    return [refresh_out(r) for r in ProgressRefresh.objects.filter(workspace=workspace)[:limit]]


def last_refresh(workspace: Workspace) -> ProgressRefresh | None:
    """The workspace's latest refresh (any release), or None."""
    return ProgressRefresh.objects.filter(workspace=workspace).first()
