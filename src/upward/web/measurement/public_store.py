"""The public progress page of a published plan (issue 14, part 8): only what the
coalition published, read on the current release.

:func:`public_progress` reads the latest published version's frozen indicators on the
release the server answers from now (:func:`upward.web.measurement.progress_store.rows_of`,
the one progress classifier) and its frozen actions. :class:`PublicProgress` is the one
shape of the page's ``.json`` twin; its ``.csv`` twin is the indicator rows. The page's
words and numbers are in the request's language (English or Spanish): :func:`indicator_view`
turns a row into what the page shows, inside :func:`upward.web.knowledge.i18n.public_language`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from markupsafe import Markup

from upward.catalog import UnknownName, Variable, get_catalog
from upward.explore.shapes import Shape
from upward.planning.strategy import ELEMENT_KINDS
from upward.reports import number_line
from upward.reports.action_plan import PlanDocument
from upward.reports.charts import Point
from upward.reports.numbers import difference_text, format_number, measured_bounds, measured_text
from upward.web.measurement import progress_store
from upward.web.measurement.models import PlanVersion
from upward.web.measurement.progress_store import Indicator, ProgressRow


class PublicAction(Shape):
    """An action or milestone as published: never a member's name or email."""

    title: str
    strategy: str
    kind: str
    """action or milestone"""
    status: str
    """not_started, in_progress, blocked, done or dropped"""
    percent: int
    start_date: str | None = None
    due_date: str | None = None
    overdue: bool = False
    """Open and past its due date when the plan was published."""
    owner: str = ""
    """A stakeholder organization's name, or empty."""


class PublicProgress(Shape):
    """A published plan's indicators on the current release, and its actions."""

    workspace: str
    coalition: str
    version: int
    published_at: datetime
    checksum: str
    """SHA-256 of the published version's frozen content."""
    plan_release: str
    """The release pinned when the plan was published."""
    plan_release_checksum: str
    release: str
    """The release the latest values are read from (the current one)."""
    release_checksum: str
    indicators: tuple[ProgressRow, ...]
    actions: tuple[PublicAction, ...]
    open_problems: tuple[str, ...]
    """What the coalition confirmed was unresolved when it published."""


CSV_COLUMNS = progress_store.CSV_COLUMNS
NO_CHANGE_SHOWN = frozenset({"not_comparable", "no_baseline", "not_published"})
"""Statuses whose change is not shown: no valid comparison is possible."""


def public_progress(version: PlanVersion) -> PublicProgress:
    """``version``'s frozen indicators on the current release (an empty dashboard when no
    release is loaded), with its frozen actions."""
    indicators = [Indicator.model_validate(d) for d in version.indicators]
    try:
        found = progress_store.rows_of(indicators, workspace=version.workspace.slug)
        rows, release, checksum = found.rows, found.release, found.release_checksum
    except progress_store.UnknownProgressRelease:
        rows, release, checksum = (), "", ""
    return PublicProgress(
        workspace=version.workspace.slug,
        coalition=version.workspace.name,
        version=version.number,
        published_at=version.published_at,
        checksum=version.checksum,
        plan_release=version.release,
        plan_release_checksum=version.release_checksum,
        release=release,
        release_checksum=checksum,
        indicators=rows,
        actions=tuple(PublicAction.model_validate(a) for a in version.actions),
        open_problems=tuple(p["text"] for p in version.problems),
    )


def csv_rows(found: PublicProgress) -> list[dict[str, Any]]:
    """The ``.csv`` twin: the indicator rows as the progress CSV writes them."""
    return [progress_store.csv_row(row) for row in found.indicators]


# -- words and numbers in the page's language ------------------------------------------------


def status_words() -> dict[str, str]:
    """Each status in the active language (nothing is called good or bad in the noise)."""
    return {
        "met": _("Target met"),
        "improving": _("Improving (statistically)"),
        "no_change": _("Little or no detectable change"),
        "worsening": _("Getting worse (statistically)"),
        "not_comparable": _("Not yet comparable"),
        "revised": _("Baseline revised"),
        "changed": _("Changed (statistically), neither better nor worse"),
        "no_baseline": _("No baseline pinned"),
        "not_published": _("Not published in this release"),
    }


def status_meaning() -> dict[str, str]:
    """What each status means, in the active language."""
    return {
        "met": _("The latest value reaches the target."),
        "improving": _("A 95% test supports a change in the direction the coalition wants."),
        "no_change": _(
            "The change is within the uncertainty of the two estimates: "
            "it cannot be told from no change."
        ),
        "worsening": _("A 95% test supports a change away from the direction the coalition wants."),
        "not_comparable": _(
            "The survey years of the two estimates overlap: a valid comparison is "
            "possible from %(year)s."
        ),
        "revised": _(
            "A later release revised the baseline's value; the coalition has not yet decided "
            "to keep or re-base it."
        ),
        "changed": _("A 95% test supports a change; for this measure neither side is better."),
        "no_baseline": _("The coalition pinned no baseline for this indicator."),
        "not_published": _("The current release does not publish this value."),
    }


