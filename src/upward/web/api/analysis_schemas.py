"""Typed response bodies of the peers, comparisons, insights and disparities endpoints."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

Verdict = Literal["higher", "lower", "not_distinguishable", "no_test", "too_uncertain", "no_data"]


FINITE = "A finite number, or null when there is none; never Infinity or NaN."
UNTESTED = "null when the difference was not tested (the reason says why); " + FINITE


class TestOut(Schema):
    """A test of a difference ``a - b`` at the 95% level."""

    verdict: Verdict
    difference: float | None = Field(description="a - b; null when a side has no value. " + FINITE)
    se: float | None = Field(description="Standard error of the difference, > 0; " + UNTESTED)
    z: float | None = Field(description="difference / se; " + UNTESTED)
    p: float | None = Field(description="Two-sided p-value; " + UNTESTED)
    ci: list[float] | None = Field(description="95% interval of the difference; " + UNTESTED)
    reason: str = Field(
        description="Why the verdict: significant, within sampling error, or "
        "why there is no test (no interval, zero-width interval, a count, ...)"
    )


class TargetOut(Schema):
    geoid: str
    name: str
    geo_level: str
    region: str | None
    characteristics: dict[str, float | None]


class PeerSetOut(Schema):
    name: str
    target: str
    peers: list[str]
    added: list[str] = []
    removed: list[str] = []
    k: int | None = None
    state: int | None = None
    """1 when the peers were found in the same state only."""
    region: int | None = None
    band: str | None = None
    """Population band as low,high factors of the place's population."""
    w: str | None = None
    """Weights that differ from the defaults, as characteristic:weight pairs."""


class ShareOut(Schema):
    query: str
    token: str
    """Pass as ?set= to any peers, comparisons or insights endpoint or page."""


class WhyOut(Schema):
    feature: str
    label: str
    target: float | None
    peer: float | None
    z_difference: float | None
    used: bool
    weight: float


class PeerOut(Schema):
    geoid: str
    name: str
    distance: float | None
    source: Literal["found", "added"]
    same_state: bool
    same_region: bool
    dropped: list[str]
    why: list[WhyOut]


class PeersOut(Schema):
    target: TargetOut
    peer_set: PeerSetOut
    share: ShareOut
    method: str
    candidates: int
    notes: list[str]
    peers: list[PeerOut]


class PeerValueOut(Schema):
    geoid: str
    name: str
    value: float | None
    quality: str | None
    comparison: TestOut
    """This place minus the peer."""


class SupportOut(Schema):
    n: int
    """Places with a value."""
    n_weak: int
    """Of those, values rated Weak."""
    n_pooled: int
    """Of those, places sharing a pooled value (one value and interval for several places)."""
    claim_n: int
    """Independent values not rated Weak (a pooled value once): what ``median`` rests on."""
    bears_claim: bool
    """At least half of ``n``, and at least 3, remain in ``claim_n``; else no claim is made."""


class RankOut(Schema):
    below: int
    """Other places with a lower value."""
    tied: int
    """Other places with exactly the same value."""
    above: int
    """Other places with a higher value."""


class ScopeOut(Schema):
    scope: Literal["peers", "state", "nation"]
    label: str
    median: float | None
    """The median a claim may rest on: values not rated Weak, a pooled value counted once."""
    context_median: float | None
    """The median of every value, Weak ones included (context, never a claim)."""
    low: float | None
    high: float | None
    n: int
    """How many values ``median`` rests on."""
    support: SupportOut
    percentile: float | None
    """Share (0 to 100) of the other places with a lower value; null for peers or when alone."""
    rank: RankOut | None
    """The other places below, tied with and above this one; null for peers."""
    standing: str
    """The rank in neutral words, ties as ties ('' for peers)."""
    phrase: str
    comparison: TestOut


class VariableComparisonOut(Schema):
    metric: str
    variable: str
    direction: str
    year: int | None
    value: float | None
    lb: float | None
    ub: float | None
    quality: str | None
    peer_set: str
    peer_summary: str
    peers: list[PeerValueOut]
    scopes: list[ScopeOut]
    notes: list[str]


class ComparisonsOut(Schema):
    geoid: str
    place: str
    peer_set: PeerSetOut
    share: ShareOut
    count: int
    items: list[VariableComparisonOut]


class CellOut(Schema):
    geoid: str
    year: int
    variable: str
    subgroup_type: str
    subgroup: str
    value: float | None
    lb: float | None
    ub: float | None
    quality: str | None


class InsightOut(Schema):
    kind: Literal["strength", "area_to_explore", "standing", "too_uncertain", "disparity", "change"]
    pillar: str
    metric: str
    variable: str
    sentence: str
    evidence_z: float | None
    tested: bool
    observations: list[CellOut]
    tests: list[TestOut]


class PillarInsightsOut(Schema):
    pillar: str
    label: str
    strengths: list[InsightOut]
    areas_to_explore: list[InsightOut]
    standings: list[InsightOut]
    """Where untested values sit among places of their kind (neutral notes, no claim)."""
    too_uncertain: list[InsightOut]


class InsightsOut(Schema):
    geoid: str
    place: str
    peer_set: str
    peer_set_detail: PeerSetOut
    share: ShareOut
    pillars: list[PillarInsightsOut]
    disparities: list[InsightOut]
    changes: list[InsightOut]


class GapOut(Schema):
    group: str
    reference: str
    year: int
    group_value: float | None
    reference_value: float | None
    direction: str
    judgement: Literal["better", "worse"] | None
    """For the group, when the test supports a difference and the metric is evaluative."""
    test: TestOut


class RealTermsOut(Schema):
    """A change in dollars, restated in dollars of the later year with the BLS CPI-U."""

    earlier_year: int
    later_year: int
    factor: float | None
    """CPI[later] / CPI[earlier]; null when a year is outside the index shipped with Upward."""
    earlier_nominal: float | None
    earlier_real: float | None
    """The earlier value in dollars of the later year; the test compares it with ``later``."""
    later: float | None
    nominal_change: float | None
    real_change: float | None
    nominal_percent: float | None
    real_percent: float | None
    note: str


class GapChangeOut(Schema):
    group: str
    reference: str
    first_year: int
    last_year: int
    first_gap: float | None
    last_gap: float | None
    word: Literal[
        "narrowed", "widened", "reversed", "no_distinguishable_change", "untested", "no_claim"
    ]
    test: TestOut
    """For dollars, the test of the change in real terms (dollars of the last year)."""
    real_terms: RealTermsOut | None
    """For dollars: the first gap restated in dollars of the last year, and the nominal change."""


class BreakdownOut(Schema):
    metric: str
    variable: str
    subgroup_type: str
    subgroup_label: str
    year: int
    total: CellOut | None
    groups: list[CellOut]
    vs_total: list[GapOut]
    between: list[GapOut]
    changes: list[GapChangeOut]
    notes: list[str]


class DisparitiesOut(Schema):
    geoid: str
    place: str
    metric: str | None
    count: int
    items: list[BreakdownOut]
