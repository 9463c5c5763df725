"""The JSON API (django-ninja): /api/, with OpenAPI docs at /api/docs.

Swagger UI's script and styles are served from django-ninja's own static files (ninja
is an installed app), never from a CDN; the page template adds a language and a main
landmark so the docs page is accessible.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from upward.web.api import errors, geographies, metrics, releases
from upward.web.api.analysis import router as analysis_router
from upward.web.api.schemas import HealthOut
from upward.web.json_output import StrictRenderer


class LocalSwagger(Swagger):
    """Ninja's Swagger UI page, from our template (language, landmark, contrast fixes)."""

    template = "api/swagger.html"


api = NinjaAPI(
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
