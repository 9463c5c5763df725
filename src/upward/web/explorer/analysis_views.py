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
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from upward.analysis.peer_set import PeerSet
from upward.analysis.peers import features_for
from upward.analysis.trend import BrightSpots
from upward.catalog import GEO_LEVEL_WORDS, UnknownName, get_catalog
from upward.explore import BadPlaceCode, Geography, PlaceNotFound, WarehouseMissing
from upward.explore.analysis_shapes import comparisons_out, insights_out, peers_out
from upward.explore.shapes import release_name
from upward.reports import peer_chart, review_guide
from upward.reports.downloads import to_csv
from upward.reports.place_analysis import PlaceAnalysis, place_bright_spots
from upward.web.data import get_release
from upward.web.explorer import analysis_page as pages
from upward.web.explorer.errors import error_response
from upward.web.explorer.peer_request import (
    BANDS,
    PeerChoice,
    PeerRequestError,
    cached_analysis,
    edit_set,
    find_addition,
    read_choice,
    resolve_peers,
)
from upward.web.json_output import StrictJsonResponse

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


class BadParameter(ValueError):
    """A malformed address or parameter: a 400 with this message."""


View = Callable[..., HttpResponse]


def analysis_errors(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (BadParameter, PeerRequestError) as error:
            return error_response(request, 400, "Bad request", str(error))
        except UnknownName as error:
            return error_response(request, 400, "Unknown name", str(error))
        except PlaceNotFound as error:
            return error_response(
                request, 404, "Place not found", error.reason, suggestions=error.suggestions
            )
        except WarehouseMissing:
            return error_response(
                request, 503, "Data not loaded", "The metrics warehouse has not been built yet."
            )

    return wrapped


def _place(level: str, fips: str) -> Geography:
    try:
        return get_release().place(level, fips)
    except BadPlaceCode as error:
        raise BadParameter(error.reason) from None


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


def _json(data: Any, status: int = 200) -> StrictJsonResponse:
    return StrictJsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


# -- peers --------------------------------------------------------------------------------


def _edit(request: HttpRequest, geo: Geography, peer_set: PeerSet) -> PeerSet | None:
    """The set after the edit the request asks for, or None when it asks for none."""
    params = request.GET
    remove = tuple(params.getlist("remove"))
    adding = "add" in params or bool(params.get("pick", "").strip())
    name = params.get("name", "").strip()
    if not (remove or adding or "name" in params):
        return None
    add: tuple[str, ...] = ()
    if adding:
        found = find_addition(get_release(), geo, params.get("add", ""), params.get("pick", ""))
        if found.geoid in peer_set.members:
            raise PeerRequestError(f"{found.display_name} is already in this peer set.")
        add = (found.geoid,)
    if "name" in params and not name:
        raise PeerRequestError("Give the peer set a name before saving it.")
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


@analysis_errors
def peers(request: HttpRequest, level: str, fips: str) -> HttpResponse:
    geo = _place(level, fips)
    release = get_release()
    choice = read_choice(request.GET, geo)
    result, peer_set = resolve_peers(release, geo, choice)
    error: PeerRequestError | None = None
    try:
        edited = _edit(request, geo, peer_set)
        if edited is not None:
            resolve_peers(release, geo, PeerChoice(choice.method, edited, ""))
            return redirect(_links(geo, edited.to_token())["peers"])
    except PeerRequestError as problem:
        error = problem
    context = _context(request, geo, peer_set, "peers")
    context.update(
        result=result, peers=pages.peer_rows(result), why=pages.why_table(result),
        method=result.method.describe(), form=_method_form(result.method, geo.geo_level),
        error=error, add_text=request.GET.get("add", ""), is_set=choice.is_set,
        found_by_hand=bool(peer_set.added or peer_set.removed),
    )  # fmt: skip
    return render(request, "explorer/analysis/peers.html", context, status=400 if error else 200)


# -- compare ------------------------------------------------------------------------------


def _analysis(request: HttpRequest, level: str, fips: str) -> tuple[Geography, PlaceAnalysis]:
    geo = _place(level, fips)
    choice = read_choice(request.GET, geo)
    return geo, cached_analysis(get_release(), geo, choice)


@analysis_errors
def compare(request: HttpRequest, level: str, fips: str) -> HttpResponse:
    geo, analysis = _analysis(request, level, fips)
    sections = pages.compare_sections(get_catalog(), analysis.comparisons, geo.display_name)
    units = {v["variable"].unit for p in sections for s in p["predictors"]
             for m in s["metrics"] for v in m["variables"] if v["plotted"]}  # fmt: skip
    context = _context(request, geo, analysis.peer_set, "compare")
    context.update(sections=sections, peers=pages.peer_rows(analysis.peers),
                   charts=mark_safe(peer_chart.page_charts(units)))  # fmt: skip
    return render(request, "explorer/analysis/compare.html", context)


# -- insights -----------------------------------------------------------------------------


def _bright_spots(analysis: PlaceAnalysis) -> list[dict[str, Any]]:
    catalog = get_catalog()
    out = []
    for predictor in catalog.predictors:
        spots: BrightSpots = place_bright_spots(analysis, predictor.id)
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


@analysis_errors
def insights(request: HttpRequest, level: str, fips: str) -> HttpResponse:
    geo, analysis = _analysis(request, level, fips)
    report = analysis.insights
    context = _context(request, geo, analysis.peer_set, "insights")
    compare_url = context["links"]["compare"]
    context.update(
        pillars=[{"pillar": p.pillar,
                  "strengths": [pages.insight_item(i, compare_url) for i in p.strengths],
                  "areas": [pages.insight_item(i, compare_url) for i in p.areas_to_explore],
                  "standings": [pages.insight_item(i, compare_url) for i in p.standings],
                  "uncertain": [pages.insight_item(i, compare_url) for i in p.too_uncertain]}
                 for p in report.pillars],
        gaps=[pages.insight_item(i, compare_url) for i in report.disparities],
        breakdowns=pages.breakdown_blocks(analysis.breakdowns, report.disparities),
        changes=[pages.insight_item(i, compare_url) for i in report.changes],
        trends=[pages.trend_row(t) for t in analysis.trends],
        bright_spots=_bright_spots(analysis),
    )  # fmt: skip
    return render(request, "explorer/analysis/insights.html", context)


# -- review guide -------------------------------------------------------------------------


def _guide_download(guide: review_guide.ReviewGuide, fmt: str) -> HttpResponse:
    if fmt not in review_guide.FORMATS:
        raise BadParameter(f"The review guide comes as {', '.join(review_guide.FORMATS)}; "
                           f"'{fmt}' is not one of them.")  # fmt: skip
    body = review_guide.render(guide, fmt)  # type: ignore[arg-type]
    response = HttpResponse(body, content_type=GUIDE_TYPES[fmt])
    name = f"upward-review-guide-{guide.geoid}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@analysis_errors
def guide(request: HttpRequest, level: str, fips: str) -> HttpResponse:
    geo, analysis = _analysis(request, level, fips)
    if request.method == "POST":
        notes = {q: request.POST.get(f"note_{q}", "").strip() for q in review_guide.QUESTION_IDS}
        try:
            built = review_guide.build_review_guide(analysis, {k: v for k, v in notes.items() if v})
        except ValueError as problem:
            raise BadParameter(str(problem)) from None
        return _guide_download(built, request.POST.get("format", "").strip().lower())
    built = review_guide.build_review_guide(analysis)
    context = _context(request, geo, analysis.peer_set, "review-guide")
    context.update(guide=built, formats=GUIDE_CHOICES)
    return render(request, "explorer/analysis/review_guide.html", context)


# -- files (.json, .csv and the guide's formats) ------------------------------------------


@analysis_errors
def page_file(request: HttpRequest, level: str, fips: str, page: str, fmt: str) -> HttpResponse:
    if fmt not in FILE_FORMATS[page]:
        raise BadParameter(f"The {page} page comes as {', '.join(FILE_FORMATS[page])}; "
                           f"'{fmt}' is not one of them.")  # fmt: skip
    geo, analysis = _analysis(request, level, fips)
    links = _links(geo, analysis.peer_set.to_token())
    release = release_name(get_release())
    if page == "peers" and fmt == "json":
        return _json(peers_out(analysis.peers, analysis.peer_set).model_dump(mode="json"))
    if page == "compare" and fmt == "json":
        metric = request.GET.get("metric", "").strip()
        if metric:
            get_catalog().metric(metric)
        found = comparisons_out(geo, analysis.peer_set, analysis.comparisons, release, metric)
        return _json(found.model_dump(mode="json"))
    if page == "insights":
        found = insights_out(geo, analysis.peer_set, analysis.insights, release)
        return _json(found.model_dump(mode="json"))
    if fmt == "csv":
        if page == "peers":
            text = to_csv(pages.peer_csv_rows(analysis.peers, analysis.peer_set.name),
                          pages.PEER_CSV_COLUMNS)  # fmt: skip
        else:
            text = to_csv(pages.compare_csv_rows(analysis), pages.COMPARE_CSV_COLUMNS)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="upward-{page}-{geo.geoid}.csv"'
        return response
    built = review_guide.build_review_guide(analysis)
    if fmt == "json":
        return _json({**asdict(built), "links": links})
    return _guide_download(built, fmt)


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
