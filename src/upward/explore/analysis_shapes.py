"""One JSON shape per analysis result: peers, comparisons, insights, disparities.

Mapped once from the dataclasses of :mod:`upward.analysis` (see :mod:`upward.explore.shapes`
for the place, observation and profile shapes they hold). The API declares these models,
the pages' ``.json`` twins and ``upward peers|compare|insights --format json`` dump them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal, cast

from pydantic import Field

from upward.analysis.comparison import ScopeComparison, VariableComparison
from upward.analysis.disparity import Breakdown, Gap, GapChange
from upward.analysis.insight import Insight, InsightReport
from upward.analysis.peer_set import PeerSet
from upward.analysis.peers import PeerResult
from upward.analysis.real_terms import RealTerms
from upward.analysis.uncertainty import Comparison, ObservationLike
from upward.data.model import Geography, Observation
from upward.explore.shapes import (
    GeographyOut,
    ObservationOut,
    Shape,
    geography_out,
    observation_out,
    shape_of,
)
from upward.reports.analysis_text import scope_standing

Verdict = Literal["higher", "lower", "not_distinguishable", "no_test", "too_uncertain", "no_data"]

FINITE = "A finite number, or null when there is none; never Infinity or NaN."
UNTESTED = "null when the difference was not tested (the reason says why); " + FINITE


def _cell(obs: ObservationLike | None, release: str) -> ObservationOut | None:
    """The analysis reads warehouse cells through a protocol; they are ``Observation``s."""
    return None if obs is None else observation_out(cast(Observation, obs), release)


# -- a test --------------------------------------------------------------------------------


class TestOut(Shape):
    """A test of a difference ``a - b`` at the 95% level."""

    __test__ = False  # not a pytest class

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


def comparison_out(c: Comparison) -> TestOut:
    return TestOut(verdict=c.verdict, difference=c.difference, se=c.se, z=c.z, p=c.p,
                   ci=list(c.ci) if c.ci else None, reason=c.reason)  # fmt: skip


# -- peers ---------------------------------------------------------------------------------


class TargetOut(Shape):
    geoid: str
    name: str
    geo_level: str
    region: str | None
    characteristics: dict[str, float | None]


class PeerSetOut(Shape):
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


class ShareOut(Shape):
    query: str
    token: str
    """Pass as ?set= to any peers, comparisons or insights endpoint or page."""


def peer_set_out(peer_set: PeerSet) -> PeerSetOut:
    return PeerSetOut(**peer_set.as_dict())


def share_out(peer_set: PeerSet) -> ShareOut:
    return ShareOut(query=peer_set.to_query(), token=peer_set.to_token())


class WhyOut(Shape):
    feature: str
    label: str
    target: float | None
    peer: float | None
    z_difference: float | None
    used: bool
    weight: float


class PeerOut(Shape):
    geoid: str
    name: str
    distance: float | None
    source: Literal["found", "added"]
    same_state: bool
    same_region: bool
    dropped: list[str]
    why: list[WhyOut]


class PeersOut(Shape):
    target: TargetOut
    peer_set: PeerSetOut
    share: ShareOut
    method: str
    candidates: int
    notes: list[str]
    peers: list[PeerOut]


def peers_out(result: PeerResult, peer_set: PeerSet) -> PeersOut:
    t = result.target
    return PeersOut(
        target=TargetOut(geoid=t.geoid, name=t.name, geo_level=t.geo_level, region=t.region,
                         characteristics=dict(t.values)),
        peer_set=peer_set_out(peer_set),
        share=share_out(peer_set),
        method=result.method.describe(),
        candidates=result.candidates,
        notes=list(result.notes),
        peers=[
            PeerOut(geoid=p.geoid, name=p.name, distance=p.distance, source=p.source,
                    same_state=p.same_state, same_region=p.same_region,
                    dropped=list(p.dropped),
                    why=[WhyOut(feature=r.feature_id, label=r.label, target=r.target_value,
                                peer=r.peer_value, z_difference=r.z_difference, used=r.used,
                                weight=r.weight)
                         for r in p.why])
            for p in result.peers
        ],
    )  # fmt: skip


# -- comparisons ---------------------------------------------------------------------------


class PeerValueOut(Shape):
    geoid: str
    name: str
    observation: ObservationOut | None
    """The peer's cell for the same year; null when it has none."""
    comparison: TestOut
    """This place minus the peer."""


