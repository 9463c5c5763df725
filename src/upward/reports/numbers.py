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
        return f"{format_share(left)} of home value : {format_share(right)} of households"
    if value is None:
        return "no value"
    return format_in_unit(variable.unit, value)


def format_number(variable: Variable, value: float | None) -> str:
    """A bare number in the variable's unit, without words (for tables and bounds)."""
    return "" if value is None else format_in_unit(variable.unit, value)


def format_in_unit(unit: str, value: float) -> str:
    """A number in a unit of the catalog or of a peer characteristic ('people'), without
    words: '41.2%', '$53,447', '1,204', '76.8', '908' (people per physician), '0.53'.

    The one rule for every number a page, a document or the command line shows: shares
    as percent with one decimal, dollars and counts whole with thousands separators,
    rates and ratios with as many decimals as their size needs (see :func:`decimals`).
    A median, a quartile, a bound or a peer's value goes through here like the value.
    """
    if unit == "share":
        return format_share(value)
    if unit == "dollars":
        return f"${value:,.0f}"
    return f"{value:,.{decimals(unit, value)}f}"


def decimals(unit: str, value: float) -> int:
    """Decimal places for a number in ``unit``: none for counts, dollars and indexes; for
    rates and ratios by size: 2 under 10 (a ratio of 0.53, 1.04 grade levels), 1 under 100
    (12.4 per 10,000 residents), none from 100 (908 people per physician)."""
    if unit in ("count", "index", "people", "dollars"):
        return 0
    size = abs(value)
    if size < 10:
        return 2
    return 1 if size < 100 else 0


def format_share(value: float) -> str:
    """A share as a percent with one decimal: 0.4123 -> '41.2%'."""
    return f"{value:.1%}"


def format_points(difference: float) -> str:
    """The size of a difference between two shares: 0.021 -> '2.1 points'."""
    return f"{abs(difference) * 100:.1f} points"


def format_count(count: float) -> str:
    """A whole number of people or things: 536413 -> '536,413'."""
    return f"{count:,.0f}"


def format_distance(distance: float | None) -> str:
    """A peer's distance (standard deviations, weighted): '0.42', or 'not computed'."""
    return "not computed" if distance is None else f"{distance:.2f}"


def format_ci(variable: Variable, lb: float | None, ub: float | None) -> str:
    """'95% CI 38.1%–44.0%', or an empty string when Urban published no bounds."""
    bounds = format_bounds(variable, lb, ub)
    return f"95% CI {bounds}" if bounds else ""


def format_bounds(variable: Variable, lb: float | None, ub: float | None) -> str:
    """The bounds of a 95% CI as a table's CI column shows them: '38.1%–44.0%'; empty
    when Urban published none (:func:`format_ci` without its '95% CI ')."""
    if lb is None or ub is None:
        return ""
    unit = variable.unit
    return f"{format_in_unit(unit, lb)}–{format_in_unit(unit, ub)}"


def unit_suffix(variable: Variable) -> str:
    """Words that follow a rate or ratio ('per 100,000 people'); empty for shares and dollars."""
    if variable.unit in ("rate", "ratio", "count", "index"):
        return variable.unit_detail
    return ""


# -- differences and a measure's values (a level, or the gap between two groups) --------


def difference_text(variable: Variable, difference: float | None) -> str:
    """A signed difference: '+2.1 points' for shares, the unit otherwise ('−$1,200')."""
    if difference is None:
        return ""
    sign = "+" if difference > 0 else "−" if difference < 0 else ""
    if variable.unit == "share":
        return sign + format_points(difference)
    return sign + format_number(variable, abs(difference))


def interval_text(variable: Variable, ci: tuple[float, float] | None) -> str:
    if ci is None:
        return ""
    return f"{difference_text(variable, ci[0])} to {difference_text(variable, ci[1])}"


def measured_text(variable: Variable, value: float | None, gap: bool = False) -> str:
    """A value of a measure as every page and document writes it: a level ('4.9%',
    ``format_value``) or, for the gap between two groups (``gap``), a signed difference
    ('+4.9 points', :func:`difference_text`): a gap is never written as a level."""
    if not gap or value is None:
        return format_value(variable, value)
    return difference_text(variable, value) or "0"


def measured_bounds(
    variable: Variable, lb: float | None, ub: float | None, gap: bool = False
) -> str:
    """The bounds of a measure's 95% CI: '4.4%–5.4%' (``format_bounds``) or, for a gap,
    '+0.2 points to +9.6 points' (:func:`interval_text`); '' when none is published."""
    if lb is None or ub is None:
        return ""
    return interval_text(variable, (lb, ub)) if gap else format_bounds(variable, lb, ub)


def measured_ci(variable: Variable, lb: float | None, ub: float | None, gap: bool = False) -> str:
    """'95% CI 4.4%–5.4%', '95% CI +0.2 points to +9.6 points', or '' (none published)."""
    bounds = measured_bounds(variable, lb, ub, gap)
    return f"95% CI {bounds}" if bounds else ""


def size_text(variable: Variable, amount: float | None) -> str:
    """A distance in the variable's unit, unsigned: '2.8 points', '$1,200'."""
    if amount is None:
        return ""
    return difference_text(variable, abs(amount)).lstrip("+") or "0"
