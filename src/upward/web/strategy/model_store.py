"""The logic model of a workspace, read and changed: one reader (:func:`models_of`) of
elements and links as the plain values of :mod:`upward.reports.logic_model_diagram`, from
which come the values the rules of ``upward.planning.logic_model`` work on, the checks,
the snapshot an approval keeps, the text outline (the diagram's accessible alternative,
``PriorityModel.outline``: pages and exports alike) and the exports; and the approval
state ("changed since approval", element by element).

Changes go through the forms of ``forms_model`` (pages and API alike), which enforce
:func:`~upward.planning.logic_model.link_problem`; this module only adds the one
``result`` element a priority's model has (:func:`ensure_result`), never on a GET.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import transaction

from upward.catalog import get_catalog
from upward.catalog.model import UnknownName
from upward.planning.logic_model import (
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
from upward.reports import logic_model_diagram as lm
from upward.web.strategy import review_store
from upward.web.strategy.models import Approval, Element, Link, Priority, Review, Strategy
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


# --- the model read: one reader for the pages, the checks, the approval and the exports --


def _strategies(ids: Iterable[int], rows: Iterable[tuple[Any, ...]]) -> dict[int, lm.StrategyInfo]:
    """Each strategy's plain values from the element rows' strategy columns (name,
    evidence level, lead, workgroup) and one query for the partners of all of them."""
    partners: dict[int, list[str]] = defaultdict(list)
    through = Strategy.partners.through
    for sid, name in (
        through.objects.filter(strategy_id__in=list(ids))
        .order_by("stakeholder__name")
        .values_list("strategy_id", "stakeholder__name")
    ):
        partners[sid].append(name)
    return {
        sid: lm.StrategyInfo(sid, name, level, lead or "", tuple(partners[sid]), group or "")
        for sid, name, level, lead, group in rows
    }


_ELEMENT_COLUMNS = (
    "pk", "priority_id", "kind", "title", "description", "condition", "position",
    "strategy_id", "strategy__name", "strategy__evidence_level", "strategy__lead__name",
    "strategy__workgroup__name",
)  # fmt: skip


def models_of(
    workspace: Workspace, priorities: Iterable[Priority] | None = None
) -> list[lm.PriorityModel]:
    """Each priority's model as plain values, in the order given (``priorities`` None:
    every priority of the workspace, in rank order): three queries, whatever the number
    of priorities, elements and links. Elements in their order within a column, links in
    the order they were made."""
    chosen = list(
        Priority.objects.filter(workspace=workspace) if priorities is None else priorities
    )
    ids = [p.pk for p in chosen]
    rows = list(
        Element.objects.filter(workspace=workspace, priority_id__in=ids)
        .order_by("position", "id")
        .values_list(*_ELEMENT_COLUMNS)
    )
    strategies = _strategies({r[7] for r in rows if r[7]}, {r[7:] for r in rows if r[7]})
    by_priority: dict[int, list[lm.ModelElement]] = defaultdict(list)
    for pk, priority, kind, title, description, condition, position, sid, *_s in rows:
        by_priority[priority].append(
            lm.ModelElement(pk, kind, title, description, condition, position,
                            strategies[sid] if sid else None)
        )  # fmt: skip
    links: dict[int, list[lm.ModelLink]] = defaultdict(list)
    for pk, source, target, priority, rationale, assumption in (
        Link.objects.filter(workspace=workspace, source__priority_id__in=ids)
        .order_by("id")
        .values_list("pk", "source_id", "target_id", "source__priority_id", "rationale",
                     "assumption")
    ):  # fmt: skip
        links[priority].append(lm.ModelLink(pk, source, target, rationale, assumption))
    return [
        lm.PriorityModel(p.pk, p.title, tuple(by_priority[p.pk]), tuple(links[p.pk]))
        for p in chosen
    ]


def model_of(workspace: Workspace, priority: Priority) -> lm.PriorityModel:
    return models_of(workspace, [priority])[0]


def nodes_of(
    models: Iterable[lm.PriorityModel],
) -> tuple[list[PriorityRef], list[Node], list[Edge]]:
    """Models as ``planning.logic_model`` reads them (``Node.measured`` is None: measures
    come with the measurement plan)."""
    chosen = list(models)
    return (
        [PriorityRef(m.id, m.title) for m in chosen],
        [n for m in chosen for n in m.nodes()],
        [e for m in chosen for e in m.edges()],
    )


def model_nodes(workspace: Workspace) -> tuple[list[PriorityRef], list[Node], list[Edge]]:
    """The workspace's priorities, elements and links as ``planning.logic_model`` reads
    them."""
    return nodes_of(models_of(workspace))


def checks_of(models: Iterable[lm.PriorityModel]) -> list[Finding]:
    """The consistency findings of these models. A link stays within one priority's
    model, so one priority's findings are the same whether or not the other priorities
    are checked with it; only ``condition_unaddressed`` (weighed, not to fix, and about
    the whole workspace) needs them all."""
    return check_model(*nodes_of(models))


def model_checks(workspace: Workspace) -> list[Finding]:
    """Every consistency finding of the workspace's model (measured=None throughout)."""
    return checks_of(models_of(workspace))


