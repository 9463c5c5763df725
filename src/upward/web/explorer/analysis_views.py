"""Peers, comparisons, insights and the Data Review Guide of a place, as pages and files.

Routes (county shown; the same for /city/<7-digit FIPS>/):

* ``/county/27123/peers/``: the peers and why, the finding controls, editing by hand
  (``?set=…&remove=…``, ``&add=…`` or ``&pick=…``, ``&name=…`` redirect to the new set);
* ``/county/27123/compare/``, ``/insights/``, ``/review-guide/`` (POST: a download with notes);
* twins: ``peers.json``/``.csv``, ``compare.json``/``.csv``, ``insights.json``,
  ``review-guide.json``/``.html``/``.md``/``.pdf``/``.docx``;
* ``/methods/``: docs/methods.md.

The peer set travels in ``?set=<token>`` (:meth:`PeerSet.to_token`), so every link is
shareable and every page names the set it uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from upward.analysis.peers import features_for
from upward.catalog import GEO_LEVEL_WORDS, UnknownName, get_catalog
from upward.explore import Geography, PeerChoice, PeerSet, PlaceAnalysis, Release, ReviewGuide
from upward.explore.analysis_shapes import comparisons_out, insights_out, peers_out
from upward.explore.peer_choice import BANDS, PeerChoiceError, edit_set, read_choice
from upward.explore.shapes import release_name
from upward.reports import peer_chart, review_guide
from upward.web.data import get_release
from upward.web.explorer import analysis_page as pages
from upward.web.explorer.glance import build_glance
from upward.web.problem import BadRequest, Problem, problem_for
from upward.web.render import File, Html, Result, Table, download, page
from upward.web.workspace.guide_notes import GuideWorkspace, guide_workspace, member_workspaces
from upward.web.workspace.models import Role

KIND = {level: (one.capitalize(), many) for level, (one, many) in GEO_LEVEL_WORDS.items()}
PAGES = ("peers", "compare", "insights", "review-guide")
FILE_FORMATS = {
    "peers": ("json", "csv"),
    "compare": ("json", "csv"),
    "insights": ("json",),
    "review-guide": ("json", *review_guide.FORMATS),
}
GUIDE_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
GUIDE_CHOICES = (("pdf", "PDF"), ("docx", "Word (DOCX)"), ("html", "Web page (HTML)"),
                 ("md", "Markdown"))  # fmt: skip
# docs/methods.md is the one source: wheels carry it as upward/docs/methods.md (see
# pyproject's force-include); a source checkout reads it from the repository.
METHODS_MD = next(
    (
        path
        for path in (
            Path(__file__).resolve().parents[2] / "docs" / "methods.md",
            Path(__file__).resolve().parents[4] / "docs" / "methods.md",
        )
        if path.is_file()
    ),
    Path(__file__).resolve().parents[4] / "docs" / "methods.md",
)


# -- shared context -----------------------------------------------------------------------


def _links(geo: Geography, token: str) -> dict[str, str]:
    stem = geo.url_path.rstrip("/")
    query = f"?{urlencode({'set': token})}"
    links = {"profile": geo.url_path}
    for name in PAGES:
        links[name.replace("-", "_")] = f"{stem}/{name}/{query}"
        for fmt in FILE_FORMATS[name]:
            links[f"{name.replace('-', '_')}_{fmt}"] = f"{stem}/{name}.{fmt}{query}"
    return links


def _context(request: HttpRequest, geo: Geography, peer_set: PeerSet, current: str) -> dict:
    token = peer_set.to_token()
    links = _links(geo, token)
    kind, plural = KIND[geo.geo_level]
    return {"geo": geo, "kind_label": kind, "kind_plural": plural, "peer_set": peer_set,
            "token": token, "links": links, "current": current,
            "share_url": request.build_absolute_uri(links["peers"]),
            "citation": get_catalog().citation}  # fmt: skip


class Asked:
    """An analysis page as asked for: the place and the peer choice; the analysis on demand."""

    def __init__(self, request: HttpRequest, release: Release, geo: Geography) -> None:
        self.request = request
        self.release = release
        self.geo = geo
        self.choice: PeerChoice = read_choice(request.GET, geo)

    @cached_property
    def analysis(self) -> PlaceAnalysis:
        return self.release.analysis(self.geo, self.choice)

    def guide(self, notes: dict[str, str] | None = None) -> ReviewGuide:
        return self.release.review_guide(self.geo, self.choice, notes)

    @property
    def links(self) -> dict[str, str]:
        return _links(self.geo, self.analysis.peer_set.to_token())

    def context(self, current: str) -> dict[str, Any]:
        return _context(self.request, self.geo, self.analysis.peer_set, current)


def _asked(request: HttpRequest, level: str, fips: str) -> Asked:
    release = get_release()
    return Asked(request, release, release.place(level, fips))


# -- peers --------------------------------------------------------------------------------


def _edit(asked: Asked, peer_set: PeerSet) -> PeerSet | None:
    """The set after the edit the request asks for, or None when it asks for none."""
    params = asked.request.GET
    remove = tuple(params.getlist("remove"))
    adding = "add" in params or bool(params.get("pick", "").strip())
    name = params.get("name", "").strip()
    if not (remove or adding or "name" in params):
        return None
    add: tuple[str, ...] = ()
    if adding:
        found = asked.release.find_addition(
            asked.geo, params.get("add", ""), params.get("pick", "")
        )
        if found.geoid in peer_set.members:
            raise PeerChoiceError(f"{found.display_name} is already in this peer set.")
        add = (found.geoid,)
    if "name" in params and not name:
        raise PeerChoiceError("Give the peer set a name before saving it.")
    return edit_set(peer_set, add=add, remove=remove, name=name)


def _method_form(result_method: Any, geo_level: str) -> dict[str, Any]:
    band = result_method.population_band
    band_value = f"{band[0]:g},{band[1]:g}" if band else ""
    bands = list(BANDS)
    if band_value and band_value not in dict(BANDS):
        bands.append((band_value, f"{band[0]:g}× to {band[1]:g}× the population"))
    return {"k": result_method.k, "same_state": result_method.same_state,
            "same_region": result_method.same_region, "band": band_value, "bands": bands,
            "weights": [{"id": f.id, "label": f.label, "default": f"{f.weight:.2g}",
                         "value": f"{result_method.weight(f):g}"}
                        for f in features_for(geo_level)]}  # fmt: skip


def _peers_html(asked: Asked) -> Html | HttpResponseBase:
    request, geo, choice = asked.request, asked.geo, asked.choice
    result, peer_set = asked.release.peers(geo, choice)
    error: PeerChoiceError | None = None
    try:
        edited = _edit(asked, peer_set)
        if edited is not None:
            asked.release.peers(geo, PeerChoice(choice.method, edited, ""))
            return redirect(_links(geo, edited.to_token())["peers"])
    except PeerChoiceError as problem:
        error = problem
    context = _context(request, geo, peer_set, "peers")
    context.update(
        result=result, peers=pages.peer_rows(result), why=pages.why_table(result),
        method=result.method.describe(), form=_method_form(result.method, geo.geo_level),
        error=error, add_text=request.GET.get("add", ""), is_set=choice.is_set,
        found_by_hand=bool(peer_set.added or peer_set.removed),
        save_targets=_save_targets(request),
    )  # fmt: skip
    return Html(context, status=400 if error else 200)


def _save_targets(request: HttpRequest) -> list[tuple[str, str]]:
    """The workspaces the visitor may save the peer set to: (name, where to send it)."""
    return [
        (m.workspace.name, reverse("workspace:peer_set_save", args=[m.workspace.slug]))
        for m in member_workspaces(request.user, Role.EDITOR)
    ]


def _peers_table(asked: Asked) -> Table:
    analysis = asked.analysis
    rows = pages.peer_csv_rows(analysis.peers, analysis.peer_set.name)
    return Table(rows, pages.PEER_CSV_COLUMNS, f"upward-peers-{asked.geo.geoid}")


@page()
def peers(request: HttpRequest, level: str, fips: str) -> Result[Asked]:
    return Result(
        _asked(request, level, fips), "explorer/analysis/peers.html", html=_peers_html,
        json=lambda a: peers_out(a.analysis.peers, a.analysis.peer_set),
        table=_peers_table, table_formats=("csv",), name="peers page",
    )  # fmt: skip


# -- compare ------------------------------------------------------------------------------


def _compare_html(asked: Asked) -> dict[str, Any]:
    geo, analysis = asked.geo, asked.analysis
    sections = pages.compare_sections(get_catalog(), analysis.comparisons, geo.display_name)
    units = {v["variable"].unit for p in sections for s in p["predictors"]
             for m in s["metrics"] for v in m["variables"] if v["plotted"]}  # fmt: skip
    context = asked.context("compare")
    headlines = {vc.variable.name: vc for vc in analysis.comparisons if vc.variable.headline}
    context.update(sections=sections, peers=pages.peer_rows(analysis.peers),
                   charts=mark_safe(peer_chart.page_charts(units)),
                   glance=build_glance(get_catalog(), geo, headlines))  # fmt: skip
    return context


def _compare_json(asked: Asked) -> dict[str, Any]:
    metric = asked.request.GET.get("metric", "").strip()
    if metric:
        try:
            get_catalog().metric(metric)
        except UnknownName as exc:  # a parameter, not an address: a 400
            named = problem_for(exc)
            assert named is not None
            raise Problem(400, named.title, named.message) from None
    analysis, release = asked.analysis, release_name(get_release())
    return comparisons_out(asked.geo, analysis.peer_set, analysis.comparisons, release, metric)


@page()
def compare(request: HttpRequest, level: str, fips: str) -> Result[Asked]:
    return Result(
        _asked(request, level, fips), "explorer/analysis/compare.html", html=_compare_html,
        json=_compare_json, table_formats=("csv",), name="compare page",
        table=lambda a: Table(pages.compare_csv_rows(a.analysis), pages.COMPARE_CSV_COLUMNS,
                              f"upward-compare-{a.geo.geoid}"),
    )  # fmt: skip


# -- insights -----------------------------------------------------------------------------


def _bright_spots(asked: Asked) -> list[dict[str, Any]]:
    analysis = asked.analysis
    out = []
    for predictor in get_catalog().predictors:
        spots = asked.release.bright_spots(analysis, predictor.id)
        if not (spots.significant or spots.untested):
            continue
        rows = [{"name": s.name, "geoid": s.geoid, "label": s.trend.variable.label,
                 "first": pages.value_text(s.trend.variable, s.trend.first),
                 "last": pages.value_text(s.trend.variable, s.trend.last),
                 "tested": tested, "place": s.geoid == analysis.geography.geoid}
                for tested, group in ((True, spots.significant), (False, spots.untested))
                for s in group]  # fmt: skip
        out.append({"predictor": predictor, "rows": rows, "notes": list(spots.notes)})
    return out


def _priority_items(asked: Asked, compare_url: str) -> Callable[[Any], dict[str, Any]]:
    """Each insight's item, with where "Make this a priority" goes for the visitor (the
    workspaces of this place where they may add one; none: no link), like the peers
    page's ``_save_targets``. A gap is between its group and the breakdown's total."""
    from upward.web.strategy.views.priorities import add_link, priority_targets

    targets = priority_targets(asked.request.user, asked.geo.geoid)

    def item(i: Any) -> dict[str, Any]:
        out = pages.insight_item(i, compare_url)
        if not targets:
            return out
        params = {"place": asked.geo.geoid, "variable": i.variable, "from": "insights"}
        if i.kind == "disparity" and len(i.observations) == 2:
            group, reference = i.observations
            params.update(breakdown=group.subgroup_type, subgroup=group.subgroup,
                          versus=reference.subgroup)  # fmt: skip
        return {**out, "priority": add_link(targets, **params)}

    return item


def _insights_html(asked: Asked) -> dict[str, Any]:
    analysis = asked.analysis
    report = analysis.insights
    context = asked.context("insights")
    item = _priority_items(asked, context["links"]["compare"])
    context.update(
        pillars=[{"pillar": p.pillar,
                  "strengths": [item(i) for i in p.strengths],
                  "areas": [item(i) for i in p.areas_to_explore],
                  "standings": [item(i) for i in p.standings],
                  "uncertain": [item(i) for i in p.too_uncertain]}
                 for p in report.pillars],
        gaps=[item(i) for i in report.disparities],
        breakdowns=pages.breakdown_blocks(
            analysis.breakdowns, report.disparities,
            lambda b: analysis.inputs.cell(asked.geo.geoid, b.variable.name, b.year),
        ),
        changes=[item(i) for i in report.changes],
        trends=[pages.trend_row(t) for t in analysis.trends],
        bright_spots=_bright_spots(asked),
    )  # fmt: skip
    return context


def _insights_json(asked: Asked) -> dict[str, Any]:
    analysis = asked.analysis
    return insights_out(
        asked.geo, analysis.peer_set, analysis.insights, release_name(get_release())
    )


@page()
def insights(request: HttpRequest, level: str, fips: str) -> Result[Asked]:
    return Result(_asked(request, level, fips), "explorer/analysis/insights.html",
                  html=_insights_html, json=_insights_json, name="insights page")  # fmt: skip


# -- review guide -------------------------------------------------------------------------


def _guide_file(guide: ReviewGuide, fmt: str) -> File:
    if fmt not in review_guide.FORMATS:
        raise BadRequest(f"The review guide comes as {', '.join(review_guide.FORMATS)}; "
                         f"'{fmt}' is not one of them.")  # fmt: skip
    body = review_guide.render(guide, fmt)  # type: ignore[arg-type]
    return File(body, GUIDE_TYPES[fmt], f"upward-review-guide-{guide.geoid}.{fmt}")


def _guide_download(request: HttpRequest, asked: Asked) -> HttpResponse:
    """The guide with the notes of the page's form, in the format it asks for."""
    notes = {q: request.POST.get(f"note_{q}", "").strip() for q in review_guide.QUESTION_IDS}
    notes = {k: v for k, v in notes.items() if v}
    try:
        built = asked.guide(notes)
    except ValueError as problem:
        raise BadRequest(str(problem)) from None
    return download(_guide_file(built, request.POST.get("format", "").strip().lower()))


