"""Deciding what each file of a release is, through its release map.

:func:`place` returns a new :class:`~upward.data.source.SourceFile` with its kind
(overall, subgroup or combined metric file, universe, crosswalk, or skipped with the
reason) and its columns under the catalog's names, or the :class:`MalformedFile` that
says why the file cannot be taken for anything without losing something (a bound or
quality column whose value column is missing, a quality flag that names no variable).
Files that need more than a rename (a column copied to several, years written as a
subgroup, ratios written with percent signs) are rewritten once into the scratch folder.
Nothing is changed in place: each stage returns a new record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from upward.catalog import Catalog
from upward.data.contract import DESCRIPTIVE_COLUMNS, GEO_COLUMNS, FileKind, MalformedFile
from upward.data.release_map import FileRule, ReleaseMap
from upward.data.source import SourceFile, read_table
from upward.data.universe import is_crosswalk_file, is_universe_file

KEY_COLUMNS = ("year", "state", *GEO_COLUMNS, "subgroup_type", "subgroup")
SKIPPED_FOLDERS = ("raw", "temp")


@dataclass(frozen=True)
class Placement:
    """A file as placed, or, with ``problem``, as far as placing it got and why it stopped.

    The file keeps the notes gathered before the problem, so a file left out of a
    partial load is reported with them.
    """

    source: SourceFile
    problem: MalformedFile | None = None


def place(
    source: SourceFile,
    catalog: Catalog,
    release_map: ReleaseMap | None,
    scratch: Path,
) -> Placement:
    """Classify ``source`` and put its columns under the catalog's names (a new record)."""
    rule = release_map.rule(source.relpath) if release_map else None
    if rule and rule.use == "skip":
        return Placement(replace(source, kind="ignored").noted(f"not used: {rule.why}"))
    if release_map and rule is None:
        source = source.noted(
            f"not listed in the map of release {release_map.name}; placed by its column names"
        )
    targets = _targets(source, catalog, release_map, rule)
    source = source.noted(*_case_notes(source.columns, targets))
    try:
        renamed = _rename_columns(source, targets, rule, scratch)
    except MalformedFile as problem:
        return Placement(source, problem)
    try:
        return Placement(_classify(renamed, catalog, rule, release_map))
    except MalformedFile as problem:
        return Placement(renamed, problem)


def _case_fixed(column: str, catalog: Catalog) -> str:
    """The catalog's or a key column's spelling of a header written in another case."""
    if column in KEY_COLUMNS or catalog.column_ref(column) is not None:
        return column
    lower = column.lower()
    if lower in KEY_COLUMNS or catalog.column_ref(lower) is not None:
        return lower
    return column


def _targets(
    source: SourceFile, catalog: Catalog, release_map: ReleaseMap | None, rule: FileRule | None
) -> list[tuple[str, ...]]:
    """The catalog column (or columns) each of the file's columns is read as."""
    original = source.columns
    targets = release_map.renames(rule, original) if release_map else [(c,) for c in original]
    return [tuple(_case_fixed(t, catalog) for t in group) for group in targets]


def _case_notes(columns: tuple[str, ...], targets: list[tuple[str, ...]]) -> Iterator[str]:
    """A note for each header read in the catalog's (lower) case."""
    for column, group in zip(columns, targets, strict=True):
        if group != (column,) and group == (column.lower(),):
            yield f"header '{column}' read as '{group[0]}'"


def _rename_columns(
    source: SourceFile, targets: list[tuple[str, ...]], rule: FileRule | None, scratch: Path
) -> SourceFile:
    """The file under the catalog's columns: renamed, or rewritten when a rename is not enough."""
    original = source.columns
    flat = [t for group in targets for t in group]
    seen = {t for t in flat if flat.count(t) > 1}
    if seen:
        first = sorted(seen)[0]
        raise MalformedFile(
            source.relpath, 1, first, "two columns of the file would both be read as this column"
        )
    if (rule and rule.needs_rewrite) or any(len(g) > 1 for g in targets):
        return _rewrite(source, targets, rule, scratch)
    if flat != list(original):
        return replace(
            source, original_columns=dict(zip(flat, original, strict=True)), columns=tuple(flat)
        )
    return source


def _rewrite(
    source: SourceFile, targets: list[tuple[str, ...]], rule: FileRule | None, scratch: Path
) -> SourceFile:
    """Write a copy of the file under the catalog's columns, with the map's repairs."""
    con = duckdb.connect()
    try:
        read_table(con, source, dict.fromkeys(source.columns, "VARCHAR"), table="src")
        selects, names, origin = [], [], {}
        year_from_subgroup = bool(rule and rule.year_from_subgroup)
        for column, group in zip(source.columns, targets, strict=True):
            if year_from_subgroup and column in ("subgroup", "subgroup_type"):
                continue
            for target in group:
                expression = _q(column)
                if rule and rule.percent_ratio and ":" in _sample(con, column):
                    expression = _percent_pair(column)
                if rule and column in rule.x_to_one:
                    expression = (
                        f"CASE WHEN {_q(column)} LIKE '%:1' "
                        f"THEN split_part({_q(column)}, ':', 1) ELSE {_q(column)} END"
                    )
                selects.append(f"{expression} AS {_q(target)}")
                names.append(target)
                origin[target] = column
        if year_from_subgroup:
            selects.insert(0, "trim(subgroup) AS year")
            names.insert(0, "year")
            origin["year"] = "subgroup"
        copy = scratch / f"mapped-{abs(hash(source.relpath))}.csv"
        con.execute(
            f"COPY (SELECT {', '.join(selects)} FROM src ORDER BY rowid) TO '{copy}' "
            "(HEADER, DELIMITER ',')"
        )
    finally:
        con.close()
    notes = []
    if year_from_subgroup:
        notes.append("years read from the subgroup column (subgroup_type 'Year')")
    if rule and rule.percent_ratio:
        notes.append("ratio pairs written in percent (11.9%:24.6%) read as shares")
    rewritten = replace(source, readable_path=copy, columns=tuple(names), original_columns=origin)
    return rewritten.noted(*notes)


