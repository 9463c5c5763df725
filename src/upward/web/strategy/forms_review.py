"""Forms of the review of the vision and the theories (the logic model's review can use
them too): a comment, a note to a review round or an approval, a new vision draft and
the choice of two versions to compare."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.web.strategy.vision_store import MAX_NOTE, MAX_TEXT
from upward.web.workspace.forms.base import UswdsForm

MAX_COMMENT = 4000
MAX_ROUND_NOTE = 2000
STARTED_FROM_UNKNOWN = (
    "The form did not say which version it started from, so nothing was saved. "
    "Open “Write a new draft” again."
)


def squeezed_lines(value: str) -> str:
    """Text as typed, without trailing spaces or blank lines at either end."""
    return "\n".join(line.rstrip() for line in value.strip().splitlines())


def _text_field(label: str, limit: int, rows: int, empty: str, **more: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": empty,
            "max_length": f"Keep it to {limit:,} characters (this has %(show_value)d).",
        },
        **more,
    )


class CommentForm(UswdsForm):
    text = _text_field("Your comment", MAX_COMMENT, 3, "Write a comment first.")

    def clean_text(self) -> str:
        text = squeezed_lines(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError("Write a comment first.")
        return text


class NoteForm(UswdsForm):
    """The optional note of a review round or of an approval."""

    note = _text_field(
        "Note (optional)", MAX_ROUND_NOTE, 2, "", required=False,
        help_text="For example, what you would like members to look at.",
    )  # fmt: skip

    def clean_note(self) -> str:
        return squeezed_lines(self.cleaned_data["note"])


class VisionDraftForm(UswdsForm):
    text = _text_field(
        "Vision statement", MAX_TEXT, 6, "Write the vision statement first.",
        help_text=f"Up to {MAX_TEXT:,} characters. Saving keeps every earlier version.",
    )  # fmt: skip
    note = forms.CharField(
        label="What changed (optional)",
        max_length=MAX_NOTE,
        required=False,
        error_messages={"max_length": f"Keep it to {MAX_NOTE} characters."},
        help_text="One line for the version history, e.g. “Named the neighborhoods”.",
    )
    based_on = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def clean_text(self) -> str:
        text = squeezed_lines(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError("Write the vision statement first.")
        return text

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data["note"].split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors.pop("based_on", None):  # a hidden field: said above the form
            self.add_error(None, STARTED_FROM_UNKNOWN)
        return cleaned


class CompareForm(UswdsForm):
    """Two version numbers (a GET form: ``old`` and ``new``)."""

    old = forms.TypedChoiceField(label="From version", coerce=int)
    new = forms.TypedChoiceField(label="To version", coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, f"Version {n}") for n in numbers]
        for name in ("old", "new"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = choices
            field.error_messages["invalid_choice"] = (
                "There is no version %(value)s of the vision; choose one from the list."
            )
            field.error_messages["required"] = "Choose a version."
