"""Measurement routes, mounted in the workspace namespace under /w/<slug>/measure/ (so the
isolation walk sees them). Each section module lists its own routes (``workspace_urls``)
and its overview card (``SECTION_LINKS``)."""

from django.urls import URLPattern, path

from upward.web.measurement.views import (
    actions,
    hub,
    measures,
    plan_map,
    progress,
    sustainability,
)

# In the order of the guide's Steps 8 to 10 (the overview's cards follow it).
SECTIONS: tuple = (measures, progress, actions, sustainability, plan_map)

workspace_patterns: list[URLPattern] = [
    path("<slug:slug>/measure/", hub.hub, name="measurement"),
    *(p for module in SECTIONS for p in module.workspace_urls),
]
