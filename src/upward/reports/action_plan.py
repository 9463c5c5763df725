"""The Mobility Action Plan (MAP) as a document: plain frozen values (:class:`PlanDocument`
and its sections), their JSON shape, and the writers: HTML (a Jinja2 template in the
Review Guide's escaping environment), PDF (WeasyPrint from the HTML, tagged for assistive
technology) and Word (python-docx, :mod:`upward.reports.action_plan_docx`).

Every text in the document is already in words (numbers formatted with their unit, CI,
quality, year and release) when the document is assembled, so a published version that
stores :meth:`PlanDocument.as_dict` re-renders later exactly, without the catalog or the
release: ``PlanDocument.from_dict(json.loads(json.dumps(doc.as_dict()))) == doc``.

Two editions: ``technical`` (full tables with CIs, quality, minimum detectable changes and
method notes) and ``general`` (plain sentences and fewer tables; every number still with
its year, its CI and its quality in words, and no claim of change or difference that a
test does not support). Coalition text is escaped wherever it is written.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import types
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from markupsafe import Markup

from upward.catalog import WEAK
from upward.planning.measure import WEAK_SUGGESTION
from upward.reports import logic_model_diagram as lm
from upward.reports import number_line
from upward.reports.charts import Point
from upward.reports.documents import pdf_of
from upward.reports.numbers import QUALITY_MEANING
from upward.reports.review_guide import _environment

PlanFormat = Literal["html", "pdf", "docx"]
Edition = Literal["technical", "general"]
FORMATS: tuple[PlanFormat, ...] = ("html", "pdf", "docx")
EDITIONS: tuple[Edition, ...] = ("technical", "general")
EDITION_LABELS = {"technical": "Technical edition", "general": "Edition for a general audience"}
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}
FORMAT_NAME = "upward.action-plan"
SCHEMA = 1
TITLE = "Mobility Action Plan"


class BadDocument(ValueError):
    """A stored document that is not a PlanDocument of this shape."""


# -- values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A published number with what it travels with, already in words."""

    text: str
    """The value in its unit: '41.2%', '$53,447'."""
    value: float | None
    lb: float | None
    ub: float | None
    ci_text: str
    """'95% CI 39.0% to 43.4%', or '' when none is published."""
    quality: str
    """Strong, Marginal, Weak, or '' when none is published."""
    year: int | None
    release: str
    lb_text: str = ""
    ub_text: str = ""


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass(frozen=True)
class Person:
    name: str
    role: str


@dataclass(frozen=True)
class EngagementLine:
    title: str
    date: str
    kind: str
    level: str
    participants: int
    partners: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoalitionWork:
    """The coalition's work: its structure, readiness, people and engagement."""

    description: str = ""
    places: tuple[str, ...] = ()
    backbone: str = ""
    backbone_duties: str = ""
    advisory_members: tuple[str, ...] = ()
    advisory_cadence: str = ""
    advisory_purpose: str = ""
    workgroups: tuple[str, ...] = ()
    readiness_state: str = ""
    readiness_reason: str = ""
    readiness_met: int = 0
    readiness_total: int = 0
    members: tuple[Person, ...] = ()
    stakeholder_count: int = 0
    stakeholder_sectors: tuple[Tally, ...] = ()
    engagement_count: int = 0
    participants: int = 0
    engagement_levels: tuple[Tally, ...] = ()
    engagements: tuple[EngagementLine, ...] = ()


@dataclass(frozen=True)
class PriorityCondition:
    title: str
    place: str
    predictor: str
    pillar: str
    metric: str
    group: str
    value: Value | None
    comparisons: tuple[str, ...] = ()
    """Tested comparisons with peers, state and nation, in the release's words."""
    headline: str = ""
    rationale: str = ""
    note: str = ""


@dataclass(frozen=True)
class LocalSeriesLine:
    name: str
    unit: str
    source: str
    quality: str
    description: str = ""
    sentences: tuple[str, ...] = ()


@dataclass(frozen=True)
class FindingsPart:
    title: str
    pillar: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Conditions:
    """The summary of local mobility conditions."""

    priorities: tuple[PriorityCondition, ...] = ()
    local_series: tuple[LocalSeriesLine, ...] = ()
    coded_findings: int = 0
    findings_title: str = ""
    findings_introduction: tuple[str, ...] = ()
    findings: tuple[FindingsPart, ...] = ()


