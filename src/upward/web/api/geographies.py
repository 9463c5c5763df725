"""API: counties and cities (search, list, one place) and a place's data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from upward.explore import STATES, Geography, Observation, Profile
from upward.web.api import paging
from upward.web.api.params import (
    StateCode,
    SubgroupType,
    geoid_param,
    metric_param,
    year_param,
)
from upward.web.api.schemas import (
    ErrorOut,
    GeographyOut,
    GeographyPage,
    GeoLevel,
    ObservationPage,
    ProfileOut,
    SubgroupsOut,
)
from upward.web.data import get_release

router = Router(tags=["geographies"])
# 503: no warehouse has been loaded on the server.
ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 503: ErrorOut}
STATE_BY_ABBR = {abbr: fips for fips, (abbr, _) in STATES.items()}


def place(geoid: str) -> Geography:
    """The place with this FIPS code (its form is checked by ``geoid_param``); else 404."""
    return get_release().geography(geoid)


def geography_out(geo: Geography) -> dict[str, Any]:
    return {**geo.as_dict(), "short_name": geo.short_name, "url": geo.url_path}


def observation_out(obs: Observation) -> dict[str, Any]:
    return {**obs.as_dict(), "value_text": obs.value_text, "status": obs.status}


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


@router.get("/geographies/{geoid}", response={200: GeographyOut, **ERRORS}, summary="One place")
def get_geography(request: HttpRequest, geoid: str = geoid_param()) -> dict[str, Any]:
    return geography_out(place(geoid))


def profile_out(profile: Profile) -> dict[str, Any]:
    return {
        "geography": geography_out(profile.geography),
        "year": profile.year,
        "subgroup_type": profile.subgroup_type,
        "pillars": [
            {
                "id": section.pillar.id,
                "label": section.pillar.label,
                "predictors": [
                    {
                        "id": p.predictor.id,
                        "label": p.predictor.label,
                        "entries": [
                            {
                                "metric": e.metric.id,
                                "metric_label": e.metric.label,
                                "variable": e.variable.name,
                                "variable_label": e.variable.label,
                                "unit": e.variable.unit,
                                "direction": e.variable.direction,
                                "status": e.status,
                                "status_text": e.status_text,
                                "years": list(e.years),
                                "observation": observation_out(e.observation)
                                if e.observation
                                else None,
                            }
                            for e in p.entries
                        ],
                    }
                    for p in section.predictors
                ],
            }
            for section in profile.pillars
        ],
        "subgroups": [observation_out(o) for o in profile.subgroups],
    }


@router.get(
    "/geographies/{geoid}/profile",
    response={200: ProfileOut, **ERRORS},
    summary="Every metric for a place, by pillar and predictor",
)
def get_profile(
    request: HttpRequest,
    geoid: str = geoid_param(),
    year: int | None = year_param("A year (default: each metric's latest)"),
    subgroup_type: SubgroupType | None = Query(None, description="Also this breakdown's cells"),  # noqa: B008
) -> dict[str, Any]:
    geo = place(geoid)
    return profile_out(get_release().profile(geo, year=year, subgroup_type=subgroup_type))


@router.get(
    "/geographies/{geoid}/series",
    response={200: ObservationPage, **ERRORS},
    summary="Every published cell for a place over the years (paged)",
)
def get_series(
    request: HttpRequest,
    geoid: str = geoid_param(),
    metric: str | None = metric_param("A metric id, e.g. low_birth_weight"),
    subgroup_type: SubgroupType | None = Query(None, description="all, race-ethnicity, ..."),  # noqa: B008
    limit: int = paging.limit_param(),
    offset: int = paging.offset_param(),
) -> dict[str, Any]:
    geo = place(geoid)
    cells = get_release().series(geo, metric=metric, subgroup_type=subgroup_type)
    body = paging.cut(request, cells, limit, offset)
    body["items"] = [observation_out(o) for o in body["items"]]
    return body


@router.get(
    "/geographies/{geoid}/subgroups",
    response={200: SubgroupsOut, **ERRORS},
    summary="Every breakdown cell for a place (race, income, gender, ...)",
)
def get_subgroups(
    request: HttpRequest,
    geoid: str = geoid_param(),
    metric: str | None = metric_param("A metric id, e.g. employment_ratio"),
) -> dict[str, Any]:
    geo = place(geoid)
    cells = get_release().subgroups(geo, metric=metric)
    return {
        "geography": geography_out(geo),
        "metric": metric,
        "count": len(cells),
        "items": [observation_out(o) for o in cells],
    }
