"""Metric pages: what a metric measures, and its national distribution (map, chart, states).

The county map (:func:`county_map`) is one template for the nation and for a state page;
its alternative for keyboards and screen readers is the table of every place's value
(:func:`values_table`), rendered by the server and sorted and paged by links.

``/metrics/``                     every metric, by pillar and predictor (and ``metrics.json``)
``/metric/<id>/``                 one metric; ``?variable=&year=&level=county|city``, and
                                  ``&order=-value|value|name&page=`` for its table of values
``/metric/<id>.json|.csv|.xlsx``  every place's value for the same choices
``/metric/<id>/map.json``         ``[[geoid, value, quality code], ...]`` for the map
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static

from upward.catalog import ALL_TYPE, COUNTY, WEAK, Catalog, Metric, get_catalog
from upward.explore import LEVEL_WORDS, Bin, Selection, StateSpread, Summary
from upward.reports import county_map as county_maps
from upward.reports import distribution_charts as charts
from upward.reports.catalog_text import metric_dict
from upward.reports.numbers import format_bounds, format_number, format_value
from upward.web.data import get_release
from upward.web.problem import BadRequest
from upward.web.render import Result, Table, page

PLACE_COLUMNS = (
    "geoid", "name", "state", "geo_level", "metric", "variable", "year",
    "value", "lb", "ub", "quality", "value_display",
)  # fmt: skip
COUNTIES_ATLAS = "vendor/us-atlas/counties-10m.json"
STATES_ATLAS = "vendor/us-atlas/states-10m.json"
DIRECTION_TEXT = {
    "higher_better": "Higher values are better for mobility.",
    "lower_better": "Lower values are better for mobility.",
    "context": "Neither higher nor lower is better: this metric describes context.",
}


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


def _index_html(catalog: Catalog) -> dict[str, Any]:
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
    return {"pillars": pillars, "catalog": catalog}


@page()
def metrics_index(request: HttpRequest) -> Result[Catalog]:
    return Result(get_catalog(), "explorer/metrics.html", html=_index_html, name="metrics page",
                  json=lambda c: {"metrics": [metric_dict(c, m) for m in c.metrics]})  # fmt: skip


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


def _metric_html(selection: Selection, choice: TableChoice) -> dict[str, Any]:
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
        "hatch": county_maps.WEAK_PATTERN,
        "state_query": urlencode(
            {"metric": metric.id, "variable": variable.name, "year": selection.year or ""}
        ),
        "downloads": {ext: f"{base}.{ext}?{query}" for ext in ("json", "csv", "xlsx")},
    }
    if selection.level == COUNTY and selection.year is not None and data.bins:
        context["map"] = county_map(selection, data.bins, find=True)
        context["unmapped"] = _unmapped(selection, list(data.values))
    context["values"] = values_table(selection, choice)
    return context


def county_map(
    selection: Selection,
    bins: Sequence[Bin],
    focus_state: str = "",
    where: str = "US counties",
    find: bool = False,
) -> dict[str, Any]:
    """The county map of a selection, for ``explorer/_county_map.html``: the nation, or
    one state (``focus_state``) on the same colour scale (the nation's), from one template."""
    scale = county_maps.map_scale(selection.variable, bins)
    sentence = county_maps.describe_map(selection, scale, where)
    spec = county_maps.county_map_spec(
        selection, scale, static(COUNTIES_ATLAS), static(STATES_ATLAS), sentence, focus_state
    )
    metric = selection.metric
    return {
        "spec": spec,
        "scale": scale,
        "symbols": county_maps.map_symbols(find=find),
        "sentence": sentence,
        "data_url": f"/metric/{metric.id}/map.json?{_query(selection)}",
        "filename": "-".join(filter(None, (metric.id, str(selection.year), "map", focus_state))),
        "find": find,
        "pattern": county_maps.WEAK_PATTERN,
        "colours": {
            "sample": scale.ramp[len(scale.ramp) // 2],
            "hidden": county_maps.HIDDEN_COLOR,
            "missing": county_maps.NO_ESTIMATE_COLOR,
            "found": county_maps.FOUND_COLOR,
        },
        "unit": selection.variable.unit,
        "variable_label": selection.variable.label,
        "year": selection.year,
        "csv_url": f"/metric/{metric.id}.csv?{_query(selection)}",
    }


# The table of every place's value (the map's alternative) ---------------------------------

VALUES_PER_PAGE = 100
TABLE_ORDERS = {"-value": "highest value first", "value": "lowest value first", "name": "by name"}


@dataclass(frozen=True)
class TableChoice:
    order: str = "-value"
    page: int = 1


def _table_choice(request: HttpRequest) -> TableChoice:
    order = request.GET.get("order", "").strip() or "-value"
    if order not in TABLE_ORDERS:
        raise BadRequest(f"order must be one of {', '.join(TABLE_ORDERS)}; not '{order}'.")
    raw = request.GET.get("page", "").strip() or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"page must be a whole number from 1; not '{raw}'.")
    return TableChoice(order, int(raw))


def values_table(selection: Selection, choice: TableChoice) -> dict[str, Any]:
    """One page of every place's value, CI, quality and year, in the order asked for.

    Sorting and paging are links (``?order=&page=``), so the table sorts without a script.
    """
    offset = (choice.page - 1) * VALUES_PER_PAGE
    total, found = get_release().place_values(
        selection, order=choice.order, limit=VALUES_PER_PAGE, offset=offset
    )
    pages = max(1, -(-total // VALUES_PER_PAGE))
    if choice.page > pages:
        raise BadRequest(f"page must be from 1 to {pages} for this table; not {choice.page}.")
    variable, base = selection.variable, f"?{_query(selection)}"

    def link(order: str, page: int = 1) -> str:
        return f"{base}&order={order}&page={page}#values"

    rows = [
        {
            "name": p.name,
            "url": f"/{selection.level}/{p.geoid}/",
            "value": format_value(variable, p.value, p.value_text)
            if p.value is not None or p.value_text else "No published value",
            "ci": format_bounds(variable, p.lb, p.ub),
            "quality": p.quality or ("Not rated" if p.value is not None else ""),
            "weak": p.quality == WEAK,
        }
        for p in found
    ]  # fmt: skip
    value_order = "value" if choice.order == "-value" else "-value"
    return {
        "rows": rows,
        "total": total,
        "page": choice.page,
        "pages": pages,
        "per_page": VALUES_PER_PAGE,
        "first": offset + 1,
        "last": offset + len(rows),
        "order": choice.order,
        "order_words": TABLE_ORDERS[choice.order],
        "sort_name": link("name"),
        "sort_value": link(value_order),
        "previous": link(choice.order, choice.page - 1) if choice.page > 1 else "",
        "next": link(choice.order, choice.page + 1) if choice.page < pages else "",
    }


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


def _map_json(selection: Selection) -> list[list[Any]]:
    values = get_release().overview(selection).values
    return [[g, float(f"{v:.6g}") if v is not None else None, q] for g, v, q in values]


@page()
def metric_map(request: HttpRequest, metric_id: str) -> Result[Selection]:
    return Result(_select(request, metric_id), json=_map_json, compact=True, cache_seconds=600,
                  name="map data")  # fmt: skip


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
            "value_display": None
            if place.value is None and not place.value_text
            else format_value(selection.variable, place.value, place.value_text),
        }
        for place in places
    ]


def _metric_json(selection: Selection) -> dict[str, Any]:
    release = get_release()
    summary = release.summary(selection)
    spread = summary.national
    return {
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


def _metric_table(selection: Selection) -> Table:
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
    name = f"{metric.id}-{variable.name}-{selection.level}-{selection.year}"
    notes.append(
        "value_display: the value rounded and formatted as the page shows it; "
        "value, lb and ub stay as published, unrounded."
    )
    return Table(_place_rows(selection), PLACE_COLUMNS, name, metric.id, notes,
                 unit=variable.unit)  # fmt: skip


@page()
def metric_page(request: HttpRequest, metric_id: str) -> Result[Selection]:
    selection = _select(request, metric_id)
    choice = _table_choice(request)
    return Result(selection, "explorer/metric.html", html=lambda s: _metric_html(s, choice),
                  json=_metric_json, table=_metric_table, name="metric page")  # fmt: skip