def _with_workspace(links: dict[str, str], slug: str) -> dict[str, str]:
    """The guide's own links, each showing (and downloading) the workspace's notes."""
    extra = urlencode({"workspace": slug})
    return {k: f"{v}&{extra}" if k.startswith("review_guide") else v for k, v in links.items()}


def _guide_html(asked: Asked, kept: GuideWorkspace) -> dict[str, Any]:
    context = asked.context("review-guide")
    if kept.chosen is not None:
        context["links"] = _with_workspace(context["links"], kept.chosen.workspace.slug)
    context.update(guide=asked.guide(kept.texts), formats=GUIDE_CHOICES, kept=kept,
                   notes_url=reverse("workspace:guide_notes", args=[kept.chosen.workspace.slug])
                   if kept.chosen else "")  # fmt: skip
    return context


def _guide_as(fmt: str, kept: GuideWorkspace) -> Callable[[Asked], File]:
    return lambda asked: _guide_file(asked.guide(kept.texts), fmt)


@page(post=True)
def guide(request: HttpRequest, level: str, fips: str) -> Result[Asked] | HttpResponse:
    """``?workspace=<slug>``: the page and its files with that workspace's saved notes, for
    its members (see :func:`upward.web.workspace.guide_notes.guide_workspace`)."""
    asked = _asked(request, level, fips)
    if request.method == "POST":
        return _guide_download(request, asked)
    kept = guide_workspace(request, asked.geo.geoid)
    if isinstance(kept, HttpResponse):
        return kept
    return Result(
        asked, "explorer/analysis/review_guide.html", html=lambda a: _guide_html(a, kept),
        files={fmt: _guide_as(fmt, kept) for fmt in review_guide.FORMATS},
        json=lambda a: {**asdict(a.guide(kept.texts)), "links": a.links},
        name="review-guide page",
    )  # fmt: skip


# -- methods ------------------------------------------------------------------------------


def methods(request: HttpRequest) -> HttpResponse:
    """docs/methods.md as a page (a short summary when the docs are not installed)."""
    body = ""
    if METHODS_MD.is_file():
        from markdown_it import MarkdownIt

        body = _heading_ids(MarkdownIt("commonmark").render(METHODS_MD.read_text("utf-8")))
    return render(request, "explorer/analysis/methods.html", {"body": mark_safe(body)})


def _heading_ids(html: str) -> str:
    """Give each heading an id from its text, so pages can link to a section."""

    def with_id(match: re.Match[str]) -> str:
        text = re.sub(r"<[^>]+>", "", match.group(2))
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
        return f'<{match.group(1)} id="{slug}">{match.group(2)}</{match.group(1)}>'

    return re.sub(r"<(h[1-4])>(.*?)</\1>", with_id, html)
