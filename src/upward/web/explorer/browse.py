"""Finding a place: states with their counties and cities, and search results as data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from upward.catalog import CITY, COUNTY, Catalog
from upward.explore import Geography
from upward.explore.shapes import geography_out


@dataclass(frozen=True)
class State:
    fips: str
    abbr: str
    name: str
    counties: int
    cities: int

    @property
    def url_path(self) -> str:
        return f"/state/{self.fips}/"

    def as_dict(self) -> dict[str, Any]:
        return {
            "fips": self.fips,
            "abbr": self.abbr,
            "name": self.name,
            "counties": self.counties,
            "cities": self.cities,
            "url": self.url_path,
        }


def list_states(places: dict[str, Geography]) -> list[State]:
    """Every state with at least one county or city, by name."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {COUNTY: 0, CITY: 0})
    names: dict[str, tuple[str, str]] = {}
    for geo in places.values():
        counts[geo.state_fips][geo.geo_level] += 1
        names[geo.state_fips] = (geo.state_abbr, geo.state_name)
    states = [
        State(fips, names[fips][0], names[fips][1], c[COUNTY], c[CITY])
        for fips, c in counts.items()
    ]
    return sorted(states, key=lambda s: s.name)


def places_in_state(
    places: dict[str, Geography], fips: str
) -> tuple[list[Geography], list[Geography]]:
    """(counties, cities) of a state, each sorted by the name every page shows."""
    inside = [g for g in places.values() if g.state_fips == fips]
    counties = sorted((g for g in inside if g.geo_level == COUNTY), key=lambda g: g.display_name)
    cities = sorted((g for g in inside if g.geo_level == CITY), key=lambda g: g.display_name)
    return counties, cities


def place_dict(geo: Geography) -> dict[str, Any]:
    """A place as a search result or list entry: its one JSON shape."""
    return geography_out(geo).model_dump(mode="json")


def framework_dict(catalog: Catalog) -> dict[str, Any]:
    """The framework in our words: the three-part definition and the five pillars."""
    return {
        "definition": [
            {"id": p.id, "label": p.label, "description": p.description} for p in catalog.definition
        ],
        "pillars": [
            {
                "id": pillar.id,
                "label": pillar.label,
                "description": pillar.description,
                "predictors": [
                    {
                        "id": pred.id,
                        "label": pred.label,
                        "metrics": [
                            {"id": m, "label": catalog.metric(m).short_label}
                            for m in pred.metric_ids
                        ],
                    }
                    for pred in (catalog.predictor(p) for p in pillar.predictor_ids)
                ],
            }
            for pillar in catalog.pillars
        ],
    }
