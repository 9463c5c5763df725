"""CSV import and export of the stakeholder inventory, with row-level error messages.

The import is all-or-nothing: :func:`parse_stakeholder_csv` returns every parsed row and
every error (line number, the record's name, column, message); the caller saves only when
there are no errors. Lines are counted as a spreadsheet shows them: the header is line 1.

Two modes: by default every name must be new to the inventory; with ``update_existing``
a row whose name is already there (the same name by :func:`~upward.planning.name.name_key`)
replaces that record's values, so an exported file can be edited and imported back. In
both modes a name may appear only once in a file.

Columns (only ``name`` and ``sector`` are required; order does not matter)::

    name, kind, organization, sector, pillars, predictors, relationship, influence,
    role, invitation_status, email, phone, notes

Choice columns take the id or the label shown in Upward, in any case. ``pillars`` and
``predictors`` take several ids or labels separated by semicolons.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

from upward.catalog import Catalog, get_catalog
from upward.planning.name import name_key
from upward.planning.stakeholder import (
    INFLUENCE,
    INVITATION_STATUSES,
    KINDS,
    RELATIONSHIPS,
    ROLES,
    SECTORS,
    Choice,
    InvitationStatus,
    StakeholderRole,
    label,
)

REQUIRED = ("name", "sector")
MAX_ROWS = 5000
MAX_NAME = 200
MAX_NOTES = 2000
SHOWN_NAME = 80
"""How much of a record's name an error message repeats."""
LIST_SEPARATOR = ";"

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE_CHARS_RE = re.compile(r"^\+?[0-9 ().\-]+$")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 7, 15
#: A cell that starts with an apostrophe followed by one of these was neutralized by the
#: download writer (upward.reports.downloads, which prefixes text a spreadsheet would run
#: and text that starts with an apostrophe); the import strips that one apostrophe.
ESCAPED_START = ("=", "+", "-", "@", "\t", "\r", "'")

CHOICE_COLUMNS: dict[str, tuple[Choice, ...]] = {
    "kind": KINDS,
    "sector": SECTORS,
    "relationship": RELATIONSHIPS,
    "influence": INFLUENCE,
    "role": ROLES,
    "invitation_status": INVITATION_STATUSES,
}
DEFAULTS = {
    "kind": "organization",
    "relationship": "none",
    "influence": "medium",
    "role": StakeholderRole.TO_INVITE,
    "invitation_status": InvitationStatus.NOT_INVITED,
}


@dataclass(frozen=True)
class StakeholderRow:
    name: str
    kind: str
    organization: str
    sector: str
    pillars: tuple[str, ...]
    predictors: tuple[str, ...]
    relationship: str
    influence: str
    role: str
    invitation_status: str
    email: str
    phone: str
    notes: str
    line: int = 0


COLUMNS = tuple(f.name for f in fields(StakeholderRow) if f.name != "line")
"""The CSV's columns: the fields of a row, in their order, except its line number."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str
    name: str = ""
    """The name in the row's name cell (shortened), so the error names its record."""

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" ({self.name})" if self.name else "")
        where += f", column '{self.column}'" if self.column else ""
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class CsvImport:
    rows: tuple[StakeholderRow, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold())


