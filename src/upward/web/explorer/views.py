"""Public explorer pages. Views are thin: read the request, call the library, render.

Every page has a ``.json`` twin: ``/`` and ``/index.json``, ``/state/27/`` and
``/state/27.json``, ``/county/27123/`` and ``/county/27123.json`` (plus ``.csv`` and
``.xlsx`` downloads of a profile).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from upward.catalog import ALL_TYPE, GEO_LEVEL_WORDS, get_catalog
from upward.explore import (
    AmbiguousPlace,
    BadPlaceCode,
    Geography,
    PlaceNotFound,
    WarehouseMissing,
)
from upward.reports.downloads import to_csv, to_xlsx
from upward.web.data import get_release
from upward.web.explorer import browse
from upward.web.explorer.errors import error_response
from upward.web.explorer.profile_export import CSV_COLUMNS, profile_rows
from upward.web.explorer.profile_page import publication_years
from upward.web.explorer.profile_render import rendered_profile
from upward.web.json_output import StrictJsonResponse
from upward.web.page_cache import cache_public_page

KIND_LABEL = {level: (one.capitalize(), many) for level, (one, many) in GEO_LEVEL_WORDS.items()}
SEARCH_LIMIT = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadParameter(ValueError):
    """A malformed part of the address or query; shown as a 400 with this message."""


View = Callable[..., HttpResponse]


def friendly_errors(view: View) -> View:
    """Turn bad input into a 400, unknown places into a 404 with suggestions."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return error_response(request, 400, "Bad request", str(error))
        except PlaceNotFound as error:
            return error_response(
                request, 404, "Place not found", error.reason, suggestions=error.suggestions
            )
        except WarehouseMissing:
            return error_response(
                request,
                503,
                "Data not loaded",
                "The metrics warehouse has not been built on this server yet.",
            )

    return wrapped


def _json(data: dict[str, Any]) -> StrictJsonResponse:
    return StrictJsonResponse(data, json_dumps_params={"ensure_ascii": False})


# -- home and search ----------------------------------------------------------------------


@friendly_errors
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    release = get_release()
    results: list[Geography] = []
    message = ""
    if query:
        try:
            place = release.find_place(query)
        except AmbiguousPlace:
            results = release.search(query, limit=SEARCH_LIMIT)
        except PlaceNotFound as error:
            results = error.suggestions
            message = error.reason
        else:
            return redirect(place.url_path)
    catalog = get_catalog()
    return render(
        request,
        "explorer/home.html",
        {
            "catalog": catalog,
            "pillars": browse.framework_dict(catalog)["pillars"],
            "states": browse.list_states(release.places),
            "query": query,
            "results": results,
            "message": message,
        },
    )


@friendly_errors
def home_json(request: HttpRequest) -> HttpResponse:
    release = get_release()
    query = request.GET.get("q", "").strip()
    data: dict[str, Any] = {
        "framework": browse.framework_dict(get_catalog()),
        "states": [s.as_dict() for s in browse.list_states(release.places)],
    }
    if query:
        data["query"] = query
        data["results"] = [browse.place_dict(g) for g in release.search(query, limit=SEARCH_LIMIT)]
    return _json(data)


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit", "8")
    if not raw.isdigit() or not 1 <= int(raw) <= 50:
        raise BadParameter(f"limit must be a whole number from 1 to 50, not '{raw}'.")
    return int(raw)


@friendly_errors
def search_json(request: HttpRequest) -> HttpResponse:
    """Places matching ?q= (name or FIPS), best first: the home page's suggestions."""
    query = request.GET.get("q", "").strip()
    limit = _limit(request)
    found = get_release().search(query, limit=limit) if query else []
    return _json({"query": query, "results": [browse.place_dict(g) for g in found]})


# -- states -------------------------------------------------------------------------------


def _state(fips: str) -> tuple[browse.State, list[Geography], list[Geography]]:
    if len(fips) != 2 or not fips.isdigit():
        raise BadParameter(f"A state is named by its 2-digit FIPS code, such as 27; not '{fips}'.")
    places = get_release().places
    state = next((s for s in browse.list_states(places) if s.fips == fips), None)
    if state is None:
        raise PlaceNotFound(fips, [], f"No state has the FIPS code '{fips}'.")
    counties, cities = browse.places_in_state(places, fips)
    return state, counties, cities


