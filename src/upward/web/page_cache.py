"""A bounded cache of finished public pages, kept gzipped, in the release they show.

A profile page depends only on its address and the release, which never changes once
built; rebuilding one costs about 30 ms of CPU. Pages served to anonymous visitors are
kept (gzipped, about 37 KB each) in the ``pages`` store of the release that answered
(:meth:`upward.explore.Release.keep`), so a new release starts with none and an old
one's go with it. The request that builds a page is answered with that gzipped copy
too, when it accepts gzip, rather than compressed a second time by the gzip middleware
(about 3 ms at its level 6). Signed-in visitors, other methods and responses that set cookies are
never cached.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from upward import explore
from upward.explore import ReleaseMissing
from upward.web.context import STATIC_SITE

MAX_PAGES = int(os.environ.get("UPWARD_PAGE_CACHE_PAGES", "2048"))
"""Pages kept per release (0 turns the cache off). 2048 pages take about 75 MB at 37 KB
each, and hold the default view of about half of all counties and cities."""
GZIP_LEVEL = 2
"""How hard a kept page is compressed. A profile (210 KB) takes 1.3 ms to 37 KB at level
2 against 3.0 ms to 30 KB at level 6, on the request that first shows the page."""
STORE = "pages"
"""The release's store that holds them."""
KEPT_HEADERS = ("Content-Disposition", "Content-Security-Policy", "Vary", "Content-Language")
"""A kept page's own headers, served with it again (a download's file name, an embeddable
page's frame policy, the language it was chosen by)."""


@dataclass(frozen=True)
class KeptPage:
    body: bytes
    """Gzipped."""
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()
    """Headers the page is served with again (:data:`KEPT_HEADERS` it had)."""


View = Callable[..., HttpResponse]


def _cacheable(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if getattr(request, STATIC_SITE, False):  # the static site's copy differs from the page
        return False
    return request.method in ("GET", "HEAD") and not (user and user.is_authenticated)


def _accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


def _serve(request: HttpRequest, page: KeptPage) -> HttpResponse:
    if _accepts_gzip(request):
        response = HttpResponse(page.body, content_type=page.content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(page.body), content_type=page.content_type)
    for header, value in page.headers:
        if header == "Vary":
            patch_vary_headers(response, [v.strip() for v in value.split(",")])
        else:
            response[header] = value
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def kept_response(
    request: HttpRequest, key: Hashable, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page kept under ``key`` in the current release for an anonymous visitor, or
    ``build()`` (kept when it is a plain 200). ``key`` names everything the page depends on
    besides the release (its address, say, or a published version and a language)."""
    if MAX_PAGES <= 0 or not _cacheable(request):
        return build()
    try:
        release = explore.current()
    except ReleaseMissing:  # (or outdated): the view answers with its own page
        return build()
    page = release.cache.get(STORE, key)
    if page is not None:
        return _serve(request, page)
    response = build()
    if response.status_code != 200 or response.cookies or response.streaming:
        return response
    headers = tuple((h, response[h]) for h in KEPT_HEADERS if response.has_header(h))
    kept = KeptPage(gzip.compress(response.content, GZIP_LEVEL), response["Content-Type"], headers)
    release.cache.put(STORE, key, kept, MAX_PAGES)
    if _accepts_gzip(request):  # the copy just made, rather than compressing it again
        response.content = kept.body
        response["Content-Encoding"] = "gzip"
        patch_vary_headers(response, ("Accept-Encoding",))
    return response


def cache_public_page(view: View) -> View:
    """Serve a kept copy of ``view``'s page to anonymous visitors of the same address."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return kept_response(
            request, request.get_full_path(), lambda: view(request, *args, **kwargs)
        )

    return wrapped


def kept_pages() -> int:
    """How many pages the releases held by this process keep now (tests)."""
    return sum(release.cache.size(STORE) for release in explore.held())


def forget_pages() -> None:
    """Drop every kept page of every release held (tests; benchmarks)."""
    explore.forget(STORE)
