"""A baseline's cell is revised only when a later release publishes another number, not
the same number written with more digits (Urban's 2023.01 files round to 9 decimals,
2025.01's do not): the tolerance is ``upward data diff``'s, a millionth of the value."""

from __future__ import annotations

from upward.data.revision import TOLERANCE
from upward.web.measurement import baseline_store


def test_more_digits_of_the_same_number_are_not_a_revision() -> None:
    # Ramsey County's 2020 low birth weight share, upper bound, in 2023.01 and in 2025.01
    assert baseline_store._same(0.090908892, 0.0909088934053675)
    assert baseline_store._same(0.084366888, 0.08436688779925007)
    assert baseline_store.SAME == TOLERANCE


def test_a_re_estimate_is_a_revision() -> None:
    # Ramsey County's 2021 high-school share: 87.795% in 2023.01, 92.036% in 2025.01
    assert not baseline_store._same(0.87795, 0.920357)
    assert not baseline_store._same(32211.7952, 32520.1032)  # 2022's 20th income percentile
    assert not baseline_store._same(1.0, 1.00001)  # ten millionths is more than the text
    assert baseline_store._same(None, None) and not baseline_store._same(None, 0.0)
