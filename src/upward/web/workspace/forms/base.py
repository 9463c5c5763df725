"""USWDS classes and accessible error wiring for every workspace form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.html import escape
from django.utils.safestring import mark_safe

from upward.planning.name import name_key
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import VersionField

WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    # MultiPicker (below) is a CheckboxSelectMultiple, so it is styled as one
    forms.CheckboxSelectMultiple: "usa-checkbox__input",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.RadioSelect: "usa-radio__input",
    forms.Textarea: "usa-textarea",
    forms.Select: "usa-select",
    forms.ClearableFileInput: "usa-file-input__input",
    forms.FileInput: "usa-file-input__input",
    Input: "usa-input",
}


def _class_for(widget: forms.Widget) -> str:
    for kind, css in WIDGET_CLASSES.items():
        if isinstance(widget, kind):
            return css
    return ""


class UswdsMixin:
    """Adds USWDS classes to widgets; after validation marks fields with errors."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = _class_for(widget)
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}_hint"  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            described = [f"id_{self.add_prefix(name)}_error"]  # type: ignore[attr-defined]
            if self.fields[name].help_text:
                described.append(f"id_{self.add_prefix(name)}_hint")  # type: ignore[attr-defined]
            widget.attrs["aria-describedby"] = " ".join(described)
            widget.attrs["aria-invalid"] = "true"
            if isinstance(widget, Input | forms.Textarea | forms.Select):
                css = widget.attrs.get("class", "")
                if "usa-input--error" not in css:
                    widget.attrs["class"] = f"{css} usa-input--error".strip()


class UswdsForm(UswdsMixin, forms.Form):
    pass


class UswdsModelForm(UswdsMixin, forms.ModelForm):
    pass


class VersionedModelForm(UswdsModelForm):
    """A ModelForm for an existing record that carries the version it was read at."""

    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version
        if self.instance.pk is None:
            self.fields["version"].required = False


class NamedRecordForm(VersionedModelForm):
    """A record a workspace owns under a name unique in it (a stakeholder, a workgroup, a
    peer set): saved into ``workspace``; a name another record of the kind has there is
    refused, compared as the database's constraint compares (by ``name_key``)."""

    name_taken = "Another record already has this name."

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def unique_name(self, name: str) -> str:
        """``name``, unless another record of this kind in the workspace has it."""
        records = type(self.instance)._default_manager.filter(workspace=self.workspace)
        if records.filter(name_key=name_key(name)).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(self.name_taken)
        return name

    def save(self, commit: bool = True) -> Any:
        self.instance.workspace = self.workspace
        return super().save(commit)


def checkboxes(choices: Any, label: str, help_text: str = "") -> forms.MultipleChoiceField:
    """An optional choice of several, shown as checkboxes."""
    return forms.MultipleChoiceField(
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
    )


def folded(value: str, required: str = "") -> str:
    """``value`` with each run of white space made one space; when it is then empty,
    ``required`` (if given) is the message that refuses it."""
    text = " ".join(value.split())
    if required and not text:
        raise forms.ValidationError(required)
    return text


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FastSelectMixin:
    """Render <select> options in Python: Django's per-option templates take about 0.4 ms
    each, which is 400 ms for the member lists of a 500-stakeholder coalition."""

    allow_multiple_selected: bool
    choices: Any

    def render(  # type: ignore[no-untyped-def]
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None
    ) -> str:
        final = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = {str(v) for v in self.format_value(value)}  # type: ignore[attr-defined]
        parts = [f"<select{flatatt(final)}>"]
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(option_value)}">')
                parts.extend(self._option(v, text, chosen) for v, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, chosen))
        parts.append("</select>")
        return mark_safe("".join(parts))  # every piece is escaped above

    @staticmethod
    def _option(value: Any, label: Any, chosen: set[str]) -> str:
        key = "" if value is None else str(value)
        selected = " selected" if key in chosen else ""
        return f'<option value="{escape(key)}"{selected}>{escape(label)}</option>'


class FastSelect(FastSelectMixin, forms.Select):
    pass


class MultiPicker(forms.CheckboxSelectMultiple):
    """The one widget for choosing several from a long list (advisory group members,
    workgroup members): a group of checkboxes, chosen ones first, that works without
    script; with ``picker.js``, a filter box above it narrows the list as you type and the
    chosen ones are shown as chips, each a button that removes it. ``_field.html`` wraps it
    in a fieldset whose legend is the field's label.

    Rendered in Python like :class:`FastSelectMixin`, for lists of hundreds."""

    def render(  # type: ignore[no-untyped-def]
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None
    ) -> str:
        final = self.build_attrs(self.attrs, attrs)
        base_id = str(final.pop("id", None) or f"id_{name}")
        final.pop("aria-describedby", None)  # on the fieldset, not on each box
        final.pop("required", None)
        chosen = {str(v) for v in self.format_value(value)}
        boxes = [
            (str("" if v is None else v), str(label)) for v, label in self.choices if str(v) != ""
        ]
        boxes.sort(key=lambda box: box[0] not in chosen)  # chosen first, else in order
        parts = [
            f'<div class="upward-picker" data-picker id="{escape(base_id)}_picker">',
            f'<div class="upward-picker__filter" data-picker-filter hidden>'
            f'<label class="usa-label" for="{escape(base_id)}_filter">Filter the list</label>'
            f'<input class="usa-input" type="search" id="{escape(base_id)}_filter" '
            f'autocomplete="off" spellcheck="false" aria-controls="{escape(base_id)}_list">'
            f'<p class="usa-hint upward-picker__status" data-picker-status aria-live="polite">'
            f"</p></div>",
            '<ul class="upward-picker__chips" data-picker-chips hidden></ul>',
            f'<div class="upward-picker__list" id="{escape(base_id)}_list" data-picker-list>',
        ]
        for index, (key, label) in enumerate(boxes):
            box_id = f"{base_id}_{index}"
            checked = " checked" if key in chosen else ""
            parts.append(
                f'<div class="usa-checkbox" data-picker-item><input type="checkbox"'
                f"{flatatt({**final, 'id': box_id, 'name': name, 'value': key})}{checked}>"
                f'<label class="usa-checkbox__label" for="{escape(box_id)}">{escape(label)}'
                f"</label></div>"
            )
        if not boxes:
            parts.append('<p class="upward-meta">Nothing to choose from yet.</p>')
        parts.append("</div></div>")
        return mark_safe("".join(parts))  # every piece is escaped above

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_filter" if id_ else id_
