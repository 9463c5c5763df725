"""Check one per-metric file against the contract and stage its cells as observations."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from upward.catalog import ALL_LABEL, ALL_TYPE, Catalog, Variable
from upward.data import schema
from upward.data.contract import (
    GEO_COLUMNS,
    QUALITY_CODES,
    MalformedFile,
    Rejection,
    is_fips_sql,
    is_ratio_pair_sql,
    pad_fips_sql,
    ratio_pair_sql,
)
from upward.data.source import SourceFile, read_table
from upward.data.universe import STATES


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class StagedFile:
    rows: int = 0
    cells: int = 0
    metrics: tuple[str, ...] = ()
    rejections: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ValueColumns:
    """A published variable's columns in one file."""

    column: str
    variable: Variable
    lb: str | None
    ub: str | None
    quality: str | None


def _value_columns(source: SourceFile, catalog: Catalog) -> list[ValueColumns]:
    present = set(source.columns)
    out = []
    for column in source.columns:
        variable = catalog.column_variable(column)
        if variable is None:
            continue
        out.append(
            ValueColumns(
                column=column,
                variable=variable,
                lb=f"{column}_lb" if f"{column}_lb" in present else None,
                ub=f"{column}_ub" if f"{column}_ub" in present else None,
                quality=f"{column}_quality" if f"{column}_quality" in present else None,
            )
        )
    return out


def _column_types(source: SourceFile, value_columns: list[ValueColumns]) -> dict[str, str]:
    """DuckDB types for the read: numbers as DOUBLE, everything else as text."""
    types = dict.fromkeys(source.columns, "VARCHAR")
    for vc in value_columns:
        if vc.variable.kind == "number":
            types[vc.column] = "DOUBLE"
        for bound in (vc.lb, vc.ub):
            if bound:
                types[bound] = "DOUBLE"
    return types


@dataclass(frozen=True)
class Check:
    """A contract rule evaluated over every row: ``bad`` is a SQL condition on ``raw``."""

    column: str
    bad: str
    message: str
    """Formatted with the offending text as {value}."""


def _key_checks(geo: str, width: int) -> list[Check]:
    year = "try_cast(trim(year) AS INTEGER)"
    checks = [
        Check(
            "year",
            f"{year} IS NULL OR {year} NOT BETWEEN 1900 AND 2100",
            "'{value}' is not a four-digit year",
        )
    ]
    states = ", ".join(_lit(fips) for fips in STATES)
    checks.append(
        Check(
            "state",
            f"{is_fips_sql('state', 2)} AND {pad_fips_sql('state', 2)} NOT IN ({states})",
            "'{value}' is not the FIPS code of a state, DC or Puerto Rico",
        )
    )
    for column, size in (("state", 2), (geo, width)):
        checks.append(
            Check(
                column,
                f"NOT {is_fips_sql(_q(column), size)}",
                f"'{{value}}' is not a FIPS code of {size} digits",
            )
        )
    return checks


def _value_checks(vc: ValueColumns) -> list[Check]:
    checks = []
    if vc.variable.kind == "ratio_pair":
        checks.append(
            Check(
                vc.column,
                f"{_q(vc.column)} IS NOT NULL AND NOT {is_ratio_pair_sql(_q(vc.column))}",
                "'{value}' is not a ratio of the form a:b",
            )
        )
    numeric = [vc.lb, vc.ub] + ([vc.column] if vc.variable.kind == "number" else [])
    for column in filter(None, numeric):
        checks.append(
            Check(column, f"NOT isfinite({_q(column)})", "'{value}' is not a finite number")
        )
    if vc.variable.unit == "share" and vc.variable.kind == "number":
        for column in filter(None, [vc.column, vc.lb, vc.ub]):
            checks.append(
                Check(
                    column,
                    f"{_q(column)} NOT BETWEEN 0 AND 1",
                    "{value} is outside [0, 1], the range of a share "
                    "(a percentage instead of a proportion?)",
                )
            )
    if vc.quality:
        codes = ", ".join(_lit(c) for c in QUALITY_CODES)
        checks.append(
            Check(
                vc.quality,
                f"{_q(vc.quality)} IS NOT NULL AND trim({_q(vc.quality)}) NOT IN ({codes})",
                "quality code '{value}' is not 1, 2, 3 (Strong, Marginal, Weak) or missing",
            )
        )
    return checks


