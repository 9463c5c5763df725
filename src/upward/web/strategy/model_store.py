"""The logic model of a workspace, read and changed: the plain values the rules of
``upward.planning.logic_model`` work on, the snapshot an approval keeps, the text outline
(the diagram's accessible alternative, also used by the exports), and the approval state
("changed since approval", element by element).

Changes go through the forms of ``forms_model`` (pages and API alike), which enforce
:func:`~upward.planning.logic_model.link_problem`; this module only adds the one
``result`` element a priority's model has (:func:`ensure_result`), never on a GET.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from upward.catalog import get_catalog
from upward.catalog.model import UnknownName
from upward.planning.logic_model import (
    CONDITION_LABELS,
    KIND_LABELS,
    Changes,
    Edge,
    Finding,
    Node,
    PriorityRef,
    changes_since,
    check_model,
    fingerprint,
)
from upward.planning.strategy import COLUMN, OUTCOME_KINDS
from upward.web.strategy import review_store
from upward.web.strategy.models import Approval, Element, Link, Priority, Review
from upward.web.workspace import places
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace

COLUMN_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Inputs and resources", ("input",)),
    ("Strategies and activities", ("strategy", "activity")),
    ("Outputs", ("output",)),
    ("Outcomes", ("short", "medium", "long")),
    ("Population-level result", ("result",)),
)
"""The five columns a page shows, left to right, each of one or more element kinds."""


# --- the model as the rules see it -----------------------------------------------------


def _elements(workspace: Workspace, priority: Priority | None = None) -> Any:
    rows = Element.objects.filter(workspace=workspace).select_related("strategy")
    if priority is not None:
        rows = rows.filter(priority=priority)
    return rows.order_by("priority__rank", "priority_id", "position", "id")


def _links(workspace: Workspace, priority: Priority | None = None) -> Any:
    rows = Link.objects.filter(workspace=workspace)
    if priority is not None:
        rows = rows.filter(source__priority=priority)
    return rows.order_by("source_id", "target_id")


def node_of(element: Element, measured: bool | None = None) -> Node:
    has_lead = None
    if element.kind == "strategy":
        has_lead = element.strategy is not None and element.strategy.lead_id is not None
    return Node(
        element.pk,
        element.priority_id,
        element.kind,
        element.title,
        element.condition,
        has_lead,
        measured,
    )


def measured_elements(workspace: Workspace) -> set[int]:
    """The ids of the workspace's elements that the measurement plan measures (the
    measurement app's measures, read through the element's reverse relation)."""
    rows = Element.objects.filter(workspace=workspace, measures__isnull=False)
    return set(rows.values_list("pk", flat=True))


def model_nodes(workspace: Workspace) -> tuple[list[PriorityRef], list[Node], list[Edge]]:
    """The workspace's priorities, elements and links as ``planning.logic_model`` reads
    them (``Node.measured``: whether the measurement plan has a measure of the element)."""
    priorities = [PriorityRef(p.pk, p.title) for p in Priority.objects.filter(workspace=workspace)]
    measured = measured_elements(workspace)
    nodes = [node_of(e, e.pk in measured) for e in _elements(workspace)]
    edges = [Edge(s, t) for s, t in _links(workspace).values_list("source_id", "target_id")]
    return priorities, nodes, edges


def model_checks(workspace: Workspace) -> list[Finding]:
    """Every consistency finding of the workspace's model (an element without a measure
    among them)."""
    return check_model(*model_nodes(workspace))


# --- snapshot and approval ---------------------------------------------------------------


def model_snapshot(workspace: Workspace) -> dict[str, Any]:
    """The model's content as an approval keeps it: ``{"elements": {"<id>": {kind,
    title, description, condition, strategy, priority}}, "links": [{source, target,
    rationale, assumption}, ...]}`` (links sorted by source then target; no versions or
    dates, so saving an unchanged form changes nothing)."""
    elements = {
        str(e["id"]): {
            "kind": e["kind"],
            "title": e["title"],
            "description": e["description"],
            "condition": e["condition"],
            "strategy": e["strategy_id"],
            "priority": e["priority_id"],
        }
        for e in Element.objects.filter(workspace=workspace).values(
            "id", "kind", "title", "description", "condition", "strategy_id", "priority_id"
        )
    }
    links = [
        {"source": s, "target": t, "rationale": r, "assumption": a}
        for s, t, r, a in _links(workspace).values_list(
            "source_id", "target_id", "rationale", "assumption"
        )
    ]
    return {"elements": elements, "links": links}


def _link_map(snapshot: Mapping[str, Any]) -> dict[tuple[int, int], dict[str, Any]]:
    return {(int(x["source"]), int(x["target"])): x for x in snapshot.get("links", [])}


@dataclass(frozen=True)
class Removed:
    """An element of the approved model that is gone now (as it was approved)."""

    id: int
    title: str
    kind: str
    priority: int


@dataclass(frozen=True)
class ApprovalState:
    """The model's approval and what changed since. ``changes`` and the link sets are
    empty when the model was never approved; ``changed`` says whether the model now
    differs from the approved one (by fingerprint)."""

    approval: Approval | None
    review: Review | None
    fingerprint: str
    changes: Changes | None = None
    removed: tuple[Removed, ...] = ()
    links_added: frozenset[tuple[int, int]] = frozenset()
    links_removed: tuple[tuple[str, str], ...] = ()
    links_edited: frozenset[tuple[int, int]] = frozenset()
    marked: tuple[tuple[int, str, str], ...] = ()
    """(id, title, 'added' or 'changed') of each element of the model now that differs."""

    @property
    def changed(self) -> bool:
        return self.approval is not None and self.approval.fingerprint != self.fingerprint

    def element_mark(self, element_id: int) -> str:
        """'added', 'changed' or '' for one element of the model now."""
        if not self.changed or self.changes is None:
            return ""
        if element_id in self.changes.added:
            return "added"
        return "changed" if element_id in self.changes.changed else ""

    def link_mark(self, source: int, target: int) -> str:
        if not self.changed:
            return ""
        if (source, target) in self.links_added:
            return "added"
        return "changed" if (source, target) in self.links_edited else ""


def approval_state(
    workspace: Workspace, snapshot: Mapping[str, Any] | None = None
) -> ApprovalState:
    """The latest approval of the model, the open review round, and what differs."""
    now = model_snapshot(workspace) if snapshot is None else snapshot
    approval = review_store.latest_approval(workspace, "model")
    review = review_store.open_review_of(workspace, "model")
    digest = fingerprint(now)
    if approval is None or approval.fingerprint == digest:
        return ApprovalState(approval, review, digest)
    old = approval.snapshot or {}
    changes = changes_since(old, now)
    old_elements = old.get("elements", {})
    removed = tuple(
        Removed(i, str(old_elements[str(i)].get("title", "")), str(old_elements[str(i)]["kind"]),
                int(old_elements[str(i)].get("priority") or 0))
        for i in changes.removed
    )  # fmt: skip
    old_links, new_links = _link_map(old), _link_map(now)
    titles = {int(k): v.get("title", "") for k, v in {**old_elements, **now["elements"]}.items()}
    return ApprovalState(
        approval,
        review,
        digest,
        changes,
        removed,
        frozenset(k for k in new_links if k not in old_links),
        tuple((titles.get(s, "?"), titles.get(t, "?")) for s, t in old_links
              if (s, t) not in new_links),
        frozenset(k for k in new_links if k in old_links and new_links[k] != old_links[k]),
        tuple(
            (i, titles.get(i, ""), "added" if i in changes.added else "changed")
            for i in sorted({*changes.added, *changes.changed})
        ),
    )  # fmt: skip


def approve(workspace: Workspace, user: Any, note: str = "") -> Approval:
    """The owner approves the model as it is now."""
    return review_store.approve_model(workspace, user, model_snapshot(workspace), note)


# --- the result element --------------------------------------------------------------


def result_title(priority: Priority) -> str:
    """The population-level result: the priority's metric, for its group or gap, in its
    place."""
    try:
        label = get_catalog().metric(priority.metric).label
    except UnknownName:
        label = priority.metric.replace("_", " ").capitalize()
    if priority.versus:
        label += f": the gap between {priority.subgroup} and {priority.versus}"
    elif priority.subgroup:
        label += f": {priority.subgroup}"
    return f"{label}, {places.place_name(priority.geoid)}"[:200]


def ensure_result(priority: Priority, user: Any = None) -> Element:
    """The priority's one ``result`` element, added (and logged) if it has none yet.
    Call from a POST (a change to the priority's model), never from a GET."""
    with transaction.atomic():
        Priority.objects.select_for_update().filter(pk=priority.pk).first()
        existing = Element.objects.filter(priority=priority, kind="result").first()
        if existing is not None:
            return existing
        element = Element.objects.create(
            workspace=priority.workspace, priority=priority, kind="result",
            title=result_title(priority), updated_by=_user(user),
        )  # fmt: skip
        record(priority.workspace, user, "added", f"element “{element}”", "the result")
    return element


def _user(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def order_in_columns(elements: Iterable[Element]) -> list[Element]:
    """Elements left to right (by column), then in their order within the column."""
    return sorted(elements, key=lambda e: (COLUMN[e.kind], e.position, e.pk))


def next_position(priority: Priority, kind: str) -> int:
    last = (
        Element.objects.filter(priority=priority, kind=kind)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return 0 if last is None else last + 1


# --- the text outline ------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineLink:
    """One "leads to" arrow out of an element."""

    id: int
    target: int
    target_title: str
    target_kind: str
    rationale: str
    assumption: str
    version: int = 1


@dataclass(frozen=True)
class OutlineElement:
    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    condition: str
    condition_label: str
    strategy: int | None
    links: tuple[OutlineLink, ...]
    version: int = 1


@dataclass(frozen=True)
class OutlineColumn:
    """One of the five columns (``COLUMN_GROUPS``): its label, the element kinds it holds
    and its elements in order (by kind, then position)."""

    label: str
    kinds: tuple[str, ...]
    elements: tuple[OutlineElement, ...]


@dataclass(frozen=True)
class Outline:
    """A priority's model as a tree: columns -> elements -> links out. ``result_title``
    is what the result element is (or will be) called."""

    priority: int
    priority_title: str
    result_title: str
    columns: tuple[OutlineColumn, ...]
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def elements(self) -> tuple[OutlineElement, ...]:
        return tuple(e for c in self.columns for e in c.elements)

    @property
    def is_empty(self) -> bool:
        return not self.elements


def model_outline(workspace: Workspace, priority: Priority) -> Outline:
    """The text outline of one priority's model (the diagram's text alternative)."""
    elements = list(_elements(workspace, priority))
    titles = {e.pk: e for e in elements}
    out: dict[int, list[OutlineLink]] = {}
    for link in _links(workspace, priority):
        target = titles.get(link.target_id)
        if target is None:
            continue
        out.setdefault(link.source_id, []).append(
            OutlineLink(
                link.pk, target.pk, target.title, target.kind, link.rationale, link.assumption,
                link.version,
            )
        )  # fmt: skip
    elements = order_in_columns(elements)
    made = [
        OutlineElement(
            e.pk, e.kind, KIND_LABELS[e.kind], e.title, e.description, e.condition,
            CONDITION_LABELS.get(e.condition, ""), e.strategy_id, tuple(out.get(e.pk, ())),
            e.version,
        )
        for e in elements
    ]  # fmt: skip
    columns = tuple(
        OutlineColumn(label, kinds, tuple(e for e in made if e.kind in kinds))
        for label, kinds in COLUMN_GROUPS
    )
    result = next((e.title for e in made if e.kind == "result"), None)
    counts = Counter(e.kind for e in made)
    return Outline(
        priority.pk, priority.title, result or result_title(priority), columns, dict(counts)
    )


# --- the overview ----------------------------------------------------------------------


@dataclass(frozen=True)
class PriorityModel:
    """One row of the overview: a priority and how many elements each column holds."""

    priority: Priority
    counts: tuple[tuple[str, int], ...]
    links: int

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.counts)


def overview(workspace: Workspace) -> list[PriorityModel]:
    kinds = Counter(Element.objects.filter(workspace=workspace).values_list("priority_id", "kind"))
    links = Counter(
        Link.objects.filter(workspace=workspace).values_list("source__priority_id", flat=True)
    )
    rows = []
    for priority in Priority.objects.filter(workspace=workspace):
        counts = tuple(
            (label, sum(kinds[(priority.pk, k)] for k in group)) for label, group in COLUMN_GROUPS
        )
        rows.append(PriorityModel(priority, counts, links[priority.pk]))
    return rows


def split_findings(findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(to fix, shown for the coalition to weigh)."""
    items = list(findings)
    return [f for f in items if f.to_fix], [f for f in items if not f.to_fix]


def is_outcome(kind: str) -> bool:
    return kind in OUTCOME_KINDS
