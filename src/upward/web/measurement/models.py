"""Measurement and the Mobility Action Plan (guide Steps 8 to 10): measures of the logic
model's elements, baselines pinned to a release, targets, actions, sustainability and the
published plan. Each section's models are defined here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from upward.planning import action as action_vocab
from upward.planning import measure as measure_vocab
from upward.planning.strategy import SYSTEMS_CONDITIONS
from upward.web.knowledge.models import LocalSeries
from upward.web.strategy.models import Element, Strategy
from upward.web.workspace.models import CADENCE_CHOICES, Stakeholder, Versioned, Workspace

User = settings.AUTH_USER_MODEL

# Measures ---------------------------------------------------------------------------------


class Measure(Versioned):
    """How the coalition will know whether one element of its logic model happens.

    A population indicator reads a Mobility Metrics ``variable`` for one of the workspace's
    places (``geoid``), for everyone, one group (``breakdown``, ``subgroup``) or the gap
    between two (``versus``), or else one of the coalition's ``local_series``. A
    performance measure answers one of three questions (``aspect``); a systems-change
    measure names the ``condition`` it follows and its ``milestones`` ([{text, evidence}]).
    Each says where its data come from, how often, and who is responsible: a member or a
    stakeholder of this workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="measures")
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=16, choices=measure_vocab.MEASURE_KINDS)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    geoid = models.CharField(max_length=7, blank=True, help_text="One of the workspace's places")
    variable = models.CharField(max_length=80, blank=True)
    breakdown = models.CharField(max_length=40, blank=True)
    subgroup = models.CharField(max_length=80, blank=True)
    versus = models.CharField(max_length=80, blank=True)
    local_series = models.ForeignKey(
        LocalSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures"
    )
    aspect = models.CharField(max_length=12, choices=measure_vocab.PERFORMANCE_ASPECTS, blank=True)
    condition = models.CharField(max_length=20, choices=SYSTEMS_CONDITIONS, blank=True)
    milestones = models.JSONField(default=list, blank=True, help_text="[{text, evidence}]")
    data_source = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(max_length=12, choices=measure_vocab.FREQUENCIES, blank=True)
    responsible_member = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responsible_stakeholder = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["element", "id"]
        indexes = [models.Index(fields=["workspace", "element"], name="measure_by_element")]

    def __str__(self) -> str:
        return self.title

    @property
    def reads_metrics(self) -> bool:
        """A population indicator on a Mobility Metrics variable (it can pin a baseline)."""
        return self.kind == "population" and bool(self.variable) and self.local_series_id is None


class Baseline(Versioned):
    """A population indicator's starting point, pinned from one loaded release: the cell
    (place, variable, group or gap, year) with its value, 95% CI and quality, and the
    release's name and checksum. Re-pinned only on purpose (a new pin, or re-basing after
    a revision, recorded as a :class:`BaselineDecision`)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="baselines")
    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="baseline")
    geoid = models.CharField(max_length=7)
    variable = models.CharField(max_length=80)
    breakdown = models.CharField(max_length=40, blank=True)
    subgroup = models.CharField(max_length=80, blank=True)
    versus = models.CharField(max_length=80, blank=True)
    year = models.PositiveIntegerField()
    value = models.FloatField()
    lb = models.FloatField(null=True, blank=True)
    ub = models.FloatField(null=True, blank=True)
    quality = models.CharField(max_length=10, blank=True)
    text = models.CharField(max_length=300, help_text="The value as the page said it")
    release = models.CharField(max_length=60)
    release_checksum = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "id"]

    def __str__(self) -> str:
        return f"Baseline of {self.measure}"


class BaselineDecision(models.Model):
    """The coalition's answer when a later release revised a baseline's cell: keep the
    baseline or re-base on the later release; both values as they were, who and when."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="baseline_decisions"
    )
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=8, choices=measure_vocab.BASELINE_DECISIONS)
    release = models.CharField(max_length=60, help_text="The later release compared")
    release_checksum = models.CharField(max_length=80, blank=True)
    pinned = models.JSONField(default=dict, help_text="The baseline as pinned")
    revised = models.JSONField(default=dict, help_text="The cell in the later release")
    note = models.TextField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.release})"


