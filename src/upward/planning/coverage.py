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
