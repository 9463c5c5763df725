"""Forms of sustainability and learning: a strategy's sustainability plan (who is
responsible, the resources it needs), its funding sources (amount optional, how sure),
and the workspace's continuous-learning plan (cadence, questions one per line, when to
revisit the logic model)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from upward.web.measurement.forms_actions import NOT_HERE, _strategies
from upward.web.measurement.models import FundingSource, LearningPlan, Sustainability
from upward.web.strategy.models import Strategy
from upward.web.workspace.forms.base import FastSelect, MultiPicker, VersionedModelForm, date_widget
from upward.web.workspace.models import Stakeholder, Workspace

MAX_QUESTIONS = 20


class _InWorkspace(VersionedModelForm):
    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        return super().save(commit)


class SustainabilityForm(_InWorkspace):
    class Meta:
        model = Sustainability
        fields = ("strategy", "responsible", "resources", "notes")
        labels = {
            "responsible": "Responsible actors",
            "resources": "Resources needed",
        }
        help_texts = {
            "responsible": "The partners who keep the strategy going, from the stakeholder "
            "inventory.",
            "resources": "Staff time, space, data, skills, money: what the work needs to last.",
        }
        widgets = {
            "strategy": FastSelect,
            "responsible": MultiPicker,
            "resources": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "strategy": {
                "invalid_choice": NOT_HERE.format("strategies"),
                "unique": "This strategy already has a sustainability plan: edit that one.",
            },
            "responsible": {"invalid_choice": NOT_HERE.format("stakeholders")},
        }

    def __init__(
        self, *args: Any, workspace: Workspace, strategy: Strategy | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, workspace=workspace, **kwargs)
        self.fixed = strategy
        field = self.fields["strategy"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _strategies(workspace)
        field.empty_label = "Choose a strategy"
        if strategy is not None:  # the page of one strategy: its plan, for it only
            field.widget = forms.HiddenInput()
            self.initial["strategy"] = strategy.pk
        responsible = self.fields["responsible"]
        assert isinstance(responsible, forms.ModelChoiceField)
        responsible.queryset = Stakeholder.objects.filter(workspace=workspace).only("id", "name")

    def clean_strategy(self) -> Strategy:
        strategy = self.cleaned_data["strategy"]
        if self.fixed is not None and strategy != self.fixed:
            raise forms.ValidationError(f"This page is about “{self.fixed}” only.")
        return strategy


class FundingSourceForm(_InWorkspace):
    amount = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        label="Amount in dollars (optional)",
        error_messages={"min_value": "Give an amount of zero or more, or leave it empty."},
    )

    class Meta:
        model = FundingSource
        fields = ("strategy", "name", "amount", "status", "notes")
        labels = {"name": "Funder or source", "status": "Status"}
        help_texts = {"status": "Secured: committed. Pending: asked, not decided. Prospect: "
                      "not asked yet."}  # fmt: skip
        widgets = {"strategy": FastSelect, "notes": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"strategy": {"invalid_choice": NOT_HERE.format("strategies")}}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, workspace=workspace, **kwargs)
        strategy = self.fields["strategy"]
        assert isinstance(strategy, forms.ModelChoiceField)
        strategy.queryset = _strategies(workspace)
        strategy.empty_label = "Choose a strategy"

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Name the funder or source.")
        return name


class LearningPlanForm(_InWorkspace):
    questions_text = forms.CharField(
        label="Learning questions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"One per line (up to {MAX_QUESTIONS}): what the coalition wants to learn.",
    )

    class Meta:
        model = LearningPlan
        fields = ("cadence", "revisit_on", "revisit_trigger", "notes")
        labels = {
            "cadence": "Review progress",
            "revisit_on": "Revisit the logic model on",
            "revisit_trigger": "Or revisit it when",
        }
        help_texts = {
            "revisit_on": "A date (optional).",
            "revisit_trigger": "A trigger (optional), for example: a new data release, or a "
            "strategy dropped.",
        }
        widgets = {
            "revisit_on": date_widget(),
            "revisit_trigger": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, workspace=workspace, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["questions_text"] = "\n".join(self.instance.questions)
        self.order_fields(["cadence", "questions_text"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            self.instance.pk is None
            and LearningPlan.objects.filter(workspace=self.workspace).exists()
        ):
            raise forms.ValidationError(
                "This workspace has a learning plan already: change that one."
            )
        return cleaned

    def clean_questions_text(self) -> str:
        text = self.cleaned_data.get("questions_text", "")
        questions = [" ".join(line.split()) for line in text.splitlines()]
        self.questions = [q for q in questions if q]
        if len(self.questions) > MAX_QUESTIONS:
            raise forms.ValidationError(f"Keep to {MAX_QUESTIONS} questions, one per line.")
        if any(len(q) > 500 for q in self.questions):
            raise forms.ValidationError("Keep each question under 500 characters.")
        return text

    def save(self, commit: bool = True) -> LearningPlan:
        self.instance.questions = list(getattr(self, "questions", []))
        return super().save(commit)
