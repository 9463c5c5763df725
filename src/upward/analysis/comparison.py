"""A place against its peers, its state and the nation, for every published variable.

For each variable the place's latest published year is used, and every other value is
taken from that same year. Against each peer the test of
:func:`~upward.analysis.uncertainty.compare_values` decides whether a difference can be
claimed. Medians (of the peer set, of the state's places, of all places in the nation)
are treated as fixed benchmarks without sampling error. A median used in a claim leaves
out values rated Weak and counts a pooled value once, and bears a claim only when enough
values remain (:mod:`upward.analysis.benchmark`); otherwise nothing is claimed against it
and the result says why. A value without a published confidence interval is compared
without a significance claim, and the result says so. Where the place stands in its state
and the nation is counted with ties as ties (:mod:`upward.analysis.standing`).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from upward.analysis.benchmark import BenchmarkSupport, claim_values
from upward.analysis.phrases import compare_phrase
from upward.analysis.standing import Rank, place_words
from upward.analysis.uncertainty import (
    NO_TEST_REASON,
    Comparison,
    Estimate,
    ObservationLike,
    compare_values,
)
from upward.catalog import ALL_TYPE, Catalog, Metric, Variable

Scope = Literal["peers", "state", "nation"]
NOT_COMPARED = "not compared with"
"""The phrase for a median that bears no claim (too few values that are not Weak)."""


class StandingLike(Protocol):
    @property
    def variable(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def n_nation(self) -> int: ...
    @property
    def below_nation(self) -> int: ...
    @property
    def tied_nation(self) -> int: ...
    @property
    def n_state(self) -> int: ...
    @property
    def below_state(self) -> int: ...
    @property
    def tied_state(self) -> int: ...


class BenchmarkLike(Protocol):
    @property
    def variable(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def scope(self) -> str: ...
    @property
    def median(self) -> float: ...
    @property
    def min(self) -> float: ...
    @property
    def max(self) -> float: ...
    @property
    def n(self) -> int: ...
    @property
    def n_weak(self) -> int: ...
    @property
    def n_pooled(self) -> int: ...
    @property
    def claim_median(self) -> float | None: ...
    @property
    def claim_n(self) -> int: ...


@dataclass(frozen=True)
class PeerSeries:
    geoid: str
    name: str
    cells: Sequence[ObservationLike] = field(hash=False)


@dataclass(frozen=True, eq=False)
class ComparisonInputs:
    """Everything published that a place's comparisons read, already fetched."""

    geoid: str
    place_name: str
    geo_level: str
    state_fips: str
    state_name: str
    cells: Sequence[ObservationLike]
    """The place's overall cells (subgroup type 'all'), any years."""
    peers: Sequence[PeerSeries]
    peer_set_name: str
    standings: Sequence[StandingLike] = ()
    benchmarks: Sequence[BenchmarkLike] = ()
    _by_key: dict[tuple[str, str, int], ObservationLike] = field(init=False, repr=False)
    _standing_of: dict[tuple[str, int], StandingLike] = field(init=False, repr=False)
    _bench_of: dict[tuple[str, int, str], BenchmarkLike] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, str, int], ObservationLike] = {}
        for geoid, cells in [(self.geoid, self.cells), *((p.geoid, p.cells) for p in self.peers)]:
            for c in cells:
                if c.subgroup_type == ALL_TYPE:
                    index[(geoid, c.variable, c.year)] = c
        object.__setattr__(self, "_by_key", index)
        standing_of: dict[tuple[str, int], StandingLike] = {}
        for s in self.standings:
            standing_of.setdefault((s.variable, s.year), s)
        bench_of: dict[tuple[str, int, str], BenchmarkLike] = {}
        for b in self.benchmarks:
            bench_of.setdefault((b.variable, b.year, b.scope), b)
        object.__setattr__(self, "_standing_of", standing_of)
        object.__setattr__(self, "_bench_of", bench_of)

    def standing(self, variable: str, year: int) -> StandingLike | None:
        return self._standing_of.get((variable, year))

    def benchmark(self, variable: str, year: int, scope: str) -> BenchmarkLike | None:
        """The benchmark of a scope ('US' or a state's FIPS code) for a variable and year."""
        return self._bench_of.get((variable, year, scope))

    def cell(self, geoid: str, variable: str, year: int) -> ObservationLike | None:
        return self._by_key.get((geoid, variable, year))

    def latest(self, variable: str) -> ObservationLike | None:
        """The place's latest published cell, or its latest cell if none has a value."""
        mine = [c for c in self.cells if c.variable == variable and c.subgroup_type == ALL_TYPE]
        published = [c for c in mine if c.value is not None]
        return max(published or mine, key=lambda c: c.year, default=None)


