"""The packaged list of Urban's Mobility Metrics release files, with their checksums.

`release_manifest.csv` (beside this module) lists the 104 per-metric files of the
"version 2025" data round at commit `PINNED_COMMIT` of `UI-Research/mobility-from-poverty`:
repository-relative path, size in bytes, SHA-256, the catalog metric ids the file holds
and its geography. `fetch.py` downloads against it; the loader uses it to tell whether a
file on disk is byte-for-byte the one Urban published.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

PINNED_COMMIT = "5aa12e3e08b1e44db52b06c0a731fe9985cb17f8"
DEFAULT_BASE_URL = (
    f"https://raw.githubusercontent.com/UI-Research/mobility-from-poverty/{PINNED_COMMIT}/"
)

_MANIFEST_RESOURCE = "release_manifest.csv"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ManifestEntry:
    """One published file: where it lives in the repository and what its bytes must be."""

    path: str
    bytes: int
    sha256: str
    metric_ids: tuple[str, ...]
    geography: str

    def __post_init__(self) -> None:
        pure = PurePosixPath(self.path)
        if not self.path or pure.is_absolute() or ".." in pure.parts or "\\" in self.path:
            raise ValueError(f"manifest path must be relative and stay inside DEST: {self.path!r}")
        if not _SHA256_HEX.fullmatch(self.sha256):
            raise ValueError(f"{self.path}: sha256 must be 64 lowercase hex digits")
        if self.bytes < 0:
            raise ValueError(f"{self.path}: size cannot be negative")


@functools.cache
def load_manifest() -> tuple[ManifestEntry, ...]:
    """Return the packaged manifest, in file order (read once, then cached)."""
    text = resources.files("upward.data").joinpath(_MANIFEST_RESOURCE).read_text("utf-8")
    return tuple(_parse_row(row) for row in csv.DictReader(io.StringIO(text)))


def _parse_row(row: Mapping[str, str]) -> ManifestEntry:
    return ManifestEntry(
        path=row["path"],
        bytes=int(row["bytes"]),
        sha256=row["sha256"].lower(),
        metric_ids=tuple(m for m in row["metric_ids"].split(";") if m),
        geography=row["geography"],
    )


@functools.cache
def _entries_by_path() -> dict[str, ManifestEntry]:
    return {entry.path: entry for entry in load_manifest()}


def find_entry(path: str) -> ManifestEntry | None:
    """Return the manifest entry for a repository-relative path, or None if it is not listed."""
    return _entries_by_path().get(PurePosixPath(path).as_posix())


def select_entries(only: Iterable[str]) -> tuple[ManifestEntry, ...]:
    """Entries whose path equals one of `only` or lies under it as a folder.

    Raises ValueError naming every selector that matches nothing.
    """
    selectors = [s.strip().strip("/") for s in only]
    unmatched = [s for s in selectors if not any(_selected(e.path, s) for e in load_manifest())]
    if unmatched:
        raise ValueError("not in the release manifest: " + ", ".join(unmatched))
    return tuple(e for e in load_manifest() if any(_selected(e.path, s) for s in selectors))


def _selected(path: str, selector: str) -> bool:
    return bool(selector) and (path == selector or path.startswith(selector + "/"))


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_file(path: Path, entry: ManifestEntry) -> bool:
    """True when `path` exists with exactly the size and SHA-256 the manifest lists."""
    if not path.is_file() or path.stat().st_size != entry.bytes:
        return False
    return sha256_file(path) == entry.sha256
