"""Drafting a release map for a release Upward has no map for (``upward data map draft``).

The draft is a starting point for a person to check, never loaded as it is: it places
each file and column by the catalog's names, suggests close names for the rest, and
lists every column it could not place and why. Raw and temporary folders, files
without year and FIPS keys and files without one catalog column are drafted as
``skip`` with the reason.
"""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from upward.catalog import Catalog, get_catalog
from upward.data.contract import DESCRIPTIVE_COLUMNS, GEO_COLUMNS, MalformedFile
from upward.data.placement import KEY_COLUMNS, SKIPPED_FOLDERS
from upward.data.source import discover, read_source
from upward.data.universe import is_crosswalk_file, is_universe_file


@dataclass(frozen=True)
class Unplaced:
    """A column (or a whole file) the draft could not place, and why."""

    path: str
    column: str | None
    why: str

    def __str__(self) -> str:
        where = self.path + (f" column '{self.column}'" if self.column else "")
        return f"{where}: {self.why}"


@dataclass
class DraftMap:
    release: str
    files: dict[str, dict[str, object]] = field(default_factory=dict)
    unplaced: list[Unplaced] = field(default_factory=list)

    def to_yaml(self) -> str:
        header = (
            f"# Release map drafted by `upward data map draft` for release {self.release}.\n"
            "# Check every entry against the files before shipping it; see docs/data.md.\n"
        )
        body = {
            "release": self.release,
            "source": "Urban Institute, Boosting Upward Mobility: Mobility Metrics",
            "files": self.files,
        }
        lines = [header, yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)]
        if self.unplaced:
            lines.append("# Not placed:\n")
            lines += [f"#   {u}\n" for u in self.unplaced]
        return "".join(lines)


def draft_map(source_dir: Path, release: str, catalog: Catalog | None = None) -> DraftMap:
    """Draft a map for every CSV file under ``source_dir``."""
    catalog = catalog or get_catalog()
    source_dir = Path(source_dir).resolve()
    draft = DraftMap(release)
    with tempfile.TemporaryDirectory(prefix="upward-draft-") as scratch:
        for path in discover(source_dir):
            relpath = path.relative_to(source_dir).as_posix()
            try:
                source = read_source(path, source_dir, Path(scratch))
            except MalformedFile as problem:
                draft.files[relpath] = {"use": "skip", "why": f"unreadable: {problem.reason}"}
                draft.unplaced.append(Unplaced(relpath, problem.column, problem.reason))
                continue
            rule, unplaced = draft_rule(relpath, source.columns, catalog)
            draft.files[relpath] = {**rule, "sha256": source.sha256}
            draft.unplaced += unplaced
    return draft


def draft_rule(
    relpath: str, columns: tuple[str, ...], catalog: Catalog
) -> tuple[dict[str, object], list[Unplaced]]:
    """One file's rule and the columns it leaves unplaced."""
    folders = relpath.split("/")[:-1]
    if any(f in SKIPPED_FOLDERS for f in folders):
        return {"use": "skip", "why": "raw or temporary input (a raw/ or temp/ folder)"}, []
    if is_universe_file(columns):
        return {"use": "universe"}, []
    if is_crosswalk_file(columns):
        return {"use": "crosswalk"}, []
    renames, unplaced = _place_columns(relpath, columns, catalog)
    placed = [c for c in columns if catalog.column_variable(renames.get(c, c)) is not None]
    present = set(columns)
    missing = [k for k in ("year", "state") if k not in present]
    if not any(g in present for g in GEO_COLUMNS):
        missing.append("county or place")
    if missing or not placed:
        why = f"no column {', '.join(missing)}" if missing else "no column the catalog knows"
        return {"use": "skip", "why": why}, [Unplaced(relpath, None, why)] if placed else []
    rule: dict[str, object] = {"use": "metric"}
    if renames:
        rule["columns"] = renames
    return rule, unplaced


def _place_columns(
    relpath: str, columns: tuple[str, ...], catalog: Catalog
) -> tuple[dict[str, str], list[Unplaced]]:
    known = [c for v in catalog.variables for c, role in v.columns().items() if role == "value"]
    renames: dict[str, str] = {}
    unplaced = []
    ignore = set(KEY_COLUMNS) | set(DESCRIPTIVE_COLUMNS)
    for column in columns:
        if column in ignore or catalog.column_ref(column) is not None:
            continue
        if catalog.column_ref(column.lower()) is not None:
            renames[column] = column.lower()
            continue
        close = difflib.get_close_matches(column, known, n=1, cutoff=0.8)
        if close and not column.endswith(("_quality", "_lb", "_ub", "_se")):
            renames[column] = close[0]
        elif not column.endswith("_quality"):
            unplaced.append(Unplaced(relpath, column, "no catalog column has a close name"))
    for column in columns:
        if column.endswith("_quality") and column not in renames and column not in ignore:
            if catalog.column_ref(column) is not None:
                continue
            target = _quality_owner(column, columns, renames, catalog)
            if target:
                renames[column] = f"{target}_quality"
            else:
                unplaced.append(
                    Unplaced(relpath, column, "a quality flag whose variable is not clear")
                )
    return renames, unplaced


def _quality_owner(
    column: str, columns: tuple[str, ...], renames: dict[str, str], catalog: Catalog
) -> str | None:
    """The value column without a quality flag that shares the most words with it."""
    values = [renames.get(c, c) for c in columns]
    values = [v for v in values if catalog.column_variable(v) is not None]
    flagged = {
        renames.get(c, c).removesuffix("_quality")
        for c in columns
        if renames.get(c, c).endswith("_quality")
    }
    open_ = [v for v in values if v not in flagged]
    if len(open_) == 1:
        return open_[0]
    words = set(column.removesuffix("_quality").split("_"))
    shared = {v: len(words & set(v.split("_"))) for v in open_}
    best = max(shared.values(), default=0)
    winners = [v for v, n in shared.items() if n == best]
    return winners[0] if best and len(winners) == 1 else None
