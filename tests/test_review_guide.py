"""The Data Review Guide in four formats, from the full data."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader
from typer.testing import CliRunner

from upward.cli import app
from upward.data.warehouse import Warehouse
from upward.reports.place_analysis import PlaceAnalysis, analyze_place
from upward.reports.review_guide import (
    GAPS_NOTE,
    QUESTIONS,
    STANDINGS_TITLE,
    build_review_guide,
    render,
)

pytestmark = pytest.mark.full


@pytest.fixture(scope="module")
def analysis(full_warehouse_path: Path) -> PlaceAnalysis:
    with Warehouse(full_warehouse_path) as wh:
        return analyze_place(wh, "Ramsey County, MN")


def test_the_guide_is_prefilled_with_insights(analysis: PlaceAnalysis) -> None:
    guide = build_review_guide(analysis, {"peers": "We also look at Hennepin County."})
    assert guide.place == "Ramsey County, MN"
    assert guide.peer_set_name == "5 nearest peers of Ramsey County, MN"
    assert any(block.strengths for block in guide.pillars)
    assert guide.gaps and guide.peer_lines and len(guide.peer_rows) == 5
    with pytest.raises(ValueError, match="Unknown question"):
        build_review_guide(analysis, {"what": "x"})


def _first_insight(analysis: PlaceAnalysis) -> str:
    return next(i.sentence for p in analysis.insights.pillars for i in p.strengths)


def test_pdf_names_the_place_and_holds_its_insights(analysis: PlaceAnalysis) -> None:
    guide = build_review_guide(analysis, {"stands_out": "Transit is a shared strength."})
    reader = PdfReader(io.BytesIO(render(guide, "pdf")))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Data Review Guide: Ramsey County, MN" in text
    assert " ".join(_first_insight(analysis).split()[:8]) in text
    assert "Transit is a shared strength." in text
    for question in QUESTIONS:
        assert question.title in text
    assert "5 nearest peers of Ramsey County, MN" in text


def test_docx_html_and_markdown(analysis: PlaceAnalysis) -> None:
    guide = build_review_guide(analysis, {"disparities": "Injury deaths <matter> most."})
    document = Document(io.BytesIO(render(guide, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Data Review Guide: Ramsey County, MN" in text
    assert _first_insight(analysis) in text
    assert "Injury deaths <matter> most." in text
    html = render(guide, "html").decode()
    assert "<title>Data Review Guide: Ramsey County, MN</title>" in html
    assert "Injury deaths &lt;matter&gt; most." in html
    markdown = render(guide, "md").decode()
    assert markdown.startswith("# Data Review Guide: Ramsey County, MN")
    assert f"- {_first_insight(analysis)}" in markdown
    assert "| Peer | FIPS | Distance |" in markdown


def test_cli_commands(full_warehouse_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    common = ["--warehouse", str(full_warehouse_path)]
    peers = runner.invoke(app, ["peers", "Tulsa, OK", "--k", "3", "--format", "json", *common])
    assert peers.exit_code == 0, peers.output
    assert '"name": "3 nearest peers of Tulsa, OK"' in peers.output
    compared = runner.invoke(
        app, ["compare", "27123", "--peers", "27053,27037", "--metric", "low_birth_weight", *common]
    )
    assert compared.exit_code == 0, compared.output
    assert "Peers chosen for Ramsey County, MN" in compared.output
    insights = runner.invoke(app, ["insights", "27123", *common])
    assert insights.exit_code == 0 and "Strengths" in insights.output
    target = tmp_path / "guide.pdf"
    made = runner.invoke(
        app, ["review-guide", "27123", "--format", "pdf", "--output", str(target), *common]
    )
    assert made.exit_code == 0, made.output
    assert target.read_bytes().startswith(b"%PDF")
    unknown = runner.invoke(app, ["peers", "Atlantis, ZZ", *common])
    assert unknown.exit_code == 1 and "No county or city matches" in unknown.output
    mixed = runner.invoke(app, ["compare", "27123", "--peers", "2758000", *common])
    assert mixed.exit_code == 1 and "not the same kind of place" in mixed.output


def test_untested_standings_and_gaps_are_worded_without_better_or_worse(
    analysis: PlaceAnalysis,
) -> None:
    guide = build_review_guide(analysis)
    standings = [s for block in guide.pillars for s in block.standings]
    assert standings, "Ramsey County has values without intervals at the ends of the nation"
    for sentence in (*standings, *guide.gaps):
        assert not re.search(r"\b(better|worse|fares)\b", sentence), sentence
    assert all("significant at the 95% level, p" in gap for gap in guide.gaps)
    for fmt in ("md", "html"):
        text = render(guide, fmt).decode()  # type: ignore[arg-type]
        assert STANDINGS_TITLE in text and GAPS_NOTE in text and "fares worse" not in text
    document = Document(io.BytesIO(render(guide, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    assert STANDINGS_TITLE in paragraphs and GAPS_NOTE in paragraphs


def _pages(pdf: bytes) -> list[str]:
    """Each page's text, whitespace collapsed (a wrapped cell reads as one line)."""
    return [
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def _only_page(pages: list[str], text: str) -> int:
    found = [n for n, page in enumerate(pages) if text in page]
    assert len(found) == 1, f"{text!r} is on pages {[n + 1 for n in found]}"
    return found[0]


def test_pdf_keeps_rows_whole_opens_with_a_summary_and_holds_the_charts(
    analysis: PlaceAnalysis,
) -> None:
    guide = build_review_guide(analysis)
    pages = _pages(render(guide, "pdf"))

    # A one-page summary: the place, the release and every key point, nothing else.
    summary = pages[0]
    assert summary.startswith("Data Review Guide: Ramsey County, MN") and guide.source in summary
    points = (*guide.key_points.strengths, *guide.key_points.areas)
    assert points and all(" ".join(p.split()) in summary for p in points)
    assert pages[1].startswith("Key charts")

    # Rows whole. Each row of the headline table is numbered: from "N. <measure>" to the
    # next row's number, one page holds every cell of the row; a split row would leave
    # its last cells at the top of the next page.
    lines = guide.peer_lines
    assert len(lines) > 10
    for n, line in enumerate(lines, start=1):
        marker = f"{n}. {line.label}"
        page = pages[_only_page(pages, marker)]
        row = page[page.index(marker) + len(marker) :]
        if n < len(lines):
            row = row.split(f" {n + 1}. {lines[n].label}")[0]
        median = line.median + (f" ({line.spread})" if line.spread else "")
        for cell in (str(line.year), line.value, median, line.tally):
            assert cell in row, f"row {n} ({line.label}) is split: {cell!r} not beside it"
        assert "Against each peer" in page, f"page of row {n} repeats no table header"
    # The short peer table is never split, not even after its first row.
    peers = guide.peer_rows
    first = _only_page(pages, f"{peers[0].name} {peers[0].geoid} {peers[0].distance}")
    for peer in peers:
        assert f"{peer.name} {peer.geoid} {peer.distance}" in pages[first]

    # The charts: each caption on a page that holds the drawn chart (its value axis title,
    # its year axis), with the sentence and notes that go with it.
    assert guide.charts
    for n, chart in enumerate(guide.charts, start=1):
        page = pages[_only_page(pages, f"Figure {n}. {chart.title}")]
        assert " ".join(chart.axis) in page and "Year" in page
        assert chart.summary in page and all(note in page for note in chart.notes)

    # No last page that is only a notes box.
    last = pages[-1].replace("Your notes", "").split("Data Review Guide:")[0].strip()
    assert last, "the last page holds only the notes box"


def test_docx_opens_with_the_summary_and_holds_the_chart_images(analysis: PlaceAnalysis) -> None:
    guide = build_review_guide(analysis)
    document = Document(io.BytesIO(render(guide, "docx")))
    text = [p.text for p in document.paragraphs]
    assert text.index("Summary") < text.index("Key charts: the areas to explore over time")
    assert all(point in text for point in guide.key_points.areas)
    assert len(document.inline_shapes) == len(guide.charts) > 0
    for n, chart in enumerate(guide.charts, start=1):
        assert f"Figure {n}. {chart.title}" in text
    blobs = [r.target_part.blob for r in document.part.rels.values() if "image" in r.reltype]
    assert all(blob.startswith(b"\x89PNG") for blob in blobs) and len(blobs) == len(guide.charts)
