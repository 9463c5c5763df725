"""When a median of places (a benchmark) may bear a claim.

A state, national or peer median summarizes other places' published values. Some of those
values are rated Weak, and some are *pooled*: Urban publishes one value and interval for
several small places together (77 of Minnesota's 87 counties share one low-birth-weight
value in 2023). A median over such values says little about the places, so:

* the median used in a claim leaves out every value rated Weak and counts a pooled value
  once (a pooled value is one value with one interval published for two or more places of
  the same state and year; equal values without an interval are ties, not pools);
* it bears a claim only when at least :data:`MIN_SHARE` (half) of the places it summarizes
  remain as such independent, non-Weak values, and at least :data:`MIN_VALUES` (3) remain;
* otherwise no claim is made against it, and the reason says how many values are Weak or
  pooled. The median of every value can still be shown as context, labelled as including
  Weak values.

For Minnesota's 87 counties in 2023 (low birth weight), 77 values are Weak and pooled and
10 remain: 10 < 43.5, so the state median bears no claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from upward.analysis.uncertainty import ObservationLike
from upward.catalog import WEAK

MIN_VALUES = 3
"""The fewest independent, non-Weak values a claim-bearing median may rest on."""
MIN_SHARE = 0.5
"""The smallest share of the summarized places that must remain as such values."""


@dataclass(frozen=True)
class BenchmarkSupport:
    """How many values a median summarizes, and how many of them a claim may rest on."""

    n: int
    """Places with a value."""
    n_weak: int
    """Of those, values rated Weak."""
    n_pooled: int
    """Of those, places that share a pooled value."""
    claim_n: int
    """Independent values not rated Weak (a pooled value counted once)."""

    @property
    def bears_claim(self) -> bool:
        return self.claim_n >= MIN_VALUES and self.claim_n >= MIN_SHARE * self.n

    @property
    def weak_share(self) -> float | None:
        return self.n_weak / self.n if self.n else None

    def reason(self, kind: tuple[str, str]) -> str:
        """Why the median bears no claim ('' when it does); ``kind`` is (singular, plural).

        'the median is not used for claims: of its 87 counties, 77 are rated Weak and 77
        share pooled values, leaving 10 independent values not rated Weak; a claim needs
        at least half of them and at least 3'.
        """
        if self.bears_claim:
            return ""
        if self.n == 0:
            return "no value to compare with"
        parts = [f"{self.n_weak:,} rated Weak"] if self.n_weak else []
        if self.n_pooled:
            parts.append(f"{self.n_pooled:,} sharing pooled values")
        left_out = f" ({' and '.join(parts)})" if parts else ""
        places = kind[0] if self.n == 1 else kind[1]
        values = (
            "value not rated Weak remains" if self.claim_n == 1 else "values not rated Weak remain"
        )
        return (
            f"the median is not used for claims: of its {self.n:,} {places}{left_out}, "
            f"{self.claim_n:,} independent {values}; a claim needs at "
            f"least half of them and at least {MIN_VALUES}"
        )

    def context(self, kind: tuple[str, str]) -> str:
        """'3,100 counties, including 2,565 values rated Weak': what every value's median is."""
        text = f"{self.n:,} {kind[0] if self.n == 1 else kind[1]}"
        if self.n_weak:
            text += f", including {self.n_weak:,} rated Weak"
        return text


def _pool_key(cell: ObservationLike) -> tuple[object, ...] | None:
    if cell.lb is None or cell.ub is None or not cell.lb < cell.ub:
        return None
    return (cell.geoid[:2], cell.year, cell.value, cell.lb, cell.ub)


def claim_values(cells: Iterable[ObservationLike]) -> tuple[list[float], BenchmarkSupport]:
    """The values a median used in a claim rests on, and the counts behind them.

    ``cells`` are the places' cells (one per place); cells without a value are skipped.
    """
    published = [c for c in cells if c.value is not None]
    keys = [_pool_key(c) for c in published]
    shared = {k for k in keys if k is not None and keys.count(k) > 1}
    seen: set[tuple[object, ...]] = set()
    values: list[float] = []
    for cell, key in zip(published, keys, strict=True):
        if cell.quality == WEAK or (key in shared and key in seen):
            continue
        if key in shared:
            seen.add(key)  # type: ignore[arg-type]
        assert cell.value is not None
        values.append(cell.value)
    n_weak = sum(1 for c in published if c.quality == WEAK)
    n_pooled = sum(1 for k in keys if k in shared)
    return values, BenchmarkSupport(len(published), n_weak, n_pooled, len(values))
