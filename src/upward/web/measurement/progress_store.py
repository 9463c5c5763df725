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

from collections.abc import Iterable
from typing import Any

from upward.analysis.progress import STATUS_WORDS, classify_progress, five_year_windows
from upward.catalog import ALL_TYPE, UnknownName, Variable, get_catalog
from upward.explore.shapes import Shape, copied
from upward.reports.numbers import format_value
from upward.web.explorer.analysis_page import difference_text, interval_text
from upward.web.measurement import baseline_store
from upward.web.measurement.baseline_store import BaselineRefused, Cell, ReleaseRef
from upward.web.measurement.models import Baseline, Measure
from upward.web.strategy import priority_store
from upward.web.workspace import places
from upward.web.workspace.models import Workspace

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


CSV_COLUMNS: tuple[str, ...] = tuple(ProgressRow.model_fields)


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


def indicator_of(measure: Measure) -> Indicator:
    """The frozen :class:`Indicator` of a population indicator (its baseline, target and
    the baseline's decisions read as they are now)."""
    baseline: Baseline | None = getattr(measure, "baseline", None)
    target = getattr(measure, "target", None)
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
    }


def _cell_fields(which: str, cell: Cell, release: str) -> dict[str, Any]:
    """A row's ``baseline_*`` or ``latest_*`` fields from a cell of ``release``."""
    values = {"value": cell.value, "lb": cell.lb, "ub": cell.ub, "quality": cell.quality,
              "year": cell.year, "release": release, "text": cell.text}  # fmt: skip
    return {f"{which}_{name}": value for name, value in values.items()}


def _target_text(variable: Variable, value: float, baseline: PinnedBaseline) -> str:
    text = format_value(variable, value)
    if variable.unit == "dollars":
        text += f" (dollars of {baseline.year})"
    return text


def _revised_cell(indicator: Indicator, release_name: str, ref: ReleaseRef) -> Cell | None:
    """The release's value of the baseline's cell when it revised it and the coalition has
    not yet decided about that release (keep or re-base)."""
    assert indicator.baseline is not None
    try:
        found = baseline_store.revision(indicator.baseline, release_name, ref=ref)
    except BaselineRefused:
        return None
    if not found.revised or found.release in indicator.decided_releases:
        return None
    return found.cell


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
        pinned.estimate(variable),
        baseline.year,
        latest.estimate(variable),
        latest.year,
        GAP_DIRECTION if gap else variable.direction,
        target=target,
        five_year=five_year_windows(metric, baseline.breakdown or ALL_TYPE),
        revised_baseline=revised.estimate(variable) if revised is not None else None,
        variable=variable,
    )
    change = progress.change
    ci = change.ci
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
    indicators: Iterable[Indicator], release_name: str | None = None, *, workspace: str = ""
) -> PlanProgress:
    """Frozen ``indicators`` (say, a published plan's) on the loaded release
    ``release_name`` (default: the current one); :class:`UnknownProgressRelease` when it
    is not loaded."""
    name, ref = open_progress_release(release_name)
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
    return [indicator_of(m) for m in indicators(workspace)]


def plan_progress(workspace: Workspace, release_name: str | None = None) -> PlanProgress:
    """Every indicator of ``workspace`` on the loaded release ``release_name`` (default:
    the current one); :class:`UnknownProgressRelease` when it is not loaded."""
    return rows_of(workspace_indicators(workspace), release_name, workspace=workspace.slug)
