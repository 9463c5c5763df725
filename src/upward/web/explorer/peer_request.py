"""Peer choices read from a request: the finding method, a shared set, places added by hand.

Shared by the explorer's analysis pages and the JSON API, so both read ``?k=``,
``?same_state=``, ``?same_region=``, ``?population_band=`` (or ``band``), ``?weights=``
(or one ``w_<characteristic>`` field per characteristic) and ``?set=<token>`` the same way.
Every problem is a :class:`PeerRequestError` with a message a person can act on.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from upward.analysis.peer_set import MAX_MEMBERS, PeerSet, PeerSetError
from upward.analysis.peers import FEATURE_BY_ID, PeerError, PeerMethod, PeerResult, features_for
from upward.catalog import GEO_LEVEL_WORDS
from upward.data.model import Geography
from upward.data.warehouse import AmbiguousPlace, PlaceNotFound, Warehouse
from upward.reports.place_analysis import PlaceAnalysis, analyze_place, place_peers
from upward.web.data import on_new_warehouse

TRUE = {"1", "true", "on", "yes"}
FALSE = {"", "0", "false", "off", "no"}
BANDS: tuple[tuple[str, str], ...] = (
    ("", "Any population"),
    ("0.5,2", "Half to twice the population"),
    ("0.33,3", "A third to three times"),
    ("0.25,4", "A quarter to four times"),
    ("0.1,10", "A tenth to ten times"),
)
MAX_WEIGHT = 10.0
KIND_PLURAL = {level: many for level, (_, many) in GEO_LEVEL_WORDS.items()}
CACHE_SIZE = 32


class PeerRequestError(ValueError):
    """A peer parameter that cannot be used; the message says what to send instead."""

    def __init__(self, message: str, suggestions: tuple[Geography, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions


def _flag(params: Mapping[str, str], name: str) -> bool:
    raw = params.get(name, "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise PeerRequestError(f"'{name}' must be 1 or 0 (true or false), not '{raw}'.")


def _k(params: Mapping[str, str]) -> int:
    raw = params.get("k", "").strip() or "5"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_MEMBERS:
        raise PeerRequestError(f"'k' must be a whole number from 1 to {MAX_MEMBERS}, not '{raw}'.")
    return int(raw)


def _band(params: Mapping[str, str]) -> tuple[float, float] | None:
    raw = (params.get("population_band") or params.get("band") or "").strip()
    if not raw:
        return None
    try:
        low, high = (float(x) for x in raw.split(","))
    except ValueError:
        raise PeerRequestError(
            f"'population_band' must be two factors, low and high, such as 0.5,2; not '{raw}'."
        ) from None
    if not (0 < low <= 1 <= high) or math.isinf(high):
        raise PeerRequestError(
            f"'population_band' must be low ≤ 1 ≤ high (for example 0.5,2), not '{raw}'."
        )
    return (low, high)


def _weight(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if math.isnan(value) or not 0 <= value <= MAX_WEIGHT:
        raise PeerRequestError(
            f"The weight of '{name}' must be a number from 0 to {MAX_WEIGHT:g}, not '{raw}'."
        )
    return value


def _weights(params: Mapping[str, str], geo_level: str) -> tuple[tuple[str, float], ...]:
    chosen: dict[str, float] = {}
    raw = params.get("weights", "").strip()
    for item in filter(None, (part.strip() for part in raw.split(","))):
        name, sep, value = item.partition(":")
        if not sep or name not in FEATURE_BY_ID:
            known = ", ".join(f.id for f in features_for(geo_level))
            raise PeerRequestError(
                f"'weights' takes characteristic:weight pairs, such as population:2; "
                f"'{item}' is not one. Characteristics: {known}."
            )
        chosen[name] = _weight(name, value)
    for feature in features_for(geo_level):
        field = params.get(f"w_{feature.id}", "").strip()
        if field:
            chosen[feature.id] = _weight(feature.id, field)
    defaults = {f.id: f.weight for f in features_for(geo_level)}
    return tuple(
        (name, w)
        for name, w in chosen.items()
        if not math.isclose(w, defaults.get(name, -1.0), rel_tol=1e-3)
    )


def read_method(params: Mapping[str, str], geo_level: str) -> PeerMethod:
    """The finding method from the request (defaults: 5 nearest, every place, default weights)."""
    try:
        return PeerMethod(
            k=_k(params),
            weights=_weights(params, geo_level),
            same_state=_flag(params, "same_state"),
            same_region=_flag(params, "same_region"),
            population_band=_band(params),
        )
    except PeerError as error:
        raise PeerRequestError(str(error)) from None


def read_set(token: str, geo: Geography) -> PeerSet:
    """The shared set in ``?set=``; it must belong to this place and hold places of its kind."""
    try:
        found = PeerSet.from_token(token.strip())
    except PeerSetError as error:
        raise PeerRequestError(str(error)) from None
    if found.target != geo.geoid:
        raise PeerRequestError(
            f"This peer set was made for the place with FIPS code {found.target}, not for "
            f"{geo.display_name} ({geo.geoid}). Open it from that place's pages."
        )
    return found


@dataclass(frozen=True)
class PeerChoice:
    """What a request asks for: a method to find peers, or a given set (which wins)."""

    method: PeerMethod
    peer_set: PeerSet | None
    token: str

    @property
    def is_set(self) -> bool:
        return self.peer_set is not None


def read_choice(params: Mapping[str, str], geo: Geography) -> PeerChoice:
    method = read_method(params, geo.geo_level)
    token = params.get("set", "").strip()
    return PeerChoice(method, read_set(token, geo) if token else None, token)


def resolve_peers(
    warehouse: Warehouse, geo: Geography, choice: PeerChoice
) -> tuple[PeerResult, PeerSet]:
    """The explained peers and the set they form (found peers make an unnamed-by-hand set)."""
    try:
        result = place_peers(warehouse, geo, choice.method, choice.peer_set)
    except (PeerError, PeerSetError) as error:
        raise PeerRequestError(str(error)) from None
    except ValueError as error:  # a set made for another place
        raise PeerRequestError(str(error)) from None
    return result, choice.peer_set or PeerSet.from_result(result)


def find_addition(warehouse: Warehouse, geo: Geography, text: str, pick: str = "") -> Geography:
    """The place a person asked to add: a chosen suggestion, a FIPS code or a name."""
    query = (pick or text).strip()
    plural = KIND_PLURAL[geo.geo_level]
    if not query:
        raise PeerRequestError("Type a place's name or FIPS code to add it as a peer.")
    try:
        found = warehouse.resolve_place(query)
    except AmbiguousPlace as error:
        same = tuple(g for g in error.suggestions if g.geo_level == geo.geo_level)
        raise PeerRequestError(
            f"'{query}' matches more than one place; choose one of the suggestions or add "
            "the state.",
            same or tuple(error.suggestions),
        ) from None
    except PlaceNotFound as error:
        same = tuple(warehouse.search(query, limit=5, geo_level=geo.geo_level))
        raise PeerRequestError(error.reason, same or tuple(error.suggestions)) from None
    if found.geo_level != geo.geo_level:
        same = tuple(warehouse.search(query, limit=5, geo_level=geo.geo_level))
        raise PeerRequestError(
            f"{found.display_name} is a {found.geo_level}; the peers of a {geo.geo_level} "
            f"must be {plural}, so that every number compares like with like.",
            same,
        )
    if found.geoid == geo.geoid:
        raise PeerRequestError(f"{geo.display_name} cannot be its own peer.")
    return found


def edit_set(
    peer_set: PeerSet, add: tuple[str, ...] = (), remove: tuple[str, ...] = (), name: str = ""
) -> PeerSet:
    """The set with places added, removed and (when given) a new name."""
    try:
        edited = peer_set.edit(add=add, remove=remove)
        return replace(edited, name=name) if name.strip() else edited
    except PeerSetError as error:
        raise PeerRequestError(str(error)) from None


_CACHE: weakref.WeakKeyDictionary[Warehouse, OrderedDict[Any, PlaceAnalysis]] = (
    weakref.WeakKeyDictionary()
)
_LOCK = threading.Lock()


def cached_analysis(warehouse: Warehouse, geo: Geography, choice: PeerChoice) -> PlaceAnalysis:
    """:func:`analyze_place`, remembered for the last few places and peer sets."""
    key = (geo.geoid, choice.method, choice.peer_set)
    with _LOCK:
        entries = _CACHE.setdefault(warehouse, OrderedDict())
        if key in entries:
            entries.move_to_end(key)
            return entries[key]
    try:
        found = analyze_place(warehouse, geo, choice.method, choice.peer_set)
    except ValueError as error:  # PeerError, PeerSetError: a set naming unknown places
        raise PeerRequestError(str(error)) from None
    with _LOCK:
        entries[key] = found
        while len(entries) > CACHE_SIZE:
            entries.popitem(last=False)
    return found


@on_new_warehouse
def forget_analyses() -> None:
    """Drop the kept analyses (a new warehouse is in use)."""
    with _LOCK:
        _CACHE.clear()
