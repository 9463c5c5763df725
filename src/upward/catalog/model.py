"""The Upward Mobility Framework as small immutable objects, with lookups by id and column.

The objects are built from ``framework.yaml`` by :mod:`upward.catalog.reader`; use
:func:`upward.catalog.get_catalog` rather than constructing a :class:`Catalog` by hand.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, TypeVar

from upward.catalog.prices import PriceIndex

Unit = Literal["share", "rate", "ratio", "dollars", "index", "count"]
Direction = Literal["higher_better", "lower_better", "context"]
VariableKind = Literal["number", "ratio_pair"]
ColumnRole = Literal["value", "lb", "ub", "quality"]
BreakKind = Literal["source", "method", "window", "boundaries"]
"""What changes at a break in a series: its source files, its method, its survey window
or the boundaries of the areas it is measured in."""
BREAK_KINDS: tuple[BreakKind, ...] = ("source", "method", "window", "boundaries")

GeoLevel = Literal["county", "city"]
"""A kind of place Urban publishes metrics for, as URLs and JSON write it."""
COUNTY: Final[GeoLevel] = "county"
CITY: Final[GeoLevel] = "city"

Quality = Literal["Strong", "Marginal", "Weak"]
"""Urban's data quality flag in words, as people read it (never a bare code)."""
STRONG: Final[Quality] = "Strong"
MARGINAL: Final[Quality] = "Marginal"
WEAK: Final[Quality] = "Weak"

CellStatus = Literal[
    "published", "suppressed", "no_estimate", "not_in_year", "not_covered", "not_for_level"
]
"""Whether a place has a value of a variable (in a year), and if not, why."""
PUBLISHED: Final[CellStatus] = "published"
SUPPRESSED: Final[CellStatus] = "suppressed"
"""Urban withheld the value (a quality flag or a note stands where the value would be)."""
NO_ESTIMATE: Final[CellStatus] = "no_estimate"
NOT_IN_YEAR: Final[CellStatus] = "not_in_year"
NOT_COVERED: Final[CellStatus] = "not_covered"
NOT_FOR_LEVEL: Final[CellStatus] = "not_for_level"

UNITS: tuple[Unit, ...] = ("share", "rate", "ratio", "dollars", "index", "count")
DIRECTIONS: tuple[Direction, ...] = ("higher_better", "lower_better", "context")
GEO_LEVELS: tuple[GeoLevel, ...] = (COUNTY, CITY)
GEO_LEVEL_WORDS: Mapping[str, tuple[str, str]] = {
    COUNTY: ("county", "counties"),
    CITY: ("city", "cities"),
}
"""The singular and plural noun of each kind of place, for sentences."""
FIPS_WIDTHS: Mapping[str, int] = {COUNTY: 5, CITY: 7}
"""The length of each kind of place's zero-padded FIPS code."""
QUALITY_WORDS: Mapping[int, Quality] = {1: STRONG, 2: MARGINAL, 3: WEAK}
"""The word of each quality code of Urban's per-metric files."""
QUALITY_CODES: Mapping[str, int] = {word: code for code, word in QUALITY_WORDS.items()}
"""The code of each quality word (combined files write the words)."""


def weaker_quality(*qualities: str | None) -> str:
    """The quality of a number resting on several (a gap between two groups): Weak if
    any is Weak, else Marginal if any is, else the first given ('' when none is)."""
    if WEAK in qualities:
        return WEAK
    if MARGINAL in qualities:
        return MARGINAL
    return str(next((q for q in qualities if q), ""))


VARIABLE_KINDS: tuple[VariableKind, ...] = ("number", "ratio_pair")

Scale = tuple[float | None, float | None]
UNIT_SCALES: Mapping[Unit, Scale] = {
    "share": (0.0, 1.0),
    "count": (0.0, None),
    "dollars": (0.0, None),
    "ratio": (0.0, None),
    "index": (0.0, 100.0),
    "rate": (None, None),  # a learning rate can be negative; rates per person have no edge
}
"""The edges of each unit's scale, where Urban's confidence intervals are clipped."""

T = TypeVar("T")

ALL_TYPE = "all"
"""The subgroup type of a place's overall value (no breakdown)."""
ALL_LABEL = "All"
"""The subgroup label of a place's overall value."""


@dataclass(frozen=True)
class Part:
    """One part of the three-part definition of mobility from poverty."""

    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Pillar:
    id: str
    label: str
    description: str
    predictor_ids: tuple[str, ...]


@dataclass(frozen=True)
class Predictor:
    id: str
    label: str
    pillar_id: str
    description: str
    metric_ids: tuple[str, ...]


