"""What the steps of a load take and return: frozen records, never changed once made.

A file's :class:`FileReport` is made by the step where its story ends (read, placed,
loaded, or left out) and gathered into that step's :class:`Outcomes`; the steps
themselves are in :mod:`upward.data.build` and :mod:`upward.data.ingest`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from upward.catalog import Catalog
from upward.data.contract import MalformedFile, Rejection
from upward.data.release_map import ReleaseMap
from upward.data.source import SourceFile

Progress = Callable[[str], None]


@dataclass(frozen=True)
class FileReport:
    """What happened to one file during a load."""

    path: str
    kind: str
    geo_level: str | None
    file_id: int | None = None
    rows: int = 0
    rows_rejected: int = 0
    cells: int = 0
    metrics: tuple[str, ...] = ()
    sha256: str = ""
    matches_manifest: bool | None = None
    notes: tuple[str, ...] = ()
    rejections: tuple[Rejection, ...] = ()

    def left_out(self, problem: MalformedFile) -> FileReport:
        """The report of this file refused for ``problem``."""
        return replace(self, kind="refused", notes=(*self.notes, f"left out: {problem}"))


@dataclass(frozen=True)
class BuildSpec:
    """What one build reads and how: the same for every step."""

    source_dir: Path
    catalog: Catalog
    progress: Progress
    release: str | None = None
    release_map: ReleaseMap | None = None
    """The map to read the files with; None: the one their checksums name."""
    source_name: str | None = None
    partial: bool = False


Ended = tuple[FileReport, MalformedFile | None]
"""A file whose story ended in a step: its report, and the problem that left it out."""


@dataclass(frozen=True)
class Outcomes:
    """The files whose story ended in one step: loaded, not used, or left out."""

    reports: tuple[FileReport, ...] = ()
    refused: tuple[MalformedFile, ...] = ()
    """Why each file left out in the step was refused, in the order found."""
    cells: int = 0
    """Observations staged (by the metric step)."""

    @classmethod
    def of(cls, ended: Iterable[Ended]) -> Outcomes:
        """From (report, problem) pairs; a file with a problem is reported left out."""
        pairs = list(ended)
        return cls(
            reports=tuple(r if p is None else r.left_out(p) for r, p in pairs),
            refused=tuple(p for _, p in pairs if p is not None),
            cells=sum(r.cells for r, p in pairs if p is None),
        )

    @classmethod
    def joined(cls, *steps: Outcomes) -> Outcomes:
        """The outcomes of several steps, in step order."""
        return cls(
            reports=tuple(r for step in steps for r in step.reports),
            refused=tuple(p for step in steps for p in step.refused),
            cells=sum(step.cells for step in steps),
        )


@dataclass(frozen=True)
class SourcesRead:
    sources: tuple[SourceFile, ...]
    """The files read, in path order, for the next step."""
    outcomes: Outcomes
    """The files that could not be read."""


@dataclass(frozen=True)
class PlacedFile:
    """A file to load: as placed (kind, columns under catalog names) and its report so far."""

    source: SourceFile
    report: FileReport


@dataclass(frozen=True)
class SourcesPlaced:
    files: tuple[PlacedFile, ...]
    """The universes, crosswalks and metric files, in path order, for the next steps."""
    outcomes: Outcomes
    """The files not used, and those that could not be placed."""

    def of_kind(self, *kinds: str) -> tuple[PlacedFile, ...]:
        return tuple(f for f in self.files if f.source.kind in kinds)


@dataclass(frozen=True)
class BuiltRelease:
    """A finished warehouse file, not yet in place, and what went into it."""

    source_dir: str
    release_id: str
    files: tuple[FileReport, ...]
    """Every file of the folder, in path order."""
    rejections: tuple[Rejection, ...]
    refused: tuple[MalformedFile, ...]
    """Files left out (a partial load), in the order found."""
    observations: int
    geographies: int
    source: str
    version: str
    map: str
