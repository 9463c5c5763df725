"""JSON error objects for every way an API request can fail; never HTML, never a traceback.

Every error body is ``{"error": {"status": ..., "title": ..., "message": ...}}``. The
library's typed errors get the problems the pages get, in the same words
(:func:`upward.web.problem.problem_for`). Ninja's 422 for a parameter that fails
validation becomes a 400 whose message names the parameter, says what it must be and
echoes what was sent; 422 is kept for a request that fits the OpenAPI document but that
the data cannot answer (see params.py).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from upward.web.api.params import HINTS
from upward.web.json_output import StrictJsonResponse
from upward.web.problem import LIBRARY_ERRORS, Problem, not_found, problem_for, server_error
from upward.web.render import json_response

log = logging.getLogger(__name__)

ApiError = Problem
"""An API route's own refusal: ``raise ApiError(status, title, message)``."""


def error_json(status: int, title: str, message: str) -> StrictJsonResponse:
    return json_response(Problem(status, title, message).as_dict(), status=status)


def problem_json(problem: Problem) -> StrictJsonResponse:
    return json_response(problem.as_dict(), status=problem.status)


def _problem(error: dict[str, Any], name: str) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("literal_error", "string_pattern_mismatch") and name in HINTS:
        return HINTS[name]
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    if kind == "missing":
        return "is required"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long"
    if kind == "string_pattern_mismatch":
        return "has the wrong form"
    return str(error.get("msg", "is not valid")).lower()


def _sent(request: HttpRequest, source: str, name: str) -> str | None:
    if source == "query":
        return request.GET.get(name)
    if source == "path" and request.resolver_match is not None:
        value = request.resolver_match.kwargs.get(name)
        return None if value is None else str(value)
    return None


def describe_validation(request: HttpRequest, errors: list[dict[str, Any]]) -> str:
    """'Parameter 'limit' must be at most 100, not '500'.' for each failing parameter."""
    sentences = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        source, name = (loc[0], loc[-1]) if len(loc) > 1 else ("query", loc[0] if loc else "?")
        text = f"Parameter '{name}' {_problem(error, name)}"
        sent = _sent(request, source, name)
        if sent is not None and error.get("type") != "missing":
            text += f", not '{sent}'"
        sentences.append(text + ".")
    return " ".join(dict.fromkeys(sentences))


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API (replacing ninja's defaults)."""

    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_json(400, "Bad parameter", describe_validation(request, exc.errors))

    def library_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        problem = problem_for(exc, api=True)
        return unexpected(request, exc) if problem is None else problem_json(problem)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_json(exc.status_code, "Request failed", str(exc))

    def nothing_here(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_json(not_found())

    def unreadable(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # Django reads a form body for the CSRF check, before any view; a multipart
        # Content-Type without a boundary (say) fails there.
        return error_json(
            400,
            "Unreadable body",
            f"The body does not match its Content-Type ({exc}); send JSON as application/json.",
        )

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API request %s failed", request.path, exc_info=exc)
        return problem_json(server_error())

    handlers: list[tuple[type[Exception], Any]] = [
        (ValidationError, validation),
        *((error, library_error) for error in LIBRARY_ERRORS),
        (HttpError, http_error),
        (MultiPartParserError, unreadable),
        (Http404, nothing_here),
        (Exception, unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
