"""Build a warehouse from a directory of Urban's published files.

``load_release`` reads every CSV under a directory through the release's map, checks
it against the data contract (:mod:`upward.data.contract`), normalises it into long
observations and writes a new DuckDB file (the steps of :mod:`upward.data.build`).
Without a release name the file replaces the warehouse in use; with one it is added to
the release registry (:mod:`upward.data.registry`) and, by default, made current. Either
way the warehouse in use changes only when the load succeeded.

A load is a sequence of steps, each returning a frozen result that the next one takes:

    plan_target -> find_files -> build_into -> install -> summarise
    (where)        (what)        (a built file    (registered,  (the LoadReport,
                                  renamed into     made current) built once)
                                  place, or none)
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from upward.catalog import Catalog, get_catalog
from upward.data.build import USED_KINDS, NothingToLoad, ReleaseRefused, build_release
from upward.data.contract import MalformedFile, Rejection
from upward.data.load_step import BuildSpec, BuiltRelease, FileReport, Progress
from upward.data.registry import Registry, ReleaseEntry, check_release_name
from upward.data.release_map import ReleaseMap
from upward.data.source import discover

__all__ = [
    "FileReport",
    "LoadReport",
    "NothingToLoad",
    "ReleaseRefused",
    "load_release",
    "remove_stale_builds",
]


@dataclass(frozen=True)
class LoadReport:
    """The outcome of a successful load."""

    source_dir: str
    warehouse: str
    release_id: str
    files: tuple[FileReport, ...]
    rejections: tuple[Rejection, ...]
    observations: int
    geographies: int
    seconds: float
    source: str = ""
    version: str = ""
    refused: tuple[MalformedFile, ...] = ()
    """Files left out (a partial load) with the reason, file, line and column."""
    map: str = ""
    release: str | None = None

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)


@dataclass(frozen=True)
class LoadTarget:
    """Where one load writes: the warehouse path it was given and the file it builds."""

    warehouse: Path
    final: Path
    """The built file's place: ``warehouse`` itself, or a new file in the releases folder."""
    load_id: str
    release: str | None


def load_release(
    source_dir: Path,
    warehouse: Path,
    *,
    catalog: Catalog | None = None,
    progress: Progress | None = None,
    source_name: str | None = None,
    release: str | None = None,
    release_map: ReleaseMap | None = None,
    partial: bool = False,
    make_current: bool = True,
) -> LoadReport:
    """Load every file under ``source_dir`` into a new warehouse.

    Without ``release`` the new file replaces ``warehouse`` (a plain file, as before
    releases existed). With ``release`` it becomes a new file in the releases folder
    beside ``warehouse``, is registered under that name and, with ``make_current``,
    becomes the one ``warehouse`` opens (:mod:`upward.data.registry`).

    Every file is tried. Files that break the contract raise one :class:`ReleaseRefused`
    naming all of them, unless ``partial``: then the others are loaded and the report
    lists each file left out with its reason. A folder without one readable metric file
    raises :class:`NothingToLoad` even with ``partial``. The warehouse in use, if any, is
    left as it was whenever an exception is raised.
    """
    started = time.perf_counter()
    spec = BuildSpec(
        source_dir=Path(source_dir).resolve(),
        catalog=catalog or get_catalog(),
        progress=progress or _silent,
        release=release,
        release_map=release_map,
        source_name=source_name,
        partial=partial,
    )
    target = plan_target(warehouse, release)
    paths = find_files(spec.source_dir)
    built = build_into(target, paths, spec)
    shown = install(target, built, make_current)
    return summarise(built, release, shown, time.perf_counter() - started)


def plan_target(warehouse: Path, release: str | None) -> LoadTarget:
    """Check the release name, name the file to build, and clear killed loads' leftovers."""
    warehouse = Path(warehouse).absolute()
    if release:
        check_release_name(release)
    load_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + f"-{secrets.token_hex(2)}"
    final = Registry(warehouse).folder / f"{release}-{load_id}.duckdb" if release else warehouse
    final.parent.mkdir(parents=True, exist_ok=True)
    for folder in {final.parent, warehouse.parent}:
        remove_stale_builds(folder)
    return LoadTarget(warehouse=warehouse, final=final, load_id=load_id, release=release)


def find_files(source_dir: Path) -> tuple[Path, ...]:
    """Every CSV file under ``source_dir``; :class:`NothingToLoad` when there is none."""
    paths = discover(source_dir)
    if not paths:
        raise NothingToLoad(str(source_dir), None, None, "no CSV files found in this directory")
    return tuple(paths)


def build_into(target: LoadTarget, paths: Sequence[Path], spec: BuildSpec) -> BuiltRelease:
    """Build the release in a hidden file beside ``target.final``, then rename it into place.

    The rename is the only change a load makes to the file in use. Whatever happens,
    the hidden file and the scratch folder are gone when this returns or raises.
    """
    final = target.final
    building = final.with_name(f".{final.name}.building-{os.getpid()}")
    scratch = final.with_name(f".upward-load-{os.getpid()}")
    scratch.mkdir(exist_ok=True)
    try:
        built = build_release(paths, building, scratch, spec)
        os.replace(building, final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for leftover in (building, building.with_name(building.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return built


def install(target: LoadTarget, built: BuiltRelease, make_current: bool) -> Path:
    """Register a named release (current with ``make_current``); the path the report names."""
    if target.release is None:
        return target.final
    registry = Registry(target.warehouse)
    registry.add(release_entry(built, target), make_current)
    return registry.warehouse if make_current else target.final


def release_entry(built: BuiltRelease, target: LoadTarget) -> ReleaseEntry:
    """The registry's entry for a built release."""
    assert target.release is not None
    used = sorted(f"{f.path} {f.sha256}" for f in built.files if f.kind in USED_KINDS)
    return ReleaseEntry(
        name=target.release,
        file=target.final.name,
        load_id=target.load_id,
        loaded_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        source=built.source,
        source_dir=built.source_dir,
        version=built.version,
        checksum=hashlib.sha256("\n".join(used).encode()).hexdigest(),
        files=len(used),
        files_left_out=len(built.refused),
        cells=built.observations,
        places=built.geographies,
        partial=bool(built.refused),
        map=built.map,
    )


def summarise(built: BuiltRelease, release: str | None, shown: Path, seconds: float) -> LoadReport:
    """The load's report, from the built release and where it now answers."""
    built_fields = {f.name: getattr(built, f.name) for f in fields(BuiltRelease)}
    return LoadReport(**built_fields, warehouse=str(shown), seconds=seconds, release=release)


def remove_stale_builds(folder: Path) -> list[Path]:
    """Delete what loads killed before they finished left in ``folder``.

    A load builds ``.<file>.building-<pid>`` (and a ``.upward-load-<pid>`` scratch
    folder) and renames the file into place at the end; a release switch writes
    ``.<warehouse>.link-<pid>`` and ``.registry.json.<pid>`` before renaming them. When
    the process named in such a file is gone, the file is a leftover of a killed load.
    """
    removed = []
    patterns = (".*.building-*", ".upward-load-*", ".*.link-*", ".registry.json.*")
    for path in [p for pattern in patterns for p in folder.glob(pattern)]:
        found = re.search(r"[-.](\d+)(?:\.wal)?$", path.name)
        if found and not _alive(int(found.group(1))):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _silent(_message: str) -> None:
    pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
