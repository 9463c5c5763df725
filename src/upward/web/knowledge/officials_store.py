"""Officials and their survey links in the store: the metric's facts, a link's state, and
the two changes a link goes through (made, then answered or withdrawn).

A link is a random nonce (256 bits, ``secrets.token_urlsafe(32)``) in the address of the
public survey page; the row decides whether it is still usable. Answering marks the link
with one conditional UPDATE, so of two submissions of the same link only one counts.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from upward.planning.descriptive import SELF, OfficialFacts
from upward.web.knowledge.models import Official, SurveyLink
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import record_label

VALID_FOR = timedelta(days=30)
NONCE = re.compile(r"[A-Za-z0-9_-]{43}")
DECLINED = "declined"
"""The survey's answer for "prefer not to say"."""

WAITING, ANSWERED, EXPIRED, REVOKED = "waiting", "answered", "expired", "revoked"
STATE_LABELS = {
    WAITING: "Waiting for an answer",
    ANSWERED: "Answered",
    EXPIRED: "Expired",
    REVOKED: "Withdrawn",
}


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def facts_for(workspace: Workspace) -> list[OfficialFacts]:
    rows = Official.objects.filter(workspace=workspace).values_list(
        "body", "race", "identity_source"
    )
    return [OfficialFacts(body, race, source) for body, race, source in rows]


def link_state(link: SurveyLink, now: datetime | None = None) -> str:
    if link.answered_at is not None:
        return ANSWERED
    if link.revoked_at is not None:
        return REVOKED
    if link.expires_at <= (now or timezone.now()):
        return EXPIRED
    return WAITING


def create_link(official: Official, user: Any) -> SurveyLink:
    """A new link for ``official``; any link of theirs still waiting is withdrawn, so each
    official has at most one usable link. Call inside a transaction."""
    now = timezone.now()
    SurveyLink.objects.filter(
        official=official, answered_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(revoked_at=now)
    link = SurveyLink.objects.create(
        official=official, nonce=new_nonce(), created_by=user, expires_at=now + VALID_FOR
    )
    record(official.workspace, user, "made a survey link for", record_label(official))
    return link


def revoke_link(link: SurveyLink, user: Any) -> bool:
    """Withdraw a link still waiting; False when it was answered, expired or withdrawn."""
    now = timezone.now()
    with transaction.atomic():
        done = SurveyLink.objects.filter(
            pk=link.pk, answered_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(revoked_at=now)
        if done:
            official = link.official
            record(official.workspace, user, "withdrew the survey link of", record_label(official))
    return bool(done)


@dataclass(frozen=True)
class Refusal:
    """Why a survey link cannot be used: the status and the state (for the page's words)."""

    status: int
    state: str


NOT_FOUND = "not_found"


def usable_link(nonce: str) -> SurveyLink | Refusal:
    """The link of ``nonce`` if it can still be answered; else why not."""
    if not NONCE.fullmatch(nonce or ""):
        return Refusal(404, NOT_FOUND)
    link = SurveyLink.objects.select_related("official__workspace").filter(nonce=nonce).first()
    if link is None:
        return Refusal(404, NOT_FOUND)
    state = link_state(link)
    return link if state == WAITING else Refusal(410, state)


def answer(link: SurveyLink, race: str, today: date | None = None) -> bool:
    """Record the official's answer (a group id, or ``DECLINED``) and close the link; False
    when the link was used, withdrawn or expired meanwhile (nothing is then saved)."""
    now = timezone.now()
    day = today or timezone.localdate()
    with transaction.atomic():
        used = SurveyLink.objects.filter(
            pk=link.pk, answered_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(answered_at=now)
        if not used:
            return False
        declined = race == DECLINED
        note = (
            "Chose not to say, in the coalition's survey"
            if declined
            else "Answered the coalition's survey"
        )
        Official.objects.filter(pk=link.official_id).update(
            race="" if declined else race,
            identity_source=SELF,
            identity_date=day,
            identity_note=note,
            version=F("version") + 1,
            updated_by=None,
            updated_at=now,
        )
        official = link.official
        record(official.workspace, None, "received the survey answer of", record_label(official))
    return True


def latest_links(workspace: Workspace) -> dict[int, SurveyLink]:
    """The newest link of each official of the workspace."""
    found: dict[int, SurveyLink] = {}
    for link in SurveyLink.objects.filter(official__workspace=workspace).order_by("-created_at"):
        found.setdefault(link.official_id, link)
    return found