@dataclass(frozen=True)
class Variable:
    """One published value column of a metric, under Urban's column name."""

    name: str
    label: str
    metric_id: str
    unit: Unit
    unit_detail: str
    direction: Direction
    has_bounds: bool
    aliases: tuple[str, ...]
    kind: VariableKind
    headline: bool

    @property
    def is_count(self) -> bool:
        """A number of people or things (``unit: count``), not a rate or share.

        A count grows with the size of the place or group, and a group's count is part of
        its total, so counts are never tested against each other, their totals or other
        places: their shares and rates are.
        """
        return self.unit == "count"

    @property
    def scale(self) -> Scale:
        """(lowest, highest) value the unit allows; None where the scale is open."""
        return UNIT_SCALES[self.unit]

    @property
    def lb_column(self) -> str | None:
        return f"{self.name}_lb" if self.has_bounds else None

    @property
    def ub_column(self) -> str | None:
        return f"{self.name}_ub" if self.has_bounds else None

    @property
    def quality_column(self) -> str:
        return f"{self.name}_quality"

    def columns(self) -> dict[str, ColumnRole]:
        """Every file column this variable can appear under (name or alias), with its role."""
        roles: dict[str, ColumnRole] = {}
        for base in (self.name, *self.aliases):
            roles[base] = "value"
            if self.has_bounds:
                roles[f"{base}_lb"] = "lb"
                roles[f"{base}_ub"] = "ub"
            roles[f"{base}_quality"] = "quality"
        return roles


@dataclass(frozen=True)
class SeriesBreak:
    """A point in a metric's series where values before and after are not fully comparable.

    ``year`` is the first year on the new basis; ``note`` says in words what changed and how
    to read a change across it. Charts mark the break and print the note under the chart.
    """

    year: int
    kind: BreakKind
    note: str
    geo_levels: tuple[GeoLevel, ...]
    """The kinds of place whose series break here."""

    @property
    def label(self) -> str:
        """A short label for the mark on a chart: 'New source'."""
        return BREAK_LABELS[self.kind]

    @property
    def sentence(self) -> str:
        """The note as shown under a chart and beside a change: 'Comparability, 2019: ...'."""
        return f"Comparability, {self.year}: {self.note}"


BREAK_LABELS: Mapping[BreakKind, str] = {
    "source": "New source",
    "method": "New method",
    "window": "New survey window",
    "boundaries": "New tract boundaries",
}


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    short_label: str
    predictor_id: str
    pillar_id: str
    description: str
    why_it_matters: str
    source: str
    caveats: tuple[str, ...]
    geographies: tuple[GeoLevel, ...]
    years: Mapping[GeoLevel, tuple[int, ...]] = field(hash=False)
    subgroup_types: Mapping[GeoLevel, tuple[str, ...]] = field(hash=False)
    direction: Direction
    supplementary: bool
    variables: tuple[Variable, ...]
    breakdown_source: str = ""
    """Why a breakdown's own total can differ from the overall value, in plain words, where
    Urban builds the two from different data (a survey window, older files); '' otherwise."""
    breaks: tuple[SeriesBreak, ...] = ()
    """Where the series changes source, method, survey window or boundaries (oldest first)."""

    @property
    def headline(self) -> Variable:
        """The variable a profile shows first (exactly one per metric, checked on load)."""
        for variable in self.variables:
            if variable.headline:
                return variable
        raise LookupError(f"Metric {self.id!r} has no headline variable.")

    def available_in(self, geo_level: GeoLevel) -> bool:
        return geo_level in self.geographies

    def breaks_for(self, geo_level: str) -> tuple[SeriesBreak, ...]:
        """The breaks in this metric's series for a kind of place."""
        return tuple(b for b in self.breaks if geo_level in b.geo_levels)


@dataclass(frozen=True)
class SubgroupGroup:
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubgroupType:
    id: str
    label: str
    groups: tuple[SubgroupGroup, ...]
    type_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class QualityLevel:
    code: int
    label: str
    meaning: str


@dataclass(frozen=True)
class Citation:
    publisher: str
    title: str
    repository: str
    release: str


@dataclass(frozen=True)
class ColumnRef:
    """What a column of one of Urban's files holds: a variable and its role."""

    variable: Variable
    role: ColumnRole


class UnknownName(LookupError):
    """A name that is not in the catalog, with close matches to suggest."""

    def __init__(self, kind: str, name: str, suggestions: Iterable[str] = ()) -> None:
        self.kind = kind
        self.name = name
        self.suggestions: list[str] = list(suggestions)
        super().__init__(kind, name, self.suggestions)

    def __str__(self) -> str:
        message = f"Unknown {self.kind} {self.name!r}."
        if self.suggestions:
            message += f" Did you mean: {', '.join(self.suggestions)}?"
        return message


