"""Warehouse tables: the staging tables a load fills and the final read-only tables.

Final tables:

``release``        one row: where the data came from, when it was loaded, by which version
``release_file``   every file read: kind, rows, cells, checksum, manifest match, notes
``rejection``      cells and rows that were not loaded, with file, line and reason
``geography``      every county and city: FIPS, names, state, universe years, population
``geography_year`` the year-specific universes with names and populations
``county_place``   Geocorr's county-to-place allocation factors
``observation``    one published cell: geography, year, variable, subgroup, value, CI, quality,
                   its file and line, why Urban withheld it (``note``) and whether another
                   file of the release publishes a different value (``conflict``)
``conflict``       for each cell whose files disagree, every file's value (see ``_cells_sql``)
``standing``       where a place's value sits among all places of its kind, in the nation and
                   its state: how many others are lower (``below_*``) and equal (``tied_*``),
                   and the percent rank (NULL for a place alone in its scope)
``benchmark``      medians and quartiles of each variable by year, for the nation and each state,
                   over every value (context) and, for claims, the median over the values not
                   rated Weak with a pooled value counted once (``claim_median``, ``claim_n``);
                   ``n_weak`` and ``n_pooled`` say how much of ``n`` is Weak or pooled
"""

from __future__ import annotations

import csv
import io
from importlib import resources

import duckdb

from upward.catalog import ALL_LABEL, ALL_TYPE, CITY, COUNTY, QUALITY_CODES, WEAK, Catalog
from upward.data.contract import pad_fips_sql, ratio_pair_sql
from upward.data.universe import PLACE_SUFFIX, STATES

WITHHELD_RESOURCE = "withheld.csv"

SCHEMA_VERSION = 2
"""2: observations carry ``note`` and ``conflict``; the ``conflict`` table."""

STAGING = """
CREATE TABLE release (
    release_id VARCHAR, source VARCHAR, source_dir VARCHAR, version VARCHAR,
    loaded_at TIMESTAMP, upward_version VARCHAR, files_verified INTEGER, files INTEGER);
CREATE TABLE release_file (
    file_id SMALLINT, path VARCHAR, kind VARCHAR, geo_level VARCHAR, rows INTEGER,
    rows_rejected INTEGER, cells INTEGER, metrics VARCHAR, sha256 VARCHAR,
    matches_manifest BOOLEAN, notes VARCHAR);
CREATE TABLE rejection (path VARCHAR, line INTEGER, "column" VARCHAR, reason VARCHAR);
CREATE TABLE geography_year (
    geoid VARCHAR, geo_level VARCHAR, year SMALLINT, name VARCHAR, state_fips VARCHAR,
    state_name VARCHAR, population DOUBLE);
CREATE TABLE county_place (
    county_geoid VARCHAR, place_geoid VARCHAR, place_name VARCHAR, afact DOUBLE,
    afact2 DOUBLE, period VARCHAR);
CREATE TABLE subgroup_map (raw_label VARCHAR, subgroup_type VARCHAR, subgroup VARCHAR);
CREATE TABLE stage (
    key BIGINT, value DOUBLE, lb DOUBLE, ub DOUBLE, quality TINYINT, value_text VARCHAR,
    rank BIGINT, blank_wins BOOLEAN);
CREATE TABLE withheld (
    geoid VARCHAR, variable VARCHAR, year SMALLINT, cells VARCHAR, reason VARCHAR);
CREATE TABLE variable_metric (code SMALLINT, variable VARCHAR, metric VARCHAR);
CREATE TABLE meta (key VARCHAR, value VARCHAR);
"""


def withheld_rows() -> list[tuple[str, str, int, str, str]]:
    """Urban's documented suppressions (``withheld.csv``), one row per variable and year.

    Urban's build scripts blank these cells in its combined files; the list stands in for
    combined files a release does not ship (the 2025 snapshot has no county combined file).
    ``cells`` is ``all`` (every group and the overall value), ``overall`` (the overall
    value only) or ``breakdowns`` (the groups only).
    """
    text = resources.files("upward.data").joinpath(WITHHELD_RESOURCE).read_text("utf-8")
    rows = []
    for entry in csv.DictReader(io.StringIO(text)):
        reason = f"{entry['reason']} (source: {entry['source']})"
        for variable in entry["variables"].split(";"):
            for year in entry["years"].split(";"):
                rows.append((entry["geoid"], variable, int(year), entry["cells"], reason))
    return rows


