"""Engagement forms: one engagement (with aggregate counts of participants) and the
filters of the engagement log."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from upward.planning import knowledge as vocab
from upward.planning.engagement import check_demographics
from upward.web.knowledge.models import Engagement
from upward.web.workspace.forms.base import (
    MultiPicker,
    UswdsForm,
    VersionedModelForm,
    checkboxes,
    date_widget,
    folded,
)
from upward.web.workspace.forms.stakeholders import pillar_choices, predictor_choices
from upward.web.workspace.models import Stakeholder, Workspace

LANGUAGES: tuple[vocab.Choice, ...] = (
    ("English", "English"),
    ("Spanish", "Spanish"),
    ("Hmong", "Hmong"),
    ("Somali", "Somali"),
    ("Vietnamese", "Vietnamese"),
    ("Arabic", "Arabic"),
    ("Chinese", "Chinese"),
    ("ASL", "American Sign Language"),
)
"""Offered as checkboxes; any other language is typed in."""
MAX_LANGUAGES = 20
FIRST_DATE = date(1950, 1, 1)
"""Engagements are dated from 1950 to a year ahead (planned ones may be logged early)."""
MAX_COUNT = 1_000_000
COUNT_MESSAGES = {
    "invalid": "Enter a whole number, 0 or more.",
    "min_value": "Enter a whole number, 0 or more.",
    "max_value": f"Enter a number up to {MAX_COUNT:,}.",
}
ROSTER_NOTE = (
    "Counts only: how many participants were in each group, as they described themselves. "
    "Upward keeps no list of residents' names or answers. Leave a dimension blank if it "
    "was not asked; each dimension's counts, with “not reported”, add up to at most the "
    "number of participants."
)


def demographic_fields() -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(dimension, label, [(field name, group id, group label)]) for each dimension."""
    out = []
    for dim, label, groups in vocab.DEMOGRAPHIC_DIMENSIONS:
        rows = [(f"demo_{dim}__{gid}", gid, glabel) for gid, glabel in groups]
        rows.append((f"demo_{dim}__{vocab.NOT_REPORTED}", vocab.NOT_REPORTED, "Not reported"))
        out.append((dim, label, rows))
    return out


def level_choices() -> list[tuple[str, str]]:
    return [
        (lid, f"{label}: {vocab.LEVEL_MEANINGS[lid]}") for lid, label in vocab.ENGAGEMENT_LEVELS
    ]


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
        label=label,
        error_messages=COUNT_MESSAGES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )


