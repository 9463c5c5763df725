"""Strategy routes, mounted in the workspace namespace under /w/<slug>/plan/ (so the
isolation walk sees them). Each section module lists its own routes."""

from django.urls import URLPattern, path

from upward.web.strategy.views import (
    comments,
    hub,
    model,
    model_export,
    priorities,
    strategies,
    theory,
    vision,
)

# In the order of the guide's Step 7 (the overview's cards follow it).
SECTIONS: tuple = (
    priorities,
    vision,
    theory,
    strategies,
    model,
    model_export,
    comments,
)

workspace_patterns: list[URLPattern] = [
    path("<slug:slug>/plan/", hub.hub, name="strategy"),
    *(p for module in SECTIONS for p in module.workspace_urls),
]
