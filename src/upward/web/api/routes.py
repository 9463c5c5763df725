"""The JSON API (django-ninja): /api/, with OpenAPI docs at /api/docs.

Swagger UI's script and styles are served from django-ninja's own static files (ninja
is an installed app), never from a CDN; the page template adds a language and a main
landmark so the docs page is accessible.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from upward.explore.library import RELEASE_NAME
from upward.web.api import errors, geographies, metrics, releases
from upward.web.api.analysis import router as analysis_router
from upward.web.api.schemas import HealthOut
from upward.web.json_output import StrictRenderer


class LocalSwagger(Swagger):
    """Ninja's Swagger UI page, from our template (language, landmark, contrast fixes)."""

    template = "api/swagger.html"


#: Addresses that read the warehouse, and so take ``?release=NAME`` (web/release.py).
RELEASE_PATHS = ("/api/geographies", "/api/metrics/")

RELEASE_PARAMETER: dict[str, Any] = {
    "in": "query",
    "name": "release",
    "required": False,
    "description": (
        "Answer from this loaded release instead of the current one (see /api/releases); "
        "an unknown name is a 404, a malformed one a 400."
    ),
    "schema": {"type": "string", "pattern": f"^{RELEASE_NAME.pattern}$", "maxLength": 40},
}


class UpwardApi(NinjaAPI):
    """NinjaAPI whose document also declares ``?release=``, which a middleware reads."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for path, operations in schema["paths"].items():
            if not path.startswith(RELEASE_PATHS):
                continue
            for operation in operations.values():
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == "release" for p in parameters):
                    parameters.append(RELEASE_PARAMETER)
        return schema


api = UpwardApi(
    title="Upward API",
    version="1",
    description=(
        "The Urban Institute's Mobility Metrics for every US county and large city: places, "
        "the framework catalog, profiles, series, breakdowns and national distributions. "
        "Every number comes with its year, its 95% confidence interval (lb, ub) where Urban "
        "publishes one, and its data quality (Strong, Marginal, Weak). Errors are JSON "
        'objects: {"error": {"status", "title", "message"}}. Every answer is strict JSON '
        "(RFC 8259): a number field is a finite number or null, never Infinity or NaN; null "
        "means no number (no value published, no test possible), never an infinite statistic."
    ),
    urls_namespace="api",
    renderer=StrictRenderer(),
    # deepLinking off: it puts a link inside each operation's toggle button (nested
    # interactive controls, a WCAG failure).
    docs=LocalSwagger(
        settings={"deepLinking": False, "defaultModelsExpandDepth": 0, "tryItOutEnabled": True}
    ),
)
errors.install(api)
api.add_router("", geographies.router)
api.add_router("", metrics.router)
api.add_router("", analysis_router)
api.add_router("", releases.router)
api.add_router("", "upward.web.api.workspace.router")


@api.get("/health", response=HealthOut, summary="Is the service up", tags=["service"])
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}