def create_staging(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    con.execute(STAGING)
    con.executemany(
        "INSERT INTO subgroup_map VALUES (?, ?, ?)",
        [list(row) for row in catalog.subgroup_label_rows() if row[0].lower() != ALL_LABEL.lower()],
    )
    con.executemany(
        "INSERT INTO variable_metric VALUES (?, ?, ?)",
        [[code, name, metric] for name, (code, metric) in variable_codes(catalog).items()],
    )
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    con.executemany("INSERT INTO withheld VALUES (?, ?, ?, ?, ?)", withheld_rows())
    # Each file's checks are small queries, and files are checked several at a time:
    # DuckDB's own threads would only add scheduling work (``finish`` restores them).
    con.execute("SET threads = 1")


# A staged cell is named by one BIGINT, ``key``: its geography, variable, group and year,
# each as a number in the order of its text, so that the cells are grouped and sorted by one
# number instead of four strings and the stored order (by geoid, variable, subgroup_type,
# subgroup, year) is unchanged. ``finish`` turns the numbers back into the text.
#
#   geography  a county 'SSCCC' as SSCCC * 1000, a place 'SSPPPPP' as SSPPPPP * 10 + 1
#              (a county sorts before the places whose code it begins, as its text does)
#   variable   its rank among the catalog's variable names, from 1
#   group      its rank among the (subgroup_type, subgroup) pairs, from 1 (``subgroup_code``)
#   year       the year - 1900 (the contract allows 1900 to 2100)
GEO_SHIFT, VARIABLE_SHIFT, GROUP_SHIFT, YEAR_BASE = 28, 18, 8, 1900
GROUP_MASK = (1 << (VARIABLE_SHIFT - GROUP_SHIFT)) - 1

RANK_FILE = 100_000_000
"""A staged cell's ``rank``, which file wins: its file's priority * RANK_FILE + its line."""


def variable_codes(catalog: Catalog) -> dict[str, tuple[int, str]]:
    """Each catalog variable's code in a staged key, with its metric."""
    names = sorted((v.name, m.id) for m in catalog.metrics for v in m.variables)
    assert len(names) < 1 << (GEO_SHIFT - VARIABLE_SHIFT)
    return {name: (code, metric) for code, (name, metric) in enumerate(names, start=1)}


def code_subgroups(con: duckdb.DuckDBPyConnection) -> None:
    """Number every group a file can name (``subgroup_map``), each breakdown's total and
    the overall (all, All), in the order of their text; give ``subgroup_map`` the codes."""
    con.execute(
        f"""CREATE TABLE subgroup_code AS
           SELECT CAST(row_number() OVER (ORDER BY subgroup_type, subgroup) AS SMALLINT)
                      AS code, subgroup_type, subgroup
           FROM (SELECT subgroup_type, subgroup FROM subgroup_map
                 UNION SELECT subgroup_type, '{ALL_LABEL}' FROM subgroup_map
                 UNION SELECT '{ALL_TYPE}', '{ALL_LABEL}')"""
    )
    count = con.execute("SELECT count(*) FROM subgroup_code").fetchone()
    assert count and count[0] <= GROUP_MASK
    con.execute(
        """CREATE OR REPLACE TABLE subgroup_map AS
           SELECT m.raw_label, m.subgroup_type, m.subgroup, c.code
           FROM subgroup_map m JOIN subgroup_code c USING (subgroup_type, subgroup)"""
    )


def subgroup_codes(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    """(subgroup_type, subgroup) -> its code in a staged key."""
    rows = con.execute("SELECT subgroup_type, subgroup, code FROM subgroup_code").fetchall()
    return {(str(t), str(g)): int(code) for t, g, code in rows}


def geo_code_sql(state: str, code: str, width: int) -> str:
    """SQL for the geography part of a key, from the digits of a state and a county (width
    3) or place (width 5) code."""
    number = f"(CAST({state} AS BIGINT) * {10**width} + CAST({code} AS BIGINT))"
    return f"{number} * 1000" if width == 3 else f"{number} * 10 + 1"


def geoid_from_code(code: int) -> str:
    """The geoid text of a key's geography part."""
    return f"{code // 1000:05d}" if code % 10 == 0 else f"{code // 10:07d}"


def _literal_list(items: list[str]) -> str:
    return "[" + ", ".join("'" + item.replace("'", "''") + "'" for item in items) + "]"


def _decoded(
    key: str, variables: dict[str, tuple[int, str]], groups: dict[tuple[str, str], int]
) -> dict[str, str]:
    """SQL expressions for the text of a key's parts, by column name."""
    geo = f"({key} >> {GEO_SHIFT})"
    variable_mask = (1 << (GEO_SHIFT - VARIABLE_SHIFT)) - 1
    variable = f"CAST(({key} >> {VARIABLE_SHIFT}) & {variable_mask} AS INTEGER)"
    group = f"CAST(({key} >> {GROUP_SHIFT}) & {GROUP_MASK} AS INTEGER)"
    by_code = sorted((code, pair) for pair, code in groups.items())
    assert [code for code, _ in by_code] == list(range(1, len(by_code) + 1))
    names = sorted(variables, key=lambda name: variables[name][0])
    return {
        "geoid": f"CASE WHEN {geo} % 10 = 0 "
        f"THEN {pad_fips_sql(f'CAST({geo} // 1000 AS VARCHAR)', 5)} "
        f"ELSE {pad_fips_sql(f'CAST({geo} // 10 AS VARCHAR)', 7)} END",
        "geo_level": f"CASE WHEN {geo} % 10 = 0 THEN '{COUNTY}' ELSE '{CITY}' END",
        "year": f"CAST(({key} & 255) + {YEAR_BASE} AS SMALLINT)",
        "variable": f"{_literal_list(names)}[{variable}]",
        "metric": f"{_literal_list([variables[n][1] for n in names])}[{variable}]",
        "subgroup_type": f"{_literal_list([p[0] for _, p in by_code])}[{group}]",
        "subgroup": f"{_literal_list([p[1] for _, p in by_code])}[{group}]",
    }


SAME_VALUE = 1e-9
"""Two files' values of a cell are the same when they differ by at most this share of the
larger one (or this much, below 1): the same number written with more or fewer digits,
such as 0.052890126 and 0.052890126084820695."""

WITHHELD_BY_COMBINED_FILE = (
    "Urban leaves this value blank on purpose in its combined file, "
    "although another file of the release publishes one"
)

# One observation per cell from the cells that several files stage for it.
#
# * A cell that a file of the release leaves blank on purpose is withheld: a combined file
#   (``blank_wins``: a group's cell without a value where another file publishes one;
#   when that group is a breakdown's total, the overall cell of that year too) or the
#   packaged list of Urban's suppressions (``withheld.csv``). The observation then has
#   no value, no quality and a ``note`` saying why; the combined file is its source.
# * Otherwise the first file in priority order (``file_id``, then line) gives the cell.
# * ``conflict`` is true when the files that publish the cell publish different values
#   (beyond ``SAME_VALUE``);
#   the ``conflict`` table holds each of those files' values, line by line, and the
#   observation's ``other_values`` the ones that differ from its own (no query per page).


def _cells_sql(variables: dict[str, tuple[int, str]], groups: dict[tuple[str, str], int]) -> str:
    overall = groups[(ALL_TYPE, ALL_LABEL)]
    totals = ", ".join(str(c) for (t, g), c in groups.items() if g == ALL_LABEL and t != ALL_TYPE)
    all_rows = ", ".join(str(c) for (_, g), c in groups.items() if g == ALL_LABEL)
    without_group = f"~{GROUP_MASK << GROUP_SHIFT}"
    group = f"((c.key >> {GROUP_SHIFT}) & {GROUP_MASK})"
    o = _decoded("p.key", variables, groups)
    k = _decoded("key", variables, groups)
    variable_code = f"CAST(vm.code AS BIGINT) << {VARIABLE_SHIFT}"
    part_a, part_b = ratio_pair_sql("s.value_text")

    def file_id(table: str) -> str:
        return f"CAST({table}.rank // {RANK_FILE} AS SMALLINT)"

    def source_line(table: str) -> str:
        return f"CAST({table}.rank % {RANK_FILE} AS INTEGER)"

    return f"""
CREATE TEMP TABLE cell AS
SELECT key,
       arg_min(rowid, rank) AS first_row,
       arg_min(rowid, rank) FILTER (WHERE blank_wins) AS blank_row,
       min(rank) FILTER (WHERE blank_wins) AS blank_rank,
       count(*) FILTER (WHERE value IS NOT NULL OR value_text IS NOT NULL) AS published,
       max(value) - min(value) > {SAME_VALUE} * greatest(abs(min(value)), abs(max(value)), 1)
           OR min(value_text) <> max(value_text) AS conflict
FROM stage
GROUP BY key;

-- A breakdown's total withheld by a file withholds the overall cell of that year too.
CREATE TEMP TABLE total_withheld AS
SELECT (key & {without_group}) | {overall << GROUP_SHIFT} AS key,
       arg_min(blank_row, blank_rank) AS blank_row
FROM cell c
WHERE {group} IN ({totals or "NULL"}) AND blank_row IS NOT NULL AND published > 0
GROUP BY ALL;

CREATE TEMP TABLE withheld_key AS
SELECT (CASE WHEN length(w.geoid) = 5 THEN CAST(w.geoid AS BIGINT) * 1000
             ELSE CAST(w.geoid AS BIGINT) * 10 + 1 END << {GEO_SHIFT})
           | ({variable_code}) | (w.year - {YEAR_BASE}) AS place_key, w.cells, w.reason
FROM withheld w JOIN variable_metric vm USING (variable);

CREATE TEMP TABLE conflict_row AS
SELECT s.key, {file_id("s")} AS file_id, {source_line("s")} AS source_line,
       s.value, s.lb, s.ub, s.quality, s.value_text
FROM stage s
SEMI JOIN (SELECT key FROM cell WHERE conflict) c USING (key)
WHERE s.value IS NOT NULL OR s.value_text IS NOT NULL;

CREATE TABLE conflict AS
SELECT {k["geoid"]} AS geoid, {k["year"]} AS year, {k["variable"]} AS variable,
       {k["subgroup_type"]} AS subgroup_type, {k["subgroup"]} AS subgroup,
       file_id, source_line, value, lb, ub, quality, value_text
FROM conflict_row
ORDER BY key, file_id;

CREATE TABLE observation AS
WITH joined AS (
    SELECT c.* REPLACE (coalesce(c.blank_row, t.blank_row) AS blank_row), w.reason
    FROM cell c
    LEFT JOIN total_withheld t ON t.key = c.key
    LEFT JOIN withheld_key w ON w.place_key = (c.key & {without_group})
        AND (w.cells = 'all' OR (w.cells = 'overall' AND {group} = {overall})
             OR (w.cells = 'breakdowns' AND {group} NOT IN ({all_rows})))),
picked AS (
    SELECT key, conflict,
           published > 0 AND (blank_row IS NOT NULL OR reason IS NOT NULL) AS is_withheld,
           CASE WHEN is_withheld THEN blank_row ELSE first_row END AS row_id,
           CASE WHEN is_withheld THEN coalesce(reason, '{WITHHELD_BY_COMBINED_FILE}') END
               AS note
    FROM joined),
others AS (
    SELECT key,
           list(struct_pack(file_id, source_line, value, value_text) ORDER BY file_id)
               AS other_values
    FROM conflict_row GROUP BY key)
SELECT {o["geoid"]} AS geoid, {o["geo_level"]} AS geo_level, {o["year"]} AS year,
       {o["metric"]} AS metric, {o["variable"]} AS variable,
       {o["subgroup_type"]} AS subgroup_type, {o["subgroup"]} AS subgroup,
       * EXCLUDE (key)
FROM (SELECT p.key,
       CASE WHEN p.note IS NULL THEN s.value END AS value,
       CASE WHEN p.note IS NULL THEN s.lb END AS lb,
       CASE WHEN p.note IS NULL THEN s.ub END AS ub,
       CASE WHEN p.note IS NULL THEN s.quality END AS quality,
       CASE WHEN p.note IS NULL THEN s.value_text END AS value_text,
       CASE WHEN p.note IS NULL THEN {part_a} END AS part_a,
       CASE WHEN p.note IS NULL THEN {part_b} END AS part_b,
       {file_id("s")} AS file_id, {source_line("s")} AS source_line, p.note,
       coalesce(p.conflict, false) AS conflict,
       CASE WHEN p.note IS NULL THEN list_filter(o.other_values, lambda x:
           x.file_id <> {file_id("s")} AND (x.value_text IS DISTINCT FROM s.value_text
               OR abs(x.value - s.value) > {SAME_VALUE}
                   * greatest(abs(x.value), abs(s.value), 1))) END AS other_values
FROM picked p
LEFT JOIN stage s ON s.rowid = p.row_id
LEFT JOIN others o ON o.key = p.key
ORDER BY p.key) p;

DROP TABLE cell;
DROP TABLE total_withheld;
DROP TABLE withheld_key;
DROP TABLE conflict_row;
"""


# Where each value stands (ties apart: rank() - 1 places are lower, and the running count
# over ORDER BY value, which includes peers, minus rank() is the number of equal values),
# and the medians of every value and of the values a claim may rest on.
CONTEXT_TABLES = f"""
CREATE TABLE standing AS
SELECT geoid, geo_level, variable, year, value,
       count(*) OVER nation_all AS n_nation,
       CAST(rank() OVER nation - 1 AS INTEGER) AS below_nation,
       CAST(count(*) OVER nation - rank() OVER nation AS INTEGER) AS tied_nation,
       CASE WHEN count(*) OVER nation_all > 1 THEN percent_rank() OVER nation END AS pct_nation,
       count(*) OVER state_all AS n_state,
       CAST(rank() OVER state - 1 AS INTEGER) AS below_state,
       CAST(count(*) OVER state - rank() OVER state AS INTEGER) AS tied_state,
       CASE WHEN count(*) OVER state_all > 1 THEN percent_rank() OVER state END AS pct_state
FROM observation
WHERE subgroup_type = '{ALL_TYPE}' AND value IS NOT NULL
WINDOW nation_all AS (PARTITION BY geo_level, variable, year),
       nation AS (nation_all ORDER BY value),
       state_all AS (PARTITION BY geo_level, variable, year, substr(geoid, 1, 2)),
       state AS (state_all ORDER BY value)
ORDER BY geo_level, geoid, variable, year;

CREATE TABLE benchmark AS
WITH cells AS (
    SELECT geo_level, variable, year, substr(geoid, 1, 2) AS state, value, lb, ub,
           coalesce(quality = {QUALITY_CODES[WEAK]}, false) AS weak
    FROM observation WHERE subgroup_type = '{ALL_TYPE}' AND value IS NOT NULL),
pools AS (  -- one value and interval published for several places of a state
    SELECT geo_level, variable, year, state, value, lb, ub, bool_or(NOT weak) AS any_kept
    FROM cells WHERE lb < ub GROUP BY ALL HAVING count(*) > 1),
marked AS (
    SELECT c.*, p.any_kept IS NOT NULL AS pooled
    FROM cells c LEFT JOIN pools p USING (geo_level, variable, year, state, value, lb, ub)),
kept AS (  -- what a claim may rest on: values not rated Weak, a pooled value once
    SELECT geo_level, variable, year, state, value FROM marked WHERE NOT pooled AND NOT weak
    UNION ALL
    SELECT geo_level, variable, year, state, value FROM pools WHERE any_kept),
every_value AS (
    SELECT geo_level, variable, year, scope, median(value) AS median,
           quantile_cont(value, 0.25) AS p25, quantile_cont(value, 0.75) AS p75,
           min(value) AS min, max(value) AS max, count(*) AS n,
           count(*) FILTER (WHERE weak) AS n_weak, count(*) FILTER (WHERE pooled) AS n_pooled
    FROM (SELECT *, 'US' AS scope FROM marked UNION ALL SELECT *, state AS scope FROM marked)
    GROUP BY ALL),
claim AS (
    SELECT geo_level, variable, year, scope, median(value) AS claim_median, count(*) AS claim_n
    FROM (SELECT *, 'US' AS scope FROM kept UNION ALL SELECT *, state AS scope FROM kept)
    GROUP BY ALL)
SELECT e.*, c.claim_median, coalesce(c.claim_n, 0) AS claim_n
FROM every_value e LEFT JOIN claim c USING (geo_level, variable, year, scope)
ORDER BY geo_level, variable, year, scope;
"""


def finish(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Turn the staged cells into the final tables and drop the staging tables."""
    con.execute("RESET threads")
    con.execute(_cells_sql(variable_codes(catalog), subgroup_codes(con)))
    con.execute(CONTEXT_TABLES)
    _build_geography(con)
    for table in ("stage", "subgroup_map", "subgroup_code", "variable_metric", "withheld"):
        con.execute(f"DROP TABLE {table}")


def _build_geography(con: duckdb.DuckDBPyConnection) -> None:
    states = ", ".join(f"('{fips}', '{abbr}', '{name}')" for fips, (abbr, name) in STATES.items())
    suffix = PLACE_SUFFIX.pattern.replace("\\s", " ").replace("'", "''")
    con.execute(
        f"""
        CREATE TABLE geography AS
        WITH universe AS (
            SELECT geoid, any_value(geo_level) AS geo_level,
                   arg_max(name, year) AS name, arg_max(state_name, year) AS state_name,
                   min(year) AS first_year, max(year) AS last_year,
                   arg_max(population, year) FILTER (WHERE population IS NOT NULL) AS population,
                   max(year) FILTER (WHERE population IS NOT NULL) AS population_year
            FROM geography_year GROUP BY geoid),
        observed AS (SELECT DISTINCT geoid, geo_level FROM observation),
        latest AS (SELECT geo_level, max(year) AS year FROM geography_year GROUP BY geo_level),
        crosswalk_names AS (
            SELECT place_geoid, any_value(regexp_replace(place_name, ', [A-Z][A-Z]$', ''))
                AS name
            FROM county_place GROUP BY place_geoid),
        states(fips, abbr, name) AS (VALUES {states}),
        joined AS (
            SELECT coalesce(u.geoid, o.geoid) AS geoid,
                   coalesce(u.geo_level, o.geo_level) AS geo_level,
                   coalesce(u.name, cn.name,
                            CASE WHEN coalesce(u.geo_level, o.geo_level) = '{COUNTY}'
                            THEN 'County ' ELSE 'City ' END || coalesce(u.geoid, o.geoid))
                       AS name,
                   u.state_name, u.first_year, u.last_year, u.population, u.population_year,
                   coalesce(u.last_year = l.year, false) AS current
            FROM universe u
            FULL JOIN observed o ON o.geoid = u.geoid
            LEFT JOIN latest l ON l.geo_level = coalesce(u.geo_level, o.geo_level)
            LEFT JOIN crosswalk_names cn ON cn.place_geoid = o.geoid),
        named AS (
            SELECT j.*, CASE WHEN j.geo_level = '{CITY}'
                        THEN trim(regexp_replace(j.name, '{suffix}', ''))
                        ELSE j.name END AS short_name,
                   substr(j.geoid, 1, 2) AS state_fips,
                   coalesce(s.abbr, substr(j.geoid, 1, 2)) AS state_abbr,
                   coalesce(j.state_name, s.name, substr(j.geoid, 1, 2)) AS state_name_
            FROM joined j LEFT JOIN states s ON s.fips = substr(j.geoid, 1, 2))
        SELECT geoid, geo_level, name, short_name, short_name || ', ' || state_abbr AS display_name,
               state_fips, state_abbr, state_name_ AS state_name,
               CAST(first_year AS SMALLINT) AS first_year, CAST(last_year AS SMALLINT) AS last_year,
               population, CAST(population_year AS SMALLINT) AS population_year, current
        FROM named ORDER BY geoid
        """
    )
