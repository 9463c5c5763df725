"""The codebook every workspace starts with: the 24 predictors and the six conditions of
systems change as ``Code`` rows, added when the workspace is created (a signal; migration
0002 added them to the workspaces that existed before), beside the coalition's own codes.
Reading a codebook never writes; :func:`ensure_codebook` runs on creation and on the
writes that need a built-in code."""

from __future__ import annotations

from typing import Any

from upward.catalog import get_catalog
from upward.planning.knowledge import SYSTEMS_CONDITIONS
from upward.web.knowledge.models import Code
from upward.web.workspace.models import Workspace


def builtin_codes() -> list[tuple[str, str, str]]:
    """(kind, ref, name) of every built-in code, in the codebook's order."""
    wanted = [("predictor", p.id, p.label) for p in get_catalog().predictors]
    return wanted + [("condition", cid, label) for cid, label in SYSTEMS_CONDITIONS]


def codebook_for_new_workspace(
    sender: Any, instance: Workspace, created: bool, **kwargs: Any
) -> None:
    """``post_save`` of a workspace: a new one gets the built-in codes (not when loading
    fixtures, ``raw``)."""
    if created and not kwargs.get("raw"):
        ensure_codebook(instance)


def ensure_codebook(workspace: Workspace) -> None:
    """Add any missing built-in code (one query when none is missing)."""
    wanted = builtin_codes()
    have = set(
        Code.objects.filter(workspace=workspace).exclude(kind="custom").values_list("kind", "ref")
    )
    missing = [
        Code(workspace=workspace, kind=kind, ref=ref, name=name)
        for kind, ref, name in wanted
        if (kind, ref) not in have
    ]
    if missing:
        Code.objects.bulk_create(missing, ignore_conflicts=True)


def builtin_code(workspace: Workspace, kind: str, ref: str) -> Code:
    """The workspace's code for predictor or condition ``ref`` (created when missing)."""
    ensure_codebook(workspace)
    return Code.objects.get(workspace=workspace, kind=kind, ref=ref)
