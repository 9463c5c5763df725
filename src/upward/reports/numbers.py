"""Numbers in words a person reads: units, confidence intervals, quality."""

from __future__ import annotations

from upward.catalog import MARGINAL, STRONG, WEAK, Variable
from upward.data.contract import parse_ratio_pair

QUALITY_MEANING = {
    STRONG: "no substantial concerns with the data",
    MARGINAL: "some limitations; use with care",
    WEAK: "serious limitations; do not draw conclusions from it",
}


def format_value(variable: Variable, value: float | None, text: str | None = None) -> str:
    """A value in the variable's unit: '41.2%', '$53,447', '76.8 per 100,000 people'."""
    if variable.kind == "ratio_pair" and text:
        left, right = parse_ratio_pair(text)
        return f"{left:.1%} of home value : {right:.1%} of households"
    if value is None:
        return "no value"
    return format_in_unit(variable.unit, value)


def format_number(variable: Variable, value: float | None) -> str:
    """A bare number in the variable's unit, without words (for tables and bounds)."""
    return "" if value is None else format_in_unit(variable.unit, value)


def format_in_unit(unit: str, value: float) -> str:
    """A number in a unit of the catalog or of a peer characteristic ('people'), without
    words: '41.2%', '$53,447', '1,204', '76.8'."""
    if unit == "share":
        return f"{value:.1%}"
    if unit == "dollars":
        return f"${value:,.0f}"
    if unit in ("count", "index", "people"):
        return f"{value:,.0f}"
    if unit == "rate":
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
    return f"{value:,.2f}"


def format_ci(variable: Variable, lb: float | None, ub: float | None) -> str:
    """'95% CI 38.1%–44.0%', or an empty string when Urban published no bounds."""
    if lb is None or ub is None:
        return ""
    return f"95% CI {format_number(variable, lb)}–{format_number(variable, ub)}"


def unit_suffix(variable: Variable) -> str:
    """Words that follow a rate or ratio ('per 100,000 people'); empty for shares and dollars."""
    if variable.unit in ("rate", "ratio", "count", "index"):
        return variable.unit_detail
    return ""