def _run_checks(
    con: duckdb.DuckDBPyConnection, source: SourceFile, checks: list[Check], count: str
) -> int:
    """Evaluate every rule in one scan; raise for the earliest offending row.

    Returns, from the same scan, the number of rows for which the condition ``count`` holds.
    """
    firsts = "".join(f", min(CASE WHEN {c.bad} THEN rowid END)" for c in checks)
    row = con.execute(f"SELECT count(*) FILTER (WHERE {count}){firsts} FROM raw").fetchone()
    assert row is not None
    failed = [
        (rowid, check) for rowid, check in zip(row[1:], checks, strict=True) if rowid is not None
    ]
    if not failed:
        return int(row[0])
    rowid, check = min(failed, key=lambda item: item[0])
    value = con.execute(f"SELECT {_q(check.column)} FROM raw WHERE rowid = ?", [rowid]).fetchone()
    text = "" if value is None or value[0] is None else str(value[0])
    raise MalformedFile(
        source.relpath, int(rowid) + 2, check.column, check.message.format(value=text)
    )


@dataclass(frozen=True)
class Codes:
    """The numbers a staged key gives each variable and group (:mod:`upward.data.schema`)."""

    variables: dict[str, tuple[int, str]]
    groups: dict[tuple[str, str], int]

    @property
    def pairs(self) -> dict[int, tuple[str, str]]:
        return {code: pair for pair, code in self.groups.items()}

    def where(self, test: Callable[[str, str], bool]) -> list[int]:
        """The codes of the groups (subgroup_type, subgroup) for which ``test`` is true."""
        return sorted(code for pair, code in self.groups.items() if test(*pair))


def _codes_sql(codes: list[int]) -> str:
    return ", ".join(str(c) for c in codes) or "NULL"


def _refuse_unknown_subgroups(
    con: duckdb.DuckDBPyConnection, source: SourceFile, catalog: Catalog
) -> None:
    """Raise for the first row of ``norm`` whose subgroup label is not known (no code)."""
    first = con.execute("SELECT min(line) FROM norm WHERE sg IS NULL").fetchone()
    if not first or first[0] is None:
        return
    line = int(first[0])
    kind, label = con.execute(
        "SELECT trim(subgroup_type), trim(subgroup) FROM raw WHERE rowid = ?", [line - 2]
    ).fetchone() or ("", "")
    labels = [row[0] for row in catalog.subgroup_label_rows()]
    close = difflib.get_close_matches(str(label), labels, n=3, cutoff=0.6)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise MalformedFile(
        source.relpath,
        line,
        "subgroup",
        f"unknown subgroup label '{label}' (type '{kind}').{hint}",
    )


def _normalise(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    geo: str,
    width: int,
    catalog: Catalog,
    codes: Codes,
    value_columns: list[ValueColumns],
    padded: int,
) -> StagedFile:
    """Build ``norm``: one row per accepted file row with its group's code (``sg``), the
    key of its cells without the variable (``gk``) and the value columns."""
    staged = StagedFile()
    has_subgroups = "subgroup" in source.columns and "subgroup_type" in source.columns
    overall = codes.groups[(ALL_TYPE, ALL_LABEL)]
    if padded:
        staged.notes.append(f"{padded} rows had FIPS codes without leading zeros; padded")
    if has_subgroups:
        missing = con.execute(
            "SELECT rowid + 2 FROM raw WHERE subgroup IS NULL ORDER BY rowid"
        ).fetchall()
        for (line,) in missing:
            staged.rejections.append(
                Rejection(source.relpath, int(line), "subgroup", "subgroup label is missing")
            )
        all_label = ALL_LABEL.lower()
        sg = f"CASE WHEN lower(trim(r.subgroup)) = '{all_label}' THEN {overall} ELSE m.code END"
        join = "LEFT JOIN subgroup_map m ON m.raw_label = trim(r.subgroup)"
        keep = "WHERE r.subgroup IS NOT NULL"
    else:
        sg, join, keep = str(overall), "", ""
    geo_code = schema.geo_code_sql("trim(r.state)", f"trim(r.{_q(geo)})", width)
    values = "".join(
        f", r.{_q(c)}" for vc in value_columns for c in (vc.column, vc.lb, vc.ub, vc.quality) if c
    )
    con.execute("DROP TABLE IF EXISTS norm")
    con.execute(
        f"""CREATE TEMP TABLE norm AS
            SELECT r.rowid + 2 AS line, CAST({sg} AS SMALLINT) AS sg,
                   (({geo_code}) << {schema.GEO_SHIFT})
                   + (CAST({sg} AS BIGINT) << {schema.GROUP_SHIFT})
                   + (CAST(trim(r.year) AS BIGINT) - {schema.YEAR_BASE}) AS gk{values}
            FROM raw r {join} {keep}"""
    )
    if has_subgroups:
        _refuse_unknown_subgroups(con, source, catalog)
    dup = con.execute(
        "SELECT gk FROM norm GROUP BY gk HAVING count(*) > 1 ORDER BY min(line) LIMIT 1"
    ).fetchone()
    if dup:
        (gk,) = dup
        lines = [
            line
            for (line,) in con.execute(
                "SELECT line FROM norm WHERE gk = ? ORDER BY line LIMIT 2", [gk]
            ).fetchall()
        ]
        gid = schema.geoid_from_code(gk >> schema.GEO_SHIFT)
        year = (gk & ((1 << schema.GROUP_SHIFT) - 1)) + schema.YEAR_BASE
        st, label = codes.pairs[(gk >> schema.GROUP_SHIFT) & schema.GROUP_MASK]
        what = f"{gid} in {year}" + ("" if st == ALL_TYPE else f" for {st} '{label}'")
        raise MalformedFile(
            source.relpath,
            int(lines[1]),
            None,
            f"duplicate row: {what} already appears on line {lines[0]}",
        )
    return staged


