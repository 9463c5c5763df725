"""Releases side by side: one DuckDB file per load and a registry that names them.

Layout, beside the warehouse path ``W`` (``$UPWARD_WAREHOUSE``, by default
``$UPWARD_HOME/warehouse.duckdb``)::

    W                                   a symlink onto the current release's file
    W.parent/releases/registry.json     the releases, written atomically
    W.parent/releases/<name>-<load>.duckdb  one file per load, never changed once built

Making a release current replaces the symlink ``W`` atomically (``os.replace`` of a new
symlink), so ``os.stat(W)``, which follows the link, changes identity exactly when the
current release changes; a process that reads ``W`` sees the old release or the new one,
never a mixture. A warehouse built before releases existed (a plain file at ``W``) is
adopted as a release named ``legacy-<load id>`` the first time a release is added.
"""

from __future__ import annotations

import difflib
import fcntl
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from upward.catalog import UnknownName

REGISTRY_FILE = "registry.json"
RELEASES_DIR = "releases"
RELEASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


class RegistryError(RuntimeError):
    """A registry file that cannot be read (edited by hand, say), with what to do."""


class UnknownRelease(UnknownName):
    """A release name that is not loaded, with the closest loaded names."""

    def __init__(self, name: str, known: list[str]) -> None:
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        super().__init__("release", name, close or known[:5])
        self.known = known

    def __str__(self) -> str:
        if not self.known:
            return (
                f"Unknown release {self.name!r}: no release is loaded. "
                "Load one with: upward data load DIR --release NAME"
            )
        return super().__str__()


def check_release_name(name: str) -> str:
    """A release name is 1 to 40 letters, digits, dots, dashes or underscores."""
    if not RELEASE_NAME.fullmatch(name):
        raise ValueError(
            f"'{name}' is not a release name: use 1 to 40 letters, digits, '.', '-' or '_', "
            "starting with a letter or digit (for example 2025.01)."
        )
    return name


