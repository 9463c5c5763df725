"""Forms of the community input section: the editors' form setup (title, intro and up to
ten questions, each in English and Spanish, with an optional predictor) and the public,
anonymous answer form built from a form's questions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from upward.web.knowledge.community_store import (
    MAX_ANSWER_CHARS,
    MAX_QUESTIONS,
    new_public_id,
    question_text,
)
from upward.web.knowledge.models import InputForm
from upward.web.workspace.forms.base import FastSelect, VersionedModelForm, folded
from upward.web.workspace.forms.stakeholders import predictor_choices
from upward.web.workspace.models import Workspace

QUESTION_MAX_CHARS = 500
HONEYPOT = "website"
"""The honeypot field's name: a name bots like to fill."""


def _row(i: int, name: str) -> str:
    return f"q{i}_{name}"


class InputFormForm(VersionedModelForm):
    """One community input form: its words in two languages, its questions, open or not."""

    class Meta:
        model = InputForm
        fields = ("title", "title_es", "intro", "intro_es", "is_open")
        labels = {
            "title": "Title (English)",
            "title_es": "Title (Spanish)",
            "intro": "Introduction (English)",
            "intro_es": "Introduction (Spanish)",
            "is_open": "Open: the public link accepts answers",
        }
        help_texts = {
            "title_es": "Shown to people who choose Español; the English title when empty.",
            "intro": "A few sentences: who is asking, why, and what happens with the answers.",
            "intro_es": "Shown in Spanish; the English introduction when empty.",
        }
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "intro_es": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        choices = [("", "No predictor"), *predictor_choices()]
        existing = list(self.instance.questions or [])
        for i in range(1, MAX_QUESTIONS + 1):
            self.fields[_row(i, "text")] = forms.CharField(
                required=False, max_length=QUESTION_MAX_CHARS, label=f"Question {i} (English)"
            )
            self.fields[_row(i, "text_es")] = forms.CharField(
                required=False, max_length=QUESTION_MAX_CHARS, label=f"Question {i} (Spanish)"
            )
            self.fields[_row(i, "predictor")] = forms.ChoiceField(
                required=False,
                choices=choices,
                label=f"Question {i}: predictor its answers are coded to",
                widget=FastSelect(attrs={"class": "usa-select"}),
            )
            if i <= len(existing) and not self.is_bound:
                question = existing[i - 1]
                for name in ("text", "text_es", "predictor"):
                    self.initial[_row(i, name)] = question.get(name, "")
        for name in ("text", "text_es"):
            for i in range(1, MAX_QUESTIONS + 1):
                self.fields[_row(i, name)].widget.attrs.setdefault("class", "usa-input")

    def question_rows(self) -> list[list[forms.BoundField]]:
        """The bound fields of each question row, in order (for the template)."""
        return [
            [self[_row(i, name)] for name in ("text", "text_es", "predictor")]
            for i in range(1, MAX_QUESTIONS + 1)
        ]

    def clean_title(self) -> str:
        return folded(self.cleaned_data["title"], "A title is required.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        existing = list(self.instance.questions or [])
        used = {str(q.get("id")) for q in existing}
        questions = []
        for i in range(1, MAX_QUESTIONS + 1):
            text = folded(str(data.get(_row(i, "text")) or ""))
            text_es = folded(str(data.get(_row(i, "text_es")) or ""))
            predictor = str(data.get(_row(i, "predictor")) or "")
            if not (text or text_es or predictor):
                continue
            if not text:
                self.add_error(
                    _row(i, "text"), "Write the question in English (it is the default)."
                )
                continue
            qid = str(existing[i - 1].get("id")) if i <= len(existing) else ""
            if not qid:
                qid = _new_id(used)
                used.add(qid)
            questions.append({"id": qid, "text": text, "text_es": text_es, "predictor": predictor})
        if not questions and not self.errors:
            self.add_error(_row(1, "text"), "Ask at least one question.")
        self.questions = questions
        return data

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        self.instance.questions = self.questions
        if not self.instance.public_id:
            self.instance.public_id = new_public_id()
        return super().save(commit)


def _new_id(used: set[str]) -> str:
    n = 1
    while f"q{n}" in used:
        n += 1
    return f"q{n}"


def answer_field(question: dict[str, Any]) -> str:
    return f"answer_{question['id']}"


class PublicAnswerForm(forms.Form):
    """The public form: one optional text box per question, in the active language, and
    the honeypot. Build it inside :func:`~upward.web.knowledge.i18n.public_language`."""

    def __init__(self, *args: Any, questions: list[dict[str, Any]], language: str, **kw: Any):
        super().__init__(*args, **kw)
        self.questions = questions
        for question in questions:
            self.fields[answer_field(question)] = forms.CharField(
                required=False,
                strip=True,
                label=question_text(question, language),
                widget=forms.Textarea(
                    attrs={"rows": 4, "class": "usa-textarea", "maxlength": MAX_ANSWER_CHARS}
                ),
            )
        self.fields[HONEYPOT] = forms.CharField(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(
                attrs={"tabindex": "-1", "autocomplete": "off", "class": "usa-input"}
            ),
        )

    def answers(self) -> dict[str, str]:
        return {
            str(q["id"]): str(self.cleaned_data.get(answer_field(q)) or "") for q in self.questions
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(str(data.get(answer_field(q)) or "").strip() for q in self.questions):
            raise forms.ValidationError(_("Please answer at least one question."))
        return data


def raw_answers(post: Any, questions: list[dict[str, Any]]) -> dict[str, str]:
    """The answers as sent, before any cleaning (for the size limits)."""
    return {str(q["id"]): str(post.get(answer_field(q), "")) for q in questions}
