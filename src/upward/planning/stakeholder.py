"""The stakeholder inventory's vocabulary (guide Step 4) and the record the rules work on.

Sectors follow the guide's and the coalition webinar's list of partners for a cross-sector
mobility coalition, in our own words. Each vocabulary is an ordered tuple of (id, label);
ids are stored, labels are shown.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

Choice = tuple[str, str]

SECTORS: tuple[Choice, ...] = (
    ("government", "Local government"),
    ("nonprofit", "Nonprofits and community-based organizations"),
    ("business", "Business and employers"),
    ("philanthropy", "Philanthropy"),
    ("anchor", "Anchor institutions (hospitals, universities)"),
    ("faith", "Faith-based organizations"),
    ("advocacy", "Advocacy groups"),
    ("research", "Research organizations"),
    ("residents", "Residents with lived experience"),
    ("early_k12", "Early learning and K-12 education"),
    ("workforce", "Workforce development"),
    ("health", "Health and public health"),
    ("housing", "Housing"),
    ("justice", "Justice and public safety"),
    ("other", "Other"),
)

KINDS: tuple[Choice, ...] = (("organization", "Organization"), ("person", "Person"))

RELATIONSHIPS: tuple[Choice, ...] = (
    ("none", "No relationship yet"),
    ("aware", "Aware of each other"),
    ("engaged", "Engaged"),
    ("partner", "Partner"),
)

INFLUENCE: tuple[Choice, ...] = (("low", "Low"), ("medium", "Medium"), ("high", "High"))

ROLES: tuple[Choice, ...] = (
    ("champion", "Champion"),
    ("partner", "Partner"),
    ("to_invite", "To invite"),
)

INVITATION_STATUSES: tuple[Choice, ...] = (
    ("not_invited", "Not invited"),
    ("invited", "Invited"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
)

ACTIVE_RELATIONSHIPS = frozenset({"engaged", "partner"})


def label(choices: tuple[Choice, ...], value: str) -> str:
    return dict(choices).get(value, value)


def ids(choices: tuple[Choice, ...]) -> tuple[str, ...]:
    return tuple(value for value, _ in choices)


@dataclass(frozen=True)
class StakeholderFacts:
    """What the coverage and invitation rules need to know about one stakeholder."""

    key: Hashable
    name: str
    sector: str
    pillar_ids: frozenset[str]
    predictor_ids: frozenset[str]
    relationship: str = "none"
    influence: str = "medium"
    role: str = "to_invite"
    invitation_status: str = "not_invited"

    @property
    def active(self) -> bool:
        """At the table: an engaged partner, or someone who accepted the invitation."""
        return self.relationship in ACTIVE_RELATIONSHIPS or self.invitation_status == "accepted"
