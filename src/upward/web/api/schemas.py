"""Typed response bodies of the JSON API that are not results: errors, the catalog, a
distribution. Results (places, observations, profiles, analyses) have their one shape in
:mod:`upward.explore.shapes` and :mod:`upward.explore.analysis_shapes`."""

from __future__ import annotations

from ninja import Schema

from upward.explore import Coverage, PlaceValue, Spread
from upward.explore.shapes import GeoLevel, Quality, QualityLevelOut, shape_of


class ErrorDetail(Schema):
    status: int
    title: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


class HealthOut(Schema):
    status: str


class VariableOut(Schema):
    name: str
    label: str
    unit: str
    unit_detail: str
    direction: str
    has_bounds: bool
    kind: str
    headline: bool


class MetricOut(Schema):
    id: str
    label: str
    short_label: str
    pillar_id: str
    predictor_id: str
    description: str
    why_it_matters: str
    source: str
    caveats: list[str]
    geographies: list[GeoLevel]
    years: dict[str, list[int]]
    subgroup_types: dict[str, list[str]]
    direction: str
    supplementary: bool
    variables: list[VariableOut]
    url: str


class PillarOut(Schema):
    id: str
    label: str
    description: str
    predictor_ids: list[str]


class PredictorOut(Schema):
    id: str
    label: str
    pillar_id: str
    description: str
    metric_ids: list[str]


class SubgroupTypeOut(Schema):
    id: str
    label: str
    groups: list[str]


class CatalogOut(Schema):
    pillars: list[PillarOut]
    predictors: list[PredictorOut]
    metrics: list[MetricOut]
    subgroup_types: list[SubgroupTypeOut]
    quality: list[QualityLevelOut]


# What a distribution shows whole: the field lists are the dataclasses' (upward.explore).
class SpreadOut(shape_of(Spread, Schema, left_out=["scope"])):
    pass


class StateSpreadOut(SpreadOut):
    state_fips: str
    state_abbr: str
    state_name: str


class CoverageOut(shape_of(Coverage, Schema)):
    pass


class PlaceValueOut(shape_of(PlaceValue, Schema, retyped={"quality": Quality | None})):
    pass


class PlacePage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[PlaceValueOut]


class DistributionOut(Schema):
    metric: str
    variable: str
    variable_label: str
    level: GeoLevel
    year: int | None
    """Null only when the loaded data hold no value of the variable for this level."""
    years_with_values: list[int]
    summary_text: str
    national: SpreadOut | None
    coverage: CoverageOut
    states: list[StateSpreadOut]
    places: PlacePage
