"""JSON error objects for every way an API request can fail; never HTML, never a traceback.

Every error body is ``{"error": {"status": ..., "title": ..., "message": ...}}``. Ninja's
422 for a parameter that fails validation becomes a 400 whose message names the
parameter, says what it must be and echoes what was sent; 422 is kept for a request that
fits the OpenAPI document but that the data cannot answer (see params.py).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from upward.catalog import UnknownName
from upward.explore import InvalidChoice, PlaceNotFound, WarehouseMissing
from upward.web.api.params import HINTS
from upward.web.json_output import StrictJsonResponse

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


def error_json(status: int, title: str, message: str) -> StrictJsonResponse:
    body = {"error": {"status": status, "title": title, "message": message}}
    return StrictJsonResponse(body, status=status)


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


def _unknown_name(request: HttpRequest, exc: UnknownName) -> StrictJsonResponse:
    if exc.kind.startswith("variable") or exc.kind == "metric":
        message = f"There is no {exc.kind} called '{exc.name}'."
        if exc.suggestions:
            message += f" Closest matches: {', '.join(exc.suggestions)}."
        return error_json(404, f"Unknown {exc.kind.split(' ')[0]}", message)
    return error_json(400, f"Unknown {exc.kind}", str(exc))


def _place_not_found(request: HttpRequest, exc: PlaceNotFound) -> StrictJsonResponse:
    return error_json(404, "Unknown place", place_message(exc))


def place_message(exc: PlaceNotFound) -> str:
    query = exc.query
    message = (
        f"No county or city has the FIPS code {query}."
        if query.isdigit()
        else f"No county or city matches '{query}'."
    )
    if exc.suggestions:
        names = "; ".join(f"{g.display_name} ({g.geoid})" for g in exc.suggestions)
        message += f" Closest matches: {names}."
    return message


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API (replacing ninja's defaults)."""

    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_json(400, "Bad parameter", describe_validation(request, exc.errors))

    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_json(exc.status, exc.title, exc.message)

    def invalid_choice(request: HttpRequest, exc: InvalidChoice) -> HttpResponse:
        # The form was checked against the document: the data lack this year or level.
        return error_json(422, f"Not available for this {exc.parameter}", exc.message)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_json(exc.status_code, "Request failed", str(exc))

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_json(404, "Not found", "There is nothing at this address in the API.")

    def unreadable(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # Django reads a form body for the CSRF check, before any view; a multipart
        # Content-Type without a boundary (say) fails there.
        return error_json(
            400,
            "Unreadable body",
            f"The body does not match its Content-Type ({exc}); send JSON as application/json.",
        )

    def missing(request: HttpRequest, exc: WarehouseMissing) -> HttpResponse:
        return error_json(503, "No data loaded", str(exc))

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API request %s failed", request.path, exc_info=exc)
        return error_json(
            500,
            "Something went wrong",
            "The server could not complete this request. It has been logged.",
        )

    handlers: list[tuple[type[Exception], Any]] = [
        (ValidationError, validation),
        (ApiError, api_error),
        (InvalidChoice, invalid_choice),
        (UnknownName, _unknown_name),
        (PlaceNotFound, _place_not_found),
        (HttpError, http_error),
        (MultiPartParserError, unreadable),
        (Http404, not_found),
        (WarehouseMissing, missing),
        (Exception, unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