@friendly_errors
def state(request: HttpRequest, fips: str) -> HttpResponse:
    found, counties, cities = _state(fips)
    return render(
        request,
        "explorer/state.html",
        {"state": found, "counties": counties, "cities": cities},
    )


@friendly_errors
def state_json(request: HttpRequest, fips: str) -> HttpResponse:
    found, counties, cities = _state(fips)
    return _json(
        {
            "state": found.as_dict(),
            "counties": [browse.place_dict(g) for g in counties],
            "cities": [browse.place_dict(g) for g in cities],
        }
    )


# -- profiles -----------------------------------------------------------------------------


def _place(level: str, fips: str) -> Geography:
    try:
        return get_release().place(level, fips)
    except BadPlaceCode as error:
        raise BadParameter(error.reason) from None


def _options(request: HttpRequest, years: tuple[int, ...]) -> tuple[int | None, str | None]:
    raw_year = request.GET.get("year", "").strip()
    year = None
    if raw_year:
        if not raw_year.isdigit() or int(raw_year) not in years:
            span = f"{years[0]}–{years[-1]}" if years else "none"
            raise BadParameter(
                f"year must be a year with published data ({span}), not '{raw_year}'."
            )
        year = int(raw_year)
    breakdown = request.GET.get("breakdown", "").strip() or None
    if breakdown is not None:
        known = [t.id for t in get_catalog().subgroup_types if t.id != ALL_TYPE]
        if breakdown not in known:
            raise BadParameter(f"breakdown must be one of {', '.join(known)}; not '{breakdown}'.")
    return year, breakdown


def _years(geo: Geography) -> tuple[int, ...]:
    return publication_years(get_catalog(), geo.geo_level)


def _links(geo: Geography, request: HttpRequest) -> dict[str, str]:
    stem = geo.url_path.rstrip("/")
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    return {
        "html": geo.url_path + suffix,
        "json": f"{stem}.json{suffix}",
        "csv": f"{stem}.csv{suffix}",
        "xlsx": f"{stem}.xlsx{suffix}",
    }


@cache_public_page
@friendly_errors
def profile(request: HttpRequest, level: str, fips: str) -> HttpResponse:
    geo = _place(level, fips)
    year, breakdown = _options(request, _years(geo))
    rendered = rendered_profile(get_release(), geo, year, breakdown)
    kind, plural = KIND_LABEL[geo.geo_level]
    return render(
        request,
        "explorer/profile.html",
        {
            "page": rendered.page,
            "geo": geo,
            "kind_label": kind,
            "kind_plural": plural,
            "population": f"{geo.population:,.0f}" if geo.population else "",
            "links": _links(geo, request),
            "quality_levels": get_catalog().quality,
            "citation": get_catalog().citation,
            "sections": rendered.sections,
            "toc": rendered.toc,
            "charts": rendered.charts,
        },
    )


@friendly_errors
def profile_file(request: HttpRequest, level: str, fips: str, fmt: str) -> HttpResponse:
    geo = _place(level, fips)
    year, breakdown = _options(request, _years(geo))
    release = get_release()
    if fmt == "json":
        return _json(release.profile_shape(geo, year, breakdown).model_dump(mode="json"))
    page = rendered_profile(release, geo, year, breakdown).page
    rows = profile_rows(page)
    name = f"upward-{geo.geo_level}-{geo.geoid}" + (f"-{year}" if year else "")
    if fmt == "csv":
        response = HttpResponse(to_csv(rows, CSV_COLUMNS), content_type="text/csv; charset=utf-8")
    else:
        notes = [
            f"{geo.display_name} ({geo.geo_level}, FIPS {geo.geoid}): Mobility Metrics as shown "
            f"on {geo.url_path}",
            "section: latest = value shown for the year; series = every published year; "
            "subgroup = values by group.",
            "Quality: Strong, Marginal or Weak (Urban's rating). Weak values are too uncertain "
            "to draw conclusions.",
            "pct_nation, pct_state: share of the other places of the same kind with a lower "
            "value (percent rank, 0 to 1; empty for a place alone in its state). below_*, "
            "tied_*: how many other places have a lower or exactly the same value.",
            f"Source: {get_catalog().citation.publisher}, {get_catalog().citation.title}.",
        ]
        response = HttpResponse(
            to_xlsx(rows, CSV_COLUMNS, sheet=geo.geoid, notes=notes), content_type=XLSX_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
