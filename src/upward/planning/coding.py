"""Coding qualitative findings: where a passage sits in a note, how coded excerpts
(which may overlap) split a note into highlighted segments, the coalition's own code tree
(parents and children, no cycles, names unique under one parent) with excerpt counts that
include descendants, and the codebook's CSV format.

Pure: offsets are character offsets into the note's text (Python string indexes, the
same as JavaScript's for text without characters outside the Basic Multilingual Plane;
the page sends the passage too, and the server checks it against the offsets).

Codebook CSV columns: ``code, parent, description``. ``parent`` is the full path of the
parent code, names joined by " > " (blank for a top-level code), so a name may repeat
under different parents. Only the coalition's own codes are in the file: the built-in
codes (predictors, conditions of systems change) are fixed and cannot be imported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from upward.planning.name import name_key
from upward.planning.stakeholder_csv import RowError, unescape_cell

MAX_DEPTH = 4
"""A code sits at most this many levels deep (a top-level code is at level 1)."""
PATH_SEPARATOR = " > "
MAX_NAME = 120
MAX_DESCRIPTION = 2000
MAX_ROWS = 2000
COLUMNS = ("code", "parent", "description")


# --- passages -------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def find_passage(text: str, passage: str) -> list[Span]:
    """Every place ``passage`` occurs in ``text``, in order (not overlapping).

    White space is loose: a run of spaces, tabs or line breaks in the passage matches any
    run of white space in the note (a passage copied from a page loses line breaks), and
    white space around the passage is ignored. An empty passage occurs nowhere.
    """
    words = passage.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [Span(m.start(), m.end()) for m in re.finditer(pattern, text)]


def check_span(text: str, start: int, end: int, passage: str | None = None) -> str | None:
    """Why characters ``start`` to ``end`` of ``text`` are not a passage to code (or None).

    With ``passage``, the span must hold that passage (white space compared loosely)."""
    if not 0 <= start < end <= len(text):
        return f"The passage must lie within the note (characters 0 to {len(text)})."
    chosen = text[start:end]
    if not chosen.strip():
        return "The passage is only white space."
    if passage is not None and chosen.split() != passage.split():
        return "The passage does not match the note's text at that place; select it again."
    return None


def trim_span(text: str, span: Span) -> Span:
    """``span`` without white space at either end."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


@dataclass(frozen=True)
class Segment:
    """A stretch of the note covered by the same excerpts (none: plain text)."""

    start: int
    end: int
    text: str
    keys: tuple[int, ...]


def segment(text: str, spans: Iterable[tuple[int, int, int]]) -> list[Segment]:
    """Split ``text`` at every excerpt boundary; each segment names the excerpts (their
    keys, in the order given) that cover it. Overlapping and nested excerpts are fine;
    spans outside the text are clipped, empty ones ignored."""
    kept = []
    for start, end, key in spans:
        start, end = max(0, start), min(len(text), end)
        if start < end:
            kept.append((start, end, key))
    cuts = sorted({0, len(text), *(s for s, _, _ in kept), *(e for _, e, _ in kept)})
    out = []
    for left, right in pairwise(cuts):
        keys = tuple(k for s, e, k in kept if s <= left and right <= e)
        out.append(Segment(left, right, text[left:right], keys))
    return out


# --- the code tree --------------------------------------------------------------------


@dataclass(frozen=True)
class CodeNode:
    id: int
    name: str
    parent_id: int | None


@dataclass(frozen=True)
class TreeRow:
    node: CodeNode
    depth: int
    """1 for a top-level code."""
    path: str


def _children(nodes: Iterable[CodeNode]) -> dict[int | None, list[CodeNode]]:
    by_parent: dict[int | None, list[CodeNode]] = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    for kids in by_parent.values():
        kids.sort(key=lambda n: (name_key(n.name), n.id))
    return by_parent


def code_tree(nodes: Iterable[CodeNode]) -> list[TreeRow]:
    """The codes depth first, each parent before its children, names in order at each level.
    A code whose parent is not among ``nodes`` is shown at the top level."""
    nodes = list(nodes)
    known = {n.id for n in nodes}
    by_parent = _children(
        CodeNode(n.id, n.name, n.parent_id if n.parent_id in known else None) for n in nodes
    )
    out: list[TreeRow] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int, prefix: str) -> None:
        for node in by_parent.get(parent, []):
            if node.id in seen:  # a cycle in stored data: show each code once
                continue
            seen.add(node.id)
            path = f"{prefix}{PATH_SEPARATOR}{node.name}" if prefix else node.name
            out.append(TreeRow(node, depth, path))
            walk(node.id, depth + 1, path)

    walk(None, 1, "")
    return out


