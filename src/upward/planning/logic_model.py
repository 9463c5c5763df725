"""The rules of a systems-change logic model, on plain values: which links are allowed,
the consistency checks (a list to fix, not a score), and the fingerprint that tells an
approved model from a changed one.

A model is a set of :class:`Node` (one per element, each in one priority's model) and
:class:`Edge` (a link from one element to another of the same priority). Columns run
left to right (:data:`upward.planning.strategy.ELEMENT_KINDS`); a link goes to the same
column or a later one and never closes a cycle, so every model is a directed acyclic graph
from inputs to the priority's population-level result.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from upward.planning.strategy import COLUMN, ELEMENT_KINDS, OUTCOME_KINDS, SYSTEMS_CONDITIONS

KIND_LABELS = dict(ELEMENT_KINDS)
CONDITION_LABELS = dict(SYSTEMS_CONDITIONS)


@dataclass(frozen=True)
class Node:
    """One element of a logic model. ``has_lead`` is for strategies (None otherwise);
    ``measured`` is None until measures exist (the measurement plan)."""

    id: int
    priority: int
    kind: str
    title: str
    condition: str = ""
    has_lead: bool | None = None
    measured: bool | None = None


@dataclass(frozen=True)
class Edge:
    source: int
    target: int


@dataclass(frozen=True)
class PriorityRef:
    id: int
    title: str


@dataclass(frozen=True)
class Finding:
    """One consistency finding: ``check`` names the rule (see :data:`CHECKS`); a finding
    ``to_fix`` is a gap in the model, otherwise it is shown for the coalition to weigh."""

    check: str
    message: str
    priority: int | None = None
    element: int | None = None
    to_fix: bool = True


CHECKS: tuple[tuple[str, str], ...] = (
    ("strategy_without_outcome", "A strategy that leads to no outcome"),
    ("outcome_unreached", "An outcome no strategy reaches"),
    ("priority_without_strategy", "A priority with no strategy"),
    ("strategy_without_lead", "A strategy with no lead partner"),
    ("condition_unaddressed", "A condition of systems change no outcome addresses"),
    ("element_without_measure", "An element without a measure"),
)


class LinkRefused(ValueError):
    """A link the model cannot hold; the message names both elements."""


def link_problem(nodes: Mapping[int, Node], edges: Iterable[Edge], source: int, target: int) -> str:
    """Why a link from ``source`` to ``target`` cannot be added ('' when it can)."""
    a, b = nodes.get(source), nodes.get(target)
    if a is None or b is None:
        return "Both ends of a link must be elements of this workspace's logic model."
    if a.id == b.id:
        return f"“{a.title}” cannot lead to itself."
    if a.priority != b.priority:
        return (
            f"“{a.title}” and “{b.title}” belong to the models of different priorities; "
            "a link stays within one priority's model."
        )
    if a.kind == "result":
        return f"“{a.title}” is the population-level result; nothing comes after it."
    if COLUMN[b.kind] < COLUMN[a.kind]:
        return (
            f"“{a.title}” ({KIND_LABELS[a.kind]}) cannot lead back to “{b.title}” "
            f"({KIND_LABELS[b.kind]}): links run from left to right."
        )
    existing = list(edges)
    if any(e.source == source and e.target == target for e in existing):
        return f"“{a.title}” already leads to “{b.title}”."
    if target_reaches(existing, target, source):
        return (
            f"A link from “{a.title}” to “{b.title}” would make a cycle, which the model forbids."
        )
    return ""


def target_reaches(edges: Iterable[Edge], start: int, goal: int) -> bool:
    """Whether ``goal`` is reachable from ``start`` along ``edges``."""
    out: dict[int, list[int]] = defaultdict(list)
    for e in edges:
        out[e.source].append(e.target)
    seen, stack = {start}, [start]
    while stack:
        here = stack.pop()
        if here == goal:
            return True
        for nxt in out[here]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def _reachable(edges: Sequence[Edge], starts: Iterable[int], forward: bool = True) -> set[int]:
    step: dict[int, list[int]] = defaultdict(list)
    for e in edges:
        if forward:
            step[e.source].append(e.target)
        else:
            step[e.target].append(e.source)
    seen: set[int] = set()
    stack = list(starts)
    while stack:
        here = stack.pop()
        for nxt in step[here]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def check_model(
    priorities: Sequence[PriorityRef], nodes: Sequence[Node], edges: Sequence[Edge]
) -> list[Finding]:
    """Every consistency finding of a workspace's logic model, in the order of
    :data:`CHECKS`, then by priority and element as given."""
    findings: list[Finding] = []
    strategies = [n for n in nodes if n.kind == "strategy"]
    outcomes = [n for n in nodes if n.kind in OUTCOME_KINDS]
    outcome_ids = {n.id for n in outcomes}
    for s in strategies:
        if not _reachable(edges, [s.id]) & outcome_ids:
            findings.append(
                Finding(
                    "strategy_without_outcome",
                    f"The strategy “{s.title}” leads to no outcome. Link it, through its "
                    "activities and outputs or directly, to the outcome it is meant to shift.",
                    s.priority,
                    s.id,
                )
            )
    from_strategies = _reachable(edges, [s.id for s in strategies])
    for o in outcomes:
        if o.id not in from_strategies:
            findings.append(
                Finding(
                    "outcome_unreached",
                    f"No strategy reaches the outcome “{o.title}”. Link a strategy (or its "
                    "activities or outputs) to it, or remove it.",
                    o.priority,
                    o.id,
                )
            )
    with_strategy = {s.priority for s in strategies}
    for p in priorities:
        if p.id not in with_strategy:
            findings.append(
                Finding(
                    "priority_without_strategy",
                    f"The priority “{p.title}” has no strategy yet.",
                    p.id,
                )
            )
    for s in strategies:
        if s.has_lead is False:
            findings.append(
                Finding(
                    "strategy_without_lead",
                    f"The strategy “{s.title}” names no lead partner. Choose one from the "
                    "stakeholder inventory.",
                    s.priority,
                    s.id,
                )
            )
    addressed = {o.condition for o in outcomes}
    for condition, label in SYSTEMS_CONDITIONS:
        if condition not in addressed:
            findings.append(
                Finding(
                    "condition_unaddressed",
                    f"No outcome addresses {label.lower()}. Not every model needs every "
                    "condition; this is shown for the coalition to weigh.",
                    to_fix=False,
                )
            )
    for n in nodes:
        if n.measured is False:
            findings.append(
                Finding(
                    "element_without_measure",
                    f"“{n.title}” ({KIND_LABELS[n.kind]}) has no measure yet.",
                    n.priority,
                    n.id,
                )
            )
    return findings


def fingerprint(snapshot: Mapping[str, Any]) -> str:
    """A stable digest of a model's (or a vision's) content, to tell whether what is
    shown now is what was approved."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Changes:
    """What differs between an approved snapshot and the model now, by element id."""

    changed: tuple[int, ...]
    added: tuple[int, ...]
    removed: tuple[int, ...]
    links_changed: bool

    @property
    def any(self) -> bool:
        return bool(self.changed or self.added or self.removed or self.links_changed)


def changes_since(approved: Mapping[str, Any], now: Mapping[str, Any]) -> Changes:
    """Compare two snapshots shaped ``{"elements": {id: {...}}, "links": [...]}`` (ids as
    strings, as JSON keeps them)."""
    old, new = approved.get("elements", {}), now.get("elements", {})
    changed = tuple(sorted(int(k) for k in new if k in old and new[k] != old[k]))
    added = tuple(sorted(int(k) for k in new if k not in old))
    removed = tuple(sorted(int(k) for k in old if k not in new))
    links_changed = _link_set(approved) != _link_set(now)
    return Changes(changed, added, removed, links_changed)


def _link_set(snapshot: Mapping[str, Any]) -> set[str]:
    return {json.dumps(link, sort_keys=True) for link in snapshot.get("links", [])}
