"""Readiness assessment forms: one condition at a time, the preparedness tasks, comparing."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from typing import Any

from django import forms

from upward.planning.readiness import ReadinessCondition
from upward.web.workspace.access import assignable_members
from upward.web.workspace.forms.base import UswdsForm, VersionedModelForm, date_widget
from upward.web.workspace.models import Assessment, PreparednessTask, Workspace
from upward.web.workspace.versioning import VersionField

MAX_DUE_YEARS = 5


class NewAssessmentForm(UswdsForm):
    title = forms.CharField(
        max_length=120,
        required=False,
        label="Title (optional)",
        help_text="For example: Spring 2026 check-in.",
    )
    copy_previous = forms.BooleanField(
        required=False,
        initial=True,
        label="Start from the answers of the latest assessment",
    )


class ConditionForm(UswdsForm):
    """The steps of one condition (done, note) and what the coalition needs to address.

    ``seen`` carries :meth:`fingerprint` of the answer the form was shown with (the page of
    all nine conditions saves only the ones changed since)."""

    version = VersionField()
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, condition: ReadinessCondition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.condition = condition
        for number, step in enumerate(condition.steps, start=1):
            self.fields[f"done_{step.id}"] = forms.BooleanField(required=False, label=step.text)
            self.fields[f"note_{step.id}"] = forms.CharField(
                required=False,
                max_length=2000,
                label=f"Note on step {number} (optional)",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["to_address"] = forms.CharField(
            required=False,
            max_length=4000,
            label="What we need to address",
            help_text="What has to happen so this condition is in place.",
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        # UswdsMixin styled the fields present at its __init__; style the dynamic ones too.
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "usa-checkbox__input"
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["class"] = "usa-textarea"
        hint = f"id_{self.add_prefix('to_address')}_hint"
        self.fields["to_address"].widget.attrs["aria-describedby"] = hint

    def fingerprint(self, values: dict[str, Any]) -> str:
        """The answer in ``values`` (initial or cleaned data) as one comparable text, so a
        page of nine forms can tell which ones the person changed."""
        parts = [str(values.get("to_address") or "").strip()]
        for step in self.condition.steps:
            parts.append("1" if values.get(f"done_{step.id}") else "0")
            parts.append(str(values.get(f"note_{step.id}") or "").strip())
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]

    def step_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(s, self[f"done_{s.id}"], self[f"note_{s.id}"]) for s in self.condition.steps]


class TaskForm(VersionedModelForm):
    class Meta:
        model = PreparednessTask
        fields = ("owner", "due_date", "status", "notes")
        labels = {"owner": "Owner", "due_date": "Due date", "notes": "Notes"}
        widgets = {"due_date": date_widget(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, workspace: Workspace, assessment: Assessment, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = assignable_members(workspace)
        owner.empty_label = "No owner yet"
        owner.help_text = "An owner or editor of this workspace."
        owner.widget.attrs["aria-describedby"] = "id_owner_hint"

    def clean_due_date(self) -> date | None:
        due = self.cleaned_data.get("due_date")
        if due is None:
            return None
        start = self.assessment.created_at.date()
        if due < start:
            raise forms.ValidationError(
                f"Choose a date on or after the assessment date ({start:%B %-d, %Y})."
            )
        if due > start + timedelta(days=365 * MAX_DUE_YEARS):
            raise forms.ValidationError(f"Choose a date within {MAX_DUE_YEARS} years.")
        return due


class CompareForm(UswdsForm):
    a = forms.TypedChoiceField(coerce=int, label="Earlier assessment")
    b = forms.TypedChoiceField(coerce=int, label="Later assessment")

    def __init__(self, *args: Any, numbers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = numbers

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("a") is not None and cleaned.get("a") == cleaned.get("b"):
            self.add_error("b", "Choose two different assessments.")
        return cleaned
