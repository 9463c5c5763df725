"""Read ``framework.yaml`` into a :class:`~upward.catalog.model.Catalog`, checking it on load."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Set
from importlib import resources
from types import MappingProxyType
from typing import TypeVar

import yaml

from upward.catalog.model import (
    ALL_LABEL,
    ALL_TYPE,
    BREAK_KINDS,
    DIRECTIONS,
    GEO_LEVELS,
    QUALITY_CODES,
    QUALITY_WORDS,
    UNITS,
    VARIABLE_KINDS,
    Catalog,
    Citation,
    Direction,
    GeoLevel,
    Metric,
    Part,
    Pillar,
    Predictor,
    QualityLevel,
    SeriesBreak,
    SubgroupGroup,
    SubgroupType,
    Variable,
)
from upward.catalog.prices import consumer_prices

EXPECTED_PARTS = 3
EXPECTED_PILLARS = 5
EXPECTED_PREDICTORS = 24
EXPECTED_FRAMEWORK_METRICS = 26
EXPECTED_QUALITY_CODES = tuple(sorted(QUALITY_CODES.values()))

C = TypeVar("C", bound=str)


class CatalogError(ValueError):
    """framework.yaml is malformed or inconsistent."""


@functools.cache
def get_catalog() -> Catalog:
    """The catalog shipped with the package, read and checked once per process."""
    return load_catalog()


def load_catalog(text: str | None = None) -> Catalog:
    """Build a catalog from YAML text (default: the packaged framework.yaml) and check it."""
    if text is None:
        text = resources.files("upward.catalog").joinpath("framework.yaml").read_text("utf-8")
    try:
        # libyaml's C loader when the wheel has it: five times faster at start-up.
        document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise CatalogError(f"framework.yaml is not valid YAML: {exc}") from exc
    root = _mapping(document, "framework.yaml")
    required = {"definition", "pillars", "predictors", "metrics", "citation", "quality"}
    _keys(root, "framework.yaml", required | {"subgroup_types"})
    predictors = tuple(
        _predictor(node, f"predictors[{i}]") for i, node in _items(root, "predictors")
    )
    pillar_of = {p.id: p.pillar_id for p in predictors}
    catalog = Catalog(
        definition=tuple(_part(node, f"definition[{i}]") for i, node in _items(root, "definition")),
        pillars=tuple(
            _pillar(node, f"pillars[{i}]", predictors) for i, node in _items(root, "pillars")
        ),
        predictors=predictors,
        metrics=tuple(
            _metric(node, f"metrics[{i}]", pillar_of) for i, node in _items(root, "metrics")
        ),
        subgroup_types=tuple(
            _subgroup_type(node, f"subgroup_types[{i}]")
            for i, node in _items(root, "subgroup_types")
        ),
        quality=tuple(_quality(node, f"quality[{i}]") for i, node in _items(root, "quality")),
        citation=_citation(root.get("citation"), "citation"),
        prices=consumer_prices(),
    )
    problems = check_catalog(catalog)
    if problems:
        raise CatalogError("framework.yaml is inconsistent:\n- " + "\n- ".join(problems))
    return catalog


# -- consistency -------------------------------------------------------------------------------


def check_catalog(catalog: Catalog) -> list[str]:
    """Every consistency problem in a catalog, as sentences; an empty list when it is sound."""
    problems: list[str] = []
    problems += _count("part", len(catalog.definition), EXPECTED_PARTS)
    problems += _count("pillar", len(catalog.pillars), EXPECTED_PILLARS)
    problems += _count("predictor", len(catalog.predictors), EXPECTED_PREDICTORS)
    framework_metrics = len(catalog.framework_metrics)
    problems += _count("framework metric", framework_metrics, EXPECTED_FRAMEWORK_METRICS)
    for kind, ids in (
        ("part id", [p.id for p in catalog.definition]),
        ("pillar id", [p.id for p in catalog.pillars]),
        ("predictor id", [p.id for p in catalog.predictors]),
        ("metric id", [m.id for m in catalog.metrics]),
        ("subgroup type id", [t.id for t in catalog.subgroup_types]),
        ("quality code", [str(q.code) for q in catalog.quality]),
    ):
        problems += _duplicates(kind, ids)
    problems += _check_structure(catalog)
    problems += _check_variables(catalog)
    problems += _check_subgroups(catalog)
    codes = tuple(sorted(q.code for q in catalog.quality))
    if codes != EXPECTED_QUALITY_CODES:
        problems.append(f"Quality codes are {codes}, expected {EXPECTED_QUALITY_CODES}.")
    for level in catalog.quality:
        word = QUALITY_WORDS.get(level.code)
        if word is not None and level.label != word:
            problems.append(f"Quality code {level.code} is labelled {level.label!r}, not {word}.")
    return problems


def _check_structure(catalog: Catalog) -> list[str]:
    problems: list[str] = []
    pillar_ids = {p.id for p in catalog.pillars}
    predictors = {p.id: p for p in catalog.predictors}
    for pillar in catalog.pillars:
        if not pillar.predictor_ids:
            problems.append(f"Pillar {pillar.id!r} has no predictors.")
    listed = Counter(m_id for p in catalog.predictors for m_id in p.metric_ids)
    for predictor in catalog.predictors:
        if predictor.pillar_id not in pillar_ids:
            problems.append(
                f"Predictor {predictor.id!r} names unknown pillar {predictor.pillar_id!r}."
            )
        if not predictor.metric_ids:
            problems.append(f"Predictor {predictor.id!r} lists no metrics.")
    metric_ids = {m.id for m in catalog.metrics}
    for m_id in sorted(set(listed) - metric_ids):
        problems.append(f"A predictor lists unknown metric {m_id!r}.")
    for metric in catalog.metrics:
        owner = predictors.get(metric.predictor_id)
        if owner is None:
            problems.append(
                f"Metric {metric.id!r} names unknown predictor {metric.predictor_id!r}."
            )
        elif metric.id not in owner.metric_ids or listed[metric.id] != 1:
            problems.append(
                f"Metric {metric.id!r} must be listed once, under its predictor "
                f"{metric.predictor_id!r}."
            )
        subgroup_type_ids = {t.id for t in catalog.subgroup_types}
        for geo, types in metric.subgroup_types.items():
            if ALL_TYPE not in types:
                problems.append(f"Metric {metric.id!r} has no 'all' subgroup type for {geo}.")
            for unknown in sorted(set(types) - subgroup_type_ids):
                problems.append(f"Metric {metric.id!r} names unknown subgroup type {unknown!r}.")
    return problems


def _check_variables(catalog: Catalog) -> list[str]:
    problems: list[str] = []
    spellings = Counter(s for v in catalog.variables for s in (v.name, *v.aliases))
    problems += [f"Variable name or alias {s!r} is used {n} times." for s, n in _repeats(spellings)]
    for metric in catalog.metrics:
        if not metric.variables:
            problems.append(f"Metric {metric.id!r} has no variables.")
        headlines = [v.name for v in metric.variables if v.headline]
        if len(headlines) != 1:
            problems.append(
                f"Metric {metric.id!r} must have exactly one headline variable, has {headlines}."
            )
        for variable in metric.variables:
            problems += _check_count(metric, variable)
            if variable.kind == "ratio_pair" and variable.unit != "ratio":
                problems.append(
                    f"Variable {variable.name!r} is a ratio pair but its unit is not ratio."
                )
    return problems


def _check_count(metric: Metric, variable: Variable) -> list[str]:
    """A count is named as one, is never a headline, and has a comparable share or rate."""
    problems = []
    named = variable.name.startswith("count_") and "_per_" not in variable.name
    if named != variable.is_count:
        problems.append(
            f"Variable {variable.name!r}: a column named count_ (not per population) must "
            f"have unit count, and only such a column; its unit is {variable.unit}."
        )
    if variable.is_count and variable.headline:
        problems.append(f"Variable {variable.name!r} is a count and cannot be a headline.")
    if variable.is_count and not any(v.unit in ("share", "rate") for v in metric.variables):
        problems.append(f"Count {variable.name!r} has no share or rate beside it to compare.")
    return problems


def _check_subgroups(catalog: Catalog) -> list[str]:
    problems: list[str] = []
    type_spellings = Counter(s for t in catalog.subgroup_types for s in (t.id, *t.type_aliases))
    problems += [
        f"Subgroup type spelling {s!r} is used {n} times." for s, n in _repeats(type_spellings)
    ]
    labels = Counter(
        raw.casefold()
        for t in catalog.subgroup_types
        for g in t.groups
        for raw in (g.label, *g.aliases)
    )
    problems += [f"Subgroup label {s!r} is used {n} times." for s, n in _repeats(labels)]
    for subgroup_type in catalog.subgroup_types:
        if not subgroup_type.groups:
            problems.append(f"Subgroup type {subgroup_type.id!r} has no groups.")
        is_all = subgroup_type.id == ALL_TYPE
        for group in subgroup_type.groups:
            if (group.label == ALL_LABEL) != is_all or (is_all and group.aliases):
                problems.append(
                    f"Only the {ALL_TYPE!r} subgroup type may hold the {ALL_LABEL!r} group."
                )
    if ALL_TYPE not in {t.id for t in catalog.subgroup_types}:
        problems.append(f"The {ALL_TYPE!r} subgroup type is missing.")
    return problems


def _count(kind: str, found: int, expected: int) -> list[str]:
    return [] if found == expected else [f"Found {found} {kind}s, expected {expected}."]


def _duplicates(kind: str, ids: Iterable[str]) -> list[str]:
    return [f"Duplicate {kind} {i!r}." for i, _ in _repeats(Counter(ids))]


def _repeats(counts: Counter[str]) -> list[tuple[str, int]]:
    return [(item, n) for item, n in counts.items() if n > 1]


# -- parsing -----------------------------------------------------------------------------------


def _part(node: object, where: str) -> Part:
    m = _mapping(node, where)
    _keys(m, where, {"id", "label", "description"})
    return Part(_str(m, "id", where), _str(m, "label", where), _str(m, "description", where))


def _pillar(node: object, where: str, predictors: tuple[Predictor, ...]) -> Pillar:
    m = _mapping(node, where)
    _keys(m, where, {"id", "label", "description"})
    pillar_id = _str(m, "id", where)
    return Pillar(
        id=pillar_id,
        label=_str(m, "label", where),
        description=_str(m, "description", where),
        predictor_ids=tuple(p.id for p in predictors if p.pillar_id == pillar_id),
    )


def _predictor(node: object, where: str) -> Predictor:
    m = _mapping(node, where)
    _keys(m, where, {"id", "label", "pillar", "description", "metric_ids"})
    return Predictor(
        id=_str(m, "id", where),
        label=_str(m, "label", where),
        pillar_id=_str(m, "pillar", where),
        description=_str(m, "description", where),
        metric_ids=_strs(m, "metric_ids", where),
    )


def _metric(node: object, where: str, pillar_of: dict[str, str]) -> Metric:
    m = _mapping(node, where)
    required = {"id", "label", "short_label", "predictor", "direction", "description"}
    required |= {"why_it_matters", "source", "caveats", "geographies", "variables"}
    _keys(m, where, required, {"supplementary", "breakdown_source", "breaks"})
    metric_id = _str(m, "id", where)
    where = f"metrics.{metric_id}"
    direction = _choice(m, "direction", where, DIRECTIONS)
    geographies = _mapping(m["geographies"], f"{where}.geographies")
    years: dict[GeoLevel, tuple[int, ...]] = {}
    subgroup_types: dict[GeoLevel, tuple[str, ...]] = {}
    for raw_geo, geo_node in geographies.items():
        geo = _pick(raw_geo, GEO_LEVELS, f"{where}.geographies")
        g = _mapping(geo_node, f"{where}.geographies.{geo}")
        _keys(g, f"{where}.geographies.{geo}", {"years", "subgroup_types"})
        years[geo] = _years(g["years"], f"{where}.geographies.{geo}.years")
        subgroup_types[geo] = _strs(g, "subgroup_types", f"{where}.geographies.{geo}")
    if not years:
        raise CatalogError(f"{where}.geographies: no geography level given.")
    predictor_id = _str(m, "predictor", where)
    return Metric(
        id=metric_id,
        label=_str(m, "label", where),
        short_label=_str(m, "short_label", where),
        predictor_id=predictor_id,
        pillar_id=pillar_of.get(predictor_id, ""),
        description=_str(m, "description", where),
        why_it_matters=_str(m, "why_it_matters", where),
        source=_str(m, "source", where),
        caveats=_strs(m, "caveats", where),
        geographies=tuple(geo for geo in GEO_LEVELS if geo in years),
        years=MappingProxyType(years),
        subgroup_types=MappingProxyType(subgroup_types),
        direction=direction,
        supplementary=_bool(m, "supplementary", where, default=False),
        breakdown_source=_str(m, "breakdown_source", where) if "breakdown_source" in m else "",
        variables=tuple(
            _variable(v, f"{where}.variables[{i}]", metric_id, direction)
            for i, v in enumerate(_list(m["variables"], f"{where}.variables"))
        ),
        breaks=tuple(
            _break(b, f"{where}.breaks[{i}]", years)
            for i, b in enumerate(_list(m.get("breaks", []), f"{where}.breaks"))
        ),
    )


def _break(node: object, where: str, years: Mapping[GeoLevel, tuple[int, ...]]) -> SeriesBreak:
    m = _mapping(node, where)
    _keys(m, where, {"year", "kind", "note"}, {"geographies"})
    year = m["year"]
    if not isinstance(year, int):
        raise CatalogError(f"{where}.year: expected a year, got {year!r}.")
    levels = tuple(
        _pick(g, GEO_LEVELS, f"{where}.geographies")
        for g in _strs(m, "geographies", where, default=tuple(years))
    )
    for level in levels:
        grid = years.get(level, ())
        if year not in grid or year == grid[0]:
            raise CatalogError(
                f"{where}.year: expected a published {level} year after the first, got {year!r}."
            )
    return SeriesBreak(
        year=year,
        kind=_choice(m, "kind", where, BREAK_KINDS),
        note=_str(m, "note", where),
        geo_levels=levels,
    )


def _variable(node: object, where: str, metric_id: str, direction: Direction) -> Variable:
    m = _mapping(node, where)
    required = {"name", "label", "unit", "unit_detail", "has_bounds"}
    _keys(m, where, required, {"aliases", "kind", "headline", "direction"})
    return Variable(
        name=_str(m, "name", where),
        label=_str(m, "label", where),
        metric_id=metric_id,
        unit=_choice(m, "unit", where, UNITS),
        unit_detail=_str(m, "unit_detail", where),
        direction=_choice(m, "direction", where, DIRECTIONS, default=direction),
        has_bounds=_bool(m, "has_bounds", where),
        aliases=_strs(m, "aliases", where, default=()),
        kind=_choice(m, "kind", where, VARIABLE_KINDS, default="number"),
        headline=_bool(m, "headline", where, default=False),
    )


def _subgroup_type(node: object, where: str) -> SubgroupType:
    m = _mapping(node, where)
    _keys(m, where, {"id", "label", "groups"}, {"type_aliases"})
    groups: list[SubgroupGroup] = []
    for i, group_node in enumerate(_list(m["groups"], f"{where}.groups")):
        g = _mapping(group_node, f"{where}.groups[{i}]")
        _keys(g, f"{where}.groups[{i}]", {"label"}, {"aliases"})
        groups.append(
            SubgroupGroup(
                _str(g, "label", f"{where}.groups[{i}]"),
                _strs(g, "aliases", f"{where}.groups[{i}]", default=()),
            )
        )
    return SubgroupType(
        id=_str(m, "id", where),
        label=_str(m, "label", where),
        groups=tuple(groups),
        type_aliases=_strs(m, "type_aliases", where, default=()),
    )


def _quality(node: object, where: str) -> QualityLevel:
    m = _mapping(node, where)
    _keys(m, where, {"code", "label", "meaning"})
    code = m["code"]
    if not isinstance(code, int) or isinstance(code, bool):
        raise CatalogError(f"{where}.code: expected a whole number, got {code!r}.")
    return QualityLevel(code, _str(m, "label", where), _str(m, "meaning", where))


def _citation(node: object, where: str) -> Citation:
    m = _mapping(node, where)
    _keys(m, where, {"publisher", "title", "repository", "release"})
    return Citation(
        publisher=_str(m, "publisher", where),
        title=_str(m, "title", where),
        repository=_str(m, "repository", where),
        release=_str(m, "release", where),
    )


# -- typed reads of YAML nodes -----------------------------------------------------------------


def _mapping(node: object, where: str) -> dict[str, object]:
    if not isinstance(node, dict) or not all(isinstance(k, str) for k in node):
        raise CatalogError(f"{where}: expected a mapping with text keys, got {node!r}.")
    return node


def _list(node: object, where: str) -> list[object]:
    if not isinstance(node, list):
        raise CatalogError(f"{where}: expected a list, got {node!r}.")
    return node


def _items(root: dict[str, object], key: str) -> list[tuple[int, object]]:
    return list(enumerate(_list(root.get(key, []), key)))


def _keys(
    m: dict[str, object], where: str, required: set[str], optional: Set[str] = frozenset()
) -> None:
    missing = sorted(required - m.keys())
    unexpected = sorted(m.keys() - required - optional)
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}.")
    if unexpected:
        raise CatalogError(f"{where}: unexpected {', '.join(unexpected)}.")


def _str(m: dict[str, object], key: str, where: str) -> str:
    value = m.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{where}.{key}: expected non-empty text, got {value!r}.")
    return value.strip()


def _strs(
    m: dict[str, object], key: str, where: str, default: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    if key not in m and default is not None:
        return default
    values = _list(m.get(key), f"{where}.{key}")
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise CatalogError(f"{where}.{key}: expected a list of non-empty texts, got {values!r}.")
    return tuple(str(v).strip() for v in values)


def _bool(m: dict[str, object], key: str, where: str, default: bool | None = None) -> bool:
    value = m.get(key, default)
    if not isinstance(value, bool):
        raise CatalogError(f"{where}.{key}: expected true or false, got {value!r}.")
    return value


def _years(node: object, where: str) -> tuple[int, ...]:
    values = _list(node, where)
    if not values or not all(isinstance(y, int) and 1990 <= y <= 2100 for y in values):
        raise CatalogError(f"{where}: expected a list of years, got {values!r}.")
    years = tuple(y for y in values if isinstance(y, int))
    if list(years) != sorted(set(years)):
        raise CatalogError(f"{where}: years must be increasing without repeats, got {values!r}.")
    return years


def _choice(
    m: dict[str, object], key: str, where: str, choices: tuple[C, ...], default: C | None = None
) -> C:
    value = m.get(key, default)
    return _pick(value, choices, f"{where}.{key}")


def _pick(value: object, choices: tuple[C, ...], where: str) -> C:
    for choice in choices:
        if value == choice:
            return choice
    raise CatalogError(f"{where}: expected one of {', '.join(choices)}, got {value!r}.")
