"""Limits on what a request to the JSON API may send, checked before any view reads it.

* A body larger than ``settings.UPWARD_API_MAX_BODY_BYTES`` (default 1 MiB, from the
  environment variable of the same name) gets 413, judged by its Content-Length, so the
  body is never read. (Without a Content-Length Django reads no body at all.)
* A JSON body nested too deeply to parse (100,000 brackets, say) gets 400. The check is
  Python's own C parser, which refuses nesting deeper than the interpreter's recursion
  limit (about 1,000 levels) with RecursionError instead of exhausting the stack; a
  1 MiB body parses in milliseconds. Any other JSON problem is left to the view, which
  names it.

Both answers are the API's JSON error object. Pages are not affected: their forms have
Django's own limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``) and their own error pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from upward.web.api.errors import error_json

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
API_PREFIX = "/api/"
FEW_BRACKETS = 500  # well below the recursion limit (1,000) less the stack in use


def max_body_bytes() -> int:
    return int(getattr(settings, "UPWARD_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def nested_too_deeply(body: bytes) -> bool:
    """Is this JSON text nested too deeply for any parser in this process to read?

    A body with fewer than :data:`FEW_BRACKETS` opening brackets cannot be (the usual
    case, decided without parsing); any other is parsed once here."""
    if body.count(b"[") + body.count(b"{") < FEW_BRACKETS:
        return False
    try:
        json.loads(body)
    except RecursionError:
        return True
    except (ValueError, UnicodeDecodeError):
        return False  # not JSON (or not UTF-8): the view says what is wrong
    return False


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class ApiRequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(API_PREFIX):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def refusal(request: HttpRequest) -> HttpResponseBase | None:
        size, limit = _declared_length(request), max_body_bytes()
        if size > limit:
            return error_json(
                413,
                "Request too large",
                f"The request body is {size} bytes; the API accepts at most {limit} bytes "
                "(UPWARD_API_MAX_BODY_BYTES).",
            )
        if size and nested_too_deeply(request.body):
            return error_json(
                400,
                "Bad request body",
                "The JSON body nests arrays or objects too deeply to read (about 1,000 "
                "levels at most); nothing was read.",
            )
        return None
