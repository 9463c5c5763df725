"""Measurement and the Mobility Action Plan (guide Steps 8 to 10): measures of the logic
model's elements, baselines pinned to a release, targets, actions, sustainability and the
published plan. Each section's models are defined here."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.planning import measure as vocab
from upward.planning.strategy import SYSTEMS_CONDITIONS
from upward.web.knowledge.models import LocalSeries
from upward.web.strategy.models import Element
from upward.web.workspace.models import Stakeholder, Versioned, Workspace

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
    kind = models.CharField(max_length=16, choices=vocab.MEASURE_KINDS)
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
    aspect = models.CharField(max_length=12, choices=vocab.PERFORMANCE_ASPECTS, blank=True)
    condition = models.CharField(max_length=20, choices=SYSTEMS_CONDITIONS, blank=True)
    milestones = models.JSONField(default=list, blank=True, help_text="[{text, evidence}]")
    data_source = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(max_length=12, choices=vocab.FREQUENCIES, blank=True)
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
    decision = models.CharField(max_length=8, choices=vocab.BASELINE_DECISIONS)
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
    method = models.CharField(max_length=12, choices=vocab.TARGET_METHODS)
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
