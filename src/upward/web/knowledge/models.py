"""Local knowledge (guide Steps 5 and 6): engagements, coded qualitative findings,
supplemental local data, elected officials and their self-identification survey, the
public community input form, and the Summary of Upward Mobility Findings.

Every record belongs to one workspace (directly or through its parent) and people edit
it with optimistic concurrency (:class:`~upward.web.workspace.models.Versioned`). No
record holds a roster of residents: engagements keep counts, community input is
anonymous, and a finding names its source only with consent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from upward.planning import knowledge as vocab
from upward.web.workspace.models import (
    Stakeholder,
    UniquelyNamed,
    Versioned,
    Workspace,
    unique_name,
)

User = settings.AUTH_USER_MODEL


class Engagement(Versioned):
    """One engagement with community members or stakeholders."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="engagements")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=vocab.ENGAGEMENT_KINDS)
    date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    partners = models.ManyToManyField(Stakeholder, blank=True, related_name="engagements")
    facilitators = models.CharField(max_length=300, blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="Languages used")
    accommodations = models.TextField(blank=True, max_length=2000)
    participants = models.PositiveIntegerField(default=0)
    demographics = models.JSONField(
        default=dict, blank=True, help_text="{dimension: {group: count}}; counts only"
    )
    compensation = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Total paid, dollars"
    )
    compensation_note = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=12, choices=vocab.ENGAGEMENT_LEVELS)
    pillars = models.JSONField(default=list, blank=True)
    predictors = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["workspace", "-date"], name="engagement_recent")]

    def __str__(self) -> str:
        return self.title


class Code(Versioned):
    """A code of the workspace's codebook: one of the 24 predictors, one of the six
    conditions of systems change, or the coalition's own (which may sit under a parent)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="codes")
    kind = models.CharField(max_length=10, choices=vocab.CODE_KINDS)
    ref = models.CharField(
        max_length=40, blank=True, help_text="Predictor or condition id; blank for own codes"
    )
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "ref", "name"], name="code_unique_in_workspace"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Note(Versioned):
    """Notes, a transcript or an interview write-up, from which excerpts are coded."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=vocab.NOTE_KINDS, default="notes")
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.SET_NULL, related_name="source_notes"
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interview_notes",
    )
    text = models.TextField(max_length=100_000)
    attribution_consent = models.BooleanField(
        default=False, help_text="The speaker agreed to be named; anonymous otherwise"
    )
    attributed_to = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Excerpt(Versioned):
    """A coded passage of a note: characters ``start`` to ``end`` of ``note.text``."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="excerpts")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="excerpts")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField(max_length=20_000)
    is_quote = models.BooleanField(default=False)
    codes = models.ManyToManyField(Code, blank=True, related_name="excerpts")
    memo = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["note", "start", "id"]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 70 else self.text[:69] + "…"


def local_upload_path(instance: LocalSeries, filename: str) -> str:
    return f"local-data/{instance.workspace_id}/{filename}"


class LocalSeries(UniquelyNamed, Versioned):
    """A local indicator the coalition uploaded, with the file it came from."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="local_series")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    unit = models.CharField(max_length=60)
    direction = models.CharField(max_length=16, choices=vocab.DIRECTIONS, default="context")
    source = models.CharField(max_length=300)
    quality = models.CharField(max_length=10, choices=vocab.LOCAL_QUALITY)
    rubric = models.JSONField(default=dict, blank=True, help_text="The rubric answers")
    predictors = models.JSONField(default=list, blank=True)
    original = models.FileField(upload_to=local_upload_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    ci_rule = models.CharField(max_length=300, blank=True, help_text="How intervals were made")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(UniquelyNamed.Meta):
        constraints = [unique_name("local_series")]
        verbose_name_plural = "local series"


class LocalValue(models.Model):
    """One row of a local series: a value for an area, a period and a group."""

    series = models.ForeignKey(LocalSeries, on_delete=models.CASCADE, related_name="values")
    row = models.PositiveIntegerField(help_text="Row number in the uploaded file")
    geography_kind = models.CharField(max_length=14, choices=vocab.LOCAL_GEOGRAPHY_KINDS)
    geography = models.CharField(max_length=120, help_text="FIPS code, tract, ZIP or name")
    period = models.CharField(max_length=20)
    subgroup = models.CharField(max_length=120, blank=True)
    value = models.FloatField()
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["series", "row"]

    def __str__(self) -> str:
        return f"{self.geography} {self.period}: {self.value}"


class Official(Versioned):
    """An elected official on a governing body of the workspace's places."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="officials")
    name = models.CharField(max_length=200)
    office = models.CharField(max_length=200)
    body = models.CharField(max_length=200, help_text="Governing body, e.g. City Council")
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    contact = models.CharField(max_length=300, blank=True, help_text="Public contact")
    race = models.CharField(max_length=20, blank=True, help_text="One of the groups, or blank")
    identity_source = models.CharField(
        max_length=10, choices=vocab.IDENTITY_SOURCES, default="unknown"
    )
    identity_date = models.DateField(null=True, blank=True)
    identity_note = models.CharField(max_length=300, blank=True, help_text="Source of identity")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.office})"


class SurveyLink(models.Model):
    """A one-use link by which one official answers the self-identification survey."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="survey_links")
    nonce = models.CharField(max_length=43, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Survey link for {self.official}"


class InputForm(Versioned):
    """The workspace's public, anonymous community input form."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="input_forms")
    public_id = models.CharField(max_length=22, unique=True, editable=False)
    title = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200, blank=True)
    intro = models.TextField(blank=True, max_length=2000)
    intro_es = models.TextField(blank=True, max_length=2000)
    questions = models.JSONField(
        default=list, help_text="[{id, text, text_es, predictor}] in order"
    )
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class InputAnswer(models.Model):
    """One anonymous submission of a community input form, waiting for moderation."""

    form = models.ForeignKey(InputForm, on_delete=models.CASCADE, related_name="answers")
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    language = models.CharField(max_length=8)
    answers = models.JSONField(default=dict, help_text="{question id: text}")
    status = models.CharField(max_length=10, choices=vocab.INPUT_STATUSES, default="pending")
    moderated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    note = models.OneToOneField(
        Note, null=True, blank=True, on_delete=models.SET_NULL, related_name="input_answer"
    )

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Answer to {self.form} at {self.submitted_at:%Y-%m-%d %H:%M}"


class InputThrottle(models.Model):
    """Submissions per (form, hashed address) in the current window (no address stored)."""

    form = models.ForeignKey(InputForm, on_delete=models.CASCADE, related_name="+")
    address_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form", "address_hash"], name="one_throttle_per_address"
            )
        ]


class FindingsSummary(Versioned):
    """The Summary of Upward Mobility Findings: one section per priority predictor."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="findings_summary"
    )
    title = models.CharField(max_length=200, default="Summary of Upward Mobility Findings")
    predictors = models.JSONField(default=list, help_text="Priority predictors, in order")
    sections = models.JSONField(default=dict, help_text="{predictor id: text}")
    introduction = models.TextField(blank=True, max_length=20_000)
    share_id = models.CharField(max_length=22, blank=True, help_text="Read-only link; blank: off")

    def __str__(self) -> str:
        return f"{self.title} of {self.workspace}"


class FindingsVersion(models.Model):
    """A saved version of the summary (kept, never edited)."""

    summary = models.ForeignKey(FindingsSummary, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    predictors = models.JSONField(default=list)
    sections = models.JSONField(default=dict)
    saved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "number"], name="one_findings_version")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.summary}"