def suggest(name: str, candidates: Mapping[str, str], limit: int = 5) -> list[str]:
    """Close matches for ``name``; ``candidates`` maps each matchable text to what to suggest."""
    folded: dict[str, str] = {}
    for text, target in candidates.items():
        folded.setdefault(text.casefold(), target)
    matches = difflib.get_close_matches(name.strip().casefold(), folded, n=limit * 2, cutoff=0.6)
    suggestions: list[str] = []
    for match in matches:
        target = folded[match]
        if target not in suggestions:
            suggestions.append(target)
    return suggestions[:limit]


@dataclass(frozen=True, eq=False)
class Catalog:
    """The whole framework. Metrics are kept in display order: pillar, predictor, metric."""

    definition: tuple[Part, ...]
    pillars: tuple[Pillar, ...]
    predictors: tuple[Predictor, ...]
    metrics: tuple[Metric, ...]
    subgroup_types: tuple[SubgroupType, ...]
    quality: tuple[QualityLevel, ...]
    citation: Citation
    prices: PriceIndex
    """The consumer price index shipped with the package, to compare dollars across years."""
    _index: _Index = field(init=False, repr=False)

    def __post_init__(self) -> None:
        ordered = _display_order(self.pillars, self.predictors, self.metrics)
        object.__setattr__(self, "metrics", ordered)
        object.__setattr__(self, "_index", _Index.build(self))

    # -- framework --------------------------------------------------------------------------

    @property
    def framework_metrics(self) -> tuple[Metric, ...]:
        """The metrics Urban counts in the framework (without supplementary ones)."""
        return tuple(m for m in self.metrics if not m.supplementary)

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(v for m in self.metrics for v in m.variables)

    def pillar(self, id: str) -> Pillar:
        return _lookup(self._index.pillars, id, "pillar", self._index.pillar_names)

    def predictor(self, id: str) -> Predictor:
        return _lookup(self._index.predictors, id, "predictor", self._index.predictor_names)

    def metric(self, id: str) -> Metric:
        return _lookup(self._index.metrics, id, "metric", self._index.metric_names)

    def variable(self, name: str) -> Variable:
        """A variable by Urban's column name or one of its aliases."""
        return _lookup(self._index.variables, name, "variable", self._index.variable_names)

    def metrics_for(self, geo_level: GeoLevel) -> tuple[Metric, ...]:
        if geo_level not in GEO_LEVELS:
            choices = _identity(GEO_LEVELS)
            raise UnknownName("geography level", geo_level, suggest(geo_level, choices))
        return tuple(m for m in self.metrics if geo_level in m.geographies)

    # -- file columns -----------------------------------------------------------------------

    def column_variable(self, column: str) -> Variable | None:
        """The variable whose values a file column holds (name or alias); None otherwise.

        Bound and quality columns (``share_employed_lb``, ``lbw_quality``) return None here;
        use :meth:`column_ref` to resolve every column of a variable with its role.
        """
        ref = self._index.columns.get(column)
        return ref.variable if ref is not None and ref.role == "value" else None

    def column_ref(self, column: str) -> ColumnRef | None:
        """The variable and role (value, lb, ub, quality) of a file column; None otherwise."""
        return self._index.columns.get(column)

    # -- subgroups --------------------------------------------------------------------------

    def subgroup_type(self, id: str) -> SubgroupType:
        types = self._index.subgroup_types
        return _lookup(types, id, "subgroup type", _identity(types))

    def normalize_subgroup(self, raw_type: str, raw_label: str) -> tuple[str, str]:
        """The canonical (type, label) of a raw file row.

        An ``All`` row is ("all", "All") whatever type it was written with. Otherwise the label
        decides the type, because files write neighborhood racial composition as
        race-ethnicity and neighborhood poverty as income; the raw type must still be a known
        spelling.
        """
        label = raw_label.strip()
        if label.casefold() == ALL_LABEL.casefold():
            return (ALL_TYPE, ALL_LABEL)
        self.canonical_subgroup_type(raw_type)
        index = self._index
        found = index.labels.get(label) or index.folded_labels.get(label.casefold())
        if found is None:
            choices = {raw: canonical for raw, (_, canonical) in index.labels.items()}
            raise UnknownName("subgroup", raw_label, suggest(label, choices))
        return found

    def canonical_subgroup_type(self, raw_type: str) -> str:
        """The canonical id of a type spelling: ``race_ethnicity`` -> ``race-ethnicity``."""
        key = raw_type.strip()
        found = self._index.type_aliases.get(key) or self._index.type_aliases.get(key.casefold())
        if found is None:
            raise UnknownName("subgroup type", raw_type, suggest(key, self._index.type_aliases))
        return found

    def subgroup_label_rows(self) -> list[tuple[str, str, str]]:
        """(raw_label, canonical_type, canonical_label) for every label and alias, with All."""
        rows = [(ALL_LABEL, ALL_TYPE, ALL_LABEL)]
        rows += [(raw, t, label) for raw, (t, label) in self._index.labels.items() if t != ALL_TYPE]
        return rows

    def subgroup_type_aliases(self) -> dict[str, str]:
        """Raw subgroup type spelling -> canonical id, including every id mapped to itself."""
        return dict(self._index.type_aliases)

    # -- quality ----------------------------------------------------------------------------

    def quality_level(self, code: int | None) -> QualityLevel | None:
        if code is None:
            return None
        found = self._index.quality.get(code)
        if found is None:
            known = ", ".join(str(level.code) for level in self.quality)
            raise ValueError(f"Unknown quality code {code!r}; expected one of {known}.")
        return found

    def quality_label(self, code: int | None) -> str | None:
        """The word for a quality code: 1 -> Strong, 2 -> Marginal, 3 -> Weak; None stays None."""
        level = self.quality_level(code)
        return level.label if level is not None else None


