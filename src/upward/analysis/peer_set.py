"""A named peer set a user can edit, save and share.

The set records how it was found (:class:`PeerMethod`) and which places the user added or
removed by hand, so anyone opening a shared link sees the same places and knows why they
are there. Two stable encodings are offered:

* a query string, readable in a URL:
  ``target=27123&peers=27053,27137&name=Twin+Cities+peers&k=5&added=27137``
* a short token (base64url of compact JSON), for places where a URL must stay short.

Storage of named sets belongs to the web layer; this module only defines the value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from upward.analysis.peers import PeerMethod, PeerResult

MAX_NAME = 120
MAX_MEMBERS = 50
_FIPS = re.compile(r"^(\d{5}|\d{7})$")
TOKEN_VERSION = 1


class PeerSetError(ValueError):
    """A peer set that cannot be decoded or would be invalid."""


def _check_fips(geoid: str, target: str) -> str:
    if not _FIPS.match(geoid):
        raise PeerSetError(f"'{geoid}' is not a county (5-digit) or city (7-digit) FIPS code.")
    if len(geoid) != len(target):
        raise PeerSetError(f"'{geoid}' is not the same kind of place as '{target}'.")
    return geoid


@dataclass(frozen=True)
class PeerSet:
    name: str
    target: str
    members: tuple[str, ...]
    method: PeerMethod | None = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _FIPS.match(self.target):
            raise PeerSetError(f"'{self.target}' is not a county or city FIPS code.")
        name = " ".join(self.name.split())
        if not name or len(name) > MAX_NAME:
            raise PeerSetError(f"A peer set needs a name of 1 to {MAX_NAME} characters.")
        object.__setattr__(self, "name", name)
        for group in (self.members, self.added, self.removed):
            for geoid in group:
                _check_fips(geoid, self.target)
        if self.target in self.members:
            raise PeerSetError("A place cannot be its own peer.")
        if len(set(self.members)) != len(self.members):
            raise PeerSetError("A peer set lists each place once.")
        if len(self.members) > MAX_MEMBERS:
            raise PeerSetError(f"A peer set holds at most {MAX_MEMBERS} places.")

    @classmethod
    def from_result(cls, result: PeerResult, name: str | None = None) -> PeerSet:
        default = f"{len(result.peers)} nearest peers of {result.target.name}"
        return cls(name or default, result.target.geoid, result.geoids, result.method)

    def edit(self, add: Iterable[str] = (), remove: Iterable[str] = ()) -> PeerSet:
        """A copy with places added (at the end) and removed, remembering both."""
        removing = [_check_fips(g, self.target) for g in remove]
        adding = [_check_fips(g, self.target) for g in add if g not in self.members]
        members = [g for g in self.members if g not in removing] + list(dict.fromkeys(adding))
        added = [g for g in (*self.added, *adding) if g in members]
        gone = [g for g in (*self.removed, *removing) if g not in members]
        return replace(
            self,
            members=tuple(members),
            added=tuple(dict.fromkeys(added)),
            removed=tuple(dict.fromkeys(gone)),
        )

    # Encodings -------------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "target": self.target,
                               "peers": list(self.members)}  # fmt: skip
        if self.added:
            out["added"] = list(self.added)
        if self.removed:
            out["removed"] = list(self.removed)
        if self.method is not None:
            out.update(_method_dict(self.method))
        return out

    def to_query(self) -> str:
        """A query string that :meth:`from_query` reads back to an equal set."""
        pairs = [(k, ",".join(v) if isinstance(v, list) else str(v))
                 for k, v in self.as_dict().items()]  # fmt: skip
        return urlencode(pairs)

    @classmethod
    def from_query(cls, query: str) -> PeerSet:
        params = {k: v[-1] for k, v in parse_qs(query.lstrip("?"), keep_blank_values=True).items()}
        data: dict[str, Any] = dict(params)
        for key in ("peers", "added", "removed"):
            if key in data:
                data[key] = [g for g in data[key].split(",") if g]
        return cls.from_dict(data)

    def to_token(self) -> str:
        raw = json.dumps([TOKEN_VERSION, self.as_dict()], separators=(",", ":"), sort_keys=True)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> PeerSet:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            version, data = json.loads(raw)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise PeerSetError("This peer-set link is damaged or incomplete.") from exc
        if version != TOKEN_VERSION or not isinstance(data, dict):
            raise PeerSetError("This peer-set link comes from an unknown version.")
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PeerSet:
        try:
            method = _method_from(data)
            return cls(
                name=str(data["name"]),
                target=str(data["target"]),
                members=tuple(str(g) for g in data.get("peers", [])),
                method=method,
                added=tuple(str(g) for g in data.get("added", [])),
                removed=tuple(str(g) for g in data.get("removed", [])),
            )
        except KeyError as exc:
            raise PeerSetError(f"A peer set needs a {exc.args[0]}.") from None


def _method_dict(method: PeerMethod) -> dict[str, Any]:
    out: dict[str, Any] = {"k": method.k}
    if method.same_state:
        out["state"] = 1
    if method.same_region:
        out["region"] = 1
    if method.population_band:
        out["band"] = f"{method.population_band[0]:g},{method.population_band[1]:g}"
    if method.weights:
        out["w"] = ",".join(f"{f}:{w:g}" for f, w in method.weights)
    return out


def _method_from(data: dict[str, Any]) -> PeerMethod | None:
    if "k" not in data:
        return None
    try:
        band = None
        if data.get("band"):
            low, high = str(data["band"]).split(",")
            band = (float(low), float(high))
        weights: tuple[tuple[str, float], ...] = ()
        if data.get("w"):
            weights = tuple(
                (f, float(w)) for f, w in (item.split(":") for item in str(data["w"]).split(","))
            )
        return PeerMethod(
            k=int(data["k"]),
            weights=weights,
            same_state=str(data.get("state", "0")) == "1",
            same_region=str(data.get("region", "0")) == "1",
            population_band=band,
        )
    except ValueError as exc:
        raise PeerSetError(f"The peer-set method is not readable: {exc}") from None
