"""Engagements: the rules for participants' counts, who took part against who lives here,
and the summary of a coalition's engagements (pure: no storage, no Django).

Rules (shown on the pages):

* **Counts only.** An engagement keeps aggregate counts per dimension (race and
  ethnicity, age group, lived experience), never a roster. Each count is a whole number
  of at least 0, and a dimension's counts (with "not reported") add up to at most the
  participants count.
* **Participants' share.** Of the participants who reported a group in that dimension
  ("not reported" is left out of the share and counted apart), with a 95% Wilson interval.
* **Residents' share.** Urban's published share for the place, which has no published
  interval, so it is treated as a fixed number.
* **A difference** is claimed only when an exact two-sided binomial test of the group's
  count ``k`` of ``n`` reported participants against the residents' share gives
  p < 0.05: fewer than the residents' share when ``k / n`` is below it, more when above.
  When even the most extreme count possible (none or all ``n``) could not reach p < 0.05,
  the page says that no difference could be detected with so few participants.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from upward.planning.knowledge import (
    AGE_GROUPS,
    DEMOGRAPHIC_DIMENSIONS,
    ENGAGEMENT_LEVELS,
    NOT_REPORTED,
    RACE_GROUPS,
    Choice,
)

ALPHA = 0.05
Z95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval (the Wilson interval)."""
TIE_TOLERANCE = 1 + 1e-7
"""Outcomes within this relative distance of the observed one's probability count as
equally likely in the two-sided test (as R's binom.test and SciPy's binomtest do)."""

LIVED_EXPERIENCE_COMMUNITY = "lived_experience"
COMMUNITIES: tuple[Choice, ...] = (
    *RACE_GROUPS,
    (LIVED_EXPERIENCE_COMMUNITY, "People with lived experience of poverty"),
    *((f"age_{gid}", f"People aged {label[0].lower()}{label[1:]}") for gid, label in AGE_GROUPS),
)
"""Communities a stakeholder works with (``Stakeholder.communities``): the race and
ethnicity groups, people with lived experience of poverty, and the age groups."""

RESIDENT_SECTOR = "residents"
"""Stakeholders of this sector are residents with lived experience (planning.stakeholder)."""


# --- counts -----------------------------------------------------------------------------


def dimension_groups(dimension: str) -> tuple[Choice, ...]:
    for dim, _label, groups in DEMOGRAPHIC_DIMENSIONS:
        if dim == dimension:
            return groups
    raise KeyError(dimension)


def check_demographics(
    participants: int, demographics: Mapping[str, Mapping[str, object]]
) -> dict[str, list[str]]:
    """Problems per dimension (empty when the counts are acceptable)."""
    problems: dict[str, list[str]] = {}
    known = {dim: (label, groups) for dim, label, groups in DEMOGRAPHIC_DIMENSIONS}
    for dimension, counts in demographics.items():
        if dimension not in known:
            problems.setdefault(dimension, []).append(f"“{dimension}” is not a dimension.")
            continue
        label, groups = known[dimension]
        allowed = {gid: glabel for gid, glabel in groups} | {NOT_REPORTED: "Not reported"}
        total = 0
        for group, count in counts.items():
            if group not in allowed:
                problems.setdefault(dimension, []).append(f"“{group}” is not a group of {label}.")
            elif isinstance(count, bool) or not isinstance(count, int) or count < 0:
                problems.setdefault(dimension, []).append(
                    f"{label}, {allowed[group]}: a count must be a whole number, 0 or more."
                )
            else:
                total += count
        if total > participants:
            problems.setdefault(dimension, []).append(
                f"{label}: the counts add up to {total}, more than the {participants} participants."
            )
    return problems


def pool_counts(
    demographics: Iterable[Mapping[str, Mapping[str, int]]], dimension: str
) -> dict[str, int]:
    """The counts of one dimension summed over engagements that reported it."""
    pooled: dict[str, int] = {}
    for demo in demographics:
        for group, count in (demo.get(dimension) or {}).items():
            pooled[group] = pooled.get(group, 0) + int(count)
    return pooled


# --- statistics -------------------------------------------------------------------------


EXACT_UP_TO = 1000
"""Up to this many participants the binomial coefficient is math.comb's exact integer;
above, log-gamma (relative error near 1e-12, far below what the 0.05 rule can notice)."""
WINDOW_SD = 40
"""Outcomes more than this many standard deviations from the mean have probabilities
below 1e-300 and are left out of the sums (so a pooled count of thousands stays fast)."""


