"""Limits on what a request to the JSON API may send, checked before anything reads it.

* A body larger than ``settings.UPWARD_API_MAX_BODY_BYTES`` (default 1 MiB, from the
  environment variable of the same name) gets 413, judged by its Content-Length, so the
  body is never read. (Without a Content-Length Django reads no body at all.)
* A JSON body nested deeper than :data:`MAX_JSON_DEPTH` arrays or objects gets 400
  before any JSON parser recurses into it (100,000 brackets would exhaust the stack).

Both answers are the API's JSON error object. Pages are not affected: their forms have
Django's own limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``) and their own error pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from upward.web.api.errors import error_json

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
API_PREFIX = "/api/"
STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)  # a JSON string, even unclosed
BRACKET = re.compile(rb"[\[\]{}]")


def max_body_bytes() -> int:
    return int(getattr(settings, "UPWARD_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Does the text nest arrays and objects deeper than ``limit``? Brackets inside JSON
    strings do not count; the scan is linear and never recurses."""
    depth = 0
    for match in BRACKET.finditer(STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth = max(0, depth - 1)
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
        if size and json_depth_exceeds(request.body, MAX_JSON_DEPTH):
            return error_json(
                400,
                "Bad request body",
                f"The JSON body nests arrays or objects deeper than {MAX_JSON_DEPTH} levels; "
                "nothing was read.",
            )
        return None