def _quality_sql(column: str | None) -> str:
    if column is None:
        return "CAST(NULL AS TINYINT)"
    cases = " ".join(f"WHEN {_lit(k)} THEN {v}" for k, v in QUALITY_CODES.items())
    return f"CAST(CASE trim({_q(column)}) {cases} ELSE NULL END AS TINYINT)"


def _number_sql(column: str | None) -> str:
    return "CAST(NULL AS DOUBLE)" if column is None else _q(column)


def _cell_select(
    source: SourceFile, vc: ValueColumns, priority: int, where: str, codes: Codes
) -> str:
    if vc.variable.kind == "ratio_pair":
        text = f"trim({_q(vc.column)})"
        part_a, part_b = ratio_pair_sql(_q(vc.column))
        value = f"CASE WHEN {part_b} > 0 THEN {part_a} / {part_b} END"
    else:
        text = "CAST(NULL AS VARCHAR)"
        value = _number_sql(vc.column)
    # A combined file's blank where another file publishes the cell is a deliberate
    # suppression (Urban builds these files from the per-metric files): it wins.
    # Only a breakdown's cells: a combined file's (all, All) rows are a subgroup file's
    # totals, blank in the years that file does not cover.
    overall = _codes_sql(codes.where(lambda subgroup_type, _: subgroup_type == ALL_TYPE))
    blank_wins = (
        f"sg NOT IN ({overall}) AND ({value}) IS NULL AND ({text}) IS NULL"
        if source.kind == "combined"
        else "false"
    )
    variable = codes.variables[vc.variable.name][0]
    return f"""
        SELECT gk + {variable << schema.VARIABLE_SHIFT} AS key, {value} AS value,
               {_number_sql(vc.lb)} AS lb, {_number_sql(vc.ub)} AS ub,
               {_quality_sql(vc.quality)} AS quality, {text} AS value_text,
               CAST({priority * schema.RANK_FILE} + line AS BIGINT) AS rank,
               {blank_wins} AS blank_wins
        FROM norm WHERE {where}"""


def _broken_bounds(vc: ValueColumns) -> str | None:
    """SQL true when the cell's 95% bounds do not bracket its estimate (None: no bounds)."""
    if not (vc.lb or vc.ub) or vc.variable.kind != "number":
        return None
    v, lb, ub = _q(vc.column), _number_sql(vc.lb), _number_sql(vc.ub)
    return f"coalesce({lb} > {ub} OR {v} < {lb} OR {v} > {ub}, false)"


def _breakdowns(
    con: duckdb.DuckDBPyConnection, value_columns: list[ValueColumns], codes: Codes
) -> list[set[str]]:
    """For each variable, the breakdowns whose groups it publishes (one scan of ``norm``)."""
    flags = ", ".join(
        "bool_or("
        + " OR ".join(f"{_q(c)} IS NOT NULL" for c in filter(None, [vc.column, vc.quality]))
        + ")"
        for vc in value_columns
    )
    found: list[set[str]] = [set() for _ in value_columns]
    pairs = codes.pairs
    for sg, *published in con.execute(f"SELECT sg, {flags} FROM norm GROUP BY sg").fetchall():
        subgroup_type, label = pairs[sg]
        if label == ALL_LABEL:
            continue
        for kept, has in zip(found, published, strict=True):
            if has:
                kept.add(subgroup_type)
    return found


