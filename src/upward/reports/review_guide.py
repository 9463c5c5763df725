"""The Data Review Guide: the review questions of a coalition's first look at its data,
pre-filled with the place's insights, with room for the coalition's own notes.

Exported as HTML and Markdown (Jinja2 templates), PDF (WeasyPrint, from the HTML) and
Word (python-docx). The questions are Upward's wording of the planning guide's three
review prompts: what stands out, where outcomes differ between groups, how the place
compares with its peers.

The guide opens with a one-page summary (the place, the release and the key points: the
strongest tested strengths and areas to explore) and the key charts: the trend of each
area to explore, drawn from the same Vega-Lite spec as the profile page's chart
(:func:`upward.reports.charts.trend_chart`), as SVG in the PDF and PNG in Word. The
printed tables keep their rows whole, repeat their headers, and number their rows.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from upward.analysis.insight import Insight
from upward.catalog import get_catalog
from upward.reports import templating
from upward.reports.charts import DocumentChart, trend_chart
from upward.reports.documents import docx_bytes, pdf_of
from upward.reports.numbers import format_distance, format_value
from upward.reports.place_analysis import PlaceAnalysis

GuideFormat = Literal["html", "md", "pdf", "docx"]
FORMATS: tuple[GuideFormat, ...] = ("html", "md", "pdf", "docx")
PER_PILLAR = 3
AUTHOR = "Upward"
MAX_GAPS = 8
KEY_POINTS = 3
"""How many strengths and how many areas to explore the summary page lists."""
MAX_CHARTS = 4
MAX_NOTE = 20_000
STANDINGS_TITLE = "Where values sit (no confidence interval, so no test and no claim)"
GAPS_NOTE = (
    "Gaps between a group and the total of its own breakdown that a test at the 95% level "
    "supports, in the direction the measure counts as less favorable, strongest evidence "
    "first. Each says what differs and by how much. Gaps describe unequal conditions and "
    "access to opportunity that groups face, not the people in them."
)


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    prompt: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        "stands_out",
        "What stands out",
        "What stands out in these numbers? Where do they confirm what your coalition already "
        "believes about mobility here, and where do they challenge it?",
    ),
    Question(
        "disparities",
        "Where outcomes differ between groups",
        "Going metric by metric, where do outcomes differ by race and ethnicity or by another "
        "grouping (income, gender, disability, age, neighborhood)? Which of these gaps matter "
        "most to your coalition, and why?",
    ),
    Question(
        "peers",
        "How the place compares with its peers",
        "How does the place compare with its peers? Which differences stand out, and what "
        "might explain them?",
    ),
)
QUESTION_IDS = tuple(q.id for q in QUESTIONS)


@dataclass(frozen=True)
class PillarBlock:
    label: str
    strengths: tuple[str, ...]
    areas: tuple[str, ...]
    uncertain: tuple[str, ...]
    standings: tuple[str, ...] = ()
    """Where untested values sit among places of their kind (neutral, no claim)."""


@dataclass(frozen=True)
class PeerRow:
    name: str
    geoid: str
    distance: str
    dropped: str
    source: str


@dataclass(frozen=True)
class PeerLine:
    label: str
    year: int | None
    value: str
    median: str
    spread: str
    tally: str


@dataclass(frozen=True)
class KeyPoints:
    """The summary page: the strongest tested findings, in the insights' own sentences."""

    strengths: tuple[str, ...]
    areas: tuple[str, ...]
    counts: str
    """ "4 strengths and 6 areas to explore in all; 3 values too uncertain to say." """


@dataclass(frozen=True)
class ReviewGuide:
    place: str
    geoid: str
    kind: str
    peer_set_name: str
    peer_method: str
    peer_rows: tuple[PeerRow, ...]
    pillars: tuple[PillarBlock, ...]
    gaps: tuple[str, ...]
    peer_lines: tuple[PeerLine, ...]
    notes: Mapping[str, str]
    questions: tuple[Question, ...]
    created: str
    source: str
    key_points: KeyPoints = KeyPoints((), (), "")
    charts: tuple[DocumentChart, ...] = ()
    """Trend charts of the areas to explore (strongest first)."""


