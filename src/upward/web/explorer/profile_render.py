"""Render the pillar sections of a profile page with Jinja2, and keep recent results.

The sections hold a few hundred numbers, each with its raw value in data-* attributes;
Django's template engine took about 80 ms for them, Jinja2 about 8 ms, which keeps the
page inside its 50 ms budget. The parts repeated hundreds of times (value boxes, data
table rows) and the contents list are written directly in Python, escaped as the
templates would: a cold profile costs about 17 ms of CPU in all. The rest of the page
(layout, header) stays in Django templates.

A release never changes once built, so a rendered profile stays right for as long as
that release answers: :func:`rendered_profile` keeps the most recent ones in the
release's own cache (:meth:`upward.explore.Release.keep`), which goes with the release.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from django.utils.html import escape as django_escape
from django.utils.safestring import SafeString, mark_safe
from markupsafe import Markup, escape

from upward.explore import Geography, Release
from upward.reports import charts
from upward.web.explorer.profile_page import (
    WEAK_CAUTION,
    Cell,
    Context,
    MetricView,
    ProfilePage,
    ValueRow,
    build_profile_page,
    other_text,
)
from upward.web.explorer.templatetags.explorer_tags import raw

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "explorer" / "jinja"
CACHE_SIZE = 64


@dataclass(frozen=True)
class RenderedProfile:
    page: ProfilePage
    sections: SafeString
    toc: SafeString
    """The page's contents: a link to each pillar and each of its measures."""
    charts: str
    """The chart templates and unit formats the page needs (JSON)."""


def _e(value: object) -> str:
    """``markupsafe.escape(value)`` as a plain string; text without ``&<>"'`` as it is.

    Most of a profile's strings are numbers and labels with nothing to escape, and
    skipping the Markup object for them saves about a millisecond a page.
    """
    if isinstance(value, str) and not hasattr(value, "__html__"):
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            return str(escape(value))
        return value
    return str(escape(value))


def _number_attrs(c: Cell) -> str:
    """The data-* attributes of a cell's numbers, exactly as stored."""
    out = []
    if c.value is not None:
        out.append(f' data-value="{raw(c.value)}"')
    if c.lb is not None:
        out.append(f' data-lb="{raw(c.lb)}"')
    if c.ub is not None:
        out.append(f' data-ub="{raw(c.ub)}"')
    if c.quality_code:
        out.append(f' data-q="{c.quality_code}"')
    if c.value_text:
        out.append(f' data-value-text="{_e(c.value_text)}"')
    return "".join(out)


def _raw_attrs(c: Cell) -> str:
    """The data-* attributes of a table row: the numbers, and the status if withheld."""
    if c.status != "published":
        return f'{_number_attrs(c)} data-status="{_e(c.status)}"'
    return _number_attrs(c)


def _cells(c: Cell, has_ci: bool) -> str:
    """The value, CI and quality cells of a table row (or its status, spanning them)."""
    parts = c.parts
    if c.value is None and not parts:
        return f'<td colspan="{3 if has_ci else 2}">{_e(c.status_text)}</td>'
    shown = f"{_e(c.display)} ({_e(c.parts_display)})" if parts else _e(c.display)
    ci = f"<td>{_e(c.ci or 'none published')}</td>" if has_ci else ""
    weak = ": too uncertain to draw conclusions" if c.weak else ""
    return f"<td>{shown}</td>{ci}<td>{_e(c.quality)}{weak}</td>"


def trend_rows(rows: Sequence[Cell], has_ci: bool) -> Markup:
    """The rows of a trend's data table, one per year (escaped HTML)."""
    return Markup(
        "".join(
            f'<tr{_raw_attrs(c)}><th scope="row">{c.year}</th>{_cells(c, has_ci)}</tr>\n'
            for c in rows
        )
    )


