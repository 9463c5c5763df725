"""The view model of a place profile: every number on the page, formatted once.

``build_profile_page`` reads the release (every cell of the place, from which its
profile is built, and its standings: two queries; benchmarks are kept by the
release) and returns frozen objects the template only walks. They keep what the
warehouse returned: the profile's pillar and predictor tree (:class:`ProfilePage` adds a
view per metric) and each cell's :class:`~upward.data.model.Observation` (a
:class:`Cell` adds its variable, its row label and its words). The same objects feed
the ``.json`` twin and the CSV and XLSX downloads
(:mod:`upward.web.explorer.profile_export`), so the page and its files cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from upward.catalog import (
    ALL_LABEL,
    ALL_TYPE,
    WEAK,
    Catalog,
    GeoLevel,
    Metric,
    SubgroupType,
    Variable,
)
from upward.explore import (
    Geography,
    Observation,
    OtherValue,
    PillarSection,
    PlaceContext,
    PredictorSection,
    Profile,
    ProfileEntry,
    Release,
    parse_ratio_pair,
)
from upward.reports import charts
from upward.reports.breakdown_total import TotalNote, total_note
from upward.reports.charts import ChartKind
from upward.reports.numbers import format_bounds, format_number, format_share, unit_suffix
from upward.web.explorer.glance import Glance, build_glance
from upward.web.explorer.standing_text import MedianPhrases, context_phrases, direction_note

GLANCE_CACHE_SIZE = 64
"""Glances kept per release (a place's and year's "At a glance" table, for every breakdown)."""
MEDIAN_PHRASES_KEPT = 128
"""Tables of median phrases kept per release: one per kind of place and scope (the nation,
each state), as its benchmarks are."""


def other_text(other: OtherValue, variable: Variable) -> str:
    """ "path, line N: value" for another file's value of a cell."""
    shown = other.value_text or (
        format_number(variable, other.value) if other.value is not None else "no value"
    )
    return f"{other.source_file}, line {other.source_line}: {shown}"


@dataclass(frozen=True)
class Cell:
    """One published (or withheld) value on the page: the warehouse's observation, the
    catalog variable it is of, the label of its row, and the words it is shown with."""

    obs: Observation
    variable: Variable
    label: str
    """Row label: the series (variable) label or the group name."""

    @property
    def source(self) -> str:
        """Where the value comes from: "path, line N"."""
        obs = self.obs
        if not obs.source_file:
            return ""
        return f"{obs.source_file}, line {obs.source_line}" if obs.source_line else obs.source_file

    @property
    def display(self) -> str:
        value = self.obs.value
        if value is not None:
            return format_number(self.variable, value)
        # a published "0.000:0.000" pair has no ratio: the group holds no homes
        return "no ratio" if self.parts is not None else ""

    @property
    def ci(self) -> str:
        return format_bounds(self.variable, self.obs.lb, self.obs.ub)

    @property
    def parts(self) -> tuple[float, float] | None:
        """For a:b ratio pairs: the two shares (group's share of home value, of households)."""
        text = self.obs.value_text
        if self.variable.kind != "ratio_pair" or not text:
            return None
        return parse_ratio_pair(text)

    @property
    def parts_display(self) -> str:
        parts = self.parts
        if parts is None:
            return ""
        return f"{format_share(parts[0])} of home value, {format_share(parts[1])} of households"

    @property
    def weak(self) -> bool:
        return self.obs.quality == WEAK

    @property
    def is_total(self) -> bool:
        """The total of a breakdown (the ``All`` row of its subgroup type)."""
        return self.obs.subgroup == ALL_LABEL

    @property
    def other_texts(self) -> tuple[str, ...]:
        """Other files' different values of this cell, as "path, line N: value"."""
        return tuple(other_text(o, self.variable) for o in self.obs.others)

    def point(self) -> charts.Point:
        obs = self.obs
        assert obs.value is not None
        return charts.Point(self.label, obs.value, obs.lb, obs.ub, obs.quality)


