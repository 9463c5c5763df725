"""Standard errors from confidence intervals and the difference test, on hand-computed cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upward.analysis.uncertainty import (
    NO_TEST_REASON,
    Estimate,
    compare_values,
    evidence_text,
    judge,
    p_value,
    standard_error,
    verdict_text,
)


def test_standard_error_from_a_95_percent_interval() -> None:
    # (14 - 10) / (2 × 1.96) = 4 / 3.92
    assert standard_error(10, 14) == pytest.approx(1.0204082, rel=1e-6)
    assert Estimate(12, 10, 14).standard_error() == pytest.approx(1.0204082, rel=1e-6)
    with pytest.raises(ValueError, match="below"):
        standard_error(14, 10)


def test_p_value_of_the_normal_test() -> None:
    assert p_value(1.96) == pytest.approx(0.05, abs=1e-4)
    assert p_value(0) == 1.0
    assert p_value(-2.5758) == pytest.approx(0.01, abs=1e-4)
    assert p_value(math.inf) == 0.0


def test_clearly_different_values_are_higher_and_lower() -> None:
    a, b = Estimate(50, 46, 54, "Strong"), Estimate(40, 38, 42, "Strong")
    # se_a = 4 / 1.96 = 2.0408, se_b = 2 / 1.96 = 1.0204, se = √(2.0408² + 1.0204²) = 2.2817
    result = compare_values(a, b)
    assert result.difference == 10
    assert result.se == pytest.approx(2.28169, rel=1e-5)
    assert result.z == pytest.approx(4.38272, rel=1e-5)
    assert result.p == pytest.approx(1.1725e-5, rel=1e-3)
    assert result.verdict == "higher"
    assert result.claims_difference
    assert compare_values(b, a).verdict == "lower"
    assert result.ci == pytest.approx((10 - 1.96 * 2.28169, 10 + 1.96 * 2.28169), rel=1e-5)


def test_a_small_difference_is_not_distinguishable() -> None:
    result = compare_values(Estimate(50, 46, 54), Estimate(47, 45, 49))
    assert result.z == pytest.approx(3 / 2.28169, rel=1e-5)  # 1.3148
    assert result.p == pytest.approx(0.1886, abs=1e-3)
    assert result.verdict == "not_distinguishable"
    assert not result.claims_difference


def test_overlapping_intervals_can_still_differ() -> None:
    # The intervals overlap (12 > 11.2), yet z = -3.2 / (1.0204 × √2) = -2.217.
    result = compare_values(Estimate(10, 8, 12), Estimate(13.2, 11.2, 15.2))
    assert result.z == pytest.approx(-2.21739, rel=1e-4)
    assert result.verdict == "lower"


def test_missing_bounds_give_no_test_and_say_so() -> None:
    result = compare_values(Estimate(0.30), Estimate(0.20, 0.18, 0.22))
    assert result.verdict == "no_test"
    assert result.reason == NO_TEST_REASON
    assert result.difference == pytest.approx(0.10)
    assert result.z is None and result.p is None and result.se is None
    assert result.sign == 1
    assert not result.claims_difference


def test_weak_quality_is_too_uncertain_whatever_the_numbers() -> None:
    result = compare_values(Estimate(90, 89, 91, "Weak"), Estimate(10, 9, 11, "Strong"))
    assert result.verdict == "too_uncertain"
    assert "Weak" in result.reason
    assert result.difference is None
    assert compare_values(Estimate(10, 9, 11), Estimate(90, 89, 91, "Weak")).verdict == (
        "too_uncertain"
    )


def test_suppressed_and_missing_values_give_no_comparison() -> None:
    suppressed = compare_values(Estimate(None, quality="Weak", suppressed=True), Estimate(5, 4, 6))
    assert suppressed.verdict == "no_data"
    assert "suppressed" in suppressed.reason
    missing = compare_values(Estimate(5, 4, 6), Estimate(None))
    assert missing.verdict == "no_data"
    assert "no published value" in missing.reason


def test_a_median_is_a_fixed_benchmark() -> None:
    place = Estimate(50, 46, 54)
    # Only the place's se (2.0408) enters: z = 5 / 2.0408 = 2.45
    above = compare_values(place, Estimate.benchmark(45))
    assert above.se == pytest.approx(2.040816, rel=1e-6)
    assert above.z == pytest.approx(2.45, rel=1e-6)
    assert above.verdict == "higher"
    assert compare_values(place, Estimate.benchmark(47)).verdict == "not_distinguishable"
    assert compare_values(Estimate(50), Estimate.benchmark(45)).verdict == "no_test"


def test_asymmetric_bounds_use_the_side_facing_the_comparison() -> None:
    place = Estimate(10, 9, 14)  # 1 below, 4 above
    upward = compare_values(place, Estimate.benchmark(12))  # faces up: se = 4 / 1.96
    assert upward.se == pytest.approx(4 / 1.96)
    assert upward.verdict == "not_distinguishable"
    downward = compare_values(place, Estimate.benchmark(8))  # faces down: se = 1 / 1.96
    assert downward.se == pytest.approx(1 / 1.96)
    assert downward.z == pytest.approx(3.92)
    assert downward.verdict == "higher"


def test_exact_values_differ_exactly() -> None:
    result = compare_values(Estimate(12, 12, 12), Estimate(10, 10, 10))
    assert result.se == 0 and result.p == 0.0 and result.verdict == "higher"
    same = compare_values(Estimate(10, 10, 10), Estimate(10, 10, 10))
    assert same.verdict == "not_distinguishable"


def test_direction_aware_words() -> None:
    assert judge("higher", "higher_better") == "better"
    assert judge("higher", "lower_better") == "worse"
    assert judge("lower", "lower_better") == "better"
    assert judge("higher", "context") is None
    assert judge("not_distinguishable", "higher_better") is None
    higher = compare_values(Estimate(50, 46, 54), Estimate.benchmark(40))
    assert higher.p is not None and higher.p < 0.001  # z = 10 / (4 / 1.96) = 4.9
    assert verdict_text(higher, "higher_better", "the state median") == (
        "higher than the state median (significant at the 95% level, p < 0.001), which is better"
    )
    assert verdict_text(higher, "context", "the state median") == (
        "higher than the state median (significant at the 95% level, p < 0.001)"
    )
    close = compare_values(Estimate(42, 38, 46), Estimate.benchmark(40))  # z = 0.98, p = 0.327
    assert verdict_text(close, "higher_better", "X") == (
        "not distinguishable from X (95% test, p = 0.327)"
    )
    assert evidence_text(close) == "95% test, p = 0.327"
    untested = compare_values(Estimate(50), Estimate.benchmark(40))
    assert verdict_text(untested, "higher_better", "X") == f"higher than X ({NO_TEST_REASON})"
    weak = compare_values(Estimate(50, 46, 54, "Weak"), Estimate.benchmark(40))
    assert "too uncertain" in verdict_text(weak, "higher_better", "X")


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
widths = st.floats(min_value=0, max_value=1e5, allow_nan=False)
qualities = st.sampled_from([None, "Strong", "Marginal", "Weak"])


@st.composite
def estimates(draw: st.DrawFn) -> Estimate:
    value = draw(st.none() | values)
    kind = draw(st.sampled_from(["bounds", "none", "fixed"]))
    if value is None:
        return Estimate(None, quality=draw(qualities), suppressed=draw(st.booleans()))
    if kind == "fixed":
        return Estimate.benchmark(value)
    if kind == "none":
        return Estimate(value, quality=draw(qualities))
    below, above = draw(widths), draw(widths)
    return Estimate(value, value - below, value + above, draw(qualities))


@given(estimates(), estimates())
def test_the_test_is_antisymmetric(a: Estimate, b: Estimate) -> None:
    ab, ba = compare_values(a, b), compare_values(b, a)
    assert (ab.verdict == "higher") == (ba.verdict == "lower")
    assert (ab.verdict == "lower") == (ba.verdict == "higher")
    if ab.verdict not in ("higher", "lower"):
        assert ab.verdict == ba.verdict


@given(estimates(), estimates())
def test_no_claim_without_bounds_or_on_weak_data(a: Estimate, b: Estimate) -> None:
    result = compare_values(a, b)
    if result.claims_difference:
        for side in (a, b):
            assert side.value is not None
            assert side.fixed or side.has_bounds
            assert side.quality != "Weak"
        assert result.p is not None and result.p < 0.05
        assert result.z is not None and abs(result.z) >= 1.96
    if a.weak or b.weak or a.value is None or b.value is None:
        assert result.verdict in ("too_uncertain", "no_data")
