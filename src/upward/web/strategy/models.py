"""Strategy (guide Step 7): the coalition's priorities with the evidence that made them,
the community vision (versions, comments, adoption), theories of change, the
systems-change logic model (elements and links per priority), the strategies of the
workspace's library and the shared library they may be adopted from, review comments
and approvals.

Every workspace record belongs to one workspace and is edited with optimistic
concurrency (:class:`~upward.web.workspace.models.Versioned`). A vision version and an
approval are never edited: a new draft is a new version, a new approval a new row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.planning import strategy as vocab
from upward.web.workspace.models import (
    Stakeholder,
    UniquelyNamed,
    Versioned,
    Workgroup,
    Workspace,
    unique_name,
)

User = settings.AUTH_USER_MODEL


class Priority(Versioned):
    """A predictor the coalition chose to work on, for one of its places: optionally for
    one subgroup, or as the gap between two groups. ``evidence`` is what the member saw
    when adding it (the metric with its CI, quality, year and release; the tested
    comparisons and disparities; the local series and findings coded to the predictor),
    kept as it was; the pages show the live values beside it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="priorities")
    geoid = models.CharField(max_length=7, help_text="One of the workspace's places (FIPS)")
    predictor = models.CharField(max_length=40)
    metric = models.CharField(max_length=60)
    variable = models.CharField(max_length=80)
    breakdown = models.CharField(
        max_length=40, blank=True, help_text="Subgroup type, e.g. race-ethnicity (blank: all)"
    )
    subgroup = models.CharField(
        max_length=80, blank=True, help_text="One group, or the gap's first group"
    )
    versus = models.CharField(max_length=80, blank=True, help_text="The gap's second group")
    title = models.CharField(max_length=200)
    rationale = models.TextField(blank=True, max_length=4000)
    source = models.CharField(max_length=12, choices=vocab.PRIORITY_SOURCES, default="manual")
    source_ref = models.CharField(max_length=200, blank=True, help_text="Where it was added from")
    rank = models.PositiveIntegerField(default=0, help_text="1 is first; 0 not ranked yet")
    evidence = models.JSONField(default=dict, blank=True)
    release = models.CharField(max_length=60, blank=True, help_text="Release of the evidence")
    release_checksum = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank", "id"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "geoid", "variable", "breakdown", "subgroup", "versus"],
                name="priority_unique_in_workspace",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_gap(self) -> bool:
        return bool(self.versus)


class PriorityDecision(Versioned):
    """How the coalition ranked its priorities on one occasion (for example a dot vote:
    ``votes`` maps a priority id to its count of dots)."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="priority_decisions"
    )
    method = models.CharField(max_length=12, choices=vocab.DECISION_METHODS)
    date = models.DateField()
    participants = models.PositiveIntegerField(null=True, blank=True)
    votes = models.JSONField(default=dict, blank=True, help_text="{priority id: count}")
    notes = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} on {self.date:%Y-%m-%d}"


class VisionVersion(models.Model):
    """One version of the community vision statement. Versions are numbered from 1 and
    never edited; the latest is the current draft. A member saves a new version only from
    the latest (``number`` is the concurrency check), and the owner adopts a version by
    an :class:`Approval`."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="vision_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=10_000)
    note = models.CharField(max_length=300, blank=True, help_text="What changed")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "number"], name="vision_version_unique")
        ]

    def __str__(self) -> str:
        return f"Vision, version {self.number}"


