"""Actions and milestones (issue 14, part 5): under each strategy, each with one owner (a
member or a stakeholder), dates, status and percent complete; overdue and stale items
flagged by :mod:`upward.planning.action`. A list across strategies (filters in the query
string, no script needed), a list per strategy, and add, edit and delete pages."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse

from upward.planning import action as rules
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.measurement import action_store as store
from upward.web.measurement.forms_actions import ActionFilterForm, ActionForm
from upward.web.measurement.models import Action
from upward.web.strategy.models import Strategy
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import FORM_PAGE, RecordPages, create_record, page, paged

SECTION = "measure"
PER_PAGE = 50
PAGES = RecordPages(Action, ActionForm, "action", "actions", "Add an action", SECTION)


def _rows(request: HttpRequest, workspace: Workspace, strategy: Strategy | None) -> dict[str, Any]:
    on = store.today()
    form = ActionFilterForm(request.GET or None, workspace=workspace)
    rows = store.actions_of(workspace)
    if strategy is not None:
        rows = rows.filter(strategy=strategy)
    total = rows.count()
    overdue = rows.filter(store.overdue_q(on)).count()
    stale = rows.filter(store.stale_q(on)).count()
    if form.is_valid():
        rows = store.filtered(rows, form.cleaned_data, on)
    page_obj, query = paged(request, rows.order_by("due_date", "pk"), PER_PAGE)
    items = [{"action": a, "flags": store.flags_of(a, on)} for a in page_obj.object_list]
    return {
        "form": form,
        "page_obj": page_obj,
        "query": query,
        "items": items,
        "total": total,
        "overdue": overdue,
        "stale": stale,
        "stale_days": rules.STALE_DAYS,
        "strategy": strategy,
        "today": on,
    }


@workspace_view()
def action_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context = _rows(request, workspace, None)
    status = 200 if context["form"].is_valid() or not request.GET else 400
    return page(
        request, workspace, "measurement/actions.html", context, status=status, section=SECTION
    )


@workspace_view()
def strategy_actions(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, workspace=workspace, pk=pk)
    context = _rows(request, workspace, strategy)
    status = 200 if context["form"].is_valid() or not request.GET else 400
    return page(
        request, workspace, "measurement/actions.html", context, status=status, section=SECTION
    )


def chosen_strategy(request: HttpRequest, workspace: Workspace) -> Strategy | None:
    """The strategy ``?strategy=<id>`` names, if it is one of this workspace's."""
    asked = request.GET.get("strategy", "")
    if not (asked.isdigit() and len(asked) < 10):
        return None
    return Strategy.objects.filter(workspace=workspace, pk=int(asked)).first()


def create_under_strategy(
    request: HttpRequest, workspace: Workspace, pages: RecordPages, title: str, route: str
) -> HttpResponse:
    """Add a record of a strategy (``?strategy=<id>`` chooses it), then go to the
    strategy's page ``route``."""
    chosen = chosen_strategy(request, workspace)
    initial = {"strategy": chosen.pk} if chosen is not None else {}
    back = (
        reverse(f"workspace:{route}", args=[workspace.slug, chosen.pk])
        if chosen is not None
        else pages.list_url(workspace)
    )
    return create_record(
        request,
        workspace,
        partial(pages.form, workspace=workspace, initial=initial),
        FORM_PAGE,
        {"title": title, "cancel_url": back, "section": SECTION},
        lambda obj: reverse(f"workspace:{route}", args=[workspace.slug, obj.strategy_id]),
    )


def action_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return create_under_strategy(
        request, workspace, PAGES, "Add an action or milestone", "strategy_actions"
    )


SECTION_LINKS = [
    HubLink(
        "Actions and milestones",
        "actions",
        "What each strategy will do, by when and who answers for it; overdue items and "
        f"those not updated for {rules.STALE_DAYS} days are flagged, and owners are reminded.",
        records_of(Action),
        "action",
    ),
]

_editor = workspace_view(role=Role.EDITOR)
workspace_urls: list[URLPattern] = [
    path("<slug:slug>/measure/actions/", action_list, name="actions"),
    path("<slug:slug>/measure/actions/new/", _editor(action_create), name="action_create"),
    *PAGES.urls("<slug:slug>/measure/actions/")[1:],
    path(
        "<slug:slug>/measure/strategies/<int:pk>/actions/",
        strategy_actions,
        name="strategy_actions",
    ),
]
