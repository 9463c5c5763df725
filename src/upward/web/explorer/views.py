"""Public explorer pages. Views are thin: read the request, call the library, return a result.

Each view returns a :class:`~upward.web.render.Result`; the renderer answers the page or
the twin the address asks for: ``/`` and ``/index.json``, ``/state/27/`` and
``/state/27.json``, ``/county/27123/`` and ``/county/27123.json``, ``.csv``, ``.xlsx``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from upward.catalog import ALL_TYPE, CITY, COUNTY, GEO_LEVEL_WORDS, get_catalog
from upward.explore import STATES, AmbiguousPlace, Geography, PlaceNotFound
from upward.explore.shapes import ProfileOut
from upward.reports.county_map import WEAK_PATTERN
from upward.reports.numbers import format_count
from upward.web.data import get_release
from upward.web.explorer import browse, metric_views, state_page
from upward.web.explorer.profile_export import CSV_COLUMNS, profile_rows
from upward.web.explorer.profile_page import publication_years
from upward.web.explorer.profile_render import RenderedProfile, rendered_profile
from upward.web.problem import BadRequest
from upward.web.render import Result, Table, moved, page

KIND_LABEL = {level: (one.capitalize(), many) for level, (one, many) in GEO_LEVEL_WORDS.items()}
SEARCH_LIMIT = 20


# -- home and search ----------------------------------------------------------------------


def _home_html(query: str) -> dict[str, Any] | HttpResponseBase:
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
    return {"catalog": catalog, "pillars": browse.framework_dict(catalog)["pillars"],
            "states": browse.list_states(release.places), "query": query,
            "results": results, "message": message}  # fmt: skip


def _home_json(query: str) -> dict[str, Any]:
    release = get_release()
    data: dict[str, Any] = {
        "framework": browse.framework_dict(get_catalog()),
        "states": [s.as_dict() for s in browse.list_states(release.places)],
    }
    if query:
        data["query"] = query
        data["results"] = [browse.place_dict(g) for g in release.search(query, SEARCH_LIMIT)]
    return data


@page()
def home(request: HttpRequest) -> Result[str]:
    query = request.GET.get("q", "").strip()
    return Result(query, "explorer/home.html", html=_home_html, json=_home_json)


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit", "8")
    if not raw.isdigit() or not 1 <= int(raw) <= 50:
        raise BadRequest(f"limit must be a whole number from 1 to 50, not '{raw}'.")
    return int(raw)


@page()
def search(request: HttpRequest) -> Result[dict[str, Any]]:
    """Places matching ?q= (name or FIPS), best first: the home page's suggestions."""
    query = request.GET.get("q", "").strip()
    limit = _limit(request)
    found = get_release().search(query, limit=limit) if query else []
    body = {"query": query, "results": [browse.place_dict(g) for g in found]}
    return Result(body, json=lambda data: data, name="search")


# -- states -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatePlaces:
    state: browse.State
    counties: list[Geography]
    cities: list[Geography]
    table: state_page.StateTable


def _state_json(found: StatePlaces) -> dict[str, Any]:
    return {
        "state": found.state.as_dict(),
        "counties": [browse.place_dict(g) for g in found.counties],
        "cities": [browse.place_dict(g) for g in found.cities],
        "table": state_page.state_table_out(found.table).model_dump(mode="json"),
    }


def _state_html(found: StatePlaces) -> dict[str, Any]:
    table, state = found.table, found.state
    tables = [
        {"level": t.level, "title": KIND_LABEL[t.level][1].capitalize(), "missing": t.missing,
         "selection": t.selection, "rows": state_page.table_rows(t), "places": t.places}
        for t in table.levels
    ]  # fmt: skip
    county = table.level(COUNTY)
    selection = county.selection if county else None
    state_map = None
    if selection is not None and selection.year is not None:
        bins = get_release().overview(selection).bins
        if bins:
            where = f"the counties of {state.name}"
            state_map = metric_views.county_map(selection, bins, state.fips, where)
    catalog = get_catalog()
    return {"state": state, "counties": found.counties, "cities": found.cities,
            "table": table, "tables": tables, "map": state_map, "catalog": catalog,
            "direction_text": state_page.direction_text(table.variable),
            "hatch": WEAK_PATTERN}  # fmt: skip


