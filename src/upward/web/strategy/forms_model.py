"""Logic-model forms (pages and API alike): an element of a priority's model and a link
between two of its elements. Each refuses, with a message naming the element, an
outcome without a known condition of systems change, a strategy of another workspace's
library, and a link the model cannot hold (``planning.logic_model.link_problem``)."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.planning.logic_model import link_problem
from upward.planning.strategy import ELEMENT_KINDS, OUTCOME_KINDS, SYSTEMS_CONDITIONS
from upward.web.strategy import model_store
from upward.web.strategy.models import Element, Link, Priority, Strategy
from upward.web.workspace.forms.base import FastSelect, UswdsForm, VersionedModelForm
from upward.web.workspace.models import Workspace

ADDABLE_KINDS = tuple((k, label) for k, label in ELEMENT_KINDS if k != "result")
"""A member adds every kind but the result (each priority has one, made for it)."""
CONDITION_CHOICES = (("", "Choose a condition"), *SYSTEMS_CONDITIONS)
KNOWN_CONDITIONS = {c for c, _label in SYSTEMS_CONDITIONS}
CONDITION_HINT = "For an outcome (required): the condition of systems change it shifts."


def _text(value: str) -> str:
    return " ".join((value or "").split())


class ElementForm(VersionedModelForm):
    """One element. A new one is added to ``priority`` (or, through the API, to the
    priority its body names); the kind is chosen when it is added and stays."""

    condition = forms.CharField(
        required=False,
        label="Condition of systems change",
        help_text=CONDITION_HINT,
        widget=forms.Select(choices=CONDITION_CHOICES),
    )

    class Meta:
        model = Element
        fields = ("priority", "kind", "strategy", "title", "description", "condition")
        labels = {
            "strategy": "Strategy from the workspace library",
            "title": "Title",
            "description": "Description",
        }
        help_texts = {
            "strategy": "For a strategy element (required): which of the library's "
            "strategies it places in this model.",
            "title": "For a strategy, leave blank to use the strategy's name.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "strategy": FastSelect}

    def __init__(
        self,
        *args: Any,
        workspace: Workspace,
        priority: Priority | None = None,
        user: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.user = user
        self.priority = priority or (self.instance.priority if self.instance.pk else None)
        strategy = self.fields["strategy"]
        assert isinstance(strategy, forms.ModelChoiceField)
        strategy.queryset = Strategy.objects.filter(workspace=workspace).order_by("name")
        strategy.error_messages["invalid_choice"] = "Choose a strategy of this workspace's library."
        strategy.empty_label = "Not a strategy element"
        self.fields["title"].required = False
        if self.priority is not None:
            del self.fields["priority"]
        else:
            field = self.fields["priority"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Priority.objects.filter(workspace=workspace)
            field.error_messages["invalid_choice"] = "Choose a priority of this workspace."
        if self.instance.pk is not None:
            del self.fields["kind"]
            if self.instance.kind != "strategy":
                del self.fields["strategy"]
            if self.instance.kind not in OUTCOME_KINDS:
                del self.fields["condition"]
        else:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = ADDABLE_KINDS
            kind.label = "Column"
            kind.error_messages["invalid_choice"] = (
                "Choose a column: inputs, strategies, activities, outputs or outcomes "
                "(the result is added for you)."
            )

    @property
    def kind(self) -> str:
        if self.instance.pk is not None:
            return self.instance.kind
        return str(self.cleaned_data.get("kind") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = self.kind
        strategy = cleaned.get("strategy")
        title = _text(cleaned.get("title", ""))
        if kind == "strategy" and "strategy" in self.fields:
            if strategy is None and "strategy" not in self.errors:
                self.add_error("strategy", "A strategy element places a strategy of the "
                               "library: choose one.")  # fmt: skip
            elif strategy is not None and not title:
                title = strategy.name
        elif strategy is not None:
            self.add_error("strategy", "Only a strategy element places a library strategy.")
        if not title and not self.has_error("strategy"):
            self.add_error("title", "A title is required.")
        cleaned["title"] = title
        named = f"“{title}”" if title else "This element"
        condition = cleaned.get("condition", "") if "condition" in self.fields else ""
        if kind in OUTCOME_KINDS:
            if not condition:
                self.add_error("condition", f"{named} is an outcome: choose the condition of "
                               "systems change it shifts.")  # fmt: skip
            elif condition not in KNOWN_CONDITIONS:
                self.add_error("condition", f"{named}: “{condition}” is not a condition of "
                               "systems change; choose one of the six.")  # fmt: skip
        elif condition:
            self.add_error("condition", f"{named} is not an outcome; only outcomes name a "
                           "condition of systems change.")  # fmt: skip
        cleaned["condition"] = condition if kind in OUTCOME_KINDS else ""
        return cleaned

    def save(self, commit: bool = True) -> Any:
        element = self.instance
        element.workspace = self.workspace
        if self.priority is not None:
            element.priority = self.priority
        element.title = self.cleaned_data["title"]
        element.condition = self.cleaned_data["condition"]
        if element.pk is None:
            # the first element of a priority's model brings its result (same transaction)
            model_store.ensure_result(element.priority, self.user)
            element.position = model_store.next_position(element.priority, element.kind)
        return super().save(commit)


class LinkForm(VersionedModelForm):
    """A new link: ``source`` leads to ``target``. The ends are any elements of the
    workspace (so the rules, not the list, refuse another priority's element with a message
    naming both); the page offers this priority's elements only."""

    class Meta:
        model = Link
        fields = ("source", "target", "rationale", "assumption")
        labels = {
            "source": "From",
            "target": "Leads to",
            "rationale": "Why it leads there (rationale)",
            "assumption": "What this assumes",
        }
        widgets = {
            "source": FastSelect,
            "target": FastSelect,
            "rationale": forms.Textarea(attrs={"rows": 2}),
            "assumption": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: Any, workspace: Workspace, priority: Priority | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        elements = Element.objects.filter(workspace=workspace)
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = elements
            field.error_messages["invalid_choice"] = (
                "Choose an element of this workspace's logic model."
            )
            if priority is not None:
                shown = elements.filter(priority=priority)
                if name == "source":
                    shown = shown.exclude(kind="result")
                field.widget.choices = [("", "Choose an element")] + [
                    (e.pk, f"{e.title} ({dict(ELEMENT_KINDS)[e.kind]})")
                    for e in model_store.order_in_columns(shown)
                ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        source, target = cleaned.get("source"), cleaned.get("target")
        if source is not None and target is not None:
            _priorities, nodes, edges = model_store.model_nodes(self.workspace)
            problem = link_problem({n.id: n for n in nodes}, edges, source.pk, target.pk)
            if problem:
                raise forms.ValidationError(problem, code="link_refused")
        for name in ("rationale", "assumption"):
            cleaned[name] = (cleaned.get(name) or "").strip()
        return cleaned

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        return super().save(commit)


class LinkEditForm(VersionedModelForm):
    """An existing link's rationale and assumption (to change its ends, delete it and
    add another)."""

    class Meta:
        model = Link
        fields = ("rationale", "assumption")
        labels = LinkForm.Meta.labels
        widgets = LinkForm.Meta.widgets

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace


class CommentForm(UswdsForm):
    text = forms.CharField(
        label="Your comment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "upward-short-text"}),
        error_messages={"required": "Write a comment first."},
    )


class ApprovalForm(UswdsForm):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "upward-short-text"}),
    )
