"""Targets the data can detect: the minimum detectable change and every method, by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from upward.analysis.real_terms import in_dollars_of
from upward.analysis.targets import (
    MISSING_BASELINE_REFUSAL,
    TARGET_METHODS,
    WEAK_BASELINE_REFUSAL,
    TargetError,
    minimum_detectable_change,
    no_mdc_reason,
    propose_target,
)
from upward.analysis.uncertainty import Estimate, compare_values
from upward.catalog import get_catalog

SHARE = (0.0, 1.0)
# A share of 50% with the interval [46%, 54%]: half-width 0.04,
# SE = 0.08 / (2 × 1.96) = 0.020408, MDC = 1.96 × √2 × 0.020408 = √2 × 0.04 = 0.056569.
BASE = Estimate(0.50, 0.46, 0.54, "Strong", scale=SHARE)
BASE_MDC = 0.0565685
CATALOG = get_catalog()
EMPLOYED = CATALOG.variable("share_employed")
INCOME = CATALOG.variable("pctl_income_50")


# -- the minimum detectable change -----------------------------------------------------------


def test_mdc_of_a_symmetric_interval() -> None:
    # lb 40, ub 44: SE = 4 / (2 × 1.96) = 1.0204, MDC = 1.96 × √2 × 1.0204 = 2√2 = 2.828
    assert minimum_detectable_change(Estimate(42, 40, 44, "Strong")) == pytest.approx(2.828427)
    assert minimum_detectable_change(BASE) == pytest.approx(BASE_MDC, rel=1e-5)
    assert minimum_detectable_change(Estimate(42, 40, 44)) == pytest.approx(2.828427)  # no flag


def test_mdc_agrees_with_the_difference_test() -> None:
    # A later estimate with the baseline's interval width, moved by just over the MDC, is
    # significant; by just under it, it is not (and exactly on it z = 1.96: not significant).
    mdc = minimum_detectable_change(BASE)
    assert mdc is not None
    for factor, expected in ((1 + 1e-6, True), (1 - 1e-6, False), (1.0, False)):
        moved = BASE.value + mdc * factor  # type: ignore[operator]
        later = Estimate(moved, moved - 0.04, moved + 0.04, "Strong")
        assert compare_values(later, BASE).claims_difference is expected, factor


def test_mdc_of_a_clipped_interval_uses_the_larger_half() -> None:
    # [0%, 5%] around 2%: the lower half (0.02) is clipped at the scale's 0, so the larger
    # half (0.03) is used, as in compare_values: SE = 0.03 / 1.96, MDC = √2 × 0.03 = 0.042426
    # (the mean half, 0.025, would give 0.035355: clipping never shrinks the MDC).
    assert minimum_detectable_change(Estimate(0.02, 0.0, 0.05, "Strong", scale=SHARE)) == (
        pytest.approx(0.0424264, rel=1e-5)
    )
    # [97%, 100%] around 100%: the upper half is 0 (clipped), the lower 0.03 is used.
    assert minimum_detectable_change(Estimate(1.0, 0.97, 1.0, "Strong", scale=SHARE)) == (
        pytest.approx(0.0424264, rel=1e-5)
    )


@pytest.mark.parametrize(
    ("baseline", "reason"),
    [
        (Estimate(1.0, 1.0, 1.0, "Strong", scale=SHARE), "zero width"),  # [1, 1]: no SE
        (Estimate(0.5, 0.46, 0.54, "Weak"), "Weak"),
        (Estimate(0.5), "no confidence interval"),
        (Estimate(None), "no published baseline"),
        (Estimate(1200, 1100, 1300, "Strong", count=True), "count"),
        (Estimate.benchmark(0.5), "fixed benchmark"),
    ],
)
def test_no_mdc_without_a_usable_standard_error(baseline: Estimate, reason: str) -> None:
    assert minimum_detectable_change(baseline) is None
    assert reason in no_mdc_reason(baseline)


def test_no_mdc_reason_is_empty_when_there_is_one() -> None:
    assert no_mdc_reason(BASE) == ""


# -- each method, hand-computed ----------------------------------------------------------------


def test_percent_improvement_higher_is_better() -> None:
    # 50% + 10% of 50% = 55%; the change 0.05 < MDC 0.0566: inside the noise.
    p = propose_target("percent", BASE, "higher_better", percent=10, variable=EMPLOYED,
                       baseline_year=2021)  # fmt: skip
    assert p.value == pytest.approx(0.55)
    assert p.change == pytest.approx(0.05)
    assert p.mdc == pytest.approx(BASE_MDC, rel=1e-5)
    assert p.inside_noise and p.testable and p.refused == ""
    assert p.words == (
        "A target of 55.0% (a 10% improvement) is 5.0 percentage points above the 2021 "
        "baseline of 50.0%; changes smaller than 5.7 percentage points cannot be told apart "
        "from noise at the 95% level, so this target lies inside the noise."
    )
    # 20%: 50% + 10 points = 60%; 0.10 > 0.0566, outside the noise.
    p = propose_target("percent", BASE, "higher_better", percent=20)
    assert p.value == pytest.approx(0.60) and not p.inside_noise
    assert "inside the noise" not in p.words


def test_percent_improvement_lower_is_better_lowers_the_value() -> None:
    # lower_better: 50% - 10% of 50% = 45%.
    p = propose_target("percent", BASE, "lower_better", percent=10)
    assert p.value == pytest.approx(0.45)
    assert p.change == pytest.approx(-0.05)
    assert "below the baseline" in p.words and "decline" not in p.words


def test_percent_improvement_of_a_negative_baseline_moves_up() -> None:
    # A rate of -0.2 (open scale), higher_better: -0.2 + 10% × |-0.2| = -0.18.
    p = propose_target("percent", Estimate(-0.2, -0.3, -0.1, "Strong"), "higher_better", percent=10)
    assert p.value == pytest.approx(-0.18)


def test_benchmark() -> None:
    # Reach the state median of 58%: change 0.08 > MDC 0.0566.
    p = propose_target("benchmark", BASE, "higher_better", benchmark=0.58, variable=EMPLOYED)
    assert p.value == pytest.approx(0.58) and p.change == pytest.approx(0.08)
    assert not p.inside_noise
    assert p.words.startswith("A target of 58.0% (the benchmark) is 8.0 percentage points above")


def test_a_benchmark_already_reached_is_refused() -> None:
    p = propose_target("benchmark", BASE, "higher_better", benchmark=0.48)
    assert p.value is None and "already reaches the benchmark" in p.refused
    p = propose_target("benchmark", BASE, "lower_better", benchmark=0.52)
    assert p.value is None and p.refused


def test_gap_closed_by_a_share() -> None:
    # Other group 70%: the gap is 20 points; closing half: 50% + 0.5 × 0.20 = 60%.
    other = Estimate(0.70, 0.68, 0.72, "Strong", scale=SHARE)
    p = propose_target("gap", BASE, "higher_better", other_group=other, share=0.5,
                       variable=EMPLOYED)  # fmt: skip
    assert p.value == pytest.approx(0.60) and p.change == pytest.approx(0.10)
    assert "closing 50% of the gap" in p.words
    assert "not distinguishable" not in p.words
    # All of it (share 1): the other group's value. lower_better with the other group below.
    p = propose_target("gap", BASE, "lower_better",
                       other_group=Estimate(0.30, 0.28, 0.32, "Strong"), share=1)  # fmt: skip
    assert p.value == pytest.approx(0.30)


def test_gap_words_say_when_the_gap_itself_is_within_the_noise() -> None:
    # Other 53% [49%, 57%]: the gap of 3 points has SE √2 × 0.0204 = 0.0289, z = 1.04.
    other = Estimate(0.53, 0.49, 0.57, "Strong")
    p = propose_target("gap", BASE, "higher_better", other_group=other, share=1)
    assert p.value == pytest.approx(0.53) and p.inside_noise
    assert "The gap itself is not distinguishable from zero" in p.words


@pytest.mark.parametrize(
    ("other", "words"),
    [
        (Estimate(0.40, 0.38, 0.42, "Strong"), "would mean a decline"),  # below, higher_better
        (Estimate(0.70, 0.60, 0.80, "Weak"), "rated Weak"),
        (Estimate(None), "no published value"),
        (Estimate(0.50, 0.48, 0.52, "Strong"), "no gap to close"),
    ],
)
def test_gap_refusals(other: Estimate, words: str) -> None:
    p = propose_target("gap", BASE, "higher_better", other_group=other, share=0.5)
    assert p.value is None and words in p.refused and p.words == p.refused


def test_detectable_is_the_baseline_plus_or_minus_the_mdc() -> None:
    # 0.50 ± 0.056569; on the edge of the noise, not inside it.
    up = propose_target("detectable", BASE, "higher_better")
    down = propose_target("detectable", BASE, "lower_better")
    assert up.value == pytest.approx(0.556569, rel=1e-5)
    assert down.value == pytest.approx(0.443431, rel=1e-5)
    assert not up.inside_noise and not down.inside_noise


def test_detectable_needs_an_mdc_and_room_on_the_scale() -> None:
    p = propose_target("detectable", Estimate(0.5), "higher_better")
    assert p.value is None and "No smallest detectable change" in p.refused
    assert "no confidence interval" in p.refused
    # 97% [94%, 100%]: the upper half is clipped, MDC = √2 × 0.03 = 0.0424; 1.0124 > 100%.
    p = propose_target(
        "detectable", Estimate(0.97, 0.94, 1.0, "Strong", scale=SHARE), "higher_better"
    )
    assert p.value is None and "edge of its scale" in p.refused


def test_value_typed_by_the_coalition() -> None:
    # 52%: change 0.02 < 0.0566, inside the noise.
    p = propose_target("value", BASE, "higher_better", value=0.52)
    assert p.value == 0.52 and p.inside_noise
    # A value in the worsening direction is kept, and the words say it is a decline.
    p = propose_target("value", BASE, "higher_better", value=0.40)
    assert p.value == 0.40 and not p.inside_noise
    assert p.words.endswith("This target is a decline on this indicator.")


def test_no_mdc_says_no_test_is_possible() -> None:
    p = propose_target("value", Estimate(0.5, scale=SHARE), "higher_better", value=0.6)
    assert p.value == 0.6 and p.mdc is None and not p.inside_noise and not p.testable
    assert "no 95% test is possible (no confidence interval is published for it)" in p.words


# -- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", TARGET_METHODS)
def test_a_weak_baseline_gets_no_target_whatever_the_method(method: str) -> None:
    weak = Estimate(0.5, 0.3, 0.7, "Weak", scale=SHARE)
    other = Estimate(0.7, 0.68, 0.72, "Strong")
    p = propose_target(method, weak, "higher_better", percent=10, benchmark=0.6,  # type: ignore[arg-type]
                       other_group=other, share=0.5, value=0.6)  # fmt: skip
    assert p.value is None and p.refused == WEAK_BASELINE_REFUSAL
    assert "another variable" in p.refused and "local data" in p.refused


def test_a_missing_baseline_gets_no_target() -> None:
    p = propose_target("value", Estimate(None, suppressed=True), "higher_better", value=0.6)
    assert p.refused == MISSING_BASELINE_REFUSAL


def test_context_variables_take_values_and_benchmarks_only() -> None:
    for method in ("percent", "detectable"):
        p = propose_target(method, BASE, "context", percent=10)  # type: ignore[arg-type]
        assert p.value is None and "shown as context" in p.refused
    # A benchmark on either side of the baseline is allowed for context.
    assert propose_target("benchmark", BASE, "context", benchmark=0.45).value == 0.45
    assert propose_target("value", BASE, "context", value=0.6).value == 0.6


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "kwargs", "field"),
    [
        ("percent", {}, "percent"),
        ("percent", {"percent": 0}, "percent"),
        ("percent", {"percent": -5}, "percent"),
        ("percent", {"percent": math.nan}, "percent"),
        ("benchmark", {}, "benchmark"),
        ("gap", {"share": 0.5}, "other_group"),
        ("gap", {"other_group": Estimate(0.7, 0.68, 0.72, "Strong")}, "share"),
        ("gap", {"other_group": Estimate(0.7, 0.68, 0.72, "Strong"), "share": 0}, "share"),
        ("gap", {"other_group": Estimate(0.7, 0.68, 0.72, "Strong"), "share": 1.5}, "share"),
        ("value", {}, "value"),
        ("value", {"value": 1.2}, "value"),  # a share above 100%
        ("nonsense", {}, "method"),
    ],
)
def test_bad_parameters_name_their_field(method: str, kwargs: dict, field: str) -> None:
    with pytest.raises(TargetError) as raised:
        propose_target(method, BASE, "higher_better", **kwargs)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert str(raised.value).startswith(f"{field}: ")
    assert isinstance(raised.value, ValueError)


def test_a_target_must_stay_on_the_scale() -> None:
    # 50% + 100% of 50% = 100%: on the edge, allowed; 95% + 10% of 95% = 104.5%: refused.
    assert propose_target("percent", BASE, "higher_better", percent=100).value == 1.0
    high = Estimate(0.95, 0.93, 0.97, "Strong", scale=SHARE)
    with pytest.raises(TargetError, match=r"^percent: the target 1\.045 is outside"):
        propose_target("percent", high, "higher_better", percent=10)
    with pytest.raises(TargetError, match=r"^value: the target 120.0% is outside .*0.0% to 100.0%"):
        propose_target("value", BASE, "higher_better", value=1.2, variable=EMPLOYED)


def test_bad_direction_and_zero_baseline() -> None:
    with pytest.raises(TargetError, match=r"^direction: "):
        propose_target("value", BASE, "up", value=0.6)
    with pytest.raises(TargetError, match=r"^percent: a percent of a baseline of 0"):
        propose_target("percent", Estimate(0.0, 0.0, 0.02, "Strong", scale=SHARE), "higher_better",
                       percent=10)  # fmt: skip


# -- dollars in real terms ----------------------------------------------------------------------


def test_a_dollar_baseline_restated_in_later_dollars_scales_its_mdc() -> None:
    # $50,000 [$48,000, $52,000] in 2021 dollars: MDC = √2 × 2,000 = $2,828.
    baseline = Estimate(50_000, 48_000, 52_000, "Strong", scale=INCOME.scale)
    assert minimum_detectable_change(baseline) == pytest.approx(2828.427, rel=1e-6)
    # In 2023 dollars: × CPI[2023] / CPI[2021] = 304.702 / 270.970 = 1.124486.
    factor = CATALOG.prices.factor(2021, 2023)
    assert factor == pytest.approx(1.124486, rel=1e-6)
    restated = in_dollars_of(baseline, factor)  # type: ignore[arg-type]
    assert restated.value == pytest.approx(56_224.31, rel=1e-6)
    # MDC: 2,828.43 × 1.124486 = 3,180.53.
    assert minimum_detectable_change(restated) == pytest.approx(3180.53, rel=1e-5)
    # A 5% real improvement on the 2021 baseline: $52,500 in 2021 dollars, $2,500 < $2,828.
    p = propose_target("percent", baseline, "higher_better", percent=5, variable=INCOME,
                       baseline_year=2021)  # fmt: skip
    assert p.value == pytest.approx(52_500) and p.inside_noise
    assert p.words.startswith(
        "A target of $52,500 (a 5% improvement) is $2,500 above the 2021 "
        "baseline of $50,000; changes smaller than $2,828 cannot"
    )


# -- a property -----------------------------------------------------------------------------


@given(
    base=st.floats(-1000, 1000),
    half=st.floats(0.01, 100),
    target=st.floats(-2000, 2000),
)
def test_inside_the_noise_exactly_when_the_test_could_not_tell(
    base: float, half: float, target: float
) -> None:
    # With a symmetric interval, a later estimate landing on the target (same width) is
    # significant exactly when the target is not inside the noise.
    baseline = Estimate(base, base - half, base + half, "Strong")
    proposal = propose_target("value", baseline, "context", value=target)
    assert proposal.mdc is not None
    assume(abs(abs(target - base) / proposal.mdc - 1) > 1e-6)  # not on the threshold
    later = Estimate(target, target - half, target + half, "Strong")
    assert proposal.inside_noise is not compare_values(later, baseline).claims_difference