def element_kind_words() -> dict[str, str]:
    """A logic model's column, for one element of it, in the active language."""
    return {
        "input": _("input or resource"),
        "strategy": _("strategy"),
        "activity": _("activity"),
        "output": _("output"),
        "short": _("short-term outcome"),
        "medium": _("medium-term outcome"),
        "long": _("long-term outcome"),
        "result": _("population-level result"),
    }


_KIND_OF_LABEL = {label.lower(): kind for kind, label in ELEMENT_KINDS}


def _no_measure_place(problem: dict[str, Any]) -> tuple[str, str] | None:
    """(kind, priority) of an element without a measure: as frozen, or, for a version
    published before they were, read back from its frozen English text
    ('“Hire” (strategies, Jobs) has no measure.'); None when neither says."""
    if problem.get("priority") and problem.get("kind"):
        return str(problem["kind"]), str(problem["priority"])
    text, subject = str(problem.get("text", "")), str(problem.get("subject") or "")
    head, tail = f"“{subject}” (", ") has no measure."
    if not (text.startswith(head) and text.endswith(tail)):
        return None
    label, _comma, priority = text[len(head) : -len(tail)].partition(", ")
    kind = _KIND_OF_LABEL.get(label)
    return (kind, priority) if kind and priority else None


def open_problem_words(problem: dict[str, Any]) -> str:
    """A confirmed open problem in the active language (its frozen text when its kind is
    not known here). An element without a measure is named with its column and its
    priority: the same title can stand in several priorities' logic models."""
    kind = str(problem.get("key", "")).split(":", 1)[0]
    subject = problem.get("subject") or ""
    if kind == "no-measure":
        place = _no_measure_place(problem) if subject else None
        if place is None:
            return str(problem.get("text", ""))
        column, priority = place
        words = _("“%(subject)s” (%(kind)s, priority “%(priority)s”) has no measure.")
        return words % {"subject": subject, "priority": priority,
                        "kind": element_kind_words().get(column, column)}  # fmt: skip
    words = {
        "no-baseline": _("“%(subject)s” has no baseline."),
        "weak-baseline": _(
            "“%(subject)s”: the baseline is rated Weak; no conclusion can be drawn from it."
        ),
        "revised-baseline": _(
            "“%(subject)s”: a later release revised the baseline, and the coalition has not "
            "yet decided to keep or re-base it."
        ),
        "inside-noise": _(
            "“%(subject)s”: the target lies inside the noise (the data cannot tell reaching "
            "it from no change)."
        ),
    }
    if kind not in words or not subject:
        return str(problem.get("text", ""))
    return words[kind] % {"subject": subject}


def action_status_words() -> dict[str, str]:
    return {
        "not_started": _("Not started"),
        "in_progress": _("In progress"),
        "blocked": _("Blocked"),
        "done": _("Done"),
        "dropped": _("Dropped"),
    }


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def localized(text: str, lang: str) -> str:
    """A number as the page's language writes it: in Spanish the decimal mark is a comma
    and thousands are grouped with a point ('$27.251', '41,2 %')."""
    if lang != "es" or not text:
        return text
    swapped = _NUMBER.sub(lambda m: m.group(0).translate(str.maketrans(",.", ".,")), text)
    return re.sub(r"(\d)%", r"\1 %", swapped)


def _variable(name: str) -> Variable | None:
    try:
        return get_catalog().variable(name)
    except (UnknownName, LookupError):
        return None


@dataclass(frozen=True)
class Reading:
    """One number of the dashboard (baseline, latest or target) as the page shows it."""

    label: str
    value: str
    ci: str
    year: str
    release: str
    quality: str


def _in_words(text: str, lang: str) -> str:
    """A formatted number in the page's language: its marks, and 'points' translated."""
    return localized(text.replace(" points", " " + _("points")), lang)


def _ci(variable: Variable, lb: float | None, ub: float | None, lang: str, gap: bool) -> str:
    if lb is None or ub is None:
        return _("not published")
    if gap:  # a difference: '+0.2 points to +9.6 points'
        return _in_words(measured_bounds(variable, lb, ub, gap), lang).replace(" to ", " – ")
    return localized(f"{format_number(variable, lb)} – {format_number(variable, ub)}", lang)


