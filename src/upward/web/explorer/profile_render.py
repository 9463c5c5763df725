"""Render the pillar sections of a profile page, and keep recent results.

The sections hold a few hundred numbers, each with its raw value in data-* attributes.
They are rendered by the pages' template engine (Jinja2, :mod:`upward.web.jinja`) from
``explorer/_profile_sections.html``, whose macros run once per measure or table rather
than once per value, and the contents list from ``explorer/_profile_toc.html``; the rest
of the page is ``explorer/profile.html``.

A warehouse never changes once built, so a rendered profile stays right for as long as
that warehouse is in use: :func:`rendered_profile` keeps the most recent ones per
warehouse object (a new release is a new object, so its pages are built afresh).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

from django.template.loader import get_template
from markupsafe import Markup

from upward.data.model import Geography
from upward.data.warehouse import Warehouse
from upward.reports import charts
from upward.web.data import on_new_warehouse
from upward.web.explorer.profile_page import ProfilePage, build_profile_page

CACHE_SIZE = 64


@dataclass(frozen=True)
class RenderedProfile:
    page: ProfilePage
    sections: Markup
    toc: Markup
    """The page's contents: a link to each pillar and each of its measures."""
    charts: str
    """The chart templates and unit formats the page needs (JSON)."""


def render_sections(page: ProfilePage) -> Markup:
    """The HTML of every pillar section (escaped by the template; safe to insert)."""
    return Markup(get_template("explorer/_profile_sections.html").render({"page": page}))


def render_toc(page: ProfilePage) -> Markup:
    """The entries of the "On this page" list (escaped by the template; safe to insert)."""
    return Markup(get_template("explorer/_profile_toc.html").render({"page": page}))


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
    result = RenderedProfile(
        page, render_sections(page), render_toc(page), charts.page_charts(page.chart_keys())
    )
    with _lock:
        kept = _recent.setdefault(warehouse, OrderedDict())
        kept[key] = result
        while len(kept) > CACHE_SIZE:
            kept.popitem(last=False)
    return result


@on_new_warehouse
def forget_rendered() -> None:
    """Drop every kept profile (a new warehouse is in use; tests; benchmarks)."""
    with _lock:
        _recent.clear()
