"""One JSON shape per result: a place, an observation, a profile, a page of cells.

Each shape is a pydantic model mapped once from the library's dataclasses by one function
(``geography_out``, ``observation_out``, ``profile_out``, ...). The API declares them as
its responses (so they are the OpenAPI document), the pages' ``.json`` twins and the
command line's ``--format json`` write ``shape.model_dump(mode="json")``: an observation
has one JSON shape everywhere. A place's whole profile, with each entry's series and
standing, is :meth:`upward.explore.Release.profile_shape`. The shapes of peers,
comparisons, disparities, trends and insights are in :mod:`upward.explore.analysis_shapes`.

A number always travels with its year, its release, its interval and its quality, and a
withheld number with its status in words.
"""

from __future__ import annotations

import functools
import operator
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Protocol,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from pydantic import BaseModel, ConfigDict, Field, create_model

from upward.catalog import ALL_TYPE, Catalog, GeoLevel, Quality
from upward.catalog import CellStatus as Status
from upward.data.context import PlaceContext
from upward.data.model import Geography, Observation, Profile, ProfileEntry
from upward.data.registry import ReleaseEntry
from upward.data.state_table import StateValue

if TYPE_CHECKING:
    from upward.explore.release import Release

CellStatus = Literal["published", "suppressed", "no_estimate"]
"""The statuses an observation can have (the others are of cells a place lacks)."""


class Shape(BaseModel):
    """A result as JSON: field docstrings become the OpenAPI descriptions."""

    model_config = ConfigDict(use_attribute_docstrings=True, frozen=True)


S = TypeVar("S", bound=BaseModel)


def copied(shape: type[S], source: object, **given: Any) -> S:
    """``shape`` with ``given`` fields and every other field from the same-named attribute
    of ``source``: the field list is declared once, by the shape."""
    taken = {name: getattr(source, name) for name in shape.model_fields if name not in given}
    return shape.model_validate({**taken, **given})


class Build(Protocol):
    """Makes one shape from ``given`` fields and the same-named attributes of ``source``:
    :func:`built` (the model) or :func:`dumped` (its JSON at once)."""

    def __call__(self, shape: type[BaseModel], source: object = None, /, **given: Any) -> Any: ...


def built(shape: type[S], source: object = None, /, **given: Any) -> S:
    """:func:`copied`, or the shape of ``given`` alone (no ``source``)."""
    return shape.model_validate(given) if source is None else copied(shape, source, **given)


def dumped(shape: type[BaseModel], source: object = None, /, **given: Any) -> dict[str, Any]:
    """``built(shape, source, **given).model_dump(mode="json")``, without making the model:
    the fields in the shape's order, each number of the declared type (an int given for a
    float field is written as a float). Nothing is validated, so a mapping dumped this way
    is checked against :func:`built` by the tests (``tests/test_shapes.py``); for output
    made in bulk (the static site's ``.json`` twins: some 600 shapes a place)."""
    plan = _json_plan(shape, frozenset(given))
    out = dict.fromkeys(plan.order)  # the shape's order; then the values
    if plan.taken:
        out.update(zip(plan.taken, plan.read(source), strict=True))
    out.update(given)
    for name, convert in plan.converted:
        out[name] = convert(out[name])
    return out


Convert = Callable[[Any], Any]


@dataclass(frozen=True)
class _JsonPlan:
    order: tuple[str, ...]
    """The shape's fields."""
    taken: tuple[str, ...]
    """Those read off the source (the others are given)."""
    read: Callable[[object], tuple[Any, ...]]
    converted: tuple[tuple[str, Convert], ...]
    """The fields whose values JSON writes otherwise than as they are."""


@functools.cache
def _json_plan(shape: type[BaseModel], given: frozenset[str]) -> _JsonPlan:
    order = tuple(shape.model_fields)
    taken = tuple(name for name in order if name not in given)
    getter = operator.attrgetter(*taken) if taken else None

    def read(source: object) -> tuple[Any, ...]:
        assert getter is not None
        found = getter(source)
        return found if len(taken) > 1 else (found,)

    converted = tuple(
        (name, convert)
        for name, f in shape.model_fields.items()
        if (convert := _json_value(f.annotation)) is not None
    )
    return _JsonPlan(order, taken, getter if len(taken) > 1 else read, converted)  # type: ignore[arg-type]


def _json_value(annotation: Any) -> Convert | None:
    """How ``model_dump(mode="json")`` writes a value of the field type ``annotation``
    (None: as it is); a type the shapes do not use is refused rather than guessed."""
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is float:
        return _float
    if annotation is int:
        return _int
    if annotation in (str, bool) or (origin is Literal and all(type(a) is str for a in args)):
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _nested
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _json_value(next(a for a in args if a is not type(None)))
        if inner is None:
            return None
        return _OPTIONAL.get(inner) or functools.partial(_optional, inner)
    if origin is list and len(args) == 1:
        inner = _json_value(args[0])
        return list if inner is None else functools.partial(_each, inner)
    raise TypeError(f"No JSON writer for a field of type {annotation!r}.")


