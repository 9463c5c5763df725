"""Targets of population indicators, from a pinned baseline: the benchmarks a target may
reach (the peers', the state and the national median of the baseline's release), the
other group a gap is closed toward, and saving a target with its minimum detectable change.

The statistics are :mod:`upward.analysis.targets`' (the minimum detectable change and the
five methods); this module only gathers what they need from the release and the record.
Dollar targets are in dollars of the baseline's year, like the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.analysis.targets import (
    TargetError,
    TargetProposal,
    minimum_detectable_change,
    no_mdc_reason,
    propose_target,
)
from upward.analysis.uncertainty import Estimate
from upward.catalog import ALL_LABEL, WEAK, Variable, get_catalog
from upward.explore import PeerChoiceError, PlaceAnalysis, PlaceNotFound
from upward.planning import measure as vocab
from upward.reports.numbers import format_value
from upward.web.measurement import baseline_store
from upward.web.measurement.models import Baseline, Measure, Target
from upward.web.strategy.priority_store import TOTAL
from upward.web.workspace.activity import record
from upward.web.workspace.versioning import StaleVersion, claim_version

SCOPE_LABELS = dict(vocab.BENCHMARK_SCOPES)


@dataclass(frozen=True)
class Benchmark:
    scope: str
    label: str
    median: float | None
    year: int | None
    text: str


def variable_of(baseline: Baseline) -> Variable:
    return get_catalog().variable(baseline.variable)


def estimate_of(baseline: Baseline) -> Estimate:
    return baseline_store.cell_of(baseline).estimate(variable_of(baseline), bool(baseline.versus))


def direction_of(baseline: Baseline) -> str:
    return variable_of(baseline).direction


def unit_note(baseline: Baseline) -> str:
    """'in dollars of 2023' for a dollar measure (real terms), else ''."""
    if variable_of(baseline).unit == "dollars":
        return (
            f"in dollars of {baseline.year} (real terms: later values are restated with the CPI-U)"
        )
    return ""


NO_BASELINE = "Pin the measure's baseline before setting a target."


def no_target_reason(baseline: Baseline | None) -> str:
    """Why no target may be set on ``baseline`` ('' when one may): none pinned yet, or a
    Weak one (with the suggestion of another variable or local data)."""
    if baseline is None:
        return NO_BASELINE
    if baseline.quality == WEAK:
        return vocab.WEAK_SUGGESTION
    return ""


def mdc_of(baseline: Baseline) -> tuple[float | None, str]:
    """The baseline's minimum detectable change, and why there is none ('' when there is)."""
    estimate = estimate_of(baseline)
    return minimum_detectable_change(estimate), no_mdc_reason(estimate)


def _analysis(baseline: Baseline) -> tuple[str, PlaceAnalysis] | None:
    """The place's analysis in the baseline's release (the current one when that is no
    longer loaded), with the release's name; None when there is none, and for a group or
    a gap (whose benchmarks are not published)."""
    if baseline.breakdown:
        return None
    try:
        ref = baseline_store.open_release(baseline.release)
    except baseline_store.BaselineRefused:
        try:
            ref = baseline_store.open_release(baseline_store.CURRENT)
        except baseline_store.BaselineRefused:
            return None
    try:
        return ref.name, ref.release.analysis(ref.release.geography(baseline.geoid))
    except (PlaceNotFound, ValueError, PeerChoiceError):
        return None


def benchmark_peers(baseline: Baseline) -> dict[str, Any]:
    """The peers the peers' median of :func:`benchmarks` is taken over (the peer finder's
    default peers of the place) and the release they were found in, as a peer-median
    target keeps them in its parameters ({} when there is no such median)."""
    opened = _analysis(baseline)
    if opened is None:
        return {}
    release, analysis = opened
    return {"peers": list(analysis.peer_set.members), "peers_release": release}


def benchmarks(baseline: Baseline) -> list[Benchmark]:
    """The peers', state and national medians of the baseline's variable in its release
    (for a value of everyone: a group or a gap has no such benchmark)."""
    opened = _analysis(baseline)
    if opened is None:
        return []
    analysis = opened[1]
    variable = variable_of(baseline)
    found = next((vc for vc in analysis.comparisons if vc.variable.name == variable.name), None)
    if found is None:
        return []
    out = []
    for scope, label in vocab.BENCHMARK_SCOPES:
        s = found.scope(scope)  # type: ignore[arg-type]
        median = None if s is None else s.median
        text = (
            "no median" if median is None else f"{format_value(variable, median)} in {found.year}"
        )
        out.append(Benchmark(scope, label, median, found.year, text))
    return out


def other_group(measure: Measure, baseline: Baseline, name: str) -> Estimate:
    """The estimate a gap is closed toward: for a gap measure, no gap (0, fixed); for one
    group, the other group's value in the same release and year (TargetError otherwise)."""
    if baseline.versus:
        return Estimate.benchmark(0.0)
    if not baseline.breakdown:
        raise TargetError(
            "method", "closing a gap needs a measure of one group (or of the gap between two)."
        )
    group = (name or TOTAL).strip()
    if group == baseline.subgroup:
        raise TargetError("other_group", "choose another group than the measure's own.")
    try:
        ref = baseline_store.open_release(baseline.release)
    except baseline_store.BaselineRefused as problem:
        raise TargetError("other_group", next(iter(problem.errors.values()))) from None
    spec = Measure(
        geoid=baseline.geoid,
        variable=baseline.variable,
        breakdown=baseline.breakdown,
        subgroup=group if group != TOTAL else ALL_LABEL,
    )
    try:
        cell = baseline_store.read_cell(ref.release, spec, baseline.year)
    except baseline_store.BaselineRefused:
        raise TargetError(
            "other_group",
            f"the release publishes no value of “{group}” in {baseline.year} for this place.",
        ) from None
    return cell.estimate(variable_of(baseline))


