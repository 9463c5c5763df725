"""Terminal and file renderings of query results: rich tables, JSON and CSV."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from upward.catalog import ALL_LABEL, ALL_TYPE, MARGINAL, STRONG, WEAK, Catalog
from upward.data.model import Geography, Observation, Profile, ReleaseInfo
from upward.reports.downloads import to_csv
from upward.reports.numbers import format_bounds, format_count, format_value, unit_suffix

OBSERVATION_FIELDS = (
    "geoid", "geo_level", "year", "metric", "variable", "subgroup_type", "subgroup",
    "value", "lb", "ub", "quality", "value_text", "source_file",
)  # fmt: skip

GEOGRAPHY_FIELDS = (
    "geoid", "geo_level", "name", "display_name", "state_fips", "state_abbr", "state_name",
    "population", "population_year", "first_year", "last_year", "current",
)  # fmt: skip

QUALITY_STYLE: dict[str, str] = {
    STRONG: "green",
    MARGINAL: "yellow",
    WEAK: "red",
}


def observations_csv(cells: Iterable[Observation]) -> str:
    """One row per cell (JSON has its one shape in :mod:`upward.explore.shapes`)."""
    return to_csv(({f: getattr(c, f) for f in OBSERVATION_FIELDS} for c in cells),
                  OBSERVATION_FIELDS)  # fmt: skip


def geographies_csv(places: Sequence[Geography]) -> str:
    fields = GEOGRAPHY_FIELDS if places else ("geoid",)
    return to_csv(({f: getattr(p, f) for f in fields} for p in places), fields)


def _quality(label: str | None) -> Text:
    if not label:
        return Text("–", style="dim")
    return Text(label, style=QUALITY_STYLE.get(label, ""))


def profile_table(profile: Profile, catalog: Catalog) -> Group:
    geo = profile.geography
    title = f"{geo.display_name} ({geo.geo_level}, FIPS {geo.geoid})"
    if geo.population:
        title += f" · population {format_count(geo.population)} ({geo.population_year})"
    parts: list[Any] = [Text(title, style="bold")]
    subgroup_cells: dict[str, list[Observation]] = {}
    for cell in profile.subgroups:
        subgroup_cells.setdefault(cell.variable, []).append(cell)
    for section in profile.pillars:
        table = Table(title=section.pillar.label, title_justify="left", expand=True)
        table.add_column("Predictor / metric", ratio=5)
        table.add_column("Year", justify="right")
        table.add_column("Value", justify="right", ratio=2)
        table.add_column("95% CI", ratio=2)
        table.add_column("Quality")
        for predictor in section.predictors:
            table.add_row(Text(predictor.predictor.label, style="bold cyan"), "", "", "", "")
            for entry in predictor.entries:
                obs = entry.observation
                label = f"  {entry.variable.label}"
                if obs is None or obs.value is None:
                    table.add_row(
                        label,
                        str(obs.year) if obs else "",
                        entry.status_text[:60],
                        "",
                        _quality(obs.quality if obs else None),
                    )
                    continue
                value = format_value(entry.variable, obs.value, obs.value_text)
                suffix = unit_suffix(entry.variable)
                table.add_row(
                    label,
                    str(obs.year),
                    f"{value} {suffix}".strip() if entry.variable.kind != "ratio_pair" else value,
                    format_bounds(entry.variable, obs.lb, obs.ub),
                    _quality(obs.quality),
                )
                for cell in subgroup_cells.get(entry.variable.name, []):
                    shown = (
                        format_value(entry.variable, cell.value, cell.value_text)
                        if cell.value is not None
                        else cell.status.replace("_", " ")
                    )
                    table.add_row(
                        Text(f"      {cell.subgroup}", style="dim"),
                        str(cell.year),
                        shown,
                        format_bounds(entry.variable, cell.lb, cell.ub),
                        _quality(cell.quality),
                    )  # fmt: skip
        parts.append(table)
    parts.append(
        Text(
            "Source: Urban Institute, Boosting Upward Mobility: Metrics to Inform Local Action. "
            "Quality: Strong = no substantial concerns; Marginal = use with care; "
            "Weak = do not draw conclusions.",
            style="dim",
        )
    )
    return Group(*parts)


def series_table(cells: Sequence[Observation], catalog: Catalog) -> Table:
    table = Table(expand=True)
    for name in ("Variable", "Subgroup", "Year", "Value", "95% CI", "Quality"):
        table.add_column(name, justify="right" if name in ("Year", "Value") else "left")
    for cell in cells:
        variable = catalog.variable(cell.variable)
        subgroup = (
            ALL_LABEL
            if cell.subgroup_type == ALL_TYPE
            else f"{cell.subgroup_type}: {cell.subgroup}"
        )
        table.add_row(
            cell.variable,
            subgroup,
            str(cell.year),
            (
                format_value(variable, cell.value, cell.value_text)
                if cell.value is not None
                else cell.status.replace("_", " ")
            ),
            format_bounds(variable, cell.lb, cell.ub),
            _quality(cell.quality),
        )  # fmt: skip
    return table


def places_table(places: Sequence[Geography]) -> Table:
    table = Table()
    for name in ("FIPS", "Name", "Kind", "State", "Population"):
        table.add_column(name)
    for geo in places:
        pop = format_count(geo.population) if geo.population else ""
        table.add_row(geo.geoid, geo.display_name, geo.geo_level, geo.state_name, pop)
    return table


def status_table(info: ReleaseInfo, files: list[dict[str, Any]]) -> Group:
    summary = Table.grid(padding=(0, 2))
    summary.add_row("Warehouse", info.path)
    summary.add_row("Source", info.source)
    summary.add_row("Version", info.version)
    summary.add_row("Loaded from", info.source_dir)
    summary.add_row(
        "Loaded at", f"{info.loaded_at:%Y-%m-%d %H:%M %Z} by upward {info.upward_version}"
    )
    summary.add_row(
        "Files", f"{info.files} ({info.files_verified} match Urban's published checksums)"
    )
    summary.add_row("Places", f"{info.counties:,} counties, {info.cities:,} cities")
    summary.add_row("Observations", f"{info.observations:,}")
    table = Table(title="Files", title_justify="left")
    for name in ("File", "Kind", "Rows", "Rejected", "Cells", "Checksum"):
        table.add_column(name, justify="right" if name in ("Rows", "Rejected", "Cells") else "left")
    for f in files:
        check = {True: "matches", False: "differs", None: "not in manifest"}[f["matches_manifest"]]
        table.add_row(
            f["path"],
            f["kind"],
            f"{f['rows']:,}",
            f"{f['rows_rejected']:,}",
            f"{f['cells']:,}",
            check,
        )
    return Group(summary, table)
