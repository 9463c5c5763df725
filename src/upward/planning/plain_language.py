"""A plain-language check for deficit framing: words that describe people by what they
lack, or blame them for conditions a system made, each with an asset-based alternative
and a short reason (the wording is Upward's own).

:func:`check` finds every listed term in a text (case-insensitive, whole words only,
multiword terms across any run of spaces or hyphens, the plural too) and returns one
:class:`Flag` per occurrence with an excerpt around it. It only suggests: nothing is ever
refused because of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

EXCERPT = 40
"""Characters of context on each side of a flagged term."""


@dataclass(frozen=True)
class Term:
    term: str
    alternative: str
    why: str
    plural: str = ""
    """The plural when it is not the term plus "s" ("-" when the term has none)."""


TERMS: tuple[Term, ...] = (
    Term(
        "at-risk",
        "name the condition: students in schools with fewer resources, families facing eviction",
        "Says the risk is in the people; name the conditions that create it.",
        "-",
    ),
    Term(
        "disadvantaged",
        "people with less access to (name it), or people the system has underserved",
        "Describes people by a lack instead of by the barriers they face.",
        "-",
    ),
    Term(
        "underprivileged",
        "people with fewer opportunities (name which ones)",
        "A label of lack; say which opportunities are missing and why.",
        "-",
    ),
    Term(
        "the poor",
        "people with low incomes, people living in poverty",
        "Turns a circumstance into an identity.",
        "-",
    ),
    Term(
        "low-income people",
        "people with low incomes",
        "Put the person first: income is a circumstance, not who someone is.",
        "-",
    ),
    Term(
        "low-income families",
        "families with low incomes",
        "Put the family first: income is a circumstance, not who they are.",
        "-",
    ),
    Term(
        "inner city",
        "name the neighborhood, or say urban neighborhoods with less investment",
        "A coded phrase that stands in for race and poverty; name the place.",
        "inner cities",
    ),
    Term(
        "broken families",
        "single-parent families, families of many shapes",
        "Judges families instead of describing them.",
        "-",
    ),
    Term(
        "broken home",
        "single-parent household, blended family",
        "Judges a household instead of describing it.",
    ),
    Term(
        "illegal alien",
        "undocumented immigrant, people without legal immigration status",
        "No person is illegal; the phrase dehumanizes.",
    ),
    Term(
        "illegal immigrant",
        "undocumented immigrant",
        "No person is illegal; describe the status, not the person.",
    ),
    Term(
        "minorities",
        "name the groups: Black, Latine, Asian American, Native American residents",
        "Lumps many groups together and ranks them by size; say whom you mean.",
        "-",
    ),
    Term(
        "vulnerable populations",
        "people facing (name the barrier), or groups the system has left out",
        "Places the vulnerability in people; name what makes them exposed.",
        "-",
    ),
    Term(
        "vulnerable communities",
        "communities facing (name the barrier)",
        "Places the vulnerability in people; name what makes them exposed.",
        "-",
    ),
    Term(
        "deprived",
        "people with less access to (name it)",
        "Describes people by a lack instead of by the barriers they face.",
        "-",
    ),
    Term(
        "ghetto",
        "name the neighborhood, or say segregated neighborhood",
        "A slur for places and the people in them.",
    ),
    Term(
        "handout",
        "support, assistance, benefit",
        "Frames public support as charity to the undeserving.",
    ),
    Term(
        "welfare queen",
        "people who receive public assistance",
        "A racist stereotype; it has no place in a plan.",
    ),
    Term(
        "dropout",
        "students who left school, young people not in school",
        "Names a person by one event; say what happened and what pushed them out.",
    ),
    Term(
        "high-risk neighborhood",
        "neighborhood with less investment, neighborhood with higher (name the rate)",
        "Blames the place and its residents; name the condition and its cause.",
    ),
    Term(
        "high-crime area",
        "neighborhood with higher reported crime, neighborhood with less investment",
        "Defines a place and its residents by crime alone.",
    ),
    Term(
        "the homeless",
        "people experiencing homelessness",
        "Turns a situation into an identity.",
        "-",
    ),
    Term(
        "ex-offender",
        "people returning from incarceration, person with a conviction record",
        "Defines people by a past act; put the person first.",
    ),
    Term(
        "ex-con",
        "person returning from incarceration",
        "A slur that defines people by a past conviction.",
    ),
    Term(
        "hard to reach",
        "not yet reached, underserved by our outreach",
        "Puts the gap on residents; the outreach is what has not reached them.",
        "-",
    ),
    Term(
        "culture of poverty",
        "name the structural barriers: wages, housing costs, transit",
        "Blames people's culture for conditions that policy created.",
        "-",
    ),
    Term(
        "the needy",
        "people who need (name the support)",
        "Turns a need into an identity.",
        "-",
    ),
)


@dataclass(frozen=True)
class Flag:
    """One occurrence of a listed term: as written, its alternative, why, and where."""

    term: str
    """The listed term."""
    found: str
    """The words as the text has them."""
    alternative: str
    why: str
    excerpt: str
    """The text around it, with an ellipsis where it was cut."""
    start: int
    end: int


def _words(term: str) -> str:
    """The term's words joined by any run of spaces or hyphens."""
    return r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", term))


def _pattern_of(term: Term) -> str:
    forms = [_words(term.term)]
    if term.plural != "-":
        forms.append(_words(term.plural or term.term + "s"))
    return r"(?<![\w\-])(?:" + "|".join(sorted(forms, key=len, reverse=True)) + r")(?![\w\-])"


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[Term, re.Pattern[str]], ...]:
    return tuple((t, re.compile(_pattern_of(t), re.IGNORECASE)) for t in TERMS)


def excerpt(text: str, start: int, end: int, width: int = EXCERPT) -> str:
    """``text`` around ``start:end``, on one line, cut at a word with an ellipsis."""
    left, right = max(0, start - width), min(len(text), end + width)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    body = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + body + ("…" if right < len(text) else "")


def check(text: str) -> list[Flag]:
    """Every listed term in ``text``, in the order they occur (a longer term wins where
    two overlap: "low-income people" rather than nothing else)."""
    if not text:
        return []
    found: list[Flag] = []
    for term, pattern in _compiled():
        for m in pattern.finditer(text):
            found.append(
                Flag(
                    term.term,
                    m.group(0),
                    term.alternative,
                    term.why,
                    excerpt(text, m.start(), m.end()),
                    m.start(),
                    m.end(),
                )
            )
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Flag] = []
    for flag in found:
        if kept and flag.start < kept[-1].end:
            continue
        kept.append(flag)
    return kept
