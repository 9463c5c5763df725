"""API: the releases of Urban's files that are loaded, and which one answers by default.

Any address of the API takes ``?release=NAME`` to answer from another loaded release.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from upward.explore.library import RegistryError, loaded_releases
from upward.explore.shapes import ReleasesOut, releases_out
from upward.web.api.errors import ApiError
from upward.web.api.schemas import ErrorOut

router = Router(tags=["releases"])


@router.get(
    "/releases",
    response={200: ReleasesOut, 503: ErrorOut},
    summary="The loaded releases (use a name as ?release= on any address)",
)
def releases(request: HttpRequest) -> ReleasesOut:
    try:
        entries, current = loaded_releases()
    except RegistryError as exc:
        raise ApiError(503, "Releases unavailable", str(exc)) from exc
    return releases_out(entries, current)