@dataclass(frozen=True)
class Theory:
    if_we: str
    then: str
    because: str
    assumptions: str = ""
    priorities: tuple[str, ...] = ()


@dataclass(frozen=True)
class StrategyLine:
    name: str
    description: str
    evidence: str
    """The evidence level in words."""
    needs_evaluation: bool
    evidence_note: str = ""
    lead: str = ""
    partners: tuple[str, ...] = ()
    workgroup: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Direction:
    """The community vision, theory of change, logic model and strategies."""

    vision: tuple[str, ...] = ()
    vision_version: int | None = None
    vision_status: str = ""
    """'Adopted on …', 'Draft, not adopted yet', or ''."""
    theories: tuple[Theory, ...] = ()
    models: tuple[lm.PriorityModel, ...] = ()
    model_status: str = ""
    strategies: tuple[StrategyLine, ...] = ()


@dataclass(frozen=True)
class TargetLine:
    value: float
    text: str
    method: str
    words: str
    """The target in one honest sentence (its distance from the baseline and the MDC)."""
    mdc: float | None
    mdc_text: str
    inside_noise: bool
    confirmed: bool = False
    unit_note: str = ""


@dataclass(frozen=True)
class Indicator:
    """A population indicator: baseline, target and what the data can detect."""

    title: str
    priority: str
    element: str
    place: str
    variable: str
    group: str
    baseline: Value | None
    target: TargetLine | None
    target_note: str = ""
    """Why there is no target (a Weak baseline, none pinned, none set)."""
    mdc_text: str = ""
    mdc_note: str = ""
    """Why there is no minimum detectable change, when there is none."""
    responsible: str = ""
    data_source: str = ""
    frequency: str = ""
    local: bool = False
    unit: str = "rate"
    """The unit of the chart's value scale: the variable's, or 'rate' (a scale without
    edges) for the gap between two groups and for a local series."""

    @property
    def weak(self) -> bool:
        """The baseline is rated Weak: the plan makes no target claim on it."""
        return self.baseline is not None and self.baseline.quality == WEAK

    @property
    def shown_target(self) -> TargetLine | None:
        """The target the document shows: none on a Weak baseline."""
        return None if self.weak else self.target

    @property
    def note(self) -> str:
        """Why no target is shown ('' when one is)."""
        if self.weak:
            return WEAK_SUGGESTION
        return "" if self.target is not None else (self.target_note or "No target set yet.")

    @property
    def chart(self) -> number_line.NumberLine | None:
        """The baseline with its CI, the target and the band of the minimum detectable
        change around the baseline, on one number line (none without a baseline)."""
        b = self.baseline
        if b is None or b.value is None:
            return None
        t = self.shown_target
        when = f" ({b.year})" if b.year else ""
        mdc = t.mdc if t else None
        return number_line.NumberLine(
            self.title,
            self.chart_words,
            (Point(f"Baseline{when}: {b.text}", b.value, b.lb, b.ub),),
            self.unit,
            t.value if t else None,
            f"Target: {t.text}" if t else "",
            (b.value - mdc, b.value + mdc) if mdc is not None else None,
        )

    @property
    def chart_words(self) -> str:
        """The chart in words (its ``alt`` and ``<desc>``)."""
        b, t = self.baseline, self.shown_target
        if b is None:
            return ""
        words = f"{self.title}: baseline {b.text}" + (f" in {b.year}" if b.year else "")
        if b.lb is not None and b.ub is not None:
            words += ", drawn with its 95% confidence interval"
        if t is None:
            words += "; no target set"
        else:
            words += f"; target {t.text}"
            if t.mdc is not None and b.value is not None:
                side = "inside" if abs(t.value - b.value) < t.mdc else "outside"
                words += f"; the target lies {side} the shaded band of changes too small to detect"
        return words + ". The table beside the chart gives the same numbers."


@dataclass(frozen=True)
class MeasureLine:
    """A performance or systems-change measure."""

    title: str
    kind: str
    priority: str
    element: str
    detail: str = ""
    """The question it answers (performance) or the condition it follows (systems change)."""
    description: str = ""
    milestones: tuple[str, ...] = ()
    data_source: str = ""
    frequency: str = ""
    responsible: str = ""


@dataclass(frozen=True)
class Measurement:
    indicators: tuple[Indicator, ...] = ()
    performance: tuple[MeasureLine, ...] = ()
    systems: tuple[MeasureLine, ...] = ()
    unmeasured: tuple[str, ...] = ()
    """Elements of the logic model without a measure yet."""


