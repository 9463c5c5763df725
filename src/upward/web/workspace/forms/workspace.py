"""Workspace, member, invitation and peer-set forms."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.explore import PeerSet as FoundSet
from upward.web.workspace import places
from upward.web.workspace.forms.base import NamedRecordForm, UswdsForm, VersionedModelForm, folded
from upward.web.workspace.models import Invitation, Membership, PeerSet, Role, Workspace

PLACES_HELP = (
    "One place per line: a name such as Ramsey County, MN or St. Paul, MN, or a FIPS code "
    "(5 digits for a county, 7 for a city)."
)


class PlacesField(forms.CharField):
    """Counties and cities typed as names or FIPS codes; cleans to a list of geoids."""

    def __init__(self, *, max_places: int = places.MAX_PLACES, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        kwargs.setdefault("help_text", PLACES_HELP)
        super().__init__(**kwargs)
        self.max_places = max_places

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return []
        found, errors = places.parse_places(text)
        if len(found) > self.max_places:
            errors.append(f"At most {self.max_places} places.")
        if errors:
            raise forms.ValidationError(errors)
        return [g.geoid for g in found]


def places_text(geoids: list[str]) -> str:
    return "\n".join(places.place_name(g) for g in geoids)


class PlacesModelForm(VersionedModelForm):
    """A record that lists places (``geoids``), edited in the form's ``places`` field (a
    :class:`PlacesField` each form declares with its own label), shown after the name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name, *others = self._meta.fields  # the places come right after the name
        self.order_fields([name, "places", *others])
        if self.instance.pk is not None and not self.is_bound:
            self.initial["places"] = places_text(self.instance.geoids)

    def save(self, commit: bool = True) -> Any:
        self.instance.geoids = self.cleaned_data["places"]
        return super().save(commit)


class WorkspaceForm(PlacesModelForm):
    places = PlacesField(label="Jurisdictions")

    class Meta:
        model = Workspace
        fields = ("name", "description")
        labels = {"name": "Coalition name", "description": "About this coalition"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if len(name) < 3:
            raise forms.ValidationError("Use at least 3 characters.")
        return name


class InvitationForm(UswdsForm):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR, label="Role")
    note = forms.CharField(
        max_length=200,
        required=False,
        label="Who is this for? (optional)",
        help_text="Only workspace owners see this note.",
    )


class MemberRoleForm(VersionedModelForm):
    class Meta:
        model = Membership
        fields = ("role",)


class PeerSetForm(PlacesModelForm, NamedRecordForm):
    name_taken = "Another peer set already has this name."
    places = PlacesField(label="Peer places")

    class Meta:
        model = PeerSet
        fields = ("name", "notes")
        labels = {"name": "Name of this peer set", "notes": "Why these peers"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        return self.unique_name(self.cleaned_data["name"].strip())


CHOICE_KEYS = ("k", "state", "region", "band", "w", "added", "removed")
"""What a set saved from the explorer keeps of how it was found (see PeerSet.as_dict)."""


class SavePeerSetForm(NamedRecordForm):
    """The explorer's peers page's set (its ``token``), kept in a workspace under a name."""

    name_taken = PeerSetForm.name_taken
    token = forms.CharField(widget=forms.HiddenInput, max_length=4000)

    class Meta:
        model = PeerSet
        fields = ("name",)
        labels = {"name": "Name of this peer set"}

    def clean_name(self) -> str:
        return self.unique_name(folded(self.cleaned_data["name"]))

    def clean_token(self) -> FoundSet:
        try:
            found = FoundSet.from_token(self.cleaned_data["token"].strip())
        except ValueError as problem:
            raise forms.ValidationError(f"This peer set cannot be read: {problem}") from None
        if not places.is_place(found.target) or not all(map(places.is_place, found.members)):
            raise forms.ValidationError("This peer set names a place the data does not have.")
        return found

    def save(self, commit: bool = True) -> Any:
        found = self.cleaned_data["token"]
        self.instance.geoids = list(found.members)
        self.instance.place = found.target
        self.instance.choice = {k: v for k, v in found.as_dict().items() if k in CHOICE_KEYS}
        return super().save(commit)


class AcceptInvitationForm(forms.Form):
    """Nothing to fill in; exists so the accept button is a CSRF-protected POST."""


def invitation_role_label(invitation: Invitation) -> str:
    return Role(invitation.role).label
