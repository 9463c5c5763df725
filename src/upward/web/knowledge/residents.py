"""Residents' shares by race and ethnicity for a workspace's place, from the current
release (Urban's descriptive-representation file): what participants in engagements and
elected officials are compared with. The one place the knowledge app reads these shares.
"""

from __future__ import annotations

from dataclasses import dataclass

from upward.catalog import ALL_TYPE
from upward.explore import Observation, PlaceNotFound, WarehouseMissing
from upward.planning.knowledge import RACE_GROUPS, RESIDENT_SHARE_METRIC, RESIDENT_SHARE_VARIABLE
from upward.web.data import get_release


@dataclass(frozen=True)
class ResidentShares:
    """The latest published share of residents in each group, for one place."""

    geoid: str
    place: str
    """The place's display name ("Ramsey County, MN")."""
    year: int
    release: str
    """The release the shares were read from (its name, or its version)."""
    shares: dict[str, Observation]
    """Group id (``RACE_GROUPS``) -> the published cell (value, lb, ub, quality)."""


class SharesUnavailable(LookupError):
    """The shares cannot be read; the message says why, for the page."""


def resident_shares(geoid: str) -> ResidentShares:
    """The latest year in which Urban publishes every group's share for ``geoid``."""
    try:
        release = get_release()
        geo = release.geography(geoid)
    except WarehouseMissing:
        raise SharesUnavailable("The metrics data is not loaded on this server.") from None
    except (PlaceNotFound, ValueError):
        raise SharesUnavailable(f"Place {geoid} is not in the current release.") from None
    wanted = {variable: group for group, variable in RESIDENT_SHARE_VARIABLE.items()}
    by_year: dict[int, dict[str, Observation]] = {}
    for obs in release.series(geo, RESIDENT_SHARE_METRIC):
        if obs.subgroup_type == ALL_TYPE and obs.variable in wanted and obs.value is not None:
            by_year.setdefault(obs.year, {})[wanted[obs.variable]] = obs
    complete = [year for year, cells in by_year.items() if len(cells) == len(RACE_GROUPS)]
    if not complete:
        raise SharesUnavailable(
            f"The current release publishes no residents' shares by race and ethnicity "
            f"for {geo.display_name}."
        )
    year = max(complete)
    return ResidentShares(
        geoid=geo.geoid,
        place=geo.display_name,
        year=year,
        release=release.release_name or release.version,
        shares=by_year[year],
    )
