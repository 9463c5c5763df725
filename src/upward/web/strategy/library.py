"""The strategy libraries: the shared one (the starter set kept in step with
``planning/strategies.yaml``, and what operators add in the admin) and a coalition's own,
into which it adopts a shared strategy with its evidence."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from upward.planning.name import name_key
from upward.planning.strategy_library import starter_strategies
from upward.web.strategy.models import SharedStrategy, Strategy
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace


def sync_starter_library(**_signal: Any) -> int:
    """Upsert the starter set by slug (a ``post_migrate`` receiver; also run by tests).
    A starter strategy removed from the file is made inactive, never deleted, so the
    coalitions that adopted it keep their copy and its origin. Returns how many changed."""
    starters = starter_strategies()
    changed = 0
    with transaction.atomic():
        for s in starters:
            fields = {
                "name": s.name,
                "summary": s.summary,
                "pillar": s.pillar,
                "predictors": list(s.predictors),
                "conditions": list(s.conditions),
                "evidence_level": s.evidence_level,
                "evidence_note": s.evidence_note,
                "sources": [source.as_dict() for source in s.sources],
                "origin": "starter",
                "active": True,
            }
            row = SharedStrategy.objects.filter(slug=s.slug).first()
            if row is None:
                SharedStrategy.objects.create(slug=s.slug, **fields)
                changed += 1
            elif any(getattr(row, k) != v for k, v in fields.items()):
                SharedStrategy.objects.filter(pk=row.pk).update(**fields)
                changed += 1
        retired = SharedStrategy.objects.filter(origin="starter", active=True).exclude(
            slug__in=[s.slug for s in starters]
        )
        changed += retired.update(active=False)
    return changed


def shared_strategies(pillar: str = "", evidence: str = "") -> QuerySet[SharedStrategy]:
    """The shared library's active strategies, of one pillar or evidence level if given."""
    rows = SharedStrategy.objects.filter(active=True)
    if pillar:
        rows = rows.filter(pillar=pillar)
    if evidence:
        rows = rows.filter(evidence_level=evidence)
    return rows


def adopted_copies(workspace: Workspace) -> dict[int, int]:
    """The shared strategies the workspace adopted: shared id -> the id of its copy."""
    rows = Strategy.objects.filter(workspace=workspace, adopted_from__isnull=False)
    return dict(rows.values_list("adopted_from_id", "pk"))


class AdoptionRefused(ValueError):
    """The coalition's library already holds a strategy of that name."""


def adopt(workspace: Workspace, shared: SharedStrategy, user: Any) -> Strategy:
    """Copy a shared strategy, with its evidence and predictors, into the workspace's
    library (the copy is the coalition's to edit; ``adopted_from`` keeps its origin)."""
    if Strategy.objects.filter(workspace=workspace, name_key=name_key(shared.name)).exists():
        raise AdoptionRefused(
            f"Your library already has a strategy named “{shared.name}”. Rename yours first, "
            "or edit it instead of adopting again."
        )
    try:
        with transaction.atomic():
            strategy = Strategy.objects.create(
                workspace=workspace,
                name=shared.name,
                description=shared.summary,
                evidence_level=shared.evidence_level,
                evidence_note=shared.evidence_note,
                sources=shared.sources,
                predictors=shared.predictors,
                adopted_from=shared,
                updated_by=user,
            )
            record(workspace, user, "adopted", f"strategy “{strategy}”", "from the shared library")
    except IntegrityError:  # the same name saved by a simultaneous request
        raise AdoptionRefused(
            f"Your library already has a strategy named “{shared.name}”."
        ) from None
    return strategy
