"""Descriptive representation (the planning guide's Step 2 supplement): how closely the
elected officials of each governing body mirror the residents, group by group.

For a body and a race or ethnicity group (the four of ``RACE_GROUPS``)::

    officials' share = officials of the group / officials whose identity is known
    ratio            = officials' share / residents' share

A ratio of 1 means the group holds seats in proportion to its share of residents; 0.5,
half that; 2, twice. Officials whose identity is unknown (no answer yet, or they chose
not to say) are counted and shown apart, never guessed.

The body is the whole population of its seats, not a sample, so the ratio is exact for
the body and no significance test applies; but a small body moves in big steps: one seat
on five is 20 points of share. Urban publishes the residents' shares without a confidence
interval, so they are taken as given. Identities found in public sources rather than
given by the officials themselves are less reliable (the guide rates such data poor), so
a result resting on any of them is marked lower quality.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from upward.planning.knowledge import RACE_GROUPS

SELF = "self"
PUBLIC = "public"
UNKNOWN = "unknown"
OVERALL = "All governing bodies"
GROUP_IDS = tuple(group for group, _label in RACE_GROUPS)
GROUP_LABELS = dict(RACE_GROUPS)


@dataclass(frozen=True)
class OfficialFacts:
    """What the metric needs of one official (one seat)."""

    body: str
    race: str
    """A group id of ``RACE_GROUPS``, or "" when unknown."""
    source: str
    """``self``, ``public`` or ``unknown``: how the identity was obtained."""

    @property
    def known(self) -> bool:
        return self.race in GROUP_LABELS

    @property
    def declined(self) -> bool:
        """Answered the survey and chose not to say."""
        return self.source == SELF and not self.known


@dataclass(frozen=True)
class GroupShare:
    group: str
    label: str
    officials: int
    share: float | None
    """Officials of the group over officials with a known identity; None when none is known."""
    residents_share: float | None
    ratio: float | None
    """``share / residents_share``; None when either is missing or residents' share is 0."""
    no_ratio: str
    """Why there is no ratio (empty when there is one)."""


@dataclass(frozen=True)
class BodyRepresentation:
    body: str
    seats: int
    known: int
    unknown: int
    declined: int
    """Of the unknown: officials who answered the survey and chose not to say."""
    self_identified: int
    publicly_reported: int
    """Known identities taken from public sources (lower quality)."""
    groups: tuple[GroupShare, ...]
    step_points: float
    """One seat of the body in points of share: 100 / seats."""
    known_step_points: float | None
    """One seat in points of the shares as computed (100 / known), when it differs."""

    @property
    def lower_quality(self) -> bool:
        return self.publicly_reported > 0

    @property
    def quality_note(self) -> str:
        if not self.publicly_reported:
            return ""
        n, known = self.publicly_reported, self.known
        of = f"{n} of the {known} known identities" if known > 1 else "the one known identity"
        verb = "was" if n == 1 else "were"
        return f"Lower quality: {of} {verb} publicly reported rather than self-identified."

    @property
    def step_sentence(self) -> str:
        return step_sentence(self.seats, self.known)


def points(seats: int) -> float:
    """One seat of ``seats`` in points of share (100 / seats)."""
    return 100.0 / seats


def _format_points(value: float) -> str:
    rounded = round(value, 1)
    return f"{rounded:g}" if rounded != int(rounded) else str(int(rounded))


def step_sentence(seats: int, known: int | None = None) -> str:
    """'One seat on a five-seat body is 20 points, so shares move in steps of 20 points.'"""
    if seats <= 0:
        return "The body has no seats entered yet."
    size = _seat_words(seats)
    step = _format_points(points(seats))
    text = (
        f"One seat on a {size} body is {step} points, so its shares move in steps of {step} points."
    )
    if known is not None and 0 < known < seats:
        text += (
            f" While only {known} of the {seats} identities are known, the shares are out of "
            f"{known} and move in steps of {_format_points(points(known))} points."
        )
    return text


_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _seat_words(seats: int) -> str:
    count = _NUMBER_WORDS[seats - 1] if seats <= len(_NUMBER_WORDS) else str(seats)
    return f"{count}-seat"


def _group_share(group: str, count: int, known: int, resident: float | None) -> GroupShare:
    share = count / known if known else None
    ratio: float | None = None
    if resident is None:
        why = "No residents' share is published for this group."
    elif resident <= 0:
        why = "The residents' share of this group is 0, so no ratio can be formed."
    elif share is None:
        why = "No official's identity is known yet."
    else:
        ratio, why = share / resident, ""
    return GroupShare(group, GROUP_LABELS[group], count, share, resident, ratio, why)


def represent(
    body: str, officials: Iterable[OfficialFacts], residents: Mapping[str, float | None]
) -> BodyRepresentation:
    """The metric for one set of seats (a body, or every body together)."""
    seats = list(officials)
    known = [o for o in seats if o.known]
    counts = {group: sum(1 for o in known if o.race == group) for group in GROUP_IDS}
    groups = tuple(
        _group_share(group, counts[group], len(known), residents.get(group)) for group in GROUP_IDS
    )
    n = len(seats)
    return BodyRepresentation(
        body=body,
        seats=n,
        known=len(known),
        unknown=n - len(known),
        declined=sum(1 for o in seats if o.declined),
        self_identified=sum(1 for o in known if o.source == SELF),
        publicly_reported=sum(1 for o in known if o.source == PUBLIC),
        groups=groups,
        step_points=points(n) if n else 0.0,
        known_step_points=points(len(known)) if 0 < len(known) < n else None,
    )


@dataclass(frozen=True)
class Representation:
    bodies: tuple[BodyRepresentation, ...]
    """One per governing body, by name."""
    overall: BodyRepresentation | None
    """Every seat of every body together; None when there is only one body (it is the same)."""


def body_key(name: str) -> str:
    """Bodies are the same body when their names differ only in case or spacing."""
    return " ".join(name.split()).casefold()


def represent_all(
    officials: Iterable[OfficialFacts], residents: Mapping[str, float | None]
) -> Representation:
    """The metric per governing body (by name) and, with two bodies or more, overall."""
    seats = list(officials)
    names: dict[str, str] = {}
    for o in sorted(seats, key=lambda o: o.body):
        names.setdefault(body_key(o.body), o.body)
    bodies = tuple(
        represent(names[key], [o for o in seats if body_key(o.body) == key], residents)
        for key in sorted(names)
    )
    overall = represent(OVERALL, seats, residents) if len(bodies) > 1 else None
    return Representation(bodies, overall)
