"""The form of a strategy in the workspace's library: what it is, its evidence (one
scale; sources typed one per line), the predictors it targets, and who leads it, with
whom, in which workgroup (each chosen from this workspace only)."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.planning import strategy as vocab
from upward.planning.strategy_library import LibraryError, parse_sources, sources_text
from upward.web.strategy.models import Strategy
from upward.web.workspace.forms.base import FastSelect, MultiPicker, NamedRecordForm, UswdsForm
from upward.web.workspace.forms.coalition import _choose_stakeholders
from upward.web.workspace.forms.stakeholders import pillar_choices, predictor_choices
from upward.web.workspace.models import Workgroup, Workspace

NOT_HERE = "Choose one of this workspace's {}; the one sent is not in its inventory."


class StrategyForm(NamedRecordForm):
    name_taken = "Your library already has a strategy with this name."

    sources_text = forms.CharField(
        label="Sources",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: the citation, then “|” and a web address if there is one.",
    )
    predictors = forms.MultipleChoiceField(
        choices=predictor_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Predictors it targets",
    )

    class Meta:
        model = Strategy
        fields = (
            "name",
            "description",
            "evidence_level",
            "evidence_note",
            "predictors",
            "lead",
            "partners",
            "workgroup",
        )
        labels = {
            "evidence_level": "Evidence",
            "evidence_note": "What the evidence shows",
            "lead": "Lead partner",
            "partners": "Partners",
            "workgroup": "Workgroup that owns it",
        }
        help_texts = {
            "evidence_level": " ".join(
                f"{label}: {vocab.EVIDENCE_MEANINGS[level]}"
                for level, label in vocab.EVIDENCE_LEVELS
            ),
            "partners": "Drawn from the stakeholder inventory; those chosen are listed first.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence_note": forms.Textarea(attrs={"rows": 3}),
            "partners": MultiPicker,
            "lead": FastSelect,
        }
        error_messages = {
            "lead": {"invalid_choice": NOT_HERE.format("stakeholders")},
            "partners": {"invalid_choice": NOT_HERE.format("stakeholders")},
            "workgroup": {"invalid_choice": NOT_HERE.format("workgroups")},
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, workspace=workspace, **kwargs)
        _choose_stakeholders(self, workspace, "lead", "partners")
        workgroup = self.fields["workgroup"]
        assert isinstance(workgroup, forms.ModelChoiceField)
        workgroup.queryset = Workgroup.objects.filter(workspace=workspace).only("id", "name")
        workgroup.empty_label = "Not chosen yet"
        if self.instance.pk is not None and not self.is_bound:
            self.initial["sources_text"] = sources_text(self.instance.sources)
        self.order_fields([*self.Meta.fields[:4], "sources_text", *self.Meta.fields[4:]])

    def clean_name(self) -> str:
        return self.unique_name(" ".join(self.cleaned_data["name"].split()))

    def clean_sources_text(self) -> str:
        text = self.cleaned_data.get("sources_text", "")
        try:
            self.parsed_sources = parse_sources(text)
        except LibraryError as problem:
            raise forms.ValidationError(str(problem)) from None
        return text

    def save(self, commit: bool = True) -> Strategy:
        self.instance.sources = [s.as_dict() for s in getattr(self, "parsed_sources", ())]
        return super().save(commit)


class LibraryFilterForm(UswdsForm):
    """The shared library's filters (GET): pillar, predictor, evidence level."""

    pillar = forms.ChoiceField(required=False)
    predictor = forms.ChoiceField(required=False, choices=[("", "Any predictor")])
    evidence = forms.ChoiceField(
        required=False, choices=[("", "Any evidence"), *vocab.EVIDENCE_LEVELS], label="Evidence"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        pillar = self.fields["pillar"]
        assert isinstance(pillar, forms.ChoiceField)
        pillar.choices = [("", "Any pillar"), *pillar_choices()]
        predictor = self.fields["predictor"]
        assert isinstance(predictor, forms.ChoiceField)
        predictor.choices = [("", "Any predictor"), *predictor_choices()]
