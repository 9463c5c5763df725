"""Metric pages: what a metric measures, and its national distribution (map, chart, states).

``/metrics/``                     every metric, by pillar and predictor (and ``metrics.json``)
``/metric/<id>/``                 one metric; ``?variable=&year=&level=county|city``
``/metric/<id>.json|.csv|.xlsx``  every place's value for the same choices
``/metric/<id>/map.json``         ``[[geoid, value, quality code], ...]`` for the map
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import patch_cache_control

from upward.catalog import ALL_TYPE, COUNTY, Metric, UnknownName, get_catalog
from upward.explore import (
    LEVEL_WORDS,
    InvalidChoice,
    Selection,
    StateSpread,
    Summary,
    WarehouseMissing,
)
from upward.reports import distribution_charts as charts
from upward.reports.catalog_text import metric_dict
from upward.reports.downloads import to_csv, to_xlsx
from upward.reports.numbers import format_number
from upward.web.data import get_release
from upward.web.explorer.errors import error_response
from upward.web.json_output import StrictJsonResponse

PLACE_COLUMNS = (
    "geoid", "name", "state", "geo_level", "metric", "variable", "year",
    "value", "lb", "ub", "quality",
)  # fmt: skip
COUNTIES_ATLAS = "vendor/us-atlas/counties-10m.json"
STATES_ATLAS = "vendor/us-atlas/states-10m.json"
DIRECTION_TEXT = {
    "higher_better": "Higher values are better for mobility.",
    "lower_better": "Lower values are better for mobility.",
    "context": "Neither higher nor lower is better: this metric describes context.",
}
View = Callable[..., HttpResponse]


def _handles_errors(view: View) -> View:
    """Turn the library's lookup errors into 404 and 400 pages (JSON on .json paths)."""

    @wraps(view)
    def wrapped(request: HttpRequest, metric_id: str, *args: Any) -> HttpResponse:
        try:
            return view(request, metric_id, *args)
        except UnknownName as exc:
            if exc.kind == "metric":
                return _metric_not_found(request, metric_id, exc.suggestions)
            return error_response(request, 400, "Unknown variable", _unknown_variable(exc))
        except InvalidChoice as exc:
            return error_response(request, 400, f"Bad value for {exc.parameter}", exc.message)
        except WarehouseMissing as exc:
            return error_response(request, 503, "No data loaded", str(exc))

    return wrapped


def _unknown_variable(exc: UnknownName) -> str:
    return (
        f"'{exc.name}' is not a variable of this metric. "
        f"Choose one of: {', '.join(exc.suggestions)}."
    )


def _metric_not_found(request: HttpRequest, metric_id: str, ids: list[str]) -> HttpResponse:
    catalog = get_catalog()
    suggestions = [catalog.metric(i) for i in ids]
    message = f"There is no metric called '{metric_id}'."
    if suggestions:
        message += " Closest matches: " + ", ".join(f"{m.label} ({m.id})" for m in suggestions)
        message += "."
    if request.path.endswith(".json"):
        return error_response(request, 404, "Unknown metric", message)
    context = {"status": 404, "title": "Unknown metric", "message": message}
    context["metric_suggestions"] = suggestions
    return render(request, "explorer/metric_error.html", context, status=404)


def _select(request: HttpRequest, metric_id: str) -> Selection:
    params = request.GET
    return get_release().selection(
        metric_id,
        variable=params.get("variable") or None,
        year=params.get("year") or None,
        level=params.get("level") or None,
    )


def _query(selection: Selection) -> str:
    return urlencode(
        {
            "variable": selection.variable.name,
            "year": selection.year or "",
            "level": selection.level,
        }
    )


# Index ------------------------------------------------------------------------------------


