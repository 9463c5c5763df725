"""(to be built)"""

from django.urls import URLPattern

network_urls: list[URLPattern] = []
"""Routes under /n/<slug:slug>/ (namespace "networks")."""
workspace_urls: list[URLPattern] = []
"""Routes under /w/<slug:slug>/network/ (namespace "workspace")."""
