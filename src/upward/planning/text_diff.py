"""A word-by-word comparison of two versions of a text (the vision's drafts): which
words stayed, which were removed and which were added, for a page to mark up with
``<del>`` and ``<ins>`` and a count a reader can check."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["same", "removed", "added"]
TOKENS = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")
"""Words, punctuation marks and the white space between them, all kept, so that the
pieces joined give back each text exactly (and "thrives." still matches "thrives")."""
WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Segment:
    kind: Kind
    text: str


@dataclass(frozen=True)
class TextDiff:
    segments: tuple[Segment, ...]
    added: int
    """Words added (white space and punctuation not counted)."""
    removed: int

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed)

    def text_of(self, side: Literal["old", "new"]) -> str:
        """One side again (a check that nothing was lost)."""
        skip = "added" if side == "old" else "removed"
        return "".join(s.text for s in self.segments if s.kind != skip)


def _words(pieces: list[str]) -> int:
    return sum(1 for piece in pieces if WORD.match(piece))


def compare_texts(old: str, new: str) -> TextDiff:
    """``old`` to ``new``, word by word (difflib's longest matching blocks). A change
    spanning several words reads as one: the spaces between changed words go into it."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    segments: list[Segment] = []
    removed: list[str] = []
    added: list[str] = []
    counts = [0, 0]

    def push(kind: Kind, pieces: list[str]) -> None:
        if not pieces:
            return
        text = "".join(pieces)
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    def flush() -> None:
        counts[0] += _words(added)
        counts[1] += _words(removed)
        push("removed", removed)
        push("added", added)
        removed.clear()
        added.clear()

    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op != "equal":
            removed.extend(a[i1:i2])
            added.extend(b[j1:j2])
            continue
        between = (removed or added) and index + 1 < len(opcodes)
        if between and all(piece.isspace() for piece in a[i1:i2]):
            removed.extend(a[i1:i2])
            added.extend(b[j1:j2])
            continue
        flush()
        push("same", a[i1:i2])
    flush()
    return TextDiff(tuple(segments), counts[0], counts[1])
