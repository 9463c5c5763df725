"""Every result kept for one loaded release, in one place, with one lock and one reset.

A release's warehouse never changes once built, so anything computed from it (feature
tables, benchmarks, whole analyses, rendered profiles, finished pages) may be kept for as
long as that release answers. :class:`ReleaseCache` holds all of them, each kind in its
own named, bounded store (least recently used first out); :meth:`ReleaseCache.clear`
drops them all when the release stops answering.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Entries kept per store unless the store is given its own bound.
DEFAULT_SIZE = 64


class ReleaseCache:
    """Named stores of kept results; thread-safe; one :meth:`clear` for all of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stores: dict[str, OrderedDict[Hashable, Any]] = {}

    def get(self, store: str, key: Hashable) -> Any | None:
        """The kept value (now the most recently used), or None."""
        with self._lock:
            entries = self._stores.get(store)
            if entries is None or key not in entries:
                return None
            entries.move_to_end(key)
            return entries[key]

    def put(self, store: str, key: Hashable, value: T, size: int = DEFAULT_SIZE) -> T:
        """Keep ``value``; the store keeps at most ``size`` entries (0: keep nothing)."""
        if size <= 0:
            return value
        with self._lock:
            entries = self._stores.setdefault(store, OrderedDict())
            entries[key] = value
            entries.move_to_end(key)
            while len(entries) > size:
                entries.popitem(last=False)
        return value

    def keep(
        self, store: str, key: Hashable, build: Callable[[], T], size: int = DEFAULT_SIZE
    ) -> T:
        """The kept value for ``key``, or ``build()`` kept. Two threads may both build."""
        found = self.get(store, key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        return self.put(store, key, build(), size)

    def size(self, store: str) -> int:
        """How many entries ``store`` holds now."""
        with self._lock:
            return len(self._stores.get(store, ()))

    def stores(self) -> dict[str, int]:
        """Each store's name and how many entries it holds."""
        with self._lock:
            return {name: len(entries) for name, entries in self._stores.items()}

    def clear(self, store: str | None = None) -> None:
        """Drop every kept result (or those of one store)."""
        with self._lock:
            if store is None:
                self._stores.clear()
            else:
                self._stores.pop(store, None)
