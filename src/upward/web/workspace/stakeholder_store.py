"""Stakeholders in the store, turned into the planning layer's facts and CSV rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.planning.name import name_key
from upward.planning.stakeholder import StakeholderFacts
from upward.planning.stakeholder_csv import COLUMNS, StakeholderRow
from upward.web.workspace.models import Stakeholder, Workspace

FACT_FIELDS = (
    "id",
    "name",
    "sector",
    "pillars",
    "predictors",
    "relationship",
    "influence",
    "role",
    "invitation_status",
)


def to_facts(values: dict[str, Any]) -> StakeholderFacts:
    return StakeholderFacts(
        key=values["id"],
        name=values["name"],
        sector=values["sector"],
        pillar_ids=frozenset(values["pillars"] or ()),
        predictor_ids=frozenset(values["predictors"] or ()),
        relationship=values["relationship"],
        influence=values["influence"],
        role=values["role"],
        invitation_status=values["invitation_status"],
    )


def facts_for(workspace: Workspace) -> list[StakeholderFacts]:
    rows = Stakeholder.objects.filter(workspace=workspace).values(*FACT_FIELDS)
    return [to_facts(r) for r in rows]


LIST_COLUMNS = ("pillars", "predictors")
"""Columns of the CSV (and fields of the record) that hold a list of ids."""


def _values(
    source: Stakeholder | StakeholderRow, as_list: Callable[[Iterable[str]], Sequence[str]]
) -> dict[str, Any]:
    """Every CSV column's value of a record or a row, its lists made by ``as_list``."""
    values = {column: getattr(source, column) for column in COLUMNS}
    for column in LIST_COLUMNS:
        values[column] = as_list(values[column] or ())
    return values


def to_row(s: Stakeholder) -> StakeholderRow:
    return StakeholderRow(**_values(s, tuple))


def import_rows(
    workspace: Workspace, rows: Iterable[StakeholderRow], user: Any, update_existing: bool = False
) -> tuple[int, int]:
    """Save every row or none (the caller has already checked them all); returns how many
    records were added and how many updated.

    With ``update_existing``, a row named like a record of the workspace (by ``name_key``)
    replaces that record's values; the records are locked and their versions bumped, so an
    edit form opened before the import is refused as stale rather than overwriting it.
    Without it, a clash with a name added meanwhile raises IntegrityError (nothing saved).
    """
    rows = list(rows)
    with transaction.atomic():
        found: dict[str, Stakeholder] = {}
        if update_existing:
            keys = [name_key(r.name) for r in rows]
            found = {
                s.name_key: s
                for s in Stakeholder.objects.select_for_update().filter(
                    workspace=workspace, name_key__in=keys
                )
            }
        now = timezone.now()
        changed = []
        for row in rows:
            record = found.get(name_key(row.name))
            if record is None:
                continue
            for column, value in _values(row, list).items():
                setattr(record, column, value)
            record.version += 1
            record.updated_by = user
            record.updated_at = now
            changed.append(record)
        Stakeholder.objects.bulk_update(
            changed, [*COLUMNS, "version", "updated_by", "updated_at"], batch_size=500
        )
        new = [
            Stakeholder(workspace=workspace, updated_by=user, **_values(r, list))
            for r in rows
            if name_key(r.name) not in found
        ]
        Stakeholder.objects.bulk_create(new)
    return len(new), len(changed)
