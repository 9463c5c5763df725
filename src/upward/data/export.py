"""Export the warehouse as Parquet files that Spark, Trino or BigQuery read directly."""

from __future__ import annotations

from pathlib import Path

import duckdb

from upward.data.warehouse import WarehouseMissing

TABLES = (
    "observation",
    "geography",
    "geography_year",
    "standing",
    "benchmark",
    "county_place",
    "release",
    "release_file",
    "rejection",
)


def export_parquet(warehouse: Path, directory: Path) -> list[tuple[Path, int]]:
    """Write each warehouse table to ``directory/<table>.parquet`` (zstd-compressed).

    Files are written under a temporary name and renamed, so a reader never sees a
    half-written file.
    """
    if not Path(warehouse).is_file():
        raise WarehouseMissing(Path(warehouse))
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in TABLES:
            target = directory / f"{table}.parquet"
            partial = directory / f".{table}.parquet.part"
            con.execute(
                f"COPY (SELECT * FROM {table}) TO '{partial.as_posix()}' "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            partial.replace(target)
            count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            written.append((target, int(count[0]) if count else 0))
    return written
