"""Typed response bodies of the JSON API (they make the OpenAPI document)."""

from __future__ import annotations

from typing import Literal

from ninja import Schema

from upward.catalog import CellStatus as Status
from upward.catalog import GeoLevel, Quality


class ErrorDetail(Schema):
    status: int
    title: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


class HealthOut(Schema):
    status: str


class GeographyOut(Schema):
    geoid: str
    geo_level: GeoLevel
    name: str
    short_name: str
    display_name: str
    state_fips: str
    state_abbr: str
    state_name: str
    population: float | None
    population_year: int | None
    first_year: int | None
    last_year: int | None
    current: bool
    url: str
    """The place's profile page on this site."""


class GeographyPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[GeographyOut]


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


class QualityLevelOut(Schema):
    code: int
    label: Quality
    meaning: str


class CatalogOut(Schema):
    pillars: list[PillarOut]
    predictors: list[PredictorOut]
    metrics: list[MetricOut]
    subgroup_types: list[SubgroupTypeOut]
    quality: list[QualityLevelOut]


class ObservationOut(Schema):
    geoid: str
    geo_level: GeoLevel
    year: int
    metric: str
    variable: str
    subgroup_type: str
    subgroup: str
    value: float | None
    lb: float | None
    ub: float | None
    quality: Quality | None
    value_text: str | None
    """For ratio pairs ('0.190:0.272'); null otherwise."""
    status: Literal["published", "suppressed", "no_estimate"]
    source_file: str


class ObservationPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[ObservationOut]


class ProfileEntryOut(Schema):
    metric: str
    metric_label: str
    variable: str
    variable_label: str
    unit: str
    direction: str
    status: Status
    status_text: str
    years: list[int]
    observation: ObservationOut | None


class ProfilePredictorOut(Schema):
    id: str
    label: str
    entries: list[ProfileEntryOut]


class ProfilePillarOut(Schema):
    id: str
    label: str
    predictors: list[ProfilePredictorOut]


class ProfileOut(Schema):
    geography: GeographyOut
    year: int | None
    subgroup_type: str
    pillars: list[ProfilePillarOut]
    subgroups: list[ObservationOut]


class SubgroupsOut(Schema):
    geography: GeographyOut
    metric: str | None
    count: int
    items: list[ObservationOut]


class SpreadOut(Schema):
    n: int
    median: float
    p25: float
    p75: float
    min: float
    max: float


class StateSpreadOut(SpreadOut):
    state_fips: str
    state_abbr: str
    state_name: str


class CoverageOut(Schema):
    rows: int
    with_value: int
    suppressed: int
    no_estimate: int
    strong: int
    marginal: int
    weak: int
    unrated: int


class PlaceValueOut(Schema):
    geoid: str
    name: str
    state_abbr: str
    value: float | None
    lb: float | None
    ub: float | None
    quality: Quality | None
    value_text: str | None
    pct_nation: float | None
    """Share of the other places of this kind with a lower value (0 to 1)."""


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
