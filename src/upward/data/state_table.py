"""One state's places for one variable and year: the state page's table.

``state_values`` reads, for every county or city of one state with a row for the
selection's variable and year, its overall value, interval and quality, and where it
stands among the places of its kind in the state (from the ``standing`` table: how many
others have a lower value and how many exactly the same, ties counted as ties).
"""

from __future__ import annotations

from dataclasses import dataclass

from upward.catalog import ALL_LABEL, ALL_TYPE, Quality
from upward.data.distribution import Selection
from upward.data.model import QUALITY_LABELS
from upward.data.warehouse import Warehouse


@dataclass(frozen=True)
class StateValue:
    """A place's overall value for a selection, and its standing within its state."""

    geoid: str
    value: float | None
    lb: float | None
    ub: float | None
    quality: Quality | None
    value_text: str | None
    below: int | None
    """Other places of the kind in the state with a lower value (None without a value)."""
    tied: int | None
    """Other places of the kind in the state with exactly the same value."""
    n: int | None
    """Places of the kind in the state with a value, this one included."""


_SQL = (
    "SELECT o.geoid, o.value, o.lb, o.ub, o.quality, o.value_text, "
    "s.below_state, s.tied_state, s.n_state "
    "FROM observation o LEFT JOIN standing s ON s.geoid = o.geoid "
    "AND s.variable = o.variable AND s.year = o.year "
    "WHERE o.geo_level = ? AND o.variable = ? AND o.year = ? "
    f"AND o.subgroup_type = '{ALL_TYPE}' AND o.subgroup = '{ALL_LABEL}' "
    "AND substr(o.geoid, 1, 2) = ? ORDER BY o.geoid"
)


def state_values(
    warehouse: Warehouse, selection: Selection, state_fips: str
) -> dict[str, StateValue]:
    """Every place of the selection's kind in the state with a row, by FIPS code."""
    if selection.year is None:
        return {}
    rows = warehouse.query(
        _SQL, [selection.level, selection.variable.name, selection.year, state_fips]
    )
    found = (
        StateValue(
            geoid=str(r[0]),
            value=r[1],
            lb=r[2],
            ub=r[3],
            quality=QUALITY_LABELS.get(r[4]) if r[4] is not None else None,
            value_text=r[5],
            below=r[6],
            tied=r[7],
            n=r[8],
        )
        for r in rows
    )
    return {v.geoid: v for v in found}