def metrics_index(request: HttpRequest) -> HttpResponse:
    catalog = get_catalog()
    pillars = [
        {
            "pillar": pillar,
            "predictors": [
                {
                    "predictor": catalog.predictor(pid),
                    "metrics": [catalog.metric(mid) for mid in catalog.predictor(pid).metric_ids],
                }
                for pid in pillar.predictor_ids
            ],
        }
        for pillar in catalog.pillars
    ]
    return render(request, "explorer/metrics.html", {"pillars": pillars, "catalog": catalog})


def metrics_index_json(request: HttpRequest) -> HttpResponse:
    catalog = get_catalog()
    return StrictJsonResponse({"metrics": [metric_dict(catalog, m) for m in catalog.metrics]})


# One metric -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _atlas_county_ids() -> frozenset[str]:
    path = settings.WEB_DIR / "static" / COUNTIES_ATLAS
    topology = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(str(g["id"]) for g in topology["objects"]["counties"]["geometries"])


def _years_by_level(metric: Metric) -> list[dict[str, Any]]:
    catalog = get_catalog()
    rows = []
    for level in metric.geographies:
        years = metric.years.get(level, ())
        breakdowns = [
            catalog.subgroup_type(t).label
            for t in metric.subgroup_types.get(level, ())
            if t != ALL_TYPE
        ]
        rows.append(
            {
                "level": LEVEL_WORDS[level][1].capitalize(),
                "years": ", ".join(str(y) for y in years),
                "breakdowns": ", ".join(breakdowns) or "None (everyone only)",
            }
        )
    return rows


def _state_rows(selection: Selection, states: list[StateSpread]) -> list[dict]:
    fmt = lambda x: format_number(selection.variable, x)  # noqa: E731
    return [
        {
            "fips": s.state_fips,
            "name": s.state_name,
            "abbr": s.state_abbr,
            "n": s.spread.n,
            "median": fmt(s.spread.median),
            "middle": f"{fmt(s.spread.p25)} to {fmt(s.spread.p75)}",
            "range": f"{fmt(s.spread.min)} to {fmt(s.spread.max)}",
        }
        for s in states
    ]


def _unmapped(selection: Selection, values: list[tuple[str, float | None, int | None]]) -> list:
    """Counties with a value that the map's (2017) boundaries do not draw."""
    if selection.level != COUNTY:
        return []
    atlas = _atlas_county_ids()
    geos = get_release().places
    return [geos[g] for g, v, _ in values if v is not None and g not in atlas and g in geos]


@_handles_errors
def metric_page(request: HttpRequest, metric_id: str) -> HttpResponse:
    selection = _select(request, metric_id)
    data = get_release().overview(selection)
    metric, variable, summary = selection.metric, selection.variable, data.summary
    catalog = get_catalog()
    sentence = charts.describe_distribution(selection, summary)
    median = summary.national.median if summary.national else None
    query = _query(selection)
    base = f"/metric/{metric.id}"
    context: dict[str, Any] = {
        "metric": metric,
        "pillar": catalog.pillar(metric.pillar_id),
        "predictor": catalog.predictor(metric.predictor_id),
        "selection": selection,
        "variable": variable,
        "national": _spread_text(selection, summary),
        "summary_sentence": sentence,
        "coverage_sentence": charts.describe_coverage(selection, summary),
        "direction_text": DIRECTION_TEXT[variable.direction],
        "years_by_level": _years_by_level(metric),
        "states": _state_rows(selection, list(data.states)),
        "bins": [{"label": charts.bin_label(variable, b), "count": b.count} for b in data.bins],
        "histogram_spec": charts.histogram_spec(selection, data.bins, median, sentence),
        "quality_levels": catalog.quality,
        "downloads": {ext: f"{base}.{ext}?{query}" for ext in ("json", "csv", "xlsx")},
        "map_data_url": f"{base}/map.json?{query}",
    }
    if selection.level == COUNTY and selection.year is not None:
        map_sentence = charts.describe_map(selection, summary)
        context["map_sentence"] = map_sentence
        context["map_spec"] = charts.county_map_spec(
            selection, static(COUNTIES_ATLAS), static(STATES_ATLAS), map_sentence
        )
        context["unmapped"] = _unmapped(selection, list(data.values))
    return render(request, "explorer/metric.html", context)


