"""Stakeholders in the store, turned into the planning layer's facts and CSV rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction

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


def import_rows(workspace: Workspace, rows: Iterable[StakeholderRow], user: Any) -> int:
    """Save every row or none (the caller has already checked them all)."""
    records = [Stakeholder(workspace=workspace, updated_by=user, **_values(r, list)) for r in rows]
    with transaction.atomic():
        Stakeholder.objects.bulk_create(records)
    return len(records)
