"""API: the draft Mobility Action Plan (issue 14, part 7) of a workspace as JSON, in the
shape a published version stores (:meth:`upward.reports.action_plan.PlanDocument.as_dict`):
the same document the page previews and ``upward plan export --format json`` writes.
Reading writes nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from upward.reports.action_plan import PlanDocument
from upward.web.api.workspace_auth import READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.measurement import plan_document

router = Router(tags=["workspaces"], auth=WorkspaceMember())


@router.get(
    W + "/plan/draft",
    response={200: PlanDocument, **READ_ERRORS},
    summary="The draft Mobility Action Plan, assembled from the workspace's records",
)
def get_plan_draft(request: HttpRequest, slug: str) -> dict[str, Any]:
    return plan_document.assemble(workspace_of(request)).as_dict()
