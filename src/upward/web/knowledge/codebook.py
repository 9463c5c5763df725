"""The codebook every workspace starts with: the 24 predictors and the six conditions of
systems change, added to a workspace's ``Code`` rows the first time they are needed (the
coalition's own codes sit beside them)."""

from __future__ import annotations

from upward.catalog import get_catalog
from upward.planning.knowledge import SYSTEMS_CONDITIONS
from upward.web.knowledge.models import Code
from upward.web.workspace.models import Workspace


def ensure_codebook(workspace: Workspace) -> None:
    """Add any missing built-in code (safe to call on every request; one query when done)."""
    wanted = [("predictor", p.id, p.label) for p in get_catalog().predictors]
    wanted += [("condition", cid, label) for cid, label in SYSTEMS_CONDITIONS]
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
