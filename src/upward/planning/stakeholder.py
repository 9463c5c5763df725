"""The stakeholder inventory's vocabulary (guide Step 4) and the record the rules work on.

Sectors follow the guide's and the coalition webinar's list of partners for a cross-sector
mobility coalition, in our own words. Each vocabulary is an ordered tuple of (id, label);
ids are stored, labels are shown. The role and the invitation status, which the rules read,
also have names (string enums, so what is stored is the same text).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from enum import StrEnum

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


class StakeholderRole(StrEnum):
    """A stakeholder's role in the coalition."""

    CHAMPION = "champion"
    PARTNER = "partner"
    TO_INVITE = "to_invite"


class InvitationStatus(StrEnum):
    NOT_INVITED = "not_invited"
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


ROLES: tuple[Choice, ...] = (
    (StakeholderRole.CHAMPION, "Champion"),
    (StakeholderRole.PARTNER, "Partner"),
    (StakeholderRole.TO_INVITE, "To invite"),
)

INVITATION_STATUSES: tuple[Choice, ...] = (
    (InvitationStatus.NOT_INVITED, "Not invited"),
    (InvitationStatus.INVITED, "Invited"),
    (InvitationStatus.ACCEPTED, "Accepted"),
    (InvitationStatus.DECLINED, "Declined"),
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
    role: str = StakeholderRole.TO_INVITE
    invitation_status: str = InvitationStatus.NOT_INVITED

    @property
    def active(self) -> bool:
        """At the table: an engaged partner, or someone who accepted the invitation."""
        return (
            self.relationship in ACTIVE_RELATIONSHIPS
            or self.invitation_status == InvitationStatus.ACCEPTED
        )