@dataclass(frozen=True)
class ReleaseEntry:
    """One loaded release, as the registry lists it."""

    name: str
    file: str
    """The DuckDB file's name inside the releases folder."""
    load_id: str
    loaded_at: str
    """UTC, ISO 8601."""
    source: str
    source_dir: str
    version: str
    checksum: str
    """SHA-256 over the sorted (path, SHA-256) lines of every file the load used."""
    files: int
    files_left_out: int
    cells: int
    places: int
    partial: bool = False
    map: str = ""
    """The release map the load followed (a shipped map's name, or 'drafted')."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Registry:
    """The releases kept beside one warehouse path."""

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = Path(warehouse).absolute()
        self.folder = self.warehouse.parent / RELEASES_DIR
        self.file = self.folder / REGISTRY_FILE

    # Reading ------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"current": None, "releases": []}
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RegistryError(
                f"The release registry {self.file} is not valid JSON ({exc}). Restore it, "
                "or remove it and load the releases again."
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("releases", []), list):
            raise RegistryError(
                f"The release registry {self.file} does not list releases. Restore it, "
                "or remove it and load the releases again."
            )
        return data

    def releases(self) -> list[ReleaseEntry]:
        """Every registered release, oldest load first."""
        raw = self._read().get("releases") or []
        fields = set(ReleaseEntry.__dataclass_fields__)
        entries = [
            ReleaseEntry(**{k: v for k, v in item.items() if k in fields})
            for item in raw
            if isinstance(item, dict)
        ]
        return entries  # appended as loaded: the oldest load first

    def current_name(self) -> str | None:
        name = self._read().get("current")
        return name if isinstance(name, str) else None

    def current(self) -> ReleaseEntry | None:
        name = self.current_name()
        return self.get(name) if name else None

    def get(self, name: str) -> ReleaseEntry:
        """The release called ``name``; :class:`UnknownRelease` with suggestions otherwise."""
        entries = {e.name: e for e in self.releases()}
        if name not in entries:
            raise UnknownRelease(name, list(entries))
        return entries[name]

    def path(self, name: str | None = None) -> Path:
        """The DuckDB file of release ``name`` (the current warehouse path for None)."""
        if name is None:
            return self.warehouse
        return self.folder / self.get(name).file

    # Writing ------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        """Read-modify-write the registry under an exclusive lock, then write it atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".registry.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = self._read()
            yield data
            temporary = self.file.with_name(f".{REGISTRY_FILE}.{os.getpid()}")
            temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
            os.replace(temporary, self.file)

    def add(self, entry: ReleaseEntry, make_current: bool = True) -> ReleaseEntry | None:
        """Register a freshly built release; returns the entry it replaced, if any.

        A release loaded again under the same name replaces the earlier load of that name;
        the earlier file is deleted (processes that have it open keep reading it).
        """
        check_release_name(entry.name)
        self._adopt_legacy()
        with self._locked() as data:
            releases = [r for r in data.get("releases") or [] if isinstance(r, dict)]
            replaced = next((r for r in releases if r.get("name") == entry.name), None)
            data["releases"] = [r for r in releases if r.get("name") != entry.name]
            data["releases"].append(entry.as_dict())
            if make_current or not data.get("current"):
                data["current"] = entry.name
                self._point_at(entry.file)
            elif data.get("current") == entry.name:
                self._point_at(entry.file)
        if replaced and replaced.get("file") != entry.file:
            (self.folder / str(replaced.get("file"))).unlink(missing_ok=True)
        fields = set(ReleaseEntry.__dataclass_fields__)
        return (
            ReleaseEntry(**{k: v for k, v in replaced.items() if k in fields}) if replaced else None
        )

    def use(self, name: str) -> ReleaseEntry:
        """Make release ``name`` current: the warehouse path now opens its file."""
        entry = self.get(name)
        if not (self.folder / entry.file).is_file():
            raise FileNotFoundError(
                f"The file of release {name!r} ({self.folder / entry.file}) is missing; "
                f"load it again with: upward data load DIR --release {name}"
            )
        with self._locked() as data:
            data["current"] = name
            self._point_at(entry.file)
        return entry

    def _point_at(self, file: str) -> None:
        """Swap the warehouse symlink onto ``releases/<file>`` in one rename."""
        target = Path(os.path.relpath(self.folder / file, self.warehouse.parent))
        link = self.warehouse.with_name(f".{self.warehouse.name}.link-{os.getpid()}")
        link.unlink(missing_ok=True)
        os.symlink(target, link)
        os.replace(link, self.warehouse)

    def _adopt_legacy(self) -> None:
        """Keep a plain warehouse file (built before releases) as a release of its own."""
        if self.warehouse.is_symlink() or not self.warehouse.is_file():
            return
        load_id, info = _legacy_info(self.warehouse)
        name = f"legacy-{load_id}"
        file = f"{name}.duckdb"
        self.folder.mkdir(parents=True, exist_ok=True)
        os.replace(self.warehouse, self.folder / file)
        entry = ReleaseEntry(name=name, file=file, load_id=load_id, **info)
        with self._locked() as data:
            data["releases"] = [*(data.get("releases") or []), entry.as_dict()]
            data["current"] = name
            self._point_at(file)


def _legacy_info(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        return _read_legacy_info(path)
    except duckdb.Error:  # not a warehouse of this version: keep it, with what is known
        stamp = f"{path.stat().st_mtime_ns}"
        return stamp, {
            "loaded_at": "", "source": "unknown", "source_dir": "", "version": "unknown",
            "checksum": "", "files": 0, "files_left_out": 0, "cells": 0, "places": 0,
            "map": "unknown (built before releases)",
        }  # fmt: skip


def _read_legacy_info(path: Path) -> tuple[str, dict[str, Any]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute(
            "SELECT release_id, source, source_dir, version, loaded_at, files FROM release"
        ).fetchone()
        counts = con.execute(
            "SELECT (SELECT count(*) FROM observation), (SELECT count(*) FROM geography)"
        ).fetchone()
    finally:
        con.close()
    assert row is not None and counts is not None
    return str(row[0]), {
        "loaded_at": f"{row[4].isoformat()}Z",
        "source": str(row[1]),
        "source_dir": str(row[2]),
        "version": str(row[3]),
        "checksum": "",
        "files": int(row[5]),
        "files_left_out": 0,
        "cells": int(counts[0]),
        "places": int(counts[1]),
        "map": "unknown (built before releases)",
    }


def list_releases(warehouse: Path) -> list[ReleaseEntry]:
    return Registry(warehouse).releases()


def current_release(warehouse: Path) -> ReleaseEntry | None:
    return Registry(warehouse).current()


def resolve_release(warehouse: Path, name: str | None) -> Path:
    """The file to open for release ``name`` (None: the current warehouse path)."""
    return Registry(warehouse).path(name)


def use_release(warehouse: Path, name: str) -> ReleaseEntry:
    return Registry(warehouse).use(name)
