"""Dollars across years, tested in real terms: in constant dollars of the later year.

Urban publishes incomes in dollars of each survey year. A rise that only keeps pace with
prices is no rise in what a household can buy, so a change in dollars between two years is
tested after restating the earlier year's estimate (value and both bounds) in dollars of
the later year with the consumer price index shipped with Upward
(``Catalog.prices``, read with the catalog: BLS CPI-U annual averages):
``earlier × CPI[later] / CPI[earlier]``. Multiplying by a known constant scales the
standard error by the same constant, so the usual test applies unchanged.

The nominal change is kept beside the real one, and both are said in a note. When either
year is outside the index table there is no real-terms test: the change is ``no_test``,
and the note says which year is missing. Variables in other units are compared as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from upward.analysis.uncertainty import REAL_TERMS_PREFIX, Comparison, Estimate, compare_values
from upward.catalog import PriceIndex, Variable

INDEX_WORDS = "CPI-U, BLS annual average"


@dataclass(frozen=True)
class RealTerms:
    """How a change in dollars was restated and tested."""

    earlier_year: int
    later_year: int
    factor: float | None
    """CPI[later] / CPI[earlier]; None when a year is outside the index table."""
    earlier_nominal: float | None
    earlier_real: float | None
    """The earlier value in dollars of the later year."""
    later: float | None
    nominal_change: float | None
    real_change: float | None
    nominal_percent: float | None
    """Relative change (0.218 = +21.8%), only for positive earlier values (not gaps)."""
    real_percent: float | None
    note: str


def dollars(value: float, signed: bool = False) -> str:
    """'$25,959', or '+$4,402' / '−$1,389' when signed."""
    sign = ("+" if value > 0 else "−" if value < 0 else "") if signed else ""
    text = f"${abs(value):,.0f}"
    return sign + text if signed else (f"−{text}" if value < 0 else text)


def _percent(change: float | None, base: float | None) -> float | None:
    if change is None or base is None or base <= 0:
        return None
    return change / base


def _percent_text(share: float | None) -> str:
    return "" if share is None else f" ({share:+.1%})".replace("-", "−")


def in_dollars_of(estimate: Estimate, factor: float) -> Estimate:
    """The same estimate with value and bounds multiplied by ``factor`` (> 0)."""
    scaled = (None if x is None else x * factor for x in (estimate.value, estimate.lb, estimate.ub))
    value, lb, ub = scaled
    return replace(estimate, value=value, lb=lb, ub=ub)


def _note(what: str, terms: RealTerms, index: PriceIndex) -> str:
    nominal = ""
    if terms.nominal_change is not None:
        nominal = f"{dollars(terms.nominal_change, True)}{_percent_text(terms.nominal_percent)}"
    if terms.factor is None:
        first, last = index.years
        missing = ", ".join(str(y) for y in index.missing(terms.earlier_year, terms.later_year))
        return (f"{REAL_TERMS_PREFIX}: the consumer price index shipped with Upward covers "
                f"{first} to {last}, not {missing}; the nominal change is {nominal}, "
                "not tested.")  # fmt: skip
    assert terms.earlier_real is not None and terms.earlier_nominal is not None
    real = ""
    if terms.real_change is not None:
        real = f"{dollars(terms.real_change, True)}{_percent_text(terms.real_percent)}"
    return (f"Tested in {terms.later_year} dollars ({INDEX_WORDS}): the {terms.earlier_year} "
            f"{what} of {dollars(terms.earlier_nominal)} is {dollars(terms.earlier_real)} in "
            f"{terms.later_year} dollars, a real change of {real}; the nominal change is "
            f"{nominal}.")  # fmt: skip


def compare_over_years(
    later: Estimate, earlier: Estimate, later_year: int, earlier_year: int, variable: Variable,
    index: PriceIndex, what: str = "value",
) -> tuple[Comparison, RealTerms | None]:  # fmt: skip
    """``later - earlier`` tested, in real terms for dollars; the restatement for dollars.

    ``index`` is the catalog's price index (``catalog.prices``); ``what`` names the quantity
    in the note ("value", "gap"). Without both values there is nothing to restate and the
    plain comparison (a refusal) is returned.
    """
    nominal = compare_values(later, earlier)
    if variable.unit != "dollars" or later.value is None or earlier.value is None:
        return nominal, None
    factor = index.factor(earlier_year, later_year)
    change = later.value - earlier.value
    restated = in_dollars_of(earlier, factor) if factor is not None else None
    real_change = later.value - restated.value if restated and restated.value is not None else None
    terms = RealTerms(
        earlier_year, later_year, factor, earlier.value,
        restated.value if restated is not None else None, later.value, change, real_change,
        _percent(change, earlier.value),
        _percent(real_change, restated.value if restated is not None else None), "",
    )  # fmt: skip
    terms = replace(terms, note=_note(what, terms, index))
    if restated is None:
        if nominal.verdict in ("too_uncertain", "no_data"):
            return nominal, terms
        return Comparison(later, earlier, change, None, None, None, "no_test", terms.note), terms
    return compare_values(later, restated), terms
