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
``conflict``       for each cell whose files disagree, every file's value (see ``CELLS``)
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

from upward.catalog import (
    ALL_LABEL,
    ALL_TYPE,
    CITY,
    COUNTY,
    FIPS_WIDTHS,
    QUALITY_CODES,
    WEAK,
    Catalog,
)
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
    geoid VARCHAR, year SMALLINT, variable VARCHAR, subgroup_type VARCHAR, subgroup VARCHAR,
    value DOUBLE, lb DOUBLE, ub DOUBLE, quality TINYINT, value_text VARCHAR,
    part_a DOUBLE, part_b DOUBLE, file_id SMALLINT, source_line INTEGER, blank_wins BOOLEAN);
CREATE TABLE withheld (
    geoid VARCHAR, variable VARCHAR, year SMALLINT, cells VARCHAR, reason VARCHAR);
CREATE TABLE variable_metric (variable VARCHAR, metric VARCHAR);
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
        "INSERT INTO variable_metric VALUES (?, ?)",
        [[v.name, m.id] for m in catalog.metrics for v in m.variables],
    )
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    con.executemany("INSERT INTO withheld VALUES (?, ?, ?, ?, ?)", withheld_rows())


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
CELLS = f"""
CREATE TEMP TABLE cell AS
SELECT geoid, variable, subgroup_type, subgroup, year,
       arg_min(rowid, rank) AS first_row,
       arg_min(rowid, rank) FILTER (WHERE blank_wins) AS blank_row,
       count(*) FILTER (WHERE value IS NOT NULL OR value_text IS NOT NULL) AS published,
       max(value) - min(value) > {SAME_VALUE} * greatest(abs(min(value)), abs(max(value)), 1)
           OR min(value_text) <> max(value_text) AS conflict
FROM (SELECT rowid, geoid, variable, subgroup_type, subgroup, year, blank_wins, value,
             value_text, CAST(file_id AS BIGINT) * 100000000 + source_line AS rank
      FROM stage)
GROUP BY ALL;

CREATE TEMP TABLE total_withheld AS
SELECT geoid, variable, year, min(blank_row) AS blank_row
FROM cell
WHERE subgroup = '{ALL_LABEL}' AND subgroup_type <> '{ALL_TYPE}'
  AND blank_row IS NOT NULL AND published > 0
GROUP BY ALL;

CREATE TABLE conflict AS
SELECT s.geoid, s.year, s.variable, s.subgroup_type, s.subgroup, s.file_id, s.source_line,
       s.value, s.lb, s.ub, s.quality, s.value_text
FROM stage s
SEMI JOIN (SELECT * FROM cell WHERE conflict) c
    USING (geoid, variable, subgroup_type, subgroup, year)
WHERE s.value IS NOT NULL OR s.value_text IS NOT NULL
ORDER BY s.geoid, s.variable, s.subgroup_type, s.subgroup, s.year, s.file_id;
CREATE TABLE observation AS
WITH joined AS (
    SELECT c.* REPLACE (coalesce(c.blank_row, t.blank_row) AS blank_row), w.reason
    FROM cell c
    LEFT JOIN total_withheld t ON c.subgroup_type = '{ALL_TYPE}' AND t.geoid = c.geoid
        AND t.variable = c.variable AND t.year = c.year
    LEFT JOIN withheld w ON w.geoid = c.geoid AND w.variable = c.variable AND w.year = c.year
        AND (w.cells = 'all' OR (w.cells = 'overall' AND c.subgroup_type = '{ALL_TYPE}')
             OR (w.cells = 'breakdowns' AND c.subgroup <> '{ALL_LABEL}'))),
picked AS (
    SELECT geoid, variable, subgroup_type, subgroup, year, conflict,
           published > 0 AND (blank_row IS NOT NULL OR reason IS NOT NULL) AS is_withheld,
           CASE WHEN is_withheld THEN blank_row ELSE first_row END AS row_id,
           CASE WHEN is_withheld THEN coalesce(reason, '{WITHHELD_BY_COMBINED_FILE}') END
               AS note
    FROM joined),
others AS (
    SELECT geoid, variable, subgroup_type, subgroup, year,
           list(struct_pack(file_id, source_line, value, value_text) ORDER BY file_id)
               AS other_values
    FROM conflict GROUP BY ALL)
SELECT p.geoid,
       CASE WHEN length(p.geoid) = {FIPS_WIDTHS[COUNTY]} THEN '{COUNTY}' ELSE '{CITY}' END
           AS geo_level,
       p.year, vm.metric, p.variable, p.subgroup_type, p.subgroup,
       CASE WHEN p.note IS NULL THEN s.value END AS value,
       CASE WHEN p.note IS NULL THEN s.lb END AS lb,
       CASE WHEN p.note IS NULL THEN s.ub END AS ub,
       CASE WHEN p.note IS NULL THEN s.quality END AS quality,
       CASE WHEN p.note IS NULL THEN s.value_text END AS value_text,
       CASE WHEN p.note IS NULL THEN s.part_a END AS part_a,
       CASE WHEN p.note IS NULL THEN s.part_b END AS part_b,
       s.file_id, s.source_line, p.note, coalesce(p.conflict, false) AS conflict,
       CASE WHEN p.note IS NULL THEN list_filter(o.other_values, lambda x:
           x.file_id <> s.file_id AND (x.value_text IS DISTINCT FROM s.value_text
               OR abs(x.value - s.value) > {SAME_VALUE}
                   * greatest(abs(x.value), abs(s.value), 1))) END AS other_values
FROM picked p
LEFT JOIN stage s ON s.rowid = p.row_id
LEFT JOIN others o ON o.geoid = p.geoid AND o.variable = p.variable
    AND o.subgroup_type = p.subgroup_type AND o.subgroup = p.subgroup AND o.year = p.year
JOIN variable_metric vm ON vm.variable = p.variable
ORDER BY p.geoid, p.variable, p.subgroup_type, p.subgroup, p.year;

DROP TABLE cell;
DROP TABLE total_withheld;
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
    con.execute(CELLS)
    con.execute(CONTEXT_TABLES)
    _build_geography(con)
    for table in ("stage", "subgroup_map", "variable_metric", "withheld"):
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
                       THEN 'County ' ELSE 'City ' END || coalesce(u.geoid, o.geoid)) AS name,
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
