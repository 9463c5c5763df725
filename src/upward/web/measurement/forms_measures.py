"""The forms of the measurement plan: a measure of one logic-model element (its fields
depend on its kind; without script the form shows every section, each labelled with the
kind it is for), pinning a baseline from a loaded release, setting a target, and the
decision about a revised baseline.

Everything a form names must be this workspace's: the element, the local series, the
member and the stakeholder responsible; a Mobility Metrics variable must be one the
release publishes for the place (checked against the release loaded now)."""

from __future__ import annotations

import copy
import math
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from upward.analysis.targets import TargetError, TargetProposal
from upward.catalog import get_catalog
from upward.explore import WarehouseMissing
from upward.planning import measure as vocab
from upward.planning.strategy import SYSTEMS_CONDITIONS
from upward.web.data import get_release
from upward.web.knowledge.models import LocalSeries
from upward.web.measurement import baseline_store, target_store
from upward.web.measurement.models import Baseline, Measure, Target
from upward.web.strategy import priority_store
from upward.web.strategy.forms_priorities import breakdown_choices, variable_choices
from upward.web.strategy.models import Element
from upward.web.workspace import places
from upward.web.workspace.forms.base import (
    FastSelect,
    UswdsForm,
    UswdsModelForm,
    VersionedModelForm,
)
from upward.web.workspace.models import Stakeholder, Workspace

NOT_HERE = "Choose one of this workspace's {}; the one sent is not one of them."
KIND_LABELS = dict(vocab.MEASURE_KINDS)
POPULATION_FIELDS = ("geoid", "variable", "breakdown", "subgroup", "versus", "local_series")
MAX_MILESTONES = 40
PARAMETERS = ("method", "percent", "benchmark", "other_group", "share", "value")
"""The fields of a target's method (the API's body sends them beside the measure)."""
MIN_YEAR, MAX_YEAR = 1000, 9999
"""A baseline's year as the forms take it (a year the release does not publish for the
cell is refused with the years it does publish)."""


class ElementChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.priority.title}: {obj.get_kind_display()}: {obj.title}"


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_username())


