"""A profile page as rows: its CSV and XLSX downloads.

The rows are built from the same :class:`ProfilePage` the HTML shows, so every value on the
page is in the files, with its year, bounds, quality and status. The ``.json`` twin is the
profile's one JSON shape (:class:`upward.explore.shapes.ProfileOut`), as in the API.
"""

from __future__ import annotations

from typing import Any

from upward.explore import CONTEXT_NUMBERS
from upward.reports.numbers import format_value
from upward.web.explorer.profile_page import Cell, Context, ProfilePage

CSV_COLUMNS = (
    "section",
    "geoid",
    "place",
    "pillar",
    "predictor",
    "metric",
    "variable",
    "variable_label",
    "unit",
    "year",
    "subgroup_type",
    "subgroup",
    "value",
    "lb",
    "ub",
    "quality",
    "value_text",
    "status",
    "status_text",
    "source_file",
    "source_line",
    "other_values",
    "pct_nation",
    "n_nation",
    "pct_state",
    "n_state",
    "below_nation",
    "tied_nation",
    "below_state",
    "tied_state",
    "median_nation",
    "median_state",
    "value_display",
)


def cell_row(cell: Cell) -> dict[str, Any]:
    obs = cell.obs
    out: dict[str, Any] = {
        "variable": cell.variable.name,
        "year": obs.year,
        "subgroup_type": obs.subgroup_type,
        "subgroup": obs.subgroup,
        "value": obs.value,
        "lb": obs.lb,
        "ub": obs.ub,
        "quality": obs.quality,
        "status": obs.status,
        "status_text": obs.status_text,
        "source_file": obs.source_file,
        "source_line": obs.source_line,
        "other_values": [
            {
                "source_file": o.source_file,
                "source_line": o.source_line,
                "value": o.value,
                "value_text": o.value_text,
            }
            for o in obs.others
        ],
    }
    if obs.value_text is not None:
        out["value_text"] = obs.value_text
    return out


def context_dict(context: Context | None) -> dict[str, Any] | None:
    if context is None:
        return None
    return {
        **{name: getattr(context, name) for name, _part, _field in CONTEXT_NUMBERS},
        "text": [
            t
            for t in (
                context.nation_rank,
                context.state_rank,
                context.nation_median,
                context.state_median,
            )
            if t
        ],
    }


def profile_rows(page: ProfilePage) -> list[dict[str, Any]]:
    """One row per value shown: latest values, then trend series, then group values."""
    geo = page.geography
    rows: list[dict[str, Any]] = []
    for view in page.metrics:
        metric = view.metric
        base = {
            "geoid": geo.geoid,
            "place": geo.display_name,
            "pillar": metric.pillar_id,
            "predictor": metric.predictor_id,
            "metric": metric.id,
        }
        for row in view.values:
            item = {
                **base,
                "section": "latest",
                "variable": row.variable.name,
                "variable_label": row.variable.label,
                "unit": row.variable.unit,
                "status": row.entry.status,
            }
            if row.cell:
                item.update(_cell_row(row.cell))
            if row.context:
                item.update({k: v for k, v in (context_dict(row.context) or {}).items()
                             if k in CSV_COLUMNS})  # fmt: skip
            rows.append(item)
        cells = [("series", c) for c in (view.trend.rows if view.trend else ())]
        cells += [("subgroup", c) for b in view.breakdowns for c in b.rows]
        for section, cell in cells:
            rows.append(
                {
                    **base,
                    "section": section,
                    "variable_label": cell.variable.label,
                    "unit": cell.variable.unit,
                    **_cell_row(cell),
                }
            )
    return rows


def _cell_row(cell: Cell) -> dict[str, Any]:
    out = cell_row(cell)
    out.setdefault("value_text", None)
    out["other_values"] = "; ".join(cell.other_texts)
    if cell.obs.value is not None or cell.obs.value_text:
        out["value_display"] = format_value(cell.variable, cell.obs.value, cell.obs.value_text)
    return out