def _float(value: Any) -> float:
    return value if type(value) is float else float(value)


def _int(value: Any) -> int:
    if type(value) is int:
        return value
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    raise ValueError(f"{value!r} is not an integer.")


def _optional_float(value: Any) -> float | None:
    return value if value is None or type(value) is float else float(value)


def _optional_int(value: Any) -> int | None:
    return value if value is None or type(value) is int else _int(value)


_OPTIONAL: dict[Convert, Convert] = {_float: _optional_float, _int: _optional_int}
"""The most common optional fields (most of an observation's numbers), in one call."""


def _nested(value: Any) -> Any:
    return value if type(value) is dict else value.model_dump(mode="json")


def _optional(convert: Convert, value: Any) -> Any:
    return None if value is None else convert(value)


def _each(convert: Convert, values: Iterable[Any]) -> list[Any]:
    return [convert(v) for v in values]


def shape_of(
    source: type,
    base: type[BaseModel] = Shape,
    *,
    described: Mapping[str, str] | None = None,
    retyped: Mapping[str, Any] | None = None,
    left_out: Iterable[str] = (),
) -> Any:
    """A base for the shape of the dataclass ``source``: its fields, in its order and with
    its types (one declaration for a result that JSON shows whole), but those ``left_out``;
    ``described`` gives fields their OpenAPI descriptions and ``retyped`` narrower types
    (a Literal for a str). Subclass it to name the shape."""
    hints = {**get_type_hints(source), **(retyped or {})}
    words = described or {}
    declared: dict[str, Any] = {
        f.name: (hints[f.name], Field(description=words.get(f.name)))
        for f in fields(source)
        if f.name not in left_out
    }
    return create_model(f"{source.__name__}Fields", __base__=base, **declared)


# -- release -------------------------------------------------------------------------------


class ReleaseRefOut(Shape):
    """Which release of Urban's files the numbers come from."""

    name: str
    """The release a number comes from: the name it was loaded under, else Urban's version."""
    version: str
    """Urban's version of the files, as recorded by the load."""
    citation: str
    """The source line to cite: publisher, title, release."""


def release_ref(release: Release) -> ReleaseRefOut:
    return ReleaseRefOut(
        name=release_name(release), version=release.version, citation=release.citation
    )


def release_name(release: Release) -> str:
    """The ``release`` every observation of ``release`` carries."""
    return release.release_name or release.version


class ReleaseOut(Shape):
    """A loaded release, as the registry lists it (no server paths)."""

    name: str
    current: bool
    """The release that answers when no ``?release=`` is given."""
    loaded_at: str
    """UTC, ISO 8601."""
    source: str
    version: str
    checksum: str
    """SHA-256 over the sorted (path, SHA-256) lines of every file the load used."""
    files: int
    files_left_out: int
    cells: int
    places: int
    partial: bool
    """Loaded with files left out on purpose (``data load --partial``)."""
    map: str
    """The release map the load followed (a shipped map's name, or 'drafted')."""


class ReleasesOut(Shape):
    current: str | None
    items: list[ReleaseOut]


def releases_out(entries: Sequence[ReleaseEntry], current: str | None) -> ReleasesOut:
    items = [copied(ReleaseOut, e, current=e.name == current) for e in entries]
    return ReleasesOut(current=current, items=items)


# -- place ---------------------------------------------------------------------------------


class GeographyOut(Shape):
    """A county or a city."""

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


def geography_out(geo: Geography) -> GeographyOut:
    return _geography(built, geo)


def _geography(build: Build, geo: Geography) -> Any:
    return build(GeographyOut, geo, url=geo.url_path)


class GeographyPage(Shape):
    count: int
    next: str | None
    previous: str | None
    items: list[GeographyOut]


# -- a state's places for one variable ------------------------------------------------------


class StatePlaceOut(Shape):
    """A place of a state with its overall value of one variable in one year, and where it
    stands among the places of its kind in the state (ties counted as ties, no test)."""

    geography: GeographyOut
    year: int | None
    value: float | None
    """The published value, unrounded; null when the place has none for the year."""
    lb: float | None
    ub: float | None
    quality: Quality | None
    value_text: str | None
    below_in_state: int | None
    """How many other places of the kind in the state have a lower value."""
    tied_in_state: int | None
    """How many other places of the kind in the state have exactly the same value."""
    n_in_state: int | None
    """How many places of the kind in the state have a value, this one included."""


