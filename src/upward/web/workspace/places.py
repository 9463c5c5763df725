"""Places as the workspace sees them: jurisdiction lookup and headline values.

The one place where the workspace app reads a release (through upward.explore).
"""

from __future__ import annotations

from dataclasses import dataclass

from upward.catalog import CITY, COUNTY
from upward.explore import FIPS_WIDTH, AmbiguousPlace, Geography, PlaceNotFound, WarehouseMissing
from upward.planning.coverage import AreaToExplore
from upward.reports.numbers import format_ci, format_value, unit_suffix
from upward.web.data import get_release

HEADLINE_METRICS = (
    "income_percentiles",
    "employment_ratio",
    "housing_affordability",
    "low_birth_weight",
)
MAX_PLACES = 20


class PlaceError(ValueError):
    """A place the user typed could not be found; the message says why."""


def find_place(text: str) -> Geography:
    """A county or city from a FIPS code or a name such as 'Ramsey County, MN'."""
    try:
        return get_release().find_place(text)
    except AmbiguousPlace as exc:
        names = "; ".join(f"{g.display_name} ({g.geoid})" for g in exc.suggestions[:5])
        raise PlaceError(f"'{text}' matches several places: {names}. Use the FIPS code.") from None
    except PlaceNotFound as exc:
        names = "; ".join(f"{g.display_name} ({g.geoid})" for g in exc.suggestions[:5])
        hint = f" Did you mean {names}?" if names else ""
        raise PlaceError(f"No county or city matches '{text}'.{hint}") from None
    except WarehouseMissing:
        raise PlaceError(
            "The metrics data is not loaded on this server, so places cannot be checked."
        ) from None


def parse_places(text: str) -> tuple[list[Geography], list[str]]:
    """Places from text with one place per line (or FIPS codes separated by commas)."""
    items: list[str] = []
    for line in text.replace(";", "\n").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        items.extend(parts if all(p.isdigit() for p in parts if p) else [line])
    places, errors = [], []
    for item in dict.fromkeys(i for i in items if i):
        try:
            places.append(find_place(item))
        except PlaceError as exc:
            errors.append(str(exc))
    if len(places) > MAX_PLACES:
        errors.append(f"At most {MAX_PLACES} places.")
    return list({g.geoid: g for g in places}.values()), errors


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    year: int
    ci: str
    quality: str


@dataclass(frozen=True)
class PlaceSummary:
    geoid: str
    name: str
    url: str | None
    headlines: tuple[Headline, ...]
    note: str = ""


def summarize(geoid: str) -> PlaceSummary:
    """A place's name, profile link and a few headline values (each with year, CI, quality)."""
    try:
        release = get_release()
        geo = release.geography(geoid)
    except (WarehouseMissing, PlaceNotFound):
        return PlaceSummary(geoid, geoid, None, (), "Not found in the loaded metrics data.")
    profile = release.profile(geo)
    headlines = []
    for entry in profile.entries:
        obs = entry.observation
        if entry.metric.id not in HEADLINE_METRICS or not entry.variable.headline:
            continue
        if obs is None or (obs.value is None and obs.value_text is None):
            continue
        value = format_value(entry.variable, obs.value, obs.value_text)
        suffix = unit_suffix(entry.variable)
        headlines.append(
            Headline(
                entry.variable.label,
                f"{value} {suffix}".strip(),
                obs.year,
                format_ci(entry.variable, obs.lb, obs.ub),
                obs.quality or "not rated",
            )
        )
    return PlaceSummary(geo.geoid, geo.display_name, geo.url_path, tuple(headlines))


def place_name(geoid: str) -> str:
    try:
        return get_release().geography(geoid).display_name
    except (WarehouseMissing, PlaceNotFound):
        return geoid


def place_path(geoid: str) -> str:
    """The explorer address of a place: /county/27123/ or /city/2758000/."""
    return f"/{COUNTY if len(geoid) == FIPS_WIDTH[COUNTY] else CITY}/{geoid}/"


def is_place(geoid: str) -> bool:
    """A county or city of the loaded release (False when none is loaded)."""
    try:
        get_release().geography(geoid)
    except (WarehouseMissing, PlaceNotFound, ValueError):
        return False
    return True


def areas_to_explore(geoids: list[str]) -> tuple[list[AreaToExplore], str]:
    """The explorer's tested areas to explore for each place (default peers), and a note
    when they could not all be read (no data loaded, a place not in it)."""
    try:
        release = get_release()
    except WarehouseMissing:
        return [], "The metrics data is not loaded, so gaps are not ranked by your places' data."
    catalog = release.catalog
    found: list[AreaToExplore] = []
    missing = []
    for geoid in geoids:
        try:
            geo = release.geography(geoid)
            report = release.insights(geo)
        except (PlaceNotFound, ValueError):
            missing.append(geoid)
            continue
        found += [
            AreaToExplore(geo.display_name, geo.geoid, i.pillar_id, i.metric_id, i.variable,
                          catalog.variable(i.variable).label, i.sentence, i.evidence)
            for p in report.pillars for i in p.areas_to_explore if i.tested
        ]  # fmt: skip
    note = f"Not found in the loaded data: {', '.join(missing)}." if missing else ""
    return found, note
