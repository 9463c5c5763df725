"""The map of one release: which file is what, and which column is which variable.

Urban changes file names, folders, column names and subgroup wording from one release
to the next. A release map (YAML, shipped in ``upward/data/maps/``) says, declaratively:

* ``columns``: release-wide renames from a file's column to the catalog's column
  (``pctl_20_quality: pctl_income_20_quality``). A rename of a value column carries its
  ``_lb``, ``_ub`` and ``_quality`` columns along unless they are named themselves. A list
  copies one column to several (one ``housing_quality`` for three shares).
* ``subgroups``: raw subgroup wording -> ``[type, canonical label]``.
* ``files``: per path (or ``fnmatch`` pattern), ``use: metric | universe | crosswalk |
  skip``; ``why`` for every skipped file; and per-file options: ``kind`` (``overall``,
  ``subgroup``, ``combined``: the priority tier), ``columns`` (renames for this file only),
  ``year: from-subgroup`` (years written as a ``Year`` subgroup) and
  ``ratio: percent`` (ratio pairs written ``11.9%:24.6%``), ``sha256`` (the file the map
  was written for).

A folder that no shipped map describes is read with a map drafted from its column
names (:func:`upward.data.map_draft.draft_rules`), using exact catalog names only.
"""

from __future__ import annotations

import fnmatch
import hashlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml

FileUse = Literal["metric", "universe", "crosswalk", "skip"]
USES: tuple[str, ...] = ("metric", "universe", "crosswalk", "skip")
KINDS = ("overall", "subgroup", "combined")
SUFFIXES = ("_lb", "_ub", "_quality")


class MapError(ValueError):
    """A release map that cannot be used, with the map and the entry at fault."""


@dataclass(frozen=True)
class FileRule:
    """What one file (or every file matching a pattern) of a release is."""

    path: str
    use: FileUse
    why: str = ""
    kind: str | None = None
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    year_from_subgroup: bool = False
    percent_ratio: bool = False
    x_to_one: tuple[str, ...] = ()
    """Columns written as "2235:1" (people per physician), read as the number 2235."""
    sha256: str = ""

    @property
    def is_pattern(self) -> bool:
        return any(ch in self.path for ch in "*?[")

    @property
    def needs_rewrite(self) -> bool:
        return self.year_from_subgroup or self.percent_ratio or bool(self.x_to_one)


