"""Learning networks (issue 15): a network with tracks, its staff (operators and
technical-assistance advisers), the coalitions that joined it by their owner's consent
(teams), what each team shares, advisory calls with their follow-ups, and a resource
library.

What staff may see of a team is only what the team shares: its stage and public progress
page (on by default, each can be turned off) and the records it marks (:class:`SharedRecord`).
Leaving a network ends the team's membership and deletes what it shared; the team row is
kept (``left_at``) so the network's history still counts it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from upward.planning import network as vocab
from upward.web.workspace.models import Versioned, Workspace

User = settings.AUTH_USER_MODEL


class Network(Versioned):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True, max_length=4000)
    is_demo = models.BooleanField(default=False, help_text="Built by `upward network demo`")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Track(Versioned):
    """A learn-and-share track of a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    description = models.TextField(blank=True, max_length=2000)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="track_slug_in_network")
        ]

    def __str__(self) -> str:
        return self.name


class Staff(models.Model):
    """A person who supports the network's teams."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="network_staff")
    role = models.CharField(max_length=10, choices=vocab.STAFF_ROLES, default=vocab.ADVISER)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_staff_role_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.network}"

    def can(self, role: str) -> bool:
        return vocab.STAFF_RANK[self.role] >= vocab.STAFF_RANK[role]


class NetworkInvitation(models.Model):
    """A link that invites either a coalition (``kind`` team: its owner chooses which of
    their workspaces joins and its track, and consents) or a staff member (``kind`` staff,
    with ``role``). One use; it expires."""

    TEAM = "team"
    STAFF = "staff"
    KINDS = ((TEAM, "A coalition"), (STAFF, "Staff"))

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=8, choices=KINDS, default=TEAM)
    role = models.CharField(max_length=10, choices=vocab.STAFF_ROLES, blank=True)
    track = models.ForeignKey(
        Track,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The track suggested to the coalition; its owner chooses",
    )
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
        return f"Invitation to {self.network} ({self.kind})"


class Team(models.Model):
    """A coalition's place in a network, joined with its owner's consent."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="teams")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="teams")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="teams")
    status = models.CharField(max_length=8, choices=vocab.TEAM_STATUSES, default=vocab.TEAM_ACTIVE)
    share_stage = models.BooleanField(default=True)
    share_progress = models.BooleanField(default=True, help_text="Its public progress page")
    consented_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    consented_by_name = models.CharField(max_length=150)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)
    place_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="How its place was resolved (a small city as its county)",
    )

    class Meta:
        ordering = ["workspace__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "workspace"],
                condition=Q(status=vocab.TEAM_ACTIVE),
                name="one_active_team_per_workspace_and_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.workspace} in {self.network}"

    @property
    def is_active(self) -> bool:
        return self.status == vocab.TEAM_ACTIVE


class SharedRecord(models.Model):
    """One record a team marked as shared with its network (``kind``, ``object_id``; 0 for
    a kind the workspace has one of, meaning its current one)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shared")
    kind = models.CharField(max_length=20, choices=vocab.SHARE_KINDS)
    object_id = models.PositiveBigIntegerField(default=0)
    shared_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "kind", "object_id"], name="share_a_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} shared by {self.team}"


class AdvisoryCall(Versioned):
    """A one-on-one advisory call with a team; seen by the team's members and the
    network's staff."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="calls")
    held_on = models.DateField()
    attendees = models.TextField(max_length=2000, help_text="Who took part, one per line")
    notes = models.TextField(blank=True, max_length=20000)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Advisory call with {self.team.workspace} on {self.held_on}"


class FollowUp(Versioned):
    """Something to do after an advisory call, with an owner and a due date."""

    call = models.ForeignKey(AdvisoryCall, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text


def resource_upload_path(instance: Resource, filename: str) -> str:
    return f"networks/{instance.network_id}/resources/{filename}"


class Resource(Versioned):
    """A link or a file in a network's library, for the whole network or one track, tagged
    by pillars, predictors (catalog ids) and a stage."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="resources")
    track = models.ForeignKey(
        Track,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resources",
        help_text="Empty for the whole network",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=4000)
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to=resource_upload_path, max_length=300, blank=True)
    pillars = models.JSONField(default=list, blank=True)
    predictors = models.JSONField(default=list, blank=True)
    stage = models.CharField(max_length=20, choices=vocab.RESOURCE_STAGES, blank=True)
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""), name="resource_is_a_link_or_a_file"
            )
        ]

    def __str__(self) -> str:
        return self.title
