"""The releases on this machine: fetch Urban's files, load them, list, switch, compare,
export. The command line's ``data`` commands call these; the loaded releases themselves
are read through :class:`upward.explore.Release`.
"""

from __future__ import annotations

from pathlib import Path

from upward import config
from upward.data.build import NothingToLoad
from upward.data.contract import MalformedFile
from upward.data.export import export_parquet
from upward.data.fetch_cli import fetch_command
from upward.data.ingest import load_release
from upward.data.map_draft import draft_map
from upward.data.registry import (
    RELEASE_NAME,
    Registry,
    RegistryError,
    ReleaseEntry,
    UnknownRelease,
    check_release_name,
)
from upward.data.release_map import MapError, read_map, recognise_folder
from upward.data.revision import diff_releases


def loaded_releases(warehouse: Path | None = None) -> tuple[list[ReleaseEntry], str | None]:
    """The loaded releases and the current one's name (:class:`RegistryError` if unreadable)."""
    registry = Registry(warehouse or config.warehouse_path())
    return registry.releases(), registry.current_name()


__all__ = [
    "RELEASE_NAME",
    "MalformedFile",
    "MapError",
    "NothingToLoad",
    "Registry",
    "RegistryError",
    "ReleaseEntry",
    "UnknownRelease",
    "check_release_name",
    "diff_releases",
    "draft_map",
    "export_parquet",
    "fetch_command",
    "load_release",
    "loaded_releases",
    "read_map",
    "recognise_folder",
]


def make_current(name: str, warehouse: Path | None = None) -> ReleaseEntry:
    """Make the loaded release ``name`` current (as ``upward data use`` does)."""
    return Registry(warehouse or config.warehouse_path()).use(name)