@dataclass(frozen=True)
class Funding:
    name: str
    amount: str
    status: str
    notes: str = ""

    def words(self, notes: bool = True) -> str:
        """'Foundation, $50,000.00 (pending; notes)': a source in the sustainability
        sentence (its notes only when ``notes``)."""
        extra = f"; {self.notes}" if notes and self.notes else ""
        return f"{self.name}, {self.amount or 'amount not stated'} ({self.status.lower()}{extra})"


@dataclass(frozen=True)
class ActionLine:
    title: str
    kind: str
    owner: str
    start: str
    due: str
    status: str
    percent: int
    flags: tuple[str, ...] = ()

    @property
    def dates(self) -> str:
        """'2026-03-03 to 2026-06-01', 'due 2026-06-01', 'from 2026-03-03' or 'no dates'."""
        if self.start and self.due:
            return f"{self.start} to {self.due}"
        if self.due:
            return f"due {self.due}"
        return f"from {self.start}" if self.start else "no dates"

    @property
    def progress(self) -> str:
        """'In progress (overdue), 20% done'; 'Done' and 'Not started' when the percent
        says no more than the status does."""
        flags = f" ({', '.join(self.flags)})" if self.flags else ""
        if (self.status, self.percent) in (("Done", 100), ("Not started", 0)):
            return f"{self.status}{flags}"
        return f"{self.status}{flags}, {self.percent}% done"


@dataclass(frozen=True)
class StrategyPlan:
    strategy: str
    responsible: tuple[str, ...] = ()
    resources: str = ""
    notes: str = ""
    funding: tuple[Funding, ...] = ()
    actions: tuple[ActionLine, ...] = ()


@dataclass(frozen=True)
class Learning:
    cadence: str
    questions: tuple[str, ...] = ()
    revisit_on: str = ""
    revisit_trigger: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Sustainability:
    strategies: tuple[StrategyPlan, ...] = ()
    learning: Learning | None = None


@dataclass(frozen=True)
class PartnerLine:
    name: str
    organization: str = ""
    sector: str = ""
    role: str = ""
    strategies: tuple[str, ...] = ()


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    meaning: str


GLOSSARY: tuple[GlossaryEntry, ...] = (
    GlossaryEntry(
        "Baseline",
        "The starting value of an indicator, pinned from one data "
        "release: its year, its confidence interval and its quality are kept with it.",
    ),
    GlossaryEntry(
        "Target", "Where the coalition aims an indicator, set by a stated method from the baseline."
    ),
    GlossaryEntry(
        "Confidence interval (95% CI)",
        "The range within which the true value "
        "very likely lies, given that the estimate comes from a sample. Two values "
        "whose difference a test at the 95% level does not support are called not "
        "distinguishable.",
    ),
    GlossaryEntry(
        "Quality: Strong",
        "Urban Institute's rating of an estimate with no substantial concerns about the data.",
    ),
    GlossaryEntry("Quality: Marginal", "An estimate with some limitations: use it with care."),
    GlossaryEntry(
        "Quality: Weak",
        "An estimate with serious limitations: no conclusion and no target is built on it.",
    ),
    GlossaryEntry(
        "Minimum detectable change",
        "The smallest change from the baseline that a "
        "test at the 95% level could tell apart from sampling noise; a target closer "
        "to the baseline than this lies inside the noise.",
    ),
    GlossaryEntry(
        "Real dollars",
        "Dollar amounts restated in dollars of one year with the "
        "consumer price index (CPI-U), so that a change is not just inflation.",
    ),
    GlossaryEntry(
        "Logic model",
        "The coalition's map of how its work leads to change: inputs "
        "and resources, strategies, activities, outputs, short-, medium- and "
        "long-term outcomes and the population-level result, linked by arrows.",
    ),
    GlossaryEntry(
        "Output", "What an activity produces and can be counted: sessions held, people served."
    ),
    GlossaryEntry(
        "Outcome",
        "A change in conditions that the outputs are expected to bring "
        "about, in the short, medium or long term.",
    ),
    GlossaryEntry(
        "Systems change",
        "A shift in the conditions that hold a problem in place: "
        "policies, practices, resource flows, relationships, power and mental models.",
    ),
    GlossaryEntry(
        "Population indicator",
        "A measure of a condition for everyone in a place "
        "(or one group), read from published data.",
    ),
    GlossaryEntry(
        "Performance measure",
        "How much the coalition did, how well, and whether anyone is better off.",
    ),
    GlossaryEntry(
        "Evidence level",
        "How strongly research supports a strategy; emerging "
        "strategies and those with a rationale only need an evaluation.",
    ),
)


