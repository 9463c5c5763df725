"""The release a process answers from, followed when the current release changes.

A new release arrives as a new file at the warehouse path: ``upward data load`` renames
it into place, or the release registry points the path (a symlink) at the release's own
file. :func:`current` checks, with one ``os.stat`` (which follows a symlink), whether the
path now names another file: its inode, device, modification time or size changed. If so
it opens the new file as a new :class:`Release`, and the old release's kept results are
dropped with it (:meth:`Release.invalidate`): the one invalidation.

DuckDB hands back the database already open in the process for the same path, so the
new file is opened through its resolved real path, and when that is the old file's own
name (a rename into place) the old connection is closed first. Work that is running
keeps the release it started with (:func:`serving` pins it); an old release is closed
once nothing uses it.

A request may name another loaded release (:func:`use_release`, the web's
``?release=NAME``); each release's file never changes once built, so that release is
kept per file for the life of the process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from upward import config
from upward.data.registry import Registry, check_release_name
from upward.data.warehouse import Warehouse, WarehouseMissing
from upward.explore.release import Release

Identity = tuple[int, int, int, int]
"""``(st_ino, st_dev, st_mtime_ns, st_size)`` of the file the warehouse path names."""

#: How long a rename into place waits for running work to finish with the old file.
CLOSE_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class _Open:
    release: Release
    path: Path
    """The configured path (perhaps a symlink)."""
    real_path: str
    identity: Identity


_lock = threading.Condition()
_current: _Open | None = None
_pins: dict[int, int] = {}
"""id(release) -> pieces of work using it now."""
_retired: dict[int, Release] = {}
"""Old releases still used by running work; closed when the last one ends."""
_named: dict[str, Release] = {}
"""Releases named by a request (``?release=``), by file."""
_serving: ContextVar[Release | None] = ContextVar("upward_serving", default=None)
_chosen: ContextVar[tuple[str, Release] | None] = ContextVar("upward_release", default=None)


def identity(path: Path) -> Identity | None:
    """What identifies the file at ``path`` (following symlinks), or None if there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_dev, stat.st_mtime_ns, stat.st_size)


def current() -> Release:
    """The release of this piece of work: the one it named, the one it was pinned to, or
    the current one now (:class:`ReleaseMissing` if none has been loaded)."""
    chosen = _chosen.get()
    if chosen is not None:
        return chosen[1]
    pinned = _serving.get()
    return pinned if pinned is not None else _refresh()


def chosen_release() -> str | None:
    """The release this piece of work named (:func:`use_release`), if any."""
    chosen = _chosen.get()
    return chosen[0] if chosen else None


def _refresh() -> Release:
    path = config.warehouse_path()
    found = identity(path)
    now = _current
    if now is not None and now.path == path and found in (now.identity, None):
        return now.release  # unchanged, or removed: keep serving what is open
    with _lock:
        now = _current
        found = identity(path)
        if now is not None and now.path == path and found in (now.identity, None):
            return now.release
        if found is None:
            raise WarehouseMissing(path)
        return _open(path, found).release


def _open(path: Path, found: Identity) -> _Open:
    """Open the file now at ``path`` and retire the old release (locked)."""
    global _current
    real_path = os.path.realpath(path)
    old = _current
    if old is not None and old.real_path == real_path:
        # Same name, new file: DuckDB would hand back the old database while it is open.
        closing = old.release
        _lock.wait_for(lambda: not _pins.get(id(closing)), timeout=CLOSE_WAIT_SECONDS)
        if _current is not old and _current is not None:
            return _current  # another thread swapped while this one waited
        old.release.close()
        old = None
    fresh = _Open(Release(Warehouse(Path(real_path))), path, real_path, found)
    _current = fresh
    if old is not None:
        _retire(old.release)
    return fresh


def _retire(release: Release) -> None:
    release.invalidate()  # nothing new is computed for it; what runs keeps its own objects
    if _pins.get(id(release)):
        _retired[id(release)] = release
    else:
        release.close()


@contextmanager
def serving() -> Iterator[Release | None]:
    """Check for a new release once and keep the one found for the whole block.

    Yields None when no release has been loaded (what needs one says so itself).
    """
    try:
        release = _refresh()
    except WarehouseMissing:
        yield None
        return
    with _lock:
        _pins[id(release)] = _pins.get(id(release), 0) + 1
    token = _serving.set(release)
    try:
        yield release
    finally:
        _serving.reset(token)
        _unpin(release)


def _unpin(release: Release) -> None:
    with _lock:
        left = _pins.get(id(release), 1) - 1
        if left:
            _pins[id(release)] = left
            return
        _pins.pop(id(release), None)
        retired = _retired.pop(id(release), None)
        if retired is not None:
            retired.close()
        _lock.notify_all()


def named_release(name: str) -> Release:
    """The loaded release ``name`` (kept per release file).

    ``ValueError`` for a malformed name, :class:`UnknownRelease` (with the loaded names)
    for one not loaded, :class:`RegistryError` when the registry cannot be read.
    """
    path = Registry(config.warehouse_path()).path(check_release_name(name))
    key = str(path)
    with _lock:
        found = _named.get(key)
        if found is None:
            found = _named[key] = Release(Warehouse(path), name)
        return found


@contextmanager
def use_release(name: str, release: Release | None = None) -> Iterator[Release]:
    """Answer from the loaded release ``name`` for the whole block (errors as above).

    ``release``: that release, already found with :func:`named_release`.
    """
    release = release or named_release(name)
    token = _chosen.set((name, release))
    try:
        yield release
    finally:
        _chosen.reset(token)


def held() -> list[Release]:
    """Every release this process holds open now (current, retiring, named)."""
    with _lock:
        found = [_current.release] if _current is not None else []
        return [*found, *_retired.values(), *_named.values()]


def forget(store: str | None = None) -> None:
    """Drop the kept results (of one store) of every release held (tests; benchmarks)."""
    for release in held():
        release.cache.clear(store)


def reset() -> None:
    """Close and forget the current release (tests point UPWARD_WAREHOUSE elsewhere)."""
    global _current
    with _lock:
        if _current is not None:
            _current.release.invalidate()
            if not _pins.get(id(_current.release)):
                _current.release.close()
        _current = None
        for release in _named.values():
            release.invalidate()
