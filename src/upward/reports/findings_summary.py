"""The Summary of Upward Mobility Findings as a document: HTML and PDF (WeasyPrint, from
the HTML) and Word (python-docx), with the Review Guide's template environment and Word
properties (:mod:`upward.reports.review_guide`). Text is the coalition's, plain, in
paragraphs separated by blank lines; it is escaped everywhere it is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from upward.reports.documents import docx_bytes, pdf_of
from upward.reports.review_guide import _environment, set_core_properties

SummaryFormat = Literal["html", "pdf", "docx"]
FORMATS: tuple[SummaryFormat, ...] = ("html", "pdf", "docx")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def paragraphs(text: str) -> tuple[str, ...]:
    """Plain text split at blank lines, each paragraph's lines joined by spaces."""
    blocks = [
        " ".join(line.strip() for line in b.splitlines() if line.strip())
        for b in text.replace("\r\n", "\n").split("\n\n")
    ]
    return tuple(b for b in blocks if b)


@dataclass(frozen=True)
class Section:
    predictor_id: str
    title: str
    pillar: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class FindingsDocument:
    title: str
    coalition: str
    places: tuple[str, ...]
    introduction: tuple[str, ...]
    sections: tuple[Section, ...]
    release: str
    """The Mobility Metrics release the national numbers come from."""
    date: str
    version: int

    @property
    def source_line(self) -> str:
        release = self.release or "no release loaded"
        return (
            f"{self.coalition} · version {self.version} of {self.date} · national data: "
            f"Urban Institute Mobility Metrics, release {release}"
        )


_HTML = _environment(autoescape=True)


def render_html(doc: FindingsDocument) -> str:
    return _HTML.get_template("findings_summary.html.j2").render(doc=doc)


def render_pdf(doc: FindingsDocument) -> bytes:
    return pdf_of(render_html(doc))


def render_docx(doc: FindingsDocument) -> bytes:
    from docx import Document

    document = Document()
    set_core_properties(
        document,
        title=doc.title,
        subject=f"{doc.title}: {doc.coalition}",
        keywords="Upward Mobility; findings",
        comments=doc.source_line,
    )
    document.core_properties.category = "Summary of Upward Mobility Findings"
    document.add_heading(doc.title, level=0)
    document.add_paragraph(doc.source_line)
    if doc.places:
        document.add_paragraph("Places: " + "; ".join(doc.places))
    if doc.introduction:
        document.add_heading("Introduction", level=1)
        for p in doc.introduction:
            document.add_paragraph(p)
    for section in doc.sections:
        document.add_heading(section.title, level=1)
        document.add_paragraph(section.pillar, style="Intense Quote")
        for p in section.paragraphs or ("(No text yet.)",):
            document.add_paragraph(p)
    return docx_bytes(document)


def render(doc: FindingsDocument, fmt: SummaryFormat) -> bytes:
    if fmt == "html":
        return render_html(doc).encode()
    if fmt == "pdf":
        return render_pdf(doc)
    if fmt == "docx":
        return render_docx(doc)
    raise ValueError(f"Unknown format '{fmt}'; use one of {', '.join(FORMATS)}.")
