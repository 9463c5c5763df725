"""Limit/offset paging: ``{count, next, previous, items}`` with absolute links.

Both parameters are bounded, and the bounds are declared in the OpenAPI document:
``limit`` from 1 to :data:`MAX_LIMIT`, ``offset`` from 0 to :data:`MAX_OFFSET` (so that
``offset + limit`` always fits the databases' 64-bit integers; a larger offset is a 400
naming the bound, never a 500).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import create_model

T = TypeVar("T")

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
# The OpenAPI document declares offset 0..MAX_OFFSET and limit 1..MAX_LIMIT; a value
# outside is a 400. (A billion is past every list's length; 2**63 used to be a 500.)
MAX_OFFSET = 1_000_000_000


def limit_param(default: int = DEFAULT_LIMIT) -> Any:
    """A fresh ``limit`` query parameter (1 to MAX_LIMIT)."""
    return Query(default, ge=1, le=MAX_LIMIT, description=f"Items per page (1 to {MAX_LIMIT}).")


def offset_param() -> Any:
    return Query(0, ge=0, le=MAX_OFFSET, description=f"How many items to skip (0 to {MAX_OFFSET}).")


def _link(request: HttpRequest, limit: int, offset: int) -> str:
    params = request.GET.copy()
    params["limit"] = str(limit)
    params["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def page(
    request: HttpRequest, count: int, items: Sequence[Any], limit: int, offset: int
) -> dict[str, Any]:
    """The page body for ``items`` (already cut to [offset, offset + limit))."""
    following = offset + limit
    return {
        "count": count,
        "next": _link(request, limit, following) if following < count else None,
        "previous": _link(request, limit, max(0, offset - limit)) if offset > 0 else None,
        "items": list(items),
    }


def cut(request: HttpRequest, items: Sequence[T], limit: int, offset: int) -> dict[str, Any]:
    """Page a full list in memory."""
    return page(request, len(items), items[offset : offset + limit], limit, offset)


def page_schema(name: str, item: type[Schema]) -> type[Schema]:
    """The schema of a page of ``item``: ``{count, next, previous, items}``."""
    fields: dict[str, Any] = {
        "count": (int, ...),
        "next": (str | None, ...),
        "previous": (str | None, ...),
        "items": (list[item], ...),  # type: ignore[valid-type]
    }
    return create_model(name, __base__=Schema, **fields)
