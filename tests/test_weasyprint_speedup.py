"""The WeasyPrint speed-ups draw the same text, and leave other SVG text to WeasyPrint."""

from __future__ import annotations

import io

import pydyf
from pypdf import PdfReader

from upward.reports import number_line
from upward.reports.charts import Point
from upward.reports.documents import pdf_of
from upward.reports.logic_model_diagram import svg_src
from upward.reports.weasyprint_speedup import install


def _text_of(svg: str) -> str:
    pdf = pdf_of(f'<html><body><img src="{svg_src(svg)}"></body></html>', pdf_tags=True)
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_svg_text_in_one_piece_and_letter_by_letter_both_print() -> None:
    assert install() and install()  # once, and again without harm
    chart = number_line.NumberLine(
        "Employment", "Employment: 41.2%.", (Point("Baseline (2021): 41.2%", 0.412, 0.39, 0.434),),
        "share", 0.45, "Target: 45.0%", (0.40, 0.424),
    )  # fmt: skip
    text = _text_of(str(number_line.svg(chart)))
    assert "Baseline (2021): 41.2%" in text and "Target: 45.0%" in text
    spaced = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
        '<text x="10" y="20" dx="0 1 1 1">Spaced</text>'
        '<text x="10" y="35">Plain <tspan>and more</tspan></text></svg>'
    )
    text = _text_of(spaced)
    assert "Plain" in text and "and more" in text and "S" in text


def test_page_references_are_the_pages_as_pages_are_added() -> None:
    install()
    pdf = pydyf.PDF()
    for n in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == tuple(f"{k} 0 R".encode() for k in pdf.pages["Kids"][::3])
        assert len(pdf.page_references) == n + 1