class SupportOut(Shape):
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


class RankOut(Shape):
    below: int
    """Other places with a lower value."""
    tied: int
    """Other places with exactly the same value."""
    above: int
    """Other places with a higher value."""


class ScopeOut(Shape):
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


def scope_out(vc: VariableComparison, s: ScopeComparison) -> ScopeOut:
    support, rank = s.support, s.rank
    return ScopeOut(
        scope=s.scope, label=s.label, median=s.median, context_median=s.context_median,
        low=s.low, high=s.high, n=s.n,
        support=SupportOut(n=support.n, n_weak=support.n_weak, n_pooled=support.n_pooled,
                           claim_n=support.claim_n, bears_claim=support.bears_claim),
        percentile=s.percentile,
        rank=RankOut(below=rank.below, tied=rank.tied, above=rank.above) if rank else None,
        standing=scope_standing(vc, s), phrase=s.phrase, comparison=comparison_out(s.comparison),
    )  # fmt: skip


class VariableComparisonOut(Shape):
    metric: str
    variable: str
    direction: str
    year: int | None
    observation: ObservationOut | None
    """This place's latest cell of the variable; null when it has none."""
    peer_set: str
    peer_summary: str
    peers: list[PeerValueOut]
    scopes: list[ScopeOut]
    notes: list[str]


def variable_comparison_out(vc: VariableComparison, release: str) -> VariableComparisonOut:
    return VariableComparisonOut(
        metric=vc.metric.id, variable=vc.variable.name, direction=vc.direction, year=vc.year,
        observation=_cell(vc.target, release), peer_set=vc.peer_set_name,
        peer_summary=vc.tally.text(),
        peers=[PeerValueOut(geoid=p.geoid, name=p.name, observation=_cell(p.observation, release),
                            comparison=comparison_out(p.comparison)) for p in vc.peers],
        scopes=[scope_out(vc, s) for s in vc.scopes],
        notes=list(vc.notes),
    )  # fmt: skip


class ComparisonsOut(Shape):
    geography: GeographyOut
    peer_set: PeerSetOut
    share: ShareOut
    count: int
    items: list[VariableComparisonOut]


def comparisons_out(
    geo: Geography,
    peer_set: PeerSet,
    comparisons: tuple[VariableComparison, ...],
    release: str,
    metric: str | None = None,
) -> ComparisonsOut:
    """Every variable's comparison (or only ``metric``'s)."""
    items = [variable_comparison_out(vc, release) for vc in comparisons
             if not metric or vc.metric.id == metric]  # fmt: skip
    return ComparisonsOut(geography=geography_out(geo), peer_set=peer_set_out(peer_set),
                          share=share_out(peer_set), count=len(items), items=items)  # fmt: skip


# -- insights ------------------------------------------------------------------------------


class InsightOut(Shape):
    kind: Literal["strength", "area_to_explore", "standing", "too_uncertain", "disparity", "change"]
    pillar: str
    metric: str
    variable: str
    sentence: str
    evidence_z: float | None
    tested: bool
    observations: list[ObservationOut]
    tests: list[TestOut]


def insight_out(i: Insight, release: str) -> InsightOut:
    return InsightOut(
        kind=i.kind, pillar=i.pillar_id, metric=i.metric_id, variable=i.variable,
        sentence=i.sentence, evidence_z=i.evidence, tested=i.tested,
        observations=[c for o in i.observations if (c := _cell(o, release)) is not None],
        tests=[comparison_out(c) for c in i.tests],
    )  # fmt: skip


class PillarInsightsOut(Shape):
    pillar: str
    label: str
    strengths: list[InsightOut]
    areas_to_explore: list[InsightOut]
    standings: list[InsightOut]
    """Where untested values sit among places of their kind (neutral notes, no claim)."""
    too_uncertain: list[InsightOut]


