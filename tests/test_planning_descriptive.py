"""The descriptive-representation metric, with hand-computed expectations."""

from __future__ import annotations

import pytest

from upward.planning.descriptive import (
    OVERALL,
    OfficialFacts,
    represent,
    represent_all,
    step_sentence,
)

# Residents' shares as published for Ramsey County, MN (fixture, 2023).
RESIDENTS = {
    "black_nonhispanic": 0.125,
    "hispanic": 0.085,
    "white_nonhispanic": 0.61,
    "other": 0.18,
}


def seat(race: str, source: str = "self", body: str = "City Council") -> OfficialFacts:
    return OfficialFacts(body=body, race=race, source=source if race else "unknown")


FIVE = [seat("white_nonhispanic")] * 3 + [seat("black_nonhispanic"), seat("")]


def by_group(result: object) -> dict[str, object]:
    return {g.group: g for g in result.groups}  # type: ignore[attr-defined]


def test_five_member_council_with_one_unknown() -> None:
    result = represent("City Council", FIVE, RESIDENTS)
    assert (result.seats, result.known, result.unknown, result.declined) == (5, 4, 1, 0)
    groups = by_group(result)
    # shares over the 4 known seats: 3/4 and 1/4
    assert groups["white_nonhispanic"].share == 0.75
    assert groups["black_nonhispanic"].share == 0.25
    assert groups["hispanic"].share == 0.0 and groups["other"].share == 0.0
    # ratios: 0.75 / 0.61 = 1.2295..., 0.25 / 0.125 = 2, 0 / 0.085 = 0
    assert groups["white_nonhispanic"].ratio == pytest.approx(1.229508, abs=1e-6)
    assert groups["black_nonhispanic"].ratio == pytest.approx(2.0)
    assert groups["hispanic"].ratio == 0.0 and groups["other"].ratio == 0.0
    assert groups["hispanic"].officials == 0 and groups["white_nonhispanic"].officials == 3
    # one seat on five is 20 points; on the 4 known, 25
    assert result.step_points == 20.0 and result.known_step_points == 25.0
    assert result.step_sentence.startswith(
        "One seat on a five-seat body is 20 points, so its shares move in steps of 20 points."
    )
    assert "only 4 of the 5 identities are known" in result.step_sentence
    assert "steps of 25 points" in result.step_sentence
    assert not result.lower_quality and result.quality_note == ""
    assert result.self_identified == 4 and result.publicly_reported == 0


def test_publicly_reported_identities_are_flagged_and_counted() -> None:
    seats = [*FIVE[:3], seat("black_nonhispanic", "public"), seat("hispanic", "public")]
    result = represent("City Council", seats, RESIDENTS)
    assert result.lower_quality and result.publicly_reported == 2 and result.self_identified == 3
    assert result.quality_note == (
        "Lower quality: 2 of the 5 known identities were publicly reported rather than "
        "self-identified."
    )
    assert result.known_step_points is None  # every identity known: one step only
    one = represent("Board", [seat("other", "public")], RESIDENTS)
    assert one.quality_note == (
        "Lower quality: the one known identity was publicly reported rather than self-identified."
    )


def test_no_ratio_without_a_residents_share() -> None:
    residents = {**RESIDENTS, "hispanic": 0.0, "other": None}
    del residents["black_nonhispanic"]
    groups = by_group(represent("City Council", FIVE, residents))
    assert groups["hispanic"].ratio is None and "is 0" in groups["hispanic"].no_ratio
    assert groups["other"].ratio is None and "No residents' share" in groups["other"].no_ratio
    assert groups["black_nonhispanic"].ratio is None
    assert groups["black_nonhispanic"].share == 0.25  # the share stays
    assert groups["white_nonhispanic"].no_ratio == ""


def test_nobody_known_gives_counts_but_no_shares() -> None:
    seats = [seat(""), OfficialFacts("City Council", "", "self")]
    result = represent("City Council", seats, RESIDENTS)
    assert (result.known, result.unknown, result.declined) == (0, 2, 1)
    for group in result.groups:
        assert group.share is None and group.ratio is None
        assert group.no_ratio == "No official's identity is known yet."
    assert result.known_step_points is None and result.step_points == 50.0


def test_every_body_and_overall() -> None:
    seats = [
        *FIVE,
        seat("hispanic", body="county board"),
        seat("white_nonhispanic", body="county board"),
    ]
    result = represent_all(seats, RESIDENTS)
    assert [b.body for b in result.bodies] == ["City Council", "county board"]
    board = by_group(result.bodies[1])
    assert board["hispanic"].share == 0.5
    assert board["hispanic"].ratio == pytest.approx(0.5 / 0.085)
    assert result.overall is not None and result.overall.body == OVERALL
    assert (result.overall.seats, result.overall.known) == (7, 6)
    overall = by_group(result.overall)
    assert overall["white_nonhispanic"].share == pytest.approx(4 / 6)
    assert overall["white_nonhispanic"].ratio == pytest.approx((4 / 6) / 0.61)
    # names that differ only in case or spacing are one body
    same = represent_all(
        [seat("other", body="School  Board"), seat("other", body="school board")], RESIDENTS
    )
    assert len(same.bodies) == 1 and same.bodies[0].seats == 2
    # one body: overall would repeat it
    assert represent_all(FIVE, RESIDENTS).overall is None
    assert represent_all([], RESIDENTS).bodies == ()


@pytest.mark.parametrize(
    ("seats", "start"),
    [
        (5, "One seat on a five-seat body is 20 points"),
        (7, "One seat on a seven-seat body is 14.3 points"),
        (3, "One seat on a three-seat body is 33.3 points"),
        (12, "One seat on a 12-seat body is 8.3 points"),
        (1, "One seat on a one-seat body is 100 points"),
    ],
)
def test_step_sentence(seats: int, start: str) -> None:
    assert step_sentence(seats).startswith(start)


def test_step_sentence_of_an_empty_body() -> None:
    assert step_sentence(0) == "The body has no seats entered yet."
