"""The counties a city lies in, from Geocorr's county-to-place crosswalk (``county_place``).

The crosswalk names every Census place, also the many cities too small for Urban's city
data, so a city the release does not publish can still be placed in its county."""

from __future__ import annotations

from dataclasses import dataclass

from upward.data.place_search import fold_name
from upward.data.universe import STATES, short_place_name
from upward.data.warehouse import Warehouse


@dataclass(frozen=True)
class CityCounty:
    """One county a city lies in (a city across county lines has one row per county)."""

    city_geoid: str
    city_name: str
    """As Geocorr writes it, e.g. "Dubuque city, IA"."""
    county_geoid: str
    share_of_city: float | None
    """The city's residents living in this county, 0 to 1 (Geocorr's ``afact2``)."""


def counties_of_city(warehouse: Warehouse, name: str, state_abbr: str) -> list[CityCounty]:
    """The counties of the city called ``name`` (without "city" or "town") in the state
    with this two-letter code, largest share of the city first; empty when the crosswalk
    has no such city (or the release has no crosswalk)."""
    fips = next((f for f, (abbr, _) in STATES.items() if abbr == state_abbr.upper()), None)
    if fips is None:
        return []
    rows = warehouse.query(
        """SELECT place_geoid, place_name, county_geoid, afact2 FROM county_place
           WHERE place_geoid LIKE ? AND place_name IS NOT NULL""",
        [f"{fips}%"],
    )
    wanted = fold_name(name)
    found = [
        CityCounty(place, place_name, county, None if share is None else float(share))
        for place, place_name, county, share in rows
        if fold_name(short_place_name(place_name.rsplit(",", 1)[0].strip())) == wanted
    ]
    return sorted(found, key=lambda c: (-(c.share_of_city or 0.0), c.city_geoid, c.county_geoid))
