"""The JSON API (django-ninja): /api/, with OpenAPI docs at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Upward API",
    version="1",
    description="The Urban Institute's Mobility Metrics for every county and large city.",
    urls_namespace="api",
)


@api.get("/health", summary="Is the service up")
def health(request) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"status": "ok"}