@dataclass(frozen=True)
class SourceFile:
    """A file the numbers of a measure come from."""

    path: str
    count: str
    """ "3 values" """
    span: str
    """ "line 12" or "lines 12–40" """


@dataclass(frozen=True)
class Disputed:
    """A cell for which another file of the release publishes a different value."""

    who: str
    year: int
    shown: str
    source: str
    others: str


@dataclass(frozen=True)
class Sources:
    """A measure's footnote: the files its numbers come from, and where files disagree."""

    files: tuple[SourceFile, ...]
    disputed: tuple[Disputed, ...]


@dataclass(frozen=True)
class Context:
    pct_nation: float | None
    """Share of the other places in the nation with a lower value; None if alone."""
    n_nation: int | None
    pct_state: float | None
    n_state: int | None
    median_nation: float | None
    n_median_nation: int | None
    median_state: float | None
    n_median_state: int | None
    nation_rank: str
    state_rank: str
    nation_median: str
    state_median: str
    tied_nation: int | None = None
    """Other places in the nation with exactly this value."""
    tied_state: int | None = None
    below_nation: int | None = None
    below_state: int | None = None
    weak_median_nation: int | None = None
    """How many of the values behind the national median are rated Weak."""
    weak_median_state: int | None = None


@dataclass(frozen=True)
class ValueRow:
    """A variable's latest (or requested year's) value on the profile."""

    entry: ProfileEntry
    cell: Cell | None
    context: Context | None

    @property
    def variable(self) -> Variable:
        return self.entry.variable

    @property
    def status_text(self) -> str:
        return self.entry.status_text

    @property
    def unit_note(self) -> str:
        return unit_suffix(self.variable)


@dataclass(frozen=True)
class Series:
    """One line of a trend chart: a variable over the years."""

    label: str
    variable: Variable
    rows: tuple[Cell, ...]


@dataclass(frozen=True)
class Trend:
    chart_id: str
    unit: str
    """The unit of the plotted variables (the headline's)."""
    summary: str
    series: tuple[Series, ...]
    plotted: int
    has_ci: bool
    frame: charts.Frame
    """The value axis (title with the unit, range), gaps and breaks of the chart."""
    kind: ChartKind = ChartKind.TREND

    @property
    def chart(self) -> str:
        """The chart's template key on the page: 'trend:share'."""
        return f"{self.kind}:{self.unit}"

    @property
    def rows(self) -> tuple[Cell, ...]:
        return tuple(c for s in self.series for c in s.rows)


@dataclass(frozen=True)
class Breakdown:
    subgroup_type: str
    label: str
    variable: Variable
    year: int
    chart_id: str
    summary: str
    groups: tuple[Cell, ...]
    total: Cell | None
    selected: bool
    frame: charts.Frame
    """The value axis of the chart: title with the unit, range fitted to the values."""
    kind: ChartKind = ChartKind.SUBGROUP
    total_note: TotalNote | None = None
    """Why the breakdown's total is not the headline value of its year (None: it is)."""

    @property
    def unit(self) -> str:
        return self.variable.unit

    @property
    def chart(self) -> str:
        """The chart's template key on the page: 'subgroup:share'."""
        return f"{self.kind}:{self.unit}"

    @property
    def rows(self) -> tuple[Cell, ...]:
        return self.groups + ((self.total,) if self.total else ())

    @property
    def has_ci(self) -> bool:
        return any(c.obs.lb is not None for c in self.rows)


