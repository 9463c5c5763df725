"""The warehouse as the web app sees it: one read-only connection per process.

A new release arrives as a new file at the warehouse path: ``upward data load`` renames
it into place, or the release registry points the path (a symlink) at the release's own
file. Every request checks, with one ``os.stat`` (which follows a symlink), whether the
path now names another file: its inode, device, modification time or size changed. If
so, the process opens the new file and drops every cache kept for the old one, so every
worker serves the new release from its next request on.

DuckDB hands back the database already open in the process for the same path, so the
new file is opened through its resolved real path, and when that is the old file's own
name (a rename into place) the old connection is closed first. A request that is
running keeps the warehouse it started with (:class:`WarehouseMiddleware` pins it); an
old connection is closed once no request uses it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.http import HttpRequest, HttpResponse

from upward import config
from upward.data import context
from upward.data.warehouse import Warehouse, WarehouseMissing
from upward.reports import place_analysis

Identity = tuple[int, int, int, int]
"""``(st_ino, st_dev, st_mtime_ns, st_size)`` of the file the warehouse path names."""

#: How long a rename into place waits for running requests to finish with the old file.
CLOSE_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class _Open:
    warehouse: Warehouse
    path: Path
    """The configured path (perhaps a symlink)."""
    real_path: str
    identity: Identity


_lock = threading.Condition()
_current: _Open | None = None
_pins: dict[int, int] = {}
"""id(warehouse) -> requests using it now."""
_retired: dict[int, Warehouse] = {}
"""Old warehouses still used by a running request; closed when the last one ends."""
_resets: list[Callable[[], None]] = [context.forget_benchmarks, place_analysis.forget_tables]
_local = threading.local()


def on_new_warehouse(reset: Callable[[], None]) -> Callable[[], None]:
    """Register a function that drops a cache kept for the warehouse in use."""
    _resets.append(reset)
    return reset


def identity(path: Path) -> Identity | None:
    """What identifies the file at ``path`` (following symlinks), or None if there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_dev, stat.st_mtime_ns, stat.st_size)


def get_warehouse() -> Warehouse:
    """The warehouse of this request (or, outside a request, of this moment).

    A request that names a release (``?release=NAME``) reads that release's file.
    """
    from upward.web.release import pinned_warehouse

    named = pinned_warehouse()
    if named is not None:
        return named
    pinned: Warehouse | None = getattr(_local, "warehouse", None)
    return pinned if pinned is not None else _refresh()


def _refresh() -> Warehouse:
    path = config.warehouse_path()
    found = identity(path)
    current = _current
    if current is not None and current.path == path and found in (current.identity, None):
        return current.warehouse  # unchanged, or removed: keep serving what is open
    with _lock:
        current = _current
        found = identity(path)
        if current is not None and current.path == path and found in (current.identity, None):
            return current.warehouse
        if found is None:
            raise WarehouseMissing(path)
        return _open(path, found).warehouse


def _open(path: Path, found: Identity) -> _Open:
    """Open the file now at ``path``, retire the old one and drop every cache (locked)."""
    global _current
    real_path = os.path.realpath(path)
    old = _current
    if old is not None and old.real_path == real_path:
        # Same name, new file: DuckDB would hand back the old database while it is open.
        _lock.wait_for(lambda: not _pins.get(id(old.warehouse)), timeout=CLOSE_WAIT_SECONDS)
        if _current is not old and _current is not None:
            return _current  # another thread swapped while this one waited
        old.warehouse.close()
        old = None
    fresh = _Open(Warehouse(Path(real_path)), path, real_path, found)
    _current = fresh
    if old is not None:
        _retire(old.warehouse)
    for reset in _resets:
        reset()
    return fresh


def _retire(warehouse: Warehouse) -> None:
    if _pins.get(id(warehouse)):
        _retired[id(warehouse)] = warehouse
    else:
        warehouse.close()


def _pin(warehouse: Warehouse) -> None:
    with _lock:
        _pins[id(warehouse)] = _pins.get(id(warehouse), 0) + 1
    _local.warehouse = warehouse


def _unpin(warehouse: Warehouse) -> None:
    _local.warehouse = None
    with _lock:
        left = _pins.get(id(warehouse), 1) - 1
        if left:
            _pins[id(warehouse)] = left
            return
        _pins.pop(id(warehouse), None)
        retired = _retired.pop(id(warehouse), None)
        if retired is not None:
            retired.close()
        _lock.notify_all()


class WarehouseMiddleware:
    """Check the warehouse once per request and keep that one for the whole request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            warehouse = _refresh()
        except WarehouseMissing:
            return self.get_response(request)  # pages that need it say so themselves
        _pin(warehouse)
        try:
            return self.get_response(request)
        finally:
            _unpin(warehouse)


def reset() -> None:
    """Close and forget the open warehouse (tests point UPWARD_WAREHOUSE elsewhere)."""
    global _current
    with _lock:
        if _current is not None and not _pins.get(id(_current.warehouse)):
            _current.warehouse.close()
        _current = None
        for drop in _resets:
            drop()
