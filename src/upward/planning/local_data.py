"""Supplemental local data (guide Step 5): read a coalition's CSV or XLSX of local
indicators, check every row, turn margins of error into 95% intervals, rate the series
with a short rubric, and compare a local value with the national metric's.

Pure: bytes in, dataclasses out; no Django, no storage. The upload is all or nothing:
:func:`parse_local_file` returns rows only when no row has a problem, and every problem
names its row (the header is row 1, as a spreadsheet shows it) and its column.

The margin-of-error rule (:func:`moe_half_width`): a 95% interval is the value plus or
minus a half-width. A margin of error published at the 90% level (the Census Bureau's
convention, and the default here) is 1.645 standard errors, so the 95% half-width is
``MOE × 1.960 / 1.645``; a 95% margin of error is the half-width itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from upward.analysis.uncertainty import Comparison, Estimate, compare_values, verdict_text
from upward.catalog import MARGINAL, STRONG, WEAK
from upward.planning.local_table import Cell, FileProblem, Row, csv_rows, xlsx_rows

Z90 = 1.645
Z95 = 1.960
MAX_ROWS = 100_000
MAX_BYTES = 10 * 1024 * 1024
MAX_ERRORS = 200
"""Problems listed at most (the rest are counted): a page of every problem in a bad
100,000-row file helps nobody."""
MAX_TEXT = 120

COLUMNS = (
    "geography",
    "geography_kind",
    "period",
    "value",
    "lower",
    "upper",
    "moe",
    "moe_level",
    "subgroup",
    "unit",
)
REQUIRED = ("geography", "period", "value")
COLUMN_HELP: tuple[tuple[str, str], ...] = (
    ("geography", "Required. The FIPS code of one of the workspace's places, or a census "
     "tract (11 digits), a ZIP code (5 digits) or the name of a neighborhood or other area."),
    ("geography_kind", "Optional: place, tract, zip, neighborhood or other. Blank: a FIPS "
     "code of one of the workspace's places is a place; any other text needs a kind."),
    ("period", "Required. A year (2023), a span of years (2022-2023) or a quarter (2023Q1)."),
    ("value", "Required. A number (a share as 0.42, or in the series' unit)."),
    ("lower", "Optional, with upper: the 95% confidence interval's lower bound."),
    ("upper", "Optional, with lower: the 95% confidence interval's upper bound."),
    ("moe", "Optional, instead of lower and upper: the margin of error."),
    ("moe_level", "Optional: 90 (the default, as the Census Bureau publishes) or 95."),
    ("subgroup", "Optional: a group the value is for (blank: everyone)."),
    ("unit", "Optional: when given, it must be the series' unit."),
)  # fmt: skip

GEOGRAPHY_KINDS = ("place", "tract", "zip", "neighborhood", "other")
PERIOD_RE = re.compile(r"^(\d{4})(?:\s*[-–/]\s*(\d{4})|\s*[Qq]([1-4]))?$")
TRACT_RE = re.compile(r"^\d{11}$")
ZIP_RE = re.compile(r"^\d{5}$")
ESCAPED_START = ("=", "+", "-", "@", "\t", "\r", "'")


def moe_half_width(moe: float, level: int = 90) -> float:
    """The 95% half-width of a margin of error published at ``level`` (90 or 95)."""
    if level == 90:
        return moe * Z95 / Z90
    if level == 95:
        return moe
    raise ValueError(f"A margin of error's level is 90 or 95, not {level}.")


def ci_from_moe(value: float, moe: float, level: int = 90) -> tuple[float, float]:
    """The 95% interval of ``value`` ± a margin of error at ``level``."""
    half = moe_half_width(moe, level)
    return value - half, value + half


CI_RULES = {
    "ci": "95% interval as given in the file (lower, upper)",
    "moe90": "95% half-width = MOE × 1.960 / 1.645 (a 90% margin of error)",
    "moe95": "95% half-width = MOE (a 95% margin of error)",
}


def describe_ci_rule(used: Iterable[str]) -> str:
    """The rules a file's intervals were made with, in words (for ``LocalSeries.ci_rule``)."""
    kinds = [k for k in CI_RULES if k in set(used)]
    if not kinds:
        return "No intervals in the file."
    return "; ".join(CI_RULES[k] for k in kinds) + "."


