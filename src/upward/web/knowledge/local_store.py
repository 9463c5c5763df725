"""Local data in the workspace store: save an upload (values and the original file, all
or nothing), replace a series' data, delete a series with its file, and the panel of
local series set beside a predictor's national metric (:func:`local_panel`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename

from upward.analysis.uncertainty import Estimate
from upward.catalog import ALL_TYPE, get_catalog
from upward.planning import local_data as rules
from upward.planning.knowledge import LOCAL_GEOGRAPHY_KINDS
from upward.reports.numbers import format_in_unit
from upward.web.knowledge.models import LocalSeries, LocalValue
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import claim_version

BATCH = 5000
MAX_NAME = 120


def safe_filename(name: str) -> str:
    """A file name safe for storage and for a Content-Disposition header."""
    base = get_valid_filename(name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]) or "upload.csv"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, "csv"
    return f"{stem[:MAX_NAME]}.{ext[:8]}"


def _values(series: LocalSeries, rows: Iterable[rules.LocalRow]) -> None:
    batch = [
        LocalValue(series=series, row=r.row, geography_kind=r.geography_kind,
                   geography=r.geography, period=r.period, subgroup=r.subgroup,
                   value=r.value, lower=r.lower, upper=r.upper)
        for r in rows
    ]  # fmt: skip
    LocalValue.objects.bulk_create(batch, batch_size=BATCH)


def _store_file(series: LocalSeries, upload: UploadedFile) -> None:
    upload.seek(0)
    name = safe_filename(upload.name or "upload.csv")
    series.original.save(name, upload, save=False)
    series.original_name = name
    LocalSeries.objects.filter(pk=series.pk).update(
        original=series.original.name, original_name=name
    )


def _forget_file(name: str) -> None:
    """Delete a stored file by name (after the transaction that dropped it committed)."""
    if name:
        storage = LocalSeries._meta.get_field("original").storage  # type: ignore[attr-defined]
        storage.delete(name)


def save_upload(
    form: Any,
    workspace: Workspace,
    user: Any,
    parsed: rules.LocalParse,
    upload: UploadedFile,
    then: Callable[[LocalSeries], None] = lambda series: None,
) -> LocalSeries:
    """A new series from a valid form and a parsed file; ``then`` runs in the same
    transaction (the form's one-use token). On any failure nothing is kept: the database
    rolls back, and the file stored meanwhile is deleted."""
    stored = ""
    try:
        with transaction.atomic():
            series = form.save(commit=False)
            series.workspace = workspace
            series.updated_by = user
            series.ci_rule = parsed.ci_rule[:300]
            series.save()
            _values(series, parsed.rows)
            _store_file(series, upload)
            stored = series.original.name
            detail = f"{len(parsed.rows):,} rows from {series.original_name}"
            record(workspace, user, "added", f"local series “{series}”", detail)
            then(series)
    except BaseException:
        _forget_file(stored)
        raise
    return series


def replace_data(
    series: LocalSeries, expected: int, user: Any, parsed: rules.LocalParse, upload: UploadedFile
) -> LocalSeries:
    """The series' values and file replaced by a new file's (raises StaleVersion)."""
    old = series.original.name
    stored = ""
    try:
        with transaction.atomic():
            claim_version(LocalSeries, series.pk, expected)
            series.refresh_from_db()
            LocalValue.objects.filter(series=series).delete()
            _values(series, parsed.rows)
            _store_file(series, upload)
            stored = series.original.name
            LocalSeries.objects.filter(pk=series.pk).update(
                ci_rule=parsed.ci_rule[:300], updated_by=user
            )
            detail = f"{len(parsed.rows):,} rows from {series.original_name}"
            record(series.workspace, user, "replaced the data of", f"local series “{series}”",
                   detail)  # fmt: skip
            transaction.on_commit(lambda: _forget_file(old))
    except BaseException:
        _forget_file(stored)
        raise
    series.refresh_from_db()
    return series


def forget_file_on_commit(series: LocalSeries) -> None:
    """Delete the series' stored file once the transaction deleting it commits."""
    name = series.original.name
    transaction.on_commit(lambda: _forget_file(name))


# -- beside the national metric -----------------------------------------------------------


@dataclass(frozen=True)
class NationalValue:
    label: str
    """The variable's label, e.g. 'Share of people employed'."""
    year: int
    value: str
    ci: str
    quality: str
    release: str


@dataclass(frozen=True)
class PanelRow:
    geography: str
    """The area as shown: a place's name, else the code or name from the file."""
    geography_kind: str
    period: str
    subgroup: str
    value: str
    ci: str
    national: NationalValue | None
    verdict: str
    """What may be said beside the national value ('' when there is none to compare)."""
    claims_difference: bool = False
    verdict_kind: str = ""
    """'different', 'not_distinguishable', 'not_tested', 'weak', 'units' or ''."""


@dataclass(frozen=True)
class PanelSeries:
    id: int
    name: str
    quality: str
    """Strong, Marginal or Weak."""
    source: str
    unit: str
    ci_rule: str
    rows: list[PanelRow]


@dataclass(frozen=True)
class LocalPanel:
    """The local series tagged to one predictor, with their latest values and what can be
    said of them beside the national metric."""

    predictor_id: str
    series: list[PanelSeries]
    sentences: list[str]
    note: str = ""


MAX_ROWS_SHOWN = 12
QUALITY_WORDS = dict(rules.QUALITY_LABEL)
KIND_WORDS = dict(LOCAL_GEOGRAPHY_KINDS)


def _latest(values: Iterable[LocalValue]) -> list[LocalValue]:
    """The latest period of each (area, subgroup), overall rows first."""
    best: dict[tuple[str, str, str], LocalValue] = {}
    for v in values:
        key = (v.geography_kind, v.geography, v.subgroup)
        year = rules.end_year(v.period) or 0
        if key not in best or (year, v.period) > (rules.end_year(best[key].period) or 0,
                                                 best[key].period):  # fmt: skip
            best[key] = v
    return sorted(best.values(), key=lambda v: (v.subgroup != "", v.geography_kind != "place",
                                                v.geography, v.subgroup))  # fmt: skip


class _National:
    """The national metric's cells for the predictor, read once per place."""

    def __init__(self, predictor_id: str) -> None:
        from upward.explore import PlaceNotFound, WarehouseMissing
        from upward.web.data import get_release

        self.missing = (PlaceNotFound, WarehouseMissing, ValueError)
        self.catalog = get_catalog()
        self.metrics = [m for m in (self.catalog.metric(i) for i in
                        self.catalog.predictor(predictor_id).metric_ids)]  # fmt: skip
        self.get_release = get_release
        self.names: dict[str, str] = {}
        self.cells: dict[str, list[Any]] = {}
        self.note = ""

    def place_name(self, geoid: str) -> str:
        self._read(geoid)
        return self.names.get(geoid, geoid)

    def _read(self, geoid: str) -> None:
        if geoid in self.cells:
            return
        self.cells[geoid] = []
        try:
            release = self.get_release()
            geo = release.geography(geoid)
        except self.missing:
            self.note = "The national metrics are not loaded, so nothing is compared."
            return
        self.names[geoid] = geo.display_name
        self.release = release.release_name or release.version
        for metric in self.metrics:
            headline = metric.headline
            self.cells[geoid] += [
                (metric, headline, o) for o in release.series(geo, metric.id, ALL_TYPE)
                if o.variable == headline.name and o.value is not None
            ]  # fmt: skip

    def match(
        self, geoid: str, year: int | None, unit: str
    ) -> tuple[Any, Any, float | None] | None:
        """The headline cell in the same unit from the year nearest ``year`` (±1)."""
        self._read(geoid)
        found = []
        for _metric, variable, obs in self.cells[geoid]:
            factor = rules.unit_factor(unit, variable.unit, variable.unit_detail)
            if year is None or abs(obs.year - year) > 1:
                continue
            found.append((factor is None, abs(obs.year - year), -obs.year, variable, obs, factor))
        if not found:
            return None
        found.sort(key=lambda f: f[:3])
        _u, _d, _y, variable, obs, factor = found[0]
        return variable, obs, factor


def _national_value(variable: Any, obs: Any, release: str) -> NationalValue:
    from upward.reports.numbers import format_ci, format_value

    ci = format_ci(variable, obs.lb, obs.ub)
    return NationalValue(variable.label, obs.year, format_value(variable, obs.value), ci,
                         obs.quality or "not rated", release)  # fmt: skip


def _number(unit: str, value: float) -> str:
    """A local value in its unit: a share as a percent, dollars with $, else by size."""
    if rules.unit_factor(unit, "share") == 1.0:
        return format_in_unit("share", value)
    if rules.unit_factor(unit, "dollars") == 1.0:
        return format_in_unit("dollars", value)
    return format_in_unit("rate", value)


def _shown(unit: str, value: float) -> str:
    number = _number(unit, value)
    plain = rules.unit_factor(unit, "share") == 1.0 or rules.unit_factor(unit, "dollars") == 1.0
    return number if plain else f"{number} {unit}"


def _ci(unit: str, lower: float | None, upper: float | None) -> str:
    if lower is None or upper is None:
        return ""
    return f"95% CI {_number(unit, lower)}–{_number(unit, upper)}"


def _row(series: LocalSeries, value: LocalValue, national: _National) -> PanelRow:
    shown = national.place_name(value.geography) if value.geography_kind == "place" else ""
    base = dict(geography=shown or value.geography, geography_kind=value.geography_kind,
                period=value.period, subgroup=value.subgroup,
                value=_shown(series.unit, value.value),
                ci=_ci(series.unit, value.lower, value.upper))  # fmt: skip
    if value.geography_kind != "place" or value.subgroup:
        return PanelRow(**base, national=None, verdict="")
    found = national.match(value.geography, rules.end_year(value.period), series.unit)
    if found is None:
        return PanelRow(**base, national=None, verdict="no national value within a year")
    variable, obs, factor = found
    estimate = Estimate.of(obs, variable)
    shown_national = _national_value(variable, obs, national.release)
    name = f"Urban's {obs.year} value of {shown_national.value}"
    verdict = rules.compare_local(value.value, value.lower, value.upper, series.quality,
                                  estimate, factor, name)  # fmt: skip
    text = verdict.text
    if verdict.kind == "units":
        text = f"not compared: the units differ ({series.unit}; Urban: {variable.unit})"
    return PanelRow(**base, national=shown_national,
                    verdict=text, claims_difference=verdict.claims_difference,
                    verdict_kind=verdict.kind)  # fmt: skip


def _sentences(series: list[PanelSeries]) -> list[str]:
    out: list[str] = []
    for s in series:
        if not s.rows or len(out) >= 3:
            continue
        r = s.rows[0]
        ci = f" ({r.ci})" if r.ci else ""
        where = f"{r.geography}" + (f", {r.subgroup}" if r.subgroup else "")
        text = f"{s.name} ({s.source}, rated {s.quality}): {r.value}{ci} in {where}, {r.period}"
        if r.national is not None and r.verdict_kind in ("different", "not_distinguishable"):
            text += f"; {r.verdict}"
        elif r.national is not None and r.verdict:
            text += f" (beside Urban's value: {r.verdict})"
        out.append(text + ".")
    return out[:3]


def local_panel(workspace: Workspace, predictor_id: str) -> LocalPanel:
    """Every local series of ``workspace`` tagged to ``predictor_id``, with the latest
    value of each area and, for the workspace's places, the national comparison."""
    national = _National(predictor_id)
    found = [
        s for s in LocalSeries.objects.filter(workspace=workspace).order_by("name")
        if predictor_id in (s.predictors or [])
    ]  # fmt: skip
    panel: list[PanelSeries] = []
    for s in found:
        latest = _latest(s.values.all())[:MAX_ROWS_SHOWN]
        rows = [_row(s, v, national) for v in latest]
        panel.append(PanelSeries(s.pk, s.name, QUALITY_WORDS.get(s.quality, s.quality), s.source,
                                 s.unit, s.ci_rule, rows))  # fmt: skip
    return LocalPanel(predictor_id, panel, _sentences(panel), national.note)
