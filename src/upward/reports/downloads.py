"""Tables as downloadable files: CSV (UTF-8) and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
    return out.getvalue()


def to_xlsx(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    sheet: str = "data",
    notes: Sequence[str] = (),
) -> bytes:
    """One sheet of data (bold header, frozen first row) and, if given, a sheet of notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    assert data is not None
    data.title = sheet[:31]
    data.append(list(columns))
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    for row in rows:
        data.append([row.get(k) for k in columns])
    if notes:
        about = book.create_sheet("about")
        for line in notes:
            about.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
