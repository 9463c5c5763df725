"""The readiness conditions (guide Step 3) and the rule that turns answers into advice."""

from __future__ import annotations

import pytest

from upward.planning import readiness as r


def steps_of(*condition_ids: str) -> set[str]:
    return {s.id for cid in condition_ids for s in r.condition(cid).steps}


ALL = tuple(c.id for c in r.get_conditions())


def test_nine_conditions_with_their_steps() -> None:
    conditions = r.get_conditions()
    assert [c.id for c in conditions] == [
        "leadership",
        "partnerships",
        "capacity",
        "culture",
        "staff_buy_in",
        "racial_equity",
        "data",
        "engagement",
        "learning",
    ]
    assert [len(c.steps) for c in conditions] == [4, 3, 4, 2, 4, 5, 4, 2, 3]
    assert len(r.all_step_ids()) == 31 == len(set(r.all_step_ids()))
    assert [c.number for c in conditions] == list(range(1, 10))
    assert all(s.condition_id == c.id for c in conditions for s in c.steps)


def test_nothing_done_means_postpone_with_every_step_missing() -> None:
    result = r.assess_readiness([])
    assert result.met_count == 0
    assert result.recommendation == "postpone"
    assert len(result.missing_steps) == 31
    assert result.missing_steps[0].id == "leadership_briefed"  # worksheet order


def test_a_condition_needs_every_step() -> None:
    almost = steps_of("culture") - {"invites_candor"}
    result = r.assess_readiness(almost)
    culture = next(c for c in result.conditions if c.condition.id == "culture")
    assert not culture.met and culture.summary == "1 of 2 steps done"
    assert next(
        c for c in r.assess_readiness(steps_of("culture")).conditions if c.condition.id == "culture"
    ).met


@pytest.mark.parametrize(
    ("met", "expected"),
    [
        (ALL, "proceed"),
        (ALL[:7], "proceed"),  # 7 incl. leadership
        (ALL[:6], "prepare"),
        (ALL[:3], "prepare"),
        (ALL[:2], "postpone"),
        (ALL[1:8], "prepare"),  # 7 met but not leadership: not ready to launch
        (ALL[1:], "prepare"),  # 8 met without leadership
    ],
)
def test_recommendation_bands(met: tuple[str, ...], expected: str) -> None:
    result = r.assess_readiness(steps_of(*met))
    assert result.met_count == len(met)
    assert result.recommendation == expected
    assert str(len(met)) in result.reason


def test_thresholds_are_the_ones_shown() -> None:
    assert (r.PROCEED_MIN_MET, r.PREPARE_MIN_MET, r.CONDITION_MET_SHARE) == (7, 3, 1.0)
    bands = r.rule_bands()
    assert [b.recommendation for b in bands] == ["proceed", "prepare", "postpone"]
    assert bands[0].met_range.startswith("7–9")
    assert bands[1].met_range.startswith("3–6")
    assert bands[2].met_range == "0–2 conditions met"
    assert "every one of its steps" in r.condition_rule_text()


def test_unknown_step_ids_are_ignored() -> None:
    assert r.assess_readiness({"not_a_step"}).met_count == 0


def test_compare_lists_what_changed() -> None:
    before = steps_of("leadership") | {"open_to_change"}
    after = (before - {"department_heads"}) | {"invites_candor", "partnerships_listed"}
    comparison = r.compare_assessments(before, after)
    changed = {c.condition.id: c for c in comparison.changed_conditions}
    assert set(changed) == {"leadership", "culture", "partnerships"}
    assert changed["leadership"].met_before and not changed["leadership"].met_after
    assert [s.id for s in changed["leadership"].newly_undone] == ["department_heads"]
    assert not changed["culture"].met_before and changed["culture"].met_after
    assert [s.id for s in changed["partnerships"].newly_done] == ["partnerships_listed"]
    assert comparison.before.met_count == 1 and comparison.after.met_count == 1


def test_malformed_condition_data_is_refused() -> None:
    text = (
        "conditions:\n  - id: a\n    title: A\n    why: x\n"
        "    steps:\n      - id: a\n        text: t\n"
    )
    with pytest.raises(r.ReadinessDataError):
        r.parse_conditions(text)
    with pytest.raises(r.ReadinessDataError, match="expected 9"):
        r.parse_conditions(text.replace("- id: a\n        text", "- id: b\n        text"))


def test_no_answer_means_not_assessed_yet_not_postpone() -> None:
    blank = r.assess_readiness([], answered_condition_ids=[])
    assert not blank.assessed
    assert blank.state == "not_assessed"
    assert blank.state_label == "Not assessed yet"
    assert blank.state_reason == r.NOT_ASSESSED_REASON
    assert blank.recommendation == "postpone"  # the rule's value keeps its meaning
    assert not any(c.answered for c in blank.conditions)


def test_one_answer_gives_a_verdict_and_marks_its_condition() -> None:
    answered_no = r.assess_readiness([], answered_condition_ids=["culture"])
    assert answered_no.assessed and answered_no.state == "postpone"
    assert [c.condition.id for c in answered_no.conditions if c.answered] == ["culture"]
    one_step = r.assess_readiness([r.condition("data").steps[0].id], answered_condition_ids=[])
    assert one_step.state == "postpone"
    assert [c.condition.id for c in one_step.conditions if c.answered] == ["data"]


def test_without_answer_ids_every_condition_counts_as_answered() -> None:
    result = r.assess_readiness(steps_of(*ALL))
    assert result.assessed and result.state == "proceed"
    assert result.state_label == r.RECOMMENDATION_LABELS["proceed"]
    assert all(c.answered for c in result.conditions)
    assert r.assess_readiness({"not_a_step"}, answered_condition_ids={"not_a_condition"}).state == (
        "not_assessed"
    )
