"""Standard errors from published 95% confidence intervals, and tests of differences.

Urban publishes a 95% confidence interval (``_lb``, ``_ub``) for some variables. For an
estimate that is roughly normal, the interval is the value plus or minus 1.96 standard
errors, so ``se = (ub - lb) / (2 × 1.96)``.

Asymmetric intervals (counts and rates near zero, intervals built on a log scale) are
handled by taking the half-width on the side that faces the value being compared with:
when asking whether A is above B, A's lower half-width and B's upper half-width are the
ones that matter. Without a comparison value the mean half-width is used, which is the
formula above. The choice keeps the test antisymmetric: comparing A with B gives the
opposite verdict of comparing B with A.

Degenerate and clipped intervals (docs/methods.md, "Degenerate and clipped intervals"):

* a zero-width interval (``lb == ub``, a share of 1.0 published as [1, 1]) on an estimate
  that is not a fixed benchmark gives no standard error: the comparison is ``no_test``,
  with a reason that says why, never a difference "known exactly";
* a half-width that is clipped (its bound lies on the edge of the variable's scale, such
  as a share's 0 or 1, or equals the value) is truncated, not small: the larger of the two
  half-widths is used instead, so clipping never shrinks a standard error;
* a difference is significant only when |z| is strictly above 1.96; |z| = 1.96 (a value
  lying exactly on the other's 95% bound, up to floating-point rounding) is not.

Rules that keep claims honest:

* a missing or suppressed value on either side: no comparison (``no_data``);
* a value rated Weak on either side: no claim (``too_uncertain``), whatever the numbers;
* a count (``Variable.is_count``) on either side: never tested (``no_test``, with
  :data:`COUNT_REASON`); counts grow with the size of a place or group, so shares and
  rates are compared instead;
* no published interval on a side that is not fixed, or a zero-width one: the difference
  is reported without a significance test (``no_test``);
* two fixed values: no sampling error at all, so no test (``no_test``);
* otherwise a two-sided z test at the 95% level: ``higher``, ``lower`` or
  ``not_distinguishable``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Protocol

from upward.catalog import SUPPRESSED, WEAK, Variable

Z95 = 1.96
"""The two-sided 95% critical value of the standard normal distribution (rounded)."""
Z_TOLERANCE = 1e-9
"""|z| within this relative distance of 1.96 counts as on the threshold (not significant)."""

Verdict = Literal["higher", "lower", "not_distinguishable", "no_test", "too_uncertain", "no_data"]
Judgement = Literal["better", "worse"]

CLAIMS: frozenset[str] = frozenset({"higher", "lower"})
"""The verdicts that assert a difference."""

NO_TEST_REASON = "no confidence interval published, compared without a significance test"
WEAK_REASON = "the data are rated Weak, too uncertain to say"
MISSING_REASON = "no published value to compare"
SUPPRESSED_REASON = "the value was suppressed by Urban, so there is nothing to compare"
COUNT_REASON = (
    "a count grows with the size of the place or group (and a group's count is part of its "
    "total), so counts are not compared; the share or rate is"
)
DEGENERATE_REASON = (
    "the published confidence interval has zero width, which gives no usable standard "
    "error, compared without a significance test"
)
FIXED_REASON = "both values are fixed benchmarks without sampling error, compared without a test"
REAL_TERMS_PREFIX = "No real-terms test"
"""How the reason of an untested dollar change starts (:mod:`upward.analysis.real_terms`)."""


def untested_label(reason: str) -> str:
    """A few words for why a comparison was not tested, for table cells: 'no CI', ..."""
    if reason == COUNT_REASON:
        return "a count"
    if reason == DEGENERATE_REASON:
        return "zero-width CI"
    if reason == FIXED_REASON:
        return "no sampling error"
    if reason.startswith(REAL_TERMS_PREFIX):
        return "no price index for a year"
    return "no CI"


def untested_words(comparison: Comparison) -> str:
    """The one wording of a difference that was not tested, on every page and in every file.

    'higher, not tested (no CI)', 'lower, not tested (a count)', 'the same, not tested
    (no CI)': the raw direction of the difference, neutral (never better or worse), and
    why there is no test. Table cells start it with a capital letter; sentences use it as is.
    """
    sign = comparison.sign
    word = "the same" if sign == 0 else ("higher" if sign > 0 else "lower")
    return f"{word}, not tested ({untested_label(comparison.reason)})"


class ObservationLike(Protocol):
    """What the analysis layer reads from a published cell (``upward.data.model.Observation``)."""

    @property
    def geoid(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def variable(self) -> str: ...
    @property
    def subgroup_type(self) -> str: ...
    @property
    def subgroup(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def lb(self) -> float | None: ...
    @property
    def ub(self) -> float | None: ...
    @property
    def quality(self) -> str | None: ...
    @property
    def status(self) -> str: ...


@dataclass(frozen=True)
class Estimate:
    """A value with its published 95% interval and quality label.

    ``fixed`` marks a benchmark without sampling error (a median of places). ``count``
    marks a count (never tested); ``scale`` is the (low, high) edge of the variable's scale,
    where a bound is clipped. ``untested`` says why an estimate without bounds has none,
    when that is not simply that Urban publishes no interval.
    """

    value: float | None
    lb: float | None = None
    ub: float | None = None
    quality: str | None = None
    suppressed: bool = False
    fixed: bool = False
    count: bool = False
    scale: tuple[float | None, float | None] = (None, None)
    untested: str | None = None

    @classmethod
    def of(cls, obs: ObservationLike | None, variable: Variable | None = None) -> Estimate:
        """The estimate of a published cell; ``None`` is a missing value.

        ``variable`` (the catalog's) tells whether the cell is a count and where its scale
        ends; pass it wherever the variable is known.
        """
        count = variable.is_count if variable is not None else False
        scale = variable.scale if variable is not None else (None, None)
        if obs is None:
            return cls(None, count=count, scale=scale)
        return cls(obs.value, obs.lb, obs.ub, obs.quality, suppressed=obs.status == SUPPRESSED,
                   count=count, scale=scale)  # fmt: skip

    @classmethod
    def benchmark(cls, value: float | None) -> Estimate:
        """A median of places, treated as fixed (no sampling error)."""
        return cls(value, fixed=True)

    @classmethod
    def from_se(cls, value: float, se: float, quality: str | None = None) -> Estimate:
        """An estimate known by its standard error (a gap, a change): bounds are ±1.96 se."""
        return cls(value, value - Z95 * se, value + Z95 * se, quality)

    @property
    def has_bounds(self) -> bool:
        return self.lb is not None and self.ub is not None

    @property
    def weak(self) -> bool:
        return self.quality == WEAK

    @property
    def degenerate(self) -> bool:
        """A published interval of zero width on an estimate that is not fixed."""
        return not self.fixed and self.has_bounds and self.lb == self.ub

    def _clipped(self, bound: float, half: float) -> bool:
        """A half-width of zero, or a bound on the edge of the scale: truncated, not small."""
        return half <= 0 or bound in self.scale

    def standard_error(self, toward: float | None = None) -> float | None:
        """The standard error implied by the interval; 0 for a fixed benchmark.

        ``toward``: the value compared with; the half-width on that side is used. Without
        it (or when the two values are equal) the mean half-width is used. A clipped half
        (see :meth:`_clipped`) is replaced by the larger half; a zero-width interval gives
        None (no usable standard error).
        """
        if self.fixed:
            return 0.0
        if self.value is None or self.lb is None or self.ub is None or self.lb == self.ub:
            return None
        lower, upper = max(self.value - self.lb, 0.0), max(self.ub - self.value, 0.0)
        low_clipped, high_clipped = self._clipped(self.lb, lower), self._clipped(self.ub, upper)
        if toward is None or toward == self.value:
            half = max(lower, upper) if low_clipped or high_clipped else (self.ub - self.lb) / 2
        elif toward > self.value:
            half = max(lower, upper) if high_clipped else upper
        else:
            half = max(lower, upper) if low_clipped else lower
        return half / Z95


def standard_error(lb: float, ub: float) -> float:
    """``(ub - lb) / (2 × 1.96)``: the standard error of a symmetric 95% interval."""
    if ub < lb:
        raise ValueError(f"Upper bound {ub} is below lower bound {lb}.")
    return (ub - lb) / (2 * Z95)


def p_value(z: float) -> float:
    """Two-sided p-value of a standard normal statistic: ``erfc(|z| / √2)``."""
    if math.isinf(z):
        return 0.0
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class Comparison:
    """The difference ``a - b`` and what can be said about it."""

    a: Estimate
    b: Estimate
    difference: float | None
    se: float | None
    z: float | None
    p: float | None
    verdict: Verdict
    reason: str

    @property
    def claims_difference(self) -> bool:
        """True only when a test at the 95% level supports a difference."""
        return self.verdict in CLAIMS

    @property
    def tested(self) -> bool:
        return self.z is not None

    @property
    def ci(self) -> tuple[float, float] | None:
        """The 95% interval of the difference, when it was tested."""
        if self.difference is None or self.se is None:
            return None
        return (self.difference - Z95 * self.se, self.difference + Z95 * self.se)

    def as_estimate(self) -> Estimate:
        """The difference itself as an estimate, for tests of a change in a difference.

        A refused comparison stays refused: a Weak side gives a Weak difference, a missing
        side a missing one, and an untested difference has no bounds.
        """
        a, b = self.a.value, self.b.value
        raw = a - b if a is not None and b is not None else None
        if self.verdict == "too_uncertain":
            return Estimate(raw, quality=WEAK)
        if self.difference is None:
            return Estimate(None, suppressed=self.a.suppressed or self.b.suppressed)
        if self.se is None:
            return Estimate(self.difference, untested=self.reason)
        return Estimate.from_se(self.difference, self.se)

    @property
    def sign(self) -> int:
        """+1, -1 or 0: the raw sign of the difference, whatever the test says."""
        if not self.difference:
            return 0
        return 1 if self.difference > 0 else -1


def _refusal(a: Estimate, b: Estimate) -> tuple[Verdict, str] | None:
    for side in (a, b):
        if side.value is None:
            return ("no_data", SUPPRESSED_REASON if side.suppressed else MISSING_REASON)
    if a.weak or b.weak:
        return ("too_uncertain", WEAK_REASON)
    return None


def _untested_reason(a: Estimate, b: Estimate) -> str | None:
    """Why the pair cannot be tested, or None when it can."""
    if a.count or b.count:
        return COUNT_REASON
    for side in (a, b):
        if side.degenerate:
            return DEGENERATE_REASON
    for side in (a, b):
        if not side.fixed and not side.has_bounds:
            return side.untested or NO_TEST_REASON
    if a.fixed and b.fixed:
        return FIXED_REASON
    return None


def significant(z: float) -> bool:
    """|z| strictly above 1.96; on the threshold (within rounding) is not significant."""
    return abs(z) > Z95 * (1 + Z_TOLERANCE)


def compare_values(a: Estimate, b: Estimate) -> Comparison:
    """Is ``a`` higher or lower than ``b`` at the 95% level?"""
    refused = _refusal(a, b)
    if refused is not None:
        return Comparison(a, b, None, None, None, None, refused[0], refused[1])
    assert a.value is not None and b.value is not None
    difference = a.value - b.value
    untested = _untested_reason(a, b)
    se_a, se_b = a.standard_error(toward=b.value), b.standard_error(toward=a.value)
    if untested is not None or se_a is None or se_b is None:
        reason = untested or NO_TEST_REASON
        return Comparison(a, b, difference, None, None, None, "no_test", reason)
    se = math.sqrt(se_a**2 + se_b**2)
    if not se > 0 or not math.isfinite(se):  # unreachable after the rules above; never inf
        return Comparison(a, b, difference, None, None, None, "no_test", DEGENERATE_REASON)
    z = difference / se
    p = p_value(z)
    if not significant(z):
        reason = "the difference is within what sampling error could produce (95% level)"
        return Comparison(a, b, difference, se, z, p, "not_distinguishable", reason)
    verdict: Verdict = "higher" if difference > 0 else "lower"
    return Comparison(a, b, difference, se, z, p, verdict, "significant at the 95% level")


def judge(verdict: str, direction: str) -> Judgement | None:
    """Better or worse, from a verdict and the catalog direction; None for context metrics."""
    if verdict not in CLAIMS or direction not in ("higher_better", "lower_better"):
        return None
    up = verdict == "higher"
    return "better" if up == (direction == "higher_better") else "worse"


def p_text(comparison: Comparison) -> str:
    """'p = 0.003' or 'p < 0.001'; '' when no test was run."""
    p = comparison.p
    if p is None or not comparison.tested:
        return ""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def evidence_text(comparison: Comparison) -> str:
    """The test behind a verdict: 'significant at the 95% level, p = 0.003'; '' untested."""
    p = p_text(comparison)
    if not p:
        return ""
    if comparison.claims_difference:
        return f"significant at the 95% level, {p}"
    return f"95% test, {p}"


def verdict_text(comparison: Comparison, direction: str, other: str) -> str:
    """A plain clause that carries its test or says why there is none.

    'higher than the state median (significant at the 95% level, p < 0.001), which is
    better'. Better or worse is said only of a difference a test supports, and only for
    evaluative metrics; an untested difference is described neutrally.
    """
    verdict = comparison.verdict
    if verdict in CLAIMS:
        judged = judge(verdict, direction)
        text = f"{verdict} than {other} ({evidence_text(comparison)})"
        return f"{text}, which is {judged}" if judged else text
    if verdict == "not_distinguishable":
        return f"not distinguishable from {other} ({evidence_text(comparison)})"
    if verdict == "too_uncertain":
        if comparison.reason == WEAK_REASON:
            return f"too uncertain to compare with {other} (data rated Weak)"
        return f"not compared with {other}: {comparison.reason}"
    if verdict == "no_data":
        return f"not comparable with {other}: {comparison.reason}"
    return f"compared with {other}: {untested_words(comparison)}"
