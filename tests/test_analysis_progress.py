"""Progress against a baseline and target: every status, by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upward.analysis.benchmark import BenchmarkSupport
from upward.analysis.progress import (
    STATUS_WORDS,
    STATUSES,
    MedianPair,
    baseline_revised,
    change_beside_medians,
    classify_progress,
    compare_change,
    five_year_windows,
)
from upward.analysis.real_terms import compare_over_years
from upward.analysis.uncertainty import Estimate, compare_values
from upward.catalog import get_catalog

SHARE = (0.0, 1.0)
CATALOG = get_catalog()
EMPLOYED = CATALOG.variable("share_employed")
INCOME = CATALOG.variable("pctl_income_50")
# Baseline 50% [46%, 54%] in 2021: SE = 0.08 / 3.92 = 0.020408.
BASE = Estimate(0.50, 0.46, 0.54, "Strong", scale=SHARE)
# Later 58% [54%, 62%]: same SE; the change 0.08 has SE √2 × 0.020408 = 0.028861,
# z = 0.08 / 0.028861 = 2.7719, p = 0.0056, 95% CI 0.08 ± 1.96 × 0.028861 = [0.0234, 0.1366].
UP = Estimate(0.58, 0.54, 0.62, "Strong", scale=SHARE)
DOWN = Estimate(0.42, 0.38, 0.46, "Strong", scale=SHARE)  # z = -2.7719
# 52% [48%, 56%]: z = 0.02 / 0.028861 = 0.693, p = 0.488: within the noise.
FLAT = Estimate(0.52, 0.48, 0.56, "Strong", scale=SHARE)


def progress(latest: Estimate, direction: str = "higher_better", **kwargs):  # type: ignore[no-untyped-def]
    return classify_progress(BASE, 2021, latest, 2023, direction, variable=EMPLOYED, **kwargs)


def test_status_words_are_honest() -> None:
    assert STATUS_WORDS["met"] == "Target met"
    assert STATUS_WORDS["improving"] == "Improving (statistically)"
    assert STATUS_WORDS["no_change"] == "Little or no detectable change"
    assert STATUS_WORDS["worsening"] == "Getting worse (statistically)"
    assert STATUS_WORDS["not_comparable"] == "Not yet comparable"
    assert STATUS_WORDS["revised"] == "Baseline revised"
    for words in STATUS_WORDS.values():
        assert "good" not in words.lower() and "bad" not in words.lower()
    assert set(STATUSES) == set(STATUS_WORDS)


def test_target_met_needs_the_target_reached_and_a_significant_improvement() -> None:
    p = progress(UP, target=0.55)
    assert p.status == "met" and p.reached is True and p.target == 0.55
    assert p.change.z == pytest.approx(2.7719, rel=1e-4)
    assert p.change.ci == pytest.approx((0.02343, 0.13657), rel=1e-3)
    assert p.first_comparable_year == 2022
    assert p.words == (
        "Target met: 58.0% in 2023 against the 2021 baseline of 50.0%, a change of "
        "+8.0 percentage points (95% CI +2.3 to +13.7 points; significant at the 95% level, "
        "p = 0.006). The target of 55.0% is reached."
    )


def test_improving_short_of_the_target() -> None:
    p = progress(UP, target=0.60)
    assert p.status == "improving" and p.reached is False
    assert "It is 2.0 percentage points short of the target of 60.0%." in p.words
    assert progress(UP).status == "improving"  # no target at all


def test_reaching_the_target_inside_the_noise_is_not_met() -> None:
    # 52% reaches a target of 51%, but z = 0.693: little or no detectable change.
    p = progress(FLAT, target=0.51)
    assert p.status == "no_change" and p.reached is True
    assert "(95% CI −3.7 to +7.7 points; 95% test, p = 0.488)" in p.words
    assert "is not a statistically significant improvement, so the target is not called met" in (
        p.words
    )


def test_worsening() -> None:
    p = progress(DOWN, target=0.55)
    assert p.status == "worsening" and p.reached is False
    assert p.words.startswith("Getting worse (statistically): 42.0% in 2023")
    assert "−8.0 percentage points" in p.words


def test_lower_is_better_reverses_the_judgement() -> None:
    # A fall of 8 points is an improvement; a target of 45% is reached by 42%.
    assert progress(DOWN, "lower_better", target=0.45).status == "met"
    assert progress(DOWN, "lower_better", target=0.40).status == "improving"
    assert progress(UP, "lower_better", target=0.45).status == "worsening"
    assert progress(FLAT, "lower_better").status == "no_change"


def test_overlapping_five_year_windows_are_not_yet_comparable() -> None:
    # 2017-2021 and 2019-2023 share three survey years: the first valid year is 2021 + 5.
    p = progress(UP, five_year=True, target=0.55)
    assert p.status == "not_comparable" and p.first_comparable_year == 2026
    assert p.words == (
        "The 2021 and 2023 values are five-year estimates (2017–2021 and 2019–2023) whose "
        "survey years overlap, so they cannot be compared yet; the first year a valid "
        "comparison is possible is 2026."
    )
    # 2025 (2021-2025) still shares 2021; 2026 (2022-2026) does not.
    assert classify_progress(BASE, 2021, UP, 2025, "higher_better", five_year=True).status == (
        "not_comparable"
    )
    later = classify_progress(BASE, 2021, UP, 2026, "higher_better", five_year=True, target=0.55)
    assert later.status == "met" and later.first_comparable_year == 2026


def test_one_year_data_without_a_later_year() -> None:
    p = classify_progress(BASE, 2021, BASE, 2021, "higher_better")
    assert p.status == "not_comparable" and p.first_comparable_year == 2022
    assert "first comparison is possible with 2022 data" in p.words


def test_a_revised_baseline_comes_first() -> None:
    # The release now publishes 51% [47%, 55%] for the 2021 baseline cell.
    revised = Estimate(0.51, 0.47, 0.55, "Strong", scale=SHARE)
    p = progress(UP, target=0.55, revised_baseline=revised, five_year=True)
    assert p.status == "revised"
    assert p.change.difference == pytest.approx(0.08)  # against the pinned baseline
    assert p.words == (
        "This release revises the 2021 baseline: pinned as 50.0% (95% CI 46.0% to 54.0%), "
        "Strong, now 51.0% (95% CI 47.0% to 55.0%), Strong. Keep the pinned baseline or "
        "re-base on the new value before progress is judged."
    )


def test_what_counts_as_a_revision() -> None:
    assert not baseline_revised(BASE, Estimate(0.50 + 1e-12, 0.46, 0.54, "Strong"))  # rounding
    assert baseline_revised(BASE, Estimate(0.5001, 0.46, 0.54, "Strong"))
    assert baseline_revised(BASE, Estimate(0.50, 0.45, 0.54, "Strong"))  # a bound
    assert baseline_revised(BASE, Estimate(0.50, 0.46, 0.54, "Marginal"))  # the quality
    assert baseline_revised(BASE, Estimate(None, suppressed=True))
    assert progress(UP, revised_baseline=BASE).status == "improving"  # unchanged: carry on


@pytest.mark.parametrize(
    ("baseline", "latest", "words"),
    [
        (BASE, Estimate(0.58, 0.40, 0.76, "Weak"), "The 2023 value is rated Weak"),
        (Estimate(0.5, 0.3, 0.7, "Weak"), UP, "The 2021 baseline is rated Weak"),
        (
            Estimate(0.5, 0.3, 0.7, "Weak"),
            Estimate(0.58, 0.40, 0.76, "Weak"),
            "The 2021 baseline and the 2023 value are rated Weak",
        ),
    ],
)
def test_weak_data_give_no_conclusion(baseline: Estimate, latest: Estimate, words: str) -> None:
    # Not "no change": that would be a conclusion drawn from Weak data.
    p = classify_progress(baseline, 2021, latest, 2023, "higher_better", target=0.55)
    assert p.status == "not_comparable" and p.words.startswith(words)
    assert "no conclusion is drawn" in p.words and p.reached is None


def test_a_missing_latest_value_is_not_comparable() -> None:
    p = progress(Estimate(None, suppressed=True))
    assert p.status == "not_comparable"
    assert (
        p.words
        == "Not comparable: the value was suppressed by Urban, so there is nothing to compare."
    )


def test_untested_changes_are_no_detectable_change() -> None:
    # No published interval: +8 points, but no test, so not improving and not met.
    p = progress(Estimate(0.58, scale=SHARE), target=0.55)
    assert p.status == "no_change" and p.reached is True
    assert "a change of +8.0 percentage points, not tested (no CI)" in p.words
    assert "cannot be tested, so the target is not called met" in p.words
    # A zero-width interval [58%, 58%] gives no standard error either.
    p = progress(Estimate(0.58, 0.58, 0.58, "Strong", scale=SHARE))
    assert p.status == "no_change" and "not tested (zero-width CI)" in p.words


def test_clipped_intervals_never_manufacture_a_change() -> None:
    # Baseline 97% [94%, 100%]: the upper half (0) is clipped at 100%, so the lower 0.03 is used;
    # latest 99% [98%, 100%], toward the baseline its lower half 0.01:
    # se = √(0.01² + 0.03²) / 1.96 = 0.016134, z = 0.02 / 0.016134 = 1.2396: no change.
    # (The clipped half, 0, would give se = 0.01 / 1.96 and z = 3.92: a false improvement.)
    base = Estimate(0.97, 0.94, 1.0, "Strong", scale=SHARE)
    p = classify_progress(base, 2021, Estimate(0.99, 0.98, 1.0, "Strong", scale=SHARE), 2023,
                          "higher_better", target=0.98)  # fmt: skip
    assert p.change.z == pytest.approx(1.2396, rel=1e-4)
    assert p.status == "no_change" and p.reached is True
    # Baseline 2% [0%, 5%] (lower half clipped at 0), latest 10% [7%, 13%]: toward each other
    # the halves are 0.03 and 0.03: se = √2 × 0.03 / 1.96 = 0.021646, z = 3.696: improving.
    p = classify_progress(Estimate(0.02, 0.0, 0.05, "Strong", scale=SHARE), 2021,
                          Estimate(0.10, 0.07, 0.13, "Strong", scale=SHARE), 2023,
                          "higher_better")  # fmt: skip
    assert p.change.z == pytest.approx(3.6960, rel=1e-4) and p.status == "improving"


def test_context_indicators() -> None:
    # Without a target, a significant change is neither better nor worse.
    assert progress(UP, "context").status == "changed"
    assert progress(FLAT, "context").status == "no_change"
    # With a target, the target's side is the improving one.
    assert progress(UP, "context", target=0.55).status == "met"
    assert progress(UP, "context", target=0.45).status == "worsening"


def test_dollars_are_judged_in_real_terms() -> None:
    # $50,000 [$48,000, $52,000] in 2021; $60,000 [$58,000, $62,000] in 2023; target $55,000
    # in 2021 dollars. Factor CPI[2023] / CPI[2021] = 304.702 / 270.970 = 1.124486:
    # baseline $56,224.31 [$53,975.34, $58,473.28], SE = 2,248.97 / 1.96 = 1,147.43;
    # latest SE = 2,000 / 1.96 = 1,020.41; se = √(1,147.43² + 1,020.41²) = 1,535.50;
    # change = 60,000 - 56,224.31 = 3,775.69, z = 2.4589: significant.
    # Target: 55,000 × 1.124486 = $61,846.72 in 2023 dollars, not reached (nominally it is).
    base = Estimate(50_000, 48_000, 52_000, "Strong", scale=INCOME.scale)
    latest = Estimate(60_000, 58_000, 62_000, "Strong", scale=INCOME.scale)
    p = classify_progress(base, 2021, latest, 2023, "higher_better", target=55_000,
                          variable=INCOME)  # fmt: skip
    assert p.change.difference == pytest.approx(3775.69, rel=1e-5)
    assert p.change.se == pytest.approx(1535.50, rel=1e-4)
    assert p.change.z == pytest.approx(2.4589, rel=1e-4)
    assert p.target == pytest.approx(61_846.72, rel=1e-6)
    assert p.status == "improving" and p.reached is False and p.real is not None
    assert "the 2021 baseline of $56,224 (2023 dollars)" in p.words
    assert "It is $1,847 short of the target of $61,847 in 2023 dollars ($55,000 in 2021)." in (
        p.words
    )
    assert "Tested in 2023 dollars (CPI-U" in p.words
    # Without the variable the test is nominal: +$10,000 and the target "met". Pass the variable.
    assert classify_progress(base, 2021, latest, 2023, "higher_better", target=55_000).status == (
        "met"
    )


def test_dollars_outside_the_price_index_are_not_tested() -> None:
    base = Estimate(50_000, 48_000, 52_000, "Strong", scale=INCOME.scale)
    latest = Estimate(60_000, 58_000, 62_000, "Strong", scale=INCOME.scale)
    p = classify_progress(base, 2021, latest, 2030, "higher_better", target=55_000,
                          variable=INCOME)  # fmt: skip
    assert p.status == "no_change" and p.target is None and p.reached is None
    assert "not tested (no price index for a year)" in p.words
    assert "The target of $55,000 in 2021 dollars cannot be restated in 2030 dollars" in p.words


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match=r"^direction: "):
        classify_progress(BASE, 2021, UP, 2023, "up")
    with pytest.raises(ValueError, match=r"^latest_year: 2019 is before the baseline year 2021"):
        classify_progress(BASE, 2021, UP, 2019, "higher_better")


def test_which_metrics_pool_five_years() -> None:
    overall = {m.id for m in CATALOG.metrics if five_year_windows(m)}
    breakdowns = {m.id for m in CATALOG.metrics if five_year_windows(m, "race-ethnicity")}
    assert overall == {
        "poverty_exposure", "racial_exposure", "preschool_enrollment", "high_school_degree",
        "digital_access", "injury_deaths", "descriptive_representation",
    }  # fmt: skip
    # Overall values from one-year data, breakdowns from five-year data.
    assert breakdowns == overall | {"employment_ratio", "income_percentiles"}


# -- the change beside others ---------------------------------------------------------------


def test_change_beside_peers_state_and_nation() -> None:
    here = compare_values(UP, BASE)  # +0.08, se 0.028861
    # State medians 52% and 50% are fixed: the change +0.02 is fixed too. The difference of
    # changes 0.06 has se 0.028861: z = 2.0789, p = 0.0376, higher (better).
    state = compare_values(Estimate.benchmark(0.52), Estimate.benchmark(0.50))
    # Nation 56% [55.5%, 56.5%] and 55% [54.5%, 55.5%]: SE 0.005 / 1.96 = 0.002551 each, the
    # change +0.01 has se 0.0036077; difference 0.07, se = √(0.028861² + 0.0036077²) =
    # 0.029086, z = 2.4067.
    nation = compare_values(
        Estimate(0.56, 0.555, 0.565, "Strong"), Estimate(0.55, 0.545, 0.555, "Strong")
    )
    # Peers +0.07 with the place's SE: difference 0.01, se = 2 × 0.020408 = 0.040816, z = 0.245.
    peers = compare_values(Estimate(0.57, 0.53, 0.61, "Strong"), BASE)
    untested = compare_values(Estimate(0.60), Estimate(0.50))
    weak = compare_values(Estimate(0.60, 0.40, 0.80, "Weak"), BASE)
    found = compare_change(here, {"the state": state, "the nation": nation, "peers": peers,
                                  "the region": untested, "the city": weak},
                           "higher_better", EMPLOYED)  # fmt: skip
    by = {b.name: b for b in found}
    assert [b.name for b in found] == ["the state", "the nation", "peers", "the region", "the city"]
    assert by["the state"].difference.z == pytest.approx(2.0789, rel=1e-4)
    assert by["the state"].words == (
        "Change here +8.0 percentage points, in the state +2.0 percentage points: higher than "
        "the change in the state (significant at the 95% level, p = 0.038), which is better."
    )
    assert by["the nation"].difference.z == pytest.approx(2.4067, rel=1e-4)
    assert by["peers"].difference.z == pytest.approx(0.2450, rel=1e-3)
    assert by["peers"].difference.verdict == "not_distinguishable"
    assert "not distinguishable from the change in peers" in by["peers"].words
    assert by["the region"].words.endswith(": lower, not tested (no CI).")
    assert by["the city"].difference.verdict == "too_uncertain"
    # lower_better: a larger rise than the state's is worse.
    lower = compare_change(here, {"the state": state}, "lower_better")
    assert lower[0].words.endswith("which is worse.")


def _pair(name: str, medians: tuple[float | None, float | None],
          supports: tuple[BenchmarkSupport, BenchmarkSupport],
          context: tuple[float | None, float | None] = (None, None)) -> MedianPair:  # fmt: skip
    return MedianPair(name, ("county", "counties"), *medians, *supports, *context)


SOUND = BenchmarkSupport(10, 1, 0, 9)
"""Ten counties, one Weak: nine values bear a claim (9 ≥ 3 and 9 ≥ 5)."""


def test_change_beside_medians_of_places() -> None:
    here = compare_values(UP, BASE)  # +0.08, se 0.028861 (2018 -> 2023)
    # The state's median 50% -> 52%: fixed, its change +0.02 is fixed; the difference of
    # changes 0.06 has the place's se 0.028861: z = 2.0789, p = 0.0376, higher (better).
    state = _pair("Minnesota counties", (0.50, 0.52), (SOUND, SOUND))
    # The nation's 2023 median rests on 40 of 100 values not rated Weak (40 < 50): no
    # conclusion, only the change of the medians of every value (54% -> 55%) as context.
    mostly_weak = BenchmarkSupport(100, 60, 0, 40)
    nation = _pair("U.S. counties", (0.55, 0.57), (SOUND, mostly_weak), (0.54, 0.55))
    # The peers publish nothing in the baseline year: nothing to compare.
    peers = _pair("the peer set", (None, 0.60), (BenchmarkSupport(0, 0, 0, 0), SOUND))
    found = change_beside_medians(here, [state, nation, peers], (2018, 2023),
                                  "higher_better", EMPLOYED)  # fmt: skip
    by = {b.name: b for b in found}
    assert by["Minnesota counties"].change.difference == pytest.approx(0.02)
    assert by["Minnesota counties"].change.ci is None  # a median is fixed
    tested = by["Minnesota counties"].difference
    assert tested.difference == pytest.approx(0.06)
    assert tested.se == pytest.approx(0.04 / 1.96 * 2**0.5, rel=1e-9)  # 0.028861
    assert tested.z == pytest.approx(2.0789, rel=1e-4) and tested.verdict == "higher"
    assert tested.ci == pytest.approx((0.06 - 0.04 * 2**0.5, 0.06 + 0.04 * 2**0.5))
    assert "higher than the change in Minnesota counties" in by["Minnesota counties"].words
    assert "which is better" in by["Minnesota counties"].words
    weak = by["U.S. counties"]
    assert weak.difference.verdict == "too_uncertain" and not weak.difference.claims_difference
    assert weak.change.difference == pytest.approx(0.01)  # the context medians 54% -> 55%
    assert "in the latest year, the median is not used for claims" in weak.words
    assert "40 independent values not rated Weak remain" in weak.words
    assert by["the peer set"].difference.verdict == "no_data"


def test_change_beside_medians_in_real_terms_weak_and_zero_width() -> None:
    # Ramsey County's 20th income percentile: $21,000 [19,500, 22,500] in 2014 and
    # $27,250.5 [25,500, 29,000] in 2023. CPI-U 236.736 (2014) and 304.702 (2023): factor
    # 1.287096; the baseline is $27,029.0 in 2023 dollars, the real change +$221.5, se
    # √(892.9² + 985.0²) = 1,329.5. The nation's medians $25,000.5 and $30,000: a real
    # change of 30,000 − 32,177.9 = −$2,177.9 (fixed). The difference of changes +$2,399.4,
    # se 1,329.5: z = 1.8048, p = 0.0711, not distinguishable.
    here, _real = compare_over_years(Estimate(27250.5, 25500, 29000, "Strong"),
                                     Estimate(21000, 19500, 22500, "Strong"), 2023, 2014,
                                     get_catalog().variable("pctl_income_20"),
                                     get_catalog().prices)  # fmt: skip
    factor = 304.702 / 236.736
    nation = _pair("U.S. counties", (25000.5, 30000.0), (SOUND, SOUND))
    (found,) = change_beside_medians(here, [nation], (2014, 2023), "higher_better",
                                     get_catalog().variable("pctl_income_20"))  # fmt: skip
    assert found.change.difference == pytest.approx(30000 - 25000.5 * factor, rel=1e-6)
    assert found.difference.difference == pytest.approx(
        (27250.5 - 21000 * factor) - (30000 - 25000.5 * factor), rel=1e-6
    )
    assert found.difference.z == pytest.approx(1.8048, rel=1e-3)
    assert found.difference.p == pytest.approx(0.0711, abs=1e-4)
    assert found.difference.verdict == "not_distinguishable"
    assert "not distinguishable from the change in U.S. counties (95% test, p = 0.071)" in (
        found.words
    )
    # Weak data on the place's side: no conclusion, whatever the numbers.
    weak = compare_values(Estimate(0.70, 0.60, 0.80, "Weak"), BASE)
    (refused,) = change_beside_medians(weak, [nation], (2014, 2023))
    assert refused.difference.verdict == "too_uncertain"
    assert "too uncertain to compare" in refused.words
    # A zero-width interval gives no standard error: never significant, said untested.
    flat = compare_values(Estimate(0.90, 0.90, 0.90, "Strong", scale=SHARE), BASE)
    (untested,) = change_beside_medians(flat, [_pair("x", (0.5, 0.5), (SOUND, SOUND))],
                                        (2018, 2023))  # fmt: skip
    assert untested.difference.verdict == "no_test" and untested.difference.z is None
    assert untested.words.endswith("higher, not tested (zero-width CI).")


# -- a property: nothing is coloured inside the noise -------------------------------------------


@given(
    base=st.floats(0.05, 0.95),
    half_a=st.floats(0.001, 0.2),
    latest=st.floats(0.05, 0.95),
    half_b=st.floats(0.001, 0.2),
    direction=st.sampled_from(["higher_better", "lower_better", "context"]),
    target=st.none() | st.floats(0.0, 1.0),
)
def test_a_judged_status_only_with_a_significant_change(
    base: float, half_a: float, latest: float, half_b: float, direction: str,
    target: float | None,
) -> None:  # fmt: skip
    a = Estimate(base, max(base - half_a, 0), min(base + half_a, 1), "Strong", scale=SHARE)
    b = Estimate(latest, max(latest - half_b, 0), min(latest + half_b, 1), "Strong", scale=SHARE)
    p = classify_progress(a, 2018, b, 2023, direction, target=target, five_year=True)
    judged = p.status in ("met", "improving", "worsening", "changed")
    assert judged is p.change.claims_difference
    if p.status == "met":
        assert p.reached is True
