"""The invitation priority rule, with hand-computed points."""

from __future__ import annotations

from upward.planning.invitation import prioritize_invitations
from upward.planning.stakeholder import StakeholderFacts


def person(
    key,
    name,
    sector,
    predictors=(),
    pillars=(),
    relationship="none",
    influence="medium",
    role="to_invite",
    status="not_invited",
):
    return StakeholderFacts(
        key,
        name,
        sector,
        frozenset(pillars),
        frozenset(predictors),
        relationship,
        influence,
        role,
        status,
    )


ACTIVE = person(
    0,
    "City Hall",
    "government",
    predictors=["employment_opportunities"],
    relationship="partner",
    status="accepted",
)


def test_points_are_added_as_documented() -> None:
    police = person(
        1,
        "Police Accountability Board",
        "justice",
        predictors=["just_policing"],
        relationship="aware",
        influence="high",
        role="champion",
    )
    result = prioritize_invitations([ACTIVE, police])
    top = result.ranked[0]
    # just policing gap +2; governance pillar has no active partner +2; justice sector +3;
    # high influence +3; aware +1; champion +2
    assert top.name == "Police Accountability Board"
    assert top.score == 2 + 2 + 3 + 3 + 1 + 2
    texts = [r.text for r in top.reasons]
    assert "would cover Just policing" in texts
    assert "first active partner from Justice and public safety" in texts


def test_gap_points_are_capped() -> None:
    many = person(
        1,
        "Everything Org",
        "other",
        influence="low",
        predictors=[
            "housing_affordability",
            "housing_stability",
            "economic_inclusion",
            "racial_diversity",
            "access_to_preschool",
        ],
    )
    top = prioritize_invitations([ACTIVE, many]).ranked[0]
    # 3 predictor gaps counted (+6), 2 pillar gaps counted (+4), "other" never a gap, low +1
    assert top.score == 6 + 4 + 1


def test_ranking_ties_and_exclusions() -> None:
    a = person(1, "b-org", "other", influence="medium")
    b = person(2, "A-org", "other", influence="medium")
    c = person(3, "Low", "other", influence="low", relationship="engaged")  # 1 + 2 = 3
    waiting = person(4, "Waiting", "other", status="invited")
    declined = person(5, "No thanks", "other", status="declined")
    resident = person(6, "Neighbors United", "residents", influence="low")
    result = prioritize_invitations([a, b, c, waiting, declined, resident])
    names = [p.name for p in result.ranked]
    # resident: residents sector gap +3, lived experience +2, low +1 = 6
    assert names == ["Neighbors United", "Low", "A-org", "b-org"]
    assert [p.score for p in result.ranked] == [6, 3, 2, 2]
    assert [s.name for s in result.awaiting_reply] == ["Waiting"]