# -- the rubric ---------------------------------------------------------------------------

RUBRIC_ANSWERS: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))
RUBRIC: tuple[tuple[str, str], ...] = (
    ("documented", "Is the source documented well enough that someone else could "
     "reproduce the numbers?"),
    ("coverage", "Does it cover the whole area or population it describes (not only "
     "those who were easy to reach)?"),
    ("precision", "Is the sample large enough for the areas and groups shown, or is its "
     "uncertainty reported (an interval or a margin of error)?"),
    ("recent", "Is it recent: the latest period within the last three years?"),
)  # fmt: skip
RUBRIC_RULE = (
    "Strong when every answer is Yes; Weak when any answer is No; Marginal otherwise "
    "(no No, at least one Partly). Weak-rated data is shown but makes no claim."
)


def rate_quality(answers: dict[str, str]) -> str:
    """'strong', 'marginal' or 'weak' from the rubric's answers (see :data:`RUBRIC_RULE`)."""
    given = [answers.get(key, "") for key, _ in RUBRIC]
    unknown = [a for a in given if a not in dict(RUBRIC_ANSWERS)]
    if unknown:
        raise ValueError("Every rubric question needs an answer: yes, partly or no.")
    if "no" in given:
        return "weak"
    if "partly" in given:
        return "marginal"
    return "strong"


QUALITY_LABEL = {"strong": STRONG, "marginal": MARGINAL, "weak": WEAK}
"""The local rating as the catalog's quality words (what the tests of differences read)."""


# -- rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalRow:
    row: int
    geography_kind: str
    geography: str
    period: str
    subgroup: str
    value: float
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class LocalParse:
    rows: tuple[LocalRow, ...]
    errors: tuple[RowError, ...]
    more_errors: int = 0
    """Problems found beyond the :data:`MAX_ERRORS` listed."""
    ci_rule: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors


