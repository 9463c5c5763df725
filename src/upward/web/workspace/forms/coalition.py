"""Coalition structure forms: backbone and advisory group, workgroups."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.catalog import get_catalog
from upward.web.workspace.forms.base import (
    FastSelect,
    MultiPicker,
    NamedRecordForm,
    VersionedModelForm,
    folded,
)
from upward.web.workspace.models import CoalitionStructure, Stakeholder, Workgroup, Workspace


def focus_choices() -> list[Any]:
    catalog = get_catalog()
    choices: list[Any] = [("", "Choose a pillar or predictor")]
    for pillar in catalog.pillars:
        options = [(f"pillar:{pillar.id}", f"{pillar.label} (whole pillar)")]
        options += [(f"predictor:{p}", catalog.predictor(p).label) for p in pillar.predictor_ids]
        choices.append((pillar.label, options))
    return choices


def _choose_stakeholders(form: forms.BaseForm, workspace: Workspace, one: str, many: str) -> None:
    """Offer the workspace's stakeholders in the fields ``one`` (a single choice, which may
    stay empty) and ``many``."""
    stakeholders = Stakeholder.objects.filter(workspace=workspace).order_by("name")
    for name in (one, many):
        field = form.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = stakeholders.only("id", "name")
    single = form.fields[one]
    assert isinstance(single, forms.ModelChoiceField)
    single.empty_label = "Not chosen yet"


class StructureForm(VersionedModelForm):
    class Meta:
        model = CoalitionStructure
        fields = (
            "backbone",
            "backbone_duties",
            "advisory_members",
            "advisory_cadence",
            "advisory_purpose",
        )
        labels = {
            "backbone": "Backbone organization",
            "backbone_duties": "What the backbone does",
            "advisory_members": "Advisory group members",
            "advisory_cadence": "Advisory group meets",
            "advisory_purpose": "What the advisory group does",
        }
        help_texts = {
            "backbone": "The operational lead: keeps the work plan, coordinates, reports progress.",
            "advisory_members": "Check each member of the group; those chosen are listed first.",
        }
        widgets = {
            "backbone_duties": forms.Textarea(attrs={"rows": 3}),
            "advisory_purpose": forms.Textarea(attrs={"rows": 3}),
            "advisory_members": MultiPicker,
            "backbone": FastSelect,
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_stakeholders(self, workspace, "backbone", "advisory_members")


class WorkgroupForm(NamedRecordForm):
    name_taken = "Another workgroup already has this name."
    focus = forms.ChoiceField(choices=focus_choices, label="Focus")

    class Meta:
        model = Workgroup
        fields = ("name", "lead", "members", "cadence", "purpose")
        labels = {"cadence": "Meets", "purpose": "Purpose"}
        help_texts = {
            "members": "Drawn from the stakeholder inventory; those chosen are listed first.",
            "lead": "The lead is added to the members.",
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "members": MultiPicker,
            "lead": FastSelect,
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, workspace=workspace, **kwargs)
        _choose_stakeholders(self, workspace, "lead", "members")
        if self.instance.pk is not None and not self.is_bound:
            if self.instance.focus_predictor:
                self.initial["focus"] = f"predictor:{self.instance.focus_predictor}"
            elif self.instance.focus_pillar:
                self.initial["focus"] = f"pillar:{self.instance.focus_pillar}"
        self.order_fields(["name", "focus", "lead", "members", "cadence", "purpose"])

    def clean_name(self) -> str:
        return self.unique_name(folded(self.cleaned_data["name"]))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lead = cleaned.get("lead")
        members = cleaned.get("members")
        if lead is not None and members is not None and lead not in members:
            cleaned["members"] = [*members, lead]
        return cleaned

    def save(self, commit: bool = True) -> Workgroup:
        kind, _, ident = self.cleaned_data["focus"].partition(":")
        self.instance.focus_pillar = ident if kind == "pillar" else ""
        self.instance.focus_predictor = ident if kind == "predictor" else ""
        if kind == "predictor":
            self.instance.focus_pillar = get_catalog().predictor(ident).pillar_id
        return super().save(commit)
