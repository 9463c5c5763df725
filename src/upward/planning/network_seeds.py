"""Reading a learning network's page (the seed ``upward network demo`` builds from): its
tracks, each with a description and its member localities ("Kansas City, MO").

The page is plain text: a track is a heading line, a description paragraph, then one
``- Name, ST`` line per member. Pure: text in, :class:`NetworkSeed` out, or a
:class:`SeedError` naming the line."""

from __future__ import annotations

import re
from dataclasses import dataclass

NETWORK_NAME = "Mobility Action Learning Network"
MARKERS = ("Learning Network", "Network members")
"""Words that tell the network's page from the other seeds."""

LOCALITY = re.compile(r"^(?P<name>[^,]+?),\s*(?P<state>[A-Z]{2})$")
STATED_COUNT = re.compile(r"\b(\d+) (?:localities|communities)\b")
MAX_HEADING = 80


class SeedError(ValueError):
    """The page cannot be read as a network's members; the message says where and why."""


@dataclass(frozen=True)
class SeedTrack:
    name: str
    description: str
    localities: tuple[str, ...]
    """As the page writes them: "Kansas City, MO", "Ramsey County, MN"."""


@dataclass(frozen=True)
class NetworkSeed:
    name: str
    tracks: tuple[SeedTrack, ...]

    @property
    def localities(self) -> tuple[tuple[str, SeedTrack], ...]:
        """Every member with its track, in the page's order."""
        return tuple((locality, track) for track in self.tracks for locality in track.localities)


def looks_like_network_page(text: str) -> bool:
    return all(marker in text for marker in MARKERS)


def parse_network_page(text: str, name: str = NETWORK_NAME) -> NetworkSeed:
    """The tracks and members of the page ``text``: each run of ``- `` lines is a track's
    members, the two lines before it its heading and description.

    Raises :class:`SeedError` for a page with no members, a member not written
    "Name, ST", a member listed twice, a track without a heading or description, or a
    count of members that differs from the one the page states ("26 localities")."""
    lines = [line.strip() for line in text.splitlines()]
    tracks: list[SeedTrack] = []
    seen: dict[str, int] = {}
    i = 0
    while i < len(lines):
        if not lines[i].startswith("-"):
            i += 1
            continue
        start = i
        members: list[str] = []
        while i < len(lines) and lines[i].startswith("-"):
            locality = lines[i].lstrip("-").strip()
            if not LOCALITY.match(locality):
                raise SeedError(
                    f"line {i + 1}: '{locality}' is not a member written 'Name, ST' "
                    "(a place and its state's two-letter code)."
                )
            if locality in seen:
                raise SeedError(
                    f"line {i + 1}: {locality} is listed twice (first on line {seen[locality]})."
                )
            seen[locality] = i + 1
            members.append(locality)
            i += 1
        described = [line for line in lines[max(0, start - 2) : start]]
        if len(described) < 2 or not all(described):
            raise SeedError(
                f"line {start + 1}: the members listed here have no track heading and "
                "description on the two lines before them."
            )
        heading, description = described
        if len(heading) > MAX_HEADING or heading.endswith("."):
            raise SeedError(
                f"line {start - 1}: '{heading[:60]}' does not read as a track's heading "
                "(a short line without a full stop) before its description and members."
            )
        tracks.append(SeedTrack(heading, description, tuple(members)))
    if not tracks:
        raise SeedError(
            "no members found: the page lists none as '- Name, ST' lines under a track."
        )
    names = [t.name for t in tracks]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise SeedError(f"the track {twice[0]} appears twice.")
    stated = STATED_COUNT.search(text)
    if stated and int(stated.group(1)) != len(seen):
        raise SeedError(
            f"the page says {stated.group(1)} localities but lists {len(seen)} members."
        )
    return NetworkSeed(name, tuple(tracks))


def split_locality(locality: str) -> tuple[str, str]:
    """('Kansas City', 'MO') from 'Kansas City, MO'."""
    found = LOCALITY.match(locality.strip())
    if not found:
        raise SeedError(f"'{locality}' is not written 'Name, ST'.")
    return found.group("name").strip(), found.group("state")