class Target(Versioned):
    """Where the coalition aims a measure: the ``method`` with its ``parameters``, the
    value, and what the baseline's uncertainty allows (``mdc``, the minimum detectable
    change; ``inside_noise`` when the target lies inside it). A target inside the noise is
    published only once the owner confirms it (``confirmed_by``, ``confirmed_at``)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="targets")
    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="target")
    method = models.CharField(max_length=12, choices=measure_vocab.TARGET_METHODS)
    parameters = models.JSONField(default=dict, blank=True)
    value = models.FloatField()
    mdc = models.FloatField(null=True, blank=True)
    inside_noise = models.BooleanField(default=False)
    words = models.TextField(blank=True, max_length=2000)
    unit_note = models.CharField(max_length=200, blank=True, help_text="e.g. dollars of 2023")
    baseline_release = models.CharField(max_length=60, blank=True)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "id"]

    def __str__(self) -> str:
        return f"Target of {self.measure}"


# Actions and sustainability ------------------------------------------------------------


class Action(Versioned):
    """An action or a milestone of a strategy, owned by one member of the workspace or one
    of its stakeholders (never both; none only when the owner was removed since), with
    its dates, status and percent complete. Its flags (overdue, stale) follow
    :mod:`upward.planning.action`."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="actions")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=action_vocab.KINDS, default="action")
    owner_member = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_stakeholder = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=action_vocab.STATUSES, default="not_started")
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
    status = models.CharField(
        max_length=10, choices=action_vocab.FUNDING_STATUSES, default="prospect"
    )
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


# The published plan ---------------------------------------------------------------------


class FrozenVersion(ValueError):
    """A published version is never changed: :meth:`PlanVersion.save` refuses it."""


class PlanVersion(models.Model):
    """One published version of the Mobility Action Plan, frozen: numbered 1, 2, ... per
    workspace, with the plan document as assembled (``document``: the
    :class:`~upward.reports.action_plan.PlanDocument`'s ``as_dict()``), the population
    indicators as frozen for progress (``indicators``), the actions and milestones as they
    stood (``actions``; an owner only as a stakeholder organization's name), the release
    pinned (name and checksum), the problems the owner confirmed, and the ``checksum``
    (SHA-256 of the canonical JSON of all of it). Never changed once saved: later edits
    are the draft (the live workspace), and the next publish makes the next version."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    document = models.JSONField()
    indicators = models.JSONField(default=list)
    actions = models.JSONField(default=list)
    problems = models.JSONField(default=list, help_text="[{key, text, confirmed_by, at}]")
    release = models.CharField(max_length=60, blank=True)
    release_checksum = models.CharField(max_length=80, blank=True)
    checksum = models.CharField(max_length=64)
    published_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    published_by_name = models.CharField(max_length=150, help_text="As it was when published")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "number"], name="plan_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="plan_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"Plan version {self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None or not self._state.adding:
            raise FrozenVersion(f"Version {self.number} is published: it is never changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PublicPlan(models.Model):
    """Whether the workspace's public progress page (/p/<slug>/) shows its latest
    published version: on at the first publish; the owner may withdraw it and put it back."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="public_plan"
    )
    is_public = models.BooleanField(default=True)
    changed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "public progress page"

    def __str__(self) -> str:
        return f"Public page of {self.workspace} ({'on' if self.is_public else 'withdrawn'})"


class ProgressRefresh(models.Model):
    """Progress of a workspace's indicators computed once on a release (``upward plan
    refresh``, run after a release is loaded or made current): the rows as then computed,
    the count per status, and what changed since the workspace's previous refresh (the
    statuses that changed, the baselines newly revised). One per workspace and release
    checksum: refreshing again on the same release changes nothing."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="progress_refreshes"
    )
    release = models.CharField(max_length=60)
    release_checksum = models.CharField(max_length=80, blank=True)
    computed_at = models.DateTimeField(auto_now_add=True)
    counts = models.JSONField(default=dict, help_text="{status: number of indicators}")
    rows = models.JSONField(default=list, help_text="The progress rows as computed")
    changed = models.JSONField(
        default=list, help_text="[{measure, title, before, after}] since the previous refresh"
    )
    revised = models.JSONField(
        default=list, help_text="[{measure, title, text}] baselines newly revised"
    )
    previous_release = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "release", "release_checksum"], name="refresh_once_a_release"
            )
        ]

    def __str__(self) -> str:
        return f"Progress of {self.workspace} on release {self.release}"
