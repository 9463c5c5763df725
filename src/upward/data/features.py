"""Peer characteristics of every county and city, read from the warehouse.

Characteristics of every current county or city:

* ``population``: the latest population in Urban's population table;
* published variables (residents' shares by race and ethnicity, income percentiles,
  concentrated poverty): the value of the latest year published for that kind of place.
  Values rated Weak are left out (treated as missing), since a match on a number Urban
  says not to rely on would be a match on noise. Older years are not used as a fallback:
  dollar amounts of different years are not comparable (no inflation adjustment);
* ``in_place_share`` (counties only): the share of residents who live inside a city,
  town or census-designated place, from the Geocorr 2022 county-to-place allocation
  (one minus the "not in a place" share). Urban publishes no land area, so population
  density cannot be computed; this share separates rural counties (most residents outside
  any place) from urban and suburban ones. Cities (all incorporated places of 75,000 people
  or more) have no comparable measure, so none is used for them.

The analysis layer (``upward.analysis.peers``) turns these records into z-scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from upward.catalog import ALL_TYPE, COUNTY, GEO_LEVELS, QUALITY_CODES, WEAK
from upward.data.warehouse import Warehouse

IN_PLACE_SHARE = "in_place_share"
POPULATION = "population"


@dataclass(frozen=True)
class PlaceCharacteristics:
    geoid: str
    geo_level: str
    name: str
    state_fips: str
    state_abbr: str
    values: dict[str, float | None] = field(hash=False)


@dataclass(frozen=True)
class Characteristics:
    geo_level: str
    places: tuple[PlaceCharacteristics, ...]
    years: dict[str, int | None] = field(hash=False)
    """The year each characteristic comes from (population: the latest population year)."""


def _published(
    warehouse: Warehouse, geo_level: str, variables: Sequence[str]
) -> tuple[dict[str, dict[str, float]], dict[str, int | None]]:
    if not variables:
        return {}, {}
    marks = ", ".join("?" for _ in variables)
    rows = warehouse.query(
        f"""
        WITH latest AS (
            SELECT variable, max(year) AS year FROM observation
            WHERE geo_level = ? AND subgroup_type = '{ALL_TYPE}' AND value IS NOT NULL
              AND variable IN ({marks})
            GROUP BY variable)
        SELECT o.geoid, o.variable, o.value, o.year
        FROM observation o JOIN latest l ON l.variable = o.variable AND l.year = o.year
        WHERE o.geo_level = ? AND o.subgroup_type = '{ALL_TYPE}' AND o.value IS NOT NULL
          AND coalesce(o.quality, 0) <> {QUALITY_CODES[WEAK]}
        """,
        [geo_level, *variables, geo_level],
    )
    values: dict[str, dict[str, float]] = {}
    years: dict[str, int | None] = dict.fromkeys(variables)
    for geoid, variable, value, year in rows:
        values.setdefault(geoid, {})[variable] = float(value)
        years[variable] = int(year)
    return values, years


def _in_place_shares(warehouse: Warehouse) -> dict[str, float]:
    rows = warehouse.query(
        """
        SELECT county_geoid,
               1 - coalesce(sum(afact) FILTER (WHERE place_geoid LIKE '%99999'), 0)
        FROM county_place GROUP BY county_geoid
        """
    )
    return {geoid: min(max(float(share), 0.0), 1.0) for geoid, share in rows}


def load_characteristics(
    warehouse: Warehouse, geo_level: str, variables: Sequence[str]
) -> Characteristics:
    """Population, ``variables`` (latest year) and, for counties, the in-place share."""
    if geo_level not in GEO_LEVELS:
        raise ValueError(f"Unknown kind of place '{geo_level}'; use county or city.")
    published, years = _published(warehouse, geo_level, variables)
    in_place = _in_place_shares(warehouse) if geo_level == COUNTY else {}
    places = []
    population_years: set[int] = set()
    for geo in warehouse.geographies.values():
        if geo.geo_level != geo_level or not geo.current:
            continue
        values: dict[str, float | None] = {POPULATION: geo.population}
        if geo.population_year:
            population_years.add(geo.population_year)
        own = published.get(geo.geoid, {})
        values.update({v: own.get(v) for v in variables})
        if geo_level == COUNTY:
            values[IN_PLACE_SHARE] = in_place.get(geo.geoid)
        places.append(
            PlaceCharacteristics(
                geo.geoid, geo.geo_level, geo.display_name, geo.state_fips, geo.state_abbr, values
            )
        )
    years[POPULATION] = max(population_years, default=None)
    if geo_level == COUNTY:
        years[IN_PLACE_SHARE] = 2022
    return Characteristics(geo_level, tuple(places), years)
