"""Stakeholder inventory forms: one record, filters, and CSV import."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.catalog import get_catalog
from upward.planning import stakeholder as vocab
from upward.planning.engagement import COMMUNITIES
from upward.planning.stakeholder_csv import COLUMNS as CSV_COLUMNS
from upward.planning.stakeholder_csv import validate_phone
from upward.web.workspace.forms.base import NamedRecordForm, UswdsForm, checkboxes, folded
from upward.web.workspace.models import Stakeholder

MAX_UPLOAD_BYTES = 1_000_000


def pillar_choices() -> list[tuple[str, str]]:
    return [(p.id, p.label) for p in get_catalog().pillars]


def predictor_choices() -> list[tuple[str, str]]:
    catalog = get_catalog()
    return [(p.id, f"{p.label} ({catalog.pillar(p.pillar_id).label})") for p in catalog.predictors]


class StakeholderForm(NamedRecordForm):
    name_taken = "This name is already in the inventory."

    pillars = checkboxes(pillar_choices, "Pillars they work on")
    predictors = checkboxes(predictor_choices, "Predictors they work on")
    communities = checkboxes(
        COMMUNITIES,
        "Communities they work with",
        "Used to suggest partners who can reach groups an engagement heard less from.",
    )

    class Meta:
        model = Stakeholder
        fields = (*CSV_COLUMNS, "communities")  # the CSV's fields, in its order, and more
        labels = {
            "kind": "Organization or person",
            "organization": "Organization (for a person)",
            "relationship": "Current relationship",
            "invitation_status": "Invitation",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self) -> str:
        return self.unique_name(folded(self.cleaned_data["name"], "A name is required."))

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        message = validate_phone(phone)
        if message:
            raise forms.ValidationError(message)
        return phone


def _with_any(choices: Any, any_label: str) -> list[tuple[str, str]]:
    return [("", any_label), *list(choices)]


class StakeholderFilterForm(UswdsForm):
    q = forms.CharField(required=False, max_length=100, label="Name contains")
    sector = forms.ChoiceField(required=False, choices=_with_any(vocab.SECTORS, "Any sector"))
    pillar = forms.ChoiceField(required=False, label="Pillar")
    role = forms.ChoiceField(required=False, choices=_with_any(vocab.ROLES, "Any role"))
    invitation_status = forms.ChoiceField(
        required=False, label="Invitation", choices=_with_any(vocab.INVITATION_STATUSES, "Any")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pillar = self.fields["pillar"]
        assert isinstance(pillar, forms.ChoiceField)
        pillar.choices = _with_any(pillar_choices(), "Any pillar")


IMPORT_MODES = (
    ("add", "Add new stakeholders only: a name already in the inventory is a problem"),
    (
        "update",
        "Add new stakeholders and update the ones already in the inventory, "
        "matched by name (for a file exported from here and edited)",
    ),
)


class StakeholderImportForm(UswdsForm):
    field_order = ("file", "text", "mode")

    file = forms.FileField(
        required=False,
        label="CSV file",
        help_text="UTF-8 CSV, at most 1 MB. Download the current inventory to see the format.",
    )
    mode = forms.ChoiceField(
        label="What to do with names already in the inventory",
        choices=IMPORT_MODES,
        initial="add",
        required=False,  # none chosen: add only, as before the choice existed
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        required=False,
        label="Or paste CSV text",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_UPLOAD_BYTES,
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return ""
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text. In a spreadsheet, save as 'CSV UTF-8'."
            ) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("file") and not cleaned.get("text", "").strip():
            self.add_error("file", "Choose a CSV file or paste CSV text.")
        return cleaned

    @property
    def update_existing(self) -> bool:
        return self.cleaned_data.get("mode") == "update"

    def csv_text(self) -> str:
        return str(self.cleaned_data.get("file") or self.cleaned_data.get("text") or "")
