"""A network's membership, kept in one place: creating a network with its tracks, its
tracks' order, staff and invitation links, a coalition joining by its owner's consent,
what a team shares, and leaving (which withdraws what it shared).

Every change to a team is logged in its workspace's activity log (joined, shared,
stopped sharing, changed track or sharing, left). A shared record is named by its kind
and its primary key (``object_id``), or 0 for a kind the workspace has one of
(:data:`upward.planning.network.SINGLE_KINDS`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from upward.planning import network as vocab
from upward.web.knowledge.models import FindingsSummary
from upward.web.measurement.models import Action, Measure
from upward.web.networks.models import (
    Network,
    NetworkInvitation,
    SharedRecord,
    Staff,
    Team,
    Track,
)
from upward.web.strategy.models import Element, Priority, TheoryOfChange, VisionVersion
from upward.web.workspace.activity import record
from upward.web.workspace.models import Assessment, Membership, Role, Workspace
from upward.web.workspace.tokens import claim, default_expiry, new_nonce

SALT = "upward.network.invitation"
"""The signing salt of a network's invitation links (a workspace's link never opens one)."""
ISSUER = "the network's operator"
KIND_LABELS = dict(vocab.SHARE_KINDS)


# --- a network and its tracks ---------------------------------------------------------


def track_slug(network: Network, name: str, exclude: int | None = None) -> str:
    base = (slugify(name) or "track")[:50].strip("-") or "track"
    taken = set(network.tracks.exclude(pk=exclude).values_list("slug", flat=True))  # type: ignore[attr-defined]
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_network(
    user: Any, name: str, slug: str, description: str, tracks: Iterable[str]
) -> Network:
    """A network with its tracks in the order given; ``user`` becomes its operator (call
    inside a transaction)."""
    network = Network.objects.create(
        name=name, slug=slug, description=description, created_by=user, updated_by=user
    )
    for order, track in enumerate(tracks):
        add_track(network, track, user, order=order)
    Staff.objects.create(network=network, user=user, role=vocab.OPERATOR)
    return network


def add_track(
    network: Network, name: str, user: Any, description: str = "", order: int | None = None
) -> Track:
    if order is None:
        last = network.tracks.aggregate(m=models.Max("order"))["m"]  # type: ignore[attr-defined]
        order = 0 if last is None else last + 1
    return Track.objects.create(
        network=network,
        name=name,
        slug=track_slug(network, name),
        description=description,
        order=order,
        updated_by=user,
    )


def move_track(track: Track, step: int) -> None:
    """Swap the track with its neighbour above (``step`` -1) or below (+1); renumber the
    tracks 0, 1, 2… so that ties left by earlier orders never stick."""
    with transaction.atomic():
        tracks = list(Track.objects.select_for_update().filter(network=track.network_id))
        index = next(i for i, t in enumerate(tracks) if t.pk == track.pk)
        other = index + step
        if 0 <= other < len(tracks):
            tracks[index], tracks[other] = tracks[other], tracks[index]
        for order, each in enumerate(tracks):
            if each.order != order:
                Track.objects.filter(pk=each.pk).update(order=order)


def track_refusal(track: Track) -> str:
    """Why the track cannot be removed, or "" when it can."""
    teams = Team.objects.filter(track=track)
    if teams.exists():
        active = teams.filter(status=vocab.TEAM_ACTIVE).count()
        left = teams.count() - active
        parts = [f"{active} active team{'s' if active != 1 else ''}"] if active else []
        if left:
            parts.append(f"{left} that left (kept in the network's history)")
        return (
            f"“{track.name}” has {' and '.join(parts)}, so it cannot be removed. "
            "Rename it instead, or ask its teams to change track."
        )
    if Track.objects.filter(network=track.network_id).count() <= 1:
        return "A network keeps at least one track, so its last track cannot be removed."
    return ""


def tracks_with_counts(network: Network) -> list[Track]:
    return list(
        network.tracks.annotate(  # type: ignore[attr-defined]
            team_count=Count("teams"),
            active_count=Count("teams", filter=models.Q(teams__status=vocab.TEAM_ACTIVE)),
        ).order_by("order", "name")  # a grouped query drops the model's ordering
    )


# --- staff and invitation links -------------------------------------------------------


def create_invitation(
    network: Network,
    user: Any,
    kind: str,
    note: str = "",
    role: str = "",
    track: Track | None = None,
) -> NetworkInvitation:
    return NetworkInvitation.objects.create(
        network=network,
        kind=kind,
        role=role if kind == NetworkInvitation.STAFF else "",
        track=track if kind == NetworkInvitation.TEAM else None,
        note=note,
        nonce=new_nonce(),
        created_by=user,
        expires_at=default_expiry(timedelta(days=vocab.INVITATION_DAYS)),
    )


def open_invitations(network: Network, kind: str) -> models.QuerySet[NetworkInvitation]:
    return network.invitations.filter(  # type: ignore[attr-defined]
        kind=kind,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("track")


def revoke_invitation(invitation: NetworkInvitation) -> None:
    NetworkInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def accept_staff(invitation: NetworkInvitation, user: Any) -> Staff | None:
    """The user becomes staff with the invitation's role; None when the link was used
    meanwhile or the user is staff already."""
    try:
        with transaction.atomic():
            if not claim(invitation, user):
                return None
            return Staff.objects.create(network=invitation.network, user=user, role=invitation.role)
    except IntegrityError:
        return None


def staff_refusal(staff: Staff) -> str:
    """Why this staff member cannot be removed (call inside a transaction), or ""."""
    operators = list(
        Staff.objects.select_for_update().filter(network=staff.network_id, role=vocab.OPERATOR)
    )
    if staff.role == vocab.OPERATOR and len(operators) <= 1:
        return (
            "The last operator cannot be removed: a network needs someone to run it. "
            "Invite another operator first."
        )
    return ""


# --- joining by consent ---------------------------------------------------------------


def owned_workspaces(user: Any) -> models.QuerySet[Workspace]:
    return Workspace.objects.filter(memberships__user=user, memberships__role=Role.OWNER).order_by(
        "name"
    )


def other_memberships(user: Any) -> list[Membership]:
    """The user's memberships that are not ownerships (they cannot join those)."""
    return list(
        Membership.objects.filter(user=user)
        .exclude(role=Role.OWNER)
        .select_related("workspace")
        .order_by("workspace__name")
    )


