"""The data contract for Urban's per-metric files: what a file must look like to load.

The rules follow the "Data Standards" of Urban's mobility-from-poverty repository and
its final-data evaluation script: year, two-digit state and three-digit county (or
five-digit place) FIPS codes, numeric values with optional ``_lb``/``_ub`` bounds that
bracket the estimate, quality codes 1/2/3, one row per geography, year and subgroup.

Two kinds of finding:

* :class:`MalformedFile` stops the whole load: the file cannot be trusted (it is
  truncated, not text, mistyped, has duplicate keys or labels we do not know).
* :class:`Rejection` drops one cell or row and is listed in the load report (bounds
  that do not bracket the estimate, a subgroup row without a label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from upward.catalog import CITY, COUNTY
from upward.catalog import QUALITY_CODES as QUALITY_WORD_CODES

#: Columns that identify geography and time in a per-metric file.
GEO_COLUMNS: dict[str, tuple[str, int]] = {
    "county": (COUNTY, 3),
    "place": (CITY, 5),
    "place_fips": (CITY, 5),
}

#: Descriptive columns that some files carry and the loader deliberately ignores.
DESCRIPTIVE_COLUMNS = frozenset({"state_name", "county_name", "place_name", "city", "state_place"})

#: Text that means "no value" in Urban's files (R writes NA, Stata writes nothing).
MISSING_TOKENS = ("", "NA")

#: Quality codes as written in per-metric files (numbers) and combined files (words).
QUALITY_CODES: dict[str, int] = {
    "1": 1,
    "2": 2,
    "3": 3,
    "1.0": 1,
    "2.0": 2,
    "3.0": 3,
    **QUALITY_WORD_CODES,
}

#: Ratio values published as text pairs, for example "0.119:0.246".
RATIO_PAIR_PATTERN = r"^\s*[0-9]*\.?[0-9]+\s*:\s*[0-9]*\.?[0-9]+\s*$"

FileKind = Literal["overall", "subgroup", "combined", "universe", "crosswalk", "ignored"]


@dataclass(frozen=True)
class Rejection:
    """A cell or row that was not loaded, and why."""

    path: str
    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.column:
            where += f" column '{self.column}'"
        return f"{where}: {self.reason}"


class MalformedFile(Exception):
    """A file that breaks the data contract; nothing from the load is kept."""

    def __init__(self, path: str, line: int | None, column: str | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.column:
            where += f" column '{self.column}'"
        return f"{where}: {self.reason}"


# The rules as SQL over DuckDB text columns: the loader applies them to every row in these
# words, and tests/test_contract.py runs them through DuckDB. ``column`` is a SQL expression.


def is_fips_sql(column: str, width: int) -> str:
    """SQL true when ``column`` holds a FIPS code of 1 to ``width`` digits (spaces around
    it allowed), false otherwise, NULL included."""
    text = f"trim({column})"
    return f"coalesce(length({text}) BETWEEN 1 AND {width} AND {text} NOT GLOB '*[!0-9]*', false)"


def pad_fips_sql(column: str, width: int) -> str:
    """SQL for a FIPS code zero-padded to ``width``, for a code published without its
    leading zeros ('1' -> '01'); the code must pass :func:`is_fips_sql`."""
    return f"lpad(trim({column}), {width}, '0')"


def is_ratio_pair_sql(column: str) -> str:
    """SQL true when ``column`` holds a published ratio ``"a:b"`` of two shares."""
    pattern = RATIO_PAIR_PATTERN.strip("^$").replace("'", "''")
    return f"regexp_full_match({column}, '{pattern}')"


def ratio_pair_sql(column: str) -> tuple[str, str]:
    """SQL for the two shares of a ratio ``"a:b"`` (``" 0.119 : 0.246"`` -> 0.119, 0.246)."""
    text = f"trim({column})"
    return (
        f"CAST(split_part({text}, ':', 1) AS DOUBLE)",
        f"CAST(split_part({text}, ':', 2) AS DOUBLE)",
    )


def parse_ratio_pair(text: str) -> tuple[float, float]:
    """The two shares of a ratio ``"a:b"`` as the loader stored it, for display.

    The same split as :func:`ratio_pair_sql` (tests run both on the same texts).

    >>> parse_ratio_pair("0.119:0.246")
    (0.119, 0.246)
    """
    left, sep, right = text.strip().partition(":")
    if not sep or not re.fullmatch(RATIO_PAIR_PATTERN, text):
        raise ValueError(f"'{text}' is not of the form a:b")
    return float(left), float(right)


def missing_tokens_sql() -> str:
    """The spellings of "no value" as the list DuckDB's CSV reader takes (``nullstr``)."""
    return "[" + ", ".join(f"'{token}'" for token in MISSING_TOKENS) + "]"
