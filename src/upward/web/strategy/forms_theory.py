"""The form of one theory of change: if we …, then …, because …, its assumptions and
the priorities (of this workspace only) it serves."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.web.strategy.models import Priority, TheoryOfChange
from upward.web.workspace.forms.base import MultiPicker, VersionedModelForm
from upward.web.workspace.models import Workspace

PARTS = ("if_we", "then", "because")


class TheoryForm(VersionedModelForm):
    class Meta:
        model = TheoryOfChange
        fields = ("if_we", "then", "because", "assumptions", "priorities")
        labels = {
            "if_we": "If we …",
            "then": "then …",
            "because": "because …",
            "assumptions": "Assumptions",
            "priorities": "Priorities it serves",
        }
        help_texts = {
            "if_we": "What the coalition will do, e.g. “train residents with employers”.",
            "then": "What changes, e.g. “more residents are hired into jobs paying a living wage”.",
            "because": "Why you expect it, e.g. “employers shape the training”.",
            "assumptions": "What must hold for it to work (one a line).",
            "priorities": "Those chosen are listed first.",
        }
        widgets = {
            "if_we": forms.Textarea(attrs={"rows": 2}),
            "then": forms.Textarea(attrs={"rows": 2}),
            "because": forms.Textarea(attrs={"rows": 2}),
            "assumptions": forms.Textarea(attrs={"rows": 3}),
            "priorities": MultiPicker,
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        priorities = self.fields["priorities"]
        assert isinstance(priorities, forms.ModelMultipleChoiceField)
        priorities.queryset = Priority.objects.filter(workspace=workspace).order_by("rank", "id")
        priorities.error_messages["invalid_choice"] = (
            "Priorities it serves: %(value)s is not one of this workspace's priorities."
        )
        priorities.error_messages["invalid_pk_value"] = (
            "Priorities it serves: “%(pk)s” is not a priority's number."
        )
        for name in PARTS:
            label = self.Meta.labels[name]
            self.fields[name].error_messages.update(
                {
                    "required": f"Fill in “{label}”.",
                    "max_length": f"“{label}”: keep it to 2,000 characters.",
                }
            )
        self.fields["assumptions"].error_messages["max_length"] = (
            "Assumptions: keep them to 4,000 characters."
        )

    def _clean_part(self, name: str) -> str:
        text = " ".join(self.cleaned_data[name].split())
        if not text:
            raise forms.ValidationError(f"Fill in “{self.Meta.labels[name]}”.")
        return text

    def clean_if_we(self) -> str:
        return self._clean_part("if_we")

    def clean_then(self) -> str:
        return self._clean_part("then")

    def clean_because(self) -> str:
        return self._clean_part("because")

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        return super().save(commit)
