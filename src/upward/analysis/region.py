"""Census regions, from a state's two-digit FIPS code."""

from __future__ import annotations

_REGIONS: dict[str, tuple[str, ...]] = {
    "Northeast": ("09", "23", "25", "33", "34", "36", "42", "44", "50"),
    "Midwest": ("17", "18", "19", "20", "26", "27", "29", "31", "38", "39", "46", "55"),
    "South": (
        *("01", "05", "10", "11", "12", "13", "21", "22", "24"),
        *("28", "37", "40", "45", "47", "48", "51", "54"),
    ),
    "West": ("02", "04", "06", "08", "15", "16", "30", "32", "35", "41", "49", "53", "56"),
}

REGION_OF_STATE: dict[str, str] = {
    state: region for region, states in _REGIONS.items() for state in states
}


def census_region(state_fips: str) -> str | None:
    """'Northeast', 'Midwest', 'South' or 'West'; None outside the 50 states and DC."""
    return REGION_OF_STATE.get(state_fips.zfill(2))