def _log_coefficient(n: int, k: int) -> float:
    if n <= EXACT_UP_TO:
        return math.log(math.comb(n, k))
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def binomial_pmf(k: int, n: int, p: float) -> float:
    """P(X = k) for X ~ Binomial(n, p)."""
    if p <= 0.0:
        return 1.0 if k == 0 else 0.0
    if p >= 1.0:
        return 1.0 if k == n else 0.0
    return math.exp(_log_coefficient(n, k) + k * math.log(p) + (n - k) * math.log1p(-p))


@lru_cache(maxsize=64)
def _outcomes(n: int, p: float) -> tuple[int, tuple[float, ...]]:
    """(first k, the probabilities of k = first, first + 1, ...) over the outcomes that
    carry any probability a double can hold."""
    spread = WINDOW_SD * math.sqrt(n * p * (1 - p)) + 1
    lo, hi = max(0, math.floor(n * p - spread)), min(n, math.ceil(n * p + spread))
    return lo, tuple(binomial_pmf(i, n, p) for i in range(lo, hi + 1))


def binomial_test(k: int, n: int, p: float) -> float:
    """The exact two-sided p-value of ``k`` successes in ``n`` trials against ``p``: the
    total probability of every outcome no more likely than ``k`` (the "minlike" rule)."""
    if not 0 <= k <= n or n < 1:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    lo, pmf = _outcomes(n, p)
    observed = binomial_pmf(k, n, p) * TIE_TOLERANCE
    return min(1.0, sum(q for q in pmf if q <= observed) + _outside(k, lo, len(pmf), n, p))


def _outside(k: int, lo: int, size: int, n: int, p: float) -> float:
    """The observed outcome itself when it falls outside the window (else 0)."""
    return binomial_pmf(k, n, p) if not lo <= k < lo + size else 0.0


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion ``k / n`` (95% by default)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    phat = k / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def detectable(n: int, p: float) -> bool:
    """Whether any count of ``n`` could differ from ``p`` at p < 0.05: the most extreme
    outcomes (none, or all) have the smallest p-values."""
    if n < 1:
        return False
    return min(binomial_test(0, n, p), binomial_test(n, n, p)) < ALPHA


# --- who took part against who lives here -----------------------------------------------

UNDER = "under"
OVER = "over"
SIMILAR = "similar"
UNDETECTABLE = "undetectable"
VERDICT_WORDS = {
    UNDER: "Fewer than the residents' share, beyond what chance explains",
    OVER: "More than the residents' share, beyond what chance explains",
    SIMILAR: "Not distinguishable from the residents' share",
    UNDETECTABLE: "Too few participants to detect a difference",
}


@dataclass(frozen=True)
class GroupShare:
    """One group's participants: count, share of those who reported, Wilson 95% CI."""

    group: str
    label: str
    count: int
    reported: int
    share: float | None
    lb: float | None
    ub: float | None


@dataclass(frozen=True)
class GroupComparison:
    participants: GroupShare
    resident_share: float
    difference: float | None
    """Participants' share minus residents' share (a fraction; None without reports)."""
    p_value: float | None
    verdict: str

    @property
    def verdict_words(self) -> str:
        return VERDICT_WORDS[self.verdict]

    @property
    def flagged(self) -> bool:
        return self.verdict in (UNDER, OVER)


@dataclass(frozen=True)
class Shares:
    """Participants' shares in one dimension."""

    reported: int
    not_reported: int
    groups: tuple[GroupShare, ...]


@dataclass(frozen=True)
class Representation:
    """Participants by race and ethnicity against residents' shares."""

    reported: int
    not_reported: int
    rows: tuple[GroupComparison, ...]
    detectable_any: bool

    @property
    def under(self) -> tuple[str, ...]:
        return tuple(r.participants.group for r in self.rows if r.verdict == UNDER)

    @property
    def over(self) -> tuple[str, ...]:
        return tuple(r.participants.group for r in self.rows if r.verdict == OVER)


def participant_shares(counts: Mapping[str, int], groups: Sequence[Choice]) -> Shares:
    """Each group's share of participants who reported one (``NOT_REPORTED`` apart)."""
    reported = sum(int(counts.get(gid, 0)) for gid, _ in groups)
    rows = []
    for gid, label in groups:
        k = int(counts.get(gid, 0))
        if reported:
            lb, ub = wilson_interval(k, reported)
            rows.append(GroupShare(gid, label, k, reported, k / reported, lb, ub))
        else:
            rows.append(GroupShare(gid, label, k, 0, None, None, None))
    return Shares(reported, int(counts.get(NOT_REPORTED, 0)), tuple(rows))


def compare_group(share: GroupShare, resident: float) -> GroupComparison:
    n, k = share.reported, share.count
    if n == 0 or share.share is None:
        return GroupComparison(share, resident, None, None, UNDETECTABLE)
    p = binomial_test(k, n, resident)
    difference = share.share - resident
    if p < ALPHA and difference < 0:
        verdict = UNDER
    elif p < ALPHA and difference > 0:
        verdict = OVER
    elif detectable(n, resident):
        verdict = SIMILAR
    else:
        verdict = UNDETECTABLE
    return GroupComparison(share, resident, difference, p, verdict)


