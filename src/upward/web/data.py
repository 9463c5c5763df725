"""The release as the web app sees it: one per request, followed across release switches.

Which release a process answers from, how a switch is noticed and how an old release is
closed once no request uses it are the release facade's (:mod:`upward.explore.holder`).
:class:`WarehouseMiddleware` checks once per request and keeps that release for the
whole request; views call :func:`get_release` (or :func:`upward.explore.current`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse

from upward import explore
from upward.explore import Release

if TYPE_CHECKING:  # the type only, for the tests' and benchmarks' raw queries
    from upward.explore.release import Warehouse


def get_release() -> Release:
    """The release of this request (``?release=NAME``, or the current one)."""
    return explore.current()


def get_warehouse() -> Warehouse:
    """The warehouse under this request's release (tests and benchmarks query it)."""
    return explore.current().warehouse


class WarehouseMiddleware:
    """Check for a new release once per request and keep that one for the whole request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with explore.serving():  # none loaded: pages that need one say so themselves
            return self.get_response(request)


def reset() -> None:
    """Close and forget the open release (tests point UPWARD_WAREHOUSE elsewhere)."""
    explore.reset()
