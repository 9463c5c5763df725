"""The vocabulary of a learning network: staff roles, the stages of the planning process a
team's records show, the kinds of record a coalition may share with its network, and the
statuses of a coalition's place in a network. Pure data; the store is
:mod:`upward.web.networks`."""

from __future__ import annotations

from dataclasses import dataclass

OPERATOR = "operator"
ADVISER = "adviser"
STAFF_ROLES: tuple[tuple[str, str], ...] = (
    (OPERATOR, "Operator"),
    (ADVISER, "Technical-assistance adviser"),
)
"""A network's staff. An operator runs the network (tracks, invitations, staff) and may do
all an adviser may: see the console and what teams share, log advisory calls, add
resources."""

STAFF_RANK = {ADVISER: 0, OPERATOR: 1}


@dataclass(frozen=True)
class Stage:
    """One stage of the Mobility Action Planning process, as a team's records show it."""

    id: str
    label: str
    evidence: str
    """What in the records shows the stage reached, in words for the console."""


STAGES: tuple[Stage, ...] = (
    Stage("readiness", "Readiness assessed", "a readiness assessment with every condition rated"),
    Stage(
        "coalition", "Coalition built", "a coalition structure and stakeholders in the inventory"
    ),
    Stage("engagement", "Engagements held", "a community engagement held"),
    Stage("findings", "Findings coded", "excerpts coded from engagement notes"),
    Stage("logic_model", "Logic model approved", "a logic model approved by the coalition"),
    Stage("measures", "Measures set", "measures with baselines and targets"),
    Stage("published", "MAP published", "a published Mobility Action Plan"),
)
STAGE_IDS: tuple[str, ...] = tuple(s.id for s in STAGES)
STAGE_BY_ID = {s.id: s for s in STAGES}

RESOURCE_STAGES: tuple[tuple[str, str], ...] = (
    ("", "Any stage"),
    *((s.id, s.label) for s in STAGES),
)

# What a coalition may mark as shared with a network, beyond its stage and its public
# progress page (shared by default). Each kind names a record of the workspace.
SHARE_KINDS: tuple[tuple[str, str], ...] = (
    ("assessment", "Readiness assessment"),
    ("findings_summary", "Findings summary"),
    ("priority", "Priority"),
    ("vision", "Vision statement"),
    ("theory", "Theory of change"),
    ("logic_model", "Logic model"),
    ("measure", "Measure"),
    ("action", "Action"),
)
SHARE_KIND_IDS: tuple[str, ...] = tuple(k for k, _ in SHARE_KINDS)
SINGLE_KINDS: frozenset[str] = frozenset({"findings_summary", "vision", "theory", "logic_model"})
"""Kinds a workspace has one of: shared with ``object_id`` 0, meaning its current one."""

TEAM_ACTIVE = "active"
TEAM_LEFT = "left"
TEAM_STATUSES: tuple[tuple[str, str], ...] = ((TEAM_ACTIVE, "Active"), (TEAM_LEFT, "Left"))

INVITATION_DAYS = 30
"""How long an invitation to join a network stays open."""
