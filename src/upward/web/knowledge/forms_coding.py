"""Forms of coded findings: an own code, a note, an excerpt (a passage and its codes),
the excerpt browser's filters, and the codebook import."""

from __future__ import annotations

from typing import Any

from django import forms

from upward.planning import coding as rules
from upward.planning import knowledge as vocab
from upward.planning.name import name_key
from upward.web.knowledge.coding_store import code_choices
from upward.web.knowledge.models import Code, Engagement, Excerpt, Note
from upward.web.workspace.forms.base import FastSelect, UswdsForm, VersionedModelForm, folded
from upward.web.workspace.models import Stakeholder, Workspace

MAX_UPLOAD_BYTES = 1_000_000


class CodeForm(VersionedModelForm):
    """One of the coalition's own codes; built-in codes are not edited."""

    class Meta:
        model = Code
        fields = ("name", "parent", "description")
        labels = {"parent": "Sits under", "name": "Code"}
        help_texts = {"parent": f"Blank for a top-level code; codes nest {rules.MAX_DEPTH} deep."}
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "parent": FastSelect}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.codes = list(Code.objects.filter(workspace=workspace, kind="custom"))
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Code.objects.filter(workspace=workspace, kind="custom")
        tree = rules.code_tree(rules.CodeNode(c.pk, c.name, c.parent_id) for c in self.codes)
        parent.choices = [("", "(top level)")] + [
            (row.node.id, row.path) for row in tree if row.node.id != self.instance.pk
        ]
        parent.empty_label = "(top level)"

    def clean_name(self) -> str:
        name = folded(self.cleaned_data["name"])
        if problem := rules.name_problem(name):
            raise forms.ValidationError(problem)
        key = name_key(name)
        others = Code.objects.filter(workspace=self.workspace).exclude(pk=self.instance.pk)
        for other in others.only("name", "kind"):
            if name_key(other.name) == key:
                kind = "a built-in code" if other.kind != "custom" else "another own code"
                raise forms.ValidationError(f"This name is already {kind} in the codebook.")
        return name

    def clean_parent(self) -> Code | None:
        parent = self.cleaned_data.get("parent")
        parents = {c.pk: c.parent_id for c in self.codes}
        problem = rules.parent_problem(parents, self.instance.pk, parent.pk if parent else None)
        if problem:
            raise forms.ValidationError(problem)
        return parent

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        self.instance.kind = "custom"
        self.instance.ref = ""
        return super().save(commit)


DELETE_CHOICES = (
    ("reparent", "Keep its child codes: move them up to this code's parent"),
    ("delete", "Delete its child codes too (their excerpts lose those codes)"),
)


class CodeDeleteForm(UswdsForm):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    children = forms.ChoiceField(
        choices=DELETE_CHOICES,
        initial="reparent",
        required=False,
        widget=forms.RadioSelect,
        label="What happens to its child codes",
    )


class NoteForm(VersionedModelForm):
    class Meta:
        model = Note
        fields = (
            "title",
            "kind",
            "engagement",
            "stakeholder",
            "text",
            "attribution_consent",
            "attributed_to",
        )
        labels = {
            "engagement": "From engagement",
            "stakeholder": "Interview with stakeholder",
            "attribution_consent": "The speaker agreed to be named",
            "attributed_to": "Name to show (only with consent)",
        }
        help_texts = {
            "attributed_to": "Without consent, exports and quotes say Anonymous.",
            "text": "Paste the notes or transcript; you code passages of it next.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 14}),
            "engagement": FastSelect,
            "stakeholder": FastSelect,
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        engagement = self.fields["engagement"]
        stakeholder = self.fields["stakeholder"]
        assert isinstance(engagement, forms.ModelChoiceField)
        assert isinstance(stakeholder, forms.ModelChoiceField)
        engagement.queryset = Engagement.objects.filter(workspace=workspace)
        engagement.empty_label = "(none)"
        stakeholder.queryset = Stakeholder.objects.filter(workspace=workspace).order_by("name")
        stakeholder.empty_label = "(none)"

    def clean_title(self) -> str:
        return folded(self.cleaned_data["title"], "A note needs a title.")

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("A note needs its text.")
        if self.instance.pk:
            lost = [e for e in self.instance.excerpts.all() if not rules.find_passage(text, e.text)]
            if lost:
                shown = "; ".join(f"“{e!s}”" for e in lost[:3])
                raise forms.ValidationError(
                    f"{len(lost)} coded excerpt(s) would no longer be in the text ({shown}). "
                    "Keep those passages, or delete the excerpts first."
                )
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        consent = data.get("attribution_consent")
        name = folded(data.get("attributed_to") or "")
        if consent and not name:
            self.add_error("attributed_to", "With consent, give the name to show.")
        data["attributed_to"] = name if consent else ""
        return data

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        return super().save(commit)

    def _save_m2m(self) -> None:  # after the note is saved, in the same transaction
        super()._save_m2m()
        reanchor(self.instance)


def reanchor(note: Note) -> None:
    """Move each excerpt to where its passage now is (the occurrence nearest the old one)."""
    for excerpt in note.excerpts.all():
        spans = rules.find_passage(note.text, excerpt.text)
        if not spans:
            continue
        best = min(spans, key=lambda s: abs(s.start - excerpt.start))
        if (best.start, best.end) != (excerpt.start, excerpt.end):
            Excerpt.objects.filter(pk=excerpt.pk).update(start=best.start, end=best.end)


class CodesField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, required=False, label="Codes", **kwargs)