@dataclass(frozen=True)
class _Index:
    """Lookup tables derived once from the catalog's tuples."""

    pillars: dict[str, Pillar]
    predictors: dict[str, Predictor]
    metrics: dict[str, Metric]
    variables: dict[str, Variable]
    columns: dict[str, ColumnRef]
    subgroup_types: dict[str, SubgroupType]
    labels: dict[str, tuple[str, str]]
    folded_labels: dict[str, tuple[str, str]]
    type_aliases: dict[str, str]
    quality: dict[int, QualityLevel]
    pillar_names: dict[str, str]
    predictor_names: dict[str, str]
    metric_names: dict[str, str]
    variable_names: dict[str, str]

    @classmethod
    def build(cls, catalog: Catalog) -> _Index:
        variables: dict[str, Variable] = {}
        columns: dict[str, ColumnRef] = {}
        for variable in catalog.variables:
            for spelling in (variable.name, *variable.aliases):
                variables[spelling] = variable
            for column, role in variable.columns().items():
                columns[column] = ColumnRef(variable, role)
        labels: dict[str, tuple[str, str]] = {}
        type_aliases: dict[str, str] = {}
        for subgroup_type in catalog.subgroup_types:
            for spelling in (subgroup_type.id, *subgroup_type.type_aliases):
                type_aliases[spelling] = subgroup_type.id
            for group in subgroup_type.groups:
                for raw in (group.label, *group.aliases):
                    labels[raw] = (subgroup_type.id, group.label)
        return cls(
            pillars={p.id: p for p in catalog.pillars},
            predictors={p.id: p for p in catalog.predictors},
            metrics={m.id: m for m in catalog.metrics},
            variables=variables,
            columns=columns,
            subgroup_types={t.id: t for t in catalog.subgroup_types},
            labels=labels,
            folded_labels={raw.casefold(): found for raw, found in labels.items()},
            type_aliases=type_aliases,
            quality={level.code: level for level in catalog.quality},
            pillar_names=_names(catalog.pillars),
            predictor_names=_names(catalog.predictors),
            metric_names=_names(catalog.metrics),
            variable_names={**_identity(variables), **{v.label: v.name for v in catalog.variables}},
        )


def _names(items: Iterable[Pillar | Predictor | Metric]) -> dict[str, str]:
    """Texts to match a misspelled name against (ids, labels, short labels) -> id."""
    names: dict[str, str] = {}
    for item in items:
        names[item.id] = item.id
        names[item.label] = item.id
        if isinstance(item, Metric):
            names[item.short_label] = item.id
    return names


def _identity(keys: Iterable[str]) -> dict[str, str]:
    return {key: key for key in keys}


def _lookup(table: Mapping[str, T], key: str, kind: str, names: Mapping[str, str]) -> T:
    try:
        return table[key]
    except KeyError:
        raise UnknownName(kind, key, suggest(key, names)) from None


def _display_order(
    pillars: tuple[Pillar, ...], predictors: tuple[Predictor, ...], metrics: tuple[Metric, ...]
) -> tuple[Metric, ...]:
    pillar_rank = {p.id: i for i, p in enumerate(pillars)}
    predictor_rank = {p.id: i for i, p in enumerate(predictors)}
    metric_rank = {m_id: i for p in predictors for i, m_id in enumerate(p.metric_ids)}

    def key(metric: Metric) -> tuple[int, int, int]:
        return (
            pillar_rank.get(metric.pillar_id, len(pillar_rank)),
            predictor_rank.get(metric.predictor_id, len(predictor_rank)),
            metric_rank.get(metric.id, len(metric_rank)),
        )

    return tuple(sorted(metrics, key=key))
