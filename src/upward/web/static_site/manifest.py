"""The export's manifest (``upward-export.json`` in the site): every file and its hash.

It marks a folder as a previous export (the only non-empty folder an export may replace)
and holds, for ``--only-changed``, each page's and data file's content hash. That hash is
taken with the release's name, version and citation masked, so that a page whose numbers
a new release leaves as they were counts as unchanged (it keeps the footer of the release
it was written from, recorded here as its ``release``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NAME = "upward-export.json"
FORMAT = 1


class ManifestError(ValueError):
    """The folder's manifest cannot be read as one an export wrote."""


@dataclass(frozen=True)
class Entry:
    sha256: str
    bytes: int
    release: str = ""
    """The release it was written from (pages and data files)."""

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"sha256": self.sha256, "bytes": self.bytes}
        return {**found, "release": self.release} if self.release else found


@dataclass(frozen=True)
class Manifest:
    release: str
    version: str
    files: Mapping[str, Entry] = field(default_factory=dict)
    """Pages and data files, by their path in the site."""
    assets: Mapping[str, Entry] = field(default_factory=dict)

    def write(self, folder: Path) -> None:
        body = {
            "format": FORMAT,
            "generator": "upward export site",
            "release": self.release,
            "version": self.version,
            "files": {k: e.as_dict() for k, e in sorted(self.files.items())},
            "assets": {k: e.as_dict() for k, e in sorted(self.assets.items())},
        }
        (folder / NAME).write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / NAME
        try:
            body = json.loads(path.read_text())
            if body.get("format") != FORMAT:
                raise ManifestError(f"{path} is of format {body.get('format')!r}, not {FORMAT}.")
            return cls(
                str(body["release"]),
                str(body["version"]),
                {k: Entry(**v) for k, v in body["files"].items()},
                {k: Entry(**v) for k, v in body["assets"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            if isinstance(exc, ManifestError):
                raise
            raise ManifestError(f"{path} cannot be read as an export's manifest ({exc}).") from exc


def content_hash(body: bytes, masks: tuple[bytes, ...]) -> str:
    """sha256 of ``body`` with each of ``masks`` (the release's own words) blanked out."""
    for mask in masks:
        if mask:
            body = body.replace(mask, b"\0")
    return hashlib.sha256(body).hexdigest()
