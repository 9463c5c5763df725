"""The engagement summary (over time, by level, by pillar) and who took part against who
lives here (one engagement, or all engagements with counts pooled)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from upward.planning import engagement as rules
from upward.planning.knowledge import ENGAGEMENT_LEVELS, LEVEL_MEANINGS
from upward.reports.numbers import format_share
from upward.web.knowledge import engagement_store as store
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import page

SECTION = "knowledge"


def format_difference(difference: float | None) -> str:
    """Points between two shares, signed: -0.102 -> '−10.2 points'."""
    if difference is None:
        return "—"
    points = round(difference * 100, 1)
    if points == 0:
        return "0.0 points"
    return f"{'+' if points > 0 else '−'}{abs(points):.1f} points"


def format_p(p: float | None) -> str:
    if p is None:
        return "no test"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def share_words(share: rules.GroupShare) -> tuple[str, str]:
    """(share, its 95% Wilson interval) in words."""
    if share.share is None or share.lb is None or share.ub is None:
        return "—", ""
    return format_share(share.share), f"{format_share(share.lb)} to {format_share(share.ub)}"


def comparison_rows(comparison: store.Comparison) -> list[dict[str, Any]]:
    if comparison.result is None or comparison.residents is None:
        return []
    rows = []
    for row in comparison.result.rows:
        share, ci = share_words(row.participants)
        obs = comparison.residents.shares[row.participants.group]
        rows.append(
            {
                "group": row.participants.group,
                "label": row.participants.label,
                "count": row.participants.count,
                "reported": row.participants.reported,
                "share": share,
                "ci": ci,
                "resident": format_share(row.resident_share),
                "quality": obs.quality or "not rated",
                "difference": format_difference(row.difference),
                "p": format_p(row.p_value),
                "verdict": row.verdict,
                "verdict_words": row.verdict_words,
            }
        )
    return rows


def comparison_context(
    request: HttpRequest,
    workspace: Workspace,
    counts_by_dim: dict[str, dict[str, int]],
    reverse_detail: str,
) -> dict[str, Any]:
    """The comparison for one of the workspace's places (``?place=``), for a template."""
    geoid = store.chosen_place(workspace, request.GET.get("place"))
    race = counts_by_dim.get("race") or {}
    comparison = store.compare(race, geoid) if race else None
    flagged = list(comparison.result.under) if comparison and comparison.result else []
    return {
        "place_choices": store.place_choices(workspace),
        "place": geoid,
        "action_url": reverse_detail,
        "has_race": bool(race),
        "comparison": comparison,
        "rows": comparison_rows(comparison) if comparison else [],
        "others": store.other_dimensions(counts_by_dim),
        "suggested": store.suggestions(workspace, flagged),
        "share_words": share_words,
    }


@workspace_view()
def representation(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    engagements = store.with_race_counts(workspace)
    all_counts = store.pooled(
        e
        for e in workspace.engagements.all()
        if e.demographics  # every dimension reported
    )
    all_counts["race"] = store.pooled(engagements)["race"]
    here = reverse("workspace:knowledge_representation", args=[workspace.slug])
    context = {
        "engagements": engagements,
        "tab": "representation",
        **comparison_context(request, workspace, all_counts, here),
        "lived_partners": store.suggestions(workspace, [rules.LIVED_EXPERIENCE_COMMUNITY]),
    }
    return page(
        request, workspace, "knowledge/engagement_representation.html", context, section=SECTION
    )


@workspace_view()
def engagement_summary(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    result = store.summary(workspace)
    context = {
        "summary": result,
        "level_meanings": LEVEL_MEANINGS,
        "levels": ENGAGEMENT_LEVELS,
        "tab": "summary",
    }
    return page(request, workspace, "knowledge/engagement_summary.html", context, section=SECTION)
