"""How peers are chosen: one parser for the finding method, a shared set, an edit.

The command line (``--k``, ``--same-state``, ``--population-band``, ``--weight``), the
pages (``?k=``, ``?same_state=``, ``?population_band=`` or ``band``, ``?weights=`` or one
``w_<characteristic>`` field per characteristic, ``?set=<token>``) and the API (the same
names, typed) all end in :func:`peer_method`, so every caller gets the same bounds and
the same words. Every problem is a :class:`PeerChoiceError` a person can act on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from upward.analysis.peer_set import MAX_MEMBERS, PeerSet, PeerSetError
from upward.analysis.peers import FEATURE_BY_ID, PeerError, PeerMethod, features_for
from upward.data.model import Geography

TRUE = {"1", "true", "on", "yes"}
FALSE = {"", "0", "false", "off", "no"}
BANDS: tuple[tuple[str, str], ...] = (
    ("", "Any population"),
    ("0.5,2", "Half to twice the population"),
    ("0.33,3", "A third to three times"),
    ("0.25,4", "A quarter to four times"),
    ("0.1,10", "A tenth to ten times"),
)
"""The population bands the pages offer (value, label)."""
MAX_WEIGHT = 10.0
DEFAULT_K = 5
KIND_PLURAL = {"county": "counties", "city": "cities"}

Band = tuple[float, float]
Weights = str | Iterable[str] | Mapping[str, float | str] | None
"""``"population:2,pctl_income_50:0"``, items such as ``"population=2"``, or a mapping."""


class PeerChoiceError(ValueError):
    """A peer choice that cannot be used; the message says what to send instead."""

    def __init__(self, message: str, suggestions: tuple[Geography, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions


# -- the finding method ---------------------------------------------------------------------


def peer_method(
    geo_level: str,
    k: int = DEFAULT_K,
    same_state: bool = False,
    same_region: bool = False,
    population_band: str | Band | None = None,
    weights: Weights = None,
) -> PeerMethod:
    """The one parser of a finding method; weights equal to the defaults are dropped."""
    if not 1 <= k <= MAX_MEMBERS:
        raise PeerChoiceError(f"'k' must be a whole number from 1 to {MAX_MEMBERS}, not '{k}'.")
    try:
        return PeerMethod(
            k=k,
            weights=_changed(_weights(weights, geo_level), geo_level),
            same_state=same_state,
            same_region=same_region,
            population_band=band(population_band),
        )
    except PeerError as error:
        raise PeerChoiceError(str(error)) from None


def band(raw: str | Band | None) -> Band | None:
    """A population band, ``"0.5,2"`` or ``(0.5, 2.0)``: low ≤ 1 ≤ high, finite."""
    if raw is None or raw == "":
        return None
    text = raw if isinstance(raw, str) else f"{raw[0]:g},{raw[1]:g}"
    try:
        low, high = (float(x) for x in text.strip().split(","))
    except ValueError:
        raise PeerChoiceError(
            f"'population_band' must be two factors, low and high, such as 0.5,2; not '{text}'."
        ) from None
    if not (0 < low <= 1 <= high) or math.isinf(high):
        raise PeerChoiceError(
            f"'population_band' must be low ≤ 1 ≤ high (for example 0.5,2), not '{text}'."
        )
    return (low, high)


def weight(name: str, raw: str | float) -> float:
    """A characteristic's weight, from 0 to :data:`MAX_WEIGHT`."""
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if math.isnan(value) or not 0 <= value <= MAX_WEIGHT:
        raise PeerChoiceError(
            f"The weight of '{name}' must be a number from 0 to {MAX_WEIGHT:g}, not '{raw}'."
        )
    return value


def _weights(weights: Weights, geo_level: str) -> dict[str, float]:
    if not weights:
        return {}
    if isinstance(weights, Mapping):
        items: Iterable[tuple[str, str, str | float]] = (
            (f"{n}:{w}", n, w) for n, w in weights.items()
        )
    else:
        texts = weights.split(",") if isinstance(weights, str) else weights
        items = (_item(text.strip()) for text in texts if text.strip())
    chosen: dict[str, float] = {}
    for text, name, value in items:
        if name not in FEATURE_BY_ID:
            known = ", ".join(f.id for f in features_for(geo_level))
            raise PeerChoiceError(
                f"'weights' takes characteristic:weight pairs, such as population:2; "
                f"'{text}' is not one. Characteristics: {known}."
            )
        chosen[name] = weight(name, value)
    return chosen


