"""One load's reading, checking and staging of a release's files into one DuckDB file.

:class:`ReleaseBuild` reads every file, places it through the release map
(:mod:`upward.data.placement`), loads the universes and the crosswalk, stages each
metric file (:mod:`upward.data.metric_file`) and finishes the warehouse tables. A file
that breaks the contract is recorded with its reason and left out; whether the load
may go on without it is the caller's choice (``partial``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from upward import __version__
from upward.catalog import Catalog
from upward.data import schema
from upward.data.contract import MalformedFile, Rejection
from upward.data.metric_file import StagedFile, stage_metric_file
from upward.data.placement import place
from upward.data.release_map import ReleaseMap, recognise, shipped_map
from upward.data.source import SourceFile, read_source
from upward.data.universe import load_crosswalk, load_universe


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
    rejections: list[Rejection] = field(default_factory=list)


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
    source: str = ""
    version: str = ""
    refused: list[MalformedFile] = field(default_factory=list)
    """Files left out (a partial load) with the reason, file, line and column."""
    map: str = ""
    release: str | None = None

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


class ReleaseRefused(MalformedFile):
    """Files of a release that could not be read; nothing was changed.

    ``problems`` names every such file, with line, column and reason. The exception
    itself reads as the first of them, so a single broken file reads as before.
    """

    def __init__(self, problems: list[MalformedFile]) -> None:
        first = problems[0]
        self.problems = problems
        super().__init__(first.path, first.line, first.column, first.reason)

    def __str__(self) -> str:
        lines = [super().__str__()]
        if len(self.problems) > 1:
            lines.append(f"{len(self.problems)} files could not be read:")
            lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class NothingToLoad(MalformedFile):
    """A folder without a single readable metric file: never replaces a warehouse."""


USED_KINDS = ("overall", "subgroup", "combined", "universe", "crosswalk")


class ReleaseBuild:
    """One load's reading, checking and staging, into one DuckDB file."""

    def __init__(
        self,
        source_dir: Path,
        catalog: Catalog,
        say: Progress,
        scratch: Path,
        release_map: ReleaseMap | None,
        release: str | None,
    ) -> None:
        self.source_dir = source_dir
        self.catalog = catalog
        self.say = say
        self.scratch = scratch
        self.release_map = release_map
        self.release = release
        self.problems: list[MalformedFile] = []
        self.reports: dict[str, FileReport] = {}

    @property
    def map_name(self) -> str:
        return self.release_map.name if self.release_map else "drafted from column names"

    def refuse(self, source_path: str, problem: MalformedFile) -> None:
        self.problems.append(problem)
        report = self.reports.get(source_path)
        if report is None:
            report = self.reports[source_path] = FileReport(source_path, "refused", None)
        report.kind = "refused"
        report.notes.append(f"left out: {problem}")

    def _read_sources(self, paths: list[Path]) -> list[SourceFile]:
        sources = []
        for path in paths:
            try:
                sources.append(read_source(path, self.source_dir, self.scratch))
            except MalformedFile as problem:
                self.refuse(path.relative_to(self.source_dir).as_posix(), problem)
        if self.release_map is None:
            checksums = {s.relpath: s.sha256 for s in sources}
            self.release_map = recognise(checksums) or (
                shipped_map(self.release) if self.release else None
            )
        placed = []
        for source in sources:
            try:
                place(source, self.catalog, self.release_map, self.scratch)
            except MalformedFile as problem:
                self._report(source)
                self.refuse(source.relpath, problem)
                continue
            placed.append(source)
        return placed

    def _report(self, source: SourceFile) -> FileReport:
        known = self.release_map.checksums() if self.release_map else {}
        checksums = known or _manifest_checksums()
        report = FileReport(
            path=source.relpath,
            kind=source.kind,
            geo_level=source.geo_level,
            sha256=source.sha256,
            matches_manifest=(
                checksums[source.relpath] == source.sha256 if source.relpath in checksums else None
            ),
            notes=list(source.notes),
        )
        if source.latin1_lines:
            lines = ", ".join(str(n) for n in source.latin1_lines[:5])
            report.notes.append(f"line(s) {lines} read as Latin-1")
        self.reports[source.relpath] = report
        return report

    def run(
        self, paths: list[Path], building: Path, source_name: str | None, partial: bool
    ) -> LoadReport:
        sources = self._read_sources(paths)
        for source in sources:
            self._report(source)
        con = duckdb.connect(str(building))
        try:
            con.execute("SET preserve_insertion_order = true")
            schema.create_staging(con, self.catalog)
            con.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [["release", self.release or ""], ["release_map", self.map_name]],
            )
            if self.release_map and self.release_map.subgroups:
                con.executemany(
                    "INSERT INTO subgroup_map VALUES (?, ?, ?)",
                    [[raw, t, label] for raw, (t, label) in self.release_map.subgroups.items()],
                )
            schema.code_subgroups(con)
            self._load_places(con, sources)
            cells = self._stage_metrics(con, sources)
            self._check_outcome(cells, partial)
            self.say("finishing the warehouse")
            release_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            files = sorted(self.reports.values(), key=lambda f: f.path)
            rejections = [r for f in files for r in f.rejections]
            schema.finish(con, self.catalog)
            label = source_name or (
                self.release_map.source
                if self.release_map and self.release_map.source
                else "Urban Institute, Boosting Upward Mobility: Mobility Metrics"
            )
            version = _version_label(files, self.release_map)
            _record_release(con, release_id, self.source_dir, label, version, files, rejections)
            observations = con.execute("SELECT count(*) FROM observation").fetchone()
            geographies = con.execute("SELECT count(*) FROM geography").fetchone()
            con.execute("CHECKPOINT")
        finally:
            con.close()
        return LoadReport(
            source_dir=str(self.source_dir),
            warehouse="",
            release_id=release_id,
            files=files,
            rejections=rejections,
            observations=int(observations[0]) if observations else 0,
            geographies=int(geographies[0]) if geographies else 0,
            seconds=0.0,
            source=label,
            version=version,
            refused=list(self.problems),
            map=self.map_name,
        )

    def _check_outcome(self, cells: int, partial: bool) -> None:
        if cells == 0:
            used = [f.path for f in self.reports.values() if f.kind in USED_KINDS]
            refused = f"; {len(self.problems)} refused" if self.problems else ""
            raise NothingToLoad(
                str(self.source_dir),
                None,
                None,
                f"no metric file could be read ({len(self.reports)} files: "
                f"{len(used)} universe or crosswalk files{refused}); "
                "a release without metric values never replaces the warehouse",
            )
        if self.problems and not partial:
            raise ReleaseRefused(self.problems)

    def _load_places(self, con: duckdb.DuckDBPyConnection, sources: list[SourceFile]) -> None:
        for source in sources:
            if source.kind not in ("universe", "crosswalk"):
                continue
            self.say(f"{source.kind} {source.relpath}")
            load = load_universe if source.kind == "universe" else load_crosswalk
            try:
                self.reports[source.relpath].rows = load(con, source)
            except MalformedFile as problem:
                self.refuse(source.relpath, _in_own_words(problem, source))

    def _stage_metrics(self, con: duckdb.DuckDBPyConnection, sources: list[SourceFile]) -> int:
        ordered = _priority_order(sources)
        catalog, say = self.catalog, self.say

        def stage(item: tuple[int, SourceFile]) -> StagedFile | MalformedFile:
            priority, source = item
            say(f"metrics {source.relpath}")
            cursor = con.cursor()
            try:
                return stage_metric_file(cursor, source, catalog, priority)
            except MalformedFile as problem:
                return _in_own_words(problem, source)
            finally:
                cursor.close()

        cells = 0
        # Files are independent until they meet in ``stage``: check several at a time.
        with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
            results = pool.map(stage, enumerate(ordered))
            for priority, (source, staged) in enumerate(zip(ordered, results, strict=True)):
                if isinstance(staged, MalformedFile):
                    self.refuse(source.relpath, staged)
                    continue
                if staged.rows == 0:
                    # A header without rows would make its metrics vanish without a word.
                    self.refuse(
                        source.relpath,
                        MalformedFile(source.relpath, None, None, "the file has no data rows"),
                    )
                    continue
                report = self.reports[source.relpath]
                report.file_id = priority
                report.rows = staged.rows
                report.cells = staged.cells
                report.metrics = staged.metrics
                report.rows_rejected = len({r.line for r in staged.rejections})
                report.notes.extend(staged.notes)
                report.rejections = [_rejection_in_own_words(r, source) for r in staged.rejections]
                cells += staged.cells
        return cells


