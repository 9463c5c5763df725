"""Measurement and the Mobility Action Plan (guide Steps 8 to 10): measures of the logic
model's elements, baselines pinned to a release, targets, actions, sustainability and the
published plan. Each section's models are defined here."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from upward.planning import action as vocab
from upward.web.strategy.models import Strategy
from upward.web.workspace.models import CADENCE_CHOICES, Stakeholder, Versioned, Workspace

User = settings.AUTH_USER_MODEL

# Actions and sustainability ------------------------------------------------------------


class Action(Versioned):
    """An action or a milestone of a strategy, owned by one member of the workspace or one
    of its stakeholders (never both; none only when the owner was removed since), with
    its dates, status and percent complete. Its flags (overdue, stale) follow
    :mod:`upward.planning.action`."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="actions")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=vocab.KINDS, default="action")
    owner_member = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_stakeholder = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=vocab.STATUSES, default="not_started")
    percent = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["workspace", "status"], name="action_by_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_member__isnull=True) | Q(owner_stakeholder__isnull=True),
                name="action_one_owner",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="action_percent_0_100"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(due_date__isnull=True)
                | Q(due_date__gte=models.F("start_date")),
                name="action_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        if self.owner_member is not None:
            return self.owner_member.get_username()
        if self.owner_stakeholder is not None:
            return self.owner_stakeholder.name
        return ""

    @property
    def owner_email(self) -> str:
        owner = self.owner_member or self.owner_stakeholder
        return getattr(owner, "email", "") if owner is not None else ""


class Sustainability(Versioned):
    """How one strategy lasts: who is responsible for it (stakeholders of the workspace)
    and the resources it needs; its funding sources are :class:`FundingSource` rows."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="sustainability_plans"
    )
    strategy = models.OneToOneField(
        Strategy, on_delete=models.CASCADE, related_name="sustainability"
    )
    responsible = models.ManyToManyField(Stakeholder, blank=True, related_name="+")
    resources = models.TextField(blank=True, max_length=4000)
    notes = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["strategy__name_key"]
        verbose_name = "sustainability plan"

    def __str__(self) -> str:
        return f"Sustainability of {self.strategy}"


class FundingSource(Versioned):
    """Money for a strategy: from whom, how much (optional, in dollars) and how sure."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="funding_sources"
    )
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="funding")
    name = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=vocab.FUNDING_STATUSES, default="prospect")
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["strategy", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="funding_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LearningPlan(Versioned):
    """The coalition's continuous-learning plan (one per workspace): how often it reviews
    progress, the questions it wants answered, and when it revisits the logic model (a
    date, a trigger, or both)."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="learning_plan"
    )
    cadence = models.CharField(max_length=12, choices=CADENCE_CHOICES, default="quarterly")
    questions = models.JSONField(default=list, blank=True, help_text="[text]")
    revisit_on = models.DateField(null=True, blank=True)
    revisit_trigger = models.TextField(blank=True, max_length=2000)
    notes = models.TextField(blank=True, max_length=4000)

    class Meta:
        verbose_name = "learning plan"

    def __str__(self) -> str:
        return "Continuous-learning plan"


class SentReminder(models.Model):
    """One reminder ``upward remind`` sent: to whom, about what, on which day; a second
    run on the same day skips what is here (idempotent per day)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=10, help_text="action or measure")
    object_id = models.PositiveIntegerField()
    email = models.EmailField()
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "object_id", "email", "sent_on"], name="reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.email} about {self.subject} {self.object_id} on {self.sent_on}"
