"""Peer choices read from a request, for the explorer's analysis pages and the JSON API.

The parsing, the bounds and the words are the release facade's
(:mod:`upward.explore.peer_choice`); this module keeps the names the pages use.
"""

from __future__ import annotations

from upward.explore import Geography, PeerChoice, PeerResult, PeerSet, Release
from upward.explore.peer_choice import (
    BANDS,
    KIND_PLURAL,
    MAX_WEIGHT,
    PeerChoiceError,
    edit_set,
    read_choice,
    read_method,
    read_set,
)
from upward.reports.place_analysis import PlaceAnalysis

PeerRequestError = PeerChoiceError
"""A peer parameter that cannot be used; the message says what to send instead."""

__all__ = [
    "BANDS",
    "KIND_PLURAL",
    "MAX_WEIGHT",
    "PeerChoice",
    "PeerRequestError",
    "cached_analysis",
    "edit_set",
    "find_addition",
    "read_choice",
    "read_method",
    "read_set",
    "resolve_peers",
]


def resolve_peers(
    release: Release, geo: Geography, choice: PeerChoice
) -> tuple[PeerResult, PeerSet]:
    """The explained peers and the set they form (:meth:`Release.peers`)."""
    return release.peers(geo, choice)


def find_addition(release: Release, geo: Geography, text: str, pick: str = "") -> Geography:
    """The place a person asked to add (:meth:`Release.find_addition`)."""
    return release.find_addition(geo, text, pick)


def cached_analysis(release: Release, geo: Geography, choice: PeerChoice) -> PlaceAnalysis:
    """The place's whole analysis, kept by the release (:meth:`Release.analysis`)."""
    return release.analysis(geo, choice)