@dataclass(frozen=True)
class PeerValue:
    geoid: str
    name: str
    observation: ObservationLike | None
    comparison: Comparison
    """The place minus this peer."""


@dataclass(frozen=True)
class PeerTally:
    total: int
    higher: int = 0
    lower: int = 0
    not_distinguishable: int = 0
    untested_higher: int = 0
    untested_lower: int = 0
    untested_same: int = 0
    too_uncertain: int = 0
    no_data: int = 0

    @classmethod
    def of(cls, comparisons: Sequence[Comparison]) -> PeerTally:
        counts = dict.fromkeys(
            ("higher", "lower", "not_distinguishable", "too_uncertain", "no_data"), 0
        )
        untested = {1: 0, -1: 0, 0: 0}
        for c in comparisons:
            if c.verdict == "no_test":
                untested[c.sign] += 1
            else:
                counts[c.verdict] += 1
        return cls(len(comparisons), untested_higher=untested[1], untested_lower=untested[-1],
                   untested_same=untested[0], **counts)  # fmt: skip

    def text(self) -> str:
        """'Significantly higher than 3 of 5 peers, not distinguishable from 2.'"""
        n = self.total
        if n == 0:
            return "No peers to compare with."
        counted = (
            (self.higher, "significantly higher than {}"),
            (self.lower, "significantly lower than {}"),
            (self.not_distinguishable, "not distinguishable from {}"),
            (self.untested_higher, "higher than {} (not tested)"),
            (self.untested_lower, "lower than {} (not tested)"),
            (self.untested_same, "the same as {} (not tested)"),
            (self.too_uncertain, "too uncertain to compare with {} (data rated Weak)"),
            (self.no_data, "no comparable value for {}"),
        )
        parts: list[str] = []
        for count, template in counted:
            if count:
                parts.append(template.format(f"{count} of {n} peers" if not parts else count))
        text = ", ".join(parts)
        return text[0].upper() + text[1:] + "."


@dataclass(frozen=True)
class ScopeComparison:
    """The place against the median of a group of places (treated as fixed)."""

    scope: Scope
    label: str
    median: float | None
    """The median a claim may rest on: values not rated Weak, a pooled value once."""
    low: float | None
    high: float | None
    n: int
    """How many values ``median`` rests on."""
    percentile: float | None
    """Share (0–100) of the group's other places with a lower value; None for peers or alone."""
    comparison: Comparison
    phrase: str
    """'about two-thirds of', 'not distinguishable from', ... (followed by the median)."""
    support: BenchmarkSupport
    """Every value the group has, how many are Weak or pooled, and whether it bears a claim."""
    context_median: float | None = None
    """The median of every value, Weak ones included (context, never a claim)."""
    rank: Rank | None = None
    """Where the place stands among the group's other places (ties apart); None for peers."""
    where: str = ""
    """'in Minnesota', 'in the nation': the group's place in words ('' for peers)."""


@dataclass(frozen=True)
class VariableComparison:
    metric: Metric
    variable: Variable
    year: int | None
    target: ObservationLike | None
    peer_set_name: str
    peers: tuple[PeerValue, ...]
    tally: PeerTally
    scopes: tuple[ScopeComparison, ...]
    notes: tuple[str, ...]

    @property
    def direction(self) -> str:
        return self.variable.direction

    def scope(self, scope: Scope) -> ScopeComparison | None:
        return next((s for s in self.scopes if s.scope == scope), None)


def _benchmark_comparison(target: Estimate, median: float | None, reason: str) -> Comparison:
    """The test against a fixed median, or a refusal that says why the median bears no claim."""
    tested = compare_values(target, Estimate.benchmark(median))
    if not reason or tested.verdict in ("no_data", "too_uncertain"):
        return tested
    return Comparison(target, tested.b, None, None, None, None, "too_uncertain", reason)


def _scope(
    scope: Scope, label: str, target: Estimate, median: float | None, support: BenchmarkSupport,
    kind: tuple[str, str], spread: tuple[float | None, float | None], rank: Rank | None = None,
    context_median: float | None = None, where: str = "",
) -> ScopeComparison:  # fmt: skip
    reference = median if median is not None else context_median
    reason = support.reason(kind) if support.n else ""
    comparison = _benchmark_comparison(target, reference, reason)
    phrase = ""
    if reason and comparison.reason == reason:
        phrase = NOT_COMPARED
    elif target.value is not None and median is not None:
        tested = comparison.verdict if comparison.verdict != "no_test" else None
        phrase = compare_phrase(target.value, median, tested)  # type: ignore[arg-type]
    return ScopeComparison(scope, label, median, spread[0], spread[1], support.claim_n,
                           rank.percentile if rank else None, comparison, phrase, support,
                           context_median, rank, where)  # fmt: skip


