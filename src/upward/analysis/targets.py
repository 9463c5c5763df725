"""Targets the data can detect: five ways to set one, and the smallest detectable change.

A coalition sets a target on a population indicator from its baseline (the value, 95%
interval and quality pinned from a release). Every proposal carries the **minimum
detectable change** (MDC) of the baseline, in the manner of Healthy People 2030: the
smallest absolute change from the baseline that the project's 95% two-sided test
(:func:`~upward.analysis.uncertainty.compare_values`) would call significant, assuming the
later estimate is independent of the baseline and has the same standard error::

    SE  = baseline.standard_error()          # (ub - lb) / (2 × 1.96) for a symmetric CI
    MDC = 1.96 × √2 × SE                     # the SE of a difference of two is √2 × SE

For a symmetric interval this is √2 times the half-width: [40, 44] gives SE = 4 / 3.92 =
1.0204 and MDC = 1.96 × 1.4142 × 1.0204 = 2.828. Asymmetric and clipped intervals follow
the rules of :mod:`upward.analysis.uncertainty` (a clipped half-width is replaced by the
larger one, so clipping never shrinks the SE and never makes a change look detectable). There
is no MDC (None, with :func:`no_mdc_reason` saying why) for a missing value, a baseline
rated Weak, a count, a fixed benchmark, an estimate without a published interval, and a
zero-width interval: no significance is ever produced from those.

A target is **inside the noise** when ``|target - baseline| < MDC``: a later estimate that
lands exactly on it could not be told apart from the baseline at the 95% level. (A change
of exactly the MDC gives z = 1.96, which the project's test does not call significant either:
the later value must go *beyond* a target set at the MDC.)

Methods (:data:`TargetMethod`), "improvement" following the catalog direction:

* ``percent``: a relative improvement of the baseline, ``percent`` given in percent (10 =
  10%): ``baseline ± |baseline| × percent / 100``, up for ``higher_better``, down for
  ``lower_better``;
* ``benchmark``: reach a value such as a peer, state or national median;
* ``gap``: close the gap to another group by ``share`` (0 < share ≤ 1):
  ``baseline + share × (other - baseline)``;
* ``detectable``: the smallest detectable improvement, ``baseline ± MDC``;
* ``value``: a value typed by the coalition.

Refusals (``TargetProposal.refused``, a sentence saying why and what to do instead): a
baseline without a published value or rated Weak (suggest another variable, a broader group
or local data); ``percent`` and ``detectable`` on a context indicator (no direction is
better); ``detectable`` without an MDC; a benchmark the baseline already reaches; a gap to a
group without a value, rated Weak, equal to the baseline, or on the side that would mean a
decline. Missing or invalid parameters raise :class:`TargetError` (a ``ValueError`` naming
the form field).

Dollars are targets in real terms: a dollar target is in constant dollars of the baseline
year, like its baseline; progress restates both in dollars of the latest year with the
CPI-U (:func:`upward.analysis.progress.classify_progress`). To show a baseline (or any
estimate) in dollars of another year, callers use the existing real-terms code::

    from upward.analysis.real_terms import in_dollars_of
    factor = catalog.prices.factor(baseline_year, year)   # None outside the index table
    restated = in_dollars_of(baseline, factor) if factor is not None else None

Value and bounds scale by the same factor, so the MDC scales by it too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from upward.analysis.insight import gap_size, plain_number
from upward.analysis.uncertainty import Z95, Estimate, compare_values
from upward.catalog import DIRECTIONS, Variable

TargetMethod = Literal["percent", "benchmark", "gap", "detectable", "value"]
TARGET_METHODS: tuple[TargetMethod, ...] = ("percent", "benchmark", "gap", "detectable", "value")
METHOD_WORDS: dict[str, str] = {
    "percent": "Percent improvement",
    "benchmark": "Reach a benchmark (a peer, state or national median)",
    "gap": "Close a gap to another group by a share",
    "detectable": "The smallest change the data can detect",
    "value": "A value set by the coalition",
}
"""A label for each method, for forms and tables."""

WEAK_BASELINE_REFUSAL = (
    "The baseline is rated Weak, too uncertain to set a target on: choose another variable, "
    "a broader group, or the coalition's own local data for this measure."
)
MISSING_BASELINE_REFUSAL = (
    "There is no published baseline value for this place: choose another variable, or use "
    "the coalition's own local data for this measure."
)


class TargetError(ValueError):
    """A missing or invalid parameter; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class TargetProposal:
    """A proposed target and what the data can say about it."""

    method: TargetMethod
    value: float | None
    """The target; None when refused."""
    mdc: float | None
    """The minimum detectable change of the baseline; None when no test is possible."""
    inside_noise: bool
    """|target - baseline| < MDC: reaching it could not be told apart from noise."""
    refused: str
    """'' when fine; else a sentence saying why there is no target and what to do instead."""
    words: str
    """One honest sentence: the target, its distance from the baseline and the MDC."""
    change: float | None = None
    """target - baseline (in the baseline's units); None when refused."""
    testable: bool = False
    """A 95% test of the change will be possible (the baseline has an MDC)."""


