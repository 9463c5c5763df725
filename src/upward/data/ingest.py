"""Build a warehouse from a directory of Urban's published files.

``load_release`` reads every CSV under a directory, checks it against the data
contract (:mod:`upward.data.contract`), normalises it into long observations and
writes a new DuckDB file that replaces the warehouse in use only when everything
succeeded. A failed load leaves the previous warehouse untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from upward import __version__
from upward.catalog import Catalog, get_catalog
from upward.data import schema
from upward.data.contract import (
    DESCRIPTIVE_COLUMNS,
    GEO_COLUMNS,
    MalformedFile,
    Rejection,
)
from upward.data.metric_file import StagedFile, stage_metric_file
from upward.data.source import SourceFile, discover, read_source
from upward.data.universe import (
    is_crosswalk_file,
    is_universe_file,
    load_crosswalk,
    load_universe,
)


@dataclass
class FileReport:
    """What happened to one file during a load."""

    path: str
    kind: str
    geo_level: str | None
    file_id: int | None = None
    rows: int = 0
    rows_rejected: int = 0
    cells: int = 0
    metrics: tuple[str, ...] = ()
    sha256: str = ""
    matches_manifest: bool | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    """The outcome of a successful load."""

    source_dir: str
    warehouse: str
    release_id: str
    files: list[FileReport]
    rejections: list[Rejection]
    observations: int
    geographies: int
    seconds: float

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)


Progress = Callable[[str], None]

#: Files checked at once; DuckDB runs each small file's queries on one core.
LOAD_THREADS = max(2, min(4, os.cpu_count() or 2))


def _manifest_checksums() -> dict[str, str]:
    try:
        from upward.data.manifest import load_manifest
    except ImportError:  # pragma: no cover - the manifest ships with the package
        return {}
    return {entry.path: entry.sha256 for entry in load_manifest()}


def _classify(source: SourceFile, catalog: Catalog) -> None:
    columns = set(source.columns)
    if is_universe_file(source.columns):
        source.kind = "universe"
        source.geo_column = "county" if "county" in columns else "place"
        return
    if is_crosswalk_file(source.columns):
        source.kind = "crosswalk"
        return
    geo = next((c for c in GEO_COLUMNS if c in columns), None)
    values = [c for c in source.columns if catalog.column_variable(c) is not None]
    if geo is None or "year" not in columns or "state" not in columns or not values:
        source.kind = "ignored"
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
        why = f"no column {', '.join(missing)}" if missing else "no Mobility Metrics columns"
        source.notes.append(f"not a Mobility Metrics file ({why}); skipped")
        return
    source.geo_column = geo
    has_subgroups = "subgroup" in columns and "subgroup_type" in columns
    if source.is_combined:
        source.kind = "combined"
    else:
        source.kind = "subgroup" if has_subgroups else "overall"
    known = set(DESCRIPTIVE_COLUMNS) | {"year", "state", geo, "subgroup", "subgroup_type"}
    for column in source.columns:
        base = column.removesuffix("_lb").removesuffix("_ub").removesuffix("_quality")
        if column not in known and catalog.column_variable(base) is None:
            source.notes.append(f"column '{column}' is not in the catalog; ignored")


def _priority_order(sources: list[SourceFile]) -> list[SourceFile]:
    """Order metric files so that, for a cell published twice, the better source wins.

    Overall per-metric files first, then per-metric subgroup files, then Urban's
    combined files; within a kind, files under a ``final`` folder first.
    """
    tier = {"overall": 0, "subgroup": 1, "combined": 2}

    def key(s: SourceFile) -> tuple[int, int, str]:
        final = 0 if ("/final/" in f"/{s.relpath}" or "/built/" in f"/{s.relpath}") else 1
        return (tier[s.kind], final, s.relpath)

    return sorted((s for s in sources if s.kind in tier), key=key)


def load_release(
    source_dir: Path,
    warehouse: Path,
    *,
    catalog: Catalog | None = None,
    progress: Progress | None = None,
    source_name: str | None = None,
) -> LoadReport:
    """Load every file under ``source_dir`` into a new warehouse at ``warehouse``.

    Raises :class:`MalformedFile` (naming file, line and column) when a file breaks
    the contract; the existing warehouse, if any, is then left as it was.
    """
    started = time.perf_counter()
    catalog = catalog or get_catalog()
    say = progress or (lambda _message: None)
    source_dir = Path(source_dir).resolve()
    warehouse = Path(warehouse).resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    paths = discover(source_dir)
    if not paths:
        raise MalformedFile(str(source_dir), None, None, "no CSV files found in this directory")
    building = warehouse.with_name(f".{warehouse.name}.building-{os.getpid()}")
    scratch = Path(tempfile.mkdtemp(prefix="upward-load-"))
    try:
        report = _build(source_dir, paths, building, scratch, catalog, say, source_name)
        report.warehouse = str(warehouse)
        os.replace(building, warehouse)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for leftover in (building, building.with_name(building.name + ".wal")):
            leftover.unlink(missing_ok=True)
    report.seconds = time.perf_counter() - started
    return report


def _build(
    source_dir: Path,
    paths: list[Path],
    building: Path,
    scratch: Path,
    catalog: Catalog,
    say: Progress,
    source_name: str | None,
) -> LoadReport:
    checksums = _manifest_checksums()
    sources = [read_source(p, source_dir, scratch) for p in paths]
    for source in sources:
        _classify(source, catalog)
    con = duckdb.connect(str(building))
    try:
        con.execute("SET preserve_insertion_order = true")
        schema.create_staging(con, catalog)
        reports: dict[str, FileReport] = {}
        rejections: list[Rejection] = []
        for source in sources:
            reports[source.relpath] = FileReport(
                path=source.relpath,
                kind=source.kind,
                geo_level=source.geo_level,
                sha256=source.sha256,
                matches_manifest=(
                    checksums[source.relpath] == source.sha256
                    if source.relpath in checksums
                    else None
                ),
                notes=list(source.notes),
            )
            if source.latin1_lines:
                lines = ", ".join(str(n) for n in source.latin1_lines[:5])
                reports[source.relpath].notes.append(f"line(s) {lines} read as Latin-1")
        for source in sources:
            if source.kind == "universe":
                say(f"universe {source.relpath}")
                reports[source.relpath].rows = load_universe(con, source)
            elif source.kind == "crosswalk":
                say(f"crosswalk {source.relpath}")
                reports[source.relpath].rows = load_crosswalk(con, source)
        ordered = _priority_order(sources)

        def stage(item: tuple[int, SourceFile]) -> StagedFile:
            priority, source = item
            say(f"metrics {source.relpath}")
            cursor = con.cursor()
            try:
                return stage_metric_file(cursor, source, catalog, priority)
            finally:
                cursor.close()

        # Files are independent until they meet in ``stage``: check two at a time.
        with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
            for source, staged in zip(ordered, pool.map(stage, enumerate(ordered)), strict=True):
                file_report = reports[source.relpath]
                file_report.file_id = ordered.index(source)
                file_report.rows = staged.rows
                file_report.cells = staged.cells
                file_report.metrics = staged.metrics
                file_report.rows_rejected = len({r.line for r in staged.rejections})
                file_report.notes.extend(staged.notes)
                rejections.extend(staged.rejections)
        say("finishing the warehouse")
        release_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        files = list(reports.values())
        schema.finish(con, catalog)
        _record_release(con, release_id, source_dir, source_name, files, rejections)
        observations = con.execute("SELECT count(*) FROM observation").fetchone()
        geographies = con.execute("SELECT count(*) FROM geography").fetchone()
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return LoadReport(
        source_dir=str(source_dir),
        warehouse="",
        release_id=release_id,
        files=files,
        rejections=rejections,
        observations=int(observations[0]) if observations else 0,
        geographies=int(geographies[0]) if geographies else 0,
        seconds=0.0,
    )


def _record_release(
    con: duckdb.DuckDBPyConnection,
    release_id: str,
    source_dir: Path,
    source_name: str | None,
    files: list[FileReport],
    rejections: list[Rejection],
) -> None:
    verified = [f for f in files if f.matches_manifest]
    data_files = [f for f in files if f.kind != "ignored"]
    con.execute(
        "INSERT INTO release VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            release_id,
            source_name or "Urban Institute, Boosting Upward Mobility: Mobility Metrics",
            str(source_dir),
            _version_label(files),
            datetime.now(UTC).replace(tzinfo=None),  # stored as UTC
            __version__,
            len(verified),
            len(data_files),
        ],
    )
    con.executemany(
        "INSERT INTO release_file VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                f.file_id,
                f.path,
                f.kind,
                f.geo_level,
                f.rows,
                f.rows_rejected,
                f.cells,
                ",".join(f.metrics),
                f.sha256,
                f.matches_manifest,
                json.dumps(f.notes),
            ]
            for f in files
        ],
    )
    if rejections:
        con.executemany(
            "INSERT INTO rejection VALUES (?, ?, ?, ?)",
            [[r.path, r.line, r.column, r.reason] for r in rejections],
        )


def _version_label(files: list[FileReport]) -> str:
    files = [f for f in files if f.kind != "ignored"]
    known = [f for f in files if f.matches_manifest is not None]
    if known and all(f.matches_manifest for f in known) and len(known) == len(files):
        from upward.data.manifest import PINNED_COMMIT

        return f"mobility-from-poverty@{PINNED_COMMIT[:12]} (2025 data round)"
    if known and all(f.matches_manifest for f in known):
        return "partial copy of the 2025 data round"
    return "local files (checksums differ from the packaged manifest)"