def _standing_rank(standing: StandingLike | None, scope: str) -> Rank | None:
    if standing is None:
        return None
    if scope == "state":
        return Rank.of(standing.below_state, standing.tied_state, standing.n_state)
    return Rank.of(standing.below_nation, standing.tied_nation, standing.n_nation)


def _place_scopes(
    inputs: ComparisonInputs, variable: Variable, year: int, target: Estimate
) -> list[ScopeComparison]:
    """The place against the median of its state's places and of the nation's."""
    kind = place_words(inputs.geo_level)
    plural = kind[1]
    standing = inputs.standing(variable.name, year)
    out = []
    for scope, code, label, where in (
        ("state", inputs.state_fips, f"{inputs.state_name} {plural}", f"in {inputs.state_name}"),
        ("nation", "US", f"all U.S. {plural}", "in the nation"),
    ):
        bench = inputs.benchmark(variable.name, year, code)
        if bench is None:
            continue
        support = BenchmarkSupport(bench.n, bench.n_weak, bench.n_pooled, bench.claim_n)
        out.append(_scope(scope, label, target, bench.claim_median, support, kind,  # type: ignore[arg-type]
                          (bench.min, bench.max), _standing_rank(standing, scope),
                          bench.median, where))  # fmt: skip
    return out


def _peer_scope(
    inputs: ComparisonInputs, estimate: Estimate, peer_values: Sequence[PeerValue]
) -> ScopeComparison:
    """The place against the median of its peers' values (Weak ones left out)."""
    usable, support = claim_values(p.observation for p in peer_values if p.observation)
    median = statistics.median(usable) if usable else None
    spread = (min(usable, default=None), max(usable, default=None))
    every = [p.observation.value for p in peer_values
             if p.observation is not None and p.observation.value is not None]  # fmt: skip
    return _scope("peers", f"the peer set “{inputs.peer_set_name}”", estimate, median, support,
                  ("peer", "peers"), spread,
                  context_median=statistics.median(every) if every else None)  # fmt: skip


def compare_variable(
    inputs: ComparisonInputs,
    metric: Metric,
    variable: Variable,
    year: int | None = None,
    with_peers: bool = True,
) -> VariableComparison:
    """The place against each peer, the peer median, the state and the nation.

    ``with_peers=False``: the state and the nation only (no peer scope), the same tests.
    """
    target = (
        inputs.cell(inputs.geoid, variable.name, year) if year else inputs.latest(variable.name)
    )
    year = target.year if target is not None else year
    estimate = Estimate.of(target, variable)
    peer_values = []
    for peer in inputs.peers:
        cell = inputs.cell(peer.geoid, variable.name, year) if year else None
        peer_values.append(
            PeerValue(
                peer.geoid, peer.name, cell, compare_values(estimate, Estimate.of(cell, variable))
            )
        )
    scopes = [_peer_scope(inputs, estimate, peer_values)] if with_peers else []
    notes = []
    if year is not None:
        scopes += _place_scopes(inputs, variable, year, estimate)
        notes.append("State and national medians include this place and are treated as fixed.")
    if variable.is_count:
        notes.append(
            "This is a count, which grows with the size of a place: it is shown for context "
            "and never tested or called higher or lower than another place's."
        )
    elif not variable.has_bounds:
        notes.append(f"This variable has {NO_TEST_REASON}.")
    return VariableComparison(metric, variable, year, target, inputs.peer_set_name,
                              tuple(peer_values), PeerTally.of([p.comparison for p in peer_values]),
                              tuple(scopes), tuple(notes))  # fmt: skip


def compare_place(
    inputs: ComparisonInputs, catalog: Catalog, metric_id: str | None = None
) -> tuple[VariableComparison, ...]:
    """Every variable of every metric published for this kind of place, in catalog order."""
    if metric_id:
        metrics: Sequence[Metric] = [catalog.metric(metric_id)]
    else:
        metrics = [m for m in catalog.metrics if inputs.geo_level in m.geographies]
    return tuple(compare_variable(inputs, m, v) for m in metrics for v in m.variables)