def _item(text: str) -> tuple[str, str, str]:
    sep = ":" if ":" in text else "="
    name, found, value = text.partition(sep)
    return text, (name.strip() if found else ""), value.strip()


def _changed(chosen: dict[str, float], geo_level: str) -> tuple[tuple[str, float], ...]:
    defaults = {f.id: f.weight for f in features_for(geo_level)}
    return tuple(
        (name, w)
        for name, w in chosen.items()
        if not math.isclose(w, defaults.get(name, -1.0), rel_tol=1e-3)
    )


# -- the same, read from a request's text ----------------------------------------------------


def _flag(params: Mapping[str, str], name: str) -> bool:
    raw = params.get(name, "").strip().lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise PeerChoiceError(f"'{name}' must be 1 or 0 (true or false), not '{raw}'.")


def _k(params: Mapping[str, str]) -> int:
    raw = params.get("k", "").strip() or str(DEFAULT_K)
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_MEMBERS:
        raise PeerChoiceError(f"'k' must be a whole number from 1 to {MAX_MEMBERS}, not '{raw}'.")
    return int(raw)


def read_method(params: Mapping[str, str], geo_level: str) -> PeerMethod:
    """The finding method from a page's query (defaults: 5 nearest, every place)."""
    chosen: dict[str, str | float] = dict(_weights(params.get("weights", "").strip(), geo_level))
    for feature in features_for(geo_level):
        field = params.get(f"w_{feature.id}", "").strip()
        if field:
            chosen[feature.id] = field
    return peer_method(
        geo_level,
        k=_k(params),
        same_state=_flag(params, "same_state"),
        same_region=_flag(params, "same_region"),
        population_band=(params.get("population_band") or params.get("band") or "").strip(),
        weights=chosen,
    )


# -- a shared set ----------------------------------------------------------------------------


def read_set(token: str, geo: Geography) -> PeerSet:
    """The shared set in a token; it must belong to this place."""
    try:
        found = PeerSet.from_token(token.strip())
    except PeerSetError as error:
        raise PeerChoiceError(str(error)) from None
    if found.target != geo.geoid:
        raise PeerChoiceError(
            f"This peer set was made for the place with FIPS code {found.target}, not for "
            f"{geo.display_name} ({geo.geoid}). Open it from that place's pages."
        )
    return found


def chosen_set(geo: Geography, members: Iterable[str]) -> PeerSet:
    """A set of exactly these places (FIPS codes), chosen by hand (the CLI's ``--peers``)."""
    codes = tuple(dict.fromkeys(g.strip() for g in members if g.strip()))
    return PeerSet(f"Peers chosen for {geo.display_name}", geo.geoid, codes, added=codes)


@dataclass(frozen=True)
class PeerChoice:
    """What a caller asks for: a method to find peers, or a given set (which wins)."""

    method: PeerMethod
    peer_set: PeerSet | None = None
    token: str = ""

    @property
    def is_set(self) -> bool:
        return self.peer_set is not None


def read_choice(params: Mapping[str, str], geo: Geography) -> PeerChoice:
    """The method and the shared set (``set``) of a page's query."""
    method = read_method(params, geo.geo_level)
    token = params.get("set", "").strip()
    return PeerChoice(method, read_set(token, geo) if token else None, token)


def edit_set(
    peer_set: PeerSet, add: tuple[str, ...] = (), remove: tuple[str, ...] = (), name: str = ""
) -> PeerSet:
    """The set with places added, removed and (when given) a new name."""
    try:
        edited = peer_set.edit(add=add, remove=remove)
        return replace(edited, name=name) if name.strip() else edited
    except PeerSetError as error:
        raise PeerChoiceError(str(error)) from None
