"""Standard errors from confidence intervals and the difference test, on hand-computed cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upward.analysis.uncertainty import (
    COUNT_REASON,
    DEGENERATE_REASON,
    FIXED_REASON,
    NO_TEST_REASON,
    Estimate,
    compare_values,
    evidence_text,
    judge,
    p_value,
    significant,
    standard_error,
    verdict_text,
)
from upward.catalog import get_catalog


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


def test_a_zero_width_interval_gives_no_test() -> None:
    # Both published as exact: no standard error on either side, so no test (not z = ±inf).
    result = compare_values(Estimate(12, 12, 12), Estimate(10, 10, 10))
    assert result.verdict == "no_test" and result.reason == DEGENERATE_REASON
    assert result.difference == 2 and result.z is None and result.se is None
    assert compare_values(Estimate(1.0, 1.0, 1.0), Estimate.benchmark(0.9)).verdict == "no_test"
    assert Estimate(1.0, 1.0, 1.0).standard_error() is None
    assert Estimate.benchmark(0.9).standard_error() == 0.0  # a fixed benchmark is not degenerate


def test_mountain_view_high_school_completion_is_not_a_significant_decline() -> None:
    # 0649670, share_hs_degree: 2014 published as 1.0 [1.0, 1.0], 2023 as 0.9597 [0.9179, 1.0].
    # The old rule took 2014's se as 0 and 2023's facing half (1.0 - 0.9597) / 1.96, so
    # z = -0.0403 / (0.0403 / 1.96) = -1.96 exactly: "significant, worse". Now: no test.
    first = Estimate(1.0, 1.0, 1.0, "Marginal", scale=(0.0, 1.0))
    last = Estimate(0.9597238151201176, 0.917920314993281, 1.0, "Marginal", scale=(0.0, 1.0))
    result = compare_values(last, first)
    assert result.verdict == "no_test" and result.reason == DEGENERATE_REASON
    assert result.difference == pytest.approx(-0.0402762, rel=1e-5)


def test_lawrence_group_gaps_at_one_are_not_significant() -> None:
    # 2038900, share_hs_degree 2023: With Disability 1.0 [1.0, 1.0] against All 0.99366
    # [0.98375, 1.0]; the old rule gave z = 0.006343 / (0.009906 / 1.96) = 1.96, p = 0.049996.
    group = Estimate(1.0, 1.0, 1.0, "Strong", scale=(0.0, 1.0))
    total = Estimate(0.9936565473493431, 0.98375099534993, 1.0, "Strong", scale=(0.0, 1.0))
    assert compare_values(group, total).verdict == "no_test"
    assert compare_values(total, group).verdict == "no_test"


def test_a_clipped_facing_half_falls_back_to_the_larger_half() -> None:
    # 0.97 [0.92, 1.0]: the upper half (0.03) is clipped at the share's edge, 1. Against a
    # median of 1.0 the old rule gave z = -0.03 / (0.03 / 1.96) = -1.96, "significant".
    # Now the lower half stands in: se = 0.05 / 1.96, z = -0.03 / 0.02551 = -1.176.
    share = Estimate(0.97, 0.92, 1.0, scale=(0.0, 1.0))
    result = compare_values(share, Estimate.benchmark(1.0))
    assert result.se == pytest.approx(0.05 / 1.96)
    assert result.z == pytest.approx(-1.176, abs=1e-3)
    assert result.verdict == "not_distinguishable"
    # Facing down, the lower half (0.05) is not clipped and is used as before.
    assert compare_values(share, Estimate.benchmark(0.85)).se == pytest.approx(0.05 / 1.96)
    # Without a scale, a bound equal to the value (a half of zero) is clipped too:
    # 0.5 [0.5, 0.6] against 0.45 used se = 0 (z = +inf); now se = 0.1 / 1.96, z = 0.98.
    flat = compare_values(Estimate(0.5, 0.5, 0.6), Estimate.benchmark(0.45))
    assert flat.z == pytest.approx(0.98) and flat.verdict == "not_distinguishable"
    # A dollar bound at 0 (the edge of the scale) is clipped: $500 [$0, $1,500] toward $0.
    money = Estimate(500, 0, 1500, scale=(0.0, None))
    assert money.standard_error(toward=100) == pytest.approx(1000 / 1.96)
    # With no clipping the mean half-width stays the rule when nothing is compared.
    assert Estimate(0.5, 0.4, 0.7, scale=(0.0, 1.0)).standard_error() == pytest.approx(0.15 / 1.96)
    assert Estimate(0.9, 0.7, 1.0, scale=(0.0, 1.0)).standard_error() == pytest.approx(0.2 / 1.96)


def test_z_exactly_at_the_threshold_is_not_significant() -> None:
    # 12 [10, 14] against a median of 10: z = 2 / (2 / 1.96) = 1.96, on the 95% bound.
    on_bound = compare_values(Estimate(12, 10, 14), Estimate.benchmark(10))
    assert on_bound.z == pytest.approx(1.96)
    assert on_bound.verdict == "not_distinguishable"
    assert not significant(1.96) and not significant(-1.96)
    assert not significant(1.96 * (1 + 1e-12))  # rounding noise is still on the threshold
    assert significant(1.9601) and significant(-1.9601)
    # Just outside the bound: z = 2.01 / 1.0204 = 1.9698.
    assert compare_values(Estimate(12, 10, 14), Estimate.benchmark(9.99)).verdict == "higher"


def test_two_fixed_values_are_not_tested() -> None:
    result = compare_values(Estimate.benchmark(5), Estimate.benchmark(4))
    assert result.verdict == "no_test" and result.reason == FIXED_REASON and result.z is None


def test_counts_are_never_tested() -> None:
    # Ramsey County, MN, 2022: 1,255 Black, non-Hispanic students of 2,477 who experienced
    # homelessness. The group is part of the total; "lower than the total" is no finding.
    count = get_catalog().variable("count_homeless")
    group = Estimate(1255, 1248, 1262, "Strong", count=True)
    total = Estimate(2477, 2464, 2490, "Strong", count=True)
    result = compare_values(group, total)
    assert result.verdict == "no_test" and result.reason == COUNT_REASON
    assert judge(result.verdict, count.direction) is None
    assert compare_values(Estimate(5, 4, 6), total).reason == COUNT_REASON
    assert Estimate.of(None, count).count
    share = get_catalog().variable("share_homeless")
    assert not Estimate.of(None, share).count and Estimate.of(None, share).scale == (0.0, 1.0)


def test_an_untested_gap_keeps_its_reason_in_a_change() -> None:
    gap = compare_values(Estimate(1.0, 1.0, 1.0), Estimate(0.9, 0.85, 0.95))
    earlier = compare_values(Estimate(0.8, 0.75, 0.85), Estimate(0.9, 0.85, 0.95))
    change = compare_values(gap.as_estimate(), earlier.as_estimate())
    assert change.verdict == "no_test" and change.reason == DEGENERATE_REASON


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
    assert (
        verdict_text(untested, "higher_better", "X")
        == "compared with X: higher, not tested (no CI)"
    )
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
    scale = draw(st.sampled_from([(None, None), (value - below, None), (None, value + above)]))
    return Estimate(value, value - below, value + above, draw(qualities), scale=scale)


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
        assert result.z is not None and abs(result.z) > 1.96
        assert not a.degenerate and not b.degenerate and not (a.fixed and b.fixed)
    if result.z is not None:
        assert math.isfinite(result.z) and result.se is not None and result.se > 0
    if a.weak or b.weak or a.value is None or b.value is None:
        assert result.verdict in ("too_uncertain", "no_data")


def test_an_untested_difference_has_one_wording() -> None:
    from upward.analysis.uncertainty import COUNT_REASON, untested_words

    assert untested_words(compare_values(Estimate(50), Estimate.benchmark(40))) == (
        "higher, not tested (no CI)"
    )
    assert untested_words(compare_values(Estimate(30), Estimate.benchmark(40))) == (
        "lower, not tested (no CI)"
    )
    assert untested_words(compare_values(Estimate(40), Estimate.benchmark(40))) == (
        "the same, not tested (no CI)"
    )
    counted = compare_values(Estimate(5, 4, 6, count=True), Estimate(3, 2, 4, count=True))
    assert counted.reason == COUNT_REASON
    assert untested_words(counted) == "higher, not tested (a count)"