def descendants(parents: Mapping[int, int | None], code_id: int) -> set[int]:
    """Every code under ``code_id`` (not itself); ``parents`` maps each code to its parent."""
    by_parent: dict[int | None, list[int]] = {}
    for child, parent in parents.items():
        by_parent.setdefault(parent, []).append(child)
    found: set[int] = set()
    stack = [code_id]
    while stack:
        for child in by_parent.get(stack.pop(), []):
            if child not in found and child != code_id:
                found.add(child)
                stack.append(child)
    return found


def ancestors(parents: Mapping[int, int | None], code_id: int) -> list[int]:
    """The codes above ``code_id``, nearest first (stops at a cycle)."""
    out: list[int] = []
    current = parents.get(code_id)
    while current is not None and current not in out and current != code_id:
        out.append(current)
        current = parents.get(current)
    return out


def subtree_height(parents: Mapping[int, int | None], code_id: int) -> int:
    """Levels in the subtree of ``code_id``, itself included (1 for a leaf)."""
    by_parent: dict[int | None, list[int]] = {}
    for child, parent in parents.items():
        by_parent.setdefault(parent, []).append(child)

    def height(node: int, seen: frozenset[int]) -> int:
        kids = [k for k in by_parent.get(node, []) if k not in seen]
        return 1 + max((height(k, seen | {k}) for k in kids), default=0)

    return height(code_id, frozenset({code_id}))


def parent_problem(
    parents: Mapping[int, int | None], code_id: int | None, new_parent: int | None
) -> str | None:
    """Why ``code_id`` (None for a new code) cannot sit under ``new_parent`` (or None)."""
    if new_parent is None:
        height = subtree_height(parents, code_id) if code_id is not None else 1
        return None if height <= MAX_DEPTH else f"Codes nest at most {MAX_DEPTH} levels deep."
    if code_id is not None and (
        new_parent == code_id or new_parent in descendants(parents, code_id)
    ):
        return "A code cannot sit under itself or under one of its own children."
    depth = 1 + len(ancestors(parents, new_parent))
    height = subtree_height(parents, code_id) if code_id is not None else 1
    if depth + height > MAX_DEPTH:
        return f"Codes nest at most {MAX_DEPTH} levels deep; this would make {depth + height}."
    return None


def counts_with_descendants(
    parents: Mapping[int, int | None], pairs: Iterable[tuple[int, int]]
) -> dict[int, int]:
    """Excerpts per code, each code counting its own and its descendants' excerpts, an
    excerpt once however many of a code's subtree it carries. ``pairs``: (excerpt, code)."""
    under: dict[int, set[int]] = {}
    for excerpt, code in pairs:
        for target in (code, *ancestors(parents, code)):
            under.setdefault(target, set()).add(excerpt)
    return {code: len(excerpts) for code, excerpts in under.items()}


# --- codebook CSV ---------------------------------------------------------------------


@dataclass(frozen=True)
class CodebookRow:
    line: int
    name: str
    parent_path: str
    """The parent's path, names joined by PATH_SEPARATOR; blank for a top-level code."""
    description: str

    @property
    def path(self) -> str:
        return f"{self.parent_path}{PATH_SEPARATOR}{self.name}" if self.parent_path else self.name