def minimum_detectable_change(baseline: Estimate) -> float | None:
    """``1.96 × √2 × SE``: the smallest change from ``baseline`` a 95% test would detect.

    The later estimate is assumed independent with the baseline's standard error
    (``Estimate.standard_error()``, the mean half-width / 1.96, a clipped half replaced by
    the larger one). None when there is no usable SE: no value, Weak, a count, a fixed
    benchmark, no published interval or a zero-width one (see :func:`no_mdc_reason`).
    """
    if no_mdc_reason(baseline):
        return None
    se = baseline.standard_error()
    if se is None or not se > 0 or not math.isfinite(se):
        return None
    return Z95 * math.sqrt(2) * se


def no_mdc_reason(baseline: Estimate) -> str:
    """Why the baseline has no minimum detectable change, in a clause; '' when it has one."""
    if baseline.value is None:
        return "there is no published baseline value"
    if baseline.weak:
        return "the baseline is rated Weak"
    if baseline.count:
        return "a count is never tested; its share or rate is"
    if baseline.fixed:
        return "the baseline is a fixed benchmark without sampling error"
    if not baseline.has_bounds:
        return baseline.untested or "no confidence interval is published for it"
    se = baseline.standard_error()
    if baseline.degenerate or se is None or not se > 0:
        return "its published confidence interval has zero width, which gives no standard error"
    return ""


