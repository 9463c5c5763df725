"""Small template helpers for workspace pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[str, Any], key: Any) -> Any:
    """{{ labels.sector|get:row.sector }}: the value for key, or the key itself."""
    if not isinstance(mapping, dict):
        return key
    return mapping.get(key, key)


@register.filter
def labels_of(keys: Any, mapping: dict[str, str]) -> str:
    """A list of ids as their labels, comma-separated."""
    return ", ".join(str(mapping.get(k, k)) for k in (keys or []))
