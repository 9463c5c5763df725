"""Local data forms: a series' metadata with its quality rubric, the upload of a new
series, and the replacement of a series' data by a new file."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.planning import local_data as rules
from upward.planning.knowledge import DIRECTIONS
from upward.web.knowledge.models import LocalSeries
from upward.web.workspace.forms.base import MultiPicker, NamedRecordForm, UswdsForm, folded
from upward.web.workspace.forms.stakeholders import predictor_choices
from upward.web.workspace.versioning import VersionField

UNIT_HINT = (
    "For example: share (0 to 1), percent, dollars, or a rate's words such as "
    "'per 100,000 people'. A local value is set beside a national one only in the same unit."
)
FILE_HINT = "CSV (UTF-8) or XLSX, at most 10 MB and 100,000 rows. See the file format below."


def _rubric_field(question: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=question, choices=rules.RUBRIC_ANSWERS, widget=forms.RadioSelect, required=True
    )


class LocalSeriesForm(NamedRecordForm):
    """A series' metadata and its rubric; the rubric's answers give its quality."""

    name_taken = "Another local series of this workspace has this name."

    predictors = forms.MultipleChoiceField(
        choices=predictor_choices,
        required=False,
        widget=MultiPicker,
        label="Predictors it informs",
        help_text="The series is shown beside these predictors' national metrics.",
    )
    documented = _rubric_field(dict(rules.RUBRIC)["documented"])
    coverage = _rubric_field(dict(rules.RUBRIC)["coverage"])
    precision = _rubric_field(dict(rules.RUBRIC)["precision"])
    recent = _rubric_field(dict(rules.RUBRIC)["recent"])

    class Meta:
        model = LocalSeries
        fields = ("name", "description", "unit", "direction", "source", "predictors")
        labels = {"source": "Source (who collected it, and how)"}
        help_texts = {"unit": UNIT_HINT}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = list(DIRECTIONS)  # type: ignore[attr-defined]
        if self.instance.pk is not None and not self.is_bound:
            for key, _question in rules.RUBRIC:
                self.initial[key] = (self.instance.rubric or {}).get(key)

    def clean_name(self) -> str:
        return self.unique_name(folded(self.cleaned_data["name"], "A name is required."))

    def clean_unit(self) -> str:
        return folded(self.cleaned_data["unit"], "A unit is required.")

    def save(self, commit: bool = True) -> Any:
        answers = {key: self.cleaned_data[key] for key, _question in rules.RUBRIC}
        self.instance.rubric = answers
        self.instance.quality = rules.rate_quality(answers)
        return super().save(commit)


class LocalUploadForm(LocalSeriesForm):
    """A new series: its file and its metadata."""

    field_order = ("file",)

    file = forms.FileField(label="Data file (CSV or XLSX)", help_text=FILE_HINT)

    def clean_file(self) -> Any:
        return check_file(self.cleaned_data.get("file"))


def check_file(upload: Any) -> Any:
    if upload is None:
        raise forms.ValidationError("Choose a CSV or XLSX file.")
    if upload.size > rules.MAX_BYTES:
        raise forms.ValidationError("The file is larger than 10 MB.")
    if not upload.name.casefold().endswith((".csv", ".xlsx", ".txt")):
        raise forms.ValidationError("Upload a .csv or .xlsx file.")
    return upload


class LocalReplaceForm(UswdsForm):
    """A new file for a series whose metadata stays; carries the version it was read at."""

    file = forms.FileField(label="New data file (CSV or XLSX)", help_text=FILE_HINT)
    version = VersionField()

    def clean_file(self) -> Any:
        return check_file(self.cleaned_data.get("file"))
