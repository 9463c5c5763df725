"""API: a coalition's workspace (/api/workspaces/...), for its members only.

The list of your workspaces, one workspace's summary (places, members, readiness,
coalition), its readiness assessment, stakeholder coverage and activity log; the
stakeholder routes are in :mod:`upward.web.api.workspace_stakeholders`. Who may call
what is decided in :mod:`upward.web.api.workspace_auth`, by the pages' own rules: 401 for
anyone not signed in, 404 for a non-member (as for a workspace that does not exist), 403
for a viewer's change; records are always looked up inside the workspace of the address.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router

from upward.catalog import get_catalog
from upward.planning import readiness as rules
from upward.planning.coverage import Coverage, assess_coverage
from upward.planning.readiness import RECOMMENDATION_LABELS, ReadinessResult
from upward.web.api import paging
from upward.web.api.records import paged, user_name
from upward.web.api.schemas import ErrorOut
from upward.web.api.workspace_auth import READ_ERRORS, SignedIn, W, WorkspaceMember, workspace_of
from upward.web.api.workspace_schemas import (
    ActivityPage,
    ReadinessOut,
    StakeholderCoverageOut,
    WorkspaceOut,
    WorkspacePage,
)
from upward.web.api.workspace_stakeholders import router as stakeholder_router
from upward.web.workspace import places
from upward.web.workspace.models import (
    Activity,
    Assessment,
    CoalitionStructure,
    Membership,
    Workspace,
)
from upward.web.workspace.readiness_store import answers_of, latest, result_of
from upward.web.workspace.stakeholder_store import facts_for

router = Router(tags=["workspaces"], auth=WorkspaceMember())
ACTIVITY_FIELDS = ("at", "verb", "target", "detail")
router.add_router("", stakeholder_router)
router.add_router("", "upward.web.api.workspace_engagements.router")
router.add_router("", "upward.web.api.workspace_findings.router")
router.add_router("", "upward.web.api.workspace_officials.router")
router.add_router("", "upward.web.api.workspace_input.router")
router.add_router("", "upward.web.api.workspace_summary.router")
router.add_router("", "upward.web.api.workspace_local_data.router")
router.add_router("", "upward.web.api.workspace_model.router")
router.add_router("", "upward.web.api.workspace_vision.router")
router.add_router("", "upward.web.api.workspace_review.router")
router.add_router("", "upward.web.api.workspace_priorities.router")
router.add_router("", "upward.web.api.workspace_measures.router")
router.add_router("", "upward.web.api.workspace_progress.router")
router.add_router("", "upward.web.api.workspace_plan.router")
router.add_router("", "upward.web.api.workspace_strategies.router")
router.add_router("", "upward.web.api.workspace_actions.router")
router.add_router("", "upward.web.api.workspace_plan_versions.router")


@router.get(
    "/workspaces",
    auth=SignedIn(),
    response={200: WorkspacePage, 400: ErrorOut, 401: ErrorOut},
    summary="Your workspaces",
)
def list_workspaces(
    request: HttpRequest, limit: int = paging.limit_param(), offset: int = paging.offset_param()
) -> dict[str, Any]:
    mine = Membership.objects.filter(user=request.user).select_related("workspace")
    mine = mine.order_by("workspace__name", "workspace__pk")
    items = [
        {
            "slug": m.workspace.slug,
            "name": m.workspace.name,
            "description": m.workspace.description,
            "role": m.role,
            "geoids": list(m.workspace.geoids or []),
            "url": reverse("workspace:home", args=[m.workspace.slug]),
        }
        for m in mine[offset : offset + limit]
    ]
    return paging.page(request, mine.count(), items, limit, offset)


@router.get(
    W,
    response={200: WorkspaceOut, **READ_ERRORS},
    summary="A workspace: places, members, readiness and coalition",
)
def get_workspace(request: HttpRequest, slug: str) -> dict[str, Any]:
    workspace = workspace_of(request)
    members = workspace.memberships.select_related("user").order_by("user__username")
    assessment = latest(workspace)
    return {
        "slug": workspace.slug,
        "name": workspace.name,
        "description": workspace.description,
        "version": workspace.version,
        "role": request.auth.role,  # type: ignore[attr-defined]
        "url": reverse("workspace:home", args=[workspace.slug]),
        "created_at": workspace.created_at,
        "jurisdictions": [places.summarize(g) for g in workspace.geoids],
        "members": [
            {"username": m.user.get_username(), "role": m.role, "joined_at": m.joined_at}
            for m in members
        ],
        "readiness": _status(assessment, result_of(assessment)) if assessment else None,
        "coalition": _coalition(workspace),
        "peer_sets": [
            {"id": p.pk, "name": p.name, "geoids": list(p.geoids)}
            for p in workspace.peer_sets.all()
        ],
    }


def _status(assessment: Assessment, result: ReadinessResult) -> dict[str, Any]:
    return {
        "assessment": assessment.number,
        "title": str(assessment),
        "met_count": result.met_count,
        "total": result.total,
        "recommendation": result.recommendation,
        "recommendation_label": RECOMMENDATION_LABELS[result.recommendation],
        "reason": result.reason,
        "state": result.state,
        "state_label": result.state_label,
    }


def _coalition(workspace: Workspace) -> dict[str, Any]:
    facts = facts_for(workspace)
    coverage = assess_coverage(facts)
    structure = CoalitionStructure.objects.filter(workspace=workspace).first()
    workgroups = workspace.workgroups.select_related("lead").annotate(n=Count("members"))
    return {
        "stakeholders": len(facts),
        "active": sum(1 for f in facts if f.active),
        "gaps": len(coverage.gaps),
        "predictor_gaps": sorted(coverage.gap_ids("predictor")),
        "backbone": structure.backbone.name if structure and structure.backbone else None,
        "advisory_members": structure.advisory_members.count() if structure else 0,
        "advisory_cadence": structure.advisory_cadence if structure else "",
        "workgroups": [
            {
                "id": g.pk,
                "name": g.name,
                "focus_pillar": g.focus_pillar,
                "focus_predictor": g.focus_predictor,
                "lead": g.lead.name if g.lead else None,
                "members": g.n,
                "cadence": g.cadence,
            }
            for g in workgroups
        ],
    }


@router.get(
    W + "/readiness",
    response={200: ReadinessOut, **READ_ERRORS},
    summary="The latest readiness assessment, its result, plan and the rule",
)
def get_readiness(request: HttpRequest, slug: str) -> dict[str, Any]:
    workspace = workspace_of(request)
    assessment = latest(workspace)
    rule = {
        "condition_rule": rules.condition_rule_text(),
        "bands": [vars(band) for band in rules.rule_bands()],
    }
    out: dict[str, Any] = {
        "assessments": workspace.assessments.count(),
        "assessment": None,
        "result": None,
        "tasks": [],
        "rule": rule,
    }
    if assessment is None:
        return out
    result = result_of(assessment)
    out["assessment"] = {
        "number": assessment.number,
        "title": str(assessment),
        "version": assessment.version,
        "created_at": assessment.created_at,
        "created_by": user_name(assessment.created_by),
    }
    out["result"] = _result(assessment, result)
    out["tasks"] = [_task(t) for t in assessment.tasks.select_related("owner").order_by("pk")]
    return out


def _result(assessment: Assessment, result: ReadinessResult) -> dict[str, Any]:
    answers = answers_of(assessment)
    conditions = []
    for c in result.conditions:
        saved = answers.get(c.condition.id, {"answer": None, "steps": {}})
        done = {s.id for s in c.done}
        conditions.append(
            {
                "id": c.condition.id,
                "number": c.condition.number,
                "title": c.condition.title,
                "met": c.met,
                "answered": c.answered,
                "steps_done": len(c.done),
                "steps_total": len(c.condition.steps),
                "to_address": saved["answer"].to_address if saved["answer"] else "",
                "steps": [
                    {
                        "id": s.id,
                        "text": s.text,
                        "done": s.id in done,
                        "note": saved["steps"][s.id].note if s.id in saved["steps"] else "",
                    }
                    for s in c.condition.steps
                ],
            }
        )
    return {
        **_status(assessment, result),
        "steps_done": result.steps_done,
        "steps_total": result.steps_total,
        "conditions": conditions,
    }


def _task(task: Any) -> dict[str, Any]:
    try:
        text = rules.step(task.step_id).text
    except KeyError:
        text = task.step_id
    return {
        "id": task.pk,
        "version": task.version,
        "condition_id": task.condition_id,
        "step_id": task.step_id,
        "step": text,
        "owner": user_name(task.owner),
        "due_date": task.due_date,
        "status": task.status,
    }


@router.get(
    W + "/coverage",
    response={200: StakeholderCoverageOut, **READ_ERRORS},
    summary="Who covers what: pillars by sectors, predictors, and the gaps",
)
def get_coverage(request: HttpRequest, slug: str) -> dict[str, Any]:
    return coverage_out(assess_coverage(facts_for(workspace_of(request))))


def coverage_out(coverage: Coverage) -> dict[str, Any]:
    catalog = get_catalog()
    return {
        "sectors": [
            {"id": sid, "label": label, "active": coverage.sector_active[sid]}
            for sid, label in coverage.sectors
        ],
        "matrix": [
            {
                "pillar_id": row.pillar.id,
                "pillar_label": row.pillar.label,
                "active": row.active,
                "prospects": row.prospects,
                "active_sectors": row.active_sectors,
                "cells": [vars(cell) for cell in row.cells],
            }
            for row in coverage.rows
        ],
        "predictors": [
            {
                "predictor_id": p.predictor.id,
                "label": p.predictor.label,
                "pillar_id": catalog.predictor(p.predictor.id).pillar_id,
                "active": list(p.active),
                "prospects": list(p.prospects),
                "gap": p.gap,
            }
            for p in coverage.predictors
        ],
        "gaps": [vars(gap) for gap in coverage.gaps],
    }


def activity_out(request: HttpRequest, a: Activity) -> dict[str, Any]:
    return {"id": a.pk, "actor": a.actor_name, **{f: getattr(a, f) for f in ACTIVITY_FIELDS}}


@paged(router, W + "/activity", ActivityPage, "The activity log, newest first", activity_out)
def list_activity(workspace: Workspace) -> QuerySet[Activity]:
    return Activity.objects.filter(workspace=workspace).order_by("-at", "-id")
