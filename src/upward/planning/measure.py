"""The vocabulary of the measurement plan (guide Step 8): the kinds of measure, the three
questions of a performance measure, how often a measure is read, the target-setting
methods and the decisions about a revised baseline. Labels are the pages' words."""

from __future__ import annotations

from datetime import date, timedelta

from upward.planning.knowledge import Choice

__all__ = [
    "BASELINE_DECISIONS",
    "FREQUENCIES",
    "MEASURE_KINDS",
    "MEASURE_STALE_DAYS",
    "PERFORMANCE_ASPECTS",
    "SUGGESTED_KIND",
    "TARGET_METHODS",
    "measure_stale_since",
]

MEASURE_KINDS: tuple[Choice, ...] = (
    ("population", "Population indicator"),
    ("performance", "Performance measure"),
    ("systems_change", "Systems-change measure"),
)
"""A population indicator reads a Mobility Metrics variable (for everyone, one group or
the gap between two) or one of the coalition's local series; a performance measure asks
one of the three questions of a strategy's work; a systems-change measure follows a
condition of systems change through milestones with their evidence."""

PERFORMANCE_ASPECTS: tuple[Choice, ...] = (
    ("how_much", "How much did we do?"),
    ("how_well", "How well did we do it?"),
    ("better_off", "Is anyone better off?"),
)

FREQUENCIES: tuple[Choice, ...] = (
    ("release", "With each data release"),
    ("yearly", "Every year"),
    ("quarterly", "Every quarter"),
    ("monthly", "Every month"),
    ("milestone", "At each milestone"),
)

MEASURE_STALE_DAYS: dict[str, int] = {"monthly": 31, "quarterly": 92, "yearly": 366}
"""A measure read on a calendar is stale when it has not been updated for its period (and
``upward remind`` tells who is responsible). Measures read with each data release are
followed by their progress on each release; those read at milestones have no calendar."""


def measure_stale_since(frequency: str, updated: date) -> date | None:
    """The day a measure read ``frequency`` and last updated on ``updated`` became stale
    (None: its frequency has no calendar)."""
    days = MEASURE_STALE_DAYS.get(frequency)
    return None if days is None else updated + timedelta(days=days)


TARGET_METHODS: tuple[Choice, ...] = (
    ("percent", "A percent improvement"),
    ("benchmark", "Reaching a benchmark"),
    ("gap", "Closing a gap between groups by a share"),
    ("detectable", "The smallest detectable change"),
    ("value", "A value the coalition chooses"),
)
"""The ids are those of :data:`upward.analysis.targets.TargetMethod`."""

BENCHMARK_SCOPES: tuple[Choice, ...] = (
    ("peers", "The peers' median"),
    ("state", "The state median"),
    ("nation", "The national median"),
)

BASELINE_DECISIONS: tuple[Choice, ...] = (
    ("keep", "Keep the baseline as pinned"),
    ("rebase", "Re-base on the later release"),
)

SUGGESTED_KIND: dict[str, str] = {
    "input": "performance",
    "strategy": "performance",
    "activity": "performance",
    "output": "performance",
    "short": "systems_change",
    "medium": "systems_change",
    "long": "systems_change",
    "result": "population",
}
"""The kind of measure each kind of logic-model element usually gets (a suggestion)."""

WEAK_SUGGESTION = (
    "The baseline is rated Weak, too uncertain to set a target the data could confirm. "
    "Measure this element with another variable (the metric's other measures, or the "
    "whole population rather than one group), or with local data the coalition collects."
)
