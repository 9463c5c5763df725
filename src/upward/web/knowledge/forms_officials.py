"""Forms of the officials roster, the representation page's place, and the public
self-identification survey."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from upward.planning.descriptive import PUBLIC, SELF, UNKNOWN
from upward.planning.knowledge import IDENTITY_SOURCES, RACE_GROUPS
from upward.web.knowledge.models import Official
from upward.web.knowledge.officials_store import DECLINED
from upward.web.workspace.forms.base import UswdsForm, VersionedModelForm, date_widget, folded
from upward.web.workspace.models import Workspace

RACE_CHOICES = [("", "Unknown"), *RACE_GROUPS]


class SuggestingInput(forms.TextInput):
    """A text box that suggests names already in use (a ``<datalist>``; typing anything
    else still works), so officials of one body are entered under one name."""

    def __init__(self, names: list[str], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.names = names

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        list_id = f"{(attrs or {}).get('id') or 'id_' + name}_suggestions"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = "".join(format_html('<option value="{}">', n) for n in self.names)
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, mark_safe(options))


class OfficialForm(VersionedModelForm):
    """One elected official (a seat on a governing body)."""

    race = forms.ChoiceField(
        choices=RACE_CHOICES,
        required=False,
        label="Race and ethnicity",
        help_text="The four groups Urban publishes residents' shares for. Leave Unknown "
        "until the official tells you or a public source reports it.",
    )
    identity_source = forms.ChoiceField(
        choices=IDENTITY_SOURCES,
        initial=UNKNOWN,
        widget=forms.RadioSelect,
        label="How the race and ethnicity was obtained",
    )

    class Meta:
        model = Official
        fields = (
            "name",
            "office",
            "body",
            "term_start",
            "term_end",
            "contact",
            "race",
            "identity_source",
            "identity_date",
            "identity_note",
        )
        labels = {
            "body": "Governing body",
            "term_start": "Term starts",
            "term_end": "Term ends",
            "contact": "Public contact",
            "identity_date": "Date obtained",
            "identity_note": "Source",
        }
        help_texts = {
            "body": "Officials with the same body name are counted together, e.g. City "
            "Council or County Board.",
            "contact": "An office email, phone or web page the public can use.",
            "identity_note": "Where it was found or how it was given, e.g. the council's "
            "web page, or the survey.",
        }
        error_messages = {
            "name": {"required": "A name is required."},
            "office": {"required": "The office is required."},
            "body": {"required": "The governing body is required."},
        }
        widgets = {"term_start": date_widget(), "term_end": date_widget(),
                   "identity_date": date_widget()}  # fmt: skip

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        bodies = Official.objects.filter(workspace=workspace).values_list("body", flat=True)
        old = self.fields["body"].widget
        self.fields["body"].widget = SuggestingInput(sorted(set(bodies)), attrs=old.attrs)

    def clean_name(self) -> str:
        return folded(self.cleaned_data["name"])

    def clean_office(self) -> str:
        return folded(self.cleaned_data["office"])

    def clean_body(self) -> str:
        """Squeezed, so "City  Council" and "City Council" are one body."""
        return folded(self.cleaned_data["body"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", "The term cannot end before it starts.")
        race, source = data.get("race", ""), data.get("identity_source")
        if race and source == UNKNOWN:
            self.add_error(
                "identity_source",
                "Say how this race and ethnicity was obtained: self-identified or publicly "
                "reported (or set it back to Unknown).",
            )
        if source == PUBLIC and not race:
            self.add_error("race", "A publicly reported identity needs its group.")
        if source == PUBLIC and not folded(data.get("identity_note", "")):
            self.add_error("identity_note", "Name the public source it was reported in.")
        if source in (SELF, PUBLIC) and not data.get("identity_date"):
            self.add_error("identity_date", "Give the date it was obtained.")
        return data

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        return super().save(commit)


class PlaceForm(UswdsForm):
    """Which of the workspace's places the residents' shares come from."""

    place = forms.ChoiceField(label="Compare with the residents of")

    def __init__(self, *args: Any, places: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places


SURVEY_CHOICES = [
    ("black_nonhispanic", _("Black or African American, not Hispanic or Latino")),
    ("hispanic", _("Hispanic or Latino, of any race")),
    ("white_nonhispanic", _("White, not Hispanic or Latino")),
    (
        "other",
        _(
            "Another race, or more than one race, not Hispanic or Latino (for example "
            "Asian, American Indian or Alaska Native, Native Hawaiian or Pacific Islander)"
        ),
    ),
    (DECLINED, _("I prefer not to say")),
]
assert {c for c, _label in SURVEY_CHOICES} == {g for g, _l in RACE_GROUPS} | {DECLINED}


class SurveyForm(UswdsForm):
    """The self-identification question (its words are translated)."""

    race = forms.ChoiceField(
        choices=SURVEY_CHOICES,
        widget=forms.RadioSelect,
        label=_("Which of these describes your race and ethnicity?"),
        error_messages={"required": _("Choose one answer, or “I prefer not to say”.")},
    )
