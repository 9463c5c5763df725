"""Stakeholders in the store, turned into the planning layer's facts and CSV rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from upward.planning.stakeholder import StakeholderFacts
from upward.planning.stakeholder_csv import StakeholderRow
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


def to_row(s: Stakeholder) -> StakeholderRow:
    return StakeholderRow(
        name=s.name,
        kind=s.kind,
        organization=s.organization,
        sector=s.sector,
        pillars=tuple(s.pillars or ()),
        predictors=tuple(s.predictors or ()),
        relationship=s.relationship,
        influence=s.influence,
        role=s.role,
        invitation_status=s.invitation_status,
        email=s.email,
        phone=s.phone,
        notes=s.notes,
    )


def import_rows(workspace: Workspace, rows: Iterable[StakeholderRow], user: Any) -> int:
    """Save every row or none (the caller has already checked them all)."""
    records = [
        Stakeholder(
            workspace=workspace,
            name=r.name,
            kind=r.kind,
            organization=r.organization,
            sector=r.sector,
            pillars=list(r.pillars),
            predictors=list(r.predictors),
            relationship=r.relationship,
            influence=r.influence,
            role=r.role,
            invitation_status=r.invitation_status,
            email=r.email,
            phone=r.phone,
            notes=r.notes,
            updated_by=user,
        )
        for r in rows
    ]
    with transaction.atomic():
        Stakeholder.objects.bulk_create(records)
    return len(records)
