"""Compare two warehouses table by table, as sorted content (a check for load optimizations).

    uv run python benchmarks/compare_warehouses.py REFERENCE.duckdb CANDIDATE.duckdb

A change that makes ``upward data load`` faster must not change what it stores. This
attaches both files read-only and, for each of ``observation``, ``conflict``, ``standing``,
``benchmark``, ``geography``, ``geography_year``, ``county_place``, ``rejection`` and
``release_file`` (without its load times), counts the rows of each side that the other lacks
(``EXCEPT ALL`` both ways, so duplicates count) and checks that both have the same columns
in the same order. With ``--order`` it also checks that the tables a load sorts (observations
by place, for the per-place zonemaps) are stored in the same order: the same sort columns at
the same row numbers. Prints one line per table and exits 1 when any table differs.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

TABLES = (
    "observation",
    "conflict",
    "standing",
    "benchmark",
    "geography",
    "geography_year",
    "county_place",
    "rejection",
    "release_file",
)
IGNORED_COLUMNS: dict[str, set[str]] = {"release_file": {"loaded_at", "seconds"}}
SORTED_BY: dict[str, str] = {
    "observation": "geoid, variable, subgroup_type, subgroup, year",
    "conflict": "geoid, variable, subgroup_type, subgroup, year, file_id",
    "standing": "geo_level, geoid, variable, year",
    "benchmark": "geo_level, variable, year, scope",
    "geography": "geoid",
}


def columns(con: duckdb.DuckDBPyConnection, db: str, table: str) -> list[tuple[str, str]]:
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = ? AND table_name = ? ORDER BY column_index",
        [db, table],
    ).fetchall()
    return [(name, kind) for name, kind in rows]


def compare(reference: str, candidate: str, order: bool = False) -> int:
    con = duckdb.connect()
    con.execute(f"ATTACH '{reference}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{candidate}' AS b (READ_ONLY)")
    differing = 0
    for table in TABLES:
        left, right = columns(con, "a", table), columns(con, "b", table)
        if left != right:
            print(f"{table}: columns differ: {left} vs {right}")
            differing += 1
            continue
        keep = [f'"{n}"' for n, _ in left if n not in IGNORED_COLUMNS.get(table, set())]
        cols = ", ".join(keep)
        only_a = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM a.{table} "
            f"EXCEPT ALL SELECT {cols} FROM b.{table})"
        ).fetchone()
        only_b = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM b.{table} "
            f"EXCEPT ALL SELECT {cols} FROM a.{table})"
        ).fetchone()
        rows = con.execute(f"SELECT count(*) FROM a.{table}").fetchone()
        a_count, b_count = (only_a or (0,))[0], (only_b or (0,))[0]
        status = "same" if a_count == b_count == 0 else "DIFFERENT"
        print(
            f"{table}: {status} ({(rows or (0,))[0]} rows; only in reference {a_count}, "
            f"only in candidate {b_count})"
        )
        differing += status != "same"
        if order and table in SORTED_BY:
            keys = SORTED_BY[table]
            moved = con.execute(
                f"SELECT count(*) FROM (SELECT rowid, {keys} FROM a.{table} "
                f"EXCEPT ALL SELECT rowid, {keys} FROM b.{table})"
            ).fetchone()
            moved_rows = (moved or (0,))[0]
            verdict = "same" if moved_rows == 0 else f"DIFFERENT ({moved_rows} rows moved)"
            print(f"{table}: order {verdict}")
            differing += moved_rows != 0
    con.close()
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reference")
    parser.add_argument("candidate")
    parser.add_argument("--order", action="store_true", help="also compare the stored order")
    args = parser.parse_args()
    differing = compare(args.reference, args.candidate, args.order)
    print("no differences" if differing == 0 else f"{differing} tables differ")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
