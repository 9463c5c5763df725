"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from upward.explore import CITATION, WarehouseMissing

STATIC_SITE = "upward_static_site"
"""The request attribute that marks a page rendered for the static site (web/static_site):
its templates leave out what needs the server (search, forms, workspaces, the API)."""


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": "Upward", "source_citation": source_citation(),
            "static_site": getattr(request, STATIC_SITE, False)}  # fmt: skip


def source_citation() -> str:
    """The citation with the release the page reads (``?release=`` or the current one)."""
    from upward import explore

    try:
        release = explore.current()
    except WarehouseMissing:
        return f"{CITATION} (2025 data round)"
    name = explore.chosen_release()
    if name and not release.release_name:  # a file loaded before names were recorded
        return f"{CITATION}, release {name}: {release.version}"
    return release.citation
