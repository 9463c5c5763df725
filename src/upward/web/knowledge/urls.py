"""Local-knowledge routes. ``workspace_patterns`` are mounted in the workspace namespace
under /w/<slug>/ (so the isolation walk sees them); ``public_patterns`` are mounted at /p/
in the ``public`` namespace: the pages people reach by a link without an account
(community input form, officials' survey, shared Summary of Findings)."""

from django.urls import URLPattern, path

from upward.web.knowledge.views import (
    coding,
    community,
    engagement,
    findings,
    hub,
    localdata,
    officials,
)

SECTIONS = (engagement, coding, localdata, officials, community, findings)

workspace_patterns: list[URLPattern] = [
    path("<slug:slug>/knowledge/", hub.hub, name="knowledge"),
    *(p for module in SECTIONS for p in module.workspace_urls),
]

public_patterns: list[URLPattern] = [p for module in SECTIONS for p in module.public_urls]
