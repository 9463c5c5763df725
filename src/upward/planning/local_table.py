"""The rows of an uploaded table (CSV or XLSX), numbered as a spreadsheet shows them.

Pure: bytes in, ``(row number, cells)`` out, the header first. A CSV must be UTF-8 (a
byte-order mark is allowed). An XLSX workbook is read without running anything: its first
sheet's cells give the values the spreadsheet saved (a formula gives its saved result,
never its text; one saved without a result reads as an empty cell). The XLSX reader walks
the sheet's XML itself with lxml (entities and DTDs off), several times faster than a
general workbook library, for files of up to 100,000 rows.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree  # python-docx's parser; safe settings in _parse

Cell = str | float | None
Row = tuple[int, list[Cell]]

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
C, V, IS, T, R = (MAIN + tag for tag in ("c", "v", "is", "t", "r"))
MAX_PART_BYTES = 400 * 1024 * 1024
"""A part of the workbook larger than this once unpacked is refused (a zip bomb)."""
MAX_COLUMNS = 200
"""Cells further right are not read (the upload format has ten columns)."""


class FileProblem(ValueError):
    """The file as a whole cannot be read (size, encoding, format); the message says why."""


def csv_rows(data: bytes) -> Iterator[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read). In a "
            "spreadsheet, save it as 'CSV UTF-8', or upload it as XLSX."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, list(record)
    except csv.Error as exc:
        raise FileProblem(f"Not a readable CSV file at row {number + 1}: {exc}.") from None


def _column(ref: str) -> int:
    """The 0-based column of a cell reference: 'A2' -> 0, 'AB10' -> 27."""
    index = 0
    for ch in ref:
        if not "A" <= ch <= "Z":
            break
        index = index * 26 + ord(ch) - 64
    return index - 1


def _texts(element: Any) -> str:
    """The text of a string item: its <t>, or its runs' <t>s (phonetic hints left out)."""
    direct = element.find(T)
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for r in element.iterchildren(R) for t in r.iterchildren(T))


def _parse(stream: IO[bytes], tag: str) -> Any:
    """Elements ``tag`` of an XML part, as they end; no entities, no DTD, no network."""
    return etree.iterparse(stream, events=("end",), tag=tag, resolve_entities=False,
                           load_dtd=False, no_network=True, huge_tree=False)  # fmt: skip


def _part(book: zipfile.ZipFile, name: str) -> IO[bytes]:
    if book.getinfo(name).file_size > MAX_PART_BYTES:
        raise FileProblem("The workbook is too large once unpacked. Upload it as CSV.")
    return book.open(name)


def _first_sheet(book: zipfile.ZipFile) -> str:
    default = "xl/worksheets/sheet1.xml"
    try:
        with _part(book, "xl/workbook.xml") as stream:
            sheet = next((el for _e, el in _parse(stream, MAIN + "sheet")), None)
        wanted = sheet.get(DOC_RELS + "id") if sheet is not None else None
        with _part(book, "xl/_rels/workbook.xml.rels") as stream:
            for _e, rel in _parse(stream, RELS + "Relationship"):
                target = rel.get("Target") or ""
                if rel.get("Id") == wanted and target:
                    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    except (KeyError, etree.XMLSyntaxError):
        return default
    return default


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    strings = []
    with _part(book, "xl/sharedStrings.xml") as stream:
        for _event, element in _parse(stream, MAIN + "si"):
            strings.append(_texts(element))
            element.clear()
    return strings


def xlsx_rows(data: bytes) -> Iterator[Row]:
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        shared = _shared_strings(book)
        name = _first_sheet(book)
        sheet = _part(book, name)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, OSError):
        raise FileProblem(
            "Not a readable XLSX workbook. Save it again as .xlsx or as CSV."
        ) from None
    with sheet:
        try:
            rows = _sheet_rows(sheet, shared)
            if book.getinfo(name).file_size <= MAX_FAST_BYTES:
                raw = sheet.read()
                plain = plain_sheet(raw)
                rows = (
                    fast_sheet_rows(raw, shared) if plain else _sheet_rows(io.BytesIO(raw), shared)
                )
            yield from rows
        except (etree.XMLSyntaxError, ValueError, zipfile.BadZipFile, OSError):
            raise FileProblem("The workbook's first sheet cannot be read. Save it again.") from None


