"""Review comments and approvals, shared by the vision and the logic model: any member
(a viewer too) comments on a subject (a vision version, a theory, an element, a link, the
model), and the comment's author or an editor or owner marks it resolved
(:func:`may_resolve`); the owner approves a version, and the latest approval of a subject
is the one in force.

Each change is written with its activity-log entry in one transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from upward.planning.logic_model import fingerprint
from upward.web.strategy.models import Approval, Comment, Review, VisionVersion
from upward.web.workspace.activity import record
from upward.web.workspace.models import Membership, Role, Workspace, role_with_article

SUBJECT_WORDS = {
    "vision": "the vision",
    "theory": "a theory of change",
    "element": "a logic-model element",
    "link": "a logic-model link",
    "model": "the logic model",
}


def add_comment(
    workspace: Workspace, user: Any, subject: str, object_id: int | None, text: str
) -> Comment:
    with transaction.atomic():
        comment = Comment.objects.create(
            workspace=workspace, subject=subject, object_id=object_id, text=text, author=user
        )
        record(workspace, user, "commented on", SUBJECT_WORDS[subject])
    return comment


def may_resolve(membership: Membership, comment: Comment) -> bool:
    """Whether ``membership`` may mark ``comment`` resolved: its author, or an editor or
    owner (the templates' "Mark resolved" button follows the same rule)."""
    return membership.can(Role.EDITOR) or (
        comment.author_id is not None and comment.author_id == membership.user_id
    )


def resolve_refusal(membership: Membership) -> str:
    return (
        "Only the comment's author, an editor or an owner marks it resolved; you are "
        f"{role_with_article(membership.role)} in {membership.workspace.name}."
    )


def resolve_comment(comment: Comment, user: Any) -> None:
    """Mark a comment resolved (kept, so the review's record stays whole)."""
    with transaction.atomic():
        comment.resolved_at = timezone.now()
        comment.resolved_by = user
        comment.save(update_fields=["resolved_at", "resolved_by"])
        record(comment.workspace, user, "resolved a comment on", SUBJECT_WORDS[comment.subject])


def comments_by_object(
    workspace: Workspace, subject: str, object_ids: Iterable[int] | None = None
) -> Mapping[int | None, list[Comment]]:
    """The comments on ``subject`` (optionally only for ``object_ids``), oldest first,
    grouped by the object they are about."""
    rows = Comment.objects.filter(workspace=workspace, subject=subject).select_related("author")
    if object_ids is not None:
        rows = rows.filter(object_id__in=list(object_ids))
    grouped: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in rows:
        grouped[comment.object_id].append(comment)
    return grouped


def open_review(workspace: Workspace, user: Any, subject: str, note: str = "") -> Review:
    """Send the vision or the model out for review (closing any open round of it)."""
    with transaction.atomic():
        Review.objects.filter(workspace=workspace, subject=subject, closed_at=None).update(
            closed_at=timezone.now()
        )
        review = Review.objects.create(
            workspace=workspace, subject=subject, opened_by=user, note=note
        )
        record(workspace, user, "sent out for review", SUBJECT_WORDS[subject])
    return review


def open_review_of(workspace: Workspace, subject: str) -> Review | None:
    return Review.objects.filter(workspace=workspace, subject=subject, closed_at=None).first()


def latest_approval(workspace: Workspace, subject: str) -> Approval | None:
    return (
        Approval.objects.filter(workspace=workspace, subject=subject)
        .select_related("approved_by", "vision_version")
        .first()
    )


def _approve(workspace: Workspace, user: Any, subject: str, note: str, **fields: Any) -> Approval:
    with transaction.atomic():
        approval = Approval.objects.create(
            workspace=workspace, subject=subject, approved_by=user, note=note, **fields
        )
        Review.objects.filter(workspace=workspace, subject=subject, closed_at=None).update(
            closed_at=timezone.now()
        )
        label = SUBJECT_WORDS[subject]
        if approval.vision_version is not None:
            label += f" (version {approval.vision_version.number})"
        record(workspace, user, "approved", label)
    return approval


def approve_vision(
    workspace: Workspace, user: Any, version: VisionVersion, note: str = ""
) -> Approval:
    """The owner adopts one version of the vision."""
    content = {"number": version.number, "text": version.text}
    return _approve(
        workspace, user, "vision", note, vision_version=version, snapshot=content,
        fingerprint=fingerprint(content),
    )  # fmt: skip


def approve_model(
    workspace: Workspace, user: Any, snapshot: Mapping[str, Any], note: str = ""
) -> Approval:
    """The owner approves the logic model as it is now (``snapshot``: its elements and
    links, as ``upward.planning.logic_model.changes_since`` reads them)."""
    content = dict(snapshot)
    return _approve(
        workspace, user, "model", note, snapshot=content, fingerprint=fingerprint(content)
    )
