"""The Summary of Findings form: title, introduction, the ordered priority predictors and
one text per priority; it carries the version it was read at (0: no summary saved yet)."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.catalog import get_catalog
from upward.web.knowledge.findings_store import (
    DEFAULT_TITLE,
    MAX_PRIORITIES,
    MAX_SECTION,
    SummaryContent,
)
from upward.web.workspace.forms.base import UswdsForm

PRIORITY = "priority_{}"
SECTION = "section_{}"


def predictor_choices() -> list[tuple[str, Any]]:
    catalog = get_catalog()
    groups: list[tuple[str, Any]] = [("", "(none)")]
    for pillar in catalog.pillars:
        groups.append(
            (pillar.label, [(pid, catalog.predictor(pid).label) for pid in pillar.predictor_ids])
        )
    return groups


def priorities_from(data: Any) -> list[str]:
    """The valid, distinct predictor ids in the priority slots of ``data``, in order."""
    known = {p.id for p in get_catalog().predictors}
    sent = [data.get(PRIORITY.format(n), "") for n in range(1, MAX_PRIORITIES + 1)]
    return [p for p in dict.fromkeys(sent) if p in known]


class SummaryForm(UswdsForm):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    title = forms.CharField(max_length=200, initial=DEFAULT_TITLE)
    introduction = forms.CharField(
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text; leave a blank line between paragraphs.",
    )

    def __init__(self, *args: Any, predictors: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalog = get_catalog()
        choices = predictor_choices()
        for n in range(1, MAX_PRIORITIES + 1):
            self.fields[PRIORITY.format(n)] = forms.ChoiceField(
                label=f"Priority {n}",
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "usa-select"}),
            )
        self.predictors = predictors
        for pid in predictors:
            self.fields[SECTION.format(pid)] = forms.CharField(
                label=f"Section: {catalog.predictor(pid).label}",
                required=False,
                max_length=MAX_SECTION,
                widget=forms.Textarea(attrs={"rows": 10, "class": "usa-textarea"}),
            )

    @classmethod
    def initial_for(
        cls,
        version: int,
        title: str,
        introduction: str,
        predictors: list[str],
        sections: dict[str, str],
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": version, "title": title, "introduction": introduction}
        for n, pid in enumerate(predictors[:MAX_PRIORITIES], start=1):
            initial[PRIORITY.format(n)] = pid
        for pid in predictors:
            initial[SECTION.format(pid)] = sections.get(pid, "")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, int] = {}
        for n in range(1, MAX_PRIORITIES + 1):
            pid = data.get(PRIORITY.format(n))
            if not pid:
                continue
            if pid in seen:
                self.add_error(
                    PRIORITY.format(n),
                    f"This repeats priority {seen[pid]}; choose another or none.",
                )
            seen.setdefault(pid, n)
        return data

    def content(self) -> SummaryContent:
        data = self.cleaned_data
        return SummaryContent(
            data["title"].strip(),
            data.get("introduction", "").strip(),
            list(self.predictors),
            {p: (data.get(SECTION.format(p)) or "").strip() for p in self.predictors},
        )