class EngagementForm(VersionedModelForm):
    languages = checkboxes(LANGUAGES, "Languages")
    other_languages = forms.CharField(
        required=False,
        max_length=200,
        label="Other languages",
        help_text="Separate several with commas.",
    )
    level = forms.ChoiceField(
        choices=level_choices,
        widget=forms.RadioSelect,
        label="Level on the engagement spectrum",
        help_text="How much decision-making the engagement shared with participants.",
    )
    pillars = checkboxes(pillar_choices, "Pillars it informed")
    predictors = checkboxes(predictor_choices, "Predictors it informed")

    class Meta:
        model = Engagement
        fields = (
            "title",
            "kind",
            "date",
            "location",
            "partners",
            "facilitators",
            "languages",
            "accommodations",
            "participants",
            "compensation",
            "compensation_note",
            "level",
            "pillars",
            "predictors",
            "notes",
        )
        labels = {
            "location": "Place",
            "partners": "Partners from the stakeholder inventory",
            "accommodations": "Accommodations offered",
            "participants": "Number of participants",
            "compensation": "Compensation paid to participants (dollars, total)",
            "compensation_note": "About the compensation",
        }
        help_texts = {
            "partners": "Those chosen are listed first.",
            "accommodations": "Interpretation, child care, meals, transit, accessible venue…",
            "facilitators": "Who led it.",
        }
        widgets = {
            "date": date_widget(),
            "partners": MultiPicker,
            "accommodations": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.dimension_errors: dict[str, list[str]] = {}
        partners = self.fields["partners"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = Stakeholder.objects.filter(workspace=workspace).order_by("name")
        self.fields["participants"].error_messages.update(COUNT_MESSAGES)
        compensation = self.fields["compensation"]
        assert isinstance(compensation, forms.DecimalField)
        compensation.min_value = Decimal(0)
        compensation.validators.append(_not_negative)
        self.fields["date"].error_messages["invalid"] = "Enter a date as YYYY-MM-DD."
        for _dim, _label, rows in demographic_fields():
            for name, _gid, glabel in rows:
                self.fields[name] = _count_field(glabel)
        if self.instance.pk is not None and not self.is_bound:
            self._initial_from(self.instance)
        self.order_fields([*self.Meta.fields[:7], "other_languages"])

    def _initial_from(self, engagement: Engagement) -> None:
        known = {lid for lid, _ in LANGUAGES}
        chosen = list(engagement.languages or [])
        self.initial["languages"] = [x for x in chosen if x in known]
        self.initial["other_languages"] = ", ".join(x for x in chosen if x not in known)
        for dim, _label, rows in demographic_fields():
            counts = (engagement.demographics or {}).get(dim) or {}
            for name, gid, _glabel in rows:
                if gid in counts:
                    self.initial[name] = counts[gid]

    def demographic_groups(self) -> list[dict[str, Any]]:
        """The count fields by dimension, for the template's fieldsets."""
        return [
            {
                "dimension": dim,
                "label": label,
                "fields": [self[name] for name, _gid, _gl in rows],
                "errors": self.dimension_errors.get(dim, []),
            }
            for dim, label, rows in demographic_fields()
        ]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("demo_")]

    def clean_other_languages(self) -> str:
        return folded(self.cleaned_data.get("other_languages", ""))

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        latest = timezone.now().date() + timedelta(days=366)
        if not FIRST_DATE <= day <= latest:
            raise forms.ValidationError(
                f"Enter a date from {FIRST_DATE.year} to {latest:%B %-d, %Y} (a year ahead)."
            )
        return day

    def clean_title(self) -> str:
        return folded(self.cleaned_data["title"], "A title is required.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        languages = list(cleaned.get("languages") or [])
        for extra in (cleaned.get("other_languages") or "").split(","):
            extra = extra.strip()
            if extra and extra not in languages:
                languages.append(extra)
        if len(languages) > MAX_LANGUAGES:
            self.add_error("other_languages", f"Name at most {MAX_LANGUAGES} languages.")
        cleaned["languages"] = languages
        demographics: dict[str, dict[str, int]] = {}
        for dim, _label, rows in demographic_fields():
            counts = {gid: cleaned[n] for n, gid, _gl in rows if cleaned.get(n) is not None}
            if counts:
                demographics[dim] = counts
        participants = cleaned.get("participants")
        self.dimension_errors = {}
        if participants is not None:
            self.dimension_errors = check_demographics(participants, demographics)
            for problems in self.dimension_errors.values():
                for problem in problems:
                    self.add_error(None, problem)
        cleaned["demographics"] = demographics
        return cleaned

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        self.instance.languages = self.cleaned_data["languages"]
        self.instance.demographics = self.cleaned_data["demographics"]
        return super().save(commit)


def _not_negative(value: Decimal | None) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError("Enter an amount of 0 or more.")


def _with_any(choices: Any, label: str) -> list[tuple[str, str]]:
    return [("", label), *list(choices)]


class EngagementFilterForm(UswdsForm):
    kind = forms.ChoiceField(
        required=False, choices=_with_any(vocab.ENGAGEMENT_KINDS, "Any kind"), label="Kind"
    )
    level = forms.ChoiceField(
        required=False, choices=_with_any(vocab.ENGAGEMENT_LEVELS, "Any level"), label="Level"
    )
    pillar = forms.ChoiceField(required=False, label="Pillar")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pillar = self.fields["pillar"]
        assert isinstance(pillar, forms.ChoiceField)
        pillar.choices = _with_any(pillar_choices(), "Any pillar")
