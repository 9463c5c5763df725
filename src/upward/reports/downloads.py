"""Tables as downloadable files: CSV (UTF-8) and XLSX (openpyxl), safe to open.

The one writer of every download, public and private. A spreadsheet runs a text cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula (CSV or
formula injection), so such text is neutralized: in CSV it gets a leading apostrophe
(as does text that already starts with one, so that a reader can strip exactly one); in
XLSX it is stored as a string cell with Excel's quote prefix, its text unchanged. Numbers
stay numbers, negative ones included; only text is neutralized, and text that is a plain
number (``-0.25``) is left as it is, since a spreadsheet reads it as that number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from numbers import Number
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def runs_as_formula(text: str) -> bool:
    """Would a spreadsheet run this text cell?"""
    return text.startswith(FORMULA_START) and PLAIN_NUMBER.fullmatch(text) is None


def neutralize(value: Any) -> Any:
    """A CSV cell: numbers, booleans and None as they are, text made safe to open."""
    if value is None or isinstance(value, bool | Number):
        return value
    text = str(value)
    if runs_as_formula(text) or text.startswith(ESCAPE):
        return ESCAPE + text
    return text


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; also quotes a lone \r
    writer.writerow([neutralize(c) for c in columns])
    for row in rows:
        writer.writerow(["" if row.get(k) is None else neutralize(row.get(k)) for k in columns])
    return out.getvalue()


def _append(sheet: Any, values: Sequence[Any]) -> None:
    """One row; text that would run is stored as a quote-prefixed string, never a formula."""
    sheet.append([v if v is None or isinstance(v, bool | Number) else str(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl makes "=..." a formula otherwise
            if runs_as_formula(cell.value):
                cell.quotePrefix = True


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
    _append(data, list(columns))
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    for row in rows:
        _append(data, [row.get(k) for k in columns])
    if notes:
        about = book.create_sheet("about")
        for line in notes:
            _append(about, [line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
