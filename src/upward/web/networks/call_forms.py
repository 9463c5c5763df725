"""Forms of advisory calls: a call (the day it was held, never a day still to come; who
took part; notes) with an optional first follow-up, and a follow-up on its own (its text,
an owner among the team's owners and editors and the network's staff, a due date)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from upward.web.networks import call_store
from upward.web.networks.models import AdvisoryCall, Team
from upward.web.workspace.forms.base import UswdsForm, VersionedModelForm, date_widget, folded

HELD_ON_HELP = "The day the call took place: today or earlier. A call is logged after it happens."
OWNER_HELP = "One of the team's owners or editors, or one of the network's staff."


def _held_on(value: date | None) -> date:
    if value is None:
        raise forms.ValidationError("Enter the day the call took place.")
    if value > call_store.today():
        raise forms.ValidationError(
            "A call is logged after it happens: enter today or an earlier day."
        )
    return value


class CallForm(VersionedModelForm):
    """A call with the team; a new call may carry its first follow-up."""

    class Meta:
        model = AdvisoryCall
        fields = ["held_on", "attendees", "notes"]
        labels = {"held_on": "Date of the call", "attendees": "Attendees", "notes": "Notes"}
        help_texts = {
            "held_on": HELD_ON_HELP,
            "attendees": "Who took part, one per line.",
            "notes": "Seen only by the team's members and the network's staff; "
            "never on a public page.",
        }
        widgets = {
            "held_on": date_widget(),
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "held_on": {"required": "Enter the day the call took place.",
                        "invalid": "Enter a date such as 2026-03-14."},
            "attendees": {"required": "Name at least one person who took part."},
        }  # fmt: skip

    def clean_held_on(self) -> date:
        return _held_on(self.cleaned_data.get("held_on"))

    def clean_attendees(self) -> str:
        lines = [folded(line) for line in self.cleaned_data["attendees"].splitlines()]
        text = "\n".join(line for line in lines if line)
        if not text:
            raise forms.ValidationError("Name at least one person who took part.")
        return text


class FollowUpForm(UswdsForm):
    """A follow-up of a team's call. With ``optional`` (on a new call's form) it may be
    left empty; once any part is filled, each part is needed."""

    text = forms.CharField(
        max_length=500, required=False, label="Follow-up",
        help_text="What is to be done after the call.",
    )  # fmt: skip
    owner = forms.CharField(
        required=False, label="Owner", help_text=OWNER_HELP, widget=forms.Select
    )  # choices on the widget; checked in clean() to say why a person is refused
    due_on = forms.DateField(
        required=False, label="Due date", widget=date_widget(),
        error_messages={"invalid": "Enter a date such as 2026-03-14."},
    )  # fmt: skip

    def __init__(self, *args: Any, team: Team, optional: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.optional = optional
        self.owners = {str(u.pk): u for u in call_store.possible_owners(team)}
        self.fields["owner"].widget.choices = [("", "Choose the owner")] + [
            (pk, u.get_username()) for pk, u in self.owners.items()
        ]
        if not optional:
            for name in ("text", "owner", "due_on"):
                self.fields[name].required = True
            self.fields["text"].error_messages["required"] = "Say what is to be done."
            self.fields["owner"].error_messages["required"] = "Choose who owns this follow-up."
            self.fields["due_on"].error_messages["required"] = "Enter the follow-up's due date."

    def clean_text(self) -> str:
        return folded(self.cleaned_data.get("text") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text, owner, due = data.get("text"), data.get("owner"), data.get("due_on")
        if self.optional and not text and not owner and not due and not self.has_error("due_on"):
            data["empty"] = True
            return data
        data["empty"] = False
        if not text and not self.has_error("text"):
            self.add_error("text", "Say what is to be done.")
        if not self.has_error("owner"):
            if not owner:
                self.add_error("owner", "Choose who owns this follow-up.")
            elif owner not in self.owners:
                self.add_error(
                    "owner",
                    "The owner must be one of the team's owners or editors, or the "
                    "network's staff.",
                )
            else:
                data["owner_user"] = self.owners[owner]
        if not due and not self.has_error("due_on"):
            self.add_error("due_on", "Enter the follow-up's due date.")
        return data

    def follow_up(self) -> dict[str, Any] | None:
        """The follow-up to save (text, owner, due_on), or None when left empty."""
        data = self.cleaned_data
        if data.get("empty"):
            return None
        return {"text": data["text"], "owner": data["owner_user"], "due_on": data["due_on"]}