@dataclass(frozen=True)
class MetricView:
    metric: Metric
    values: tuple[ValueRow, ...]
    trend: Trend | None
    breakdowns: tuple[Breakdown, ...]
    direction_note: str

    @property
    def anchor(self) -> str:
        return f"m-{self.metric.id}"

    @property
    def is_ratio_pair(self) -> bool:
        return self.metric.headline.kind == "ratio_pair"

    @property
    def has_weak(self) -> bool:
        return any(v.cell is not None and v.cell.weak for v in self.values)

    @property
    def sources(self) -> Sources:
        """The files this measure's numbers come from, and the cells where files disagree."""
        cells = [v.cell for v in self.values if v.cell is not None]
        for s in self.trend.series if self.trend else ():
            cells += s.rows
        for b in self.breakdowns:
            cells += b.rows
        lines: dict[str, list[int]] = {}
        disputed: dict[tuple[int, str, str, str], Cell] = {}
        for c in cells:
            obs = c.obs
            if obs.source_file:
                lines.setdefault(obs.source_file, []).append(obs.source_line or 0)
            if obs.others:
                disputed[(obs.year, obs.subgroup_type, obs.subgroup, c.variable.name)] = c
        files = tuple(
            SourceFile(
                path,
                f"{len(found)} value{'s' if len(found) > 1 else ''}",
                f"line {min(found)}"
                if min(found) == max(found)
                else f"lines {min(found)}–{max(found)}",
            )
            for path, found in lines.items()
        )
        return Sources(files, tuple(_disputed(c) for c in disputed.values()))


def _disputed(c: Cell) -> Disputed:
    who = c.label if c.obs.subgroup_type == ALL_TYPE else f"{c.variable.label}, {c.label}"
    return Disputed(
        who, c.obs.year, c.display or c.obs.status_text, c.source, "; ".join(c.other_texts)
    )


@dataclass(frozen=True)
class ProfilePage:
    """The page of a place: the warehouse's profile (its pillar and predictor tree) with a
    view of each metric."""

    profile: Profile
    year: int | None
    breakdown: str | None
    views: Mapping[str, MetricView]
    """Each metric's view by metric id, in page order."""
    years: tuple[int, ...]
    """Years with data for this kind of place (for the year selector)."""
    glance: Glance
    """Every measure in one table, with its standings and tests (the top of the page)."""
    cells: Sequence[Observation] = ()
    """What the page was built from: the place's cells (every overall one, and the
    breakdowns' shown years) and the standings of its values, for its ``.json`` twin
    (:meth:`upward.explore.Release.profile_shape_of`), which then reads nothing again."""
    contexts: Mapping[tuple[str, int], PlaceContext] = field(default_factory=dict)

    @property
    def geography(self) -> Geography:
        return self.profile.geography

    @property
    def pillars(self) -> tuple[PillarSection, ...]:
        return self.profile.pillars

    @property
    def metrics(self) -> tuple[MetricView, ...]:
        return tuple(self.views.values())

    def metrics_of(self, section: PredictorSection) -> tuple[MetricView, ...]:
        """The views of a predictor's metrics, in the catalog's order."""
        return tuple(self.views[m] for m in section.predictor.metric_ids)

    def chart_keys(self) -> set[tuple[str, str]]:
        """The (kind, unit) of every chart on the page."""
        keys: set[tuple[str, str]] = set()
        for metric in self.metrics:
            for chart in (metric.trend, *metric.breakdowns):
                if chart is not None:
                    keys.add((chart.kind, chart.unit))
        return keys


# -- building ---------------------------------------------------------------------------


def _context(
    variable: Variable,
    found: PlaceContext | None,
    geo: Geography,
    medians: tuple[MedianPhrases, MedianPhrases],
) -> Context | None:
    if found is None:
        return None
    nation_rank, state_rank, nation_median, state_median = context_phrases(
        variable, found, geo.geo_level, geo.state_name, medians
    )
    return Context(
        **found.numbers(),
        nation_rank=nation_rank,
        state_rank=state_rank,
        nation_median=nation_median,
        state_median=state_median,
    )


def _numbers(cells: Sequence[Cell]) -> list[float | None]:
    """Every value and interval end of some cells (what a chart's value axis must hold)."""
    return [n for c in cells for n in (c.obs.value, c.obs.lb, c.obs.ub)]