@page()
def state(request: HttpRequest, fips: str) -> Result[StatePlaces] | HttpResponseBase:
    postal = {abbr: code for code, (abbr, _) in STATES.items()}.get(fips.upper())
    if postal is not None and fips.isalpha():  # /state/MN/ -> /state/27/, and its twins
        return moved(request, f"/state/{fips}", f"/state/{postal}")
    if len(fips) != 2 or not fips.isdigit():
        raise BadRequest(f"A state is named by its 2-digit FIPS code, such as 27; not '{fips}'.")
    places = get_release().places
    found = next((s for s in browse.list_states(places) if s.fips == fips), None)
    if found is None:
        raise PlaceNotFound(fips, [], f"No state has the FIPS code '{fips}'.")
    counties, cities = browse.places_in_state(places, fips)
    table = state_page.state_table(request.GET, fips, {COUNTY: counties, CITY: cities})
    return Result(StatePlaces(found, counties, cities, table), "explorer/state.html",
                  html=_state_html, json=_state_json, name="state page")  # fmt: skip


# -- profiles -----------------------------------------------------------------------------


def _options(request: HttpRequest, years: tuple[int, ...]) -> tuple[int | None, str | None]:
    raw_year = request.GET.get("year", "").strip()
    year = None
    if raw_year:
        if not raw_year.isdigit() or int(raw_year) not in years:
            span = f"{years[0]}–{years[-1]}" if years else "none"
            raise BadRequest(f"year must be a year with published data ({span}), not '{raw_year}'.")
        year = int(raw_year)
    breakdown = request.GET.get("breakdown", "").strip() or None
    if breakdown is not None:
        known = [t.id for t in get_catalog().subgroup_types if t.id != ALL_TYPE]
        if breakdown not in known:
            raise BadRequest(f"breakdown must be one of {', '.join(known)}; not '{breakdown}'.")
    return year, breakdown


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


@dataclass(frozen=True)
class Profile:
    geo: Geography
    year: int | None
    breakdown: str | None
    rendered: RenderedProfile
    links: dict[str, str]


def _profile_html(profile: Profile) -> dict[str, Any]:
    geo, rendered = profile.geo, profile.rendered
    kind, plural = KIND_LABEL[geo.geo_level]
    return {"page": rendered.page, "geo": geo, "kind_label": kind, "kind_plural": plural,
            "population": format_count(geo.population) if geo.population else "",
            "links": profile.links, "quality_levels": get_catalog().quality,
            "citation": get_catalog().citation, "sections": rendered.sections,
            "toc": rendered.toc, "charts": rendered.charts,
            "glance": rendered.glance}  # fmt: skip


def _profile_json(profile: Profile) -> ProfileOut | dict[str, Any]:
    """The profile's one JSON shape; without a breakdown, from what its page was built
    from (the same cells and standings: nothing is read again), dumped at once."""
    if profile.breakdown is not None:
        return get_release().profile_shape(profile.geo, profile.year, profile.breakdown)
    page = profile.rendered.page
    return get_release().profile_json_of(page.profile, page.cells, page.contexts)


def _profile_table(profile: Profile) -> Table:
    geo, citation = profile.geo, get_catalog().citation
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
        f"Source: {citation.publisher}, {citation.title}.",
    ]
    catalog = get_catalog()
    notes += [
        f"Release: {citation.release} ({citation.repository}).",
        *(f"{q.label}: {q.meaning}" for q in catalog.quality),
        "Columns: value, lb, ub = the published value and the bounds of its 95% confidence "
        "interval, unrounded (formatted for the unit in this workbook); value_display = the "
        "value rounded as the page shows it; value_text = Urban's own text where it "
        "publishes one; status, status_text = why a value is missing.",
        "Sheets: one per pillar, named by the pillar (cut to 31 characters): "
        + "; ".join(p.label for p in catalog.pillars)
        + f". Rows that belong to no pillar go on the sheet '{geo.geoid}'.",
    ]
    name = f"upward-{geo.geo_level}-{geo.geoid}" + (f"-{profile.year}" if profile.year else "")
    pillars = {p.id: p.label for p in catalog.pillars}
    return Table(profile_rows(profile.rendered.page), CSV_COLUMNS, name, geo.geoid, notes,
                 split_by="pillar", sheet_names=pillars)  # fmt: skip


@page(cached=True)
def profile(request: HttpRequest, level: str, fips: str) -> Result[Profile]:
    geo = get_release().place(level, fips)
    year, breakdown = _options(request, publication_years(get_catalog(), geo.geo_level))
    rendered = rendered_profile(get_release(), geo, year, breakdown)
    return Result(
        Profile(geo, year, breakdown, rendered, _links(geo, request)), "explorer/profile.html",
        html=_profile_html, table=_profile_table, name="profile",
        json=_profile_json,
    )  # fmt: skip