def _sample(con: duckdb.DuckDBPyConnection, column: str) -> str:
    row = con.execute(f"SELECT any_value({_q(column)}) FROM src").fetchone()
    return str(row[0]) if row and row[0] is not None else ""


def _percent_pair(column: str) -> str:
    """``'11.9%:24.6%'`` -> ``'0.119:0.246'``; a pair that is not two numbers -> missing."""
    part = "try_cast(trim(replace(split_part({c}, ':', {i}), '%', '')) AS DOUBLE) / 100"
    left, right = (part.format(c=_q(column), i=i) for i in (1, 2))
    return (
        f"CASE WHEN strpos({_q(column)}, '%') = 0 THEN {_q(column)} "
        f"WHEN isfinite({left}) AND isfinite({right}) "
        f"THEN CAST(round({left}, 6) AS VARCHAR) || ':' || CAST(round({right}, 6) AS VARCHAR) "
        "END"
    )


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _classify(
    source: SourceFile, catalog: Catalog, rule: FileRule | None, release_map: ReleaseMap | None
) -> SourceFile:
    """The file with its kind (and geography column), as the map's rule or its columns say."""
    if rule and rule.use in ("universe", "crosswalk"):
        fits = is_universe_file if rule.use == "universe" else is_crosswalk_file
        if not fits(source.columns):
            raise MalformedFile(
                source.relpath,
                1,
                None,
                f"the release map says this is a {rule.use} file, but its columns "
                f"({', '.join(source.columns)}) are not those of one",
            )
        return replace(source, kind=rule.use, geo_column=_population_geo(source))
    ignored = release_map.ignore if release_map else {}
    columns = set(source.columns)
    values = [c for c in source.columns if catalog.column_variable(c) is not None]
    if not values and is_universe_file(source.columns):
        return replace(source, kind="universe", geo_column=_population_geo(source))
    if is_crosswalk_file(source.columns):
        return replace(source, kind="crosswalk")
    _refuse_orphans(source, catalog, values, ignored)
    geo = next((c for c in GEO_COLUMNS if c in columns), None)
    missing = [c for c in ("year", "state") if c not in columns]
    if geo is None:
        missing.append("county or place")
    if values and missing:
        # Mobility Metrics columns without their keys: a broken file, not a foreign one.
        raise MalformedFile(
            source.relpath,
            1,
            missing[0],
            f"required column '{missing[0]}' is missing from the header "
            f"(the file holds {', '.join(values[:3])})",
        )
    if not values or missing:
        why = f"no column {', '.join(missing)}" if missing else "no column the catalog knows"
        return replace(source, kind="ignored").noted(
            f"not used: not a Mobility Metrics file ({why})"
        )
    kind = _metric_kind(source, rule)
    return replace(source, kind=kind, geo_column=geo).noted(
        *_column_notes(source, catalog, ignored)
    )


def _population_geo(source: SourceFile) -> str:
    return "county" if "county" in source.columns else "place"


def _metric_kind(source: SourceFile, rule: FileRule | None) -> FileKind:
    if rule and rule.kind:
        return rule.kind  # type: ignore[return-value]
    if source.is_combined:
        return "combined"
    has_subgroups = "subgroup" in source.columns and "subgroup_type" in source.columns
    return "subgroup" if has_subgroups else "overall"


def _column_notes(source: SourceFile, catalog: Catalog, ignored: dict[str, str]) -> Iterator[str]:
    """A note for each column the load does not read."""
    known = set(DESCRIPTIVE_COLUMNS) | set(KEY_COLUMNS)
    for column in source.columns:
        original = source.original(column)
        if original in ignored:
            yield f"column '{original}' not read: {ignored[original]}"
        elif column not in known and catalog.column_ref(column) is None:
            yield f"column '{original}' is not in the catalog; ignored"


def _refuse_orphans(
    source: SourceFile, catalog: Catalog, values: list[str], ignored: dict[str, str]
) -> None:
    """Refuse a bound or quality column that would be dropped or attached to nothing.

    A quality column whose own value column is in the file but not in the catalog
    (``transportation_cost_quality`` beside ``transportation_cost``) rates a variable
    Upward does not read, and is ignored with it.
    """
    present = set(source.columns)
    for column in source.columns:
        if source.original(column) in ignored:
            continue
        ref = catalog.column_ref(column)
        if ref is not None and ref.role != "value":
            base = next(
                (c for c in ref.variable.columns() if c in present and catalog.column_variable(c)),
                None,
            )
            if base is None:
                raise MalformedFile(
                    source.relpath,
                    1,
                    source.original(column),
                    f"the file has this {ref.role} column of '{ref.variable.name}' but not "
                    f"its value column '{ref.variable.name}'",
                )
        elif (
            ref is None
            and column.endswith("_quality")
            and column.removesuffix("_quality") not in present
            and values
        ):
            raise MalformedFile(
                source.relpath,
                1,
                source.original(column),
                "this quality column names no catalog variable, so the values it rates would "
                "lose their quality flag; name its variable in the release map "
                "(draft one with: upward data map draft DIR)",
            )
