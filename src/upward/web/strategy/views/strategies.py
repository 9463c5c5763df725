"""The strategy libraries (issue 13, item 6): the coalition's own strategies, each with
its evidence, predictors, lead, partners and workgroup; and the shared library (the
starter set and what operators add) from which a coalition adopts a strategy with its
evidence. Strategies whose evidence is emerging or only a rationale are flagged: the
measurement plan gives each of them an evaluation measure."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse

from upward.catalog import get_catalog
from upward.planning import strategy as vocab
from upward.planning.strategy_library import evidence_level, evidence_scale
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.strategy.forms_strategy import LibraryFilterForm, StrategyForm
from upward.web.strategy.library import (
    AdoptionRefused,
    adopt,
    adopted_copies,
    shared_strategies,
)
from upward.web.strategy.models import SharedStrategy, Strategy
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import RecordPages, page

SECTION = "plan"
PAGES = RecordPages(Strategy, StrategyForm, "strategy", "strategies", "Add a strategy", SECTION)


def _predictor_labels(ids: list[str]) -> list[str]:
    catalog = get_catalog()
    known = {p.id for p in catalog.predictors}
    return [catalog.predictor(p).label for p in ids if p in known]


@workspace_view()
def strategy_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    strategies = (
        Strategy.objects.filter(workspace=workspace)
        .select_related("lead", "workgroup", "adopted_from")
        .prefetch_related("partners")
        .annotate(placed=Count("elements"))
    )
    rows = [
        {
            "strategy": s,
            "evidence": evidence_level(s.evidence_level),
            "predictors": _predictor_labels(s.predictors),
            "partners": [p.name for p in s.partners.all()],
        }
        for s in strategies
    ]
    context = {
        "rows": rows,
        "to_evaluate": sum(r["evidence"].needs_evaluation for r in rows),
        "scale": evidence_scale(),
    }
    return page(request, workspace, "strategy/strategies.html", context, section=SECTION)


def _filtered(form: LibraryFilterForm) -> QuerySet[SharedStrategy]:
    if not form.is_valid():
        return shared_strategies()
    data = form.cleaned_data
    rows = list(shared_strategies(data.get("pillar") or "", data.get("evidence") or ""))
    if data.get("predictor"):  # JSON lists: filtered here, alike on SQLite and PostgreSQL
        rows = [s for s in rows if data["predictor"] in s.predictors]
    return rows  # type: ignore[return-value]


@workspace_view()
def shared_library(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    catalog = get_catalog()
    form = LibraryFilterForm(request.GET or None)
    adopted = adopted_copies(workspace)
    pillars = []
    shared = list(_filtered(form))
    for pillar in catalog.pillars:
        items = [
            {
                "shared": s,
                "evidence": evidence_level(s.evidence_level),
                "predictors": _predictor_labels(s.predictors),
                "conditions": [dict(vocab.SYSTEMS_CONDITIONS).get(c, c) for c in s.conditions],
                "adopted": adopted.get(s.pk),
            }
            for s in shared
            if s.pillar == pillar.id
        ]
        if items:
            pillars.append({"pillar": pillar, "items": items})
    context = {"form": form, "pillars": pillars, "count": len(shared)}
    return page(request, workspace, "strategy/library.html", context, section=SECTION)


@workspace_view(role=Role.EDITOR)
def shared_adopt(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    shared = get_object_or_404(SharedStrategy, pk=pk, active=True)
    back = reverse("workspace:strategy_library", args=[workspace.slug])
    if request.method != "POST":
        return redirect(back)
    try:
        strategy = adopt(workspace, shared, request.user)
    except AdoptionRefused as problem:
        messages.error(request, str(problem))
        return redirect(back + f"#shared-{shared.pk}")
    messages.success(
        request,
        f"Adopted “{strategy}” into your library with its evidence. Choose its lead partner "
        "and workgroup next.",
    )
    return redirect("workspace:strategy_edit", slug=workspace.slug, pk=strategy.pk)


SECTION_LINKS = [
    HubLink(
        "Strategies",
        "strategies",
        "The coalition's strategies, each with its evidence, the predictors it targets, its "
        "lead and partners; adopt more from the shared library.",
        records_of(Strategy),
        "strategy",
    ),
]

workspace_urls: list[URLPattern] = [
    path("<slug:slug>/plan/strategies/", strategy_list, name="strategies"),
    *PAGES.urls("<slug:slug>/plan/strategies/"),
    path("<slug:slug>/plan/library/", shared_library, name="strategy_library"),
    path("<slug:slug>/plan/library/<int:pk>/adopt/", shared_adopt, name="strategy_adopt"),
]