def _trend(
    metric: Metric, cells: dict[str, list[Observation]], index: int, geo_level: GeoLevel
) -> Trend | None:
    headline = metric.headline
    plotted_vars = charts.plotted_variables(metric)
    series: list[Series] = []
    # In one pass over the cells: the headline's points, the years with a value, and every
    # value and interval end (what the value axis must hold).
    points: list[tuple[int, charts.Point]] = []
    years: list[int] = []
    numbers: list[float | None] = []
    has_ci = False
    for variable in plotted_vars:
        ordered = sorted(cells.get(variable.name, []), key=_year)
        if not ordered:
            continue
        label = charts.series_label(variable, plotted_vars)
        series.append(Series(label, variable, tuple([Cell(o, variable, label) for o in ordered])))
        for o in ordered:
            numbers += (o.value, o.lb, o.ub)
            has_ci = has_ci or o.lb is not None
            if o.value is not None:
                years.append(o.year)
                if variable is headline:
                    points.append((o.year, charts.Point(label, o.value, o.lb, o.ub, o.quality)))
    if not series:
        return None
    summary = charts.describe_trend(headline, points)
    if len(plotted_vars) > 1:
        summary = f"{headline.label}: {summary[0].lower()}{summary[1:]}"
    frame = charts.trend_frame(
        headline,
        metric.years.get(geo_level, ()),
        years,
        numbers,
        metric.breaks_for(geo_level),
    )
    return Trend(f"c{index}t", headline.unit, summary, tuple(series), len(years), has_ci, frame)


def _year(obs: Observation) -> int:
    return obs.year


def _breakdowns(
    catalog: Catalog,
    metric: Metric,
    cells: dict[tuple[str, str], list[Observation]],
    year: int | None,
    wanted: str | None,
    index: int,
    overall: Sequence[Observation] = (),
) -> tuple[Breakdown, ...]:
    """The headline's breakdowns; ``overall``: the headline's own cells, every year."""
    variable = metric.headline
    headline_of = {o.year: o for o in overall}
    shown: list[tuple[SubgroupType, int, list[Observation]]] = []
    for subgroup_type in catalog.subgroup_types:
        group_cells = cells.get((variable.name, subgroup_type.id))
        if not group_cells:  # most of the catalog's types, for most measures
            continue
        years = sorted(
            {o.year for o in group_cells if o.subgroup != ALL_LABEL and o.value is not None}
        )
        if year is not None:
            years = [y for y in years if y <= year]
        if years:
            shown.append(
                (subgroup_type, years[-1], [o for o in group_cells if o.year == years[-1]])
            )
    if not shown:
        return ()
    # The tab shown first: the breakdown asked for, else the first.
    chosen_type = wanted if any(t.id == wanted for t, _, _ in shown) else shown[0][0].id
    found: list[Breakdown] = []
    for subgroup_type, pick, chosen in shown:
        groups = tuple(Cell(o, variable, o.subgroup) for o in chosen if o.subgroup != ALL_LABEL)
        total_obs = next((o for o in chosen if o.subgroup == ALL_LABEL), None)
        total = Cell(total_obs, variable, "Total for this breakdown") if total_obs else None
        published = [g.point() for g in groups if g.obs.value is not None]
        total_point = total.point() if total and total.obs.value is not None else None
        summary = charts.describe_subgroups(
            variable, pick, subgroup_type.label, published, total_point
        )
        found.append(
            Breakdown(
                subgroup_type=subgroup_type.id,
                label=subgroup_type.label,
                variable=variable,
                year=pick,
                chart_id=f"c{index}s{len(found)}",
                summary=summary,
                groups=groups,
                total=total,
                selected=subgroup_type.id == chosen_type,
                total_note=total_note(metric, variable, headline_of.get(pick), total_obs),
                frame=charts.value_frame(
                    variable, _numbers((*groups, *([total] if total else [])))
                ),
            )
        )
    return tuple(found)


