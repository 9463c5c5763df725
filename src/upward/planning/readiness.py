"""The readiness assessment of the planning guide's Step 3, and the rule that scores it.

The nine conditions and their steps are data (``readiness.yaml``). An assessment is a set
of step ids marked done. The rule:

* a condition is **met** when every one of its steps is done
  (:data:`CONDITION_MET_SHARE` = 1.0, the share of steps that must be done);
* **proceed** (launch, and plan to close the remaining gaps along the way) when at least
  :data:`PROCEED_MIN_MET` of the nine conditions are met *and* the leadership condition is
  one of them, because the guide treats leadership commitment as a precondition;
* **prepare** (start with a preparedness plan, then come back) when at least
  :data:`PREPARE_MIN_MET` are met;
* **postpone** otherwise (few or none met).

An assessment in which no condition has been answered yet has no verdict: its
:attr:`ReadinessResult.state` is ``"not_assessed"`` (the recommendation is still computed,
and would be *postpone*, but is not shown as one).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml

Recommendation = Literal["proceed", "prepare", "postpone"]
State = Literal["not_assessed", "proceed", "prepare", "postpone"]

CONDITION_MET_SHARE = 1.0
PROCEED_MIN_MET = 7
PREPARE_MIN_MET = 3
REQUIRED_FOR_PROCEED = "leadership"
EXPECTED_CONDITIONS = 9


@dataclass(frozen=True)
class ReadinessStep:
    id: str
    text: str
    condition_id: str


@dataclass(frozen=True)
class ReadinessCondition:
    id: str
    number: int
    title: str
    why: str
    steps: tuple[ReadinessStep, ...]

    @property
    def steps_needed(self) -> int:
        """How many steps must be done for the condition to count as met."""
        return math.ceil(CONDITION_MET_SHARE * len(self.steps))


@dataclass(frozen=True)
class ConditionResult:
    condition: ReadinessCondition
    done: tuple[ReadinessStep, ...]
    missing: tuple[ReadinessStep, ...]
    answered: bool = True
    """Someone has answered this condition (saved it, or a step of it is done)."""

    @property
    def met(self) -> bool:
        return len(self.done) >= self.condition.steps_needed

    @property
    def summary(self) -> str:
        return f"{len(self.done)} of {len(self.condition.steps)} steps done"


@dataclass(frozen=True)
class ReadinessResult:
    conditions: tuple[ConditionResult, ...]
    met_count: int
    recommendation: Recommendation
    reason: str
    assessed: bool = True
    """False while no condition has been answered: there is no verdict to show yet."""

    @property
    def state(self) -> State:
        """The verdict to show: the recommendation, or ``not_assessed`` before any answer."""
        return self.recommendation if self.assessed else "not_assessed"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def state_reason(self) -> str:
        return self.reason if self.assessed else NOT_ASSESSED_REASON

    @property
    def total(self) -> int:
        return len(self.conditions)

    @property
    def missing_steps(self) -> tuple[ReadinessStep, ...]:
        """Every step not yet done, in worksheet order: the preparedness plan's tasks."""
        return tuple(step for c in self.conditions for step in c.missing)

    @property
    def steps_done(self) -> int:
        return sum(len(c.done) for c in self.conditions)

    @property
    def steps_total(self) -> int:
        return sum(len(c.condition.steps) for c in self.conditions)


@dataclass(frozen=True)
class RuleBand:
    recommendation: Recommendation
    label: str
    met_range: str
    meaning: str


RECOMMENDATION_LABELS: dict[Recommendation, str] = {
    "proceed": "Proceed, and plan to close the remaining gaps",
    "prepare": "Start with a preparedness plan",
    "postpone": "Postpone the next steps",
}
STATE_LABELS: dict[State, str] = {
    "not_assessed": "Not assessed yet",
    "proceed": RECOMMENDATION_LABELS["proceed"],
    "prepare": RECOMMENDATION_LABELS["prepare"],
    "postpone": RECOMMENDATION_LABELS["postpone"],
}
NOT_ASSESSED_REASON = (
    "No condition has been answered yet. Answer the conditions below to get a recommendation."
)


def rule_bands() -> tuple[RuleBand, ...]:
    """The scoring rule in words, for showing to people beside their result."""
    total = len(get_conditions())
    return (
        RuleBand(
            "proceed",
            RECOMMENDATION_LABELS["proceed"],
            f"{PROCEED_MIN_MET}–{total} conditions met, including leadership commitment",
            "Most conditions are in place: launch the planning process and build the missing "
            "ones as you go.",
        ),
        RuleBand(
            "prepare",
            RECOMMENDATION_LABELS["prepare"],
            f"{PREPARE_MIN_MET}–{PROCEED_MIN_MET - 1} conditions met "
            "(or more, without leadership commitment)",
            "Some conditions are in place: work on the missing ones first, then reassess.",
        ),
        RuleBand(
            "postpone",
            RECOMMENDATION_LABELS["postpone"],
            f"0–{PREPARE_MIN_MET - 1} conditions met",
            "Few or none are in place: a plan built now would likely lack the reach and "
            "support it needs. Build the foundations and reassess later.",
        ),
    )


def condition_rule_text() -> str:
    if CONDITION_MET_SHARE >= 1.0:
        return "A condition counts as met when every one of its steps is marked done."
    return (
        f"A condition counts as met when at least {CONDITION_MET_SHARE:.0%} of its steps "
        "are marked done."
    )


class ReadinessDataError(ValueError):
    """readiness.yaml is malformed."""


