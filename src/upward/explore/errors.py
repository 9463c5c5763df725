"""Every way a question to a release can fail, typed, with words a person can act on.

``PlaceError`` is the one error of naming a place: :class:`BadPlaceCode` (the code's form
or kind is wrong), :class:`PlaceNotFound` (no such place; the closest ones suggested) and
:class:`AmbiguousPlace` (several match; the candidates). ``ReleaseMissing`` (no release
loaded, or one built by an older Upward), ``UnknownRelease`` (a name not loaded; the
loaded ones suggested), ``RegistryError``, ``InvalidChoice`` (a year or level a metric
lacks) and :class:`PeerChoiceError` complete the list. Pages, API and command line map
them to statuses and words in one place each.
"""

from __future__ import annotations

from upward.catalog import UnknownName
from upward.data.distribution import InvalidChoice
from upward.data.registry import RegistryError, UnknownRelease
from upward.data.warehouse import (
    AmbiguousPlace,
    BadPlaceCode,
    PlaceError,
    PlaceNotFound,
    WarehouseMissing,
    WarehouseOutdated,
)
from upward.explore.peer_choice import PeerChoiceError

ReleaseMissing = WarehouseMissing
"""No warehouse at the configured path (the message says how to build one)."""
ReleaseOutdated = WarehouseOutdated
"""A warehouse built by an older Upward (a kind of :data:`ReleaseMissing`)."""

DATA_NOT_LOADED = (
    "Data not loaded",
    "The metrics warehouse has not been built on this server yet. An operator builds it "
    "with: upward data load DIR (DIR holds Urban's files; `upward data fetch DIR` "
    "downloads them).",
)
"""Title and message of the public 503 when no release is loaded."""

__all__ = [
    "DATA_NOT_LOADED",
    "AmbiguousPlace",
    "BadPlaceCode",
    "InvalidChoice",
    "PeerChoiceError",
    "PlaceError",
    "PlaceNotFound",
    "RegistryError",
    "ReleaseMissing",
    "ReleaseOutdated",
    "UnknownName",
    "UnknownRelease",
    "WarehouseMissing",
    "WarehouseOutdated",
]