@dataclass(frozen=True)
class PlanDocument:
    """A Mobility Action Plan, draft or published (``version``, ``published_at``)."""

    title: str
    coalition: str
    slug: str
    date: str
    """When the document was assembled (YYYY-MM-DD)."""
    release: str
    """The Mobility Metrics release its numbers come from."""
    release_checksum: str = ""
    version: int | None = None
    """The published version's number; None for a draft."""
    published_at: str | None = None
    coalition_work: CoalitionWork = CoalitionWork()
    conditions: Conditions = Conditions()
    direction: Direction = Direction()
    measurement: Measurement = Measurement()
    sustainability: Sustainability = Sustainability()
    partners: tuple[PartnerLine, ...] = ()
    signatories: tuple[Person, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = GLOSSARY
    open_problems: tuple[str, ...] = ()
    """Measurement-plan problems the owner confirmed when publishing."""
    language: str = "en"
    format: str = FORMAT_NAME
    schema: int = SCHEMA

    @property
    def is_draft(self) -> bool:
        return self.version is None

    @property
    def source_line(self) -> str:
        state = (
            f"version {self.version}, published {self.published_at}"
            if self.version is not None
            else f"draft of {self.date}, not published"
        )
        release = f"release {self.release}" if self.release else "no release loaded"
        checksum = f" (checksum {self.release_checksum[:12]})" if self.release_checksum else ""
        return (
            f"{self.coalition} · {state} · national data: Urban Institute Mobility Metrics, "
            f"{release}{checksum}"
        )

    def as_dict(self) -> dict[str, Any]:
        """The document as JSON-ready values (what a published version stores)."""
        return _encode(self)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, data: Any) -> PlanDocument:
        """The document :meth:`as_dict` gave (:class:`BadDocument` when it is not one)."""
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise BadDocument("This is not a Mobility Action Plan document.")
        if data.get("schema") != SCHEMA:
            raise BadDocument(f"Unknown document schema {data.get('schema')!r}.")
        try:
            return _decode(cls, data)  # type: ignore[no-any-return]
        except (KeyError, TypeError, ValueError) as exc:
            raise BadDocument(f"The stored document is damaged: {exc}") from None


# -- the JSON shape ----------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _decode(kind: Any, data: Any) -> Any:
    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(kind) if a is not type(None)]
        if data is None:
            return None
        return _decode(args[0], data)
    if origin is tuple:
        if not isinstance(data, list):
            raise TypeError(f"expected a list, got {type(data).__name__}")
        return tuple(_decode(get_args(kind)[0], v) for v in data)
    if isinstance(kind, type) and is_dataclass(kind):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object for {kind.__name__}")
        hints = _hints(kind)
        known = {f.name for f in fields(kind)}
        unknown = set(data) - known
        if unknown:
            raise KeyError(f"unknown field(s) {', '.join(sorted(unknown))} in {kind.__name__}")
        return kind(**{name: _decode(hints[name], v) for name, v in data.items()})
    if kind is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise TypeError("expected a number")
        return float(data)
    if kind in (int, str, bool) and not isinstance(data, kind):
        raise TypeError(f"expected {kind.__name__}, got {type(data).__name__}")
    return data


# -- words -------------------------------------------------------------------------------------


def quality_words(quality: str) -> str:
    """A quality flag in words: 'rated Strong (no substantial concerns with the data)'."""
    if not quality:
        return "no quality rating published"
    meaning = QUALITY_MEANING.get(quality)  # type: ignore[call-overload]
    return f"rated {quality} ({meaning})" if meaning else f"rated {quality}"


def value_sentence(v: Value) -> str:
    """'41.2% in 2021 (95% CI 39.0% to 43.4%; rated Strong (…); release 2025.01)'."""
    when = f" in {v.year}" if v.year else ""
    extras = [v.ci_text or "no confidence interval published", quality_words(v.quality)]
    if v.release:
        extras.append(f"release {v.release}")
    return f"{v.text}{when} ({'; '.join(extras)})"


def sentence(text: str) -> str:
    """The coalition's text ended as a sentence (a full stop added when it has none)."""
    return text if text[-1:] in ".!?" else f"{text}."


