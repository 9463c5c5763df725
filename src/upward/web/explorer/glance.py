"""A place at a glance: one row per measure, the summary that opens the profile and Compare.

:func:`build_glance` turns each measure's headline comparison
(:class:`~upward.analysis.comparison.VariableComparison`) into a row: the value, its year,
95% confidence interval and quality, where it stands among the state's and the nation's
places of its kind (no test, neutral words), and the test against the median of each
(:func:`~upward.web.explorer.analysis_page.verdict_label`: "not distinguishable" when the
intervals do not support a difference, "not tested" without one, no claim on Weak data).

Both pages pass comparisons made by the same analysis function: Compare its whole
analysis (:meth:`upward.explore.Release.analysis`), the profile the same tests against the
state and national medians alone (:meth:`upward.explore.Release.scope_comparisons`, no
peers and no query), so the two tables say the same. The glance is a page-only view: the
``.json`` twins carry the same facts as standings (profile) and comparisons (compare).
Each cell carries a sort key in ``data-sort`` for ``upward/glance.js``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from upward.analysis.comparison import ScopeComparison, VariableComparison
from upward.analysis.standing import place_words, rank_phrase
from upward.catalog import QUALITY_CODES, WEAK, Catalog, GeoLevel, Metric, Pillar, Variable
from upward.explore import Geography
from upward.reports.numbers import format_bounds, format_value, unit_suffix
from upward.web.explorer.analysis_page import capitalized, verdict_label

NO_VALUE = "No published value"


@dataclass(frozen=True)
class GlanceScope:
    """Where the value stands in one scope (the state or the nation) and its test there."""

    standing: str
    """Neutral words: 'higher than 73% of the other 86 counties' ('' without a standing)."""
    standing_key: float | None
    """Percent of the other places below, ties counted half (for sorting)."""
    verdict: str
    """The test against the scope's median, as the Compare page words it."""
    verdict_key: float | None
    """The test's z, signed so that better is positive (higher for context measures);
    None when nothing was tested (sorted last)."""


@dataclass(frozen=True)
class GlanceRow:
    metric: Metric
    variable: Variable
    value: str
    unit: str
    raw: float | None
    year: int | None
    ci: str
    lb: float | None
    quality: str
    quality_code: int | None
    state: GlanceScope | None
    nation: GlanceScope | None

    @property
    def anchor(self) -> str:
        """The measure's section on the page (the profile and Compare use the same ids)."""
        return f"m-{self.metric.id}"

    @property
    def weak(self) -> bool:
        return self.quality == WEAK


@dataclass(frozen=True)
class GlancePillar:
    pillar: Pillar
    rows: tuple[GlanceRow, ...]


@dataclass(frozen=True)
class Glance:
    state_name: str
    kind_plural: str
    pillars: tuple[GlancePillar, ...]

    @property
    def rows(self) -> tuple[GlanceRow, ...]:
        return tuple(r for p in self.pillars for r in p.rows)


def _standing_key(s: ScopeComparison) -> float | None:
    rank = s.rank
    if rank is None or rank.alone:
        return None
    return round(100 * (rank.below + rank.tied / 2) / rank.others, 2)


def _verdict_key(s: ScopeComparison, direction: str) -> float | None:
    c = s.comparison
    if c.z is None:
        return None
    if direction == "lower_better":
        return round(-c.z, 3)
    return round(c.z, 3)


def _scope(vc: VariableComparison, name: str, level: str) -> GlanceScope | None:
    s = vc.scope(name)  # type: ignore[arg-type]
    if s is None:
        return None
    standing = ""
    if s.rank is not None and vc.target is not None and vc.target.value is not None:
        standing = rank_phrase(s.rank, level, "", format_value(vc.variable, vc.target.value))
        standing = capitalized(standing)
    return GlanceScope(standing, _standing_key(s), verdict_label(s.comparison, vc.direction),
                       _verdict_key(s, vc.direction))  # fmt: skip


def glance_row(vc: VariableComparison | None, metric: Metric, level: str) -> GlanceRow:
    """One measure's row; ``vc`` is its headline's comparison (None: nothing published)."""
    variable = metric.headline
    target = vc.target if vc is not None else None
    if vc is None or target is None or (target.value is None and not _text(target)):
        return GlanceRow(metric, variable, NO_VALUE, "", None, vc.year if vc else None, "",
                         None, "", None, None, None)  # fmt: skip
    quality = target.quality or ""
    return GlanceRow(
        metric=metric,
        variable=variable,
        value=format_value(variable, target.value, _text(target)),
        unit="" if variable.kind == "ratio_pair" else unit_suffix(variable),
        raw=target.value,
        year=target.year,
        ci=format_bounds(variable, target.lb, target.ub),
        lb=target.lb,
        quality=quality,
        quality_code=QUALITY_CODES.get(quality),
        state=_scope(vc, "state", level),
        nation=_scope(vc, "nation", level),
    )


def _text(obs: object) -> str | None:
    return getattr(obs, "value_text", None)


def build_glance(
    catalog: Catalog, geo: Geography, comparisons: Mapping[str, VariableComparison]
) -> Glance:
    """Every measure published for this kind of place, by pillar, in the catalog's order.

    ``comparisons``: headline comparisons by variable name (any others are ignored).
    """
    level = geo.geo_level
    available = {m.id for m in catalog.metrics_for(cast(GeoLevel, level))}
    pillars = []
    for pillar in catalog.pillars:
        rows = [
            glance_row(comparisons.get(metric.headline.name), metric, level)
            for predictor_id in pillar.predictor_ids
            for metric in (catalog.metric(m) for m in catalog.predictor(predictor_id).metric_ids)
            if metric.id in available
        ]
        if rows:
            pillars.append(GlancePillar(pillar, tuple(rows)))
    return Glance(geo.state_name, place_words(level)[1], tuple(pillars))
