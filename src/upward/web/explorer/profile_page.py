"""The view model of a place profile: every number on the page, formatted once.

``build_profile_page`` reads the release (every cell of the place, from which its
profile is built, and its standings: two queries; benchmarks are kept by the
release) and returns frozen objects the template only walks. The
same objects feed the ``.json`` twin and the CSV and XLSX downloads
(:mod:`upward.web.explorer.profile_export`), so the page and its files cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

from upward.catalog import Catalog, GeoLevel, Metric, Pillar, Predictor, Variable
from upward.explore import Geography, Observation, OtherValue, PlaceContext, ProfileEntry, Release
from upward.reports import charts
from upward.reports.numbers import format_ci, format_number, unit_suffix
from upward.web.explorer.standing_text import context_phrases, direction_note

WEAK_CAUTION = "Weak quality: too uncertain to draw conclusions."
NO_CI = "No confidence interval published"


def other_text(other: OtherValue, variable: Variable) -> str:
    """ "path, line N: value" for another file's value of a cell."""
    shown = other.value_text or (
        format_number(variable, other.value) if other.value is not None else "no value"
    )
    return f"{other.source_file}, line {other.source_line}: {shown}"


@dataclass(frozen=True)
class Cell:
    """One published (or withheld) value, with its display strings and raw numbers."""

    variable: Variable
    year: int
    subgroup_type: str
    subgroup: str
    value: float | None
    lb: float | None
    ub: float | None
    quality: str | None
    quality_code: int | None
    value_text: str | None
    status: str
    status_text: str
    label: str
    """Row label: the series (variable) label or the group name."""
    source_file: str = ""
    source_line: int | None = None
    others: tuple[OtherValue, ...] = ()
    """Other files of the release that publish a different value for this cell."""

    @property
    def source(self) -> str:
        """Where the value comes from: "path, line N"."""
        if not self.source_file:
            return ""
        return (
            f"{self.source_file}, line {self.source_line}" if self.source_line else self.source_file
        )

    @property
    def display(self) -> str:
        if self.value is None and self.parts is not None:
            return "no ratio"  # a published "0.000:0.000" pair: the group holds no homes
        return format_number(self.variable, self.value) if self.value is not None else ""

    @property
    def ci(self) -> str:
        text = format_ci(self.variable, self.lb, self.ub)
        return text.removeprefix("95% CI ") if text else ""

    @property
    def parts(self) -> tuple[float, float] | None:
        """For a:b ratio pairs: the two shares (group's share of home value, of households)."""
        if not self.value_text or ":" not in self.value_text:
            return None
        left, _, right = self.value_text.partition(":")
        return float(left), float(right)

    @property
    def parts_display(self) -> str:
        parts = self.parts
        if parts is None:
            return ""
        return f"{parts[0]:.1%} of home value, {parts[1]:.1%} of households"

    @property
    def weak(self) -> bool:
        return self.quality == "Weak"

    def point(self) -> charts.Point:
        assert self.value is not None
        return charts.Point(self.label, self.value, self.lb, self.ub, self.quality)


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
    chart: str
    """Template key, 'trend:share'."""
    summary: str
    series: tuple[Series, ...]
    plotted: int
    has_ci: bool

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
    chart: str
    summary: str
    groups: tuple[Cell, ...]
    total: Cell | None
    selected: bool

    @property
    def rows(self) -> tuple[Cell, ...]:
        return self.groups + ((self.total,) if self.total else ())

    @property
    def has_ci(self) -> bool:
        return any(c.lb is not None for c in self.rows)


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


@dataclass(frozen=True)
class PredictorView:
    predictor: Predictor
    metrics: tuple[MetricView, ...]


@dataclass(frozen=True)
class PillarView:
    pillar: Pillar
    predictors: tuple[PredictorView, ...]


@dataclass(frozen=True)
class ProfilePage:
    geography: Geography
    year: int | None
    breakdown: str | None
    pillars: tuple[PillarView, ...]
    years: tuple[int, ...]
    """Years with data for this kind of place (for the year selector)."""

    @property
    def metrics(self) -> tuple[MetricView, ...]:
        return tuple(m for p in self.pillars for s in p.predictors for m in s.metrics)

    def chart_keys(self) -> set[tuple[str, str]]:
        keys: set[tuple[str, str]] = set()
        for metric in self.metrics:
            charts_here = [metric.trend, *metric.breakdowns]
            for chart in charts_here:
                if chart is not None:
                    kind, _, unit = chart.chart.partition(":")
                    keys.add((kind, unit))
        return keys


# -- building ---------------------------------------------------------------------------


def _cell(obs: Observation, variable: Variable, label: str) -> Cell:
    return Cell(
        variable=variable,
        year=obs.year,
        subgroup_type=obs.subgroup_type,
        subgroup=obs.subgroup,
        value=obs.value,
        lb=obs.lb,
        ub=obs.ub,
        quality=obs.quality,
        quality_code=obs.quality_code,
        value_text=obs.value_text,
        status=obs.status,
        status_text=obs.status_text,
        label=label,
        source_file=obs.source_file,
        source_line=obs.source_line,
        others=obs.others,
    )


