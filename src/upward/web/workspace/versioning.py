"""Optimistic concurrency: a save is refused when the record changed since it was read.

Forms carry the version they were rendered from. :func:`save_versioned` bumps the
version with a conditional ``UPDATE ... WHERE version = <expected>`` inside a transaction,
so of two people saving the same version only the first succeeds, on SQLite and
PostgreSQL alike; the second gets :class:`StaleVersion` and is shown the newer record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import F


class StaleVersion(Exception):
    """Someone else saved the record after the form was rendered."""


def claim_version(model: type[models.Model], pk: Any, expected: int) -> int:
    """Move the record from ``expected`` to the next version, or raise StaleVersion.

    Call inside ``transaction.atomic()``; the row stays locked until the transaction ends.
    """
    updated = model._default_manager.filter(pk=pk, version=expected).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise StaleVersion
    return expected + 1


def save_versioned(form: forms.ModelForm, expected: int, user: Any) -> models.Model:
    """Save a bound, valid ModelForm of an existing record, checking its version."""
    instance = form.instance
    with transaction.atomic():
        new_version = claim_version(type(instance), instance.pk, expected)
        obj = form.save(commit=False)
        obj.version = new_version
        if user is not None and getattr(user, "is_authenticated", False):
            obj.updated_by = user
        obj.save()
        form.save_m2m()
    return obj


def delete_versioned(instance: models.Model, expected: int) -> None:
    with transaction.atomic():
        deleted, _ = (
            type(instance)._default_manager.filter(pk=instance.pk, version=expected).delete()
        )
        if not deleted:
            raise StaleVersion


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


@dataclass(frozen=True)
class Difference:
    label: str
    yours: str
    saved: str


def _shown(field: forms.BoundField, value: Any) -> str:
    if value in (None, "", [], ()):
        return "(empty)"
    choices = dict(getattr(field.field, "choices", []) or [])
    flat: dict[str, str] = {}
    for key, text in choices.items():
        if isinstance(text, list | tuple):
            flat.update({str(k): str(t) for k, t in text})
        else:
            flat[str(key)] = str(text)
    if isinstance(value, list | tuple):
        return ", ".join(flat.get(str(v), str(v)) for v in value)
    if isinstance(field.field, forms.BooleanField):
        return "yes" if value in (True, "on", "true", "True") else "no"
    return flat.get(str(value), str(value))


def _norm(value: Any) -> object:
    return sorted(map(str, value)) if isinstance(value, list | tuple) else str(value or "")


def differences(submitted: forms.BaseForm, fresh: forms.BaseForm) -> list[Difference]:
    """The fields where the unsaved submission differs from the record as now saved."""
    out = []
    for name, field in fresh.fields.items():
        if name == "version" or field.widget.is_hidden:
            continue
        theirs, mine = fresh[name].value(), submitted[name].value()
        if isinstance(field, forms.BooleanField):
            theirs = bool(theirs)
            mine = field.widget.value_from_datadict(
                submitted.data, submitted.files, submitted.add_prefix(name)
            )
        if _norm(theirs) != _norm(mine):
            out.append(
                Difference(
                    str(field.label or name),
                    _shown(submitted[name], mine),
                    _shown(fresh[name], theirs),
                )
            )
    return out
