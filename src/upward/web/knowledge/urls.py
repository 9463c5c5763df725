"""Local-knowledge routes: ``workspace_patterns`` are mounted in the workspace namespace
under /w/<slug>/ (so the isolation walk sees them); ``public_patterns`` are the pages
people reach by a link without an account (community input form, official survey,
shared Summary of Findings)."""

from django.urls import URLPattern

W = "<slug:slug>/"

workspace_patterns: list[URLPattern] = [
    # engagement log and representation (helper: engagement)
    # qualitative findings and codebook (helper: coding)
    # supplemental local data (helper: localdata)
    # officials and descriptive representation (helper: officials)
    # community input form moderation (helper: community)
    # predictor view and Summary of Findings (helper: findings)
]

public_patterns: list[URLPattern] = [
    # community input form, official survey, shared summary
]
