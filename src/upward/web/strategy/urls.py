"""Strategy routes, mounted in the workspace namespace under /w/<slug>/plan/ (so the
isolation walk sees them). Each section module lists its own routes."""

from django.urls import URLPattern, path

from upward.web.strategy.views import hub, model_export

SECTIONS: tuple = (model_export,)

workspace_patterns: list[URLPattern] = [
    path("<slug:slug>/plan/", hub.hub, name="strategy"),
    *(p for module in SECTIONS for p in module.workspace_urls),
]
