"""Forms of a learning network: creating one with its tracks, its settings, a track,
invitation links (for a coalition or for staff), joining by consent, and what a team
shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify

from upward.planning import network as vocab
from upward.planning.name import name_key
from upward.web.networks.models import Network, Track
from upward.web.workspace.forms.base import UswdsForm, VersionedModelForm, folded
from upward.web.workspace.models import Workspace

RESERVED_SLUGS = frozenset({"new", "join"})
"""Slugs no network takes: /n/new/ and /n/join/<token>/."""
MAX_TRACKS = 20


def track_names(text: str) -> list[str]:
    """The tracks typed one per line: each folded, none empty, none twice, at most 20."""
    names = [folded(line) for line in text.splitlines()]
    names = [n for n in names if n]
    if not names:
        raise forms.ValidationError("Name at least one track, one per line.")
    if len(names) > MAX_TRACKS:
        raise forms.ValidationError(f"At most {MAX_TRACKS} tracks.")
    long = [n for n in names if len(n) > 120]
    if long:
        raise forms.ValidationError(f"A track's name has at most 120 characters: {long[0][:40]}…")
    seen: set[str] = set()
    for name in names:
        if name_key(name) in seen:
            raise forms.ValidationError(f"The track “{name}” is listed twice.")
        seen.add(name_key(name))
    return names


def _clean_name(value: str) -> str:
    name = folded(value, "Name the network.")
    if len(name) < 3:
        raise forms.ValidationError("Use at least 3 characters.")
    return name


class NetworkCreateForm(UswdsForm):
    name = forms.CharField(max_length=120, label="Network name")
    slug = forms.SlugField(
        max_length=60,
        required=False,
        label="Short name for its address (optional)",
        help_text="Lower-case letters, digits and hyphens, as in /n/mobility-network/. "
        "Left empty, it is made from the name.",
    )
    description = forms.CharField(
        max_length=4000,
        required=False,
        label="About this network",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tracks = forms.CharField(
        max_length=3000,
        label="Tracks",
        help_text="The network's learn-and-share tracks, one per line "
        "(for example Using Data for Decisionmaking). Each coalition joins one.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Name at least one track, one per line."},
    )

    def clean_name(self) -> str:
        return _clean_name(self.cleaned_data["name"])

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"“{slug}” is reserved; choose another.")
        if slug and Network.objects.filter(slug=slug).exists():
            raise forms.ValidationError("Another network has this address; choose another.")
        return slug

    def clean_tracks(self) -> list[str]:
        return track_names(self.cleaned_data["tracks"])


def unique_network_slug(name: str) -> str:
    base = (slugify(name) or "network")[:50].strip("-") or "network"
    if base in RESERVED_SLUGS:
        base = f"{base}-network"
    slug, n = base, 1
    while Network.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class NetworkSettingsForm(VersionedModelForm):
    class Meta:
        model = Network
        fields = ("name", "description")
        labels = {"name": "Network name", "description": "About this network"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        return _clean_name(self.cleaned_data["name"])


class TrackForm(VersionedModelForm):
    """A track's name and description, its name unique in the network."""

    class Meta:
        model = Track
        fields = ("name", "description")
        labels = {"name": "Track name", "description": "What this track works on (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network

    def clean_name(self) -> str:
        name = folded(self.cleaned_data["name"], "Name the track.")
        others = Track.objects.filter(network=self.network).exclude(pk=self.instance.pk)
        if any(name_key(t.name) == name_key(name) for t in others):
            raise forms.ValidationError("Another track of this network has this name.")
        return name


class StaffInvitationForm(UswdsForm):
    role = forms.ChoiceField(
        choices=vocab.STAFF_ROLES, initial=vocab.ADVISER, label="Role", widget=forms.RadioSelect
    )
    note = forms.CharField(
        max_length=200,
        required=False,
        label="Who is this for? (optional)",
        help_text="Only the network's operators see this note.",
    )


class TeamInvitationForm(UswdsForm):
    track = forms.ModelChoiceField(
        queryset=Track.objects.none(),
        required=False,
        label="Suggested track (optional)",
        help_text="The coalition's owner sees it chosen and may pick another.",
        empty_label="No suggestion",
    )
    note = forms.CharField(
        max_length=200,
        required=False,
        label="Who is this for? (optional)",
        help_text="For example the coalition's name. Only the network's operators see it.",
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = network.tracks.all()  # type: ignore[attr-defined]


CONSENT_LABEL = (
    "As an owner of this workspace, I agree that it joins the network and shares what is "
    "listed above with the network's staff."
)


class JoinForm(UswdsForm):
    """A coalition's owner joins one of their workspaces to a network, by consent."""

    workspace = forms.ModelChoiceField(
        queryset=Workspace.objects.none(),
        label="Which workspace joins",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the workspaces you own."},
    )
    track = forms.ModelChoiceField(
        queryset=Track.objects.none(),
        label="Its track",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of this network's tracks."},
    )
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={
            "required": "Nothing is shared without your consent: tick the box to join."
        },
    )

    def __init__(
        self, *args: Any, network: Network, owned: Any, active: set[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.active = active
        self.fields["workspace"].queryset = owned
        self.fields["track"].queryset = network.tracks.all()  # type: ignore[attr-defined]

    def clean_workspace(self) -> Workspace:
        workspace = self.cleaned_data["workspace"]
        if workspace.pk in self.active:
            raise forms.ValidationError(
                f"{workspace.name} is already in {self.network.name}; it cannot join twice."
            )
        return workspace


class TrackChoiceForm(UswdsForm):
    track = forms.ModelChoiceField(
        queryset=Track.objects.none(),
        label="Track",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of this network's tracks."},
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = network.tracks.all()  # type: ignore[attr-defined]


class SharingForm(UswdsForm):
    share_stage = forms.BooleanField(
        required=False,
        label="Share our stage in the planning process",
        help_text="Which stages the workspace's records show (readiness assessed, "
        "coalition built, …), worked out from them.",
    )
    share_progress = forms.BooleanField(
        required=False,
        label="Share our public progress page",
        help_text="The page anyone may already read once the plan is published.",
    )


class ShareRecordForm(UswdsForm):
    """One record of the workspace to share, as ``kind:id`` (``kind:0`` for a kind the
    workspace has one of), among ``choices`` (grouped by kind)."""

    record = forms.ChoiceField(
        label="Record to share",
        error_messages={"invalid_choice": "Choose one of the records listed."},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", "Choose a record"), *choices]

    def clean_record(self) -> tuple[str, int]:
        kind, _, object_id = self.cleaned_data["record"].partition(":")
        return kind, int(object_id)