def publication_years(catalog: Catalog, geo_level: str) -> tuple[int, ...]:
    """Every year with data for counties (or cities), for the year selector."""
    level = cast(GeoLevel, geo_level)
    return tuple(sorted({y for m in catalog.metrics_for(level) for y in m.years[level]}))


def build_profile_page(
    release: Release,
    geo: Geography,
    year: int | None = None,
    breakdown: str | None = None,
) -> ProfilePage:
    """Everything the profile page shows for a place (and ``year``, ``breakdown``)."""
    catalog = release.catalog
    profile, cells, contexts = release.profile_series_and_context(geo, year=year)
    overall: dict[str, list[Observation]] = defaultdict(list)
    by_group: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for obs in cells:
        if obs.subgroup_type == ALL_TYPE:
            overall[obs.variable].append(obs)
        else:
            by_group[(obs.variable, obs.subgroup_type)].append(obs)
    # The national medians' phrases are the same on the page of every place of this kind,
    # the state's on that of every place of the state: worded once per release.
    medians: tuple[MedianPhrases, MedianPhrases] = (
        release.keep("median_phrases", (geo.geo_level, "nation"), dict, MEDIAN_PHRASES_KEPT),
        release.keep("median_phrases", (geo.geo_level, geo.state_fips), dict, MEDIAN_PHRASES_KEPT),
    )
    views = {}
    for index, (metric_id, entries) in enumerate(_entries_by_metric(profile).items()):
        metric = catalog.metric(metric_id)
        views[metric_id] = _metric_view(
            catalog,
            geo,
            metric,
            entries,
            overall,
            by_group,
            contexts,
            year,
            breakdown,
            index,
            medians,
        )
    years = publication_years(catalog, geo.geo_level)

    def glance() -> Glance:
        headlines = [e for e in profile.entries if e.variable.headline]
        return build_glance(
            catalog, geo, release.scope_comparisons(geo, headlines, cells, contexts)
        )

    # The glance does not depend on the breakdown shown: one per place and year, kept
    # beside the rendered profiles (a breakdown's tab is another page of the same place).
    kept = release.keep("glances", (geo.geoid, year), glance, GLANCE_CACHE_SIZE)
    return ProfilePage(profile, year, breakdown, views, years, kept, cells, contexts)


def _entries_by_metric(profile: Profile) -> dict[str, list[ProfileEntry]]:
    """The profile's entries by metric id, in the order of the page."""
    groups: dict[str, list[ProfileEntry]] = {}
    for section in profile.pillars:
        for pred in section.predictors:
            for metric_id in pred.predictor.metric_ids:
                groups[metric_id] = [e for e in pred.entries if e.metric.id == metric_id]
    return groups


def _metric_view(
    catalog: Catalog,
    geo: Geography,
    metric: Metric,
    entries: Sequence[ProfileEntry],
    overall: dict[str, list[Observation]],
    by_group: dict[tuple[str, str], list[Observation]],
    contexts: dict[tuple[str, int], PlaceContext],
    year: int | None,
    breakdown: str | None,
    index: int,
    medians: tuple[MedianPhrases, MedianPhrases],
) -> MetricView:
    values = []
    for entry in entries:
        obs = entry.observation
        cell = Cell(obs, entry.variable, entry.variable.label) if obs else None
        context = None
        if obs is not None and obs.value is not None:
            context = _context(entry.variable, contexts.get((obs.variable, obs.year)), geo, medians)
        values.append(ValueRow(entry, cell, context))
    return MetricView(
        metric=metric,
        values=tuple(values),
        trend=_trend(metric, overall, index, geo.geo_level),
        breakdowns=_breakdowns(
            catalog, metric, by_group, year, breakdown, index, overall.get(metric.headline.name, ())
        ),
        direction_note=direction_note(metric.direction),
    )