# --- snapshot and approval ---------------------------------------------------------------


def snapshot_of(models: Iterable[lm.PriorityModel]) -> dict[str, Any]:
    """The models' content as an approval keeps it: ``{"elements": {"<id>": {kind,
    title, description, condition, strategy, priority}}, "links": [{source, target,
    rationale, assumption}, ...]}`` (links sorted by source then target; no versions or
    dates, so saving an unchanged form changes nothing)."""
    chosen = list(models)
    elements = {
        str(e.id): {
            "kind": e.kind,
            "title": e.title,
            "description": e.description,
            "condition": e.condition,
            "strategy": e.strategy.id if e.strategy else None,
            "priority": m.id,
        }
        for m in chosen
        for e in m.elements
    }
    links = sorted(
        ({"source": x.source, "target": x.target, "rationale": x.rationale,
          "assumption": x.assumption} for m in chosen for x in m.links),
        key=lambda x: (x["source"], x["target"]),
    )  # fmt: skip
    return {"elements": elements, "links": links}


def model_snapshot(workspace: Workspace) -> dict[str, Any]:
    """The workspace's model as an approval keeps it (:func:`snapshot_of`)."""
    return snapshot_of(models_of(workspace))


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
    digest: Callable[[], str] = field(repr=False, compare=False)
    """The fingerprint of the model now, computed when asked (a page that shows no
    approval form and has no approval to compare with never reads the whole model)."""
    changes: Changes | None = None
    removed: tuple[Removed, ...] = ()
    links_added: frozenset[tuple[int, int]] = frozenset()
    links_removed: tuple[tuple[str, str], ...] = ()
    links_edited: frozenset[tuple[int, int]] = frozenset()
    marked: tuple[tuple[int, str, str], ...] = ()
    """(id, title, 'added' or 'changed') of each element of the model now that differs."""

    @cached_property
    def fingerprint(self) -> str:
        return self.digest()

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
    """The latest approval of the model, the open review round, and what differs. The
    model is read (for its fingerprint) only when there is an approval to compare it
    with, or when the fingerprint is asked for."""
    approval = review_store.latest_approval(workspace, "model")
    review = review_store.open_review_of(workspace, "model")
    if approval is None and snapshot is None:
        return ApprovalState(None, review, lambda: fingerprint(model_snapshot(workspace)))
    now = model_snapshot(workspace) if snapshot is None else snapshot
    digest = fingerprint(now)
    if approval is None or approval.fingerprint == digest:
        return ApprovalState(approval, review, lambda: digest)
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
        lambda: digest,
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


# --- the page's columns ------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnGroup:
    """One of the five columns a model page shows (``COLUMN_GROUPS``): its label, the
    element kinds it holds and their entries of the text outline, in order."""

    label: str
    kinds: tuple[str, ...]
    entries: tuple[lm.OutlineEntry, ...]


def column_groups(outline: Iterable[lm.OutlineColumn]) -> tuple[ColumnGroup, ...]:
    """The text outline's eight columns (``PriorityModel.outline()`` of
    :mod:`upward.reports.logic_model_diagram`) as the page's five."""
    by_kind = {c.kind: c.entries for c in outline}
    return tuple(
        ColumnGroup(label, kinds, tuple(e for k in kinds for e in by_kind.get(k, ())))
        for label, kinds in COLUMN_GROUPS
    )


def model_result_title(model: lm.PriorityModel, priority: Priority) -> str:
    """What the result element is (or will be) called."""
    found = next((e.title for e in model.elements if e.kind == "result"), None)
    return found or result_title(priority)


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
