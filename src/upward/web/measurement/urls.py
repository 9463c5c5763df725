"""Measurement routes, mounted in the workspace namespace under /w/<slug>/measure/ (so the
isolation walk sees them), and the published plan's public pages at /p/<slug>/. Each
section module lists its own routes (``workspace_urls``) and its overview card
(``SECTION_LINKS``)."""

from django.urls import URLPattern, path

from upward.web.measurement.views import (
    actions,
    hub,
    measures,
    plan_map,
    progress,
    public,
    publish,
    sustainability,
)

# In the order of the guide's Steps 8 to 10 (the overview's cards follow it).
SECTIONS: tuple = (measures, progress, actions, sustainability, plan_map, publish)

workspace_patterns: list[URLPattern] = [
    path("<slug:slug>/measure/", hub.hub, name="measurement"),
    *(p for module in SECTIONS for p in module.workspace_urls),
]

public_patterns: list[URLPattern] = public.public_urls
"""Mounted at /p/ after the knowledge app's public pages (a workspace slug never takes
one of their first words: see upward.web.workspace.views.workspaces.RESERVED_SLUGS)."""
