"""The warehouse as the web app sees it: one read-only connection per process.

A new release is swapped in by replacing the warehouse file; the next request after
the swap opens the new file (checked at most once a second), and requests in flight
keep reading the old one.
"""

from __future__ import annotations

import os
import threading
import time

from upward import config
from upward.data.warehouse import Warehouse

_lock = threading.Lock()
_state: dict[str, object] = {}


def get_warehouse() -> Warehouse:
    from upward.web.release import pinned_warehouse

    pinned = pinned_warehouse()  # ?release=NAME on this request
    if pinned is not None:
        return pinned
    now = time.monotonic()
    current = _state.get("warehouse")
    if isinstance(current, Warehouse) and now - float(_state.get("checked", 0.0)) < 1.0:  # type: ignore[arg-type]
        return current
    with _lock:
        path = config.warehouse_path()
        stat = os.stat(path) if path.exists() else None
        identity = (str(path), stat.st_ino, stat.st_mtime_ns) if stat else None
        current = _state.get("warehouse")
        if isinstance(current, Warehouse) and identity == _state.get("identity"):
            _state["checked"] = now
            return current
        fresh = Warehouse(path)  # raises WarehouseMissing with a helpful message
        _state.update(warehouse=fresh, identity=identity, checked=now)
        return fresh


def reset() -> None:
    """Forget the open warehouse (tests point UPWARD_WAREHOUSE elsewhere)."""
    with _lock:
        _state.clear()
