"""The national numbers beside local knowledge: for one predictor and each of a
workspace's places, the metric values of the current release (year, 95% CI, quality),
their tested comparisons with the state and the nation, and the breakdowns by group.

Read through the release facade only (``upward.web.data.get_release``); the words are the
explorer's (:mod:`upward.web.explorer.analysis_page`), so a value reads the same here as
on the place's Compare page. No data loaded, or a place missing from it, is a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upward.catalog import Predictor, UnknownName, get_catalog, weaker_quality
from upward.explore import PeerChoiceError, PlaceNotFound, Release, WarehouseMissing
from upward.reports.numbers import difference_text, interval_text
from upward.web.data import get_release
from upward.web.explorer.analysis_page import (
    breakdown_block,
    value_text,
    variable_block,
    verdict_label,
)

NO_DATA_NOTE = (
    "The metrics data is not loaded on this server, so the national values cannot be shown."
)
SCOPES_SHOWN = ("state", "nation")


class UnknownPredictor(LookupError):
    """The predictor id is not one of the framework's 24."""


def predictor_of(predictor_id: str) -> Predictor:
    try:
        return get_catalog().predictor(predictor_id)
    except UnknownName:
        raise UnknownPredictor(
            f"“{predictor_id}” is not one of the 24 predictors of the Upward Mobility Framework."
        ) from None


@dataclass(frozen=True)
class NationalValue:
    """One variable of one place: the value with its year, CI and quality, and the tests."""

    metric_id: str
    metric_label: str
    variable: str
    label: str
    year: int | None
    text: str
    value: float | None
    lb: float | None
    ub: float | None
    quality: str | None
    scopes: list[dict[str, Any]]
    notes: list[str]


@dataclass(frozen=True)
class PlaceNumbers:
    geoid: str
    name: str
    values: list[NationalValue] = field(default_factory=list)
    breakdowns: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class PredictorNumbers:
    predictor: Predictor
    release: str
    places: list[PlaceNumbers]
    note: str = ""

    @property
    def has_data(self) -> bool:
        return any(v.value is not None for p in self.places for v in p.values)


def release_label(release: Release) -> str:
    return release.release_name or release.version


def _value(vc: Any, place: str, shown: tuple[str, ...] = SCOPES_SHOWN) -> NationalValue:
    block = variable_block(vc, place)
    for row, scope in zip(block["scopes"], vc.scopes, strict=True):
        row["claims_difference"] = scope.comparison.claims_difference
    t = vc.target
    return NationalValue(
        vc.metric.id,
        vc.metric.label,
        vc.variable.name,
        vc.variable.label,
        vc.year,
        value_text(vc.variable, t),
        None if t is None else t.value,
        None if t is None else t.lb,
        None if t is None else t.ub,
        None if t is None else t.quality,
        [s for s in block["scopes"] if s["scope"] in shown],
        block["notes"],
    )


def _breakdown(b: Any) -> dict[str, Any]:
    """The breakdown's table (each group against the total), and each pair of groups with
    its test (``between``), for a priority that is the gap between two groups."""
    v = b.variable
    block = breakdown_block(b, set())
    block.update(variable_name=v.name, subgroup_type=b.subgroup_type, year=b.year, between=[])
    if not v.is_count:
        for row, gap in zip(block["rows"], b.vs_total, strict=True):
            row["is_gap"] = gap.comparison.claims_difference
        block["between"] = [
            {"group": g.group, "versus": g.reference,
             "gap": difference_text(v, g.comparison.difference),
             "ci": interval_text(v, g.comparison.ci),
             "quality": weaker_quality(g.comparison.a.quality, g.comparison.b.quality),
             "verdict": verdict_label(g.comparison, v.direction),
             "is_gap": g.comparison.claims_difference}
            for g in b.between
        ]  # fmt: skip
    return block


def place_numbers(
    release: Release, geoid: str, metric_ids: tuple[str, ...], shown: tuple[str, ...] = SCOPES_SHOWN
) -> PlaceNumbers:
    """One place's values of ``metric_ids`` with their tests against the ``shown`` scopes
    (state and nation; a priority's evidence adds the peers) and the breakdowns by group."""
    try:
        geo = release.geography(geoid)
        analysis = release.analysis(geo)
    except (PlaceNotFound, ValueError, PeerChoiceError):
        return PlaceNumbers(geoid, geoid, note="Not found in the loaded metrics data.")
    name = geo.display_name
    values = [
        _value(vc, name, shown)
        for vc in analysis.comparisons
        if vc.metric.id in metric_ids and vc.target is not None
    ]
    breakdowns = [_breakdown(b) for b in analysis.breakdowns if b.metric.id in metric_ids]
    note = "" if values else "The release publishes no value of this predictor for this place."
    return PlaceNumbers(geoid, name, values, breakdowns, note)


def predictor_numbers(geoids: list[str], predictor_id: str) -> PredictorNumbers:
    """The predictor's national numbers for each place (``UnknownPredictor`` if unknown)."""
    predictor = predictor_of(predictor_id)
    try:
        release = get_release()
    except WarehouseMissing:
        return PredictorNumbers(predictor, "", [], NO_DATA_NOTE)
    places = [place_numbers(release, g, predictor.metric_ids) for g in geoids]
    return PredictorNumbers(predictor, release_label(release), places)


def insight_sentences(geoids: list[str], predictor_id: str) -> list[str]:
    """The release's insight sentences on the predictor's metrics, place by place."""
    metric_ids = predictor_of(predictor_id).metric_ids
    try:
        release = get_release()
    except WarehouseMissing:
        return []
    found = []
    for geoid in geoids:
        try:
            geo = release.geography(geoid)
            report = release.insights(geo)
        except (PlaceNotFound, ValueError, PeerChoiceError):
            continue
        found += [
            f"{geo.display_name}: {i.sentence}" for i in report.all if i.metric_id in metric_ids
        ]
    return found


def national_available(geoids: list[str]) -> dict[str, bool]:
    """Per predictor id: whether the release has a value of it for any of the places."""
    catalog = get_catalog()
    try:
        release = get_release()
    except WarehouseMissing:
        return {p.id: False for p in catalog.predictors}
    metrics: set[str] = set()
    for geoid in geoids:
        try:
            analysis = release.analysis(release.geography(geoid))
        except (PlaceNotFound, ValueError, PeerChoiceError):
            continue
        metrics |= {
            vc.metric.id
            for vc in analysis.comparisons
            if vc.target is not None and vc.target.value is not None
        }
    return {p.id: any(m in metrics for m in p.metric_ids) for p in catalog.predictors}
