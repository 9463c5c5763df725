"""API: a place's peers, its comparisons with peers, state and nation, its insights and
the gaps between groups.

The peer set travels as ``?set=<token>`` (the ``share.token`` of a peers answer, or the
``set`` of a page's address), so the API and the pages always agree on the same places.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from upward.analysis.disparity import Breakdown, Gap
from upward.analysis.uncertainty import ObservationLike
from upward.explore import Geography, PeerChoice, PeerChoiceError, PlaceAnalysis
from upward.explore.peer_choice import peer_method, read_set
from upward.reports.analysis_text import (
    comparison_dict,
    insights_dict,
    peers_dict,
    variable_comparison_dict,
)
from upward.web.api.analysis_schemas import (
    ComparisonsOut,
    DisparitiesOut,
    InsightsOut,
    PeersOut,
)
from upward.web.api.errors import ApiError
from upward.web.api.geographies import ERRORS, place
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


def _analysis(geoid: str, token: str | None) -> tuple[Geography, PlaceAnalysis]:
    geo = place(geoid)
    choice = _choice(geo, token)
    try:
        return geo, get_release().analysis(geo, choice)
    except PeerChoiceError as error:
        raise ApiError(UNANSWERABLE, "Bad peer set", error.message) from None


def _share(analysis: PlaceAnalysis) -> dict[str, str]:
    return {"query": analysis.peer_set.to_query(), "token": analysis.peer_set.to_token()}


@router.get(
    "/geographies/{geoid}/peers",
    response={200: PeersOut, **PEER_ERRORS},
    summary="The places most like this one, and why",
)
def get_peers(
    request: HttpRequest,
    geoid: str = geoid_param(),
    k: int = Query(5, ge=1, le=50, description="How many peers to find"),
    same_state: bool = Query(False, description="Only places in the same state"),
    same_region: bool = Query(False, description="Only places in the same Census region"),
    population_band: str | None = band_param(),
    weights: str | None = weights_param(),
    peer_set: str | None = peer_set_param(),
) -> dict[str, Any]:
    """Peers of the same kind (counties for a county, cities for a city), nearest first, each
    with its characteristics side by side with this place's (``why``)."""
    geo = place(geoid)
    choice = _choice(geo, peer_set, k=k, same_state=same_state, same_region=same_region,
                     population_band=population_band, weights=weights)  # fmt: skip
    try:
        result, chosen = get_release().peers(geo, choice)
    except PeerChoiceError as error:
        raise ApiError(UNANSWERABLE, "Bad peer parameter", error.message) from None
    return peers_dict(result, chosen)


@router.get(
    "/geographies/{geoid}/comparisons",
    response={200: ComparisonsOut, **PEER_ERRORS},
    summary="Every variable against the peers, the state and the nation",
)
def get_comparisons(
    request: HttpRequest,
    geoid: str = geoid_param(),
    peer_set: str | None = peer_set_param(),
    metric: str | None = metric_param("Only this metric, e.g. low_birth_weight"),
) -> dict[str, Any]:
    """For each variable: this place's latest value and, for the same year, each peer (with a
    test where confidence intervals allow), the peer median and range, and the state and
    national medians and percentiles. Without a peer set, the 5 nearest peers are used."""
    geo, analysis = _analysis(geoid, peer_set)
    if metric:
        get_release().catalog.metric(metric)  # an unknown metric is a 404 with suggestions
    items = [variable_comparison_dict(vc) for vc in analysis.comparisons
             if not metric or vc.metric.id == metric]  # fmt: skip
    return {"geoid": geo.geoid, "place": geo.display_name, "peer_set": analysis.peer_set.as_dict(),
            "share": _share(analysis), "count": len(items), "items": items}  # fmt: skip


@router.get(
    "/geographies/{geoid}/insights",
    response={200: InsightsOut, **PEER_ERRORS},
    summary="Strengths, areas to explore, gaps and changes, in sentences with their numbers",
)
def get_insights(
    request: HttpRequest,
    geoid: str = geoid_param(),
    peer_set: str | None = peer_set_param(),
) -> dict[str, Any]:
    geo, analysis = _analysis(geoid, peer_set)
    return {"geoid": geo.geoid, **insights_dict(analysis.insights),
            "peer_set_detail": analysis.peer_set.as_dict(), "share": _share(analysis)}  # fmt: skip


def _cell(obs: ObservationLike | None) -> dict[str, Any] | None:
    if obs is None:
        return None
    return {"geoid": obs.geoid, "year": obs.year, "variable": obs.variable,
            "subgroup_type": obs.subgroup_type, "subgroup": obs.subgroup, "value": obs.value,
            "lb": obs.lb, "ub": obs.ub, "quality": obs.quality}  # fmt: skip


def _gap(gap: Gap) -> dict[str, Any]:
    return {"group": gap.group, "reference": gap.reference, "year": gap.year,
            "group_value": gap.group_cell.value if gap.group_cell else None,
            "reference_value": gap.reference_cell.value if gap.reference_cell else None,
            "direction": gap.direction, "judgement": gap.judgement,
            "test": comparison_dict(gap.comparison)}  # fmt: skip


def breakdown_dict(b: Breakdown) -> dict[str, Any]:
    return {
        "metric": b.metric.id, "variable": b.variable.name, "subgroup_type": b.subgroup_type,
        "subgroup_label": b.subgroup_label, "year": b.year, "total": _cell(b.total),
        "groups": [_cell(g) for g in b.groups], "vs_total": [_gap(g) for g in b.vs_total],
        "between": [_gap(g) for g in b.between],
        "changes": [{"group": c.group, "reference": c.reference, "first_year": c.first.year,
                     "last_year": c.last.year, "first_gap": c.first.comparison.difference,
                     "last_gap": c.last.comparison.difference, "word": c.word,
                     "test": comparison_dict(c.change),
                     "real_terms": asdict(c.real) if c.real else None} for c in b.changes],
        "notes": list(b.notes),
    }  # fmt: skip


@router.get(
    "/geographies/{geoid}/disparities",
    response={200: DisparitiesOut, **PEER_ERRORS},
    summary="Gaps between groups, with their confidence intervals and how they changed",
)
def get_disparities(
    request: HttpRequest,
    geoid: str = geoid_param(),
    metric: str | None = metric_param("Only this metric, e.g. employment_ratio"),
) -> dict[str, Any]:
    """Every breakdown published for the place (race and ethnicity, income, ...), latest year:
    each group against its breakdown's total and against each other group, and how each gap
    changed from the first to the last published year. No claim rests on Weak data."""
    geo, analysis = _analysis(geoid, None)
    if metric:
        get_release().catalog.metric(metric)
    items = [breakdown_dict(b) for b in analysis.breakdowns if not metric or b.metric.id == metric]
    return {"geoid": geo.geoid, "place": geo.display_name, "metric": metric,
            "count": len(items), "items": items}  # fmt: skip
