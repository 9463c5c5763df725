"""API: the releases of Urban's files that are loaded, and which one answers by default.

Any address of the API takes ``?release=NAME`` to answer from another loaded release.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from upward.explore.library import RegistryError, loaded_releases
from upward.web.api.errors import ApiError
from upward.web.api.schemas import ErrorOut

router = Router(tags=["releases"])


class ReleaseOut(Schema):
    name: str
    current: bool
    loaded_at: str
    source: str
    version: str
    checksum: str
    files: int
    files_left_out: int
    cells: int
    places: int


class ReleasesOut(Schema):
    current: str | None
    items: list[ReleaseOut]


@router.get(
    "/releases",
    response={200: ReleasesOut, 503: ErrorOut},
    summary="The loaded releases (use a name as ?release= on any address)",
)
def releases(request: HttpRequest) -> dict[str, Any]:
    try:
        entries, current = loaded_releases()
    except RegistryError as exc:
        raise ApiError(503, "Releases unavailable", str(exc)) from exc
    items = [{**e.as_dict(), "current": e.name == current} for e in entries]
    return {"current": current, "items": items}