def active_workspace_ids(network: Network) -> set[int]:
    return set(
        network.teams.filter(status=vocab.TEAM_ACTIVE).values_list("workspace_id", flat=True)  # type: ignore[attr-defined]
    )


def join(
    invitation: NetworkInvitation,
    user: Any,
    workspace: Workspace,
    track: Track,
    place_note: str = "",
) -> Team | None:
    """The workspace joins the network in ``track``, by ``user``'s consent (an owner; the
    view checked it). None when the link was used meanwhile or the workspace became active
    in the network meanwhile: nothing is created then."""
    try:
        with transaction.atomic():
            if not claim(invitation, user):
                return None
            team = Team.objects.create(
                network=invitation.network,
                workspace=workspace,
                track=track,
                consented_by=user,
                consented_by_name=user.get_username(),
                place_note=place_note[:300],
            )
            record(
                workspace,
                user,
                "joined the learning network",
                invitation.network.name,
                f"in the track {track.name}, sharing its stage and public progress page",
            )
    except IntegrityError:
        return None
    return team


# --- what a team shares ---------------------------------------------------------------


@dataclass(frozen=True)
class Shareable:
    kind: str
    object_id: int
    label: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _many(rows: Iterable[Any], kind: str, name: Callable[[Any], str] = str) -> list[Shareable]:
    return [Shareable(kind, row.pk, name(row)) for row in rows]


