"""Typed results of warehouse queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from upward.catalog import (
    NO_ESTIMATE,
    NOT_COVERED,
    NOT_FOR_LEVEL,
    NOT_IN_YEAR,
    PUBLISHED,
    QUALITY_WORDS,
    SUPPRESSED,
    CellStatus,
    GeoLevel,
    Metric,
    Pillar,
    Predictor,
    Quality,
    Variable,
)

QUALITY_LABELS: dict[int, Quality] = dict(QUALITY_WORDS)

Status = CellStatus

STATUS_TEXT: dict[str, str] = {
    PUBLISHED: "Published",
    SUPPRESSED: "Suppressed: Urban withheld the value because it did not meet its standards",
    NO_ESTIMATE: "No estimate: the source had too little data for this place",
    NOT_IN_YEAR: "Not published for this year",
    NOT_COVERED: "Not covered: this place is not in the source data for any year",
    NOT_FOR_LEVEL: "Not published for this kind of place",
}


@dataclass(frozen=True)
class Geography:
    """A county or a city of Urban's universe."""

    geoid: str
    geo_level: GeoLevel
    name: str
    short_name: str
    display_name: str
    state_fips: str
    state_abbr: str
    state_name: str
    first_year: int | None
    last_year: int | None
    population: float | None
    population_year: int | None
    current: bool

    @property
    def url_path(self) -> str:
        return f"/{self.geo_level}/{self.geoid}/"


@dataclass(frozen=True)
class OtherValue:
    """Another file's different value for a cell (see the warehouse's ``conflict`` table)."""

    source_file: str
    source_line: int
    value: float | None
    value_text: str | None


@dataclass(frozen=True)
class Observation:
    """One published cell, exactly as Urban published it."""

    geoid: str
    geo_level: str
    year: int
    metric: str
    variable: str
    subgroup_type: str
    subgroup: str
    value: float | None
    lb: float | None
    ub: float | None
    quality_code: int | None
    value_text: str | None
    source_file: str
    source_line: int | None = None
    """The line of ``source_file`` the value is on (the header is line 1)."""
    note: str | None = None
    """Why Urban withheld the value on purpose, when it did (the value is then None)."""
    conflict: bool = False
    """Another file of the release publishes a different value for this cell."""
    others: tuple[OtherValue, ...] = ()
    """Those files' values (none when the value is withheld)."""

    @property
    def quality(self) -> Quality | None:
        return QUALITY_LABELS.get(self.quality_code) if self.quality_code else None

    @property
    def status(self) -> Status:
        # A published "0.000:0.000" pair has no ratio (b is 0) but is still published.
        if self.value is not None or self.value_text is not None:
            return PUBLISHED
        withheld = self.quality_code is not None or self.note is not None
        return SUPPRESSED if withheld else NO_ESTIMATE

    @property
    def status_text(self) -> str:
        """The status in words; a deliberate suppression says why."""
        if self.note and self.status == SUPPRESSED:
            return f"Suppressed: {self.note}"
        return STATUS_TEXT[self.status]


@dataclass(frozen=True)
class ProfileEntry:
    """One variable of a profile: the latest (or requested) published cell, or why none."""

    metric: Metric
    variable: Variable
    observation: Observation | None
    status: Status
    years: tuple[int, ...]
    """Every year with a published value for this place (overall)."""

    @property
    def status_text(self) -> str:
        if self.observation is not None and self.observation.status == self.status:
            return self.observation.status_text
        return STATUS_TEXT[self.status]


@dataclass(frozen=True)
class PredictorSection:
    predictor: Predictor
    entries: tuple[ProfileEntry, ...]


@dataclass(frozen=True)
class PillarSection:
    pillar: Pillar
    predictors: tuple[PredictorSection, ...]


@dataclass(frozen=True)
class Profile:
    """Every metric for one place, grouped by pillar and predictor."""

    geography: Geography
    year: int | None
    subgroup_type: str
    pillars: tuple[PillarSection, ...]
    subgroups: tuple[Observation, ...] = ()
    """When a subgroup type is asked for: its cells for the chosen year(s)."""

    @property
    def entries(self) -> tuple[ProfileEntry, ...]:
        return tuple(e for p in self.pillars for s in p.predictors for e in s.entries)

    def observations(self) -> list[Observation]:
        cells = [e.observation for e in self.entries if e.observation is not None]
        return cells + list(self.subgroups)


@dataclass(frozen=True)
class ReleaseInfo:
    release_id: str
    source: str
    source_dir: str
    version: str
    loaded_at: datetime
    upward_version: str
    files_verified: int
    files: int
    observations: int
    counties: int
    cities: int
    path: str