def _quality(quality: str) -> str:
    return {"Strong": _("Strong"), "Marginal": _("Marginal"), "Weak": _("Weak")}.get(
        quality, quality or _("not rated")
    )


def _readings(row: ProgressRow, variable: Variable, lang: str) -> list[Reading]:
    """The baseline, latest value and target: levels, or for a gap differences."""
    gap = row.gap

    def shown(value: float) -> str:
        return _in_words(measured_text(variable, value, gap), lang)

    out = []
    if row.baseline_value is not None:
        out.append(Reading(
            _("Baseline"), shown(row.baseline_value),
            _ci(variable, row.baseline_lb, row.baseline_ub, lang, gap), str(row.baseline_year),
            row.baseline_release, _quality(row.baseline_quality),
        ))  # fmt: skip
    if row.latest_value is not None:
        out.append(Reading(
            _("Latest"), shown(row.latest_value),
            _ci(variable, row.latest_lb, row.latest_ub, lang, gap), str(row.latest_year),
            row.latest_release, _quality(row.latest_quality),
        ))  # fmt: skip
    if row.target_value is not None:
        out.append(Reading(
            _("Target"), shown(row.target_value), "—", "—", row.baseline_release, "—",
        ))  # fmt: skip
    return out


def _chart(row: ProgressRow, variable: Variable, readings: list[Reading]) -> Markup:
    """The baseline and the latest value, each with its CI, and the target on one number
    line; each row labelled with its value as the table beside writes it."""
    shown = {r.label: r.value for r in readings}
    baseline = (row.baseline_year, row.baseline_value, row.baseline_lb, row.baseline_ub)
    latest = (row.latest_year, row.latest_value, row.latest_lb, row.latest_ub)
    points = tuple(
        Point(f"{label} {year}: {shown[label]}", value, lb, ub)
        for label, (year, value, lb, ub) in ((_("Baseline"), baseline), (_("Latest"), latest))
        if value is not None
    )
    described = "; ".join(
        f"{r.label}: {r.value}"
        + (f" ({_('95% CI')} {r.ci})" if r.ci not in ("—", "") else "")
        + (f", {r.year}" if r.year != "—" else "")
        for r in readings
    )
    line = number_line.NumberLine(
        _("%(indicator)s: baseline, latest value and target") % {"indicator": row.title},
        described,
        points,
        "rate" if row.gap else variable.unit,
        row.target_value,
        f"{_('Target')}: {shown.get(_('Target'), '')}",
    )
    return number_line.svg(line, f"chart-{row.measure}")


@dataclass(frozen=True)
class IndicatorView:
    row: ProgressRow
    status: str
    meaning: str
    change: str
    readings: list[Reading]
    chart: Markup


def indicator_view(row: ProgressRow, lang: str) -> IndicatorView:
    """A dashboard row in the active language: status, readings, change and chart."""
    words, meaning = status_words(), status_meaning()
    explained = meaning.get(row.status, "")
    if row.status == "not_comparable":
        explained = explained % {"year": row.first_comparable_year or "—"}
    variable = _variable(row.variable)
    if variable is None:
        return IndicatorView(row, words.get(row.status, row.status_words), explained, "", [],
                             Markup(""))  # fmt: skip
    readings = _readings(row, variable, lang)
    change = ""
    if row.change is not None and row.status not in NO_CHANGE_SHOWN:
        change = difference_text(variable, row.change) or "0"
        if row.change_lb is not None and row.change_ub is not None:
            bounds = (difference_text(variable, row.change_lb) or "0",
                      difference_text(variable, row.change_ub) or "0")  # fmt: skip
            change += f" ({_('95% CI')} {bounds[0]} – {bounds[1]})"
        change = _in_words(change, lang)
    return IndicatorView(
        row, words.get(row.status, row.status_words), explained, change, readings,
        _chart(row, variable, readings),
    )  # fmt: skip


# -- the published document, summarized -------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    """What the public page shows of the frozen plan document: the coalition, its vision
    (paragraphs), its priorities and its strategies."""

    title: str
    coalition: str
    vision: tuple[str, ...]
    priorities: tuple[str, ...]
    strategies: tuple[str, ...]


def plan_summary(document: PlanDocument) -> PlanSummary:
    return PlanSummary(
        title=document.title,
        coalition=document.coalition,
        vision=document.direction.vision,
        priorities=tuple(p.title for p in document.conditions.priorities),
        strategies=tuple(s.name for s in document.direction.strategies),
    )


def localized_date(value: datetime, lang: str) -> str:
    """'2 December 2026', or '2 de diciembre de 2026' (in the active language)."""
    return date_format(localtime(value), r"j \d\e F \d\e Y" if lang == "es" else "j F Y")