def _stage_cells(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    value_columns: list[ValueColumns],
    priority: int,
    staged: StagedFile,
    codes: Codes,
) -> None:
    """Append every variable's cells to ``stage``; reject cells whose bounds are broken.

    A breakdown's own total, e.g. (income, All), is kept for a variable only when the
    file publishes that breakdown for that variable: combined files hold several
    metrics, and not every metric has every breakdown of the file.
    """
    selects = []
    for vc, kept in zip(value_columns, _breakdowns(con, value_columns, codes), strict=True):
        # every row but the totals of breakdowns the variable does not publish
        left_out = codes.where(
            lambda t, g, kept=kept: g == ALL_LABEL and t != ALL_TYPE and t not in kept
        )
        where = f"sg NOT IN ({_codes_sql(left_out)})" if left_out else "true"
        broken = _broken_bounds(vc)
        if broken:
            for line, value, lb, ub in con.execute(
                f"""SELECT DISTINCT line, {_q(vc.column)}, {_number_sql(vc.lb)},
                           {_number_sql(vc.ub)} FROM norm WHERE {broken} ORDER BY line"""
            ).fetchall():
                staged.rejections.append(
                    Rejection(
                        source.relpath,
                        int(line),
                        vc.column,
                        f"the 95% bounds [{lb}, {ub}] do not bracket the estimate {value}",
                    )
                )
            where += f" AND NOT {broken}"
        selects.append(_cell_select(source, vc, priority, where, codes))
    inserted = con.execute(f"INSERT INTO stage {' UNION ALL '.join(selects)}").fetchone()
    staged.cells += int(inserted[0]) if inserted else 0
    staged.rejections.sort(key=lambda r: (r.line, r.column or ""))


def _expand_all_rows(con: duckdb.DuckDBPyConnection, codes: Codes) -> None:
    """Give a subgroup file's All rows the breakdown they belong to.

    In a subgroup file the All row is the total that the groups are compared with,
    often from a different survey window than the overall file (ACS 5-year rather
    than 1-year). It is kept once per breakdown, for example as
    (race-ethnicity, All), and once as (all, All) at the file's lower priority, so
    the overall series uses it only where no overall file publishes that cell.
    """
    pairs = codes.pairs
    present = [pairs[sg][0] for (sg,) in con.execute("SELECT DISTINCT sg FROM norm").fetchall()]
    dims = sorted({t for t in present if t != ALL_TYPE})
    if not dims:
        return
    overall = codes.groups[(ALL_TYPE, ALL_LABEL)]
    values = ", ".join(f"({codes.groups[(d, ALL_LABEL)]})" for d in dims)
    con.execute(
        f"""INSERT INTO norm BY NAME
            SELECT a.* REPLACE (CAST(d.sg AS SMALLINT) AS sg,
                                a.gk + (d.sg - a.sg) * {1 << schema.GROUP_SHIFT} AS gk)
            FROM (SELECT * FROM norm WHERE sg = {overall}) a, (VALUES {values}) d(sg)"""
    )


def stage_metric_file(
    con: duckdb.DuckDBPyConnection, source: SourceFile, catalog: Catalog, priority: int
) -> StagedFile:
    """Check ``source`` and append its cells to the ``stage`` table."""
    assert source.geo_column is not None
    geo = source.geo_column
    width = GEO_COLUMNS[geo][1]
    value_columns = _value_columns(source, catalog)
    rows = read_table(con, source, _column_types(source, value_columns))
    checks = _key_checks(geo, width)
    for vc in value_columns:
        checks.extend(_value_checks(vc))
    padded = _run_checks(
        con, source, checks, f"length(trim(state)) < 2 OR length(trim({_q(geo)})) < {width}"
    )
    codes = Codes(schema.variable_codes(catalog), schema.subgroup_codes(con))
    staged = _normalise(con, source, geo, width, catalog, codes, value_columns, padded)
    staged.rows = rows
    if source.kind in ("subgroup", "combined"):
        _expand_all_rows(con, codes)
    geo_level = GEO_COLUMNS[geo][0]
    metrics = []
    for vc in value_columns:
        metric = catalog.metric(vc.variable.metric_id)
        if geo_level not in metric.geographies:
            staged.notes.append(
                f"'{vc.column}' is a {', '.join(metric.geographies)} metric; "
                f"its {geo_level} values were loaded anyway"
            )
        metrics.append(vc.variable.metric_id)
    if value_columns:
        _stage_cells(con, source, value_columns, priority, staged, codes)
    staged.metrics = tuple(dict.fromkeys(metrics))
    if not rows:
        staged.notes.append("the file has a header but no data rows")
    return staged
