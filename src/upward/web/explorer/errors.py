"""Error pages that never show a traceback; API paths get JSON error objects."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from upward.web.json_output import StrictJsonResponse


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def error_response(
    request: HttpRequest, status: int, title: str, message: str, **context: object
) -> HttpResponse:
    if _is_api(request):
        return StrictJsonResponse(
            {"error": {"status": status, "title": title, "message": message}}, status=status
        )
    return render(
        request,
        "error.html",
        {"status": status, "title": title, "message": message, **context},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(
        request,
        400,
        "Bad request",
        str(exception) if exception else "The request was not understood.",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(
        request,
        403,
        "Form expired or not from this site",
        "The form could not be accepted because its security token was missing or out of "
        "date. Go back, reload the page and submit it again.",
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404, "Page not found", "There is no page at this address.")


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(
        request,
        500,
        "Something went wrong",
        "The server could not complete this request. It has been logged.",
    )