@dataclass(frozen=True)
class CodebookImport:
    rows: tuple[CodebookRow, ...]
    """In an order where each parent comes before its children."""
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def path_key(path: str) -> tuple[str, ...]:
    return tuple(name_key(part) for part in path.split(PATH_SEPARATOR.strip()) if part.strip())


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an own code (or None)."""
    if not name:
        return "A code needs a name."
    if len(name) > MAX_NAME:
        return f"At most {MAX_NAME} characters ({len(name)} given)."
    if PATH_SEPARATOR.strip() in name:
        return f"A name cannot contain '{PATH_SEPARATOR.strip()}' (it separates a path)."
    return None


def _cell(record: Mapping[str, str], column: str) -> str:
    return " ".join(unescape_cell(record.get(column, "").strip()).split())


def parse_codebook_csv(
    text: str, existing_paths: Iterable[str] = (), builtin_names: Iterable[str] = ()
) -> CodebookImport:
    """Check a whole codebook file; rows only when no line has an error.

    A row's parent must be an existing own code (``existing_paths``) or a code of the file.
    An own code's name is unique in the workspace (the database's rule), so a name already
    in the codebook is an error (edit that code on the page instead); so is the name of a
    built-in code, a name twice in the file, and nesting past MAX_DEPTH.
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except StopIteration:
        return CodebookImport((), (RowError(1, "", "The file is empty; line 1 names columns."),))
    except csv.Error as exc:
        return CodebookImport((), (RowError(1, "", f"Not a readable CSV file: {exc}."),))
    unknown = [c for c in header if c not in COLUMNS]
    if unknown or "code" not in header or len(set(header)) != len(header):
        message = f"The columns must be {', '.join(COLUMNS)} (only code is required)"
        message += f"; unknown: {', '.join(unknown)}." if unknown else "; each once."
        return CodebookImport((), (RowError(1, "", message),))
    existing = {path_key(p) for p in existing_paths}
    taken = {key[-1] for key in existing if key}
    builtins = {name_key(n) for n in builtin_names}
    rows: list[CodebookRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, "", f"Too many rows: at most {MAX_ROWS} per file."))
            break
        if len(record) > len(header):
            errors.append(RowError(line, "", f"{len(record)} cells, but {len(header)} columns."))
            continue
        cells = dict(zip(header, record, strict=False))
        row, row_errors = _parse_row(line, cells, taken, builtins, seen)
        errors.extend(row_errors)
        if row is not None:
            seen[name_key(row.name)] = line
            rows.append(row)
    errors.extend(_check_parents(rows, existing))
    if errors:
        return CodebookImport((), tuple(sorted(errors, key=lambda e: e.line)))
    return CodebookImport(tuple(sorted(rows, key=lambda r: len(path_key(r.path)))), ())


def _parse_row(
    line: int,
    cells: Mapping[str, str],
    taken: set[str],
    builtins: set[str],
    seen: Mapping[str, int],
) -> tuple[CodebookRow | None, list[RowError]]:
    name, parent = _cell(cells, "code"), _cell(cells, "parent")
    description = unescape_cell(cells.get("description", "").strip())
    shown = name[:80]
    errors = []
    if problem := name_problem(name):
        errors.append(RowError(line, "code", problem, shown))
    if len(description) > MAX_DESCRIPTION:
        errors.append(RowError(line, "description", f"At most {MAX_DESCRIPTION} characters."))
    if name_key(name) in builtins:
        errors.append(
            RowError(line, "code", "This is a built-in code; built-ins cannot be imported.", shown)
        )
    depth = len(path_key(parent)) + 1
    if depth > MAX_DEPTH:
        errors.append(
            RowError(line, "parent", f"Codes nest at most {MAX_DEPTH} levels deep.", shown)
        )
    if errors:
        return None, errors
    row = CodebookRow(line, name, PATH_SEPARATOR.join(p.strip() for p in parent.split(">")) if
                      parent else "", description)  # fmt: skip
    key = name_key(row.name)
    if key in taken:
        message = "This code is already in the codebook; edit it on the codebook page."
        return None, [RowError(line, "code", message, shown)]
    if key in seen:
        return None, [RowError(line, "code", f"Also on line {seen[key]} of this file.", shown)]
    return row, []


def _check_parents(rows: Sequence[CodebookRow], existing: set[tuple[str, ...]]) -> list[RowError]:
    defined = existing | {path_key(r.path) for r in rows}
    return [
        RowError(
            r.line,
            "parent",
            f"No code '{r.parent_path}' in the codebook or this file.",
            r.name[:80],
        )
        for r in rows
        if r.parent_path and path_key(r.parent_path) not in defined
    ]


def codebook_records(tree: Iterable[TreeRow], descriptions: Mapping[int, str]) -> list[dict]:
    """The own codes in the import format, for the download writer (parents first)."""
    out = []
    for row in tree:
        parent_path = row.path.rsplit(PATH_SEPARATOR, 1)[0] if row.depth > 1 else ""
        out.append(
            {
                "code": row.node.name,
                "parent": parent_path,
                "description": descriptions.get(row.node.id, ""),
            }
        )
    return out
