"""A bounded cache of finished public pages, kept gzipped, per warehouse.

A profile page depends only on its address and the warehouse, which never changes once
built; rebuilding one costs about 30 ms of CPU. Pages served to anonymous visitors are
kept (gzipped, about 27 KB each) for the warehouse in use; a new release is a new
warehouse object, so its pages are built afresh. Signed-in visitors, other methods and
responses that set cookies are never cached.
"""

from __future__ import annotations

import gzip
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from upward.data.warehouse import Warehouse, WarehouseMissing
from upward.web.data import get_warehouse, on_new_warehouse

MAX_PAGES = int(os.environ.get("UPWARD_PAGE_CACHE_PAGES", "2048"))
"""Pages kept per process (0 turns the cache off). 2048 pages take about 55 MB at 27 KB
each, and hold the default view of about half of all counties and cities."""


@dataclass(frozen=True)
class KeptPage:
    body: bytes
    """Gzipped."""
    content_type: str


_lock = threading.Lock()
_kept: weakref.WeakKeyDictionary[Warehouse, OrderedDict[str, KeptPage]] = (
    weakref.WeakKeyDictionary()
)

View = Callable[..., HttpResponse]


def _cacheable(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return request.method in ("GET", "HEAD") and not (user and user.is_authenticated)


def _serve(request: HttpRequest, page: KeptPage) -> HttpResponse:
    if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
        response = HttpResponse(page.body, content_type=page.content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(page.body), content_type=page.content_type)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def cache_public_page(view: View) -> View:
    """Serve a kept copy of ``view``'s page to anonymous visitors of the same address."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if MAX_PAGES <= 0 or not _cacheable(request):
            return view(request, *args, **kwargs)
        try:
            warehouse = get_warehouse()
        except WarehouseMissing:  # (or outdated): the view answers with its own page
            return view(request, *args, **kwargs)
        key = request.get_full_path()
        with _lock:
            pages = _kept.get(warehouse)
            page = pages.get(key) if pages is not None else None
            if page is not None and pages is not None:
                pages.move_to_end(key)
        if page is not None:
            return _serve(request, page)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        kept = KeptPage(gzip.compress(response.content, 6), response["Content-Type"])
        with _lock:
            pages = _kept.setdefault(warehouse, OrderedDict())
            pages[key] = kept
            while len(pages) > MAX_PAGES:
                pages.popitem(last=False)
        return response

    return wrapped


@on_new_warehouse
def forget_pages() -> None:
    """Drop every kept page (a new warehouse is in use; tests; benchmarks)."""
    with _lock:
        _kept.clear()
