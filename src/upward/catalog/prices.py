"""The consumer price index shipped with Upward, to compare dollars across years.

``cpi_u.csv`` holds the BLS CPI-U annual averages (series CUUR0000SA0, U.S. city average,
all items, not seasonally adjusted, 1982-84=100); its header names the release. The file
is read once per process (:func:`consumer_prices`); afterwards every lookup is in memory.

A dollar value of year ``a`` is worth ``value × CPI[b] / CPI[a]`` in dollars of year ``b``.
A year outside the table has no factor (None): nothing is guessed or extrapolated.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType

CPI_FILE = "cpi_u.csv"


@dataclass(frozen=True)
class PriceIndex:
    """An annual price index with its source, read from a CSV with a commented header."""

    name: str
    source: str
    """The header comment of the file: publisher, series, release and retrieval."""
    annual: Mapping[int, float] = field(hash=False)

    @property
    def years(self) -> tuple[int, int]:
        """The first and last year in the table."""
        return (min(self.annual), max(self.annual))

    def covers(self, year: int) -> bool:
        return year in self.annual

    def factor(self, from_year: int, to_year: int) -> float | None:
        """Multiply dollars of ``from_year`` by this to get dollars of ``to_year``."""
        if from_year not in self.annual or to_year not in self.annual:
            return None
        return self.annual[to_year] / self.annual[from_year]

    def missing(self, *years: int) -> tuple[int, ...]:
        """The given years the table does not cover, in order."""
        return tuple(y for y in years if y not in self.annual)


def read_price_index(text: str, name: str) -> PriceIndex:
    """A price index from CSV text: ``#`` header lines, then ``year,<index>`` rows."""
    lines = text.splitlines()
    header = [line[1:].strip() for line in lines if line.startswith("#")]
    rows = list(csv.reader(line for line in lines if line.strip() and not line.startswith("#")))
    if not rows or len(rows[0]) != 2 or rows[0][0] != "year":
        raise ValueError(f"{name}: expected a header row 'year,<index>' after the comments.")
    annual: dict[int, float] = {}
    for number, row in enumerate(rows[1:], start=2):
        try:
            year, value = int(row[0]), float(row[1])
        except (IndexError, ValueError):
            raise ValueError(f"{name}: data row {number} is not 'year,value': {row}") from None
        if year in annual or not value > 0:
            raise ValueError(f"{name}: year {year} is repeated or its index is not positive.")
        annual[year] = value
    if not annual:
        raise ValueError(f"{name}: no years.")
    return PriceIndex(name, " ".join(header), MappingProxyType(annual))


@functools.cache
def consumer_prices() -> PriceIndex:
    """The CPI-U annual averages shipped with the package (read once)."""
    text = resources.files("upward.catalog").joinpath(CPI_FILE).read_text("utf-8")
    return read_price_index(text, "CPI-U (BLS CUUR0000SA0, annual average)")
