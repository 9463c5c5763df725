"""The vocabulary of the strategy stage (the planning guide's Step 7): priorities, the
community vision, theories of change, the systems-change logic model, strategies and
their evidence, review and approval.

Each vocabulary is an ordered tuple of (id, label); ids are stored, labels are shown. The
conditions of systems change are the six the findings are coded with
(:data:`upward.planning.knowledge.SYSTEMS_CONDITIONS`), so an outcome and a finding name a
condition the same way.
"""

from __future__ import annotations

from upward.planning.knowledge import SYSTEMS_CONDITIONS, Choice

__all__ = [
    "ELEMENT_KINDS",
    "EVIDENCE_LEVELS",
    "NEEDS_EVALUATION",
    "SYSTEMS_CONDITIONS",
]

ELEMENT_KINDS: tuple[Choice, ...] = (
    ("input", "Inputs and resources"),
    ("strategy", "Strategies"),
    ("activity", "Activities"),
    ("output", "Outputs"),
    ("short", "Short-term outcomes"),
    ("medium", "Medium-term outcomes"),
    ("long", "Long-term outcomes"),
    ("result", "Population-level result"),
)
"""The columns of a logic model, left to right. A link runs from a column to the same or
a later one; ``result`` is the priority's own metric, one per priority's model."""

COLUMN = {kind: n for n, (kind, _label) in enumerate(ELEMENT_KINDS)}
OUTCOME_KINDS = frozenset({"short", "medium", "long"})
"""Outcomes are typed by the condition of systems change they shift."""

EVIDENCE_LEVELS: tuple[Choice, ...] = (
    ("strong", "Strong"),
    ("moderate", "Moderate"),
    ("emerging", "Emerging"),
    ("rationale", "A rationale only"),
)
"""The one scale of a strategy's evidence (docs/strategy.md "Evidence levels"):

- strong: more than one rigorous evaluation (randomized or strong quasi-experimental)
  found the intended effect;
- moderate: at least one rigorous evaluation, or several well-designed comparison
  studies, found it;
- emerging: early or descriptive studies point to it, without a rigorous evaluation;
- rationale: a logic model and a planned evaluation, without outside studies yet.
"""

EVIDENCE_MEANINGS: dict[str, str] = {
    "strong": "More than one rigorous evaluation found the intended effect.",
    "moderate": "At least one rigorous evaluation, or several careful comparison studies, "
    "found the intended effect.",
    "emerging": "Early or descriptive studies point to the effect; no rigorous evaluation yet.",
    "rationale": "A reasoned logic model with a planned evaluation; no outside studies yet.",
}

NEEDS_EVALUATION = frozenset({"emerging", "rationale"})
"""Evidence levels whose strategies the measurement plan gives an evaluation measure."""

PRIORITY_SOURCES: tuple[Choice, ...] = (
    ("profile", "Place profile"),
    ("insights", "Insights"),
    ("predictor", "Predictor view"),
    ("finding", "Coded finding"),
    ("summary", "Summary of findings"),
    ("manual", "Added by hand"),
)
"""Where a member found the evidence that made a predictor a priority."""

DECISION_METHODS: tuple[Choice, ...] = (
    ("dot_vote", "Dot vote"),
    ("ranked_vote", "Ranked vote"),
    ("consensus", "Consensus discussion"),
    ("steering", "Steering committee decision"),
    ("other", "Other"),
)
"""How a coalition ranked its priorities."""

LIBRARY_ORIGINS: tuple[Choice, ...] = (
    ("starter", "Starter set"),
    ("operator", "Added by an operator"),
)
"""Where a strategy of the shared library comes from."""

REVIEW_SUBJECTS: tuple[Choice, ...] = (
    ("vision", "Community vision"),
    ("model", "Logic model"),
)
"""What goes out for review and is approved as a version."""

COMMENT_SUBJECTS: tuple[Choice, ...] = (
    ("vision", "Vision version"),
    ("theory", "Theory of change"),
    ("element", "Logic-model element"),
    ("link", "Logic-model link"),
    ("model", "Logic model"),
)
"""What a member's review comment is about."""
