"""Render the pillar sections of a profile page, and keep recent results.

The sections hold a few hundred numbers, each with its raw value in data-* attributes.
They are rendered by the pages' template engine (Jinja2, :mod:`upward.web.jinja`) from
``explorer/_profile_sections.html``, whose macros run once per measure or table rather
than once per value, and the contents list from ``explorer/_profile_toc.html``; the rest
of the page is ``explorer/profile.html``.

A release never changes once built, so a rendered profile stays right for as long as
that release answers: :func:`rendered_profile` keeps the most recent ones in the
release's own cache (:meth:`upward.explore.Release.keep`), which goes with the release.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import get_template
from markupsafe import Markup

from upward.explore import Geography, Release
from upward.reports import charts
from upward.web.explorer.glance import Glance
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
    glance: Markup
    """The page's summary table (``explorer/_glance.html``, shared with Compare)."""


def render_sections(page: ProfilePage) -> Markup:
    """The HTML of every pillar section (escaped by the template; safe to insert)."""
    return Markup(get_template("explorer/_profile_sections.html").render({"page": page}))


def render_glance(glance: Glance) -> Markup:
    """The "At a glance" table (escaped by the template; safe to insert)."""
    return Markup(get_template("explorer/_glance.html").render({"glance": glance}))


def render_toc(page: ProfilePage) -> Markup:
    """The entries of the "On this page" list (escaped by the template; safe to insert)."""
    return Markup(get_template("explorer/_profile_toc.html").render({"page": page}))


def rendered_profile(
    release: Release, geo: Geography, year: int | None, breakdown: str | None
) -> RenderedProfile:
    """The profile of ``geo`` built and rendered, or the copy the release kept recently."""

    def build() -> RenderedProfile:
        page = build_profile_page(release, geo, year, breakdown)
        return RenderedProfile(
            page,
            render_sections(page),
            render_toc(page),
            charts.page_charts(page.chart_keys()),
            render_glance(page.glance),
        )

    return release.keep("rendered_profiles", (geo.geoid, year, breakdown), build, CACHE_SIZE)
