"""Plain phrases for a value as a share of a comparison value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upward.analysis.phrases import compare_phrase, ratio_phrase


@pytest.mark.parametrize(
    ("value", "comparison", "phrase"),
    [
        (10, 100, "a small fraction of"),
        (25, 100, "about one-quarter of"),
        (33, 100, "about one-third of"),
        (50, 100, "about half of"),
        (66, 100, "about two-thirds of"),
        (75, 100, "about three-quarters of"),
        (90, 100, "a little less than"),
        (100, 100, "about the same as"),
        (104.9, 100, "about the same as"),
        (105, 100, "a little more than"),
        (130, 100, "about 1.3 times"),
        (150, 100, "about 1.5 times"),
        (180, 100, "nearly double"),
        (200, 100, "about double"),
        (250, 100, "about 2.5 times"),
        (700, 100, "about 7 times"),
        (0, 100, "none of"),
    ],
)
def test_bands(value: float, comparison: float, phrase: str) -> None:
    found = ratio_phrase(value, comparison)
    assert found is not None and found.text == phrase


@pytest.mark.parametrize(
    ("ratio", "below", "at"),
    [
        (0.58, "about half of", "about two-thirds of"),
        (0.95, "a little less than", "about the same as"),
        (1.05, "about the same as", "a little more than"),
        (1.9, "nearly double", "about double"),
    ],
)
def test_thresholds_are_half_open(ratio: float, below: str, at: str) -> None:
    assert ratio_phrase(ratio * 1000 - 0.001, 1000).text == below  # type: ignore[union-attr]
    assert ratio_phrase(ratio * 1000, 1000).text == at  # type: ignore[union-attr]


def test_no_ratio_phrase_for_a_zero_or_negative_comparison() -> None:
    assert ratio_phrase(5, 0) is None
    assert ratio_phrase(5, -3) is None
    assert ratio_phrase(-1, 3) is None
    assert compare_phrase(5, -3) == "higher than"


def test_the_test_verdict_wins_over_arithmetic() -> None:
    assert compare_phrase(50, 100, "not_distinguishable") == "not distinguishable from"
    assert compare_phrase(50, 100, "too_uncertain") == "too uncertain to compare with"
    assert compare_phrase(101, 100, "higher") == "a little more than"
    assert compare_phrase(99, 100, "lower") == "a little less than"
    # untested, the phrase agrees with the direction shown beside it ("higher, not tested")
    assert compare_phrase(101, 100) == "a little more than"
    assert compare_phrase(99, 100) == "a little less than"
    assert compare_phrase(100, 100) == "about the same as"
    assert compare_phrase(66, 100, "lower") == "about two-thirds of"


positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False)


@given(positive, positive, positive)
def test_phrases_are_monotone(a: float, b: float, comparison: float) -> None:
    low, high = sorted((a, b))
    first, second = ratio_phrase(low, comparison), ratio_phrase(high, comparison)
    assert first is not None and second is not None
    assert first.rank <= second.rank
