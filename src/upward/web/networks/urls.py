"""Network routes: the network's pages under /n/ (namespace ``networks``) and a coalition's
side of its networks under /w/<slug>/network/ (in the workspace namespace, so the isolation
walk sees them). Each view module lists its own routes."""

from django.urls import URLPattern

from upward.web.networks.views import calls, console, peers, resources, teams

SECTIONS: tuple = (teams, console, calls, resources, peers)

app_name = "networks"

urlpatterns: list[URLPattern] = [p for module in SECTIONS for p in module.network_urls]

workspace_patterns: list[URLPattern] = [p for module in SECTIONS for p in module.workspace_urls]