# The sheets spreadsheet programs write are plain: unprefixed tags, attributes in double
# quotes, no comments, CDATA or DTD. Such a sheet is read with a few regular expressions
# (about twice as fast as building elements); any other goes through lxml (_sheet_rows).
MAX_FAST_BYTES = 200 * 1024 * 1024
NOT_PLAIN = (b"<![CDATA[", b"<!--", b"<!DOCTYPE", b"<!ENTITY", b"='")
ROW_RE = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
ROW_NUMBER_RE = re.compile(rb'\br="(\d+)"')
CELL_REF_RE = re.compile(rb'\br="([A-Z]+)\d*"')
KIND_RE = re.compile(rb'\bt="(\w+)"')
V_RE = re.compile(rb"<v>([^<]*)</v>")
INLINE_RE = re.compile(rb"<is>(.*?)</is>", re.S)
T_RE = re.compile(rb"<t\b[^>]*>([^<]*)</t>")
PHONETIC_RE = re.compile(rb"<rPh\b.*?</rPh>", re.S)


def plain_sheet(raw: bytes) -> bool:
    return b"<sheetData" in raw and not any(mark in raw for mark in NOT_PLAIN)


def _decode(text: bytes) -> str:
    out = text.decode("utf-8")
    return html.unescape(out) if "&" in out else out


def fast_sheet_rows(raw: bytes, shared: list[str]) -> Iterator[Row]:
    """The rows of a plain sheet (see :func:`plain_sheet`), as :func:`_sheet_rows` gives."""
    number = 0
    columns: dict[bytes, int] = {}
    for row in ROW_RE.finditer(raw, raw.index(b"<sheetData")):
        found = ROW_NUMBER_RE.search(row.group(1))
        number = int(found.group(1)) if found else number + 1
        cells: list[Cell] = []
        for cell in CELL_RE.finditer(row.group(2) or b""):
            attrs, inner = cell.group(1), cell.group(2) or b""
            ref = CELL_REF_RE.search(attrs)
            if ref:
                letters = ref.group(1)
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = _column(letters.decode())
                if column >= MAX_COLUMNS:
                    break
                if column > len(cells):
                    cells.extend([None] * (column - len(cells)))
            cells.append(_fast_value(attrs, inner, shared))
        yield number, cells


def _fast_value(attrs: bytes, inner: bytes, shared: list[str]) -> Cell:
    found = KIND_RE.search(attrs)
    kind = found.group(1) if found else b"n"
    if kind == b"inlineStr":
        item = INLINE_RE.search(inner)
        if item is None:
            return None
        return _decode(b"".join(T_RE.findall(PHONETIC_RE.sub(b"", item.group(1)))))
    value = V_RE.search(inner)
    if value is None:
        return None  # empty, or a formula saved without its result
    if kind == b"n":
        return _float(value.group(1).decode())
    if kind == b"s":
        index = int(value.group(1))
        return shared[index] if 0 <= index < len(shared) else None
    return _decode(value.group(1))


def _sheet_rows(sheet: IO[bytes], shared: list[str]) -> Iterator[Row]:
    """The sheet's rows; the loop is written out (no call per cell) for speed."""
    number = 0
    columns: dict[str, int] = {}
    for _event, row in _parse(sheet, MAIN + "row"):
        number = int(row.get("r") or number + 1)
        cells: list[Cell] = []
        for cell in row.iterchildren(C):
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = _column(letters)
                if column >= MAX_COLUMNS:
                    break
                if column > len(cells):
                    cells.extend([None] * (column - len(cells)))
            kind = cell.get("t")
            if kind is None or kind == "n":
                text = cell.findtext(V)
                cells.append(None if text is None else _float(text))
            elif kind == "s":
                text = cell.findtext(V)
                index = -1 if text is None else int(text)
                cells.append(shared[index] if 0 <= index < len(shared) else None)
            elif kind == "inlineStr":
                found = cell.find(IS)
                cells.append(None if found is None else _texts(found))
            else:  # str (a formula's text result), b (0 or 1), e (#DIV/0!, ...)
                cells.append(cell.findtext(V))
        row.clear()
        while row.getprevious() is not None:  # free the rows already read
            del row.getparent()[0]
        yield number, cells


def _float(text: str) -> Cell:
    try:
        return float(text)
    except ValueError:
        return text
