"""The logic model's rules on plain values: links, consistency checks, fingerprints."""

from __future__ import annotations

import pytest

from upward.planning.logic_model import (
    CHECKS,
    Edge,
    Node,
    PriorityRef,
    changes_since,
    check_model,
    fingerprint,
    link_problem,
)
from upward.planning.strategy import SYSTEMS_CONDITIONS

P1, P2 = PriorityRef(1, "Employment"), PriorityRef(2, "Housing")


def model() -> dict[int, Node]:
    return {
        10: Node(10, 1, "input", "Funding"),
        11: Node(11, 1, "strategy", "Sector partnerships", has_lead=True),
        12: Node(12, 1, "activity", "Train cohorts"),
        13: Node(13, 1, "output", "Graduates"),
        14: Node(14, 1, "short", "Hiring practices change", condition="practices"),
        15: Node(15, 1, "result", "Share employed"),
        20: Node(20, 2, "strategy", "Land trust", has_lead=False),
        21: Node(21, 2, "medium", "Zoning reform", condition="policies"),
    }


EDGES = [Edge(10, 11), Edge(11, 12), Edge(12, 13), Edge(13, 14), Edge(14, 15)]


@pytest.mark.parametrize(
    ("source", "target", "words"),
    [
        (11, 11, "cannot lead to itself"),
        (11, 21, "different priorities"),
        (15, 14, "nothing comes after it"),
        (14, 12, "links run from left to right"),
        (11, 12, "already leads"),
        (99, 11, "Both ends"),
    ],
)
def test_links_that_are_refused_name_the_elements(source: int, target: int, words: str) -> None:
    assert words in link_problem(model(), EDGES, source, target)


def test_a_link_within_a_column_is_allowed_unless_it_closes_a_cycle() -> None:
    nodes = {**model(), 16: Node(16, 1, "short", "Employers sign on", condition="relationships")}
    edges = [*EDGES, Edge(14, 16)]
    assert link_problem(nodes, edges, 16, 15) == ""
    problem = link_problem(nodes, edges, 16, 14)
    assert "would make a cycle" in problem and "Employers sign on" in problem


def test_forward_link_is_allowed() -> None:
    assert link_problem(model(), EDGES, 10, 13) == ""


def test_consistency_checks_each_find_their_gap() -> None:
    nodes = model()
    findings = check_model([P1, P2, PriorityRef(3, "Schools")], list(nodes.values()), EDGES)
    found = {(f.check, f.element or f.priority) for f in findings if f.to_fix}
    assert found == {
        ("strategy_without_outcome", 20),
        ("outcome_unreached", 21),
        ("priority_without_strategy", 3),
        ("strategy_without_lead", 20),
    }
    unaddressed = [f for f in findings if f.check == "condition_unaddressed"]
    assert not any(f.to_fix for f in unaddressed)
    assert len(unaddressed) == len(SYSTEMS_CONDITIONS) - 2  # practices and policies are used
    assert "resource flows" in " ".join(f.message for f in unaddressed)


def test_findings_come_in_the_order_of_the_checks() -> None:
    findings = check_model([P1, P2, PriorityRef(3, "Schools")], list(model().values()), EDGES)
    order = [c for c, _label in CHECKS]
    positions = [order.index(f.check) for f in findings]
    assert positions == sorted(positions)


def test_a_complete_model_has_nothing_to_fix() -> None:
    nodes = [n for n in model().values() if n.priority == 1]
    assert [f for f in check_model([P1], nodes, EDGES) if f.to_fix] == []


def test_an_outcome_reached_only_from_an_input_is_unreached() -> None:
    nodes = [Node(1, 1, "input", "Money"), Node(2, 1, "short", "Trust", condition="relationships")]
    checks = {f.check for f in check_model([P1], nodes, [Edge(1, 2)])}
    assert "outcome_unreached" in checks and "priority_without_strategy" in checks


def test_measures_are_checked_only_once_they_exist() -> None:
    unmeasured = [Node(1, 1, "strategy", "S", has_lead=True, measured=False)]
    unknown = [Node(1, 1, "strategy", "S", has_lead=True)]
    assert "element_without_measure" in {f.check for f in check_model([P1], unmeasured, [])}
    assert "element_without_measure" not in {f.check for f in check_model([P1], unknown, [])}


def test_fingerprint_ignores_key_order_and_sees_content() -> None:
    a = {"elements": {"1": {"title": "A", "kind": "input"}}, "links": []}
    b = {"links": [], "elements": {"1": {"kind": "input", "title": "A"}}}
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint({**a, "elements": {"1": {"title": "B", "kind": "input"}}})


def test_changes_since_approval() -> None:
    approved = {
        "elements": {"1": {"title": "A"}, "2": {"title": "B"}},
        "links": [{"source": 1, "target": 2}],
    }
    now = {"elements": {"1": {"title": "A2"}, "3": {"title": "C"}}, "links": []}
    changes = changes_since(approved, now)
    assert (changes.changed, changes.added, changes.removed) == ((1,), (3,), (2,))
    assert changes.links_changed and changes.any
    assert not changes_since(approved, approved).any
