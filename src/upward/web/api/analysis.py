"""API: a place's peers, its comparisons with peers, state and nation, its insights and
the gaps between groups.

The peer set travels as ``?set=<token>`` (the ``share.token`` of a peers answer, or the
``set`` of a page's address), so the API and the pages always agree on the same places.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from upward.explore import Geography, PeerChoice, PeerChoiceError, PlaceAnalysis
from upward.explore.analysis_shapes import (
    ComparisonsOut,
    DisparitiesOut,
    InsightsOut,
    PeersOut,
    comparisons_out,
    disparities_out,
    insights_out,
    peers_out,
)
from upward.explore.peer_choice import peer_method, read_set
from upward.explore.shapes import release_name
from upward.web.api.errors import ApiError
from upward.web.api.geographies import ERRORS, place, place_route
from upward.web.api.params import (
    band_param,
    geoid_param,
    metric_param,
    peer_set_param,
    weights_param,
)
from upward.web.api.schemas import ErrorOut
from upward.web.data import get_release

router = Router(tags=["peers and insight"])
# 422: the parameters fit the document but the data cannot answer (see params.py).
PEER_ERRORS: dict[int, Any] = {**ERRORS, 422: ErrorOut}
UNANSWERABLE = 422


def _choice(geo: Geography, token: str | None, **method: Any) -> PeerChoice:
    """The peer choice of typed parameters: the finding method's and a set's token."""
    try:
        found = peer_method(geo.geo_level, **method)
        return PeerChoice(found, read_set(token, geo) if token else None, token or "")
    except PeerChoiceError as error:
        raise ApiError(UNANSWERABLE, "Bad peer parameter", error.message) from None


def _analysis(
    geoid: str, token: str | None, metric: str | None = None
) -> tuple[Geography, PlaceAnalysis, str]:
    """The place, its analysis with the peers of ``token`` and the release's name; an
    unknown ``metric`` is a 404 with suggestions."""
    geo = place(geoid)
    choice = _choice(geo, token)
    release = get_release()
    try:
        analysis = release.analysis(geo, choice)
    except PeerChoiceError as error:
        raise ApiError(UNANSWERABLE, "Bad peer set", error.message) from None
    if metric:
        release.catalog.metric(metric)
    return geo, analysis, release_name(release)


@place_route(router, "/peers", PeersOut, "The places most like this one, and why", PEER_ERRORS)
def get_peers(
    request: HttpRequest,
    geoid: str = geoid_param(),
    k: int = Query(5, ge=1, le=50, description="How many peers to find"),
    same_state: bool = Query(False, description="Only places in the same state"),
    same_region: bool = Query(False, description="Only places in the same Census region"),
    population_band: str | None = band_param(),
    weights: str | None = weights_param(),
    peer_set: str | None = peer_set_param(),
) -> PeersOut:
    """Peers of the same kind (counties for a county, cities for a city), nearest first, each
    with its characteristics side by side with this place's (``why``)."""
    geo = place(geoid)
    choice = _choice(geo, peer_set, k=k, same_state=same_state, same_region=same_region,
                     population_band=population_band, weights=weights)  # fmt: skip
    try:
        result, chosen = get_release().peers(geo, choice)
    except PeerChoiceError as error:
        raise ApiError(UNANSWERABLE, "Bad peer parameter", error.message) from None
    return peers_out(result, chosen)


@place_route(
    router,
    "/comparisons",
    ComparisonsOut,
    "Every variable against the peers, the state and the nation",
    PEER_ERRORS,
)
def get_comparisons(
    request: HttpRequest,
    geoid: str = geoid_param(),
    peer_set: str | None = peer_set_param(),
    metric: str | None = metric_param("Only this metric, e.g. low_birth_weight"),
) -> ComparisonsOut:
    """For each variable: this place's latest value and, for the same year, each peer (with a
    test where confidence intervals allow), the peer median and range, and the state and
    national medians and percentiles. Without a peer set, the 5 nearest peers are used."""
    geo, analysis, release = _analysis(geoid, peer_set, metric)
    return comparisons_out(geo, analysis.peer_set, analysis.comparisons, release, metric)


@place_route(
    router,
    "/insights",
    InsightsOut,
    "Strengths, areas to explore, gaps and changes, in sentences with their numbers",
    PEER_ERRORS,
)
def get_insights(
    request: HttpRequest,
    geoid: str = geoid_param(),
    peer_set: str | None = peer_set_param(),
) -> InsightsOut:
    geo, analysis, release = _analysis(geoid, peer_set)
    return insights_out(geo, analysis.peer_set, analysis.insights, release)


@place_route(
    router,
    "/disparities",
    DisparitiesOut,
    "Gaps between groups, with their confidence intervals and how they changed",
    PEER_ERRORS,
)
def get_disparities(
    request: HttpRequest,
    geoid: str = geoid_param(),
    metric: str | None = metric_param("Only this metric, e.g. employment_ratio"),
) -> DisparitiesOut:
    """Every breakdown published for the place (race and ethnicity, income, ...), latest year:
    each group against its breakdown's total and against each other group, and how each gap
    changed from the first to the last published year. No claim rests on Weak data."""
    geo, analysis, release = _analysis(geoid, None, metric)
    return disparities_out(geo, analysis.breakdowns, release, metric)
