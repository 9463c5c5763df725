"""Baselines pinned to a release: which releases are loaded, the one published cell a
population indicator reads (everyone, one group, or the gap between two, with its 95% CI
and quality), pinning it, and whether a later release revised it.

Read through the release facade only (:func:`upward.explore.named_release` for a release
named on the form, :func:`upward.web.data.get_release` for the current one). A release
that is not loaded is refused with a message for the form's ``release`` field; so is a
cell the release does not publish for the place. Nothing here writes on a read: pinning
and deciding are called from a POST, inside a transaction.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from typing import Any, Protocol, TypeVar

from django.db import transaction
from django.utils import timezone

from upward import explore
from upward.analysis.uncertainty import Estimate, compare_values
from upward.catalog import (
    ALL_LABEL,
    ALL_TYPE,
    UnknownName,
    Variable,
    get_catalog,
    weaker_quality,
)
from upward.explore import PlaceNotFound, Release, UnknownRelease, WarehouseMissing
from upward.explore.library import RegistryError, loaded_releases
from upward.reports.numbers import format_ci, format_value, measured_ci, measured_text
from upward.web.data import get_release
from upward.web.measurement.models import Baseline, BaselineDecision, Measure, Target
from upward.web.workspace import places
from upward.web.workspace.activity import record
from upward.web.workspace.versioning import StaleVersion, claim_version

CURRENT = ""
"""The release field's value for the release the server answers from now."""
SAME = explore.REVISION_TOLERANCE
"""Values closer than this (relatively) are the same published number: the tolerance of
``upward data diff`` (one release writes 0.090908892, the next 0.0909088934053675 for
the same cell; that is the text, not a revision)."""
SERIES_KEPT = 2048
"""How many (place, metric, breakdown) series a release keeps for the cells read here."""


