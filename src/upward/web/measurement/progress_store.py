"""Progress on a release (issue 14, part 4): every population indicator of a workspace's
measurement plan, its pinned baseline beside the latest published year of the same cell
in one loaded release, classified by :func:`upward.analysis.progress.classify_progress`.

The cell is read with :func:`upward.web.measurement.baseline_store.read_cell` (the one
cell reader) and the baseline's own year with :func:`baseline_store.revision` (a revised
baseline is flagged, unless the coalition already decided about that release). Dollars are
compared in real terms. An indicator without a baseline is listed as such; so is one whose
cell the release does not publish. One shape, :class:`PlanProgress`, for the page, the
command line (``upward plan progress``) and the API. Reading changes nothing.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from upward.analysis.benchmark import BenchmarkSupport, claim_values
from upward.analysis.progress import (
    STATUS_WORDS,
    ChangeBeside,
    MedianPair,
    change_beside_medians,
    classify_progress,
    five_year_windows,
)
from upward.analysis.standing import place_words
from upward.analysis.uncertainty import Comparison, verdict_text
from upward.catalog import ALL_TYPE, UnknownName, Variable, get_catalog
from upward.explore import NATION, Geography, PeerChoiceError, PlaceNotFound
from upward.explore.shapes import Shape, copied
from upward.reports.numbers import difference_text, interval_text, measured_text
from upward.web.measurement import baseline_store
from upward.web.measurement.baseline_store import BaselineRefused, Cell, ReleaseRef
from upward.web.measurement.models import Baseline, Measure
from upward.web.strategy import priority_store
from upward.web.workspace import places
from upward.web.workspace.models import PeerSet, Workspace

NO_BASELINE = "no_baseline"
NOT_PUBLISHED = "not_published"
ROW_STATUS_WORDS = {
    **STATUS_WORDS,
    NO_BASELINE: "No baseline pinned",
    NOT_PUBLISHED: "Not published in this release",
}
"""Every status a row can have, in plain words (the analysis' statuses and two more)."""
GAP_DIRECTION = "context"
"""A gap between two groups has no better side by itself: its target gives one."""


SCOPES: tuple[str, ...] = ("peers", "state", "nation")
"""The places an indicator's change is set beside, in the order shown."""
MEDIAN_NOTE = "a median of places, treated as fixed: no sampling error"


class ContextChange(Shape):
    """The change of the peers', the state's or the nation's median over the same years
    (baseline year to latest year, same variable and group; dollars in real terms) beside
    the indicator's own change, and whether they differ at the 95% level."""

    scope: str
    """peers, state or nation."""
    name: str
    """'the peer set “Twin counties”', 'Minnesota counties', 'U.S. counties'."""
    basis: str
    """What the median rests on ('median of 3 of 5 counties: values not rated Weak, a
    pooled value once'), or why there is none."""
    baseline_median: float | None = None
    latest_median: float | None = None
    change: float | None = None
    """Latest median minus baseline median (for dollars, in dollars of the latest year)."""
    change_lb: float | None = None
    """The 95% CI of ``change``: none for a median of places, which is treated as fixed."""
    change_ub: float | None = None
    change_text: str = ""
    difference: float | None = None
    """The indicator's change minus this one; its CI is the indicator's change's."""
    difference_lb: float | None = None
    difference_ub: float | None = None
    p: float | None = None
    verdict: str = "no_data"
    """higher, lower, not_distinguishable (tested at 95%); no_test (no usable standard
    error: a zero-width or missing interval, a count); too_uncertain (Weak data, or a median
    resting mostly on Weak values: no conclusion); no_data."""
    words: str = ""
    result: str = ""
    """The test in a few words, for a table cell: 'not distinguishable from theirs (95%
    test, p = 0.071)', 'no conclusion: ...'."""
    difference_text: str = ""
    """'+$2,399 (95% CI −$207 to +$5,006)', or '' without a difference."""


class ProgressRow(Shape):
    """One indicator: its baseline, the release's latest value of the same cell, its target
    and its status. Every number travels with its year, release, 95% CI and quality."""

    measure: int
    title: str
    priority: str
    element: str
    geoid: str
    place: str
    variable: str
    variable_label: str
    group: str
    """'Everyone', one group, or 'A minus B' for the gap between two."""
    gap: bool = False
    """The gap between two groups: its values, target and CIs are differences."""
    status: str
    """met, improving, no_change, worsening, not_comparable, revised, changed, no_baseline
    or not_published."""
    status_words: str
    words: str
    """The status in a sentence: the two values, the tested change, the target."""
    first_comparable_year: int | None = None
    """The first year a valid comparison with the baseline is possible."""
    baseline_value: float | None = None
    baseline_lb: float | None = None
    baseline_ub: float | None = None
    baseline_quality: str = ""
    baseline_year: int | None = None
    baseline_release: str = ""
    baseline_text: str = ""
    latest_value: float | None = None
    latest_lb: float | None = None
    latest_ub: float | None = None
    latest_quality: str = ""
    latest_year: int | None = None
    latest_release: str = ""
    latest_text: str = ""
    change: float | None = None
    """Latest minus baseline (for dollars, in dollars of the latest year)."""
    change_lb: float | None = None
    change_ub: float | None = None
    target_value: float | None = None
    """As set, in the baseline year's units (dollars of the baseline year)."""
    target_text: str = ""
    revised_text: str = ""
    """The baseline's cell as this release publishes it, when it revised it."""
    peer_set: str = ""
    """Which peers the change is set beside: a saved peer set, or the peer finder's default."""
    context: tuple[ContextChange, ...] = ()
    """The change beside the peers', the state's and the nation's (when comparable)."""


class PlanProgress(Shape):
    """A workspace's indicators on one loaded release."""

    workspace: str
    release: str
    """The release the latest values were read from."""
    release_checksum: str
    rows: tuple[ProgressRow, ...]

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for row in self.rows:
            found[row.status] = found.get(row.status, 0) + 1
        return found


CONTEXT_COLUMNS = ("change", "difference", "difference_lb", "difference_ub", "p", "verdict",
                   "words")  # fmt: skip
CSV_COLUMNS: tuple[str, ...] = tuple(f for f in ProgressRow.model_fields if f != "context") + tuple(
    f"{scope}_{column}" for scope in SCOPES for column in CONTEXT_COLUMNS
)
"""The CSV's columns: a row's fields, then each context's change flattened."""


def csv_row(row: ProgressRow) -> dict[str, Any]:
    """One row for the CSV: its fields, and ``peers_change``, ``state_verdict``, ..."""
    out = row.model_dump(exclude={"context"})
    for found in row.context:
        out |= {f"{found.scope}_{c}": getattr(found, c) for c in CONTEXT_COLUMNS}
    return out


class UnknownProgressRelease(ValueError):
    """The release asked for is not loaded; the message says so."""


def _variable(name: str) -> Variable | None:
    try:
        return get_catalog().variable(name) if name else None
    except (UnknownName, LookupError):
        return None


class PinnedBaseline(Shape):
    """A baseline as pinned, frozen: the cell it reads (place, variable, group or gap) and
    what it read there (year, value, 95% CI, quality, the text), from which release."""

    geoid: str
    variable: str
    breakdown: str = ""
    subgroup: str = ""
    versus: str = ""
    year: int
    value: float
    lb: float | None = None
    ub: float | None = None
    quality: str = ""
    text: str = ""
    release: str
    release_checksum: str = ""


class Indicator(Shape):
    """One population indicator as progress reads it, frozen and storable (a published
    plan keeps ``model_dump(mode="json")`` of each and reads them back with
    ``Indicator.model_validate``): :func:`indicator_row` needs nothing else."""

    measure: int
    title: str
    priority: str
    """The title of the priority the indicator's element belongs to."""
    element: str
    """The title of the logic-model element it measures."""
    geoid: str
    place: str
    variable: str
    breakdown: str = ""
    subgroup: str = ""
    versus: str = ""
    baseline: PinnedBaseline | None = None
    target_value: float | None = None
    """As set, in the baseline year's units (dollars of the baseline year)."""
    decided_releases: tuple[str, ...] = ()
    """The releases the coalition already decided about (keep or re-base) for this
    baseline: a revision in one of them is no longer flagged."""
    peer_set: str = ""
    """The name of the saved peer set the change is set beside ('': the peer finder's
    default peers of the place in the release read)."""
    peers: tuple[str, ...] = ()
    """The saved set's places of the same kind; with no saved set, the peer finder's
    default peers kept for good (see ``peers_release``), or empty: found anew in the
    release read."""
    peers_release: str = ""
    """The release the peer finder found ``peers`` in, when they are its default peers kept
    for good: by a peer-median target computed from them, or by publishing ('' for a saved
    set, and for a draft's default peers, found anew in the release read)."""
    peers_of_target: bool = False
    """``peers`` are those the indicator's peer-median target was computed from."""
    peers_frozen_in: int | None = None
    """The number of the published version that froze the peer finder's peers (None in a
    draft, with a saved set, and in a version published before peers were frozen)."""


def saved_peers(geoid: str, peer_sets: Iterable[PeerSet]) -> tuple[str, tuple[str, ...]]:
    """The saved peer set a place's change is set beside, as the workspace's peer pages
    open it: the first (by name) saved for that place, else the first saved for no place
    that holds places of its kind; ('', ()) when there is none (the default peers)."""
    usable = []
    for ps in peer_sets:
        members = tuple(g for g in ps.geoids if len(g) == len(geoid) and g != geoid)
        if members and ps.place in (geoid, ""):
            usable.append((ps.place != geoid, ps.name, members))
    if not usable:
        return "", ()
    _other, name, members = min(usable)
    return name, members


def target_peers(target: Any) -> dict[str, Any]:
    """The :class:`Indicator` fields of the peers a peer-median target was computed from
    (kept in its parameters when it was set); {} for another target, or none."""
    params = getattr(target, "parameters", None) or {}
    found = params.get("peers")
    if getattr(target, "method", "") != "benchmark" or params.get("benchmark") != "peers":
        return {}
    if not isinstance(found, list) or not params.get("peers_release"):
        return {}  # set before targets kept their peers: the default peers, found anew
    return {"peers": tuple(found), "peers_release": str(params["peers_release"]),
            "peers_of_target": True}  # fmt: skip


def indicator_of(measure: Measure, peer_sets: Iterable[PeerSet] | None = None) -> Indicator:
    """The frozen :class:`Indicator` of a population indicator (its baseline, target and
    the baseline's decisions read as they are now; its peers from ``peer_sets``, default
    the workspace's saved sets, see :func:`saved_peers`; with no saved set, those its
    peer-median target was computed from, see :func:`target_peers`)."""
    sets = measure.workspace.peer_sets.all() if peer_sets is None else peer_sets
    peer_set, peers = saved_peers(measure.geoid, sets)
    baseline: Baseline | None = getattr(measure, "baseline", None)
    target = getattr(measure, "target", None)
    kept = {"peers": peers} if peer_set else {"peers": peers, **target_peers(target)}
    pinned = None
    if baseline is not None:
        pinned = copied(PinnedBaseline, baseline)
    return Indicator(
        measure=measure.pk,
        title=measure.title,
        priority=measure.element.priority.title,
        element=measure.element.title,
        geoid=measure.geoid,
        place=places.place_name(measure.geoid) if measure.geoid else "",
        variable=measure.variable,
        breakdown=measure.breakdown,
        subgroup=measure.subgroup,
        versus=measure.versus,
        baseline=pinned,
        target_value=target.value if target is not None else None,
        decided_releases=tuple(d.release for d in baseline.decisions.all())
        if baseline is not None
        else (),
        peer_set=peer_set,
        **kept,
    )


def _group(spec: Indicator | PinnedBaseline) -> str:
    if spec.versus:
        return f"{spec.subgroup} minus {spec.versus}"
    return spec.subgroup or "Everyone"


def _row_head(indicator: Indicator, variable: Variable | None) -> dict[str, Any]:
    return {
        "measure": indicator.measure,
        "title": indicator.title,
        "priority": indicator.priority,
        "element": indicator.element,
        "geoid": indicator.geoid,
        "place": indicator.place,
        "variable": indicator.variable,
        "variable_label": variable.label if variable is not None else indicator.variable,
        "group": _group(indicator),
        "gap": bool(indicator.versus),
    }


def _cell_fields(which: str, cell: Cell, release: str) -> dict[str, Any]:
    """A row's ``baseline_*`` or ``latest_*`` fields from a cell of ``release``."""
    values = {"value": cell.value, "lb": cell.lb, "ub": cell.ub, "quality": cell.quality,
              "year": cell.year, "release": release, "text": cell.text}  # fmt: skip
    return {f"{which}_{name}": value for name, value in values.items()}


def _target_text(variable: Variable, value: float, baseline: PinnedBaseline) -> str:
    """'8.2%', '$28,000 (dollars of 2023)', or for a gap a difference: '+1.2 points'."""
    text = measured_text(variable, value, bool(baseline.versus))
    if variable.unit == "dollars":
        text += f" (dollars of {baseline.year})"
    return text


def _revised_cell(indicator: Indicator, release_name: str, ref: ReleaseRef) -> Cell | None:
    """The release's value of the baseline's cell when it revised it and the coalition has
    not yet decided about that release (keep or re-base)."""
    assert indicator.baseline is not None
    found = baseline_store.undecided_revision(
        indicator.baseline, release_name, indicator.decided_releases, ref=ref
    )
    return found.cell if found is not None else None


@dataclass(frozen=True)
class _PeerCell:
    """A peer's cell as :func:`upward.analysis.benchmark.claim_values` reads it."""

    geoid: str
    year: int
    value: float | None
    lb: float | None
    ub: float | None
    quality: str | None
    variable: str = ""
    subgroup_type: str = ""
    subgroup: str = ""
    status: str = ""


def _default_peers(ref: ReleaseRef, geo: Geography) -> tuple[str, ...]:
    """The peer finder's default peers of ``geo`` in the release (kept with the release)."""

    def find() -> tuple[str, ...]:
        try:
            return ref.release.peers(geo)[1].members
        except (PeerChoiceError, ValueError, LookupError):
            return ()

    return ref.release.keep("progress_peers", geo.geoid, find, size=512)


def with_frozen_peers(indicator: Indicator, ref: ReleaseRef | None, number: int) -> Indicator:
    """``indicator`` as the published version ``number`` keeps it: without a saved peer
    set, its peers fixed for good (the peer finder's default peers of its place in ``ref``,
    the release published on, unless its peer-median target kept some), so that a later
    release or peer finder does not change the version's peer comparison."""
    if indicator.peer_set or indicator.baseline is None:
        return indicator
    if indicator.peers_release:
        return indicator.model_copy(update={"peers_frozen_in": number})
    if ref is None:
        return indicator
    try:
        geo = ref.release.geography(indicator.baseline.geoid)
    except (PlaceNotFound, ValueError):
        return indicator
    return indicator.model_copy(update={
        "peers": _default_peers(ref, geo), "peers_release": ref.name, "peers_frozen_in": number
    })  # fmt: skip


def peers_words(indicator: Indicator, members: tuple[str, ...]) -> str:
    """Which peers the indicator's change is set beside, in words."""
    if indicator.peer_set:
        return f"the saved peer set “{indicator.peer_set}”"
    if not indicator.peers_release:
        return f"the {len(members)} nearest peers found by the peer finder (its default)"
    release = indicator.peers_release
    found = f"the {len(members)} nearest peers found by the peer finder in release {release}"
    if not members:
        found = f"no peers: the peer finder found none in release {release}"
    if indicator.peers_of_target:
        found += ", from which the target (the peers' median) was computed"
    if indicator.peers_frozen_in is not None:
        found += f", frozen when version {indicator.peers_frozen_in} was published"
    return found


def _peer_pair(
    indicator: Indicator, ref: ReleaseRef, geo: Geography, years: tuple[int, int]
) -> tuple[str, MedianPair]:
    """The peers' medians in the two years, and which peers they are, in words: the saved
    set's, the peers kept for good (by a peer-median target or a published version), else
    the peer finder's default peers in the release read."""
    spec = indicator.baseline
    assert spec is not None
    kept = indicator.peer_set or indicator.peers_release
    members = indicator.peers if kept else _default_peers(ref, geo)
    which = peers_words(indicator, members)
    by_year: dict[int, list[_PeerCell]] = {y: [] for y in years}
    for geoid in members:
        found = baseline_store.cells_in(ref.release, spec.model_copy(update={"geoid": geoid}),
                                        years)  # fmt: skip
        for year, cell in found.items():
            by_year[year].append(
                _PeerCell(geoid, year, cell.value, cell.lb, cell.ub, cell.quality or None)
            )
    medians = []
    for year in years:
        usable, support = claim_values(by_year[year])
        every = [c.value for c in by_year[year] if c.value is not None]
        medians.append((statistics.median(usable) if usable else None, support,
                        statistics.median(every) if every else None))  # fmt: skip
    (m0, s0, c0), (m1, s1, c1) = medians
    return which, MedianPair("the peer set", ("peer", "peers"), m0, m1, s0, s1, c0, c1)


def _scope_pair(
    ref: ReleaseRef, geo: Geography, scope: str, variable: Variable, years: tuple[int, int]
) -> MedianPair:
    """The state's or the nation's medians of the variable in the two years."""
    plural = place_words(geo.geo_level)[1]
    code, name = (geo.state_fips, f"{geo.state_name} {plural}") if scope == "state" else (
        NATION, f"U.S. {plural}")  # fmt: skip
    table = ref.release.scope_benchmarks(geo.geo_level, code)
    sides: list[tuple[float | None, BenchmarkSupport, float | None]] = []
    for year in years:
        bench = table.get((variable.name, year))
        if bench is None:
            sides.append((None, BenchmarkSupport(0, 0, 0, 0), None))
            continue
        support = BenchmarkSupport(bench.n, bench.n_weak, bench.n_pooled, bench.claim_n)
        sides.append((bench.claim_median, support, bench.median))
    (m0, s0, c0), (m1, s1, c1) = sides
    return MedianPair(name, place_words(geo.geo_level), m0, m1, s0, s1, c0, c1)


def _basis(pair: MedianPair, years: tuple[int, int]) -> str:
    """'medians of 3 of 5 counties in 2014 and 3 of 3 in 2023 (values not rated Weak, a
    pooled value once)', or the medians of every value when those bear no claim."""
    sides = tuple(zip(years, (pair.earlier_support, pair.later_support), strict=True))
    if any(support.n == 0 for _year, support in sides):
        missing = next(year for year, support in sides if support.n == 0)
        return f"no published value to take a median of in {missing}"
    if pair.reason:
        parts = [f"{support.context(pair.kind)} in {year}" for year, support in sides]
        return f"medians of every value ({' and '.join(parts)}): context only; {MEDIAN_NOTE}"
    (y0, s0), (y1, s1) = sides
    return (f"medians of {s0.claim_n:,} of {s0.n:,} {pair.kind[1]} in {y0} and "
            f"{s1.claim_n:,} of {s1.n:,} in {y1}, values not rated Weak, a pooled value once; "
            f"{MEDIAN_NOTE}")  # fmt: skip


def _change_words(variable: Variable, tested: Comparison) -> str:
    """'+$2,399 (95% CI −$207 to +$5,006)'; '' without a difference."""
    if tested.difference is None:
        return ""
    text = difference_text(variable, tested.difference) or "0"
    return text + (f" (95% CI {interval_text(variable, tested.ci)})" if tested.ci else "")


def _result(difference: Comparison, direction: str, pair: MedianPair) -> str:
    """The test of the difference of changes in a few words (the words say it all)."""
    if difference.verdict == "too_uncertain" and pair.reason:
        return ("no conclusion: in one of the two years the median rests on too few values "
                "not rated Weak")  # fmt: skip
    return verdict_text(difference, direction, "theirs")


def _context_change(
    scope: str, pair: MedianPair, beside: ChangeBeside, variable: Variable,
    years: tuple[int, int], direction: str,
) -> ContextChange:  # fmt: skip
    reason = pair.reason
    earlier = pair.earlier if not reason else pair.earlier_context
    later = pair.later if not reason else pair.later_context
    change, difference = beside.change, beside.difference
    ci, dci = change.ci, difference.ci
    text = ""
    if change.difference is not None:
        text = difference_text(variable, change.difference) or "0"
        text += f" (95% CI {interval_text(variable, ci)})" if ci else ""
    return ContextChange(
        scope=scope,
        name=pair.name,
        basis=_basis(pair, years),
        baseline_median=earlier,
        latest_median=later,
        change=change.difference,
        change_lb=ci[0] if ci else None,
        change_ub=ci[1] if ci else None,
        change_text=text,
        difference=difference.difference,
        difference_lb=dci[0] if dci else None,
        difference_ub=dci[1] if dci else None,
        p=difference.p,
        verdict=difference.verdict,
        words=beside.words,
        result=_result(difference, direction, pair),
        difference_text=_change_words(variable, difference),
    )


def _group_scope(scope: str, geo: Geography) -> ContextChange:
    plural = place_words(geo.geo_level)[1]
    name = f"{geo.state_name} {plural}" if scope == "state" else f"U.S. {plural}"
    return ContextChange(
        scope=scope,
        name=name,
        basis="no median of a group (or of a gap between groups) is published",
        words=f"Not compared with {name}: the release publishes their medians for everyone "
        "only, not for a group or a gap between groups.",
    )


def context_changes(
    indicator: Indicator, ref: ReleaseRef, place_change: Comparison, years: tuple[int, int],
    variable: Variable, direction: str,
) -> tuple[str, tuple[ContextChange, ...]]:  # fmt: skip
    """The indicator's change beside the peers', the state's and the nation's over the same
    ``years``, and which peers (:func:`upward.analysis.progress.change_beside_medians`)."""
    spec = indicator.baseline
    assert spec is not None
    try:
        geo = ref.release.geography(spec.geoid)
    except (PlaceNotFound, ValueError):
        return "", ()
    which, peers = _peer_pair(indicator, ref, geo, years)
    pairs: list[tuple[str, MedianPair]] = [("peers", peers)]
    everyone = not spec.breakdown and not spec.subgroup and not spec.versus
    if everyone:
        pairs += [(s, _scope_pair(ref, geo, s, variable, years)) for s in ("state", "nation")]
    besides = change_beside_medians(
        place_change, [p for _s, p in pairs], years, direction, variable
    )
    found = [
        _context_change(scope, pair, beside, variable, years, direction)
        for (scope, pair), beside in zip(pairs, besides, strict=True)
    ]
    if not everyone:
        found += [_group_scope(s, geo) for s in ("state", "nation")]
    return which, tuple(found)


def indicator_row(
    indicator: Indicator, ref: ReleaseRef, release_name: str = baseline_store.CURRENT
) -> ProgressRow:
    """One population indicator's progress in the release ``ref``."""
    variable = _variable(indicator.variable)
    head = _row_head(indicator, variable)
    baseline = indicator.baseline
    if baseline is None or variable is None:
        return ProgressRow(
            **head,
            status=NO_BASELINE,
            status_words=ROW_STATUS_WORDS[NO_BASELINE],
            words="No baseline is pinned yet: pin one from a loaded release to follow progress.",
        )
    pinned = baseline_store.cell_of(baseline)
    fields = {**head, **_cell_fields("baseline", pinned, baseline.release)}
    target = indicator.target_value
    if target is not None:
        fields |= {"target_value": target,
                   "target_text": _target_text(variable, target, baseline)}  # fmt: skip
    try:
        latest = baseline_store.read_cell(ref.release, baseline)
    except BaselineRefused as refused:
        return ProgressRow(
            **fields,
            status=NOT_PUBLISHED,
            status_words=ROW_STATUS_WORDS[NOT_PUBLISHED],
            words=f"{refused.errors.get('variable', str(refused)).removeprefix('Measure: ')} "
            f"(release {ref.name}).",
        )
    fields |= _cell_fields("latest", latest, ref.name)
    revised = _revised_cell(indicator, release_name, ref)
    if revised is not None:
        fields["revised_text"] = revised.text
    if latest.year < baseline.year:
        first = baseline.year + 1
        return ProgressRow(
            **fields,
            status="not_comparable",
            status_words=ROW_STATUS_WORDS["not_comparable"],
            first_comparable_year=first,
            words=f"Release {ref.name} publishes this cell only up to {latest.year}, before "
            f"the {baseline.year} baseline: no comparison is possible in it.",
        )
    metric = get_catalog().metric(variable.metric_id)
    gap = bool(baseline.versus)
    progress = classify_progress(
        pinned.estimate(variable, gap),
        baseline.year,
        latest.estimate(variable, gap),
        latest.year,
        GAP_DIRECTION if gap else variable.direction,
        target=target,
        five_year=five_year_windows(metric, baseline.breakdown or ALL_TYPE),
        revised_baseline=revised.estimate(variable, gap) if revised is not None else None,
        variable=variable,
        gap=gap,
    )
    change = progress.change
    ci = change.ci
    if latest.year >= progress.first_comparable_year:
        years = (baseline.year, latest.year)
        direction = GAP_DIRECTION if gap else variable.direction
        fields["peer_set"], fields["context"] = context_changes(
            indicator, ref, change, years, variable, direction
        )
    return ProgressRow(
        **fields,
        status=progress.status,
        status_words=progress.status_words,
        words=progress.words,
        first_comparable_year=progress.first_comparable_year,
        change=change.difference,
        change_lb=ci[0] if ci else None,
        change_ub=ci[1] if ci else None,
    )


def change_text(row: ProgressRow) -> str:
    """'+$861 (95% CI −$1,600 to +$3,300)', or '' without a change."""
    variable = _variable(row.variable)
    if row.change is None or variable is None:
        return ""
    text = difference_text(variable, row.change) or "0"
    if row.change_lb is not None and row.change_ub is not None:
        text += f" (95% CI {interval_text(variable, (row.change_lb, row.change_ub))})"
    return text


def open_progress_release(release_name: str | None) -> tuple[str, ReleaseRef]:
    """The release's name as asked (default: the current one) and the loaded release;
    :class:`UnknownProgressRelease` when it is not loaded."""
    name = baseline_store.default_release() if release_name is None else release_name
    try:
        return name, baseline_store.open_release(name)
    except BaselineRefused as refused:
        message = refused.errors.get("release", str(refused)).removeprefix("Release: ")
        raise UnknownProgressRelease(message) from None


def rows_of(
    indicators: Iterable[Indicator], release_name: str | None = None, *, workspace: str = "",
    opened: tuple[str, ReleaseRef] | None = None,
) -> PlanProgress:  # fmt: skip
    """Frozen ``indicators`` (say, a published plan's) on the loaded release
    ``release_name`` (default: the current one); :class:`UnknownProgressRelease` when it
    is not loaded. ``opened``: :func:`open_progress_release`'s answer, already read."""
    name, ref = opened if opened is not None else open_progress_release(release_name)
    rows = tuple(indicator_row(i, ref, name) for i in indicators)
    return PlanProgress(
        workspace=workspace, release=ref.name, release_checksum=ref.checksum, rows=rows
    )


def indicators(workspace: Workspace) -> list[Measure]:
    """The workspace's population indicators on Mobility Metrics, in plan order (the
    priorities as ranked, then each logic model's elements in order)."""
    found = (
        Measure.objects.filter(workspace=workspace, kind="population", local_series__isnull=True)
        .exclude(variable="")
        .select_related("element__priority", "baseline", "target")
        .prefetch_related("baseline__decisions")
        .order_by("element__position", "element_id", "id")
    )
    rank = {p.pk: i for i, p in enumerate(priority_store.ordered(workspace))}
    in_order = sorted(found, key=lambda m: rank.get(m.element.priority_id, len(rank)))
    return [m for m in in_order if m.reads_metrics]


def workspace_indicators(workspace: Workspace) -> list[Indicator]:
    """The workspace's population indicators, frozen (:func:`indicator_of`), in plan order."""
    peer_sets = list(workspace.peer_sets.all())
    return [indicator_of(m, peer_sets) for m in indicators(workspace)]


def plan_progress(workspace: Workspace, release_name: str | None = None) -> PlanProgress:
    """Every indicator of ``workspace`` on the loaded release ``release_name`` (default:
    the current one); :class:`UnknownProgressRelease` when it is not loaded."""
    return rows_of(workspace_indicators(workspace), release_name, workspace=workspace.slug)
