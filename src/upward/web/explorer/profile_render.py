"""Render the pillar sections of a profile page with Jinja2, and keep recent results.

The sections hold a few hundred numbers, each with its raw value in data-* attributes;
Django's template engine took about 80 ms for them, Jinja2 about 8 ms, which keeps the
page inside its 50 ms budget. The rest of the page (layout, header, contents) stays in
Django templates.

A warehouse never changes once built, so a rendered profile stays right for as long as
that warehouse is in use: :func:`rendered_profile` keeps the most recent ones per
warehouse object (a new release is a new object, so its pages are built afresh).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from django.utils.safestring import SafeString, mark_safe

from upward.data.model import Geography
from upward.data.warehouse import Warehouse
from upward.reports import charts
from upward.web.explorer.profile_page import ProfilePage, build_profile_page
from upward.web.explorer.templatetags.explorer_tags import raw

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "explorer" / "jinja"
CACHE_SIZE = 64


@dataclass(frozen=True)
class RenderedProfile:
    page: ProfilePage
    sections: SafeString
    charts: str
    """The chart templates and unit formats the page needs (JSON)."""


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )
    env.filters["raw"] = raw
    return env


def render_sections(page: ProfilePage) -> SafeString:
    """The HTML of every pillar section (already escaped; safe to insert)."""
    html = environment().get_template("profile_sections.html").render(page=page)
    return mark_safe(html)  # escaped by the autoescaping Jinja2 environment


_lock = threading.Lock()
_recent: weakref.WeakKeyDictionary[Warehouse, OrderedDict[tuple[object, ...], RenderedProfile]]
_recent = weakref.WeakKeyDictionary()


def rendered_profile(
    warehouse: Warehouse, geo: Geography, year: int | None, breakdown: str | None
) -> RenderedProfile:
    """The profile of ``geo`` built and rendered, or the copy kept from a recent request."""
    key = (geo.geoid, year, breakdown)
    with _lock:
        kept = _recent.get(warehouse)
        if kept is not None and key in kept:
            kept.move_to_end(key)
            return kept[key]
    page = build_profile_page(warehouse, geo, year, breakdown)
    result = RenderedProfile(page, render_sections(page), charts.page_charts(page.chart_keys()))
    with _lock:
        kept = _recent.setdefault(warehouse, OrderedDict())
        kept[key] = result
        while len(kept) > CACHE_SIZE:
            kept.popitem(last=False)
    return result


def forget_rendered() -> None:
    """Drop every kept profile (tests, benchmarks of the uncached path)."""
    with _lock:
        _recent.clear()
