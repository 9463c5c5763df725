"""The activity log: who changed what, and when."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from upward.web.workspace.models import Activity, Workspace


def record(
    workspace: Workspace,
    user: AbstractBaseUser | AnonymousUser | None,
    verb: str,
    target: str,
    detail: str = "",
) -> Activity:
    """Add one line to the workspace's activity log (call inside the change's transaction)."""
    actor = user if user is not None and user.is_authenticated else None
    name = actor.get_username() if actor is not None else "someone"
    return Activity.objects.create(
        workspace=workspace,
        actor=actor,
        actor_name=name,
        verb=verb,
        target=str(target)[:300],
        detail=detail[:4000],
    )
