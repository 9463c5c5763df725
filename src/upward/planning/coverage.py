"""Who covers what: stakeholders by pillar and sector, and the gaps a coalition should fill.

Rules (shown on the coverage page):

* A stakeholder **counts** ("active") when the relationship is engaged or partner, or the
  stakeholder accepted an invitation. Everyone else on the list is a **prospect**.
* A stakeholder works on a pillar when it names the pillar or any of its predictors.
  It works on a predictor only when it names that predictor.
* **Predictor gap**: no active stakeholder names the predictor (e.g. "Just policing").
* **Pillar gap**: no active stakeholder works on the pillar; a **narrow pillar** has active
  stakeholders from only one sector (the guide asks for partners across sectors).
* **Sector gap**: no active stakeholder comes from the sector ("Other" is never a gap).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from upward.catalog import Catalog, Pillar, Predictor, get_catalog
from upward.planning.stakeholder import SECTORS, StakeholderFacts

UNGAPPED_SECTORS = frozenset({"other"})


@dataclass(frozen=True)
class CoverageCell:
    sector: str
    active: int
    prospects: int


@dataclass(frozen=True)
class PillarRow:
    pillar: Pillar
    cells: tuple[CoverageCell, ...]
    active: int
    prospects: int
    active_sectors: int


@dataclass(frozen=True)
class PredictorCoverage:
    predictor: Predictor
    active: tuple[str, ...]
    prospects: tuple[str, ...]

    @property
    def gap(self) -> bool:
        return not self.active


@dataclass(frozen=True)
class Gap:
    kind: str  # "predictor" | "pillar" | "narrow_pillar" | "sector"
    id: str
    label: str
    message: str


@dataclass(frozen=True)
class Coverage:
    sectors: tuple[tuple[str, str], ...]
    rows: tuple[PillarRow, ...]
    predictors: tuple[PredictorCoverage, ...]
    sector_active: dict[str, int]
    gaps: tuple[Gap, ...]

    def gap_ids(self, kind: str) -> frozenset[str]:
        return frozenset(g.id for g in self.gaps if g.kind == kind)


def pillars_of(facts: StakeholderFacts, catalog: Catalog) -> frozenset[str]:
    known = {p.id for p in catalog.pillars}
    pillar_of = {x.id: x.pillar_id for x in catalog.predictors}
    via_predictors = {pillar_of[p] for p in facts.predictor_ids if p in pillar_of}
    return frozenset((set(facts.pillar_ids) & known) | via_predictors)


def assess_coverage(
    stakeholders: Iterable[StakeholderFacts], catalog: Catalog | None = None
) -> Coverage:
    catalog = catalog or get_catalog()
    people = list(stakeholders)
    pillar_sets = {s.key: pillars_of(s, catalog) for s in people}
    rows = tuple(_pillar_row(p, people, pillar_sets) for p in catalog.pillars)
    predictors = tuple(
        PredictorCoverage(
            pred,
            tuple(sorted(s.name for s in people if pred.id in s.predictor_ids and s.active)),
            tuple(sorted(s.name for s in people if pred.id in s.predictor_ids and not s.active)),
        )
        for pred in catalog.predictors
    )
    sector_active = {
        sid: sum(1 for s in people if s.sector == sid and s.active) for sid, _ in SECTORS
    }
    gaps = _gaps(rows, predictors, sector_active, catalog)
    return Coverage(SECTORS, rows, predictors, sector_active, gaps)


def _pillar_row(
    pillar: Pillar, people: Sequence[StakeholderFacts], pillar_sets: dict[object, frozenset[str]]
) -> PillarRow:
    on_pillar = [s for s in people if pillar.id in pillar_sets[s.key]]
    cells = tuple(
        CoverageCell(
            sector,
            sum(1 for s in on_pillar if s.sector == sector and s.active),
            sum(1 for s in on_pillar if s.sector == sector and not s.active),
        )
        for sector, _ in SECTORS
    )
    active = sum(c.active for c in cells)
    return PillarRow(
        pillar,
        cells,
        active,
        sum(c.prospects for c in cells),
        sum(1 for c in cells if c.active),
    )


def _gaps(
    rows: Sequence[PillarRow],
    predictors: Sequence[PredictorCoverage],
    sector_active: dict[str, int],
    catalog: Catalog,
) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    for row in rows:
        if row.active == 0:
            gaps.append(
                Gap("pillar", row.pillar.id, row.pillar.label, "No active partner works on it.")
            )
        elif row.active_sectors == 1:
            gaps.append(
                Gap(
                    "narrow_pillar",
                    row.pillar.id,
                    row.pillar.label,
                    "Active partners come from a single sector only.",
                )
            )
    for cov in predictors:
        if cov.gap:
            pillar = catalog.pillar(cov.predictor.pillar_id).label
            hint = (
                f" Prospects: {', '.join(cov.prospects)}."
                if cov.prospects
                else " Nobody on the list works on it yet."
            )
            gaps.append(
                Gap(
                    "predictor",
                    cov.predictor.id,
                    cov.predictor.label,
                    f"{pillar}.{hint}",
                )
            )
    for sector, label_text in SECTORS:
        if sector not in UNGAPPED_SECTORS and sector_active[sector] == 0:
            gaps.append(Gap("sector", sector, label_text, "No active partner from this sector."))
    return tuple(gaps)


# -- which gaps to fill first ------------------------------------------------------------------


@dataclass(frozen=True)
class AreaToExplore:
    """One "area to explore" the explorer's insights name for a place of the workspace: a
    metric where the place differs from its benchmark and a 95% test supports it."""

    place: str
    """The place's name."""
    geoid: str
    pillar_id: str
    metric_id: str
    variable: str
    label: str
    """The variable's label, such as "Household income at the 80th percentile"."""
    sentence: str
    evidence: float | None
    """|z| of the test behind it (None: no single z to report)."""