def _strongest(insights: list[Insight], limit: int) -> list[Insight]:
    """Tested insights, strongest evidence first (ties in the report's order)."""
    tested = [i for i in insights if i.tested and i.evidence is not None]
    return sorted(tested, key=lambda i: -(i.evidence or 0.0))[:limit]


def _key_points(analysis: PlaceAnalysis) -> KeyPoints:
    pillars = analysis.insights.pillars
    strengths = [i for p in pillars for i in p.strengths]
    areas = [i for p in pillars for i in p.areas_to_explore]
    uncertain = sum(len(p.too_uncertain) for p in pillars)
    found = _count(len(areas), "area to explore", "areas to explore")
    counts = (
        f"{_count(len(strengths), 'strength')} and {found} in all that a test at the 95% "
        f"level supports; {_count(uncertain, 'value')} too uncertain to say."
    )
    return KeyPoints(
        tuple(i.sentence for i in _strongest(strengths, KEY_POINTS)),
        tuple(i.sentence for i in _strongest(areas, KEY_POINTS)),
        counts,
    )


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _charts(analysis: PlaceAnalysis) -> tuple[DocumentChart, ...]:
    """The trend of each area to explore, strongest evidence first, one per metric."""
    catalog = get_catalog()
    areas = _strongest([i for p in analysis.insights.pillars for i in p.areas_to_explore], 1_000)
    found: list[DocumentChart] = []
    for insight in areas:
        if len(found) == MAX_CHARTS:
            break
        metric = catalog.metric(insight.metric_id)
        chart = trend_chart(
            metric, analysis.geography.geo_level, analysis.inputs.cells,
            f"Area to explore: {metric.short_label} over time",
        )  # fmt: skip
        if chart is not None and all(c.title != chart.title for c in found):
            found.append(chart)
    return tuple(found)


def _sentences(insights: tuple[Insight, ...], limit: int) -> tuple[str, ...]:
    return tuple(i.sentence for i in insights[:limit])


def _peer_lines(analysis: PlaceAnalysis) -> tuple[PeerLine, ...]:
    lines = []
    for vc in analysis.comparisons:
        target = vc.target
        if not vc.variable.headline or target is None or target.value is None:
            continue
        peers = vc.scope("peers")
        if peers is None or peers.median is None:
            continue
        spread = ""
        if peers.low is not None and peers.high is not None:
            low, high = format_value(vc.variable, peers.low), format_value(vc.variable, peers.high)
            spread = f"{low} to {high}"
        value = format_value(vc.variable, target.value, getattr(target, "value_text", None))
        median = format_value(vc.variable, peers.median)
        if not peers.support.bears_claim:
            median += " (too few values not rated Weak to bear a claim)"
        lines.append(PeerLine(vc.variable.label, vc.year, value, median, spread, vc.tally.text()))
    return tuple(lines)


def build_review_guide(
    analysis: PlaceAnalysis, notes: Mapping[str, str] | None = None, created: date | None = None
) -> ReviewGuide:
    """The guide for a place; ``notes`` maps question ids to the coalition's own text."""
    notes = dict(notes or {})
    unknown = set(notes) - set(QUESTION_IDS)
    if unknown:
        known = ", ".join(QUESTION_IDS)
        raise ValueError(f"Unknown question id(s) {', '.join(sorted(unknown))}; use {known}.")
    for key, text in notes.items():
        if len(text) > MAX_NOTE:
            raise ValueError(f"The note for '{key}' is longer than {MAX_NOTE:,} characters.")
    report = analysis.insights
    pillars = tuple(
        PillarBlock(p.pillar.label, _sentences(p.strengths, PER_PILLAR),
                    _sentences(p.areas_to_explore, PER_PILLAR), _sentences(p.too_uncertain, 2),
                    _sentences(p.standings, PER_PILLAR))
        for p in report.pillars
    )  # fmt: skip
    peers = tuple(
        PeerRow(p.name, p.geoid, format_distance(p.distance),
                ", ".join(p.dropped), "added by hand" if p.source == "added" else "found")
        for p in analysis.peers.peers
    )  # fmt: skip
    geo = analysis.geography
    return ReviewGuide(
        place=geo.display_name,
        geoid=geo.geoid,
        kind=geo.geo_level,
        peer_set_name=analysis.peer_set.name,
        peer_method=analysis.peers.method.describe(),
        peer_rows=peers,
        pillars=pillars,
        gaps=_sentences(report.disparities, MAX_GAPS),
        peer_lines=_peer_lines(analysis),
        notes=notes,
        questions=QUESTIONS,
        created=(created or date.today()).isoformat(),
        source=analysis.citation,
        key_points=_key_points(analysis),
        charts=_charts(analysis),
    )


