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
