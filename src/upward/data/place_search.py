"""Finding places by name: the one ranking behind every search box, API and command.

A query and each place's names are folded the same way (:func:`fold_name`: case, accents,
punctuation, and "St."/"Saint", "Ste."/"Sainte" as one word), then each place gets a
relevance tier: the whole name, a prefix, a word, a part of a word, or (only when those
find fewer places than asked for) a close spelling, scored by
:class:`difflib.SequenceMatcher` over the places that share letter trigrams with the
query. Places of equal relevance are ranked by population, largest first, then FIPS code.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from upward.data.model import Geography

SAINTS = {"st": "saint", "ste": "sainte"}
"""Abbreviations read as the word: "St. Paul" is "Saint Paul", "Ste. Genevieve" "Sainte"."""
KIND_WORDS = re.compile(
    r" (county|parish|borough|census area|city and borough|municipality|planning region|city)$"
)
FUZZY_CUTOFF = 0.8
"""The least :class:`difflib.SequenceMatcher` ratio for a close spelling to count."""
FUZZY_CANDIDATES = 80
"""How many places sharing the most trigrams with the query are scored for spelling."""
FUZZY_TIER = 4


@lru_cache(maxsize=65536)
def fold_name(text: str) -> str:
    """``text`` folded for matching: 'St. Paul' and 'saint  paul' are both 'saint paul'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[.\u2019'`]", "", plain.lower())
    words = re.sub(r"[^a-z0-9,]+", " ", plain).replace(",", " , ").split()
    return re.sub(r" , ?", ", ", " ".join(SAINTS.get(w, w) for w in words)).strip(" ,")


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class _Entry:
    geo: Geography
    display: str
    names: tuple[str, ...]
    """The folded name, short name and the name without its kind word ('ramsey')."""
    states: tuple[str, str]
    exact: tuple[str, ...]
    """The folded name and short name: a query equal to one is the best match."""


def _entry(geo: Geography) -> _Entry:
    name, short = fold_name(geo.name), fold_name(geo.short_name)
    names = tuple(dict.fromkeys((name, short, KIND_WORDS.sub("", short))))
    states = (geo.state_abbr.lower(), fold_name(geo.state_name))
    return _Entry(geo, fold_name(geo.display_name), names, states, (name, short))


class PlaceSearch:
    """Every place's folded names and a trigram index over them, built once per release."""

    def __init__(self, places: Iterable[Geography]) -> None:
        self._entries = [_entry(g) for g in places]
        self._by_trigram: dict[str, list[int]] = defaultdict(list)
        for i, entry in enumerate(self._entries):
            for gram in set().union(*(_trigrams(n) for n in entry.names)):
                self._by_trigram[gram].append(i)

    def search(self, text: str, limit: int = 10, level: str | None = None) -> list[Geography]:
        """Places matching ``text`` (a name, a misspelt name, or a FIPS prefix), best first."""
        return [geo for _, geo in self.ranked(text, limit, level)]

    def ranked(
        self, text: str, limit: int = 10, level: str | None = None
    ) -> list[tuple[int, Geography]]:
        """As :meth:`search`, each place with its tier (0 whole name ... 4 close spelling)."""
        query = fold_name(text)
        if not query:
            return []
        if query.isdigit():
            hits = [(0, 0.0, e) for e in self._entries if e.geo.geoid.startswith(query)]
            return self._best(hits, limit, level)
        name_part, _, state_part = (p.strip() for p in query.partition(","))
        hits = []
        for entry in self._entries:
            if not self._in_state(entry, state_part):
                continue
            tier = _tier(entry, query, name_part)
            if tier is not None:
                hits.append((tier, 0.0, entry))
        found = self._best(hits, limit, level)
        if len(found) < limit and name_part:
            seen = {geo.geoid for _, geo in found}
            close = [h for h in self._close(name_part, state_part) if h[2].geo.geoid not in seen]
            found += self._best(close, limit - len(found), level)
        return found

    @staticmethod
    def _in_state(entry: _Entry, state_part: str) -> bool:
        return (
            not state_part or state_part in entry.states or entry.states[1].startswith(state_part)
        )

    def _close(self, name_part: str, state_part: str) -> list[tuple[int, float, _Entry]]:
        shared: Counter[int] = Counter()
        stem = KIND_WORDS.sub("", name_part)
        for gram in _trigrams(stem):  # not the trigrams of "county" that most places share
            shared.update(self._by_trigram.get(gram, ()))
        matcher = difflib.SequenceMatcher(None, "", name_part)  # the query's side kept once
        stem_matcher = difflib.SequenceMatcher(None, "", stem)
        hits = []
        for i, _ in shared.most_common(FUZZY_CANDIDATES):
            entry = self._entries[i]
            if self._in_state(entry, state_part):
                score = max(_ratio(matcher, name_part, n) for n in entry.names)
                if stem != name_part and score:  # "ramsy county": the names must be alike too
                    score = min(score, _ratio(stem_matcher, stem, entry.names[-1]))
                if score >= FUZZY_CUTOFF:
                    hits.append((FUZZY_TIER, -round(score, 1), entry))
        return hits

    @staticmethod
    def _best(
        hits: list[tuple[int, float, _Entry]], limit: int, level: str | None
    ) -> list[tuple[int, Geography]]:
        kept = [h for h in hits if level in (None, h[2].geo.geo_level)]
        kept.sort(key=lambda h: (h[0], h[1], -(h[2].geo.population or 0), h[2].geo.geoid))
        return [(tier, entry.geo) for tier, _, entry in kept[:limit]]


def _ratio(matcher: difflib.SequenceMatcher[str], query: str, name: str) -> float:
    """How alike, 0 to 1; a query shorter than the name is compared with its start too."""
    best = 0.0
    for side in (name, name[: len(query) + 1]) if len(query) < len(name) else (name,):
        matcher.set_seq1(side)
        if matcher.real_quick_ratio() >= FUZZY_CUTOFF and matcher.quick_ratio() >= FUZZY_CUTOFF:
            best = max(best, matcher.ratio() - (0.05 if side is not name else 0.0))
    return best


def _tier(entry: _Entry, query: str, name_part: str) -> int | None:
    names = entry.names
    if entry.display == query or name_part in entry.exact:
        return 0
    if any(n.startswith(name_part) for n in names):
        return 1
    if any(f" {name_part}" in f" {n}" for n in names):
        return 2
    if any(name_part in n for n in names):
        return 3
    return None
