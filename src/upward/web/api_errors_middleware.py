"""Every error under /api/ is a JSON object, including the few Django and django-ninja
answer themselves in plain text (405 Method Not Allowed, for one)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from upward.web.api.errors import error_json

TITLES = {405: "Method not allowed", 413: "Request too large", 415: "Unsupported media type"}


class JsonApiErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            title = TITLES.get(status, "Request refused")
            message = f"{request.method} is not allowed here." if status == 405 else title + "."
            if status == 405 and response.get("Allow"):
                message += f" Allowed: {response['Allow']}."
            json = error_json(status, title, message)
            if response.get("Allow"):
                json["Allow"] = response["Allow"]
            return json
        return response
