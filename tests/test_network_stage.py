"""The rule that derives a team's stage from its records (planning/network_stage.py), and
the count of indicators with a real change since baseline."""

from __future__ import annotations

from datetime import date

from upward.planning.network import STAGE_IDS
from upward.planning.network_stage import StageFacts, real_change, team_stage


def reached(facts: StageFacts) -> list[str]:
    return [s.stage.id for s in team_stage(facts).stages if s.reached]


def test_no_records_show_no_stage() -> None:
    stage = team_stage(StageFacts())
    assert reached(StageFacts()) == []
    assert stage.current is None and stage.number == 0 and stage.gaps == ()
    assert stage.words == "No stage shown by its records yet."
    assert [s.stage.id for s in stage.stages] == list(STAGE_IDS)


def test_readiness_needs_every_condition_rated() -> None:
    assert reached(StageFacts(conditions_answered=8, conditions_total=9)) == []
    done = team_stage(StageFacts(conditions_answered=9, conditions_total=9))
    assert done.current is not None and done.current.id == "readiness"
    assert done.stages[0].evidence == "9 of 9 conditions rated in the latest readiness assessment."
    assert team_stage(StageFacts()).stages[0].evidence == "No readiness assessment yet."


def test_coalition_needs_a_structure_and_a_stakeholder() -> None:
    assert reached(StageFacts(stakeholders=3)) == []
    assert reached(StageFacts(structure_set=True)) == []
    both = team_stage(StageFacts(stakeholders=1, structure_set=True))
    assert reached(StageFacts(stakeholders=1, structure_set=True)) == ["coalition"]
    assert both.stages[1].evidence == "1 stakeholder in the inventory; a coalition structure set."


def test_each_later_stage_from_its_fact() -> None:
    assert reached(StageFacts(engagements_held=2)) == ["engagement"]
    assert reached(StageFacts(excerpts_coded=1)) == ["findings"]
    assert reached(StageFacts(model_approved_on=date(2026, 3, 4))) == ["logic_model"]
    assert reached(StageFacts(measures=4, measures_set=0)) == []
    assert reached(StageFacts(measures=4, measures_set=1)) == ["measures"]
    assert reached(StageFacts(plan_versions=2, published_on=date(2026, 5, 1))) == ["published"]
    words = team_stage(StageFacts(plan_versions=2, published_on=date(2026, 5, 1))).stages[-1]
    assert words.evidence == "2 versions of the plan published, the latest on May 1, 2026."


def test_current_is_the_furthest_reached_and_gaps_are_named() -> None:
    stage = team_stage(StageFacts(engagements_held=1, measures=2, measures_set=2))
    assert stage.current is not None and stage.current.id == "measures"
    assert stage.number == 6
    assert [g.id for g in stage.gaps] == ["readiness", "coalition", "findings", "logic_model"]
    assert stage.words.startswith(
        "Furthest stage: Measures set (stage 6; 2 of 7 stages shown by its records). "
        "Not yet shown: readiness assessed"
    )


def test_real_change_counts_only_tested_changes() -> None:
    found = real_change(["improving", "no_change", "not_comparable", "met", "worsening",
                         "revised", "changed", "no_baseline"])  # fmt: skip
    assert (found.changed, found.total) == (4, 8)
    assert found.by_status == (("met", 1), ("improving", 1), ("worsening", 1), ("changed", 1))
    assert found.words == "4 of 8 indicators"
    assert real_change([]).words == "0 of 0 indicators"
    # Weak data is never a change: the classifier calls it not comparable
    assert real_change(["not_comparable", "no_change"]).changed == 0
