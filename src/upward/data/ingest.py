"""Build a warehouse from a directory of Urban's published files.

``load_release`` reads every CSV under a directory through the release's map, checks
it against the data contract (:mod:`upward.data.contract`), normalises it into long
observations (:mod:`upward.data.build`) and writes a new DuckDB file. Without a release
name the file replaces the warehouse in use; with one it is added to the release
registry (:mod:`upward.data.registry`) and, by default, made current. Either way the
warehouse in use changes only when the load succeeded.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from upward.catalog import Catalog, get_catalog
from upward.data.build import (
    USED_KINDS,
    FileReport,
    LoadReport,
    NothingToLoad,
    Progress,
    ReleaseBuild,
    ReleaseRefused,
)
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
    catalog = catalog or get_catalog()
    say = progress or (lambda _message: None)
    source_dir = Path(source_dir).resolve()
    warehouse = Path(warehouse).absolute()
    registry = Registry(warehouse) if release else None
    if release:
        check_release_name(release)
    load_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + f"-{secrets.token_hex(2)}"
    final = registry.folder / f"{release}-{load_id}.duckdb" if registry else warehouse
    final.parent.mkdir(parents=True, exist_ok=True)
    for folder in {final.parent, warehouse.parent}:
        remove_stale_builds(folder)
    paths = discover(source_dir)
    if not paths:
        raise NothingToLoad(str(source_dir), None, None, "no CSV files found in this directory")
    building = final.with_name(f".{final.name}.building-{os.getpid()}")
    scratch = final.with_name(f".upward-load-{os.getpid()}")
    scratch.mkdir(exist_ok=True)
    try:
        build = ReleaseBuild(source_dir, catalog, say, scratch, release_map, release)
        report = build.run(paths, building, source_name, partial)
        report.release = release
        report.warehouse = str(final)
        os.replace(building, final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for leftover in (building, building.with_name(building.name + ".wal")):
            leftover.unlink(missing_ok=True)
    if registry and release:
        registry.add(_entry(report, release, load_id, final.name, build), make_current)
        report.warehouse = str(registry.warehouse if make_current else final)
    report.seconds = time.perf_counter() - started
    return report


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


def _entry(
    report: LoadReport, release: str, load_id: str, file: str, build: ReleaseBuild
) -> ReleaseEntry:
    used = sorted(f"{f.path} {f.sha256}" for f in report.files if f.kind in USED_KINDS)
    return ReleaseEntry(
        name=release,
        file=file,
        load_id=load_id,
        loaded_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        source=report.source,
        source_dir=report.source_dir,
        version=report.version,
        checksum=hashlib.sha256("\n".join(used).encode()).hexdigest(),
        files=len(used),
        files_left_out=len(report.refused),
        cells=report.observations,
        places=report.geographies,
        partial=bool(report.refused),
        map=build.map_name,
    )
