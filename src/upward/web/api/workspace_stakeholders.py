"""API: a workspace's stakeholder inventory: list, read, add, change, delete.

Changes are validated by the pages' own form (``StakeholderForm``), so the API and the
page accept and refuse the same values with the same messages (in ``error.fields``). A
change or a delete carries the version it was read at; a stale version gets 409 with the
record as saved now. Every change goes to the activity log.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from upward.planning import stakeholder as vocab
from upward.web.api.params import NO_NUL_PATTERN, Sector
from upward.web.api.records import RecordRoutes, Words, sent, user_name
from upward.web.api.workspace_auth import WorkspaceMember
from upward.web.api.workspace_schemas import (
    ConflictOut,
    StakeholderIn,
    StakeholderOut,
    StakeholderPage,
    StakeholderPatch,
)
from upward.web.workspace.forms.stakeholders import StakeholderForm
from upward.web.workspace.models import Stakeholder, Workspace
from upward.web.workspace.stakeholder_store import FACT_FIELDS, to_facts

router = Router(tags=["workspaces"], auth=WorkspaceMember())


TEXT_FIELDS = ("name", "organization", "email", "phone", "notes")
CHOICE_FIELDS = ("kind", "relationship", "influence", "role", "invitation_status")


def stakeholder_out(request: HttpRequest, s: Stakeholder) -> dict[str, Any]:
    return {
        **{name: getattr(s, name) for name in (*TEXT_FIELDS, *CHOICE_FIELDS)},
        "id": s.pk,
        "version": s.version,
        "sector": s.sector,
        "sector_label": vocab.label(vocab.SECTORS, s.sector),
        "pillars": list(s.pillars or []),
        "predictors": list(s.predictors or []),
        "active": to_facts({name: getattr(s, name) for name in FACT_FIELDS}).active,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "updated_by": user_name(s.updated_by),
    }


def bound_form(workspace: Workspace, instance: Stakeholder, body: Any) -> StakeholderForm:
    """The page's StakeholderForm, bound to the record's values overlaid with the body's."""
    data: dict[str, Any] = {
        name: getattr(instance, name) for name in (*TEXT_FIELDS, *CHOICE_FIELDS)
    }
    data |= {
        "sector": instance.sector,
        "pillars": list(instance.pillars or []),
        "predictors": list(instance.predictors or []),
        "communities": list(instance.communities or []),  # not in the API: kept as is
        "version": instance.version if instance.pk else None,
    }
    data |= sent(body)
    data = {k: v for k, v in data.items() if v is not None}
    return StakeholderForm(data, instance=instance, workspace=workspace)


stakeholders = RecordRoutes(
    router, __name__, Stakeholder, "/stakeholders", "stakeholder_id", "stakeholder",
    Words("stakeholder", saved_by=True), stakeholder_out, StakeholderOut, ConflictOut,
    form=bound_form, unique="name",
)  # fmt: skip


@stakeholders.listing("The stakeholder inventory, by name", StakeholderPage)
def list_stakeholders(
    workspace: Workspace,
    q: str | None = Query(
        None, max_length=100, pattern=NO_NUL_PATTERN, description="Name or organization contains"
    ),
    sector: Sector | None = Query(None, description="A sector id, e.g. government"),  # noqa: B008
) -> QuerySet[Stakeholder]:
    rows = stakeholders.rows(workspace)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(organization__icontains=q))
    if sector:
        rows = rows.filter(sector=sector)
    return rows.order_by("name", "pk")


stakeholders.create("Add a stakeholder (editor or owner)", StakeholderIn, {409: ConflictOut})
stakeholders.get("One stakeholder, with the version to send back with a change")
stakeholders.update(
    "Change a stakeholder: send the version you read and the fields to change", StakeholderPatch
)
stakeholders.delete("Delete a stakeholder: send the version you read")
