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

A benchmark that is a median of other places (the state median, the national median, the
median of a peer set) carries no published sampling error. It is treated as fixed: its
standard error is zero and only the place's own uncertainty enters the test. This ignores
the (small) uncertainty of the median itself and so slightly favors finding a difference.

Rules that keep claims honest:

* a missing or suppressed value on either side: no comparison (``no_data``);
* a value rated Weak on either side: no claim (``too_uncertain``), whatever the numbers;
* no published interval on a side that is not fixed: the difference is reported without a
  significance test (``no_test``);
* otherwise a two-sided z test at the 95% level: ``higher``, ``lower`` or
  ``not_distinguishable``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Protocol

Z95 = 1.96
"""The two-sided 95% critical value of the standard normal distribution (rounded)."""

Verdict = Literal["higher", "lower", "not_distinguishable", "no_test", "too_uncertain", "no_data"]
Judgement = Literal["better", "worse"]

CLAIMS: frozenset[str] = frozenset({"higher", "lower"})
"""The verdicts that assert a difference."""

NO_TEST_REASON = "no confidence interval published, compared without a significance test"
WEAK_REASON = "the data are rated Weak, too uncertain to say"
MISSING_REASON = "no published value to compare"
SUPPRESSED_REASON = "the value was suppressed by Urban, so there is nothing to compare"


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

    ``fixed`` marks a benchmark without sampling error (a median of places).
    """

    value: float | None
    lb: float | None = None
    ub: float | None = None
    quality: str | None = None
    suppressed: bool = False
    fixed: bool = False

    @classmethod
    def of(cls, obs: ObservationLike | None) -> Estimate:
        """The estimate of a published cell; ``None`` is a missing value."""
        if obs is None:
            return cls(None)
        return cls(obs.value, obs.lb, obs.ub, obs.quality, suppressed=obs.status == "suppressed")

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
        return self.quality == "Weak"

    def standard_error(self, toward: float | None = None) -> float | None:
        """The standard error implied by the interval; 0 for a fixed benchmark.

        ``toward``: the value compared with; the half-width on that side is used. Without
        it (or when the two values are equal) the mean half-width is used.
        """
        if self.fixed:
            return 0.0
        if self.value is None or self.lb is None or self.ub is None:
            return None
        if toward is None or toward == self.value:
            half = (self.ub - self.lb) / 2
        elif toward > self.value:
            half = self.ub - self.value
        else:
            half = self.value - self.lb
        return max(half, 0.0) / Z95


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
            return Estimate(raw, quality="Weak")
        if self.difference is None:
            return Estimate(None, suppressed=self.a.suppressed or self.b.suppressed)
        if self.se is None:
            return Estimate(self.difference)
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


def compare_values(a: Estimate, b: Estimate) -> Comparison:
    """Is ``a`` higher or lower than ``b`` at the 95% level?"""
    refused = _refusal(a, b)
    if refused is not None:
        return Comparison(a, b, None, None, None, None, refused[0], refused[1])
    assert a.value is not None and b.value is not None
    difference = a.value - b.value
    se_a, se_b = a.standard_error(toward=b.value), b.standard_error(toward=a.value)
    if se_a is None or se_b is None:
        return Comparison(a, b, difference, None, None, None, "no_test", NO_TEST_REASON)
    se = math.sqrt(se_a**2 + se_b**2)
    if se == 0:
        z = 0.0 if difference == 0 else math.copysign(math.inf, difference)
    else:
        z = difference / se
    p = p_value(z)
    if abs(z) < Z95:
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
    sign = comparison.sign
    word = "the same as" if sign == 0 else ("higher than" if sign > 0 else "lower than")
    return f"{word} {other} ({NO_TEST_REASON})"
