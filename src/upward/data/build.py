"""The steps of one load, from a release's files to a finished DuckDB file.

:func:`build_release` runs them in order. Each takes frozen inputs and returns a frozen
result; a file's :class:`FileReport` is written by the step where the file's story ends
(read, placed, loaded, or left out with its reason) and never changed afterwards:

1. :func:`read_sources` hashes each file, checks its encoding and reads its header;
2. :func:`choose_map` picks the release map (given, recognised by checksum, or shipped);
3. :func:`place_sources` says what each file is (:mod:`upward.data.placement`);
4. :func:`load_places` loads the universes and the crosswalk (:mod:`upward.data.universe`);
5. :func:`stage_metrics` checks and stages each metric file (:mod:`upward.data.metric_file`);
6. :func:`check_outcome` refuses a release with a file left out (unless ``partial``) or
   without a single readable metric file;
7. :func:`finish_release` builds the final tables (:mod:`upward.data.schema`) and records
   the release and its files.

Whether the load may go on without a file that breaks the contract is the caller's
choice (``partial``); putting the built file in place is :mod:`upward.data.ingest`'s.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from upward import __version__
from upward.catalog import Catalog
from upward.data import schema
from upward.data.contract import MalformedFile, Rejection
from upward.data.load_step import (
    BuildSpec,
    BuiltRelease,
    Ended,
    FileReport,
    Outcomes,
    PlacedFile,
    Progress,
    SourcesPlaced,
    SourcesRead,
)
from upward.data.metric_file import StagedFile, stage_metric_file
from upward.data.placement import place
from upward.data.release_map import ReleaseMap, recognise, shipped_map
from upward.data.source import SourceFile, read_source
from upward.data.universe import load_crosswalk, load_universe

#: Files checked at once; DuckDB runs each small file's queries on one core.
LOAD_THREADS = max(2, min(4, os.cpu_count() or 2))

METRIC_KINDS = ("overall", "subgroup", "combined")
PLACE_KINDS = ("universe", "crosswalk")
USED_KINDS = (*METRIC_KINDS, *PLACE_KINDS)
DEFAULT_SOURCE = "Urban Institute, Boosting Upward Mobility: Mobility Metrics"


class ReleaseRefused(MalformedFile):
    """Files of a release that could not be read; nothing was changed.

    ``problems`` names every such file, with line, column and reason. The exception
    itself reads as the first of them, so a single broken file reads as before.
    """

    def __init__(self, problems: Sequence[MalformedFile]) -> None:
        first = problems[0]
        self.problems = list(problems)
        super().__init__(first.path, first.line, first.column, first.reason)

    def __str__(self) -> str:
        lines = [super().__str__()]
        if len(self.problems) > 1:
            lines.append(f"{len(self.problems)} files could not be read:")
            lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class NothingToLoad(MalformedFile):
    """A folder without a single readable metric file: never replaces a warehouse."""


# The build, step by step ---------------------------------------------------------------


def build_release(
    paths: Sequence[Path], building: Path, scratch: Path, spec: BuildSpec
) -> BuiltRelease:
    """Read, place, check and stage every file of ``paths`` into ``building``, then finish it.

    Raises :class:`ReleaseRefused` or :class:`NothingToLoad` (from :func:`check_outcome`);
    ``building`` is then half built and is the caller's to remove.
    """
    read = read_sources(paths, spec.source_dir, scratch)
    release_map = choose_map(read.sources, spec)
    placed = place_sources(read.sources, spec.catalog, release_map, scratch)
    con = duckdb.connect(str(building))
    try:
        open_warehouse(con, spec, release_map)
        places = load_places(con, placed.of_kind(*PLACE_KINDS), spec.progress)
        metrics = stage_metrics(con, placed.of_kind(*METRIC_KINDS), spec.catalog, spec.progress)
        outcomes = Outcomes.joined(read.outcomes, placed.outcomes, places, metrics)
        check_outcome(outcomes, spec)
        spec.progress("finishing the warehouse")
        return finish_release(con, spec, release_map, outcomes)
    finally:
        con.close()


def read_sources(paths: Sequence[Path], source_dir: Path, scratch: Path) -> SourcesRead:
    """Hash each file, check its encoding and read its header; a file that fails is left out."""
    sources, refused = [], []
    for path in paths:
        try:
            sources.append(read_source(path, source_dir, scratch))
        except MalformedFile as problem:
            report = FileReport(path.relative_to(source_dir).as_posix(), "refused", None)
            refused.append((report, problem))
    return SourcesRead(tuple(sources), Outcomes.of(refused))


def choose_map(sources: Sequence[SourceFile], spec: BuildSpec) -> ReleaseMap | None:
    """The map given, else the shipped map the files' checksums name, else the release's."""
    if spec.release_map is not None:
        return spec.release_map
    checksums = {s.relpath: s.sha256 for s in sources}
    return recognise(checksums) or (shipped_map(spec.release) if spec.release else None)


def map_name(release_map: ReleaseMap | None) -> str:
    return release_map.name if release_map else "drafted from column names"


def place_sources(
    sources: Sequence[SourceFile], catalog: Catalog, release_map: ReleaseMap | None, scratch: Path
) -> SourcesPlaced:
    """Place each file through the map and describe it; files not used end here."""
    checksums = known_checksums(release_map)
    files: list[PlacedFile] = []
    ended: list[Ended] = []
    for source in sources:
        placement = place(source, catalog, release_map, scratch)
        report = describe(placement.source, checksums)
        if placement.problem is not None:
            ended.append((report, placement.problem))
        elif placement.source.kind in USED_KINDS:
            files.append(PlacedFile(placement.source, report))
        else:
            ended.append((report, None))
    return SourcesPlaced(tuple(files), Outcomes.of(ended))


def known_checksums(release_map: ReleaseMap | None) -> Mapping[str, str]:
    """The checksums a file is compared with: the map's, else the packaged manifest's."""
    known = release_map.checksums() if release_map else {}
    return known or _manifest_checksums()


def describe(source: SourceFile, checksums: Mapping[str, str]) -> FileReport:
    """The report of a file as read and placed, before any of it is loaded."""
    notes = source.notes
    if source.latin1_lines:
        lines = ", ".join(str(n) for n in source.latin1_lines[:5])
        notes = (*notes, f"line(s) {lines} read as Latin-1")
    return FileReport(
        path=source.relpath,
        kind=source.kind,
        geo_level=source.geo_level,
        sha256=source.sha256,
        matches_manifest=(
            checksums[source.relpath] == source.sha256 if source.relpath in checksums else None
        ),
        notes=notes,
    )


def open_warehouse(
    con: duckdb.DuckDBPyConnection, spec: BuildSpec, release_map: ReleaseMap | None
) -> None:
    """Create the staging tables and record the release's name, map and subgroup wording."""
    con.execute("SET preserve_insertion_order = true")
    schema.create_staging(con, spec.catalog)
    con.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [["release", spec.release or ""], ["release_map", map_name(release_map)]],
    )
    if release_map and release_map.subgroups:
        con.executemany(
            "INSERT INTO subgroup_map VALUES (?, ?, ?)",
            [[raw, t, label] for raw, (t, label) in release_map.subgroups.items()],
        )


