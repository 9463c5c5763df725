"""Releases and revisions between them, as terminal tables, JSON payloads and CSV."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.console import Group
from rich.table import Table

from upward.catalog import ALL_LABEL, ALL_TYPE
from upward.data.registry import ReleaseEntry
from upward.data.revision import ReleaseDiff
from upward.reports.downloads import to_csv

RELEASE_FIELDS = (
    "name", "current", "loaded_at", "source", "version", "source_dir", "checksum", "files",
    "files_left_out", "cells", "places", "map", "file",
)  # fmt: skip
REVISION_FIELDS = (
    "geoid", "name", "year", "variable", "subgroup_type", "subgroup", "old", "new", "change",
    "old_lb", "old_ub", "new_lb", "new_ub", "beyond_both_cis",
)  # fmt: skip
SUMMARY_FIELDS = (
    "variable", "cells_in_both", "revised", "with_cis", "beyond_both_cis", "mean_abs_change",
)  # fmt: skip


def release_rows(entries: list[ReleaseEntry], current: str | None) -> list[dict[str, Any]]:
    return [{**e.as_dict(), "current": e.name == current} for e in entries]


def releases_table(entries: list[ReleaseEntry], current: str | None) -> Table:
    table = Table(title="Releases", title_justify="left")
    for name in ("", "Release", "Loaded (UTC)", "Version", "Files", "Cells", "Checksum"):
        table.add_column(name, justify="right" if name in ("Files", "Cells") else "left")
    for e in entries:
        files = f"{e.files:,}" + (f" ({e.files_left_out} left out)" if e.files_left_out else "")
        table.add_row(
            "*" if e.name == current else "",
            e.name,
            e.loaded_at.replace("T", " ").removesuffix("Z"),
            e.version,
            files,
            f"{e.cells:,}",
            e.checksum[:12],
        )
    return table


def releases_csv(entries: list[ReleaseEntry], current: str | None) -> str:
    return to_csv(release_rows(entries, current), RELEASE_FIELDS)


def diff_payload(diff: ReleaseDiff) -> dict[str, Any]:
    return {
        "old": diff.old,
        "new": diff.new,
        "summary": [asdict(s) for s in diff.summary],
        "revisions": [{**asdict(r), "change": r.change} for r in diff.revisions],
    }


def diff_csv(diff: ReleaseDiff) -> str:
    return to_csv(({**asdict(r), "change": r.change} for r in diff.revisions), REVISION_FIELDS)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:,.6g}"


def _beyond(value: bool | None) -> str:
    return "no CI" if value is None else ("yes" if value else "no")


def diff_tables(diff: ReleaseDiff, show: int) -> Group:
    summary = Table(
        title=f"Revisions from {diff.old} to {diff.new}, by variable", title_justify="left"
    )
    for name in ("Variable", "In both", "Revised", "With CIs", "Beyond both CIs", "Mean |change|"):
        summary.add_column(name, justify="left" if name == "Variable" else "right")
    for s in diff.summary:
        summary.add_row(
            s.variable,
            f"{s.cells_in_both:,}",
            f"{s.revised:,}",
            f"{s.with_cis:,}",
            f"{s.beyond_both_cis:,}",
            _number(s.mean_abs_change),
        )
    cells = Table(title=f"Revised cells (first {show:,})", title_justify="left")
    for name in ("Place", "Year", "Variable", "Subgroup", diff.old, diff.new, "Beyond both CIs"):
        cells.add_column(name)
    for r in diff.revisions[:show]:
        subgroup = ALL_LABEL if r.subgroup_type == ALL_TYPE else f"{r.subgroup_type}: {r.subgroup}"
        cells.add_row(
            f"{r.name} ({r.geoid})",
            str(r.year),
            r.variable,
            subgroup,
            _interval(r.old, r.old_lb, r.old_ub),
            _interval(r.new, r.new_lb, r.new_ub),
            _beyond(r.beyond_both_cis),
        )
    return Group(summary, cells)


def _interval(value: float, lb: float | None, ub: float | None) -> str:
    if lb is None or ub is None:
        return _number(value)
    return f"{_number(value)} [{_number(lb)}, {_number(ub)}]"
