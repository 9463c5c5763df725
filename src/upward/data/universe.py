"""The county and city universes (names, states, populations by year) and the
county-to-place crosswalk."""

from __future__ import annotations

import re

import duckdb

from upward.catalog import CITY, COUNTY
from upward.data.contract import MalformedFile
from upward.data.source import SourceFile, read_table

STATES: dict[str, tuple[str, str]] = {
    "01": ("AL", "Alabama"), "02": ("AK", "Alaska"), "04": ("AZ", "Arizona"),
    "05": ("AR", "Arkansas"), "06": ("CA", "California"), "08": ("CO", "Colorado"),
    "09": ("CT", "Connecticut"), "10": ("DE", "Delaware"),
    "11": ("DC", "District of Columbia"), "12": ("FL", "Florida"), "13": ("GA", "Georgia"),
    "15": ("HI", "Hawaii"), "16": ("ID", "Idaho"), "17": ("IL", "Illinois"),
    "18": ("IN", "Indiana"), "19": ("IA", "Iowa"), "20": ("KS", "Kansas"),
    "21": ("KY", "Kentucky"), "22": ("LA", "Louisiana"), "23": ("ME", "Maine"),
    "24": ("MD", "Maryland"), "25": ("MA", "Massachusetts"), "26": ("MI", "Michigan"),
    "27": ("MN", "Minnesota"), "28": ("MS", "Mississippi"), "29": ("MO", "Missouri"),
    "30": ("MT", "Montana"), "31": ("NE", "Nebraska"), "32": ("NV", "Nevada"),
    "33": ("NH", "New Hampshire"), "34": ("NJ", "New Jersey"), "35": ("NM", "New Mexico"),
    "36": ("NY", "New York"), "37": ("NC", "North Carolina"), "38": ("ND", "North Dakota"),
    "39": ("OH", "Ohio"), "40": ("OK", "Oklahoma"), "41": ("OR", "Oregon"),
    "42": ("PA", "Pennsylvania"), "44": ("RI", "Rhode Island"),
    "45": ("SC", "South Carolina"), "46": ("SD", "South Dakota"), "47": ("TN", "Tennessee"),
    "48": ("TX", "Texas"), "49": ("UT", "Utah"), "50": ("VT", "Vermont"),
    "51": ("VA", "Virginia"), "53": ("WA", "Washington"), "54": ("WV", "West Virginia"),
    "55": ("WI", "Wisconsin"), "56": ("WY", "Wyoming"), "72": ("PR", "Puerto Rico"),
}  # fmt: skip

#: Legal/statistical area words Census appends to place names ("Tulsa city").
PLACE_SUFFIX = re.compile(
    r"\s+(city and borough|consolidated government \(balance\)|"
    r"metropolitan government \(balance\)|metro government \(balance\)|"
    r"unified government \(balance\)|city|town|village|CDP|municipality|borough)$"
)


UNIVERSE_COLUMNS = {
    "county": frozenset({"year", "state", "county", "state_name", "county_name", "population"}),
    "place": frozenset({"year", "state", "place", "state_name", "place_name", "population"}),
}


def is_universe_file(columns: tuple[str, ...]) -> bool:
    """A population file: exactly the universe columns, nothing else.

    A file with more columns (a combined metrics file also carries names and a
    population) is never taken for a universe.
    """
    return set(columns) in UNIVERSE_COLUMNS.values()


def is_crosswalk_file(columns: tuple[str, ...]) -> bool:
    return {"countyfip", "state", "place", "afact"} <= set(columns)


def short_place_name(name: str) -> str:
    """'Tulsa city' -> 'Tulsa'; 'Urban Honolulu CDP' -> 'Urban Honolulu'."""
    return PLACE_SUFFIX.sub("", name).strip()


def load_universe(con: duckdb.DuckDBPyConnection, source: SourceFile) -> int:
    """Read a county- or place-population file into ``geography_year`` (one SQL pass)."""
    geo = "county" if "county" in source.columns else "place"
    level, width = (COUNTY, 3) if geo == "county" else (CITY, 5)
    _read_text(con, source)
    bad = con.execute(
        f"""SELECT rowid + 2, year, state, {geo} FROM src
            WHERE try_cast(trim(year) AS INTEGER) IS NULL
               OR NOT regexp_full_match(coalesce(trim(state), ''), '[0-9]{{1,2}}')
               OR NOT regexp_full_match(coalesce(trim({geo}), ''), '[0-9]{{1,{width}}}')
            ORDER BY rowid LIMIT 1"""
    ).fetchone()
    if bad:
        raise MalformedFile(
            source.relpath, int(bad[0]), None, f"bad year or FIPS code in {bad[1:]}"
        )
    # 2014 rows of county-populations.csv put "New Mexico, Doña Ana County" in state_name
    # and NA in county_name, and start county names with a space: repair both.
    split = f"(({geo}_name IS NULL OR trim({geo}_name) IN ('', 'NA')) AND state_name LIKE '%,%')"
    con.execute(
        f"""INSERT INTO geography_year
            SELECT lpad(trim(state), 2, '0') || lpad(trim({geo}), {width}, '0'), '{level}',
                   CAST(trim(year) AS SMALLINT),
                   CASE WHEN {split} THEN trim(split_part(state_name, ',', 2))
                        ELSE trim({geo}_name) END,
                   lpad(trim(state), 2, '0'),
                   CASE WHEN {split} THEN trim(split_part(state_name, ',', 1))
                        ELSE trim(state_name) END,
                   try_cast(trim(population) AS DOUBLE)
            FROM src"""
    )
    count = con.execute("SELECT count(*) FROM src").fetchone()
    return int(count[0]) if count else 0


def _read_text(con: duckdb.DuckDBPyConnection, source: SourceFile) -> None:
    read_table(con, source, dict.fromkeys(source.columns, "VARCHAR"), table="src")


def load_crosswalk(con: duckdb.DuckDBPyConnection, source: SourceFile) -> int:
    """Read Geocorr's county-to-place allocation factors into ``county_place``."""
    _read_text(con, source)
    period = "crosswalk_period" if "crosswalk_period" in source.columns else "NULL"
    name = "PlaceName" if "PlaceName" in source.columns else "NULL"
    afact2 = "try_cast(afact2 AS DOUBLE)" if "afact2" in source.columns else "NULL"
    try:
        con.execute(
            f"""INSERT INTO county_place
                SELECT lpad(trim(countyfip), 5, '0'),
                       lpad(trim(state), 2, '0') || lpad(trim(place), 5, '0'), {name},
                       CAST(afact AS DOUBLE), {afact2}, {period}
                FROM src"""
        )
    except duckdb.Error as exc:
        raise MalformedFile(source.relpath, None, "afact", f"not a number: {exc}") from exc
    count = con.execute("SELECT count(*) FROM src").fetchone()
    return int(count[0]) if count else 0
