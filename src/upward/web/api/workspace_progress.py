"""API: progress on a release (issue 14, part 4): each population indicator of the
workspace's measurement plan, its pinned baseline beside the latest value of the same cell
in a loaded release (``release``, default the current one), with its target and status in
honest words. The rows are those of the progress page and ``upward plan progress``
(:class:`upward.web.measurement.progress_store.PlanProgress`). A release that is not loaded
is 404; reading changes nothing."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from upward.explore.library import RELEASE_NAME
from upward.web.api.errors import ApiError
from upward.web.api.workspace_auth import READ_ERRORS, W, WorkspaceMember, workspace_of
from upward.web.measurement import progress_store, refresh_store
from upward.web.measurement.progress_store import PlanProgress
from upward.web.measurement.refresh_store import RefreshOut

router = Router(tags=["workspaces"], auth=WorkspaceMember())


@router.get(
    W + "/progress",
    response={200: PlanProgress, **READ_ERRORS},
    summary="Each indicator's progress on a loaded release: baseline, latest, target, status",
)
def get_progress(
    request: HttpRequest,
    slug: str,
    release: str | None = Query(
        None,
        max_length=40,
        pattern=f"^{RELEASE_NAME.pattern}$",
        description=(
            "A loaded release (default: the current one; see /api/releases): an unknown "
            "name is a 404, a malformed one a 400"
        ),
    ),
) -> PlanProgress:
    try:
        return progress_store.plan_progress(workspace_of(request), release)
    except progress_store.UnknownProgressRelease as refused:
        raise ApiError(404, "Release not loaded", str(refused)) from None


@router.get(
    W + "/progress/refreshes",
    response={200: list[RefreshOut], **READ_ERRORS},
    summary="The latest refreshes of the workspace's progress, one per release, newest first",
)
def get_progress_refreshes(request: HttpRequest, slug: str) -> list[RefreshOut]:
    return refresh_store.refreshes(workspace_of(request))
