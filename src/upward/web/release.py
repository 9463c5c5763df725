"""``?release=NAME`` on any page or API address: answer from that loaded release.

:class:`ReleaseMiddleware` resolves the name once per request and keeps that release for
the request (:func:`upward.explore.use_release`), so :func:`upward.explore.current`
returns it. Without the parameter, requests read the current release. An unknown name is
a 404 (a malformed one a 400) naming the releases that are loaded, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from upward import explore
from upward.explore import RegistryError, UnknownRelease
from upward.web.explorer.errors import error_response


class ReleaseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        name = request.GET.get("release")
        if name is None or name == "":
            return self.get_response(request)
        try:
            release = explore.named_release(name)
        except UnknownRelease as exc:
            return error_response(request, 404, "Release not loaded", str(exc))
        except ValueError as exc:
            return error_response(request, 400, "Not a release name", str(exc))
        except RegistryError:
            return error_response(
                request, 503, "Releases unavailable", "The list of releases cannot be read."
            )
        with explore.use_release(name, release):
            return self.get_response(request)
