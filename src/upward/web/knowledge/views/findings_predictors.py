"""Beside the numbers: the predictor index and one predictor's view, where a workgroup sets
the national metric (CI, quality, tests, gaps by group) beside the local data series and
the findings coded to it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from upward.catalog import get_catalog
from upward.web.explorer.errors import error_response
from upward.web.knowledge import findings_store as store
from upward.web.knowledge.views.coding import findings_panel
from upward.web.knowledge.views.findings_national import (
    UnknownPredictor,
    national_available,
    predictor_numbers,
)
from upward.web.knowledge.views.localdata import local_panel
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import page

SECTION = "knowledge"


@workspace_view()
def predictor_index(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    catalog = get_catalog()
    series, excerpts = store.series_counts(workspace), store.excerpt_counts(workspace)
    national = national_available(list(workspace.geoids))
    pillars = [
        (
            pillar,
            [
                (
                    catalog.predictor(pid),
                    series.get(pid, 0),
                    excerpts.get(pid, 0),
                    national.get(pid, False),
                )
                for pid in pillar.predictor_ids
            ],
        )
        for pillar in catalog.pillars
    ]
    context = {"pillars": pillars, "has_national": any(national.values())}
    return page(request, workspace, "knowledge/predictors.html", context, section=SECTION)


@workspace_view()
def predictor_detail(request: HttpRequest, workspace: Workspace, predictor_id: str) -> HttpResponse:
    try:
        numbers = predictor_numbers(list(workspace.geoids), predictor_id)
    except UnknownPredictor as problem:
        return error_response(request, 404, "No such predictor", str(problem))
    catalog = get_catalog()
    context = {
        "numbers": numbers,
        "predictor": numbers.predictor,
        "pillar": catalog.pillar(numbers.predictor.pillar_id),
        "metrics": [(m, catalog.metric(m).label) for m in numbers.predictor.metric_ids],
        "local_panel": local_panel(workspace, predictor_id),
        "findings_panel": findings_panel(workspace, predictor_id),
    }
    return page(request, workspace, "knowledge/predictor.html", context, section=SECTION)