def read_table(data: bytes, filename: str) -> Iterator[Row]:
    """The numbered rows of a CSV or XLSX file (by its name's ending), the header first."""
    if len(data) > MAX_BYTES:
        raise FileProblem(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    name = filename.casefold()
    if name.endswith(".xlsx"):
        return xlsx_rows(data)
    if name.endswith((".csv", ".txt")):
        return csv_rows(data)
    raise FileProblem("Upload a .csv or .xlsx file.")


def _text(cell: Cell) -> str:
    """A cell as trimmed text: a whole number without '.0', the download writer's
    neutralizing apostrophe taken off."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    text = cell.strip()
    if text[:1] == "'" and text[1:].startswith(ESCAPED_START):
        return text[1:]
    return text


def _number(text: str) -> float | None:
    """A finite number from text (thousands separators allowed), else None."""
    try:
        value = float(text)
    except ValueError:
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            return None
    return value if math.isfinite(value) else None


class _RowChecker:
    def __init__(self, places: Iterable[str], unit: str) -> None:
        self.places = set(places)
        self.unit = unit
        self.seen: dict[tuple[str, str, str, str], int] = {}
        self.rules: set[str] = set()

    def geography(self, row: int, cell: dict[str, str], errors: list[RowError]) -> tuple[str, str]:
        geo, kind = cell.get("geography", ""), cell.get("geography_kind", "").casefold()
        if not geo:
            errors.append(RowError(row, "geography", "Empty: a geography is required."))
            return "", kind
        if len(geo) > MAX_TEXT:
            errors.append(RowError(row, "geography", f"Longer than {MAX_TEXT} characters."))
        if kind and kind not in GEOGRAPHY_KINDS:
            errors.append(RowError(row, "geography_kind", f"'{kind}' is not one of: "
                                   f"{', '.join(GEOGRAPHY_KINDS)}."))  # fmt: skip
            return geo, kind
        if not kind:
            if geo in self.places:
                return geo, "place"
            listed = ", ".join(sorted(self.places)) or "none"
            hint = "" if not geo.isdigit() else " For a ZIP code or a tract, set geography_kind."
            errors.append(RowError(row, "geography", f"Unknown place '{geo}': not one of the "
                                   f"workspace's places ({listed}), and no geography_kind "
                                   f"says what else it is.{hint}"))  # fmt: skip
            return geo, kind
        if kind == "place" and geo not in self.places:
            listed = ", ".join(sorted(self.places)) or "none"
            errors.append(RowError(row, "geography", f"Unknown place '{geo}': the workspace's "
                                   f"places are {listed}."))  # fmt: skip
        elif kind == "tract" and not TRACT_RE.match(geo):
            errors.append(RowError(row, "geography", f"'{geo}' is not a census tract (11 digits)."))
        elif kind == "zip" and not ZIP_RE.match(geo):
            errors.append(RowError(row, "geography", f"'{geo}' is not a ZIP code (5 digits)."))
        return geo, kind

    def period(self, row: int, cell: dict[str, str], errors: list[RowError]) -> str:
        text = cell.get("period", "")
        if not text:
            errors.append(RowError(row, "period", "Empty: a year or period is required."))
            return ""
        match = PERIOD_RE.match(text)
        if not match:
            errors.append(RowError(row, "period", f"'{text}' is not a year (2023), a span "
                                   "(2022-2023) or a quarter (2023Q1)."))  # fmt: skip
            return text
        start, end, quarter = match.groups()
        if end and int(end) < int(start):
            errors.append(RowError(row, "period", f"'{text}' ends before it starts."))
        if end:
            return f"{start}-{end}"
        return f"{start}Q{quarter}" if quarter else start

    def interval(
        self, row: int, value: float | None, cell: dict[str, str], errors: list[RowError]
    ) -> tuple[float | None, float | None]:
        raw = {k: cell.get(k, "") for k in ("lower", "upper", "moe", "moe_level")}
        numbers: dict[str, float | None] = {}
        for key in ("lower", "upper", "moe"):
            if raw[key]:
                numbers[key] = _number(raw[key])
                if numbers[key] is None:
                    errors.append(RowError(row, key, f"'{raw[key]}' is not a number."))
        has_ci = bool(raw["lower"] or raw["upper"])
        if has_ci and raw["moe"]:
            errors.append(RowError(row, "moe", "Give either lower and upper or a moe, not both."))
            return None, None
        if has_ci:
            if not (raw["lower"] and raw["upper"]):
                missing = "upper" if raw["lower"] else "lower"
                errors.append(RowError(row, missing, "Empty: lower and upper go together."))
                return None, None
            lower, upper = numbers.get("lower"), numbers.get("upper")
            if lower is None or upper is None or value is None:
                return None, None
            if lower > value:
                errors.append(RowError(row, "lower", f"The lower bound {raw['lower']} is above "
                                       f"the value {cell.get('value', '')}."))  # fmt: skip
            if upper < value:
                errors.append(RowError(row, "upper", f"The upper bound {raw['upper']} is below "
                                       f"the value {cell.get('value', '')}."))  # fmt: skip
            self.rules.add("ci")
            return lower, upper
        if raw["moe_level"] and not raw["moe"]:
            errors.append(RowError(row, "moe_level", "A level without a moe: give the moe too."))
            return None, None
        if not raw["moe"]:
            return None, None
        moe = numbers.get("moe")
        level_text = raw["moe_level"].removesuffix("%").strip() or "90"
        if level_text not in ("90", "95", "90.0", "95.0"):
            errors.append(RowError(row, "moe_level", f"'{raw['moe_level']}' is not 90 or 95."))
            return None, None
        if moe is None or value is None:
            return None, None
        if moe < 0:
            errors.append(RowError(row, "moe", f"The margin of error {raw['moe']} is negative."))
            return None, None
        level = int(float(level_text))
        self.rules.add(f"moe{level}")
        return ci_from_moe(value, moe, level)

    def check(self, row: int, cell: dict[str, str]) -> tuple[LocalRow | None, list[RowError]]:
        errors: list[RowError] = []
        geo, kind = self.geography(row, cell, errors)
        period = self.period(row, cell, errors)
        raw_value = cell.get("value", "")
        value = _number(raw_value) if raw_value else None
        if not raw_value:
            errors.append(RowError(row, "value", "Empty: a value is required."))
        elif value is None:
            errors.append(RowError(row, "value", f"'{raw_value}' is not a number."))
        lower, upper = self.interval(row, value, cell, errors)
        subgroup = cell.get("subgroup", "")
        if len(subgroup) > MAX_TEXT:
            errors.append(RowError(row, "subgroup", f"Longer than {MAX_TEXT} characters."))
        unit = cell.get("unit", "")
        if unit and unit.casefold() != self.unit.strip().casefold():
            message = f"'{unit}' is not the series' unit ('{self.unit}'); leave it blank."
            errors.append(RowError(row, "unit", message))
        if errors or value is None:
            return None, errors
        key = (kind, geo.casefold(), period, subgroup.casefold())
        if key in self.seen:
            where = f"{geo}, {period}" + (f", {subgroup}" if subgroup else "")
            message = (
                f"Duplicate of row {self.seen[key]} (same geography, period and subgroup: {where})."
            )
            return None, [RowError(row, "geography", message)]
        self.seen[key] = row
        return LocalRow(row, kind, geo, period, subgroup, value, lower, upper), []


def _header(row: int, cells: Sequence[Cell]) -> tuple[list[str], list[RowError]]:
    columns = [_text(c).casefold().replace(" ", "_") for c in cells]
    while columns and not columns[-1]:
        columns.pop()
    errors = []
    unknown = [c or "(blank)" for c in columns if c not in COLUMNS]
    if unknown:
        errors.append(RowError(row, ", ".join(unknown), f"Unknown column(s): "
                               f"{', '.join(unknown)}. Known: {', '.join(COLUMNS)}."))  # fmt: skip
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        errors.append(RowError(row, ", ".join(missing), "Missing required column(s): "
                               f"{', '.join(missing)}."))  # fmt: skip
    twice = sorted({c for c in columns if c and columns.count(c) > 1})
    if twice:
        errors.append(
            RowError(row, ", ".join(twice), f"Column(s) named twice: {', '.join(twice)}.")
        )
    return columns, errors


def parse_local_file(data: bytes, filename: str, places: Iterable[str], unit: str) -> LocalParse:
    """Read and check a whole file; rows are returned only when no row has a problem.

    ``places``: the FIPS codes of the workspace's places; ``unit``: the series' unit.
    The first row that is not blank names the columns. A problem with the file as a
    whole (size, encoding, format) is one error on row 1.
    """
    try:
        table = read_table(data, filename)
        for number, header in table:  # noqa: B007 (the header row, used below)
            if any(_text(c) for c in header):
                break
        else:
            return LocalParse((), (RowError(1, "", "The file is empty; the first row must "
                                            "name the columns."),))  # fmt: skip
        columns, header_errors = _header(number, header)
        if header_errors:
            return LocalParse((), tuple(header_errors))
        return _parse_rows(table, columns, _RowChecker(places, unit), number)
    except FileProblem as exc:
        return LocalParse((), (RowError(1, "", str(exc)),))


def _parse_rows(
    table: Iterator[Row], columns: list[str], checker: _RowChecker, header_row: int
) -> LocalParse:
    rows: list[LocalRow] = []
    errors: list[RowError] = []
    more = seen = 0
    width = len(columns)
    for number, cells in table:
        texts = [_text(c) for c in cells]
        if not any(texts):
            continue
        if seen >= MAX_ROWS:
            errors.append(RowError(number, "", f"Too many rows: at most {MAX_ROWS:,} per file."))
            break
        seen += 1
        if any(texts[width:]):
            message = f"{len(texts)} cells, but the header names {width} columns."
            found = [RowError(number, "", message)]
        else:
            row, found = checker.check(number, dict(zip(columns, texts, strict=False)))
            if row is not None:
                rows.append(row)
        room = MAX_ERRORS - len(errors)
        errors.extend(found[:room])
        more += max(0, len(found) - room)
    if errors:
        return LocalParse((), tuple(errors), more)
    if not rows:
        message = "The file has a header but no rows of data."
        return LocalParse((), (RowError(header_row + 1, "", message),))
    return LocalParse(tuple(rows), (), 0, describe_ci_rule(checker.rules))


def template_csv() -> str:
    """A small example file in the upload format (the page offers it for download)."""
    lines = [
        ",".join(COLUMNS),
        "27123,,2023,0.42,0.39,0.45,,,,",
        "27123,,2022,0.40,,,0.02,90,,",
        "55104,zip,2023,0.37,,,0.05,95,,",
        "Frogtown,neighborhood,2022-2023,0.35,,,,,Youth 16 to 24,",
    ]
    return "\n".join(lines) + "\n"


# -- beside the national metric -----------------------------------------------------------


def end_year(period: str) -> int | None:
    """The last year a period covers: 2023 for '2023', '2022-2023' and '2023Q1'."""
    match = PERIOD_RE.match(period)
    if not match:
        return None
    start, end, _quarter = match.groups()
    return int(end or start)


def _norm_unit(unit: str) -> str:
    return " ".join(unit.casefold().replace("%", " percent ").split())


PERCENT_WORDS = frozenset({"percent", "percentage", "per cent", "percentage points"})


def unit_factor(local_unit: str, national_unit: str, national_detail: str = "") -> float | None:
    """What a local value is multiplied by to be in the national variable's unit, or None
    when the units differ (then nothing is compared).

    A share matches 'share' (0 to 1) and, divided by 100, 'percent'; dollars, an index
    and a ratio match their own name; a rate or a count matches the national unit's
    words ('per 100,000 people'), so a rate per 1,000 is not set beside one per 100,000.
    """
    local = _norm_unit(local_unit)
    if national_unit == "share":
        if local in ("share", "proportion", "share (0 to 1)"):
            return 1.0
        return 0.01 if local in PERCENT_WORDS else None
    if national_unit == "dollars":
        return 1.0 if local in ("dollars", "dollar", "$", "us dollars") else None
    if national_unit in ("index", "ratio") and local == national_unit:
        return 1.0
    if national_detail and local == _norm_unit(national_detail):
        return 1.0
    return None


@dataclass(frozen=True)
class LocalVerdict:
    """What may be said of a local value beside the national one."""

    kind: str
    """'different', 'not_distinguishable', 'not_tested', 'weak' or 'units'."""
    text: str
    comparison: Comparison | None = None

    @property
    def claims_difference(self) -> bool:
        return self.kind == "different"


def compare_local(
    value: float,
    lower: float | None,
    upper: float | None,
    quality: str,
    national: Estimate,
    factor: float | None,
    national_name: str = "the national metric",
) -> LocalVerdict:
    """A local value against the national metric's value for the same place.

    Different only when both have intervals and a 95% test of the difference supports
    it; Weak on either side makes no claim; no interval on a side: not tested; units that
    differ (``factor`` None): not compared. Worded neutrally (never better or worse).
    """
    if factor is None:
        return LocalVerdict("units", "not compared: the units differ")
    if quality == "weak" or national.weak:
        side = "local data" if quality == "weak" else "the national value"
        return LocalVerdict("weak", f"not compared: {side} rated Weak")
    local = Estimate(
        value * factor,
        None if lower is None else lower * factor,
        None if upper is None else upper * factor,
        QUALITY_LABEL.get(quality),
    )
    result = compare_values(local, national)
    if result.verdict in ("higher", "lower"):
        return LocalVerdict("different", verdict_text(result, "context", national_name), result)
    if result.verdict == "not_distinguishable":
        return LocalVerdict("not_distinguishable", verdict_text(result, "context", national_name),
                            result)  # fmt: skip
    if result.verdict == "too_uncertain":
        return LocalVerdict("weak", "not compared: rated Weak", result)
    if result.verdict == "no_data":
        return LocalVerdict("not_tested", f"not compared: {result.reason}", result)
    sign = result.sign
    word = "the same as" if sign == 0 else ("higher than" if sign > 0 else "lower than")
    return LocalVerdict("not_tested", f"{word} {national_name}, not tested (no interval on "
                        "both sides)", result)  # fmt: skip


def rows_to_records(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Stored values (anything with LocalValue's fields) as rows of the upload format, for
    the download writer: what it writes, the upload reads back."""
    records = []
    for r in rows:
        records.append({
            "geography": r.geography, "geography_kind": r.geography_kind, "period": r.period,
            "value": r.value, "lower": "" if r.lower is None else r.lower,
            "upper": "" if r.upper is None else r.upper, "moe": "", "moe_level": "",
            "subgroup": r.subgroup, "unit": "",
        })  # fmt: skip
    return records