@dataclass(frozen=True)
class RankedGap:
    gap: Gap
    pillar_id: str | None
    """The pillar the gap is in (None for a sector gap, which lies across pillars)."""
    areas: tuple[AreaToExplore, ...]
    """The workspace places' areas to explore in that pillar, strongest evidence first."""

    @property
    def reason(self) -> str:
        if self.pillar_id is None:
            return ""
        if not self.areas:
            return "No area to explore in this pillar for your places."
        n = len(self.areas)
        return f"{n} area{'s' if n != 1 else ''} to explore in this pillar"


def gap_pillar(gap: Gap, catalog: Catalog) -> str | None:
    """The pillar a gap is in: its own, its predictor's, or None for a sector."""
    if gap.kind in ("pillar", "narrow_pillar"):
        return gap.id
    if gap.kind == "predictor":
        return catalog.predictor(gap.id).pillar_id
    return None


def rank_gaps(
    gaps: Iterable[Gap], areas: Iterable[AreaToExplore], catalog: Catalog | None = None
) -> tuple[RankedGap, ...]:
    """The gaps, those in pillars where the workspace's places have more areas to explore
    first.

    Rule: a gap in a pillar ranks by (1) how many areas to explore the places have in that
    pillar, more first; (2) for a predictor gap, how many of them are the predictor's own
    metrics; (3) the strongest evidence (largest |z|) among them; then the gaps keep their
    order (pillar gaps, narrow pillars, predictors). Sector gaps lie across pillars and
    come last, in their order. Equal counts and evidence are ties and keep their order.
    """
    catalog = catalog or get_catalog()
    by_pillar: dict[str, list[AreaToExplore]] = {}
    for area in areas:
        by_pillar.setdefault(area.pillar_id, []).append(area)
    for found in by_pillar.values():
        found.sort(key=lambda a: -(a.evidence or 0.0))
    ranked = []
    for gap in gaps:
        pillar = gap_pillar(gap, catalog)
        ranked.append(RankedGap(gap, pillar, tuple(by_pillar.get(pillar, ())) if pillar else ()))

    def key(item: tuple[int, RankedGap]) -> tuple[float, ...]:
        index, rg = item
        if rg.pillar_id is None:
            return (1, 0, 0, 0, index)
        own = 0
        if rg.gap.kind == "predictor":
            own = sum(1 for a in rg.areas if _predictor_of(a.metric_id, catalog) == rg.gap.id)
        strongest = max((a.evidence or 0.0 for a in rg.areas), default=0.0)
        return (0, -len(rg.areas), -own, -strongest, index)

    return tuple(rg for _, rg in sorted(enumerate(ranked), key=key))


def _predictor_of(metric_id: str, catalog: Catalog) -> str | None:
    try:
        return catalog.metric(metric_id).predictor_id
    except LookupError:
        return None