def compare_with_residents(
    counts: Mapping[str, int], resident_shares: Mapping[str, float]
) -> Representation:
    """Participants' race and ethnicity counts against the residents' shares (fractions),
    group by group, for the groups of ``RACE_GROUPS`` the residents' shares name."""
    shares = participant_shares(counts, RACE_GROUPS)
    rows = tuple(
        compare_group(g, resident_shares[g.group])
        for g in shares.groups
        if g.group in resident_shares
    )
    any_detectable = any(detectable(shares.reported, r.resident_share) for r in rows)
    return Representation(shares.reported, shares.not_reported, rows, any_detectable)


# --- partners to reach a group -----------------------------------------------------------


@dataclass(frozen=True)
class PartnerFacts:
    id: int
    name: str
    sector: str
    communities: tuple[str, ...]


def partners_for(
    community: str, stakeholders: Iterable[PartnerFacts], exclude: Iterable[int] = ()
) -> list[PartnerFacts]:
    """Stakeholders who work with ``community`` (residents-sector stakeholders for lived
    experience), by name, leaving out ``exclude`` (partners of recent engagements)."""
    skip = set(exclude)
    found = [
        s
        for s in stakeholders
        if s.id not in skip
        and (
            community in s.communities
            or (community == LIVED_EXPERIENCE_COMMUNITY and s.sector == RESIDENT_SECTOR)
        )
    ]
    return sorted(found, key=lambda s: s.name.casefold())


# --- summary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EngagementFacts:
    date: date
    participants: int
    level: str
    pillars: tuple[str, ...]
    predictors: tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    key: str
    label: str
    engagements: int
    participants: int


@dataclass(frozen=True)
class EngagementSummary:
    total: int
    participants: int
    periods: tuple[Tally, ...]
    """By month or quarter, oldest first, with empty periods between filled in."""
    period_kind: str
    """``month`` or ``quarter``."""
    levels: tuple[Tally, ...]
    """In spectrum order, every level (zero when none)."""
    pillars: tuple[Tally, ...]


MONTHS_SHOWN = 24
"""Up to two years of engagements are tallied by month; a longer span by quarter."""


def _period(day: date, kind: str) -> tuple[int, int]:
    return (day.year, day.month if kind == "month" else (day.month - 1) // 3 + 1)


def _period_label(year: int, part: int, kind: str) -> str:
    if kind == "quarter":
        return f"{year} Q{part}"
    return date(year, part, 1).strftime("%b %Y")


def _periods_between(first: tuple[int, int], last: tuple[int, int], kind: str) -> list:
    size = 12 if kind == "month" else 4
    out, (year, part) = [], first
    while (year, part) <= last:
        out.append((year, part))
        year, part = (year + 1, 1) if part == size else (year, part + 1)
    return out


def summarize(
    engagements: Sequence[EngagementFacts],
    pillars: Sequence[Choice],
    pillar_of: Mapping[str, str],
) -> EngagementSummary:
    """Counts and participants over time, by level and by pillar. An engagement is on a
    pillar when it names the pillar or one of its predictors (``pillar_of``)."""
    if engagements:
        first, last = min(e.date for e in engagements), max(e.date for e in engagements)
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        kind = "month" if months <= MONTHS_SHOWN else "quarter"
        keys = _periods_between(_period(first, kind), _period(last, kind), kind)
    else:
        kind, keys = "month", []
    by_period = {key: [0, 0] for key in keys}
    by_level = {lid: [0, 0] for lid, _ in ENGAGEMENT_LEVELS}
    by_pillar = {pid: [0, 0] for pid, _ in pillars}
    for e in engagements:
        for bucket in (by_period[_period(e.date, kind)], by_level.get(e.level)):
            if bucket is not None:
                bucket[0] += 1
                bucket[1] += e.participants
        on = set(e.pillars) | {pillar_of[p] for p in e.predictors if p in pillar_of}
        for pid in on & by_pillar.keys():
            by_pillar[pid][0] += 1
            by_pillar[pid][1] += e.participants
    return EngagementSummary(
        total=len(engagements),
        participants=sum(e.participants for e in engagements),
        periods=tuple(
            Tally(f"{y}-{p:02d}", _period_label(y, p, kind), *by_period[(y, p)]) for y, p in keys
        ),
        period_kind=kind,
        levels=tuple(Tally(lid, label, *by_level[lid]) for lid, label in ENGAGEMENT_LEVELS),
        pillars=tuple(Tally(pid, label, *by_pillar[pid]) for pid, label in pillars),
    )
