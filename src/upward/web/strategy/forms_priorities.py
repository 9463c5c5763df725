"""Forms of the priorities: what a new priority is about (checked against the catalog and
the workspace by :func:`~upward.web.strategy.priority_store.check_target`), its title and
rationale, and a decision with its vote counts."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.catalog import get_catalog
from upward.planning import strategy as vocab
from upward.web.strategy import priority_store as store
from upward.web.strategy.models import Priority, PriorityDecision
from upward.web.workspace import places
from upward.web.workspace.forms.base import FastSelect, UswdsForm, VersionedModelForm, date_widget
from upward.web.workspace.models import Workspace

TARGET_FIELDS = ("place", "variable", "breakdown", "subgroup", "versus")


def variable_choices() -> list[tuple[str, Any]]:
    """Every measure, grouped by predictor."""
    catalog = get_catalog()
    return [("", "Choose a measure")] + [
        (p.label, [(v.name, f"{catalog.metric(m).label}: {v.label}")
                   for m in p.metric_ids for v in catalog.metric(m).variables])
        for p in catalog.predictors
    ]  # fmt: skip


def breakdown_choices() -> list[tuple[str, str]]:
    return [("", "All people (no breakdown)")] + [
        (t.id, t.label) for t in get_catalog().subgroup_types
    ]


class PriorityForm(UswdsForm):
    """A new priority: the target (filled from the link it came from) and its words."""

    place = forms.CharField(label="Place", max_length=7, widget=FastSelect)
    variable = forms.CharField(label="Measure", max_length=80, widget=FastSelect)
    breakdown = forms.CharField(label="Breakdown by group", required=False, max_length=40,
                                widget=FastSelect)  # fmt: skip
    subgroup = forms.CharField(
        label="Group", required=False, max_length=80,
        help_text="For one group, or the first group of a gap (as the release names it).",
    )  # fmt: skip
    versus = forms.CharField(
        label="Compared group", required=False, max_length=80,
        help_text=f"For a gap: the second group, or {store.TOTAL} for the breakdown's total.",
    )  # fmt: skip
    title = forms.CharField(label="Title", required=False, max_length=200,
                            help_text="Left empty, the measure, group and place.")  # fmt: skip
    rationale = forms.CharField(
        label="Why the coalition chose it", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    source = forms.ChoiceField(choices=vocab.PRIORITY_SOURCES, initial="manual",
                               widget=forms.HiddenInput)  # fmt: skip
    source_ref = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.target: store.Target | None = None
        self.fields["place"].widget.choices = [("", "Choose a place")] + [
            (g, places.place_name(g)) for g in workspace.geoids or []
        ]
        self.fields["variable"].widget.choices = variable_choices()
        self.fields["breakdown"].widget.choices = breakdown_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(name in self.errors for name in TARGET_FIELDS):
            return data
        try:
            self.target = store.check_target(self.workspace, data)
        except store.TargetError as problem:
            for name, message in problem.errors.items():
                self.add_error(name, message)
            return data
        if found := store.duplicate_of(self.workspace, self.target):
            self.add_error(
                "variable",
                f"Measure: this is already a priority of the workspace (“{found.title}”); "
                "a priority is added once.",
            )
        return data


class PriorityEditForm(VersionedModelForm):
    """A priority's words; what it is about stays (a new target is a new priority)."""

    class Meta:
        model = Priority
        fields = ["title", "rationale"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 4})}
        labels = {"rationale": "Why the coalition chose it"}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace


class DecisionForm(VersionedModelForm):
    """How the coalition decided, with a vote count per priority (``votes_<id>``)."""

    class Meta:
        model = PriorityDecision
        fields = ["method", "date", "participants", "notes"]
        widgets = {"date": date_widget(), "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"participants": "People who took part"}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        votes = self.instance.votes or {}
        self.priorities = store.ordered(workspace)
        for p in self.priorities:
            self.fields[f"votes_{p.pk}"] = forms.IntegerField(
                label=f"Votes for {p.title}", required=False, min_value=0,
                help_text="A whole number from 0 (for a dot vote, its dots); empty: none.",
                max_value=store.MAX_VOTES, initial=votes.get(str(p.pk)),
                error_messages={"invalid": f"Votes for “{p.title}”: give a whole number.",
                                "min_value": f"Votes for “{p.title}”: a count is 0 or more."},
            )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        raw = {str(p.pk): data.get(f"votes_{p.pk}") for p in self.priorities}
        try:
            self.votes = store.clean_votes(
                self.workspace, {k: v for k, v in raw.items() if v is not None}
            )
        except ValueError as problem:
            self.add_error(None, str(problem))
        return data

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        self.instance.votes = getattr(self, "votes", self.instance.votes)
        return super().save(commit)