def _spread_text(selection: Selection, summary: Summary) -> dict[str, str] | None:
    spread = summary.national
    if spread is None:
        return None
    fmt = lambda x: format_number(selection.variable, x)  # noqa: E731
    return {
        "median": fmt(spread.median),
        "middle": f"{fmt(spread.p25)} to {fmt(spread.p75)}",
        "range": f"{fmt(spread.min)} to {fmt(spread.max)}",
        "n": f"{spread.n:,}",
    }


@_handles_errors
def metric_map_json(request: HttpRequest, metric_id: str) -> HttpResponse:
    selection = _select(request, metric_id)
    values = get_release().overview(selection).values
    rows = [[g, float(f"{v:.6g}") if v is not None else None, q] for g, v, q in values]
    response = StrictJsonResponse(rows, safe=False, json_dumps_params={"separators": (",", ":")})
    patch_cache_control(response, public=True, max_age=600)
    return response


def _place_rows(selection: Selection) -> list[dict[str, Any]]:
    _, places = get_release().place_values(selection)
    common = {
        "geo_level": selection.level,
        "metric": selection.metric.id,
        "variable": selection.variable.name,
        "year": selection.year,
    }
    return [
        {
            **place.as_dict(),
            **common,
            "state": place.state_abbr,
            "url": f"/{selection.level}/{place.geoid}/",
        }
        for place in places
    ]


@_handles_errors
def metric_json(request: HttpRequest, metric_id: str) -> HttpResponse:
    release = get_release()
    selection = _select(request, metric_id)
    summary = release.summary(selection)
    spread = summary.national
    body = {
        "metric": metric_dict(get_catalog(), selection.metric),
        "selection": {
            "variable": selection.variable.name,
            "variable_label": selection.variable.label,
            "level": selection.level,
            "year": selection.year,
            "years_with_values": list(selection.years),
            "levels": list(selection.levels),
        },
        "summary": {
            "national": spread.__dict__ if spread else None,
            "coverage": summary.coverage.__dict__,
            "text": charts.describe_distribution(selection, summary),
        },
        "states": [
            {"state_fips": s.state_fips, "state_abbr": s.state_abbr, "state_name": s.state_name}
            | {k: v for k, v in s.spread.__dict__.items() if k != "scope"}
            for s in release.state_spreads(selection)
        ],
        "places": [
            {k: v for k, v in row.items() if k not in ("metric", "variable", "year")}
            for row in _place_rows(selection)
        ],
    }
    return StrictJsonResponse(body)


def _download_name(selection: Selection, ext: str) -> str:
    return (
        f"{selection.metric.id}-{selection.variable.name}-{selection.level}-{selection.year}.{ext}"
    )


@_handles_errors
def metric_csv(request: HttpRequest, metric_id: str) -> HttpResponse:
    selection = _select(request, metric_id)
    response = HttpResponse(
        to_csv(_place_rows(selection), PLACE_COLUMNS), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_download_name(selection, "csv")}"'
    return response


@_handles_errors
def metric_xlsx(request: HttpRequest, metric_id: str) -> HttpResponse:
    selection = _select(request, metric_id)
    metric, variable = selection.metric, selection.variable
    notes = [
        f"{metric.label}: {variable.label} ({variable.name}), {selection.level_plural}, "
        f"{selection.year}.",
        metric.description,
        f"Source: {metric.source}",
        "lb and ub are the bounds of the 95% confidence interval where Urban publishes one.",
        *(f"{q.label}: {q.meaning}" for q in get_catalog().quality),
        *(f"Caveat: {c}" for c in metric.caveats),
    ]
    body = to_xlsx(_place_rows(selection), PLACE_COLUMNS, sheet=metric.id, notes=notes)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_download_name(selection, "xlsx")}"'
    return response
