"""The community vision's versions: the latest is the current draft, a new draft is a
new version saved only from the latest (its number is the concurrency check), and the
owner's latest approval names the adopted version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from upward.web.strategy import review_store
from upward.web.strategy.models import Approval, Review, VisionVersion
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace

MAX_TEXT = 10_000
MAX_NOTE = 300


class StaleDraft(Exception):
    """Someone saved a newer version after the draft's form was opened."""

    def __init__(self, latest: VisionVersion | None) -> None:
        super().__init__("stale vision draft")
        self.latest = latest


class SameText(Exception):
    """The draft's text is the latest version's, word for word."""


def versions_of(workspace: Workspace) -> list[VisionVersion]:
    """Every version, newest first."""
    return list(VisionVersion.objects.filter(workspace=workspace).select_related("author"))


def latest_version(workspace: Workspace) -> VisionVersion | None:
    return VisionVersion.objects.filter(workspace=workspace).select_related("author").first()


def version_numbered(workspace: Workspace, number: int) -> VisionVersion | None:
    return (
        VisionVersion.objects.filter(workspace=workspace, number=number)
        .select_related("author")
        .first()
    )


def save_draft(
    workspace: Workspace, user: Any, text: str, note: str, based_on: int
) -> VisionVersion:
    """Save ``text`` as the next version, if ``based_on`` is still the latest number
    (0: there is none yet); else :class:`StaleDraft`, nothing saved."""
    with transaction.atomic():
        latest = latest_version(workspace)
        if (latest.number if latest else 0) != based_on:
            raise StaleDraft(latest)
        if latest is not None and latest.text == text:
            raise SameText
        try:
            with transaction.atomic():
                version = VisionVersion.objects.create(
                    workspace=workspace, number=based_on + 1, text=text, note=note, author=user
                )
        except IntegrityError:  # a twin saved the same number a moment ago
            raise StaleDraft(latest_version(workspace)) from None
        record(workspace, user, "saved", f"the vision (version {version.number})")
    return version


@dataclass(frozen=True)
class VisionState:
    """What the vision page says: the current draft, the adopted version and whether
    they differ, and the open review round."""

    current: VisionVersion | None
    approval: Approval | None
    review: Review | None

    @property
    def adopted(self) -> VisionVersion | None:
        return self.approval.vision_version if self.approval else None

    @property
    def changed_since_adoption(self) -> bool:
        adopted = self.adopted
        return bool(adopted and self.current and self.current.text != adopted.text)


def state_of(workspace: Workspace) -> VisionState:
    return VisionState(
        latest_version(workspace),
        review_store.latest_approval(workspace, "vision"),
        review_store.open_review_of(workspace, "vision"),
    )
