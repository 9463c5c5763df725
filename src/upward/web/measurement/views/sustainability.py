"""Sustainability and learning (issue 14, part 6): per strategy, who is responsible for
keeping it going, the resources it needs and its funding sources (amount optional;
secured, pending or prospect); per workspace, the continuous-learning plan (review
cadence, learning questions, when to revisit the logic model). The MAP draws on these."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse

from upward.planning import action as rules
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.measurement.forms_sustainability import (
    FundingSourceForm,
    LearningPlanForm,
    SustainabilityForm,
)
from upward.web.measurement.models import FundingSource, LearningPlan, Sustainability
from upward.web.measurement.views.actions import create_under_strategy
from upward.web.strategy.models import Strategy
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import (
    FORM_PAGE,
    RecordPages,
    create_record,
    edit_versioned,
    page,
)

SECTION = "measure"
FUNDING = RecordPages(
    FundingSource, FundingSourceForm, "funding_source", "sustainability", "Add a funding source",
    SECTION,
)  # fmt: skip
FUNDING_LABELS = dict(rules.FUNDING_STATUSES)


def funding_totals(sources: list[FundingSource]) -> list[dict[str, Any]]:
    """Per status (secured, pending, prospect): how many sources, and the sum of the
    amounts given (sources without an amount are counted, not summed)."""
    out = []
    for status, label in rules.FUNDING_STATUSES:
        mine = [s for s in sources if s.status == status]
        if mine:
            amounts = [s.amount for s in mine if s.amount is not None]
            total = sum(amounts, Decimal(0)) if amounts else None
            out.append({"label": label, "count": len(mine), "total": total,
                        "unpriced": len(mine) - len(amounts)})  # fmt: skip
    return out


@workspace_view()
def overview(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    strategies = (
        Strategy.objects.filter(workspace=workspace)
        .select_related("lead", "sustainability")
        .prefetch_related("sustainability__responsible", "funding")
    )
    rows = []
    for s in strategies:
        plan = getattr(s, "sustainability", None)
        sources = list(s.funding.all())
        rows.append({"strategy": s, "plan": plan, "sources": sources,
                     "totals": funding_totals(sources)})  # fmt: skip
    context = {
        "rows": rows,
        "labels": FUNDING_LABELS,
        "learning": LearningPlan.objects.filter(workspace=workspace).first(),
    }
    return page(request, workspace, "measurement/sustainability.html", context, section=SECTION)


@workspace_view(role=Role.EDITOR)
def strategy_sustainability(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """The sustainability plan of one strategy: added on the first save, edited after."""
    strategy = get_object_or_404(Strategy, workspace=workspace, pk=pk)
    back = reverse("workspace:sustainability", args=[workspace.slug]) + f"#strategy-{pk}"
    context = {
        "title": f"Sustainability of {strategy}",
        "lead": "Who keeps this strategy going, and what it needs to last. Add its funding "
        "sources from the sustainability page.",
        "cancel_url": back,
        "section": SECTION,
    }
    make = partial(SustainabilityForm, workspace=workspace, strategy=strategy)
    plan = Sustainability.objects.filter(strategy=strategy).first()
    if plan is None:
        return create_record(request, workspace, make, FORM_PAGE, context, lambda obj: back)
    return edit_versioned(request, workspace, plan, make, FORM_PAGE, context, back)


def funding_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return create_under_strategy(
        request, workspace, FUNDING, "Add a funding source", "strategy_sustainability"
    )


@workspace_view(role=Role.EDITOR)
def learning_plan(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The workspace's continuous-learning plan: added on the first save, edited after."""
    back = reverse("workspace:sustainability", args=[workspace.slug]) + "#learning"
    context = {
        "title": "Continuous-learning plan",
        "lead": "How often the coalition reviews its progress, what it wants to learn, and "
        "when it revisits its logic model.",
        "cancel_url": back,
        "section": SECTION,
    }
    make = partial(LearningPlanForm, workspace=workspace)
    plan = LearningPlan.objects.filter(workspace=workspace).first()
    if plan is None:
        return create_record(request, workspace, make, FORM_PAGE, context, lambda obj: back)
    return edit_versioned(request, workspace, plan, make, FORM_PAGE, context, back)


SECTION_LINKS = [
    HubLink(
        "Sustainability and learning",
        "sustainability",
        "Per strategy: who keeps it going, the resources it needs and its funding sources; "
        "and the coalition's plan for reviewing progress and learning from it.",
        records_of(Sustainability),
        "sustainability plan",
    ),
]

_editor = workspace_view(role=Role.EDITOR)
workspace_urls: list[URLPattern] = [
    path("<slug:slug>/measure/sustainability/", overview, name="sustainability"),
    path(
        "<slug:slug>/measure/strategies/<int:pk>/sustainability/",
        strategy_sustainability,
        name="strategy_sustainability",
    ),
    path("<slug:slug>/measure/funding/new/", _editor(funding_create), name="funding_source_create"),
    *FUNDING.urls("<slug:slug>/measure/funding/")[1:],
    path("<slug:slug>/measure/learning/", learning_plan, name="learning_plan"),
]