def _code_ids(workspace: Workspace) -> list[tuple[int, str]]:
    """Every code, predictors by pillar, then conditions, then own codes by path."""
    return [item for _group, items in code_choices(workspace) for item in items]


class ExcerptForm(UswdsForm):
    """A passage of the note (pasted, or selected with the script) and its codes."""

    passage = forms.CharField(
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Passage",
        help_text="Paste the exact words from the note (or select them in the note above).",
    )
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    occurrence = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    codes = CodesField()
    is_quote = forms.BooleanField(required=False, label="A quote to show beside the numbers")
    memo = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Memo"
    )

    def __init__(self, *args: Any, note: Note, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.note = note
        codes = self.fields["codes"]
        assert isinstance(codes, forms.ChoiceField)
        codes.choices = _code_ids(note.workspace)
        self.occurrences: list[rules.Span] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        passage = data.get("passage")
        if not passage:
            return data
        text = self.note.text
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None:
            problem = rules.check_span(text, start, end, passage)
            if problem is None:
                span = rules.trim_span(text, rules.Span(start, end))
                data["span"] = span
                return data
        spans = rules.find_passage(text, passage)
        if not spans:
            self.add_error("passage", "This passage is not in the note; paste its exact words.")
        elif len(spans) == 1:
            data["span"] = spans[0]
        elif data.get("occurrence") is not None and data["occurrence"] < len(spans):
            data["span"] = spans[data["occurrence"]]
        else:
            self.occurrences = spans
            self.add_error(
                "passage",
                f"This passage occurs {len(spans)} times in the note; choose which one below.",
            )
        if not data.get("codes") and not self.errors:
            self.add_error("codes", "Tick at least one code.")
        return data


class ExcerptEditForm(VersionedModelForm):
    codes = CodesField()

    class Meta:
        model = Excerpt
        fields = ("codes", "is_quote", "memo")
        labels = {"is_quote": "A quote to show beside the numbers"}
        widgets = {"memo": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = self.fields["codes"]
        assert isinstance(codes, forms.ChoiceField)
        codes.choices = _code_ids(workspace)
        if self.instance.pk and not self.is_bound:
            self.initial["codes"] = [c.pk for c in self.instance.codes.all()]

    def clean_codes(self) -> list[int]:
        codes = self.cleaned_data["codes"]
        if not codes:
            raise forms.ValidationError("Tick at least one code (or delete the excerpt).")
        return codes

    def _save_m2m(self) -> None:
        super()._save_m2m()
        self.instance.codes.set(self.cleaned_data["codes"])


def _any(choices: Any, label: str) -> list[tuple[Any, str]]:
    return [("", label), *list(choices)]


class ExcerptFilterForm(UswdsForm):
    code = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Code")
    kind = forms.ChoiceField(required=False, choices=_any(vocab.NOTE_KINDS, "Any kind"))
    engagement = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Engagement"
    )

    def __init__(self, *args: Any, workspace: Workspace, code_labels: list[tuple[int, str]],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        engagement = self.fields["engagement"]
        assert isinstance(code, forms.ChoiceField)
        assert isinstance(engagement, forms.ChoiceField)
        code.choices = _any(code_labels, "Any code")
        code.widget = FastSelect(attrs={"class": "usa-select"}, choices=code.choices)
        engagement.choices = _any(
            Engagement.objects.filter(workspace=workspace).values_list("pk", "title"),
            "Any engagement",
        )


class CodebookImportForm(UswdsForm):
    file = forms.FileField(
        required=False,
        label="CSV file",
        help_text="Columns code, parent, description; UTF-8, at most 1 MB.",
    )
    text = forms.CharField(
        required=False,
        label="Or paste CSV text",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_UPLOAD_BYTES,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError("The file is over 1 MB.")
            try:
                data["csv"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError("The file is not UTF-8 text.") from None
        elif data.get("text", "").strip():
            data["csv"] = data["text"]
        else:
            raise forms.ValidationError("Choose a CSV file or paste its text.")
        return data