class InsightsOut(Shape):
    geography: GeographyOut
    peer_set: PeerSetOut
    share: ShareOut
    pillars: list[PillarInsightsOut]
    disparities: list[InsightOut]
    changes: list[InsightOut]


def insights_out(
    geo: Geography, peer_set: PeerSet, report: InsightReport, release: str
) -> InsightsOut:
    def many(items: tuple[Insight, ...]) -> list[InsightOut]:
        return [insight_out(i, release) for i in items]

    return InsightsOut(
        geography=geography_out(geo), peer_set=peer_set_out(peer_set), share=share_out(peer_set),
        pillars=[PillarInsightsOut(pillar=p.pillar.id, label=p.pillar.label,
                                   strengths=many(p.strengths),
                                   areas_to_explore=many(p.areas_to_explore),
                                   standings=many(p.standings),
                                   too_uncertain=many(p.too_uncertain))
                 for p in report.pillars],
        disparities=many(report.disparities), changes=many(report.changes),
    )  # fmt: skip


# -- disparities ---------------------------------------------------------------------------


class GapOut(Shape):
    group: str
    reference: str
    year: int
    group_value: float | None
    reference_value: float | None
    direction: str
    judgement: Literal["better", "worse"] | None
    """For the group, when the test supports a difference and the metric is evaluative."""
    test: TestOut


def gap_out(gap: Gap) -> GapOut:
    return GapOut(group=gap.group, reference=gap.reference, year=gap.year,
                  group_value=gap.group_cell.value if gap.group_cell else None,
                  reference_value=gap.reference_cell.value if gap.reference_cell else None,
                  direction=gap.direction, judgement=gap.judgement,
                  test=comparison_out(gap.comparison))  # fmt: skip


_RealTermsFields: Any = shape_of(
    RealTerms,
    described={
        "factor": "CPI[later] / CPI[earlier]; null when a year is outside the index shipped "
        "with Upward.",
        "earlier_real": "The earlier value in dollars of the later year; the test compares it "
        "with ``later``.",
    },
)


class RealTermsOut(_RealTermsFields):
    """A change in dollars, restated in dollars of the later year with the BLS CPI-U."""


class GapChangeOut(Shape):
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


def gap_change_out(c: GapChange) -> GapChangeOut:
    return GapChangeOut(group=c.group, reference=c.reference, first_year=c.first.year,
                        last_year=c.last.year, first_gap=c.first.comparison.difference,
                        last_gap=c.last.comparison.difference, word=c.word,
                        test=comparison_out(c.change),
                        real_terms=RealTermsOut(**asdict(c.real)) if c.real else None)  # fmt: skip


class BreakdownOut(Shape):
    metric: str
    variable: str
    subgroup_type: str
    subgroup_label: str
    year: int
    total: ObservationOut | None
    groups: list[ObservationOut]
    vs_total: list[GapOut]
    between: list[GapOut]
    changes: list[GapChangeOut]
    notes: list[str]


def breakdown_out(b: Breakdown, release: str) -> BreakdownOut:
    return BreakdownOut(
        metric=b.metric.id, variable=b.variable.name, subgroup_type=b.subgroup_type,
        subgroup_label=b.subgroup_label, year=b.year, total=_cell(b.total, release),
        groups=[c for g in b.groups if (c := _cell(g, release)) is not None],
        vs_total=[gap_out(g) for g in b.vs_total], between=[gap_out(g) for g in b.between],
        changes=[gap_change_out(c) for c in b.changes], notes=list(b.notes),
    )  # fmt: skip


class DisparitiesOut(Shape):
    geography: GeographyOut
    metric: str | None
    count: int
    items: list[BreakdownOut]


def disparities_out(
    geo: Geography, breakdowns: tuple[Breakdown, ...], release: str, metric: str | None = None
) -> DisparitiesOut:
    items = [breakdown_out(b, release) for b in breakdowns if not metric or b.metric.id == metric]
    return DisparitiesOut(geography=geography_out(geo), metric=metric, count=len(items),
                          items=items)  # fmt: skip
