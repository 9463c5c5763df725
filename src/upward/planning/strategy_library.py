"""Strategies and their evidence, on plain values: the starter set that ships with Upward
(``strategies.yaml``, read and checked here), the one way a strategy's evidence level is
put in words (:func:`evidence_level`, for the pages and the API alike), and the one way a
strategy's sources are written and read as text (one per line, ``citation | url``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from upward.catalog import get_catalog
from upward.planning.strategy import (
    EVIDENCE_LEVELS,
    EVIDENCE_MEANINGS,
    NEEDS_EVALUATION,
    SYSTEMS_CONDITIONS,
)

STARTER_FILE = Path(__file__).with_name("strategies.yaml")
MAX_SOURCES = 12
EVIDENCE_IDS = frozenset(level for level, _label in EVIDENCE_LEVELS)
CONDITION_IDS = frozenset(c for c, _label in SYSTEMS_CONDITIONS)


@dataclass(frozen=True)
class EvidenceLevel:
    """A strategy's evidence level in words: its id, label, what it means, and whether the
    measurement plan gives the strategy an evaluation measure (emerging, a rationale only)."""

    level: str
    label: str
    meaning: str
    needs_evaluation: bool

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "label": self.label, "meaning": self.meaning,
                "needs_evaluation": self.needs_evaluation}  # fmt: skip


_LABELS = dict(EVIDENCE_LEVELS)


def evidence_level(level: str) -> EvidenceLevel:
    """``level`` (an id of :data:`EVIDENCE_LEVELS`) in words; an unknown id is shown as
    it is, without a meaning, and is not flagged."""
    return EvidenceLevel(
        level=level,
        label=_LABELS.get(level, level),
        meaning=EVIDENCE_MEANINGS.get(level, ""),
        needs_evaluation=level in NEEDS_EVALUATION,
    )


def evidence_scale() -> tuple[EvidenceLevel, ...]:
    """The whole scale, strongest first."""
    return tuple(evidence_level(level) for level, _label in EVIDENCE_LEVELS)


@dataclass(frozen=True)
class Source:
    citation: str
    url: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"citation": self.citation, "url": self.url}


@dataclass(frozen=True)
class StarterStrategy:
    slug: str
    name: str
    pillar: str
    predictors: tuple[str, ...]
    conditions: tuple[str, ...]
    evidence_level: str
    evidence_note: str
    summary: str
    sources: tuple[Source, ...]


class LibraryError(ValueError):
    """The starter file or a source list breaks a rule; the message says where."""


def _words(value: Any) -> str:
    return " ".join(str(value or "").split())


def check_url(url: str) -> str:
    """``url`` if it is an http(s) address with a host ('' stays ''), else LibraryError."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        raise LibraryError(
            f"“{url}” is not a web address (it must start with http:// or https://)."
        )
    return url


def parse_sources(text: str) -> tuple[Source, ...]:
    """Sources typed one per line as ``citation`` or ``citation | url``."""
    sources = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        citation, _bar, url = line.rpartition("|") if "|" in line else (line, "", "")
        citation = _words(citation)
        if not citation:
            raise LibraryError(f"Line {n}: the citation is empty (write it before the “|”).")
        try:
            sources.append(Source(citation, check_url(url)))
        except LibraryError as problem:
            raise LibraryError(f"Line {n}: {problem}") from None
    if len(sources) > MAX_SOURCES:
        raise LibraryError(f"At most {MAX_SOURCES} sources, one per line ({len(sources)} given).")
    return tuple(sources)


def sources_text(sources: Any) -> str:
    """The text form :func:`parse_sources` reads back, from stored ``[{citation, url}]``."""
    lines = []
    for source in sources or []:
        citation, url = source.get("citation", ""), source.get("url", "")
        lines.append(f"{citation} | {url}" if url else citation)
    return "\n".join(lines)


def _starter(raw: dict[str, Any], where: str) -> StarterStrategy:
    catalog = get_catalog()
    pillars = {p.id for p in catalog.pillars}
    predictors = {p.id for p in catalog.predictors}
    for key in ("slug", "name", "pillar", "evidence_level", "summary", "sources"):
        if not raw.get(key):
            raise LibraryError(f"{where}: “{key}” is missing.")
    if raw["pillar"] not in pillars:
        raise LibraryError(f"{where}: unknown pillar “{raw['pillar']}”.")
    unknown = [p for p in raw.get("predictors", []) if p not in predictors]
    if unknown or not raw.get("predictors"):
        raise LibraryError(f"{where}: unknown or missing predictors {unknown}.")
    if raw["evidence_level"] not in EVIDENCE_IDS:
        raise LibraryError(f"{where}: unknown evidence level “{raw['evidence_level']}”.")
    bad = [c for c in raw.get("conditions", []) if c not in CONDITION_IDS]
    if bad:
        raise LibraryError(f"{where}: unknown conditions {bad}.")
    sources = tuple(
        Source(_words(s.get("citation")), check_url(s.get("url", ""))) for s in raw["sources"]
    )
    if not all(s.citation for s in sources):
        raise LibraryError(f"{where}: a source has no citation.")
    return StarterStrategy(
        slug=raw["slug"],
        name=_words(raw["name"]),
        pillar=raw["pillar"],
        predictors=tuple(raw["predictors"]),
        conditions=tuple(raw.get("conditions", [])),
        evidence_level=raw["evidence_level"],
        evidence_note=_words(raw.get("evidence_note")),
        summary=_words(raw["summary"]),
        sources=sources,
    )


@cache
def starter_strategies(path: Path = STARTER_FILE) -> tuple[StarterStrategy, ...]:
    """The starter set, checked: every id known to the catalog, slugs unique."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items = document.get("strategies") or []
    starters = tuple(_starter(raw, f"{path.name}, strategy {n}") for n, raw in enumerate(items, 1))
    slugs = [s.slug for s in starters]
    if len(set(slugs)) != len(slugs):
        raise LibraryError(f"{path.name}: a slug is used twice.")
    return starters
