"""The writers of Upward's documents: a PDF from a document's HTML (WeasyPrint) and the
bytes of a Word document (python-docx), one of each for every document."""

from __future__ import annotations

import io
from typing import Any


def pdf_of(html: str, **options: Any) -> bytes:
    """The PDF of a document's HTML (its styles and images inline); ``options`` are
    WeasyPrint's ``write_pdf`` options (``pdf_tags=True``: tagged for screen readers)."""
    from weasyprint import HTML

    from upward.reports.weasyprint_speedup import install

    install()
    pdf = HTML(string=html).write_pdf(**options)
    assert pdf is not None
    return bytes(pdf)


def docx_bytes(document: Any) -> bytes:
    """A python-docx ``Document`` as the bytes of its .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
