"""The API's two versioned writes of a workspace record, one way for every route: save a
valid form, or delete a record, only if nobody saved a newer version meanwhile; log it
("through the API"); answer 200 / 204, or the route's own 409 conflict answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db import models, transaction
from django.http import HttpRequest
from ninja import Status

from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import StaleVersion, delete_versioned, save_versioned
from upward.web.workspace.views.common import record_label

THROUGH_API = "through the API"


def save_or_conflict(
    request: HttpRequest,
    workspace: Workspace,
    form: forms.ModelForm,
    version: int,
    out: Callable[[Any], Any],
    conflict: Callable[[], Any],
) -> Any:
    """Save ``form`` (valid) over ``version``: 200 with ``out(saved)``, else ``conflict()``."""
    try:
        with transaction.atomic():
            obj = save_versioned(form, version, request.user)
            record(workspace, request.user, "edited", record_label(obj), THROUGH_API)
    except StaleVersion:
        return conflict()
    return Status(200, out(obj))


def delete_or_conflict(
    request: HttpRequest,
    workspace: Workspace,
    instance: models.Model,
    version: int,
    conflict: Callable[[], Any],
    also: Callable[[], None] | None = None,
) -> Any:
    """Delete ``instance`` at ``version`` (and run ``also`` in the same transaction): 204,
    else ``conflict()``."""
    label = record_label(instance)
    try:
        with transaction.atomic():
            delete_versioned(instance, version)
            record(workspace, request.user, "deleted", label, THROUGH_API)
            if also is not None:
                also()
    except StaleVersion:
        return conflict()
    return Status(204, None)