def load_places(
    con: duckdb.DuckDBPyConnection, files: Sequence[PlacedFile], say: Progress
) -> Outcomes:
    """Load the universes (places, names, populations) and the county-place crosswalk."""
    ended: list[Ended] = []
    for file in files:
        source = file.source
        say(f"{source.kind} {source.relpath}")
        load = load_universe if source.kind == "universe" else load_crosswalk
        try:
            ended.append((replace(file.report, rows=load(con, source)), None))
        except MalformedFile as problem:
            ended.append((file.report, _in_own_words(problem, source)))
    return Outcomes.of(ended)


def stage_metrics(
    con: duckdb.DuckDBPyConnection, files: Sequence[PlacedFile], catalog: Catalog, say: Progress
) -> Outcomes:
    """Check each metric file and stage its cells, the better source of a cell first."""
    ordered = _priority_order(files)

    def stage(item: tuple[int, PlacedFile]) -> StagedFile | MalformedFile:
        priority, file = item
        say(f"metrics {file.source.relpath}")
        cursor = con.cursor()
        try:
            return stage_metric_file(cursor, file.source, catalog, priority)
        except MalformedFile as problem:
            return _in_own_words(problem, file.source)
        finally:
            cursor.close()

    # Files are independent until they meet in ``stage``: check several at a time.
    with ThreadPoolExecutor(max_workers=LOAD_THREADS) as pool:
        staged = pool.map(stage, enumerate(ordered))
        ended = [
            _staged_report(file, priority, result)
            for priority, (file, result) in enumerate(zip(ordered, staged, strict=True))
        ]
    return Outcomes.of(ended)