class TheoryOfChange(Versioned):
    """One statement: if we <do this>, then <this changes>, because <why>, with its
    assumptions, linked to the priorities it serves."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="theories")
    if_we = models.TextField(max_length=2000)
    then = models.TextField(max_length=2000)
    because = models.TextField(max_length=2000)
    assumptions = models.TextField(blank=True, max_length=4000)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="theories")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "theories of change"

    def __str__(self) -> str:
        text = f"If we {self.if_we}"
        return text if len(text) <= 80 else text[:79] + "…"


class SharedStrategy(models.Model):
    """A strategy of the shared library, with its evidence: the starter set that ships
    with Upward (``origin`` starter, kept in step with ``planning/strategies.yaml`` by
    ``slug``) and those operators add. Not tied to a workspace; a coalition adopts a copy."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    summary = models.TextField(max_length=4000)
    pillar = models.CharField(max_length=40)
    predictors = models.JSONField(default=list)
    conditions = models.JSONField(default=list, blank=True)
    evidence_level = models.CharField(max_length=10, choices=vocab.EVIDENCE_LEVELS)
    evidence_note = models.TextField(blank=True, max_length=2000)
    sources = models.JSONField(default=list, help_text="[{citation, url}]")
    origin = models.CharField(max_length=10, choices=vocab.LIBRARY_ORIGINS, default="operator")
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pillar", "name"]
        verbose_name_plural = "shared strategies"

    def __str__(self) -> str:
        return self.name


class Strategy(UniquelyNamed, Versioned):
    """A strategy of the workspace's library: what the coalition will do, who leads it and
    with whom, which workgroup owns it, and its evidence (level, sources, predictors)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="strategies")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    evidence_level = models.CharField(max_length=10, choices=vocab.EVIDENCE_LEVELS)
    evidence_note = models.TextField(blank=True, max_length=2000)
    sources = models.JSONField(default=list, blank=True, help_text="[{citation, url}]")
    predictors = models.JSONField(default=list, blank=True)
    lead = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    partners = models.ManyToManyField(Stakeholder, blank=True, related_name="strategies")
    workgroup = models.ForeignKey(
        Workgroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="strategies"
    )
    adopted_from = models.ForeignKey(
        SharedStrategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(UniquelyNamed.Meta):
        verbose_name_plural = "strategies"
        constraints = [unique_name("strategy")]

    @property
    def needs_evaluation(self) -> bool:
        return self.evidence_level in vocab.NEEDS_EVALUATION


class Element(Versioned):
    """One box of a priority's logic model. A ``strategy`` element places a strategy of
    the library in this model; an outcome names the condition of systems change it
    shifts; ``result`` is the priority's population-level result (one per priority)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="elements")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(max_length=10, choices=vocab.ELEMENT_KINDS)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    condition = models.CharField(max_length=20, choices=vocab.SYSTEMS_CONDITIONS, blank=True)
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.CASCADE, related_name="elements"
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within its column")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority", "position", "id"]
        indexes = [models.Index(fields=["workspace", "priority"], name="element_by_priority")]

    def __str__(self) -> str:
        return self.title


class Link(Versioned):
    """An arrow of the logic model: ``source`` leads to ``target`` (same priority, same
    or later column, no cycle), with why and what it assumes."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="links_in")
    rationale = models.TextField(blank=True, max_length=2000)
    assumption = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="link_unique")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class Comment(models.Model):
    """A member's review comment on a vision version, a theory of change, an element, a
    link or the model as a whole (``subject`` and ``object_id``); resolved, not deleted."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="comments")
    subject = models.CharField(max_length=10, choices=vocab.COMMENT_SUBJECTS)
    object_id = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(max_length=4000)
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["workspace", "subject", "object_id"], name="comment_on_subject")
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 70 else self.text[:69] + "…"


class Review(models.Model):
    """A review round: the vision or the logic model sent out for members' comments."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="reviews")
    subject = models.CharField(max_length=10, choices=vocab.REVIEW_SUBJECTS)
    opened_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"Review of the {self.get_subject_display().lower()}"


class Approval(models.Model):
    """The owner's approval of one version: of the vision (``vision_version``) or of the
    logic model (``snapshot``, its content when approved, and its ``fingerprint``). The
    latest approval of a subject is the one in force; a model whose fingerprint now
    differs is "changed since approval"."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="approvals")
    subject = models.CharField(max_length=10, choices=vocab.REVIEW_SUBJECTS)
    vision_version = models.ForeignKey(
        VisionVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    snapshot = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64)
    approved_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-approved_at", "-id"]
        get_latest_by = "approved_at"

    def __str__(self) -> str:
        return f"Approval of the {self.get_subject_display().lower()}"