@functools.cache
def get_conditions() -> tuple[ReadinessCondition, ...]:
    """The nine conditions, read once from the packaged ``readiness.yaml`` and checked."""
    text = resources.files("upward.planning").joinpath("readiness.yaml").read_text("utf-8")
    return parse_conditions(text)


def parse_conditions(text: str) -> tuple[ReadinessCondition, ...]:
    document = yaml.safe_load(text)
    conditions = []
    seen: set[str] = set()
    for number, raw in enumerate(document["conditions"], start=1):
        steps = tuple(
            ReadinessStep(str(s["id"]), " ".join(str(s["text"]).split()), str(raw["id"]))
            for s in raw["steps"]
        )
        ids = [str(raw["id"]), *(s.id for s in steps)]
        duplicates = seen.intersection(ids)
        if duplicates or len(set(ids)) != len(ids) or not steps:
            raise ReadinessDataError(f"condition {raw['id']!r}: duplicate ids or no steps")
        seen.update(ids)
        conditions.append(
            ReadinessCondition(
                str(raw["id"]), number, str(raw["title"]), " ".join(str(raw["why"]).split()), steps
            )
        )
    if len(conditions) != EXPECTED_CONDITIONS:
        raise ReadinessDataError(
            f"expected {EXPECTED_CONDITIONS} conditions, not {len(conditions)}"
        )
    return tuple(conditions)


def condition(condition_id: str) -> ReadinessCondition:
    for c in get_conditions():
        if c.id == condition_id:
            return c
    raise KeyError(condition_id)


def step(step_id: str) -> ReadinessStep:
    for c in get_conditions():
        for s in c.steps:
            if s.id == step_id:
                return s
    raise KeyError(step_id)


def all_step_ids() -> tuple[str, ...]:
    return tuple(s.id for c in get_conditions() for s in c.steps)


def assess_readiness(
    done_step_ids: Iterable[str], answered_condition_ids: Iterable[str] | None = None
) -> ReadinessResult:
    """Score an assessment from the ids of the steps marked done (unknown ids are ignored).

    ``answered_condition_ids`` are the conditions someone has answered (a condition with a
    step done counts as answered too); when none is, the result is not assessed yet.
    None means every condition counts as answered.
    """
    done = set(done_step_ids)
    answered = None if answered_condition_ids is None else set(answered_condition_ids)
    results = tuple(
        ConditionResult(
            c,
            tuple(s for s in c.steps if s.id in done),
            tuple(s for s in c.steps if s.id not in done),
            answered is None or c.id in answered or any(s.id in done for s in c.steps),
        )
        for c in get_conditions()
    )
    met_ids = {r.condition.id for r in results if r.met}
    recommendation, reason = recommend(len(met_ids), REQUIRED_FOR_PROCEED in met_ids)
    assessed = any(r.answered for r in results)
    return ReadinessResult(results, len(met_ids), recommendation, reason, assessed)


def recommend(met_count: int, leadership_met: bool) -> tuple[Recommendation, str]:
    """The guide's three outcomes from the number of conditions met."""
    total = len(get_conditions())
    if met_count >= PROCEED_MIN_MET and leadership_met:
        return "proceed", (
            f"{met_count} of {total} conditions are met (at least {PROCEED_MIN_MET} are "
            "needed), including a clear commitment from leadership."
        )
    if met_count >= PROCEED_MIN_MET:
        return "prepare", (
            f"{met_count} of {total} conditions are met, but not a clear commitment from "
            "leadership, which the guide treats as necessary before launching."
        )
    if met_count >= PREPARE_MIN_MET:
        return "prepare", (
            f"{met_count} of {total} conditions are met: some, but fewer than the "
            f"{PROCEED_MIN_MET} needed to proceed."
        )
    return "postpone", (
        f"{met_count} of {total} conditions are met: fewer than the {PREPARE_MIN_MET} "
        "needed for a preparedness plan."
    )


@dataclass(frozen=True)
class ConditionChange:
    condition: ReadinessCondition
    met_before: bool
    met_after: bool
    newly_done: tuple[ReadinessStep, ...]
    newly_undone: tuple[ReadinessStep, ...]

    @property
    def changed(self) -> bool:
        return bool(self.newly_done or self.newly_undone)


@dataclass(frozen=True)
class ReadinessComparison:
    before: ReadinessResult
    after: ReadinessResult
    changes: tuple[ConditionChange, ...]

    @property
    def changed_conditions(self) -> tuple[ConditionChange, ...]:
        return tuple(c for c in self.changes if c.changed)


def compare_assessments(
    before: Set[str],
    after: Set[str],
    answered_before: Iterable[str] | None = None,
    answered_after: Iterable[str] | None = None,
) -> ReadinessComparison:
    """Which conditions and steps changed between two assessments (done-step id sets;
    the answered condition ids, when given, as for :func:`assess_readiness`)."""
    first = assess_readiness(before, answered_before)
    second = assess_readiness(after, answered_after)
    changes = tuple(
        ConditionChange(
            a.condition,
            a.met,
            b.met,
            tuple(s for s in a.condition.steps if s.id in after and s.id not in before),
            tuple(s for s in a.condition.steps if s.id in before and s.id not in after),
        )
        for a, b in zip(first.conditions, second.conditions, strict=True)
    )
    return ReadinessComparison(first, second, changes)


def done_ids(answers: Mapping[str, bool]) -> set[str]:
    return {step_id for step_id, is_done in answers.items() if is_done}
