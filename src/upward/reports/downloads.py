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
    kind = type(value)
    if kind is float or kind is int or value is None:  # most cells: no ABC check needed
        return value
    if kind is not str and isinstance(value, bool | Number):
        return value
    text = value if kind is str else str(value)
    if runs_as_formula(text) or text.startswith(ESCAPE):
        return ESCAPE + text
    return text


class _SafeTexts(dict[str, str]):
    """Each text of a table neutralized once: a table repeats its texts (a place's name, a
    measure's label on each of its rows)."""

    def __missing__(self, text: str) -> str:
        found = self[text] = neutralize(text)
        return found


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; also quotes a lone \r
    writer.writerow([neutralize(c) for c in columns])
    safe = _SafeTexts()
    # Numbers and None (written as an empty cell) as they are, in line rather than through
    # a call per cell: a profile's table has some 13,000 cells.
    writer.writerows(
        [
            v if (kind := type(v)) is float or kind is int or v is None
            else safe[v] if kind is str
            else neutralize(v)
            for v in map(row.get, columns)
        ]
        for row in rows
    )  # fmt: skip
    return out.getvalue()


def _append(sheet: Any, values: Sequence[Any]) -> list[Any]:
    """One row, returned as its cells; text that would run is stored as a quote-prefixed
    string, never a formula. (The cells are made first and appended: reading a row back
    through ``sheet.max_row`` scans the whole sheet, which made long sheets quadratic.)"""
    from openpyxl.cell.cell import Cell

    cells = []
    for v in values:
        cell = Cell(sheet, value=v if v is None or isinstance(v, bool | Number) else str(v))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl makes "=..." a formula otherwise
            if runs_as_formula(cell.value):
                cell.quotePrefix = True
        cells.append(cell)
    sheet.append(cells)
    return cells


#: Excel number formats by catalog unit; a value of another unit keeps the general format.
NUMBER_FORMATS = {
    "share": "0.0%",
    "dollars": "$#,##0",
    "count": "#,##0",
    "index": "#,##0",
    "people": "#,##0",
    "rate": "0.0",
    "ratio": "#,##0.00",
}
#: The columns that hold a value in the row's unit (the others are years, ranks, counts).
VALUE_COLUMNS = ("value", "lb", "ub", "median_nation", "median_state")
#: Percent ranks (0 to 1), shown as whole percentages whatever the unit of the value.
RANK_COLUMNS = ("pct_nation", "pct_state")
RANK_FORMAT = "0%"
MIN_WIDTH, MAX_WIDTH = 6, 60


def _widths(sheet: Any) -> None:
    """Each column as wide as its longest cell (header included), within bounds."""
    from openpyxl.utils import get_column_letter

    longest: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            shown = f"{cell.value:,.1f}" if isinstance(cell.value, float) else str(cell.value)
            longest[cell.column] = max(longest.get(cell.column, 0), len(shown))
    for column, width in longest.items():
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))


def _data_sheet(
    sheet: Any, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], unit: str | None
) -> None:
    """A bold, frozen header, the rows, number formats by unit, and column widths."""
    from openpyxl.styles import Font

    for cell in _append(sheet, list(columns)):
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    formatted = [i for i, c in enumerate(columns) if c in VALUE_COLUMNS]
    ranks = [i for i, c in enumerate(columns) if c in RANK_COLUMNS]
    for row in rows:
        cells = _append(sheet, [row.get(k) for k in columns])
        number_format = NUMBER_FORMATS.get(str(row.get("unit") or unit or ""))
        for indexes, found in ((formatted, number_format), (ranks, RANK_FORMAT)):
            for i in indexes if found else ():
                if isinstance(cells[i].value, Number) and not isinstance(cells[i].value, bool):
                    cells[i].number_format = found
    _widths(sheet)


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters (cut at a word), none of
    ``[]:*?/\\``."""
    text = re.sub(r"[\[\]:*?/\\]", " ", text).strip()
    if len(text) > 31:
        text = text[:32].rsplit(" ", 1)[0] if " " in text[:32] else text[:31]
    return text.strip() or "data"


def to_xlsx(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    sheet: str = "data",
    notes: Sequence[str] = (),
    split_by: str | None = None,
    sheet_names: Mapping[str, str] | None = None,
    unit: str | None = None,
) -> bytes:
    """Sheets of data (bold header, frozen first row, number formats by unit, column widths)
    and, if given, a 'Notes' sheet.

    ``split_by`` puts the rows on one sheet per value of that column, in order of first
    appearance, named by ``sheet_names`` (rows without a value go on the sheet ``sheet``).
    A row's number format comes from its ``unit`` column, else from ``unit``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        key = str(row.get(split_by) or "") if split_by else ""
        groups.setdefault(key, []).append(row)
    if not groups:
        groups[""] = []
    names = {"": sheet, **(sheet_names or {})}
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    used: set[str] = set()
    for key, found in groups.items():
        title = sheet_title(names.get(key, key))
        while title.lower() in used:
            title = sheet_title(title[:28] + f" {len(used)}")
        used.add(title.lower())
        _data_sheet(book.create_sheet(title), found, columns, unit)
    if notes:
        about = book.create_sheet("Notes")
        _append(about, ["Notes"])
        about["A1"].font = Font(bold=True)
        for line in notes:
            _append(about, [line])
        about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
