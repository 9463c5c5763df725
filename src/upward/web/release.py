"""``?release=NAME`` on any page or API address: answer from that loaded release.

:class:`ReleaseMiddleware` resolves the name through the release registry once per
request and pins that release's warehouse for the request; ``web.data.get_warehouse``
returns the pinned one. Without the parameter, requests read the current release. An
unknown name is a 404 (a malformed one a 400) naming the releases that are loaded,
never a 500. Each release's file never changes once built, so its connection is kept
per file for the life of the process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponseBase

from upward import config
from upward.data.registry import Registry, RegistryError, UnknownRelease, check_release_name
from upward.data.warehouse import Warehouse
from upward.web.explorer.errors import error_response

_pinned: ContextVar[tuple[str, Warehouse] | None] = ContextVar("upward_release", default=None)
_lock = threading.Lock()
_open: dict[str, Warehouse] = {}


def pinned_warehouse() -> Warehouse | None:
    """The warehouse of the release this request named, if it named one."""
    pinned = _pinned.get()
    return pinned[1] if pinned else None


def pinned_release() -> str | None:
    """The release this request named (``?release=``), if any."""
    pinned = _pinned.get()
    return pinned[0] if pinned else None


def release_warehouse(name: str) -> Warehouse:
    """A read-only warehouse on release ``name`` (kept per release file)."""
    path = Registry(config.warehouse_path()).path(check_release_name(name))
    key = str(path)
    with _lock:
        warehouse = _open.get(key)
        if warehouse is None:
            warehouse = _open[key] = Warehouse(path)
        return warehouse


class ReleaseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        name = request.GET.get("release")
        if name is None or name == "":
            return self.get_response(request)
        try:
            warehouse = release_warehouse(name)
        except ValueError as exc:
            return error_response(request, 400, "Not a release name", str(exc))
        except UnknownRelease as exc:
            return error_response(request, 404, "Release not loaded", str(exc))
        except RegistryError:
            return error_response(
                request, 503, "Releases unavailable", "The list of releases cannot be read."
            )
        token = _pinned.set((name, warehouse))
        try:
            return self.get_response(request)
        finally:
            _pinned.reset(token)
