"""The plain-language check (issue 14, part 7): deficit-framing terms with asset-based
alternatives, found case-insensitively, as whole words, across spaces or hyphens, in the
plural too, each with an excerpt. It only suggests."""

from __future__ import annotations

from upward.planning.plain_language import TERMS, check, excerpt


def found(text: str) -> list[str]:
    return [f.term for f in check(text)]


def test_terms_are_found_case_insensitively_as_whole_words() -> None:
    assert found("Serving AT-RISK youth") == ["at-risk"]
    assert found("Serving at risk youth") == ["at-risk"]
    assert found("the Disadvantaged and the underprivileged") == [
        "disadvantaged",
        "underprivileged",
    ]
    # Not inside another word.
    assert found("advantaged, privileged, deprivedness, ghettoblaster") == []
    assert found("") == []


def test_multiword_terms_span_spaces_hyphens_and_line_breaks() -> None:
    assert found("families in the inner\ncity") == ["inner city"]
    assert found("inner-city schools") == ["inner city"]
    assert found("Help for low income people") == ["low-income people"]
    assert found("broken   families") == ["broken families"]


def test_plurals_are_found_and_the_listed_term_is_named() -> None:
    flags = check("Dropouts and illegal aliens and high-risk neighborhoods; two inner cities.")
    assert [(f.term, f.found) for f in flags] == [
        ("dropout", "Dropouts"),
        ("illegal alien", "illegal aliens"),
        ("high-risk neighborhood", "high-risk neighborhoods"),
        ("inner city", "inner cities"),
    ]


def test_each_flag_has_an_alternative_a_reason_and_an_excerpt() -> None:
    text = "Our coalition works with many partners to reach minorities in every ward of the city."
    (flag,) = check(text)
    assert flag.term == "minorities" and "name the groups" in flag.alternative
    assert flag.why
    # 40 characters each side: from index 8 (cut forward to "works"), to the end.
    assert flag.excerpt == (
        "…works with many partners to reach minorities in every ward of the city."
    )
    assert text[flag.start : flag.end] == "minorities"


def test_overlapping_terms_are_flagged_once() -> None:
    # "vulnerable populations" is one term; nothing else is flagged inside it.
    assert found("vulnerable populations") == ["vulnerable populations"]


def test_the_list_is_reasonable_and_complete() -> None:
    assert 25 <= len(TERMS) <= 35
    assert len({t.term for t in TERMS}) == len(TERMS)
    assert all(t.alternative and t.why for t in TERMS)
    for term in ("the poor", "welfare queen", "handout", "ghetto", "deprived"):
        assert found(f"no {term} here") == [term]


def test_excerpt_cuts_at_words() -> None:
    assert excerpt("short text", 0, 5) == "short text"
    long = "word " * 30
    assert excerpt(long, 50, 54, width=10).startswith("…") and excerpt(long, 50, 54, 10).endswith(
        "…"
    )