@dataclass(frozen=True)
class ReleaseMap:
    name: str
    source: str
    tag: str = ""
    commit: str = ""
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    subgroups: dict[str, tuple[str, str]] = field(default_factory=dict)
    ignore: dict[str, str] = field(default_factory=dict)
    """Columns deliberately not read, with the reason (``pctl_income_quality``)."""
    files: tuple[FileRule, ...] = ()

    def rule(self, relpath: str) -> FileRule | None:
        """The rule for a file: its own entry first, then the first matching pattern."""
        for rule in self.files:
            if not rule.is_pattern and rule.path == relpath:
                return rule
        for rule in self.files:
            if rule.is_pattern and fnmatch.fnmatchcase(relpath, rule.path):
                return rule
        return None

    def checksums(self) -> dict[str, str]:
        return {r.path: r.sha256 for r in self.files if r.sha256 and not r.is_pattern}

    def renames(self, rule: FileRule | None, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
        """For each file column, the catalog column(s) it becomes (itself if not renamed)."""
        table = dict(self.columns)
        if rule:
            table.update(rule.columns)
        own = set(columns)
        out = []
        for column in columns:
            out.append(_rename(column, table, own))
        return out


def _rename(column: str, table: dict[str, tuple[str, ...]], own: set[str]) -> tuple[str, ...]:
    if column in table:
        return table[column]
    for suffix in SUFFIXES:
        base = column.removesuffix(suffix)
        if base != column and base in table and base in own:
            return tuple(f"{target}{suffix}" for target in table[base])
    return (column,)


def _targets(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MapError(f"{where}: a column maps to a column name or a list of names, not {value!r}")


def _columns(raw: object, where: str) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise MapError(f"{where}: 'columns' must map file columns to catalog columns")
    return {str(k): _targets(v, f"{where} column '{k}'") for k, v in raw.items()}


def _file_rule(path: str, raw: object, where: str) -> FileRule:
    if not isinstance(raw, dict):
        raise MapError(f"{where} file '{path}': expected a mapping with 'use'")
    use = raw.get("use")
    if use not in USES:
        raise MapError(f"{where} file '{path}': 'use' must be one of {', '.join(USES)}")
    why = str(raw.get("why") or "")
    if use == "skip" and not why:
        raise MapError(f"{where} file '{path}': a skipped file needs 'why'")
    kind = raw.get("kind")
    if kind is not None and kind not in KINDS:
        raise MapError(f"{where} file '{path}': 'kind' must be one of {', '.join(KINDS)}")
    year = raw.get("year")
    if year not in (None, "from-subgroup"):
        raise MapError(f"{where} file '{path}': 'year' can only be 'from-subgroup'")
    ratio = raw.get("ratio")
    if ratio not in (None, "percent"):
        raise MapError(f"{where} file '{path}': 'ratio' can only be 'percent'")
    x_to_one = raw.get("x_to_one") or []
    if not isinstance(x_to_one, list):
        raise MapError(f"{where} file '{path}': 'x_to_one' must list column names")
    keys = {"use", "why", "kind", "columns", "year", "ratio", "sha256", "x_to_one"}
    unknown = set(raw) - keys
    if unknown:
        raise MapError(f"{where} file '{path}': unknown key(s) {', '.join(sorted(unknown))}")
    return FileRule(
        path=path,
        use=use,
        why=why,
        kind=kind,
        columns=_columns(raw.get("columns"), f"{where} file '{path}'"),
        year_from_subgroup=year == "from-subgroup",
        percent_ratio=ratio == "percent",
        x_to_one=tuple(str(c) for c in x_to_one),
        sha256=str(raw.get("sha256") or ""),
    )


def parse_map(text: str, where: str = "release map") -> ReleaseMap:
    """Read a release map from its YAML text; :class:`MapError` names what is wrong."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MapError(f"{where}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict) or not raw.get("release"):
        raise MapError(f"{where}: expected a mapping with 'release', 'source' and 'files'")
    subgroups: dict[str, tuple[str, str]] = {}
    for label, pair in (raw.get("subgroups") or {}).items():
        if not (isinstance(pair, list) and len(pair) == 2):
            raise MapError(f"{where} subgroup '{label}': expected [type, canonical label]")
        subgroups[str(label)] = (str(pair[0]), str(pair[1]))
    files = raw.get("files") or {}
    if not isinstance(files, dict):
        raise MapError(f"{where}: 'files' must map paths to rules")
    return ReleaseMap(
        name=str(raw["release"]),
        source=str(raw.get("source") or ""),
        tag=str(raw.get("tag") or ""),
        commit=str(raw.get("commit") or ""),
        columns=_columns(raw.get("columns"), where),
        subgroups=subgroups,
        ignore={str(k): str(v) for k, v in (raw.get("ignore") or {}).items()},
        files=tuple(_file_rule(str(p), r, where) for p, r in files.items()),
    )


def read_map(path: Path) -> ReleaseMap:
    return parse_map(Path(path).read_text(encoding="utf-8"), str(path))


@cache
def shipped_maps() -> tuple[ReleaseMap, ...]:
    """The maps that ship with Upward, one per known release of Urban's files."""
    folder = resources.files("upward.data").joinpath("maps")
    return tuple(
        parse_map(item.read_text(encoding="utf-8"), f"maps/{item.name}")
        for item in sorted(folder.iterdir(), key=lambda i: i.name)
        if item.name.endswith(".yaml")
    )


def shipped_map(name: str) -> ReleaseMap | None:
    return next((m for m in shipped_maps() if m.name == name), None)


def recognise_folder(folder: Path) -> ReleaseMap | None:
    """The shipped map whose files ``folder`` holds (by SHA-256), if any."""
    checksums = {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in Path(folder).rglob("*.csv")
        if path.is_file()
    }
    return recognise(checksums)


def recognise(checksums: dict[str, str]) -> ReleaseMap | None:
    """The shipped map whose files the folder holds: most checksums in common, at least half."""
    best, best_share = None, 0.5
    for release_map in shipped_maps():
        known = release_map.checksums()
        if not known:
            continue
        same = sum(1 for path, sha in known.items() if checksums.get(path) == sha)
        share = same / len(known)
        if share >= best_share:
            best, best_share = release_map, share
    return best