class StateLevelOut(Shape):
    geo_level: GeoLevel
    year: int | None
    """The year shown (the latest with values unless ``?year=`` asks for another)."""
    note: str | None
    """Why this kind of place has no values here (not published for it, or not that year)."""
    places: list[StatePlaceOut]


class StateTableOut(Shape):
    """The state page's table: one variable of one metric, for each kind of place."""

    metric: str
    variable: str
    variable_label: str
    direction: str
    release: ReleaseRefOut
    levels: list[StateLevelOut]


def state_place_out(geo: Geography, year: int | None, found: StateValue | None) -> StatePlaceOut:
    if found is None:
        return StatePlaceOut(geography=geography_out(geo), year=year, value=None, lb=None,
                             ub=None, quality=None, value_text=None, below_in_state=None,
                             tied_in_state=None, n_in_state=None)  # fmt: skip
    return StatePlaceOut(geography=geography_out(geo), year=year, value=found.value,
                         lb=found.lb, ub=found.ub, quality=found.quality,
                         value_text=found.value_text, below_in_state=found.below,
                         tied_in_state=found.tied, n_in_state=found.n)  # fmt: skip


# -- observation ---------------------------------------------------------------------------


class OtherValueOut(Shape):
    """Another file of the release that publishes a different value for the same cell."""

    source_file: str
    source_line: int
    value: float | None
    value_text: str | None


class ObservationOut(Shape):
    """One published (or withheld) cell, exactly as Urban published it."""

    geoid: str
    geo_level: GeoLevel
    year: int
    metric: str
    variable: str
    subgroup_type: str
    subgroup: str
    value: float | None
    lb: float | None
    """Lower bound of the 95% confidence interval; null when none is published."""
    ub: float | None
    """Upper bound of the 95% confidence interval; null when none is published."""
    quality: Quality | None
    """Urban's quality rating in words; null when the cell is not rated."""
    value_text: str | None
    """For ratio pairs ('0.190:0.272'); null otherwise."""
    status: CellStatus
    status_text: str
    """The status in words; a deliberate suppression says why."""
    note: str | None
    """Why Urban withheld the value on purpose, when it did (the value is then null)."""
    release: str
    """The release the cell comes from (see ``ReleaseRefOut.name``)."""
    source_file: str
    source_line: int | None
    """The line of ``source_file`` the value is on (the header is line 1)."""
    conflict: bool
    """Another file of the release publishes a different value for this cell."""
    other_values: list[OtherValueOut]
    """Those files' values (none when the value is withheld)."""


def observation_out(obs: Observation, release: str) -> ObservationOut:
    return _observation(built, obs, release)  # type: ignore[no-any-return]


def observations_out(cells: Iterable[Observation], release: str) -> list[ObservationOut]:
    return [_observation(built, o, release) for o in cells]


def _observation(build: Build, obs: Observation, release: str) -> Any:
    others = [build(OtherValueOut, o) for o in obs.others]
    return build(ObservationOut, obs, release=release, other_values=others)


class ObservationPage(Shape):
    count: int
    next: str | None
    previous: str | None
    items: list[ObservationOut]


class SubgroupsOut(Shape):
    geography: GeographyOut
    metric: str | None
    count: int
    items: list[ObservationOut]


def subgroups_out(
    geo: Geography, metric: str | None, cells: Sequence[Observation], release: str
) -> SubgroupsOut:
    return SubgroupsOut(geography=geography_out(geo), metric=metric, count=len(cells),
                        items=observations_out(cells, release))  # fmt: skip


# -- profile -------------------------------------------------------------------------------


class ContextOut(Shape):
    """Where the value sits among places of its kind, in the nation and in its state."""

    pct_nation: float | None
    """Share (0 to 1) of the other places in the nation with a lower value; null if alone."""
    n_nation: int | None
    below_nation: int | None
    """Other places in the nation with a lower value."""
    tied_nation: int | None
    """Other places in the nation with exactly this value."""
    pct_state: float | None
    n_state: int | None
    below_state: int | None
    tied_state: int | None
    median_nation: float | None
    """The median of every value in the nation, Weak ones included (context, no claim)."""
    n_median_nation: int | None
    weak_median_nation: int | None
    """How many of the values behind the national median are rated Weak."""
    median_state: float | None
    n_median_state: int | None
    weak_median_state: int | None


def context_out(found: PlaceContext | None) -> ContextOut | None:
    return _context(built, found)  # type: ignore[no-any-return]


def _context(build: Build, found: PlaceContext | None) -> Any:
    return None if found is None else build(ContextOut, **found.numbers())


