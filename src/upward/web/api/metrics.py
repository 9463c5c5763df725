"""API: the framework catalog and a metric's national distribution."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router

from upward.catalog import Catalog, Metric, get_catalog
from upward.reports.catalog_text import metric_dict
from upward.reports.distribution_charts import describe_distribution
from upward.web.api import paging
from upward.web.api.geographies import ERRORS
from upward.web.api.params import metric_path, variable_param, year_param
from upward.web.api.schemas import CatalogOut, DistributionOut, ErrorOut, GeoLevel, MetricOut
from upward.web.data import get_release

router = Router(tags=["metrics"])


def metric_out(metric: Metric) -> dict[str, Any]:
    """The catalog entry of ``metric_dict`` with ids for the labels, and the page's URL."""
    out = metric_dict(get_catalog(), metric)
    del out["pillar"], out["predictor"]
    return {
        **out,
        "short_label": metric.short_label,
        "pillar_id": metric.pillar_id,
        "predictor_id": metric.predictor_id,
        "url": f"/metric/{metric.id}/",
    }


def catalog_out(catalog: Catalog) -> dict[str, Any]:
    return {
        "pillars": [
            {"id": p.id, "label": p.label, "description": p.description,
             "predictor_ids": list(p.predictor_ids)}
            for p in catalog.pillars
        ],
        "predictors": [
            {"id": p.id, "label": p.label, "pillar_id": p.pillar_id,
             "description": p.description, "metric_ids": list(p.metric_ids)}
            for p in catalog.predictors
        ],
        "metrics": [metric_out(m) for m in catalog.metrics],
        "subgroup_types": [
            {"id": t.id, "label": t.label, "groups": [g.label for g in t.groups]}
            for t in catalog.subgroup_types
        ],
        "quality": [
            {"code": q.code, "label": q.label, "meaning": q.meaning} for q in catalog.quality
        ],
    }  # fmt: skip


@router.get("/catalog", response=CatalogOut, summary="Pillars, predictors and metrics")
def get_catalog_view(request: HttpRequest) -> dict[str, Any]:
    return catalog_out(get_catalog())


@router.get(
    "/catalog/metrics/{metric_id}",
    response={200: MetricOut, 404: ErrorOut},
    summary="One metric: what it measures, variables, years, breakdowns",
)
def get_metric(request: HttpRequest, metric_id: str = metric_path()) -> dict[str, Any]:
    return metric_out(get_catalog().metric(metric_id))


@router.get(
    "/metrics/{metric_id}/distribution",
    response={200: DistributionOut, **ERRORS, 422: ErrorOut},
    summary="A metric's national distribution: summary, states and every place (paged)",
)
def get_distribution(
    request: HttpRequest,
    metric_id: str = metric_path(),
    variable: str | None = variable_param("Default: the metric's headline variable"),
    year: int | None = year_param("Default: the latest year with values"),
    level: GeoLevel | None = Query(None, description="county or city (default: county)"),  # noqa: B008
    order: Literal["geoid", "value", "-value", "name"] = Query(
        "geoid", description="Order of places: geoid, value (ascending), -value, name"
    ),
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    release = get_release()
    selection = release.selection(metric_id, variable, year, level)
    data = release.overview(selection)
    count, places = release.place_values(selection, order=order, limit=limit, offset=offset)
    spread = data.summary.national
    return {
        "metric": selection.metric.id,
        "variable": selection.variable.name,
        "variable_label": selection.variable.label,
        "level": selection.level,
        "year": selection.year,
        "years_with_values": list(selection.years),
        "summary_text": describe_distribution(selection, data.summary),
        "national": vars(spread) if spread else None,
        "coverage": vars(data.summary.coverage),
        "states": [
            {
                **vars(s.spread),
                "state_fips": s.state_fips,
                "state_abbr": s.state_abbr,
                "state_name": s.state_name,
            }
            for s in data.states
        ],
        "places": paging.page(request, count, [p.as_dict() for p in places], limit, offset),
    }