def _context(variable: Variable, found: PlaceContext | None, geo: Geography) -> Context | None:
    if found is None:
        return None
    nation_rank, state_rank, nation_median, state_median = context_phrases(
        variable, found, geo.geo_level, geo.state_name
    )
    standing, nation, state = found.standing, found.nation, found.state
    return Context(
        pct_nation=standing.pct_nation if standing else None,
        n_nation=standing.n_nation if standing else None,
        pct_state=standing.pct_state if standing else None,
        n_state=standing.n_state if standing else None,
        median_nation=nation.median if nation else None,
        n_median_nation=nation.n if nation else None,
        median_state=state.median if state else None,
        n_median_state=state.n if state else None,
        tied_nation=standing.tied_nation if standing else None,
        tied_state=standing.tied_state if standing else None,
        below_nation=standing.below_nation if standing else None,
        below_state=standing.below_state if standing else None,
        weak_median_nation=nation.n_weak if nation else None,
        weak_median_state=state.n_weak if state else None,
        nation_rank=nation_rank,
        state_rank=state_rank,
        nation_median=nation_median,
        state_median=state_median,
    )


def _trend(metric: Metric, cells: dict[str, list[Observation]], index: int) -> Trend | None:
    headline = metric.headline
    plotted_vars = [v for v in metric.variables if v.unit == headline.unit]
    series: list[Series] = []
    for variable in plotted_vars:
        label = variable.label if len(plotted_vars) > 1 else "Value"
        ordered = sorted(cells.get(variable.name, []), key=_year)
        rows = [_cell(o, variable, label) for o in ordered]
        if rows:
            series.append(Series(label, variable, tuple(rows)))
    every = [c for s in series for c in s.rows]
    if not every:
        return None
    points = [(c.year, c.point()) for c in every if c.variable is headline and c.value is not None]
    summary = charts.describe_trend(headline, points)
    if len(plotted_vars) > 1:
        summary = f"{headline.label}: {summary[0].lower()}{summary[1:]}"
    plotted = sum(1 for c in every if c.value is not None)
    has_ci = any(c.lb is not None for c in every)
    return Trend(
        f"c{index}t", f"{charts.TREND}:{headline.unit}", summary, tuple(series), plotted, has_ci
    )


def _year(obs: Observation) -> int:
    return obs.year


def _breakdowns(
    catalog: Catalog,
    metric: Metric,
    cells: dict[tuple[str, str], list[Observation]],
    year: int | None,
    wanted: str | None,
    index: int,
) -> tuple[Breakdown, ...]:
    variable = metric.headline
    found: list[Breakdown] = []
    for subgroup_type in catalog.subgroup_types:
        group_cells = cells.get((variable.name, subgroup_type.id), [])
        years = sorted({o.year for o in group_cells if o.subgroup != "All" and o.value is not None})
        if year is not None:
            years = [y for y in years if y <= year]
        if not years:
            continue
        pick = years[-1]
        chosen = [o for o in group_cells if o.year == pick]
        groups = tuple(_cell(o, variable, o.subgroup) for o in chosen if o.subgroup != "All")
        total_obs = next((o for o in chosen if o.subgroup == "All"), None)
        total = _cell(total_obs, variable, "Total for this breakdown") if total_obs else None
        published = [g.point() for g in groups if g.value is not None]
        total_point = total.point() if total and total.value is not None else None
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
                chart=f"{charts.SUBGROUP}:{variable.unit}",
                summary=summary,
                groups=groups,
                total=total,
                selected=False,
            )
        )
    if not found:
        return ()
    chosen_type = wanted if any(b.subgroup_type == wanted for b in found) else None
    chosen_type = chosen_type or found[0].subgroup_type
    return tuple(_select(b, b.subgroup_type == chosen_type) for b in found)


def _select(breakdown: Breakdown, selected: bool) -> Breakdown:
    return replace(breakdown, selected=selected)


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
    profile, cells = release.profile_and_series(geo, year=year)
    overall: dict[str, list[Observation]] = defaultdict(list)
    by_group: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for obs in cells:
        if obs.subgroup_type == "all":
            overall[obs.variable].append(obs)
        else:
            by_group[(obs.variable, obs.subgroup_type)].append(obs)
    wanted = [
        (e.variable.name, e.observation.year)
        for e in profile.entries
        if e.observation is not None and e.observation.value is not None
    ]
    contexts = release.place_context(geo, wanted)
    index = 0
    pillars = []
    for section in profile.pillars:
        predictors = []
        for pred in section.predictors:
            views = []
            for metric_id in pred.predictor.metric_ids:
                metric = catalog.metric(metric_id)
                entries = [e for e in pred.entries if e.metric.id == metric_id]
                views.append(
                    _metric_view(
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
                    )
                )
                index += 1
            predictors.append(PredictorView(pred.predictor, tuple(views)))
        pillars.append(PillarView(section.pillar, tuple(predictors)))
    years = publication_years(catalog, geo.geo_level)
    return ProfilePage(geo, year, breakdown, tuple(pillars), years)


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
) -> MetricView:
    values = []
    for entry in entries:
        obs = entry.observation
        cell = _cell(obs, entry.variable, entry.variable.label) if obs else None
        context = None
        if obs is not None and obs.value is not None:
            context = _context(entry.variable, contexts.get((obs.variable, obs.year)), geo)
        values.append(ValueRow(entry, cell, context))
    return MetricView(
        metric=metric,
        values=tuple(values),
        trend=_trend(metric, overall, index),
        breakdowns=_breakdowns(catalog, metric, by_group, year, breakdown, index),
        direction_note=direction_note(metric.direction),
    )
