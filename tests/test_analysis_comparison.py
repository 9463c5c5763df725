"""A place against its peers, state and nation, on hand-computed cases."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from upward.analysis.benchmark import BenchmarkSupport
from upward.analysis.comparison import (
    ComparisonInputs,
    PeerSeries,
    PeerTally,
    compare_place,
    compare_variable,
)
from upward.analysis.uncertainty import NO_TEST_REASON, Comparison, Estimate
from upward.catalog import get_catalog


@dataclass(frozen=True)
class Cell:
    geoid: str
    variable: str
    year: int
    value: float | None
    lb: float | None = None
    ub: float | None = None
    quality: str | None = "Strong"
    subgroup_type: str = "all"
    subgroup: str = "All"

    @property
    def status(self) -> str:
        if self.value is not None:
            return "published"
        return "suppressed" if self.quality else "no_estimate"


@dataclass(frozen=True)
class Standing:
    """Counts of the other places below and tied; the rest are above."""

    variable: str
    year: int
    below_nation: int
    tied_nation: int
    n_nation: int
    below_state: int
    tied_state: int
    n_state: int


@dataclass(frozen=True)
class Bench:
    """A benchmark; by default every value is Strong and unpooled (claim median = median)."""

    variable: str
    year: int
    scope: str
    median: float
    min: float
    max: float
    n: int
    n_weak: int = 0
    n_pooled: int = 0
    claim: float | None = None
    claim_count: int | None = None

    @property
    def claim_median(self) -> float | None:
        return self.median if self.claim is None and self.claim_count is None else self.claim

    @property
    def claim_n(self) -> int:
        return self.n if self.claim_count is None else self.claim_count


INC = "pctl_income_20"
POV = "share_poverty_exposure"


def inputs() -> ComparisonInputs:
    peers = [
        PeerSeries(
            "00001", "P1", [Cell("00001", INC, 2023, 30, 28, 32), Cell("00001", POV, 2023, 0.2)]
        ),
        PeerSeries("00002", "P2", [Cell("00002", INC, 2023, 39, 37, 41)]),
        PeerSeries("00003", "P3", [Cell("00003", INC, 2023, 50, 48, 52)]),
        PeerSeries("00004", "P4", [Cell("00004", INC, 2023, 35, 30, 40, "Weak")]),
        PeerSeries("00005", "P5", [Cell("00005", INC, 2022, 41, 39, 43)]),
    ]
    return ComparisonInputs(
        geoid="27123",
        place_name="Ramsey County, MN",
        geo_level="county",
        state_fips="27",
        state_name="Minnesota",
        cells=[
            Cell("27123", INC, 2022, 38, 34, 42),
            Cell("27123", INC, 2023, 40, 36, 44),
            Cell("27123", POV, 2023, 0.1),
        ],
        peers=peers,
        peer_set_name="My peers",
        # nation: 2,700 of the 3,000 others below (90%); state: 39 of 79 below, 1 tied
        standings=[Standing(INC, 2023, 2700, 0, 3001, 39, 1, 80)],
        benchmarks=[
            Bench(INC, 2023, "US", 30, 10, 90, 3000),
            Bench(INC, 2023, "27", 41, 20, 60, 80),
        ],
    )


def test_against_each_peer_and_the_peer_median() -> None:
    catalog = get_catalog()
    metric = catalog.metric("income_percentiles")
    vc = compare_variable(inputs(), metric, catalog.variable(INC))
    assert vc.year == 2023 and vc.target is not None and vc.target.value == 40
    verdicts = [p.comparison.verdict for p in vc.peers]
    assert verdicts == ["higher", "not_distinguishable", "lower", "too_uncertain", "no_data"]
    assert vc.tally == PeerTally(
        5, higher=1, lower=1, not_distinguishable=1, too_uncertain=1, no_data=1
    )
    assert vc.tally.text() == (
        "Significantly higher than 1 of 5 peers, significantly lower than 1, not "
        "distinguishable from 1, too uncertain to compare with 1 (data rated Weak), no "
        "comparable value for 1."
    )
    peers = vc.scope("peers")
    assert peers is not None
    assert (peers.median, peers.low, peers.high, peers.n) == (39, 30, 50, 3)  # Weak P4 left out
    assert peers.context_median == 37  # every value, the Weak 35 too: (35 + 39) / 2
    assert peers.support == BenchmarkSupport(n=4, n_weak=1, n_pooled=0, claim_n=3)
    assert peers.comparison.z == pytest.approx(1 / (4 / 1.96))
    assert peers.phrase == "not distinguishable from"
    assert "My peers" in peers.label


def test_against_state_and_nation() -> None:
    catalog = get_catalog()
    vc = compare_variable(inputs(), catalog.metric("income_percentiles"), catalog.variable(INC))
    nation, state = vc.scope("nation"), vc.scope("state")
    assert nation is not None and state is not None
    assert nation.percentile == pytest.approx(90) and state.percentile == pytest.approx(
        100 * 39 / 79
    )
    assert state.rank is not None and (state.rank.below, state.rank.tied, state.rank.above) == (
        39,
        1,
        39,
    )
    assert nation.comparison.verdict == "higher"
    assert nation.comparison.z == pytest.approx(10 / (4 / 1.96))
    assert nation.phrase == "about 1.3 times"
    assert nation.label == "all U.S. counties"
    assert state.label == "Minnesota counties"
    assert state.comparison.verdict == "not_distinguishable"


def test_values_without_intervals_are_compared_without_a_claim() -> None:
    catalog = get_catalog()
    vc = compare_variable(inputs(), catalog.metric("poverty_exposure"), catalog.variable(POV))
    first = vc.peers[0].comparison
    assert first.verdict == "no_test" and first.reason == NO_TEST_REASON
    assert vc.tally.untested_lower == 1 and vc.tally.no_data == 4
    assert vc.tally.text() == ("Lower than 1 of 5 peers (not tested), no comparable value for 4.")
    assert any(NO_TEST_REASON in note for note in vc.notes)
    peers = vc.scope("peers")
    # one peer value is too few for a median that bears a claim: nothing is claimed
    assert peers is not None and peers.median == 0.2 and peers.phrase == "not compared with"
    assert peers.comparison.verdict == "too_uncertain" and not peers.support.bears_claim
    assert peers.comparison.reason == (
        "the median is not used for claims: of its 1 peer, 1 independent value not rated Weak "
        "remains; a claim needs at least half of them and at least 3"
    )


def test_compare_place_covers_every_variable_for_the_kind_of_place() -> None:
    catalog = get_catalog()
    found = compare_place(inputs(), catalog)
    names = [vc.variable.name for vc in found]
    expected = [v.name for m in catalog.metrics if "county" in m.geographies for v in m.variables]
    assert names == expected
    missing = next(vc for vc in found if vc.variable.name == "share_employed")
    assert missing.target is None and missing.year is None
    assert {p.comparison.verdict for p in missing.peers} == {"no_data"}
    assert len(compare_place(inputs(), catalog, "income_percentiles")) == 3


def test_tally_counts() -> None:
    def cmp(verdict: str, diff: float | None) -> Comparison:
        return Comparison(Estimate(1), Estimate(1), diff, None, None, None, verdict, "")  # type: ignore[arg-type]

    tally = PeerTally.of(
        [cmp("higher", 1), cmp("higher", 2), cmp("no_test", -1), cmp("no_test", 0)]
    )
    assert (tally.higher, tally.untested_lower, tally.untested_same) == (2, 1, 1)
    assert PeerTally(0).text() == "No peers to compare with."


def test_a_median_resting_mostly_on_weak_values_bears_no_claim() -> None:
    catalog = get_catalog()
    data = inputs()
    # Minnesota: 80 counties, 60 Weak, 20 left (fewer than 40): no claim against it.
    # The nation: 3,000 values, 1,000 Weak, 2,000 left: its claim median ($32) is used.
    mostly_weak = Bench(INC, 2023, "27", 41, 20, 60, 80, n_weak=60, claim=30.0, claim_count=20)
    nation = Bench(INC, 2023, "US", 30, 10, 90, 3000, n_weak=1000, claim=32.0, claim_count=2000)
    data = replace(data, benchmarks=[nation, mostly_weak])
    vc = compare_variable(data, catalog.metric("income_percentiles"), catalog.variable(INC))
    state, us = vc.scope("state"), vc.scope("nation")
    assert state is not None and us is not None
    assert state.comparison.verdict == "too_uncertain" and not state.support.bears_claim
    assert state.comparison.reason.startswith(
        "the median is not used for claims: of its 80 counties (60 rated Weak), 20 independent"
    )
    assert state.phrase == "not compared with" and state.context_median == 41
    assert state.median == 30 and state.n == 20
    # against the claim median 32 (not 30): z = 8 / (4 / 1.96) = 3.92
    assert us.median == 32 and us.n == 2000 and us.context_median == 30
    assert us.comparison.verdict == "higher"
    assert us.comparison.z == pytest.approx(8 / (4 / 1.96))