def _in_own_words(problem: MalformedFile, source: SourceFile) -> MalformedFile:
    """The problem under the file's own column name (the map may have renamed it)."""
    if problem.column is None or source.original(problem.column) == problem.column:
        return problem
    return MalformedFile(
        problem.path, problem.line, source.original(problem.column), problem.reason
    )


def _rejection_in_own_words(rejection: Rejection, source: SourceFile) -> Rejection:
    if rejection.column is None or source.original(rejection.column) == rejection.column:
        return rejection
    return Rejection(
        rejection.path, rejection.line, source.original(rejection.column), rejection.reason
    )


def _record_release(
    con: duckdb.DuckDBPyConnection,
    release_id: str,
    source_dir: Path,
    source: str,
    version: str,
    files: list[FileReport],
    rejections: list[Rejection],
) -> None:
    verified = [f for f in files if f.matches_manifest]
    data_files = [f for f in files if f.kind in USED_KINDS]
    con.execute(
        "INSERT INTO release VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            release_id,
            source,
            str(source_dir),
            version,
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


def _version_label(files: list[FileReport], release_map: ReleaseMap | None) -> str:
    """Which of Urban's releases the files are, judged by their checksums."""
    from upward.data.manifest import PINNED_COMMIT

    files = [f for f in files if f.kind in USED_KINDS]
    known = [f for f in files if f.matches_manifest is not None]
    tag, commit = "2025 data round", PINNED_COMMIT
    if release_map and release_map.commit:
        tag, commit = release_map.tag or release_map.name, release_map.commit
    if known and all(f.matches_manifest for f in known) and len(known) == len(files):
        return f"mobility-from-poverty@{commit[:12]} ({tag})"
    if known and all(f.matches_manifest for f in known):
        return f"partial copy of the {tag}" if tag[0].isdigit() else f"partial copy of {tag}"
    return "local files (checksums differ from the packaged manifest)"