def propose(measure: Measure, baseline: Baseline, data: dict[str, Any]) -> TargetProposal:
    """The proposal of the form's ``data`` (TargetError names the field at fault)."""
    method = data["method"]
    estimate, variable = estimate_of(baseline), variable_of(baseline)
    kwargs: dict[str, Any] = {}
    if method == "percent":
        kwargs["percent"] = data.get("percent")
    elif method == "benchmark":
        scope = data.get("benchmark") or ""
        found = next((b for b in benchmarks(baseline) if b.scope == scope), None)
        if found is None or found.median is None:
            raise TargetError("benchmark", "this benchmark has no median for this measure here.")
        kwargs["benchmark"] = found.median
    elif method == "gap":
        share = data.get("share")
        kwargs["share"] = None if share is None else share / 100
        kwargs["other_group"] = other_group(measure, baseline, data.get("other_group") or "")
    elif method == "value":
        kwargs["value"] = data.get("value")
    return propose_target(
        method,
        estimate,
        variable.direction,
        variable=variable,
        baseline_year=baseline.year,
        gap=bool(baseline.versus),
        **kwargs,
    )


def parameters_of(data: dict[str, Any], baseline: Baseline | None = None) -> dict[str, Any]:
    """What the method was given, as the target keeps it; for the peers' median of
    ``baseline``'s release, also which peers it was taken over and that release
    (:func:`benchmark_peers`), so that progress sets the change beside the same peers."""
    names = {
        "percent": ("percent",),
        "benchmark": ("benchmark",),
        "gap": ("other_group", "share"),
        "value": ("value",),
    }
    found = {n: data.get(n) for n in names.get(data["method"], ())}
    if baseline is not None and found.get("benchmark") == "peers":
        found |= benchmark_peers(baseline)
    return found


def target_fields(
    baseline: Baseline, data: dict[str, Any], proposal: TargetProposal, confirmed_by: Any
) -> dict[str, Any]:
    """What a target records of an accepted ``proposal`` (``confirmed_by``: the owner who
    confirmed a target inside the noise, or None)."""
    assert proposal.value is not None
    return {
        "method": proposal.method, "parameters": parameters_of(data, baseline),
        "value": proposal.value, "mdc": proposal.mdc, "inside_noise": proposal.inside_noise,
        "words": proposal.words,
        "unit_note": unit_note(baseline), "baseline_release": baseline.release,
        "confirmed_by": confirmed_by,
        "confirmed_at": timezone.now() if confirmed_by is not None else None,
    }  # fmt: skip


def save_target(
    measure: Measure,
    baseline: Baseline,
    user: Any,
    data: dict[str, Any],
    proposal: TargetProposal,
    confirm: bool,
    expected: int | None = None,
) -> Target:
    """Save (or replace) the measure's target from an accepted proposal (in a transaction);
    the owner's confirmation of a target inside the noise is kept with who and when."""
    confirmed = confirm and proposal.inside_noise
    fields = {**target_fields(baseline, data, proposal, user if confirmed else None),
              "updated_by": user}  # fmt: skip
    target = baseline_store.replace_one(Target, measure, fields, expected)
    noise = " (inside the noise" + (", confirmed by the owner)" if confirmed else ")")
    record(
        measure.workspace,
        user,
        "set",
        f"the target of “{measure}”",
        proposal.words + (noise if proposal.inside_noise else ""),
    )
    return target


class NothingToConfirm(ValueError):
    """The target does not lie inside the noise: an owner has nothing to confirm."""


def confirm(target: Target, user: Any, expected: int) -> Target:
    """The owner's confirmation of a target that lies inside the noise, kept with who and
    when (as the target page's "I confirm" does); :class:`StaleVersion` when the target
    changed since it was read at ``expected``, :class:`NothingToConfirm` when it does not
    lie inside the noise. A target already confirmed stays as it is."""
    with transaction.atomic():
        locked = Target.objects.select_for_update().get(pk=target.pk)
        if locked.version != expected:
            raise StaleVersion
        if not locked.inside_noise:
            raise NothingToConfirm(
                "This target does not lie inside the noise (the data can detect it): "
                "there is nothing to confirm."
            )
        if locked.confirmed_at is not None:
            return locked
        version = claim_version(Target, locked.pk, expected)
        now = timezone.now()
        Target.objects.filter(pk=locked.pk).update(
            version=version, confirmed_by=user, confirmed_at=now, updated_by=user, updated_at=now
        )
        record(
            locked.workspace,
            user,
            "confirmed",
            f"the target of “{locked.measure}”",
            f"{locked.words} (inside the noise, confirmed by the owner)",
        )
        locked.refresh_from_db()
        return locked
