"""Workspace store: coalitions, members, readiness assessments, stakeholders, structure.

Every record people edit carries a ``version`` (optimistic concurrency): a save names the
version it started from and is refused when someone else saved in between (see
:mod:`upward.web.workspace.versioning`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from upward.planning import readiness
from upward.planning import stakeholder as vocab
from upward.planning.name import name_key

User = settings.AUTH_USER_MODEL


class Role(models.TextChoices):
    """What a member may do in a workspace; each role may do all that the ones below it may."""

    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


def role_with_article(role: str) -> str:
    """A role put in a sentence: "an owner", "an editor", "a viewer"."""
    word = Role(role).label.lower()
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


class TaskStatus(models.TextChoices):
    """How far a preparedness task has come."""

    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


ROLE_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}
CADENCE_CHOICES = [
    ("weekly", "Weekly"),
    ("biweekly", "Every two weeks"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("as_needed", "As needed"),
]


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        abstract = True


class NamedQuerySet(models.QuerySet):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:
        objs = list(objs)
        for obj in objs:  # bulk_create does not call save()
            obj.name_key = name_key(obj.name)
        return super().bulk_create(objs, *args, **kwargs)


class UniquelyNamed(models.Model):
    """A record whose name is unique in its workspace by :func:`name_key`; the key is
    stored (and kept up to date by ``save`` and ``bulk_create``) so the database's unique
    constraint compares exactly what the forms' check compares, on SQLite and PostgreSQL
    alike. Such records are listed, and shown, by name."""

    name_key = models.CharField(max_length=600, editable=False)
    objects = NamedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)  # type: ignore[attr-defined]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name)  # type: ignore[attr-defined]
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "name_key"}
        super().save(*args, **kwargs)


def unique_name(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["workspace", "name_key"], name=f"{model}_name_unique_in_workspace"
    )


class Workspace(Versioned):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    geoids = models.JSONField(default=list, help_text="County and city FIPS codes")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(Versioned):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")
        ]
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.workspace}"

    def can(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class Invitation(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    note = models.CharField(max_length=200, blank=True, help_text="Whom the link is for")
    nonce = models.CharField(max_length=43, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.workspace} as {self.role}"


class Activity(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="activities")
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    verb = models.CharField(max_length=60)
    target = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["workspace", "-at"], name="activity_recent")]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.actor_name} {self.verb} {self.target}"


class Assessment(Versioned):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="assessments")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "number"], name="assessment_number")
        ]
        ordering = ["-number"]

    def __str__(self) -> str:
        return self.title or f"Readiness assessment {self.number}"


class ConditionAnswer(Versioned):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    condition_id = models.CharField(max_length=40)
    to_address = models.TextField(blank=True, max_length=4000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "condition_id"], name="one_answer_per_condition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.condition_id}"


class StepAnswer(models.Model):
    condition = models.ForeignKey(ConditionAnswer, on_delete=models.CASCADE, related_name="steps")
    step_id = models.CharField(max_length=40)
    done = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["condition", "step_id"], name="one_answer_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.step_id}: {'done' if self.done else 'not done'}"


class PreparednessTask(Versioned):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="tasks")
    condition_id = models.CharField(max_length=40)
    step_id = models.CharField(max_length=40)
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "step_id"], name="one_task_per_step")
        ]

    def __str__(self) -> str:
        try:
            text = readiness.step(self.step_id).text
        except KeyError:
            text = self.step_id
        return text if len(text) <= 70 else text[:69] + "…"


class Stakeholder(UniquelyNamed, Versioned):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=vocab.KINDS, default="organization")
    organization = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=20, choices=vocab.SECTORS)
    pillars = models.JSONField(default=list, blank=True)
    predictors = models.JSONField(default=list, blank=True)
    relationship = models.CharField(max_length=10, choices=vocab.RELATIONSHIPS, default="none")
    influence = models.CharField(max_length=10, choices=vocab.INFLUENCE, default="medium")
    role = models.CharField(
        max_length=10, choices=vocab.ROLES, default=vocab.StakeholderRole.TO_INVITE
    )
    invitation_status = models.CharField(
        max_length=12, choices=vocab.INVITATION_STATUSES, default=vocab.InvitationStatus.NOT_INVITED
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    communities = models.JSONField(
        default=list, blank=True, help_text="Communities they work with (planning.engagement)"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(UniquelyNamed.Meta):
        constraints = [unique_name("stakeholder")]


class CoalitionStructure(Versioned):
    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="structure")
    backbone = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    backbone_duties = models.TextField(blank=True, max_length=2000)
    advisory_members = models.ManyToManyField(Stakeholder, blank=True, related_name="+")
    advisory_cadence = models.CharField(max_length=12, choices=CADENCE_CHOICES, default="monthly")
    advisory_purpose = models.TextField(blank=True, max_length=2000)

    def __str__(self) -> str:
        return f"Coalition structure of {self.workspace}"


class Workgroup(UniquelyNamed, Versioned):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="workgroups")
    name = models.CharField(max_length=120)
    focus_pillar = models.CharField(max_length=40, blank=True)
    focus_predictor = models.CharField(max_length=40, blank=True)
    lead = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(Stakeholder, blank=True, related_name="workgroups")
    cadence = models.CharField(max_length=12, choices=CADENCE_CHOICES, default="monthly")
    purpose = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(UniquelyNamed.Meta):
        constraints = [unique_name("workgroup")]


class PeerSet(UniquelyNamed, Versioned):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="peer_sets")
    name = models.CharField(max_length=120)
    geoids = models.JSONField(default=list)
    notes = models.TextField(blank=True, max_length=2000)
    place = models.CharField(
        max_length=7, blank=True, help_text="The place the set was found for (FIPS), if any"
    )
    choice = models.JSONField(
        default=dict, blank=True, help_text="How the explorer found it: method, hand edits"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(UniquelyNamed.Meta):
        constraints = [unique_name("peer_set")]


class GuideNote(Versioned):
    """A coalition's note on one Data Review Guide question for one of its places."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="guide_notes")
    geoid = models.CharField(max_length=7)
    question_id = models.CharField(max_length=40)
    text = models.TextField(max_length=20000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "geoid", "question_id"], name="one_note_per_question"
            )
        ]
        ordering = ["geoid", "question_id"]

    def __str__(self) -> str:
        return f"Review Guide note on {self.question_id} for {self.geoid}"


class LoginAttempt(models.Model):
    """Failed sign-ins per (username, address), shared by every server process."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["username", "ip"], name="one_counter_per_login")
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip}: {self.failures} failures"


class FormSubmission(models.Model):
    """A creating form's one-time token, claimed by the submission that created something
    (see :mod:`upward.web.workspace.submission`); kept a day."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=43)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="one_claim_per_form")]

    def __str__(self) -> str:
        return f"{self.user} sent a form that created {self.url}"