def _sign(direction: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 for context."""
    return {"higher_better": 1, "lower_better": -1}.get(direction, 0)


def value_text(variable: Variable | None, value: float, gap: bool = False) -> str:
    """A value for a sentence: '71.0%' for shares, '$52,500' for dollars (plain otherwise);
    for a ``gap`` between two groups, a signed difference: '+4.9 percentage points',
    '−$16,500' (a gap is a difference of two levels, never a level itself)."""
    if gap:
        sign = "+" if value > 0 else "−" if value < 0 else ""
        return sign + size_text(variable, value)
    return plain_number(variable, value) if variable is not None else f"{value:,.4g}"


def size_text(variable: Variable | None, change: float) -> str:
    """The size of a change, unsigned: '3.2 percentage points', '$2,828'."""
    return (
        gap_size(plain_number, variable, change) if variable is not None else f"{abs(change):,.4g}"
    )


def _finite(field: str, value: float | None, what: str) -> float:
    if value is None:
        raise TargetError(field, f"give {what}.")
    if not math.isfinite(value):
        raise TargetError(field, f"{what} must be a number.")
    return value


def _check(
    method: str, direction: str, percent: float | None, benchmark: float | None,
    other_group: Estimate | None, share: float | None, value: float | None,
) -> None:  # fmt: skip
    if method not in TARGET_METHODS:
        raise TargetError("method", f"choose one of {', '.join(TARGET_METHODS)}.")
    if direction not in DIRECTIONS:
        raise TargetError("direction", f"must be one of {', '.join(DIRECTIONS)}.")
    if method == "percent":
        p = _finite("percent", percent, "the improvement in percent (10 means 10%)")
        if p <= 0:
            raise TargetError("percent", "the improvement must be above 0%.")
    elif method == "benchmark":
        _finite("benchmark", benchmark, "the benchmark value to reach")
    elif method == "gap":
        if other_group is None:
            raise TargetError("other_group", "choose the group whose value the gap is closed to.")
        s = _finite("share", share, "the share of the gap to close (0.5 closes half)")
        if not 0 < s <= 1:
            raise TargetError(
                "share", "the share of the gap to close must be above 0 and at most 1."
            )
    elif method == "value":
        _finite("value", value, "the target value")


def _refusal(method: str, baseline: Estimate, direction: str, mdc: float | None) -> str:
    if baseline.value is None:
        return MISSING_BASELINE_REFUSAL
    if baseline.weak:
        return WEAK_BASELINE_REFUSAL
    if _sign(direction) == 0 and method in ("percent", "detectable"):
        what = (
            "a percent improvement" if method == "percent" else "a smallest detectable improvement"
        )
        return (f"This indicator is shown as context (neither higher nor lower is better), so "
                f"{what} has no direction: type a value or reach a benchmark instead.")  # fmt: skip
    if method == "detectable" and mdc is None:
        return (f"No smallest detectable change can be computed ({no_mdc_reason(baseline)}): "
                "choose a percent improvement, a benchmark or a value instead.")  # fmt: skip
    return ""


def _gap_refusal(
    baseline: float, other: Estimate, sign: int, variable: Variable | None, gap: bool = False,
) -> str:  # fmt: skip
    if other.value is None:
        return (
            "The other group has no published value, so there is no gap to close: "
            "choose another group."
        )
    if other.weak:
        return ("The other group's value is rated Weak, too uncertain to measure a gap to: "
                "choose another group, a benchmark or a value.")  # fmt: skip
    if other.value == baseline:
        return "There is no gap to close: the other group's value equals the baseline."
    if sign * (other.value - baseline) < 0:
        side = "below" if other.value < baseline else "above"
        return (f"The other group's value ({value_text(variable, other.value, gap)}) is {side} the "
                "baseline, so closing the gap would mean a decline on this indicator: set the "
                "target on the other group's series instead.")  # fmt: skip
    return ""


def _in_scale(
    field: str, baseline: Estimate, target: float, variable: Variable | None, gap: bool = False
) -> None:
    low, high = baseline.scale
    if (low is not None and target < low) or (high is not None and target > high):
        bottom = value_text(variable, low, gap) if low is not None else "no lower limit"
        top = value_text(variable, high, gap) if high is not None else "no upper limit"
        edges = f"{bottom} to {top}"
        raise TargetError(field, f"the target {value_text(variable, target, gap)} is outside the "
                                 f"possible range of this indicator ({edges}).")  # fmt: skip


def _noise_words(
    change: float, mdc: float | None, baseline: Estimate, variable: Variable | None
) -> str:
    if mdc is None:
        return (f"; no 95% test is possible ({no_mdc_reason(baseline)}), so a change toward "
                "it will be reported without a significance test.")  # fmt: skip
    size = size_text(variable, mdc)
    text = f"; changes smaller than {size} cannot be told apart from noise at the 95% level"
    if abs(change) < mdc:
        return text + ", so this target lies inside the noise."
    return text + "."


def propose_target(
    method: TargetMethod, baseline: Estimate, direction: str, *,
    percent: float | None = None, benchmark: float | None = None,
    other_group: Estimate | None = None, share: float | None = None,
    value: float | None = None, variable: Variable | None = None,
    baseline_year: int | None = None, gap: bool = False,
) -> TargetProposal:  # fmt: skip
    """A target by ``method`` from ``baseline``, with its MDC, or a refusal saying why.

    ``direction`` is the catalog's (``Variable.direction``). ``variable`` (optional) formats
    the numbers of the sentence (shares as percentages, dollars) and ``baseline_year``
    names the baseline in it; ``gap`` says the baseline is the gap between two groups (its
    numbers are written as differences: '+4.9 percentage points', not '4.9%'). Raises
    :class:`TargetError` for a missing or invalid parameter, or a target outside the
    indicator's scale (``baseline.scale``; a gap's runs from low − high to high − low).
    """
    _check(method, direction, percent, benchmark, other_group, share, value)
    mdc = minimum_detectable_change(baseline)
    refused = _refusal(method, baseline, direction, mdc)
    sign = _sign(direction)
    if not refused and method == "gap":
        assert other_group is not None and baseline.value is not None
        refused = _gap_refusal(baseline.value, other_group, sign, variable, gap)
    if not refused and method == "benchmark" and sign != 0:
        assert benchmark is not None and baseline.value is not None
        if sign * (benchmark - baseline.value) <= 0:
            shown = value_text(variable, baseline.value, gap)
            refused = (f"The baseline ({shown}) already reaches the benchmark "
                       f"({value_text(variable, benchmark, gap)}): choose another benchmark "
                       "or a percent improvement.")  # fmt: skip
    if refused:
        return TargetProposal(method, None, mdc, False, refused, refused)
    base = baseline.value
    assert base is not None
    change, note, field = _change(
        method, base, sign, mdc, percent, benchmark, other_group, share, value
    )
    target = base + change
    if method == "detectable":
        low, high = baseline.scale
        if (low is not None and target < low) or (high is not None and target > high):
            refused = ("The smallest detectable change would take the value beyond the edge of "
                       "its scale: choose a benchmark or a value instead.")  # fmt: skip
            return TargetProposal(method, None, mdc, False, refused, refused)
    else:
        _in_scale(field, baseline, target, variable, gap)
    inside = mdc is not None and abs(change) < mdc
    words = _words(target, change, base, baseline_year, note, mdc, baseline, sign, variable, gap)
    if method == "gap":
        assert other_group is not None
        if compare_values(other_group, baseline).verdict == "not_distinguishable":
            words += " The gap itself is not distinguishable from zero at the 95% level."
    return TargetProposal(method, target, mdc, inside, "", words, change, mdc is not None)


def _change(
    method: str, base: float, sign: int, mdc: float | None, percent: float | None,
    benchmark: float | None, other_group: Estimate | None, share: float | None,
    value: float | None,
) -> tuple[float, str, str]:  # fmt: skip
    """(target - baseline, a note on the method, the form field the target comes from)."""
    if method == "percent":
        assert percent is not None
        if base == 0:
            raise TargetError("percent", "a percent of a baseline of 0 is no change: reach a "
                                         "benchmark or type a value instead.")  # fmt: skip
        return sign * abs(base) * percent / 100, f"a {percent:g}% improvement", "percent"
    if method == "benchmark":
        assert benchmark is not None
        return benchmark - base, "the benchmark", "benchmark"
    if method == "gap":
        assert other_group is not None and other_group.value is not None and share is not None
        return (
            share * (other_group.value - base),
            f"closing {share:.0%} of the gap to the other group",
            "share",
        )
    if method == "detectable":
        assert mdc is not None
        return sign * mdc, "the smallest change the data can detect", "method"
    assert value is not None
    return value - base, "set by the coalition", "value"


def _words(
    target: float, change: float, base: float, year: int | None, note: str, mdc: float | None,
    baseline: Estimate, sign: int, variable: Variable | None, gap: bool = False,
) -> str:  # fmt: skip
    where = f"the {year} baseline" if year is not None else "the baseline"
    if change == 0:
        distance = f"equal to {where} ({value_text(variable, base, gap)})"
    else:
        side = "above" if change > 0 else "below"
        distance = (
            f"{size_text(variable, change)} {side} {where} of {value_text(variable, base, gap)}"
        )
    text = f"A target of {value_text(variable, target, gap)} ({note}) is {distance}"
    text += _noise_words(change, mdc, baseline, variable)
    if sign * change < 0:
        text += " This target is a decline on this indicator."
    return text
