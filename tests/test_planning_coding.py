"""Coding rules: passages in a note, segments of overlapping excerpts, the code tree and
the codebook CSV (hand-computed expectations)."""

from __future__ import annotations

from upward.planning import coding as rules
from upward.planning.coding import CodeNode, Span


def test_find_passage_single_repeated_and_whitespace() -> None:
    text = "Rent is high.\nRent  is high, and buses are late. Rent is high."
    assert rules.find_passage(text, "buses are late") == [Span(33, 47)]
    assert rules.find_passage(text, "Rent is high") == [Span(0, 12), Span(14, 27), Span(49, 61)]
    # a passage copied from the page: line break and double space become single spaces
    assert rules.find_passage(text, "  high. Rent is high,  ") == [Span(8, 28)]
    assert rules.find_passage(text, "trains") == []
    assert rules.find_passage(text, "   ") == []
    assert rules.find_passage("a.b a+b", "a+b") == [Span(4, 7)]  # no regex surprises


def test_check_span() -> None:
    text = "We need childcare near work."
    assert rules.check_span(text, 8, 17, "childcare") is None
    assert "within the note" in (rules.check_span(text, 5, 99) or "")
    assert "within the note" in (rules.check_span(text, 9, 9) or "")
    assert "white space" in (rules.check_span(text, 2, 3) or "")
    assert "does not match" in (rules.check_span(text, 8, 17, "daycare") or "")
    assert rules.trim_span(" ab ", Span(0, 4)) == Span(1, 3)


def test_segment_with_overlap_and_nesting() -> None:
    text = "abcdefghij"
    segs = rules.segment(text, [(2, 6, 1), (4, 8, 2), (5, 6, 3), (9, 20, 4), (3, 3, 5)])
    assert [(s.start, s.end, s.keys) for s in segs] == [
        (0, 2, ()),
        (2, 4, (1,)),
        (4, 5, (1, 2)),
        (5, 6, (1, 2, 3)),
        (6, 8, (2,)),
        (8, 9, ()),
        (9, 10, (4,)),
    ]
    assert "".join(s.text for s in segs) == text
    assert rules.segment("", []) == []
    assert [s.keys for s in rules.segment("abc", [])] == [()]


PARENTS = {1: None, 2: 1, 3: 2, 4: 3, 5: None, 6: 1}


def test_tree_descendants_and_counts() -> None:
    nodes = [CodeNode(1, "Housing", None), CodeNode(2, "Rent", 1), CodeNode(6, "Evictions", 1),
             CodeNode(3, "Deposits", 2), CodeNode(5, "Transit", None)]  # fmt: skip
    tree = rules.code_tree(nodes)
    assert [(r.node.id, r.depth, r.path) for r in tree] == [
        (1, 1, "Housing"),
        (6, 2, "Housing > Evictions"),
        (2, 2, "Housing > Rent"),
        (3, 3, "Housing > Rent > Deposits"),
        (5, 1, "Transit"),
    ]
    assert rules.descendants(PARENTS, 1) == {2, 3, 4, 6}
    assert rules.ancestors(PARENTS, 4) == [3, 2, 1]
    # excerpt 10 carries Rent and Deposits: Housing counts it once
    counts = rules.counts_with_descendants(PARENTS, [(10, 2), (10, 3), (11, 6), (12, 5)])
    assert counts == {1: 2, 2: 1, 3: 1, 6: 1, 5: 1}


def test_cycles_and_depth_refused() -> None:
    assert "itself" in (rules.parent_problem(PARENTS, 1, 1) or "")
    assert "itself" in (rules.parent_problem(PARENTS, 1, 3) or "")  # under its grandchild
    assert rules.parent_problem(PARENTS, 6, 2) is None  # Evictions under Rent: depth 3
    assert "4 levels" in (rules.parent_problem(PARENTS, None, 4) or "")  # a fifth level
    assert "4 levels" in (rules.parent_problem(PARENTS, 2, 6) or "")  # 3 levels under depth 2
    assert rules.parent_problem(PARENTS, 2, None) is None


BUILTINS = ["Housing affordability", "Policies"]


def test_codebook_csv_ok_in_any_order() -> None:
    text = (
        "code,parent,description\nDeposits,Housing > Rent,Move-in costs\nRent,Housing,\nHousing,,\n"
    )
    parsed = rules.parse_codebook_csv(text, existing_paths=[], builtin_names=BUILTINS)
    assert parsed.ok
    assert [r.path for r in parsed.rows] == [
        "Housing",
        "Housing > Rent",
        "Housing > Rent > Deposits",
    ]
    assert parsed.rows[2].description == "Move-in costs"


def test_codebook_csv_errors_by_row_and_column() -> None:
    text = (
        "code,parent,description\n"
        "Policies,,\n"  # 2: built-in
        ",Housing,\n"  # 3: no name
        "Rent,Nowhere,\n"  # 4: unknown parent
        "Transit,,\n"  # 5: already in the codebook
        "Fares,,\n"
        "fares,,\n"  # 7: twice in the file
        "Deep,A > B > C > D,\n"  # 8: too deep
        "'=HYPERLINK(1),,x\n"  # 9: fine, unescaped
        "a > b,,\n"  # 10: separator in a name
    )
    parsed = rules.parse_codebook_csv(text, existing_paths=["Transit"], builtin_names=BUILTINS)
    assert not parsed.ok and parsed.rows == ()
    found = [(e.line, e.column) for e in parsed.errors]
    assert found == [(2, "code"), (3, "code"), (4, "parent"), (5, "code"), (7, "code"),
                     (8, "parent"), (10, "code")]  # fmt: skip
    assert "built-in" in parsed.errors[0].message
    assert "line 6" in parsed.errors[4].message


def test_codebook_csv_header_and_roundtrip() -> None:
    assert not rules.parse_codebook_csv("").ok
    assert rules.parse_codebook_csv("name,parent\nx,\n").errors[0].line == 1
    nodes = [CodeNode(1, "Housing", None), CodeNode(2, "Rent", 1)]
    records = rules.codebook_records(rules.code_tree(nodes), {2: "Costs"})
    assert records == [
        {"code": "Housing", "parent": "", "description": ""},
        {"code": "Rent", "parent": "Housing", "description": "Costs"},
    ]