def shareable(workspace: Workspace) -> list[Shareable]:
    """Every record of the workspace that it may share, in the order of SHARE_KINDS: its
    assessments, priorities, measures and actions by key, and each kind it has one of
    (when it has one) as 0, its current one."""
    many = {
        "assessment": _many(
            Assessment.objects.filter(workspace=workspace).order_by("number"),
            "assessment",
            lambda a: f"{a.number}. {a}" if a.title else str(a),
        ),
        "priority": _many(Priority.objects.filter(workspace=workspace), "priority"),
        "measure": _many(Measure.objects.filter(workspace=workspace), "measure"),
        "action": _many(Action.objects.filter(workspace=workspace).order_by("title"), "action"),
    }
    has_one = {
        "findings_summary": FindingsSummary.objects.filter(workspace=workspace).exists(),
        "vision": VisionVersion.objects.filter(workspace=workspace).exists(),
        "theory": TheoryOfChange.objects.filter(workspace=workspace).exists(),
        "logic_model": Element.objects.filter(workspace=workspace).exists(),
    }
    rows: list[Shareable] = []
    for kind in vocab.SHARE_KIND_IDS:
        if kind in vocab.SINGLE_KINDS:
            if has_one[kind]:
                rows.append(Shareable(kind, 0, f"Our current {KIND_LABELS[kind].lower()}"))
        else:
            rows.extend(many[kind])
    return rows


def share_choices(
    workspace: Workspace, team: Team
) -> tuple[list[tuple[str, list[tuple[str, str]]]], dict[str, Shareable]]:
    """The records the team may still share, grouped by kind for a select, and every
    shareable record by key (for naming the ones shared)."""
    every = shareable(workspace)
    shared = {f"{s.kind}:{s.object_id}" for s in team.shared.all()}  # type: ignore[attr-defined]
    groups: dict[str, list[tuple[str, str]]] = {}
    for row in every:
        if row.key not in shared:
            groups.setdefault(row.kind_label, []).append((row.key, row.label))
    return list(groups.items()), {row.key: row for row in every}


def shared_rows(team: Team, known: dict[str, Shareable]) -> list[tuple[SharedRecord, str]]:
    """The team's shared records with their names (a record deleted since: said so)."""
    return [
        (s, known[f"{s.kind}:{s.object_id}"].label if f"{s.kind}:{s.object_id}" in known
         else "(deleted since it was shared)")
        for s in team.shared.all()  # type: ignore[attr-defined]
    ]  # fmt: skip


def share(team: Team, user: Any, item: Shareable) -> SharedRecord | None:
    """Mark the record shared (None when it was already)."""
    try:
        with transaction.atomic():
            shared = SharedRecord.objects.create(
                team=team, kind=item.kind, object_id=item.object_id, shared_by=user
            )
            record(
                team.workspace,
                user,
                "shared with the network",
                f"{item.kind_label} “{item.label}”",
                team.network.name,
            )
    except IntegrityError:
        return None
    return shared


def unshare(team: Team, user: Any, shared: SharedRecord, label: str) -> None:
    with transaction.atomic():
        shared.delete()
        record(
            team.workspace,
            user,
            "stopped sharing with the network",
            f"{KIND_LABELS[shared.kind]} “{label}”",
            team.network.name,
        )


def set_sharing(team: Team, user: Any, share_stage: bool, share_progress: bool) -> None:
    shown = {True: "shared", False: "not shared"}
    with transaction.atomic():
        Team.objects.filter(pk=team.pk).update(
            share_stage=share_stage, share_progress=share_progress
        )
        record(
            team.workspace,
            user,
            "changed what it shares with",
            team.network.name,
            f"stage {shown[share_stage]}, public progress page {shown[share_progress]}",
        )


def change_track(team: Team, user: Any, track: Track) -> None:
    with transaction.atomic():
        Team.objects.filter(pk=team.pk).update(track=track)
        record(
            team.workspace,
            user,
            "moved to the track",
            track.name,
            f"in {team.network.name} (was {team.track.name})",
        )


def leave(team: Team, user: Any) -> int:
    """The team leaves: status left, ``left_at`` now, every shared record deleted
    (withdrawn). Returns how many records were withdrawn."""
    with transaction.atomic():
        withdrawn, _ = SharedRecord.objects.filter(team=team).delete()
        Team.objects.filter(pk=team.pk, status=vocab.TEAM_ACTIVE).update(
            status=vocab.TEAM_LEFT, left_at=timezone.now(), share_stage=False, share_progress=False
        )
        record(
            team.workspace,
            user,
            "left the learning network",
            team.network.name,
            f"and withdrew the {withdrawn} record{'s' if withdrawn != 1 else ''} it shared",
        )
    return withdrawn