def breakdown_rows(rows: Sequence[Cell], has_ci: bool) -> Markup:
    """The rows of a breakdown's data table, one per group and the total (escaped HTML)."""
    out = []
    for c in rows:
        total = ' data-t="Total"' if c.subgroup == "All" else ""
        out.append(
            f'<tr data-group="{_e(c.subgroup)}"{total}{_raw_attrs(c)}>'
            f'<th scope="row">{_e(c.label)}</th>{_cells(c, has_ci)}</tr>\n'
        )
    return Markup("".join(out))


def stats(values: Sequence[ValueRow]) -> Markup:
    """The value boxes of a measure: value, unit, year, CI, quality and context."""
    return Markup("".join(_stat(v) for v in values))


def _stat(v: ValueRow) -> str:
    c = v.cell
    weak = " upward-stat--weak" if c is not None and c.weak else ""
    status = v.entry.status
    out = [f'<div class="upward-stat{weak}" data-var="{_e(v.variable.name)}"']
    if status != "published":
        out.append(f' data-status="{_e(status)}"')
    if c is not None:
        out.append(f' data-year="{c.year}"{_number_attrs(c)}')
    out.append(f'>\n<p class="upward-stat__label">{_e(v.variable.label)}</p>\n')
    if c is not None and (c.value is not None or c.parts):
        out.append(_stat_value(v, c))
    else:
        year = f" ({c.year})" if c is not None else ""
        out.append(f'<p class="upward-status">{_e(v.status_text)}{year}.</p>\n')
        if c is not None:
            out.append(_source(c))
    out.append("</div>\n")
    return "".join(out)


def _stat_value(v: ValueRow, c: Cell) -> str:
    unit = v.unit_note
    unit = f' <span class="upward-unit">{_e(unit)}</span>' if unit else ""
    out = [
        f'<p class="upward-stat__value"><span class="upward-num">{_e(c.display)}</span>'
        f'{unit} <span class="upward-year">in {c.year}</span></p>\n'
    ]
    if c.parts:
        out.append(f'<p class="upward-stat__parts">{_e(c.parts_display)}</p>')
    ci = f"95% CI {_e(c.ci)}" if c.ci else "No confidence interval published"
    quality = _e(c.quality)
    out.append(
        f'<p class="upward-stat__ci">{ci} · <span class="upward-quality '
        f'upward-quality--{_e(str(c.quality).lower())}">{quality}</span> quality</p>\n'
    )
    if c.weak:
        out.append(f'<p class="upward-caution"><strong>Caution:</strong> {WEAK_CAUTION}</p>')
    x = v.context
    if x is not None and (x.nation_rank or x.nation_median):
        out.append(_stat_context(x, c.year))
    out.append(_source(c))
    return "".join(out)


def _source(c: Cell) -> str:
    """The file (and line) a value comes from, and other files' different values."""
    if not c.source_file:
        return ""
    out = [f'<p class="upward-stat__source">Source: <code>{_e(c.source)}</code></p>\n']
    if c.others:
        listed = "; ".join(f"<code>{_e(other_text(o, c.variable))}</code>" for o in c.others)
        out.append(
            f'<p class="upward-stat__conflict">Another file of this release publishes a '
            f"different value: {listed}.</p>\n"
        )
    return "".join(out)


