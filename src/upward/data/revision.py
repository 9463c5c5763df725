"""Revisions between two releases: the cells both publish, with different values.

Urban re-estimates earlier years from one release to the next. :func:`diff_releases`
attaches two release files read-only and lists each cell that both publish for the same
place, year, variable and subgroup whose value differs, with both values, both
confidence intervals and whether the revision is larger than both intervals: the new
value lies outside the old 95% interval *and* the old value outside the new one.
Where either release publishes no interval that question has no answer (None).

Two values are the same when they differ by less than a millionth of their size (the
files write decimals; a difference in the 15th digit is the text, not a revision).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Revision:
    geoid: str
    name: str
    year: int
    variable: str
    subgroup_type: str
    subgroup: str
    old: float
    new: float
    old_lb: float | None
    old_ub: float | None
    new_lb: float | None
    new_ub: float | None
    beyond_both_cis: bool | None

    @property
    def change(self) -> float:
        return self.new - self.old


@dataclass(frozen=True)
class VariableRevisions:
    """How much of one variable the later release revised."""

    variable: str
    cells_in_both: int
    revised: int
    beyond_both_cis: int
    with_cis: int
    mean_abs_change: float | None


@dataclass(frozen=True)
class ReleaseDiff:
    old: str
    new: str
    revisions: list[Revision]
    summary: list[VariableRevisions]


REVISED = f"""
WITH pairs AS (
    SELECT a.geoid, a.year, a.variable, a.subgroup_type, a.subgroup,
           a.value AS old, b.value AS new, a.lb AS old_lb, a.ub AS old_ub,
           b.lb AS new_lb, b.ub AS new_ub
    FROM old_release.observation a
    JOIN new_release.observation b USING (geoid, year, variable, subgroup_type, subgroup)
    WHERE a.value IS NOT NULL AND b.value IS NOT NULL {{filters}}),
marked AS (
    SELECT *, abs(new - old) > {TOLERANCE} * greatest(abs(old), abs(new), 1e-300) AS revised,
           CASE WHEN old_lb IS NULL OR old_ub IS NULL OR new_lb IS NULL OR new_ub IS NULL
                THEN NULL
                ELSE (new < old_lb OR new > old_ub) AND (old < new_lb OR old > new_ub)
           END AS beyond
    FROM pairs)
"""


def diff_releases(
    old: Path,
    new: Path,
    *,
    names: tuple[str, str] = ("old", "new"),
    variable: str | None = None,
    geoid: str | None = None,
    limit: int | None = None,
) -> ReleaseDiff:
    """Every revised cell from release file ``old`` to ``new`` and a summary per variable."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{_path(old)}' AS old_release (READ_ONLY)")
        con.execute(f"ATTACH '{_path(new)}' AS new_release (READ_ONLY)")
        filters, params = "", []
        if variable:
            filters += " AND a.variable = ?"
            params.append(variable)
        if geoid:
            filters += " AND a.geoid = ?"
            params.append(geoid)
        head = REVISED.format(filters=filters)
        summary = con.execute(
            head
            + """SELECT variable, count(*), count(*) FILTER (WHERE revised),
                   count(*) FILTER (WHERE revised AND beyond),
                   count(*) FILTER (WHERE revised AND beyond IS NOT NULL),
                   avg(abs(new - old)) FILTER (WHERE revised)
            FROM marked GROUP BY variable ORDER BY variable""",
            params,
        ).fetchall()
        rows = con.execute(
            head
            + """SELECT m.geoid, coalesce(g.display_name, m.geoid), m.year, m.variable,
                   m.subgroup_type, m.subgroup, m.old, m.new, m.old_lb, m.old_ub,
                   m.new_lb, m.new_ub, m.beyond
            FROM marked m LEFT JOIN new_release.geography g USING (geoid)
            WHERE m.revised
            ORDER BY m.variable, m.geoid, m.subgroup_type, m.subgroup, m.year"""
            + (f" LIMIT {int(limit)}" if limit is not None else ""),
            params,
        ).fetchall()
    finally:
        con.close()
    return ReleaseDiff(
        old=names[0],
        new=names[1],
        revisions=[Revision(*row) for row in rows],
        summary=[VariableRevisions(*row) for row in summary],
    )


def _path(path: Path) -> str:
    text = str(Path(path).resolve())
    if "'" in text:
        raise ValueError(f"a release path cannot contain a quote: {text}")
    return text