def _lookup(choices: Iterable[Choice]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, text in choices:
        table[_norm(value)] = value
        table[_norm(text)] = value
    return table


def validate_email(value: str) -> str | None:
    if value and (len(value) > 254 or not EMAIL_RE.match(value)):
        return f"'{value}' is not an email address (expected name@example.org)."
    return None


def validate_phone(value: str) -> str | None:
    if not value:
        return None
    digits = sum(ch.isdigit() for ch in value)
    if not PHONE_CHARS_RE.match(value) or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
        return (
            f"'{value}' is not a phone number (use digits, spaces, + ( ) - . and "
            f"{PHONE_MIN_DIGITS} to {PHONE_MAX_DIGITS} digits)."
        )
    return None


class _RowParser:
    def __init__(self, catalog: Catalog) -> None:
        self.choices = {col: _lookup(ch) for col, ch in CHOICE_COLUMNS.items()}
        self.pillars = _lookup((p.id, p.label) for p in catalog.pillars)
        self.predictors = _lookup((p.id, p.label) for p in catalog.predictors)

    def parse(
        self, line: int, raw: Mapping[str, str]
    ) -> tuple[StakeholderRow | None, list[RowError]]:
        errors: list[RowError] = []
        values: dict[str, object] = {}
        cell = {k: unescape_cell((raw.get(k) or "").strip()) for k in COLUMNS}
        if not cell["name"]:
            errors.append(RowError(line, "name", "A name is required."))
        elif len(cell["name"]) > MAX_NAME:
            errors.append(RowError(line, "name", f"Longer than {MAX_NAME} characters."))
        for column, table in self.choices.items():
            text = cell[column]
            if not text and column in DEFAULTS:
                values[column] = DEFAULTS[column]
            elif _norm(text) in table:
                values[column] = table[_norm(text)]
            else:
                allowed = ", ".join(
                    label(CHOICE_COLUMNS[column], v) for v, _ in CHOICE_COLUMNS[column]
                )
                shown = f"'{text}' is not" if text else "A value is required; it must be"
                errors.append(RowError(line, column, f"{shown} one of: {allowed}."))
        for column, table in (("pillars", self.pillars), ("predictors", self.predictors)):
            items = [t.strip() for t in cell[column].split(LIST_SEPARATOR) if t.strip()]
            unknown = [t for t in items if _norm(t) not in table]
            if unknown:
                errors.append(RowError(line, column, f"Unknown {column}: {', '.join(unknown)}."))
            values[column] = tuple(
                dict.fromkeys(table[_norm(t)] for t in items if _norm(t) in table)
            )
        for column, check in (("email", validate_email), ("phone", validate_phone)):
            message = check(cell[column])
            if message:
                errors.append(RowError(line, column, message))
        if len(cell["organization"]) > MAX_NAME:
            errors.append(RowError(line, "organization", f"Longer than {MAX_NAME} characters."))
        if len(cell["notes"]) > MAX_NOTES:
            errors.append(RowError(line, "notes", f"Longer than {MAX_NOTES} characters."))
        if errors:
            return None, errors
        plain = {k: cell[k] for k in ("name", "organization", "email", "phone", "notes")}
        return StakeholderRow(**plain, **values, line=line), []  # type: ignore[arg-type]


def parse_stakeholder_csv(
    text: str,
    existing_names: Iterable[str] = (),
    catalog: Catalog | None = None,
    update_existing: bool = False,
) -> CsvImport:
    """Parse and check a whole file; rows are returned only when no line has an error.

    A row named like one of ``existing_names`` is an error, unless ``update_existing``
    (then it is returned, for the caller to update that record with).
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return CsvImport(
            (), (RowError(1, "", "The file is empty; the first line must name the columns."),)
        )
    except csv.Error as exc:
        return CsvImport((), (RowError(1, "", f"Not a readable CSV file: {exc}."),))
    columns = [h.strip().casefold().replace(" ", "_") for h in header]
    header_errors = _check_header(columns)
    if header_errors:
        return CsvImport((), tuple(header_errors))
    parser = _RowParser(catalog or get_catalog())
    taken = {} if update_existing else {name_key(n): "the inventory" for n in existing_names}
    name_at = columns.index("name")
    rows: list[StakeholderRow] = []
    errors: list[RowError] = []
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, "", f"Not readable as CSV: {exc}."))
            break
        if not any(cell.strip() for cell in record):
            continue
        shown = _shown_name(record[name_at] if name_at < len(record) else "")
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, "", f"Too many rows: at most {MAX_ROWS} per file."))
            break
        if len(record) > len(columns):
            errors.append(
                RowError(
                    line,
                    "",
                    f"{len(record)} cells, but the header names {len(columns)} columns.",
                    shown,
                )
            )
            continue
        row, row_errors = parser.parse(line, dict(zip(columns, record, strict=False)))
        errors.extend(replace(e, name=shown) for e in row_errors)
        if row is None:
            continue
        key = name_key(row.name)
        if key in taken:
            message = f"'{row.name}' is already in {taken[key]}."
            if taken[key] == "the inventory":
                message += " To change that record, import in the mode that updates records."
            errors.append(RowError(line, "name", message, shown))
            continue
        taken[key] = f"this file (line {line})"
        rows.append(row)
    if errors:
        return CsvImport((), tuple(errors))
    return CsvImport(tuple(rows), ())


def _check_header(columns: list[str]) -> list[RowError]:
    errors = []
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        errors.append(
            RowError(
                1, "", f"Unknown column(s): {', '.join(unknown)}. Known: {', '.join(COLUMNS)}."
            )
        )
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        errors.append(RowError(1, "", f"Missing required column(s): {', '.join(missing)}."))
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        errors.append(RowError(1, "", f"Column(s) named twice: {', '.join(duplicated)}."))
    return errors


def _shown_name(cell: str) -> str:
    name = " ".join(unescape_cell(cell.strip()).split())
    return name if len(name) <= SHOWN_NAME else name[: SHOWN_NAME - 1] + "…"


def unescape_cell(value: str) -> str:
    """Undo the download writer's neutralizing apostrophe (see ESCAPED_START)."""
    if value.startswith("'") and value[1:].startswith(ESCAPED_START):
        return value[1:]
    return value


def stakeholder_records(
    rows: Iterable[StakeholderRow], catalog: Catalog | None = None
) -> list[dict[str, str]]:
    """The inventory in the import format (labels for choices), one dict per row, for the
    download writer; what it writes, the import reads back unchanged."""
    catalog = catalog or get_catalog()
    records = []
    for row in rows:
        record = {f.name: getattr(row, f.name) for f in fields(row) if f.name in COLUMNS}
        for column, choices in CHOICE_COLUMNS.items():
            record[column] = label(choices, str(record[column]))
        record["pillars"] = "; ".join(catalog.pillar(p).label for p in row.pillars)
        record["predictors"] = "; ".join(catalog.predictor(p).label for p in row.predictors)
        records.append({c: str(record[c]) for c in COLUMNS})
    return records
