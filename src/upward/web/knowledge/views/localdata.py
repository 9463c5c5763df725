"""(to be written)"""

from __future__ import annotations

from django.urls import URLPattern

from upward.web.knowledge.views.hub import HubLink

SECTION_LINKS: list[HubLink] = []
workspace_urls: list[URLPattern] = []
public_urls: list[URLPattern] = []