def _staged_report(file: PlacedFile, priority: int, staged: StagedFile | MalformedFile) -> Ended:
    """The report of a metric file once staged, or left out for its problem."""
    source = file.source
    if isinstance(staged, MalformedFile):
        return file.report, staged
    if staged.rows == 0:
        # A header without rows would make its metrics vanish without a word.
        return file.report, MalformedFile(source.relpath, None, None, "the file has no data rows")
    staged_report = replace(
        file.report,
        file_id=priority,
        rows=staged.rows,
        cells=staged.cells,
        metrics=staged.metrics,
        rows_rejected=len({r.line for r in staged.rejections}),
        notes=(*file.report.notes, *staged.notes),
        rejections=tuple(_rejection_in_own_words(r, source) for r in staged.rejections),
    )
    return staged_report, None


def check_outcome(outcomes: Outcomes, spec: BuildSpec) -> None:
    """Refuse a release without metric values, or with a file left out unless ``partial``."""
    if outcomes.cells == 0:
        used = [f.path for f in outcomes.reports if f.kind in USED_KINDS]
        refused = f"; {len(outcomes.refused)} refused" if outcomes.refused else ""
        raise NothingToLoad(
            str(spec.source_dir),
            None,
            None,
            f"no metric file could be read ({len(outcomes.reports)} files: "
            f"{len(used)} universe or crosswalk files{refused}); "
            "a release without metric values never replaces the warehouse",
        )
    if outcomes.refused and not spec.partial:
        raise ReleaseRefused(outcomes.refused)


def finish_release(
    con: duckdb.DuckDBPyConnection,
    spec: BuildSpec,
    release_map: ReleaseMap | None,
    outcomes: Outcomes,
) -> BuiltRelease:
    """Build the final tables, record the release and its files, and count what is in it."""
    release_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    files = tuple(sorted(outcomes.reports, key=lambda f: f.path))
    rejections = tuple(r for f in files for r in f.rejections)
    schema.finish(con, spec.catalog)
    source = spec.source_name or (
        release_map.source if release_map and release_map.source else DEFAULT_SOURCE
    )
    version = _version_label(files, release_map)
    _record_release(con, release_id, spec.source_dir, source, version, files, rejections)
    observations = con.execute("SELECT count(*) FROM observation").fetchone()
    geographies = con.execute("SELECT count(*) FROM geography").fetchone()
    con.execute("CHECKPOINT")
    return BuiltRelease(
        source_dir=str(spec.source_dir),
        release_id=release_id,
        files=files,
        rejections=rejections,
        refused=outcomes.refused,
        observations=int(observations[0]) if observations else 0,
        geographies=int(geographies[0]) if geographies else 0,
        source=source,
        version=version,
        map=map_name(release_map),
    )


def _manifest_checksums() -> dict[str, str]:
    try:
        from upward.data.manifest import load_manifest
    except ImportError:  # pragma: no cover - the manifest ships with the package
        return {}
    return {entry.path: entry.sha256 for entry in load_manifest()}


def _priority_order(files: Sequence[PlacedFile]) -> list[PlacedFile]:
    """Order metric files so that, for a cell published twice, the better source wins.

    Overall per-metric files first, then per-metric subgroup files, then Urban's
    combined files; within a kind, files under a ``final`` folder first.
    """
    tier = {"overall": 0, "subgroup": 1, "combined": 2}

    def key(file: PlacedFile) -> tuple[int, int, str]:
        s = file.source
        final = 0 if ("/final/" in f"/{s.relpath}" or "/built/" in f"/{s.relpath}") else 1
        return (tier[s.kind], final, s.relpath)

    return sorted((f for f in files if f.source.kind in tier), key=key)


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
    files: Sequence[FileReport],
    rejections: Sequence[Rejection],
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


def _version_label(files: Sequence[FileReport], release_map: ReleaseMap | None) -> str:
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
