"""Tie-aware standings and the rule for medians that bear a claim, on hand-computed cases."""

from __future__ import annotations

import pytest
from test_analysis_comparison import Cell

from upward.analysis.benchmark import MIN_VALUES, BenchmarkSupport, claim_values
from upward.analysis.standing import Rank, at_an_end, rank_phrase, share_text


def test_a_rank_counts_the_others_below_tied_and_above() -> None:
    # Cass County, MN, poverty exposure 2023: 3,138 counties, 2,512 others also at 0.0%
    cass = Rank.of(0, 2512, 3138)
    assert (cass.below, cass.tied, cass.above, cass.others) == (0, 2512, 625, 3137)
    assert cass.share_below == 0 and cass.share_above == pytest.approx(625 / 3137)
    assert cass.percentile == 0
    alone = Rank.of(0, 0, 1)
    assert alone.alone and alone.share_below is None and alone.percentile is None
    with pytest.raises(ValueError, match="does not fit"):
        Rank.of(3, 2, 5)


def test_shares_say_none_or_all_only_when_exact() -> None:
    assert share_text(624, 3137) == "20%"  # 19.89%
    assert share_text(5, 3137) == "less than 1%"  # 0.16%, was rounded to 0% or 1%
    assert share_text(3132, 3137) == "more than 99%"  # 99.84%, was rounded to 100%
    assert share_text(0, 10) == "0%" and share_text(10, 10) == "100%"


def test_a_tie_is_never_a_strict_standing() -> None:
    phrase = rank_phrase(Rank.of(0, 2512, 3138), "county", "in the nation", "0.0%")
    assert phrase == (
        "tied with 2,512 of the other 3,137 counties in the nation at 0.0%; 625 (20%) have a "
        "higher value and none a lower one"
    )
    assert "100%" not in phrase and "lower than" not in phrase
    # tied at the top with a few places, most of the rest below
    top = rank_phrase(Rank.of(3000, 40, 3050), "county", "in the nation", "1.0")
    assert top.startswith("tied with 40 of the other 3,049 counties in the nation at 1.0; 9 ")
    assert top.endswith("3,000 (98%) a lower one")
    assert rank_phrase(Rank.of(0, 4, 5), "city", "in Ohio", "3") == (
        "the same as all 4 other cities in Ohio (3)"
    )
    assert rank_phrase(Rank.of(0, 0, 1), "county", "in Delaware", "3") == (
        "the only county in Delaware with a value"
    )
    assert rank_phrase(Rank.of(1, 0, 2), "county", "in Delaware", "3") == (
        "higher than all 1 other county in Delaware"
    )
    # 3,132 of 3,137 lower: the count, not "100%"
    assert rank_phrase(Rank.of(3132, 0, 3138), "county", "in the nation", "9") == (
        "higher than 3,132 of the other 3,137 counties in the nation"
    )
    for rank in (Rank.of(0, 2512, 3138), Rank.of(10, 0, 20), Rank.of(19, 0, 20)):
        text = rank_phrase(rank, "county", "in the nation", "1")
        assert "better" not in text and "worse" not in text


def test_an_end_counts_ties_on_neither_side() -> None:
    assert at_an_end(Rank.of(75, 0, 101))  # 75% of the others lower
    assert not at_an_end(Rank.of(74, 0, 101))
    assert at_an_end(Rank.of(0, 25, 101))  # 75% higher, 25% tied
    assert not at_an_end(Rank.of(0, 2512, 3138))  # Cass County: 20% higher, 80% tied
    assert not at_an_end(Rank.of(0, 0, 1))


def test_a_median_bears_a_claim_only_on_enough_independent_values() -> None:
    # Minnesota low birth weight 2023: 87 counties, 77 Weak and pooled, 10 left: 10 < 43.5
    minnesota = BenchmarkSupport(n=87, n_weak=77, n_pooled=77, claim_n=10)
    assert not minnesota.bears_claim
    assert minnesota.reason(("county", "counties")) == (
        "the median is not used for claims: of its 87 counties (77 rated Weak and 77 sharing "
        "pooled values), 10 independent values not rated Weak remain; a claim needs at least "
        "half of them and at least 3"
    )
    assert minnesota.context(("county", "counties")) == "87 counties, including 77 rated Weak"
    assert BenchmarkSupport(10, 5, 0, 5).bears_claim  # exactly half
    assert not BenchmarkSupport(11, 6, 0, 5).bears_claim  # 5 < 5.5
    assert not BenchmarkSupport(2, 0, 0, 2).bears_claim  # fewer than MIN_VALUES
    assert BenchmarkSupport(MIN_VALUES, 0, 0, MIN_VALUES).bears_claim
    assert BenchmarkSupport(10, 5, 0, 5).reason(("county", "counties")) == ""


def test_claim_values_leave_out_weak_values_and_count_a_pooled_value_once() -> None:
    v = "rate_low_birth_weight"
    cells = [
        Cell("27001", v, 2023, 0.063, 0.060, 0.066, "Weak"),  # pooled Weak: left out
        Cell("27003", v, 2023, 0.063, 0.060, 0.066, "Weak"),
        Cell("27005", v, 2023, 0.080, 0.075, 0.085, "Marginal"),  # pooled, not Weak: once
        Cell("27007", v, 2023, 0.080, 0.075, 0.085, "Marginal"),
        Cell("27009", v, 2023, 0.070, 0.065, 0.075, "Strong"),
        Cell("38001", v, 2023, 0.080, 0.075, 0.085, "Strong"),  # same numbers, other state
        Cell("27011", v, 2023, 0.0, None, None, "Strong"),  # equal values without CI: ties
        Cell("27013", v, 2023, 0.0, None, None, "Strong"),
        Cell("27015", v, 2023, None, quality="Weak"),  # no value: not counted
    ]
    values, support = claim_values(cells)
    assert sorted(values) == [0.0, 0.0, 0.07, 0.08, 0.08]
    assert support == BenchmarkSupport(n=8, n_weak=2, n_pooled=4, claim_n=5)
    assert support.bears_claim  # 5 of 8 >= 4
    mixed = [
        Cell("27001", v, 2023, 0.05, 0.04, 0.06, "Weak"),  # a pool: Weak first, then Marginal
        Cell("27003", v, 2023, 0.05, 0.04, 0.06, "Marginal"),
        Cell("27005", v, 2023, 0.05, 0.04, 0.06, "Marginal"),
    ]
    assert claim_values(mixed) == ([0.05], BenchmarkSupport(3, 1, 3, 1))