class BaselineRefused(ValueError):
    """A baseline cannot be pinned (or compared); ``errors`` maps a field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class CellSpec(Protocol):
    """What a measure or a baseline says it reads."""

    geoid: str
    variable: str
    breakdown: str
    subgroup: str
    versus: str


class PinnedSpec(CellSpec, Protocol):
    """A pinned baseline: its cell and what was read there, from which release. A
    :class:`~upward.web.measurement.models.Baseline` row is one; so is the frozen
    :class:`~upward.web.measurement.progress_store.PinnedBaseline` a published plan stores."""

    year: int
    value: float
    lb: float | None
    ub: float | None
    quality: str
    text: str
    release: str
    release_checksum: str


@dataclass(frozen=True)
class Cell:
    """One published value (or a tested gap) with its year, 95% CI and quality."""

    year: int
    value: float
    lb: float | None
    ub: float | None
    quality: str
    text: str

    def estimate(self, variable: Variable | None = None, gap: bool = False) -> Estimate:
        """The cell as an estimate; a ``gap``'s scale is the difference of two levels'
        (a share's gap lies between −1 and 1, not between 0 and 1)."""
        count = variable.is_count if variable is not None else False
        scale = variable.scale if variable is not None else (None, None)
        if gap:
            low, high = scale
            scale = (None, None) if low is None or high is None else (low - high, high - low)
        return Estimate(
            self.value, self.lb, self.ub, self.quality or None, count=count, scale=scale
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ReleaseRef:
    release: Release
    name: str
    checksum: str


@dataclass(frozen=True)
class Revision:
    """A pinned baseline beside the same cell in another loaded release."""

    release: str
    checksum: str
    cell: Cell | None
    """The cell as the other release publishes it (None: it publishes none)."""
    note: str

    @property
    def revised(self) -> bool:
        return self.cell is not None and self.note == "revised"


# -- releases -------------------------------------------------------------------------------


def _entries() -> tuple[list[Any], str | None]:
    try:
        return loaded_releases()
    except (RegistryError, OSError, ValueError):
        return [], None


def release_options() -> list[tuple[str, str]]:
    """The releases a baseline may be pinned from: the loaded ones, the current one first
    (``CURRENT`` when the server has no registry of named releases)."""
    entries, current = _entries()
    if not entries:
        try:
            version = get_release().version
        except WarehouseMissing:
            return []
        return [(CURRENT, f"The release loaded now ({version})")]
    ordered = sorted(entries, key=lambda e: e.name != current)
    return [(e.name, f"{e.name}{' (current)' if e.name == current else ''}") for e in ordered]


def default_release() -> str:
    _entries_now, current = _entries()
    return current or CURRENT


def open_release(name: str) -> ReleaseRef:
    """The loaded release ``name`` (``CURRENT``: the one the server answers from), with the
    name and checksum a baseline records; :class:`BaselineRefused` on ``release``."""
    entries, current = _entries()
    try:
        release = get_release() if name in (CURRENT, current) else explore.named_release(name)
    except UnknownRelease as problem:
        raise BaselineRefused({"release": f"Release: {problem}"}) from None
    except ValueError as problem:
        raise BaselineRefused({"release": f"Release: {problem}"}) from None
    except (WarehouseMissing, RegistryError):
        raise BaselineRefused(
            {"release": "Release: no release of the metrics data is loaded on this server."}
        ) from None
    label = name or release.name or release.release_name or release.version
    checksum = next((e.checksum for e in entries if e.name == (name or release.name)), "")
    return ReleaseRef(release, label, checksum)


# -- the cell -------------------------------------------------------------------------------


def _variable(name: str) -> Variable:
    try:
        return get_catalog().variable(name)
    except (UnknownName, LookupError):
        raise BaselineRefused(
            {"variable": f"Measure: “{name}” is not a measure of the Mobility Metrics."}
        ) from None


_quality = weaker_quality
"""The quality of a gap: the weaker of its two sides."""


def _published(obs: Any) -> bool:
    return obs is not None and obs.value is not None and math.isfinite(obs.value)


def _published_years(
    release: Release, spec: CellSpec
) -> tuple[Variable, str, dict[int, dict[str, Any]], list[str], list[int]]:
    """The cells of ``spec`` by year and group, and the years (latest first) where every
    group it names has a value; :class:`BaselineRefused` for a place the release lacks."""
    variable = _variable(spec.variable)
    place = places.place_name(spec.geoid) if spec.geoid else "this place"
    try:
        geo = release.geography(spec.geoid)
    except (PlaceNotFound, ValueError):
        raise BaselineRefused(
            {"variable": f"Measure: the release has no data for {place} ({spec.geoid})."}
        ) from None
    breakdown = spec.breakdown or ALL_TYPE

    def read() -> tuple[Any, ...]:
        try:
            return tuple(
                release.series(geo, variable.metric_id, subgroup_type=spec.breakdown or None)
            )
        except (UnknownName, LookupError, ValueError):
            return ()

    # a release never changes once built: a refresh of many plans reads each series once
    key = (geo.geoid, variable.metric_id, spec.breakdown)
    cells = release.keep("measurement_series", key, read, size=SERIES_KEPT)
    by_year: dict[int, dict[str, Any]] = {}
    for c in cells:
        if c.variable == variable.name and c.subgroup_type == breakdown:
            by_year.setdefault(c.year, {})[c.subgroup] = c
    wanted = [spec.subgroup or ALL_LABEL] + ([spec.versus] if spec.versus else [])
    years = sorted(
        (y for y, got in by_year.items() if all(_published(got.get(g)) for g in wanted)),
        reverse=True,
    )
    return variable, place, by_year, wanted, years


def published_years(release: Release, spec: CellSpec) -> list[int]:
    """The years of the cell ``spec`` names that ``release`` publishes, latest first
    (:class:`BaselineRefused` for a variable or a place it does not have)."""
    return _published_years(release, spec)[4]


def _cell(variable: Variable, spec: CellSpec, got: dict[str, Any], wanted: list[str]) -> Cell:
    first = got[wanted[0]]
    if not spec.versus:
        text = format_value(variable, first.value, first.value_text)
        extras = [x for x in (format_ci(variable, first.lb, first.ub), first.quality) if x]
        text += f" in {first.year}" + (f" ({'; '.join(extras)})" if extras else "")
        return Cell(first.year, first.value, first.lb, first.ub, first.quality or "", text)
    other = got[spec.versus]
    tested = compare_values(Estimate.of(first, variable), Estimate.of(other, variable))
    value = first.value - other.value
    ci = tested.ci
    quality = _quality(first.quality, other.quality)
    lb, ub = (ci[0], ci[1]) if ci else (None, None)
    text = gap_text(variable, spec, first.year, value, lb, ub, quality)
    return Cell(first.year, value, lb, ub, quality, text)


def gap_text(
    variable: Variable, spec: CellSpec, year: int, value: float, lb: float | None,
    ub: float | None, quality: str,
) -> str:  # fmt: skip
    """A gap in words, from its values: 'Black minus White: +4.9 points in 2020 (95% CI
    +0.2 points to +9.6 points; Strong)'. Its quality is the weaker of its two sides'."""
    interval = measured_ci(variable, lb, ub, gap=True) or "no CI"
    return (
        f"{spec.subgroup} minus {spec.versus}: {measured_text(variable, value, gap=True)} in "
        f"{year} ({interval}{'; ' + quality if quality else ''})"
    )


def _what(variable: Variable, spec: CellSpec) -> str:
    if spec.versus:
        return f"{variable.label}: the gap between {spec.subgroup} and {spec.versus}"
    return variable.label + (f" for {spec.subgroup}" if spec.subgroup else "")


def read_cell(release: Release, spec: CellSpec, year: int | None = None) -> Cell:
    """The cell ``spec`` names in ``release``: its latest year with a value (or ``year``);
    :class:`BaselineRefused` on ``variable`` when the release publishes none there, on
    ``year`` (naming the years it does publish) when it publishes none in ``year``."""
    variable, place, by_year, wanted, years = _published_years(release, spec)
    if not years:
        raise BaselineRefused(
            {"variable": f"Measure: the release publishes no value of {_what(variable, spec)} "
                         f"for {place}."}
        )  # fmt: skip
    if year is not None and year not in years:
        listed = ", ".join(str(y) for y in sorted(years))
        raise BaselineRefused(
            {"year": f"Year: the release publishes {_what(variable, spec)} for {place} in "
                     f"{listed}; not in {year}."}
        )  # fmt: skip
    return _cell(variable, spec, by_year[year if year is not None else years[0]], wanted)


def cells_in(release: Release, spec: CellSpec, years: Iterable[int]) -> dict[int, Cell]:
    """The cells ``spec`` names in ``release`` in each of ``years`` that has a value (one
    read for all of them); a year without one, or a place the release lacks, is left out."""
    try:
        variable, _place, by_year, wanted, published = _published_years(release, spec)
    except BaselineRefused:
        return {}
    return {y: _cell(variable, spec, by_year[y], wanted) for y in set(years) if y in published}


def cell_of(baseline: PinnedSpec) -> Cell:
    """A pinned baseline's cell. A gap's text is written again from its values (a gap
    pinned before gaps were written as differences said '4.9%'); a level's is kept as
    pinned (a ratio pair's text is the published one)."""
    text = baseline.text
    if baseline.versus:
        try:
            variable = get_catalog().variable(baseline.variable)
        except (UnknownName, LookupError):
            variable = None
        if variable is not None:
            text = gap_text(variable, baseline, baseline.year, baseline.value, baseline.lb,
                            baseline.ub, baseline.quality)  # fmt: skip
    return Cell(baseline.year, baseline.value, baseline.lb, baseline.ub, baseline.quality, text)


# -- pinning and revisions ------------------------------------------------------------------


def _spec(measure: Measure) -> dict[str, str]:
    return {
        "geoid": measure.geoid,
        "variable": measure.variable,
        "breakdown": measure.breakdown,
        "subgroup": measure.subgroup,
        "versus": measure.versus,
    }


def check_pin(
    measure: Measure, release_name: str, year: int | None = None
) -> tuple[ReleaseRef, Cell]:
    """The release and the cell a pin would record (its latest year, or ``year``), or
    :class:`BaselineRefused`."""
    if not measure.reads_metrics:
        raise BaselineRefused(
            {
                "release": "Only a population indicator on a Mobility Metrics variable gets a "
                "baseline pinned from a release."
            }
        )
    ref = open_release(release_name)
    return ref, read_cell(ref.release, measure, year)


def baseline_fields(measure: Measure, ref: ReleaseRef, cell: Cell) -> dict[str, Any]:
    """What a baseline records of ``cell`` in ``ref``, for ``measure``."""
    return {**_spec(measure), "year": cell.year, "value": cell.value, "lb": cell.lb,
            "ub": cell.ub, "quality": cell.quality, "text": cell.text[:300],
            "release": ref.name[:60], "release_checksum": ref.checksum[:80]}  # fmt: skip


R = TypeVar("R", Baseline, Target)


def replace_one(model: type[R], measure: Measure, fields: dict[str, Any], expected: int | None
                ) -> R:  # fmt: skip
    """The measure's one ``model`` record (a baseline, a target) made or replaced with
    ``fields``; replacing the version read at ``expected`` is :class:`StaleVersion` if it
    changed since (call in a transaction)."""
    found = model.objects.filter(measure=measure).select_for_update().first()
    if found is None:
        return model.objects.create(workspace=measure.workspace, measure=measure, **fields)
    version = claim_version(model, found.pk, found.version if expected is None else expected)
    model.objects.filter(pk=found.pk).update(version=version, updated_at=timezone.now(), **fields)
    found.refresh_from_db()
    return found


def pin(measure: Measure, user: Any, ref: ReleaseRef, cell: Cell, *, verb: str = "pinned",
        expected: int | None = None) -> Baseline:  # fmt: skip
    """Pin (or re-pin) ``measure``'s baseline to ``cell`` of ``ref`` (call in a transaction);
    re-pinning one the form read at ``expected`` is :class:`StaleVersion` if it changed."""
    fields = {**baseline_fields(measure, ref, cell), "updated_by": user}
    baseline = replace_one(Baseline, measure, fields, expected)
    record(
        measure.workspace,
        user,
        verb,
        f"the baseline of “{measure}”",
        f"{cell.text}; release {ref.name}",
    )
    return baseline


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=SAME, abs_tol=SAME)


def revision(baseline: PinnedSpec, release_name: str, *, ref: ReleaseRef | None = None) -> Revision:
    """The baseline's cell (same place, variable, group or gap, year) in the loaded release
    ``release_name``: "revised" when its value, bounds or quality differ, "unchanged",
    "same release", or "not published" (:class:`BaselineRefused` for a release not loaded).
    ``ref``: that release, already opened (:func:`open_release`)."""
    ref = ref if ref is not None else open_release(release_name)
    if (baseline.release_checksum and baseline.release_checksum == ref.checksum) or (
        ref.name == baseline.release
    ):
        return Revision(ref.name, ref.checksum, cell_of(baseline), "same release")
    try:
        cell = read_cell(ref.release, baseline, baseline.year)
    except BaselineRefused:
        return Revision(ref.name, ref.checksum, None, "not published")
    pinned = cell_of(baseline)
    same = (
        _same(cell.value, pinned.value)
        and _same(cell.lb, pinned.lb)
        and _same(cell.ub, pinned.ub)
        and cell.quality == pinned.quality
    )
    return Revision(ref.name, ref.checksum, cell, "unchanged" if same else "revised")


def undecided_revision(
    baseline: PinnedSpec, release_name: str, decided: Collection[str], *,
    ref: ReleaseRef | None = None,
) -> Revision | None:  # fmt: skip
    """The baseline's cell in the loaded release ``release_name`` (or ``ref``) when that
    release revised it and the coalition has not yet decided about it (``decided``: the
    releases it kept or re-based on); None otherwise, and for a release not loaded. The one
    rule for "baseline revised" on the plan, the progress rows and publishing."""
    try:
        found = revision(baseline, release_name, ref=ref)
    except BaselineRefused:
        return None
    return found if found.revised and found.release not in decided else None


def revised_in(baseline: Baseline | None, current: str) -> Revision | None:
    """:func:`undecided_revision` of a saved baseline in the release ``current`` (None
    without a baseline or a release)."""
    if baseline is None or not current:
        return None
    decided = {d.release for d in baseline.decisions.all()}
    return undecided_revision(baseline, current, decided)


def decide(
    baseline: Baseline, user: Any, release_name: str, decision: str, version: int, note: str = ""
) -> BaselineDecision:
    """Record the coalition's decision about a revised baseline (keep, or re-base on the
    later release's cell); :class:`StaleVersion` when the baseline changed since it was
    read, :class:`BaselineRefused` when the cell was not revised there."""
    with transaction.atomic():
        locked = Baseline.objects.select_for_update().get(pk=baseline.pk)
        if locked.version != version:
            raise StaleVersion
        found = revision(locked, release_name)
        if not found.revised or found.cell is None:
            raise BaselineRefused(
                {
                    "release": f"Release: {found.release} did not revise this baseline "
                    f"({found.note}); there is nothing to decide."
                }
            )
        made = BaselineDecision.objects.create(
            workspace=locked.workspace,
            baseline=locked,
            decision=decision,
            release=found.release[:60],
            release_checksum=found.checksum[:80],
            pinned={**cell_of(locked).as_dict(), "release": locked.release},
            revised={**found.cell.as_dict(), "release": found.release},
            note=note,
            decided_by=user,
        )
        measure = locked.measure
        if decision == "rebase":
            ref = open_release(release_name)
            pin(measure, user, ref, found.cell, verb="re-based")
        else:
            version = claim_version(Baseline, locked.pk, locked.version)
            Baseline.objects.filter(pk=locked.pk).update(
                version=version, updated_by=user, updated_at=timezone.now()
            )
            record(
                locked.workspace,
                user,
                "kept",
                f"the baseline of “{measure}”",
                f"{locked.text}; release {locked.release} (revised in {found.release}: "
                f"{found.cell.text})",
            )
        return made
