"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": "Upward",
        "source_citation": (
            "Urban Institute, Boosting Upward Mobility: Metrics to Inform Local Action "
            "(2025 data round)"
        ),
    }
