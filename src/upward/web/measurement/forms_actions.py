"""The form of an action or milestone: its strategy and owner are this workspace's (one
owner: a member who may edit, or a stakeholder), its due date is on or after its start,
its percent complete is from 0 to 100; and the actions list's filters (GET)."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.planning import action as vocab
from upward.web.measurement.models import Action
from upward.web.strategy.models import Strategy
from upward.web.workspace.access import assignable_members
from upward.web.workspace.forms.base import FastSelect, UswdsForm, VersionedModelForm, date_widget
from upward.web.workspace.models import Stakeholder, Workspace

NOT_HERE = "Choose one of this workspace's {}; the one sent is not among them."
MEMBER, STAKEHOLDER = "member", "stakeholder"


def owner_value(kind: str, pk: int | None) -> str:
    """An owner as the form's choice names it: ``member:3``, ``stakeholder:12``."""
    return f"{kind}:{pk}" if pk else ""


def owner_choices(workspace: Workspace, empty: str) -> list[Any]:
    members = [(owner_value(MEMBER, u.pk), u.get_username()) for u in assignable_members(workspace)]
    stakeholders = [
        (owner_value(STAKEHOLDER, s.pk), s.name)
        for s in Stakeholder.objects.filter(workspace=workspace).only("id", "name").order_by("name")
    ]
    return [("", empty), ("Members", members), ("Stakeholders", stakeholders)]


def _strategies(workspace: Workspace) -> Any:
    return Strategy.objects.filter(workspace=workspace).only("id", "name").order_by("name_key")


class ActionForm(VersionedModelForm):
    owner = forms.ChoiceField(
        label="Owner",
        help_text="One person or partner answers for it: a member who edits this workspace, "
        "or a stakeholder from the inventory.",
        widget=FastSelect,
        error_messages={
            "required": "Choose the owner: a member or a stakeholder.",
            "invalid_choice": NOT_HERE.format("members or stakeholders"),
        },
    )
    percent = forms.IntegerField(
        label="Percent complete",
        initial=0,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        error_messages={"invalid": vocab.percent_problem(-1)},
    )

    class Meta:
        model = Action
        fields = ("strategy", "title", "kind", "start_date", "due_date", "status", "notes")
        labels = {"kind": "Kind", "start_date": "Start date", "due_date": "Due date"}
        widgets = {
            "start_date": date_widget(),
            "due_date": date_widget(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "strategy": FastSelect,
        }
        error_messages = {"strategy": {"invalid_choice": NOT_HERE.format("strategies")}}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        strategy = self.fields["strategy"]
        assert isinstance(strategy, forms.ModelChoiceField)
        strategy.queryset = _strategies(workspace)
        strategy.empty_label = "Choose a strategy"
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = owner_choices(workspace, "Choose an owner")
        if self.instance.pk is not None and not self.is_bound:
            self.initial["owner"] = owner_value(
                MEMBER, self.instance.owner_member_id
            ) or owner_value(STAKEHOLDER, self.instance.owner_stakeholder_id)
            self.initial["percent"] = self.instance.percent
        self.order_fields(["strategy", "title", "kind", "owner"])

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the action a title.")
        return title

    def clean_percent(self) -> int:
        percent = self.cleaned_data["percent"]
        if problem := vocab.percent_problem(percent):
            raise forms.ValidationError(problem)
        return int(percent)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problem = vocab.dates_problem(cleaned.get("start_date"), cleaned.get("due_date"))
        if problem:
            self.add_error("due_date", problem)
        return cleaned

    def save(self, commit: bool = True) -> Action:
        kind, _colon, pk = self.cleaned_data["owner"].partition(":")
        self.instance.workspace = self.workspace
        self.instance.owner_member_id = int(pk) if kind == MEMBER else None
        self.instance.owner_stakeholder_id = int(pk) if kind == STAKEHOLDER else None
        self.instance.percent = self.cleaned_data["percent"]
        return super().save(commit)


class ActionFilterForm(UswdsForm):
    """The actions list's filters (GET): status, owner, strategy, overdue or stale only."""

    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *vocab.STATUSES])
    owner = forms.ChoiceField(required=False, widget=FastSelect)
    strategy = forms.ModelChoiceField(
        queryset=Strategy.objects.none(), required=False, empty_label="Any strategy"
    )
    flag = forms.ChoiceField(
        required=False,
        label="Flag",
        choices=[("", "All items"), ("overdue", "Overdue only"), ("stale", "Stale only")],
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = owner_choices(workspace, "Any owner")
        strategy = self.fields["strategy"]
        assert isinstance(strategy, forms.ModelChoiceField)
        strategy.queryset = _strategies(workspace)
