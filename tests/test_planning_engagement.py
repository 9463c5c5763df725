"""Engagement rules: the exact binomial test, the Wilson interval, the count checks, the
comparison of participants with residents, partner suggestions and the summary, each
against values worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from upward.planning import engagement as rules


def test_binomial_test_one_of_twenty_against_thirty_percent() -> None:
    # k=1, n=20, p=0.30. P(0) = 0.7^20 = 0.000798; P(1) = 20 * 0.3 * 0.7^19 = 0.006839.
    # Outcomes no likelier than P(1): k = 0, 1 and k >= 12 (P(11) = 0.012007 > P(1),
    # P(12) = 0.003859 < P(1)). Upper tail P(12..20) = 0.003859 + 0.001018 + 0.000218
    # + 0.000037 + 0.000005 + 0.0000005 + ... = 0.005138.
    # p = 0.000798 + 0.006839 + 0.005138 = 0.012775.
    assert rules.binomial_test(1, 20, 0.30) == pytest.approx(0.012775, abs=2e-6)


def test_binomial_test_nine_of_ten_against_a_half() -> None:
    # Outcomes as unlikely as 9 of 10: 0, 1, 9 and 10: (1 + 10 + 10 + 1) / 1024.
    assert rules.binomial_test(9, 10, 0.5) == pytest.approx(22 / 1024, rel=1e-12)


def test_binomial_test_at_the_expected_count_is_one() -> None:
    assert rules.binomial_test(3, 10, 0.3) == pytest.approx(1.0)
    assert rules.binomial_test(5, 10, 0.5) == pytest.approx(1.0)


def test_binomial_test_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError):
        rules.binomial_test(3, 2, 0.5)
    with pytest.raises(ValueError):
        rules.binomial_test(0, 0, 0.5)


def test_binomial_pmf_large_n_stays_finite() -> None:
    # the mode of Binomial(5000, 0.5): C(5000, 2500) / 2^5000, about 1 / sqrt(pi * 2500)
    assert rules.binomial_pmf(2500, 5000, 0.5) == pytest.approx(1 / math.sqrt(math.pi * 2500), 1e-3)


def test_binomial_test_with_thousands_of_participants_is_quick_and_sensible() -> None:
    # 500 of 5,000 (10%) against 12.5%: z = -0.025 / sqrt(0.125 * 0.875 / 5000) = -5.35
    assert rules.binomial_test(500, 5000, 0.125) < 1e-6
    # 3,000 of 5,000 (60%) against 61%: z = -1.45, p near 0.15
    assert rules.binomial_test(3000, 5000, 0.61) == pytest.approx(0.15, abs=0.01)


def test_wilson_interval_one_of_twenty() -> None:
    # phat = 0.05, z^2 = 3.8415; denominator 1 + 3.8415/20 = 1.19207;
    # centre = (0.05 + 3.8415/40) / 1.19207 = 0.12251;
    # half = 1.95996 * sqrt(0.05 * 0.95 / 20 + 3.8415 / 1600) / 1.19207 = 0.11363.
    lb, ub = rules.wilson_interval(1, 20)
    assert lb == pytest.approx(0.00888, abs=1e-4)
    assert ub == pytest.approx(0.23613, abs=1e-4)


def test_wilson_interval_at_the_edges_stays_in_zero_one() -> None:
    # 0 of 10: ub = z^2 / (n + z^2) = 3.8415 / 13.8415 = 0.27753
    lb, ub = rules.wilson_interval(0, 10)
    assert lb == 0.0 and ub == pytest.approx(0.27753, abs=1e-4)
    lb, ub = rules.wilson_interval(10, 10)
    assert lb == pytest.approx(0.72247, abs=1e-4) and ub <= 1.0


def test_detectable_needs_enough_participants() -> None:
    # n=2 against 0.3: the least likely outcome, 2 of 2, has p = 0.3^2 = 0.09 >= 0.05.
    assert not rules.detectable(2, 0.3)
    # n=5: 5 of 5 has p = 0.3^5 = 0.00243 < 0.05.
    assert rules.detectable(5, 0.3)
    assert not rules.detectable(0, 0.3)


RAMSEY = {"black_nonhispanic": 0.125, "hispanic": 0.085, "white_nonhispanic": 0.61, "other": 0.18}


def test_compare_with_residents_flags_both_ways_and_leaves_out_not_reported() -> None:
    counts = {
        "black_nonhispanic": 0,
        "hispanic": 2,
        "white_nonhispanic": 34,
        "other": 2,
        "not_reported": 2,
    }
    result = rules.compare_with_residents(counts, RAMSEY)
    assert (result.reported, result.not_reported) == (38, 2)
    rows = {r.participants.group: r for r in result.rows}
    # 0 of 38 against 0.125: P(0) = 0.875^38 = 0.0063; the other tail adds to p = 0.0117
    black = rows["black_nonhispanic"]
    assert black.verdict == rules.UNDER and black.p_value == pytest.approx(0.0117, abs=1e-4)
    assert black.difference == pytest.approx(-0.125)
    assert rows["white_nonhispanic"].verdict == rules.OVER
    assert rows["hispanic"].verdict == rules.SIMILAR  # 2 of 38 = 5.3% against 8.5%
    assert rows["white_nonhispanic"].participants.share == pytest.approx(34 / 38)
    assert result.under == ("black_nonhispanic", "other")
    assert result.over == ("white_nonhispanic",)


def test_compare_with_residents_too_few_to_tell() -> None:
    # one participant: the least likely outcome against 8.5% (1 of 1) still has p = 0.085
    result = rules.compare_with_residents({"white_nonhispanic": 1}, RAMSEY)
    assert all(r.verdict == rules.UNDETECTABLE for r in result.rows)
    assert not result.detectable_any
    assert not any(r.flagged for r in result.rows)
    # two participants: 2 of 2 against 8.5% has p = 0.085^2 = 0.0072, so a difference in
    # that group could be detected, though none is here (0 of 2)
    two = rules.compare_with_residents({"white_nonhispanic": 2}, RAMSEY)
    verdicts = {r.participants.group: r.verdict for r in two.rows}
    assert verdicts["hispanic"] == rules.SIMILAR and two.detectable_any


def test_compare_with_residents_without_reports() -> None:
    result = rules.compare_with_residents({"not_reported": 5}, RAMSEY)
    assert result.reported == 0 and result.not_reported == 5
    assert all(r.p_value is None and r.participants.share is None for r in result.rows)


def test_check_demographics() -> None:
    assert rules.check_demographics(10, {"race": {"hispanic": 4, "not_reported": 6}}) == {}
    problems = rules.check_demographics(
        5,
        {
            "race": {"hispanic": 4, "white_nonhispanic": 3},
            "age": {"18_24": -1, "martians": 1},
            "height": {"tall": 1},
        },
    )
    assert "add up to 7, more than the 5" in problems["race"][0]
    assert any("whole number" in p for p in problems["age"])
    assert any("not a group" in p for p in problems["age"])
    assert "height" in problems
    assert "whole number" in rules.check_demographics(5, {"race": {"other": 1.5}})["race"][0]
    assert "whole number" in rules.check_demographics(5, {"race": {"other": True}})["race"][0]


def test_pool_counts() -> None:
    demos = [{"race": {"hispanic": 2, "other": 1}}, {"age": {"25_44": 3}}, {"race": {"other": 4}}]
    assert rules.pool_counts(demos, "race") == {"hispanic": 2, "other": 5}


def test_partners_for() -> None:
    people = [
        rules.PartnerFacts(1, "Zeta Tenants Union", "residents", ()),
        rules.PartnerFacts(2, "Alpha Latino Network", "nonprofit", ("hispanic",)),
        rules.PartnerFacts(3, "Beta Mutual Aid", "nonprofit", ("hispanic", "lived_experience")),
    ]
    assert [p.id for p in rules.partners_for("hispanic", people)] == [2, 3]
    assert [p.id for p in rules.partners_for("hispanic", people, exclude=[2])] == [3]
    assert [p.id for p in rules.partners_for("lived_experience", people)] == [3, 1]


def test_summarize_by_month_level_and_pillar() -> None:
    facts = [
        rules.EngagementFacts(date(2025, 1, 15), 10, "consult", ("work",), ()),
        rules.EngagementFacts(date(2025, 3, 2), 5, "collaborate", (), ("social_capital",)),
        rules.EngagementFacts(date(2025, 3, 20), 7, "consult", (), ()),
    ]
    pillars = [("work", "Work"), ("neighborhoods", "Neighborhoods")]
    result = rules.summarize(facts, pillars, {"social_capital": "neighborhoods"})
    assert (result.total, result.participants, result.period_kind) == (3, 22, "month")
    assert [(t.label, t.engagements, t.participants) for t in result.periods] == [
        ("Jan 2025", 1, 10),
        ("Feb 2025", 0, 0),
        ("Mar 2025", 2, 12),
    ]
    assert [t.key for t in result.levels] == [
        "inform",
        "consult",
        "involve",
        "collaborate",
        "defer",
    ]
    assert [t.engagements for t in result.levels] == [0, 2, 0, 1, 0]
    assert [(t.key, t.participants) for t in result.pillars] == [("work", 10), ("neighborhoods", 5)]


def test_summarize_long_spans_by_quarter() -> None:
    facts = [
        rules.EngagementFacts(date(2022, 2, 1), 1, "inform", (), ()),
        rules.EngagementFacts(date(2024, 11, 1), 2, "inform", (), ()),
    ]
    result = rules.summarize(facts, [], {})
    assert result.period_kind == "quarter"
    assert result.periods[0].label == "2022 Q1" and result.periods[-1].label == "2024 Q4"
    assert len(result.periods) == 12
    assert rules.summarize([], [], {}).periods == ()
