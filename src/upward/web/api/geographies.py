"""API: counties and cities (search, list, one place) and a place's data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from upward.explore import STATES, Geography
from upward.explore.shapes import (
    GeographyOut,
    GeographyPage,
    GeoLevel,
    ObservationPage,
    ProfileOut,
    SubgroupsOut,
    geography_out,
    observations_out,
    release_name,
    subgroups_out,
)
from upward.web.api import paging
from upward.web.api.params import (
    StateCode,
    SubgroupType,
    geoid_param,
    metric_param,
    year_param,
)
from upward.web.api.schemas import ErrorOut
from upward.web.data import get_release

router = Router(tags=["geographies"])
# 503: no warehouse has been loaded on the server.
ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 503: ErrorOut}
STATE_BY_ABBR = {abbr: fips for fips, (abbr, _) in STATES.items()}


def place_route(router: Router, suffix: str, out: Any, summary: str, errors: Any = ERRORS) -> Any:
    """The GET route ``/geographies/{geoid}<suffix>`` answering ``out`` (or one of ``errors``)."""
    return router.get(
        f"/geographies/{{geoid}}{suffix}", response={200: out, **errors}, summary=summary
    )


def place(geoid: str) -> Geography:
    """The place with this FIPS code (its form is checked by ``geoid_param``); else 404."""
    return get_release().geography(geoid)


def _state_fips(state: str | None) -> str | None:
    """The FIPS code of a state given as either (``StateCode`` has checked the form)."""
    if not state:
        return None
    return state if state in STATES else STATE_BY_ABBR[state.upper()]


@router.get(
    "/geographies",
    response={200: GeographyPage, **ERRORS},
    summary="Search or list counties and cities",
)
def list_geographies(
    request: HttpRequest,
    q: str | None = Query(None, max_length=100, description="Name or FIPS code to search for"),
    level: GeoLevel | None = Query(None, description="county or city"),  # noqa: B008
    state: StateCode | None = Query(None, description="State FIPS code (27) or abbreviation (MN)"),  # noqa: B008
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    """With ``q``: places whose name or FIPS code matches, best match first. Without it:
    every place (optionally of one level and state) in FIPS order."""
    release = get_release()
    state_fips = _state_fips(state)
    if q and q.strip():
        found = release.search(q, limit=len(release.places), level=level)
        if state_fips:
            found = [g for g in found if g.state_fips == state_fips]
    else:
        found = release.places_of(level, state_fips)
    body = paging.cut(request, found, limit, offset)
    body["items"] = [geography_out(g) for g in body["items"]]
    return body


@place_route(router, "", GeographyOut, "One place")
def get_geography(request: HttpRequest, geoid: str = geoid_param()) -> GeographyOut:
    return geography_out(place(geoid))


@place_route(router, "/profile", ProfileOut, "Every metric for a place, by pillar and predictor")
def get_profile(
    request: HttpRequest,
    geoid: str = geoid_param(),
    year: int | None = year_param("A year (default: each metric's latest)"),
    subgroup_type: SubgroupType | None = Query(None, description="Also this breakdown's cells"),  # noqa: B008
) -> ProfileOut:
    return get_release().profile_shape(place(geoid), year=year, subgroup_type=subgroup_type)


@place_route(
    router, "/series", ObservationPage, "Every published cell for a place over the years (paged)"
)
def get_series(
    request: HttpRequest,
    geoid: str = geoid_param(),
    metric: str | None = metric_param("A metric id, e.g. low_birth_weight"),
    subgroup_type: SubgroupType | None = Query(None, description="all, race-ethnicity, ..."),  # noqa: B008
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    release = get_release()
    cells = release.series(place(geoid), metric=metric, subgroup_type=subgroup_type)
    body = paging.cut(request, cells, limit, offset)
    body["items"] = observations_out(body["items"], release_name(release))
    return body


@place_route(
    router,
    "/subgroups",
    SubgroupsOut,
    "Every breakdown cell for a place (race, income, gender, ...)",
)
def get_subgroups(
    request: HttpRequest,
    geoid: str = geoid_param(),
    metric: str | None = metric_param("A metric id, e.g. employment_ratio"),
) -> SubgroupsOut:
    geo = place(geoid)
    cells = get_release().subgroups(geo, metric=metric)
    return subgroups_out(geo, metric, cells, release_name(get_release()))
