"""Error pages that never show a traceback; API and ``.json`` paths get JSON error objects.

Django's own handlers (400, 403 for a form without its token, 404, 500) answer with the
same problems, in the same words, as the pages and the API (:mod:`upward.web.problem`).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from upward.web import problem
from upward.web.render import problem_response


def error_response(
    request: HttpRequest, status: int, title: str, message: str, **context: object
) -> HttpResponse:
    """A problem the caller words itself (workspace pages, the release switch)."""
    return problem_response(request, problem.Problem(status, title, message, context=context))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem_response(
        request,
        problem.BadRequest(str(exception) if exception else "The request was not understood."),
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
    return problem_response(request, problem.not_found())


def server_error(request: HttpRequest) -> HttpResponse:
    return problem_response(request, problem.server_error())