def parse_milestones(text: str) -> list[dict[str, str]]:
    """One milestone a line: what is to happen, then "|" and the evidence that it did."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        what, _bar, evidence = line.partition("|")
        what, evidence = " ".join(what.split()), " ".join(evidence.split())
        if not what:
            raise forms.ValidationError(
                f"Milestones, line {number}: say what is to happen before the “|”."
            )
        out.append({"text": what[:300], "evidence": evidence[:600]})
    if len(out) > MAX_MILESTONES:
        raise forms.ValidationError(f"Milestones: at most {MAX_MILESTONES}, one a line.")
    return out


def milestones_text(milestones: list[dict[str, str]]) -> str:
    return "\n".join(
        f"{m.get('text', '')} | {m['evidence']}" if m.get("evidence") else m.get("text", "")
        for m in milestones
    )


class MeasureForm(VersionedModelForm):
    milestones_text = forms.CharField(
        label="Milestones (systems-change measure)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line: what is to happen, then “|” and the evidence that it did "
        "(for example: Council adopts the hiring policy | the adopted ordinance).",
    )

    class Meta:
        model = Measure
        fields = (
            "element",
            "kind",
            "title",
            "description",
            "geoid",
            "variable",
            "breakdown",
            "subgroup",
            "versus",
            "local_series",
            "aspect",
            "condition",
            "data_source",
            "frequency",
            "responsible_member",
            "responsible_stakeholder",
        )
        labels = {
            "element": "Element of the logic model",
            "kind": "Kind of measure",
            "title": "Name of the measure",
            "geoid": "Place (population indicator)",
            "variable": "Mobility Metrics measure (population indicator)",
            "breakdown": "Breakdown by group (population indicator)",
            "subgroup": "Group (population indicator)",
            "versus": "Compared group, for a gap (population indicator)",
            "local_series": "Or a local series (population indicator)",
            "aspect": "Question it answers (performance measure)",
            "condition": "Condition of systems change (systems-change measure)",
            "data_source": "Data source",
            "frequency": "How often it is read",
            "responsible_member": "Responsible member",
            "responsible_stakeholder": "Responsible stakeholder",
        }
        help_texts = {
            "kind": "A population indicator for results and outcomes measured in the data; a "
            "performance measure for inputs, strategies, activities and outputs; a "
            "systems-change measure for an outcome that shifts a condition of systems change.",
            "geoid": "Left empty, the place of the element's priority.",
            "subgroup": "For one group, or the first group of a gap (as the release names it).",
            "versus": f"The second group of a gap, or {priority_store.TOTAL} for the total.",
            "local_series": "Instead of a Mobility Metrics measure: one of the coalition's own.",
            "responsible_member": "A member of this workspace.",
            "responsible_stakeholder": "A stakeholder of this workspace's inventory.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "kind": forms.RadioSelect,
            "aspect": forms.RadioSelect,
            "variable": FastSelect,
            "breakdown": FastSelect,
            "geoid": FastSelect,
        }
        field_classes = {"element": ElementChoice, "responsible_member": MemberChoice}
        error_messages = {
            "element": {"invalid_choice": NOT_HERE.format("logic-model elements")},
            "local_series": {"invalid_choice": NOT_HERE.format("local series")},
            "responsible_member": {"invalid_choice": NOT_HERE.format("members")},
            "responsible_stakeholder": {"invalid_choice": NOT_HERE.format("stakeholders")},
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        f = self.fields
        element = f["element"]
        assert isinstance(element, forms.ModelChoiceField)
        element.queryset = (
            Element.objects.filter(workspace=workspace)
            .select_related("priority")
            .order_by("priority__rank", "priority_id", "position", "id")
        )
        element.empty_label = "Choose an element"
        f["geoid"].widget.choices = [("", "The priority's place")] + [
            (g, places.place_name(g)) for g in workspace.geoids or []
        ]
        f["variable"].widget.choices = variable_choices()
        f["breakdown"].widget.choices = breakdown_choices()
        series = f["local_series"]
        assert isinstance(series, forms.ModelChoiceField)
        series.queryset = LocalSeries.objects.filter(workspace=workspace).only("id", "name")
        series.empty_label = "None"
        member = f["responsible_member"]
        assert isinstance(member, forms.ModelChoiceField)
        member.queryset = (
            get_user_model().objects.filter(memberships__workspace=workspace).order_by("username")
        )
        member.empty_label = "Not chosen yet"
        stakeholder = f["responsible_stakeholder"]
        assert isinstance(stakeholder, forms.ModelChoiceField)
        stakeholder.queryset = (
            Stakeholder.objects.filter(workspace=workspace).order_by("name").only("id", "name")
        )
        stakeholder.empty_label = "Not chosen yet"
        f["aspect"].choices = list(vocab.PERFORMANCE_ASPECTS)
        f["kind"].choices = list(vocab.MEASURE_KINDS)
        f["condition"].choices = [("", "Choose a condition"), *SYSTEMS_CONDITIONS]
        if self.instance.pk is not None and not self.is_bound:
            self.initial["milestones_text"] = milestones_text(self.instance.milestones or [])
        names = list(self.Meta.fields)
        names.insert(names.index("condition") + 1, "milestones_text")
        self.order_fields(names)

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_milestones_text(self) -> str:
        text = self.cleaned_data.get("milestones_text", "")
        self.parsed_milestones = parse_milestones(text)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, element = data.get("kind"), data.get("element")
        if kind == "population" and element is not None:
            self._clean_population(data, element)
        elif kind == "performance" and not data.get("aspect"):
            self.add_error("aspect", "Choose the question this performance measure answers.")
        elif kind == "systems_change" and not data.get("condition"):
            if element is not None and element.condition:
                data["condition"] = element.condition
            else:
                self.add_error("condition", "Choose the condition of systems change it follows.")
        return data

    def _clean_population(self, data: dict[str, Any], element: Element) -> None:
        if any(name in self.errors for name in POPULATION_FIELDS):
            return
        series, variable = data.get("local_series"), (data.get("variable") or "").strip()
        if series is not None and variable:
            self.add_error(
                "local_series", "Choose a Mobility Metrics measure or a local series, not both."
            )
            return
        if series is not None:
            return
        if not variable:
            self.add_error("variable", "Choose the Mobility Metrics measure, or a local series.")
            return
        data["geoid"] = data.get("geoid") or element.priority.geoid
        try:
            priority_store.check_target(self.workspace, {**data, "place": data["geoid"]})
        except priority_store.TargetError as problem:
            for name, message in problem.errors.items():
                self.add_error("geoid" if name == "place" else name, message)
            return
        try:
            release = get_release()
        except WarehouseMissing:
            return  # no data loaded: the baseline page says so
        spec = Measure(**{k: data.get(k) or "" for k in POPULATION_FIELDS[:5]})
        try:
            baseline_store.read_cell(release, spec)
        except baseline_store.BaselineRefused as problem:
            for name, message in problem.errors.items():
                self.add_error(name, message)

    def save(self, commit: bool = True) -> Measure:
        measure = self.instance
        measure.workspace = self.workspace
        measure.milestones = getattr(self, "parsed_milestones", [])
        if measure.kind != "population":
            for name in POPULATION_FIELDS[:5]:
                setattr(measure, name, "")
            measure.local_series = None
        elif measure.local_series_id is not None:
            for name in POPULATION_FIELDS[:5]:
                setattr(measure, name, "")
        if measure.kind != "performance":
            measure.aspect = ""
        if measure.kind != "systems_change":
            measure.condition, measure.milestones = "", []
        return super().save(commit)


class PinForm(UswdsForm):
    """Pin a population indicator's baseline from one loaded release."""

    release = forms.ChoiceField(
        label="Release",
        required=False,
        help_text="A release of the Mobility Metrics loaded on this server; the current one "
        "is chosen first.",
    )
    year = forms.IntegerField(
        label="Year",
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text="Left empty, the latest year the release publishes for this measure.",
        error_messages={"invalid": "Year: give a year such as 2021, or leave it empty."},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = baseline_store.release_options()
        release = self.fields["release"]
        assert isinstance(release, forms.ChoiceField)
        release.choices = options
        self.initial.setdefault("release", baseline_store.default_release())
        # a name typed into the address that is not loaded is refused on the field itself
        release.error_messages["invalid_choice"] = (
            "Release: “%(value)s” is not loaded on this server; choose one of the loaded releases."
        )


class DecisionForm(UswdsForm):
    """Keep or re-base a baseline that a later release revised."""

    compare = forms.CharField(widget=forms.HiddenInput, max_length=40)
    decision = forms.ChoiceField(
        label="Decision", choices=vocab.BASELINE_DECISIONS, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Why (recorded with the decision)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def _number(value: Any, label: str) -> float:
    try:
        number = float(str(value).strip().replace(",", ""))
    except ValueError:
        raise forms.ValidationError(f"{label}: give a number.") from None
    if not math.isfinite(number):
        raise forms.ValidationError(f"{label}: give a finite number.")
    return number


def _parameter(label: str, help_text: str, max_length: int = 20) -> forms.CharField:
    """A target method's parameter, as typed (read as a number by :meth:`TargetForm.clean`)."""
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text)


def proposed(
    form: forms.BaseForm, measure: Measure, baseline: Baseline, data: dict[str, Any]
) -> TargetProposal | None:
    """The target the method and parameters of ``data`` propose from ``baseline``, or None
    with the refusal on the form's field it names (else on ``method``)."""
    try:
        proposal = target_store.propose(measure, baseline, data)
    except TargetError as problem:
        field = problem.field if problem.field in form.fields else "method"
        form.add_error(field, problem.message[:1].upper() + problem.message[1:])
        return None
    if proposal.refused:
        form.add_error("method", proposal.refused)
        return None
    return proposal


class TargetForm(UswdsForm):
    """Set a target by one of the methods; its parameters are read by method."""

    method = forms.ChoiceField(
        label="Method", choices=vocab.TARGET_METHODS, widget=forms.RadioSelect
    )
    percent = _parameter(
        "Percent improvement (for a percent improvement)",
        "For example 10 for a 10% improvement in the measure's good direction.",
    )
    benchmark = forms.ChoiceField(
        label="Benchmark (for reaching a benchmark)",
        required=False,
        choices=[("", "Choose a benchmark"), *vocab.BENCHMARK_SCOPES],
    )
    other_group = _parameter(
        "Compared group (for closing a gap)",
        "The group the gap is closed toward; left empty, the measure's compared group or "
        f"{priority_store.TOTAL}.",
        80,
    )
    share = _parameter(
        "Share of the gap to close, in percent (for closing a gap)",
        "For example 50 to close half the gap.",
    )
    value = _parameter(
        "Target value (for a value the coalition chooses)",
        "In the measure's unit: a share as a decimal (0.42 for 42%), dollars as a number of "
        "dollars of the baseline's year.",
        30,
    )
    confirm = forms.BooleanField(
        label="I confirm this target although the data could not detect it (owner only)",
        required=False,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        method = data.get("method")
        needed = {"percent": "percent", "benchmark": "benchmark", "gap": "share", "value": "value"}
        for name in ("percent", "share", "value"):
            raw = data.get(name)
            if raw not in (None, ""):
                try:
                    data[name] = _number(raw, self.fields[name].label.split(" (")[0])
                except forms.ValidationError as problem:
                    self.add_error(name, problem)
            else:
                data[name] = None
        field = needed.get(method or "")
        if field and data.get(field) in (None, "") and field not in self.errors:
            self.add_error(
                field, f"{self.fields[field].label.split(' (')[0]}: needed for this method."
            )
        return data


def variable_of(measure: Measure) -> Any:
    return get_catalog().variable(measure.variable)


class OfMeasureForm(UswdsModelForm):
    """A record of one of this workspace's measures, as the API adds it (a baseline, a
    target): the measure is chosen among the workspace's own."""

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        measure = self.fields["measure"]
        assert isinstance(measure, forms.ModelChoiceField)
        measure.queryset = Measure.objects.filter(workspace=workspace)

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        return super().save(commit)


class BaselineRecordForm(OfMeasureForm):
    """A baseline as the API adds it: the measure, the release (empty: the current one) and
    the year (empty: the latest it publishes); the cell's value, CI and quality are read
    from that release, never sent."""

    release = forms.CharField(required=False, max_length=40)
    year = forms.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)

    class Meta:
        model = Baseline
        fields = ("measure",)
        error_messages = {"measure": {"invalid_choice": NOT_HERE.format("measures")}}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        measure = data.get("measure")
        if measure is None or self.errors:
            return data
        if Baseline.objects.filter(measure=measure).exists():
            self.add_error("measure", "This measure already has a baseline: pin it again on "
                                      "its page, or delete it first.")  # fmt: skip
            return data
        try:
            ref, cell = baseline_store.check_pin(
                measure, data.get("release") or "", data.get("year")
            )
        except baseline_store.BaselineRefused as problem:
            for name, message in problem.errors.items():
                self.add_error(name if name in ("release", "year") else "measure", message)
            return data
        for name, value in baseline_store.baseline_fields(measure, ref, cell).items():
            setattr(self.instance, name, value)
        return data


class TargetRecordForm(OfMeasureForm):
    """A target as the API sets it: the measure (kept on a change), the method and its
    parameters; value, minimum detectable change and words are computed, never sent. A
    target inside the noise is confirmed by an owner afterwards (its page, or the API's
    confirmation)."""

    class Meta:
        model = Target
        fields = ("measure",)
        error_messages = {"measure": {"invalid_choice": NOT_HERE.format("measures")}}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, workspace=workspace, **kwargs)
        self.parameters = TargetForm(self.data if self.is_bound else None)
        # the method's fields are this form's too, so that a refusal names its field
        for name in PARAMETERS:
            self.fields[name] = copy.deepcopy(TargetForm.base_fields[name])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        measure = data.get("measure")
        if measure is None or self.errors:
            return data
        if not self.parameters.is_valid():
            for name, messages in self.parameters.errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else "method", message)
            return data
        baseline = Baseline.objects.filter(measure=measure).first()
        if problem := target_store.no_target_reason(baseline):
            self.add_error("measure", problem)
            return data
        assert baseline is not None
        if self.instance.pk is None and Target.objects.filter(measure=measure).exists():
            self.add_error("measure", "This measure already has a target: change that one.")
            return data
        params = self.parameters.cleaned_data
        proposal = proposed(self, measure, baseline, params)
        if proposal is None:
            return data
        fields = target_store.target_fields(baseline, params, proposal, None)
        for name, value in fields.items():
            setattr(self.instance, name, value)
        return data