def target_claim(ind: Indicator) -> str:
    """The general edition's sentence about an indicator's target (never a claim of change)."""
    t = ind.shown_target
    if t is None:
        return ind.note
    words = f"The coalition aims for {t.text} ({t.method.lower()})."
    if t.inside_noise:
        words += (
            f" This target is inside the noise: it differs from the baseline by less than "
            f"the smallest change the data can detect ({t.mdc_text}), so reaching it could "
            "not be told apart from no change."
        )
    elif t.mdc_text:
        words += f" A change smaller than {t.mdc_text} could not be told apart from the baseline."
    return words


# -- writers -----------------------------------------------------------------------------------

_HTML = _environment(autoescape=True)


def _check(fmt: str, edition: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format '{fmt}'; use one of {', '.join(FORMATS)}.")
    if edition not in EDITIONS:
        raise ValueError(f"Unknown edition '{edition}'; use one of {', '.join(EDITIONS)}.")


def diagrams(doc: PlanDocument) -> tuple[dict[int, str], str]:
    """Each logic model's accessible SVG, or the reason none could be drawn."""
    try:
        return {m.id: lm.svg(m) for m in doc.direction.models if m.elements}, ""
    except lm.DiagramUnavailable as exc:
        return {}, str(exc)


def _context(doc: PlanDocument, edition: Edition, offset: int, drawn: Any) -> dict[str, Any]:
    charts = {}
    for i, ind in enumerate(doc.measurement.indicators):
        chart = ind.chart
        if chart is not None:
            charts[i] = (number_line.svg(chart, f"ind{i}"), chart.description)
    pictures, problem = drawn if drawn is not None else diagrams(doc)
    return {
        "doc": doc,
        "edition": edition,
        "technical": edition == "technical",
        "edition_label": EDITION_LABELS[edition],
        "h": lambda n: f"h{min(n + offset, 6)}",
        "charts": charts,
        "diagrams": pictures,
        "diagram_problem": problem,
        "svg_src": lm.svg_src,
        "value_sentence": value_sentence,
        "quality_words": quality_words,
        "target_claim": target_claim,
        "sentence": sentence,
        "outline_note": lm.OUTLINE_NOTE,
    }


def render_body(
    doc: PlanDocument, edition: Edition = "technical", offset: int = 0, drawn: Any = None
) -> Markup:
    """The document's content (no ``<html>``), headings from ``h{1 + offset}``: for a page
    that shows the document under its own heading."""
    _check("html", edition)
    template = _HTML.get_template("action_plan_body.html.j2")
    return Markup(template.render(**_context(doc, edition, offset, drawn)))


def render_html(doc: PlanDocument, edition: Edition = "technical") -> str:
    _check("html", edition)
    return _HTML.get_template("action_plan.html.j2").render(
        doc=doc, edition_label=EDITION_LABELS[edition], body=render_body(doc, edition)
    )


def render_pdf(doc: PlanDocument, edition: Edition = "technical") -> bytes:
    """The PDF, tagged (structure for screen readers) with its language and title."""
    return pdf_of(render_html(doc, edition), pdf_tags=True)


def document_bytes(doc: PlanDocument, fmt: str, edition: Edition = "technical") -> bytes:
    """The document as a file's bytes: ``json`` (:meth:`PlanDocument.as_dict`, edition-free)
    or one of :data:`FORMATS`."""
    if fmt == "json":
        return (json.dumps(doc.as_dict(), ensure_ascii=False, indent=2) + "\n").encode()
    return render(doc, fmt, edition)  # type: ignore[arg-type]


def write_document(doc: PlanDocument, fmt: str, edition: Edition, path: Path) -> int:
    """Write the document to ``path`` whole or not at all (a temporary file beside it,
    renamed into place); the bytes written. OSError when the folder is not writable."""
    body = document_bytes(doc, fmt, edition)
    folder = path.parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return len(body)


def render(doc: PlanDocument, fmt: PlanFormat, edition: Edition = "technical") -> bytes:
    """The document in ``fmt`` (html, pdf or docx), ``edition`` technical or general."""
    _check(fmt, edition)
    if fmt == "html":
        return render_html(doc, edition).encode()
    if fmt == "pdf":
        return render_pdf(doc, edition)
    from upward.reports.action_plan_docx import render_docx

    return render_docx(doc, edition)