def sources(m: MetricView) -> Markup:
    """A measure's footnote: each file its numbers come from, and where files disagree."""
    cells = [v.cell for v in m.values if v.cell is not None]
    cells += list(m.trend.rows) if m.trend else []
    cells += [c for b in m.breakdowns for c in b.rows]
    lines: dict[str, list[int]] = {}
    for c in cells:
        if c.source_file:
            lines.setdefault(c.source_file, []).append(c.source_line or 0)
    if not lines:
        return Markup("")
    out = ['<details class="upward-sources"><summary>Sources of these numbers</summary>\n<ul>']
    for path, found in lines.items():
        span = (
            f"line {min(found)}"
            if min(found) == max(found)
            else (f"lines {min(found)}–{max(found)}")
        )
        count = f"{len(found)} value{'s' if len(found) > 1 else ''}"
        out.append(f"<li><code>{_e(path)}</code>: {count}, {span}</li>")
    out.append("</ul>\n")
    disputed = {
        (c.year, c.subgroup_type, c.subgroup, c.variable.name): c for c in cells if c.others
    }
    if disputed:
        out.append("<p>Other files of this release publish different values for:</p>\n<ul>")
        for c in disputed.values():
            who = c.label if c.subgroup_type == "all" else f"{c.variable.label}, {c.label}"
            others = "; ".join(_e(other_text(o, c.variable)) for o in c.others)
            out.append(
                f"<li>{_e(who)}, {c.year}: shown {_e(c.display or c.status_text)} from "
                f"<code>{_e(c.source)}</code>; {others}</li>"
            )
        out.append("</ul>\n")
    out.append("</details>\n")
    return Markup("".join(out))


def _stat_context(x: Context, year: int) -> str:
    attrs = ""
    if x.n_nation is not None:
        attrs += f' data-n-nation="{x.n_nation}" data-tied-nation="{x.tied_nation}"'
        if x.pct_nation is not None:
            attrs += f' data-pct-nation="{raw(x.pct_nation)}"'
        attrs += f' data-n-state="{x.n_state}" data-tied-state="{x.tied_state}"'
        if x.pct_state is not None:  # none for a place alone in its state
            attrs += f' data-pct-state="{raw(x.pct_state)}"'
    if x.median_nation is not None:
        attrs += f' data-median-nation="{raw(x.median_nation)}"'
    if x.median_state is not None:
        attrs += f' data-median-state="{raw(x.median_state)}"'
    out = [f'<ul class="upward-context"{attrs}>\n']
    if x.nation_rank:
        out.append(f"<li>{_e(x.nation_rank)}</li><li>{_e(x.state_rank)}</li>")
    if x.nation_median:
        state = f"; {_e(x.state_median)}" if x.state_median else ""
        out.append(f"<li>{_e(x.nation_median)}{state}, {year}.</li>")
    out.append("</ul>\n")
    return "".join(out)


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
    env.globals["stats"] = stats
    env.globals["trend_rows"] = trend_rows
    env.globals["breakdown_rows"] = breakdown_rows
    env.globals["sources"] = sources
    return env


def render_sections(page: ProfilePage) -> SafeString:
    """The HTML of every pillar section (already escaped; safe to insert)."""
    html = environment().get_template("profile_sections.html").render(page=page)
    return mark_safe(html)  # escaped by the autoescaping Jinja2 environment


def render_toc(page: ProfilePage) -> SafeString:
    """The entries of the "On this page" list, escaped as Django would (safe to insert)."""
    out = []
    for p in page.pillars:
        links = "".join(
            f'<li><a href="#{django_escape(m.anchor)}">'
            f"{django_escape(m.metric.short_label)}</a></li>"
            for s in p.predictors
            for m in s.metrics
        )
        out.append(
            f'<li><a href="#p-{django_escape(p.pillar.id)}">{django_escape(p.pillar.label)}</a>\n'
            f'        <ol class="usa-list usa-list--unstyled">{links}</ol></li>'
        )
    return mark_safe("".join(out))  # every piece escaped above


def rendered_profile(
    release: Release, geo: Geography, year: int | None, breakdown: str | None
) -> RenderedProfile:
    """The profile of ``geo`` built and rendered, or the copy the release kept recently."""

    def build() -> RenderedProfile:
        page = build_profile_page(release, geo, year, breakdown)
        return RenderedProfile(
            page, render_sections(page), render_toc(page), charts.page_charts(page.chart_keys())
        )

    return release.keep("rendered_profiles", (geo.geoid, year, breakdown), build, CACHE_SIZE)