SUMMARY_LEDE = (
    "The key points for {place}: where a test at the 95% confidence level supports a "
    "difference from the national, state or peer median, strongest evidence first."
)
SUMMARY_NOTE = (
    "Each statement comes from fixed rules over the published numbers. A difference is called "
    "higher or lower only when a test at the 95% confidence level supports it; values without "
    "a published confidence interval are not tested, so they are described only by where they "
    "sit, never as better or worse. Data rated Weak lead to no conclusion. An area to explore "
    "is a place to look more closely, with the people it concerns, not a verdict."
)
CHARTS_TITLE = "Key charts: the areas to explore over time"
_WORDS = {
    "standings_title": STANDINGS_TITLE,
    "gaps_note": GAPS_NOTE,
    "summary_lede": SUMMARY_LEDE,
    "summary_note": SUMMARY_NOTE,
    "charts_title": CHARTS_TITLE,
}


def _environment(autoescape: bool) -> Environment:
    """The documents' template environment (Jinja2, escaped as the pages are)."""
    return templating.environment(
        loader=PackageLoader("upward.reports", "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_HTML = _environment(autoescape=True)
_MARKDOWN = _environment(autoescape=False)


def chart_src(chart: DocumentChart) -> str:
    """The chart as a data URL of its SVG, for an ``<img>`` (WeasyPrint draws it as vectors)."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg().encode()).decode()


def render_html(guide: ReviewGuide) -> str:
    return _HTML.get_template("review_guide.html.j2").render(
        guide=guide, chart_src=chart_src, **_WORDS
    )


def render_markdown(guide: ReviewGuide) -> str:
    return _MARKDOWN.get_template("review_guide.md.j2").render(guide=guide, **_WORDS)


def render_pdf(guide: ReviewGuide) -> bytes:
    return pdf_of(render_html(guide))


def _docx_list(document, items: tuple[str, ...], empty: str) -> None:  # type: ignore[no-untyped-def]
    for item in items or (empty,):
        document.add_paragraph(item, style="List Bullet")


def _docx_notes(document, guide: ReviewGuide, question: Question) -> None:  # type: ignore[no-untyped-def]
    document.add_heading("Your notes", level=3)
    text = guide.notes.get(question.id, "")
    for line in (text.splitlines() or [""]) + (["", ""] if not text else []):
        document.add_paragraph(line)


def _docx_summary(document, guide: ReviewGuide) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.text import WD_BREAK

    points = guide.key_points
    document.add_heading("Summary", level=1)
    document.add_paragraph(SUMMARY_LEDE.format(place=guide.place) + " " + points.counts)
    document.add_heading("Strengths", level=2)
    _docx_list(document, points.strengths, "None stands out with the evidence available.")
    document.add_heading("Areas to explore", level=2)
    _docx_list(document, points.areas, "None stands out with the evidence available.")
    document.add_paragraph(SUMMARY_NOTE).add_run().add_break(WD_BREAK.PAGE)


def _docx_charts(document, guide: ReviewGuide) -> None:  # type: ignore[no-untyped-def]
    from docx.shared import Cm

    if not guide.charts:
        return
    document.add_heading(CHARTS_TITLE, level=1)
    for n, chart in enumerate(guide.charts, start=1):
        document.add_paragraph(f"Figure {n}. {chart.title}", style="Caption")
        document.add_picture(io.BytesIO(chart.png()), width=Cm(16))
        document.add_paragraph(chart.summary)
        for note in chart.notes:
            document.add_paragraph(note)


def set_core_properties(  # type: ignore[no-untyped-def]
    document, *, title: str, subject: str, keywords: str, comments: str
) -> None:
    """A Word document's properties as Upward's: python-docx's template otherwise says it
    was written by 'python-docx' on 2013-12-23. Times are now, in UTC."""
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)  # docx stores naive UTC
    props = document.core_properties
    props.title, props.subject, props.keywords, props.comments = title, subject, keywords, comments
    props.author = props.last_modified_by = AUTHOR
    props.category, props.language = "Data Review Guide", "en-US"
    props.created = props.modified = now
    props.revision = 1


def render_docx(guide: ReviewGuide) -> bytes:
    from docx import Document

    document = Document()
    set_core_properties(
        document,
        title=f"Data Review Guide: {guide.place}",
        subject=f"Mobility Metrics review questions for {guide.place} (FIPS {guide.geoid})",
        keywords=f"Upward Mobility; {guide.kind}; {guide.geoid}",
        comments=f"Prepared {guide.created} from {guide.source}.",
    )
    document.add_heading(f"Data Review Guide: {guide.place}", level=0)
    document.add_paragraph(
        f"{guide.kind.title()} (FIPS {guide.geoid}). Prepared {guide.created} from {guide.source}."
    )
    _docx_summary(document, guide)
    _docx_charts(document, guide)
    first, second, third = guide.questions
    document.add_heading(f"1. {first.title}", level=1)
    document.add_paragraph(first.prompt)
    for block in guide.pillars:
        document.add_heading(block.label, level=2)
        document.add_paragraph("Strengths", style="Intense Quote")
        _docx_list(document, block.strengths, "None stands out with the evidence available.")
        document.add_paragraph("Areas to explore", style="Intense Quote")
        _docx_list(document, block.areas, "None stands out with the evidence available.")
        if block.standings:
            document.add_paragraph(STANDINGS_TITLE, style="Intense Quote")
            _docx_list(document, block.standings, "")
        for note in block.uncertain:
            document.add_paragraph(note, style="List Bullet")
    _docx_notes(document, guide, first)
    document.add_heading(f"2. {second.title}", level=1)
    document.add_paragraph(second.prompt)
    document.add_paragraph(GAPS_NOTE)
    _docx_list(document, guide.gaps, "No gap between groups is supported by the data.")
    _docx_notes(document, guide, second)
    document.add_heading(f"3. {third.title}", level=1)
    document.add_paragraph(third.prompt)
    document.add_paragraph(f"Peer set: {guide.peer_set_name} ({guide.peer_method}).")
    table = document.add_table(rows=1, cols=3)
    table.style = "Light List Accent 1"
    for cell, text in zip(table.rows[0].cells, ("Peer", "FIPS", "Distance"), strict=True):
        cell.text = text
    for row in guide.peer_rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = row.name, row.geoid, row.distance
    for line in guide.peer_lines:
        document.add_paragraph(
            f"{line.label} ({line.year}): {line.value}; peer median {line.median} "
            f"({line.spread}). {line.tally}",
            style="List Bullet",
        )
    _docx_notes(document, guide, third)
    return docx_bytes(document)


def render(guide: ReviewGuide, fmt: GuideFormat) -> bytes:
    """The guide in one format, as bytes (UTF-8 for the text formats)."""
    if fmt == "html":
        return render_html(guide).encode()
    if fmt == "md":
        return render_markdown(guide).encode()
    if fmt == "pdf":
        return render_pdf(guide)
    if fmt == "docx":
        return render_docx(guide)
    raise ValueError(f"Unknown format '{fmt}'; use one of {', '.join(FORMATS)}.")


def write_review_guide(guide: ReviewGuide, fmt: GuideFormat, path: Path) -> Path:
    path.write_bytes(render(guide, fmt))
    return path
