"""Template filters for the explorer pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def raw(value: float | int | None) -> str:
    """A number exactly as stored (round-trips through float()), for data attributes."""
    if value is None:
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)