class ProfileEntryOut(Shape):
    """One variable of a profile: its latest (or the asked year's) cell, or why there is none."""

    metric: str
    metric_label: str
    variable: str
    variable_label: str
    unit: str
    unit_detail: str
    direction: str
    headline: bool
    status: Status
    status_text: str
    years: list[int]
    """Every year with a published value for this place (overall)."""
    observation: ObservationOut | None
    context: ContextOut | None
    """The observation's standing and the medians; null without a published value."""
    series: list[ObservationOut]
    """Every year's overall cell of the variable for this place, oldest first."""


class ProfilePredictorOut(Shape):
    id: str
    label: str
    entries: list[ProfileEntryOut]


class ProfilePillarOut(Shape):
    id: str
    label: str
    predictors: list[ProfilePredictorOut]


class QualityLevelOut(Shape):
    code: int
    label: Quality
    meaning: str


class ProfileOut(Shape):
    """Every metric for one place, by pillar and predictor."""

    geography: GeographyOut
    release: ReleaseRefOut
    year: int | None
    """The year asked for; null for each variable's latest."""
    subgroup_type: str
    """The breakdown whose cells are in ``subgroups`` ('all' for none)."""
    quality_levels: list[QualityLevelOut]
    pillars: list[ProfilePillarOut]
    subgroups: list[ObservationOut]
    """The breakdown's cells for the year (or each variable's latest year with values)."""


def quality_levels_out(catalog: Catalog) -> list[QualityLevelOut]:
    return _quality_levels(built, catalog)


def _quality_levels(build: Build, catalog: Catalog) -> list[Any]:
    return [build(QualityLevelOut, code=q.code, label=q.label, meaning=q.meaning)
            for q in catalog.quality]  # fmt: skip


def _entry(
    build: Build,
    e: ProfileEntry,
    release: str,
    series: Mapping[str, Sequence[Observation]],
    contexts: Mapping[tuple[str, int], PlaceContext],
) -> Any:
    obs = e.observation
    found = contexts.get((obs.variable, obs.year)) if obs and obs.value is not None else None
    return build(
        ProfileEntryOut,
        metric=e.metric.id, metric_label=e.metric.label, variable=e.variable.name,
        variable_label=e.variable.label, unit=e.variable.unit,
        unit_detail=e.variable.unit_detail, direction=e.variable.direction,
        headline=e.variable.headline, status=e.status, status_text=e.status_text,
        years=list(e.years), observation=_observation(build, obs, release) if obs else None,
        context=_context(build, found),
        series=[_observation(build, o, release) for o in series.get(e.variable.name, ())],
    )  # fmt: skip


def profile_out(
    profile: Profile,
    catalog: Catalog,
    release: ReleaseRefOut,
    series: Iterable[Observation] = (),
    contexts: Mapping[tuple[str, int], PlaceContext] | None = None,
) -> ProfileOut:
    """The profile's shape; ``series`` (the place's overall cells) and ``contexts`` fill
    each entry's ``series`` and ``context``."""
    return _profile(built, profile, catalog, release, series, contexts)  # type: ignore[no-any-return]


def profile_json(
    profile: Profile,
    catalog: Catalog,
    release: ReleaseRefOut,
    series: Iterable[Observation] = (),
    contexts: Mapping[tuple[str, int], PlaceContext] | None = None,
) -> dict[str, Any]:
    """``profile_out(...).model_dump(mode="json")``, made without the models (:func:`dumped`;
    the same mapping): a third of the CPU of a profile's ``.json`` twin went into them."""
    return _profile(dumped, profile, catalog, release, series, contexts)  # type: ignore[no-any-return]


def _profile(
    build: Build,
    profile: Profile,
    catalog: Catalog,
    release: ReleaseRefOut,
    series: Iterable[Observation],
    contexts: Mapping[tuple[str, int], PlaceContext] | None,
) -> Any:
    by_variable: dict[str, list[Observation]] = {}
    for obs in sorted(series, key=lambda o: o.year):
        if obs.subgroup_type == ALL_TYPE:
            by_variable.setdefault(obs.variable, []).append(obs)
    found = contexts or {}
    name = release.name
    return build(
        ProfileOut,
        geography=_geography(build, profile.geography),
        release=release,
        year=profile.year,
        subgroup_type=profile.subgroup_type,
        quality_levels=_quality_levels(build, catalog),
        pillars=[
            build(ProfilePillarOut, id=section.pillar.id, label=section.pillar.label, predictors=[
                build(ProfilePredictorOut, id=p.predictor.id, label=p.predictor.label, entries=[
                    _entry(build, e, name, by_variable, found) for e in p.entries])
                for p in section.predictors])
            for section in profile.pillars
        ],
        subgroups=[_observation(build, o, name) for o in profile.subgroups],
    )  # fmt: skip
