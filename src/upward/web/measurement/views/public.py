"""The public progress page of a published plan (issue 14, part 8), at /p/<slug>/: only
the latest published version, and only while the owner keeps the page on.

``/p/<slug>/`` is the dashboard (its twins ``/p/<slug>.json`` and ``/p/<slug>.csv``, one
shape), ``/p/<slug>/plan/`` the published plan (``plan.pdf``, ``plan.docx``; the general
edition unless ``?edition=technical``), ``/p/<slug>/embed/`` a small widget any site may
frame. No account, no JavaScript, English or Spanish (``?lang=``, else the browser's).

Anonymous visitors get a kept copy (web/page_cache.py) keyed on the slug, the version (its
row, so a plan deleted and published again under the same slug is a new key) and its
number, the release's checksum, the language and the format: a new publish or a new
release is a new key, so no page is ever stale; withdrawing the page is seen at once (the
version is looked up first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.cache import patch_vary_headers
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from upward import explore
from upward.explore import ReleaseMissing
from upward.reports.action_plan import PlanDocument, render_body
from upward.reports.downloads import to_csv
from upward.web.knowledge.i18n import public_language
from upward.web.measurement import progress_store, public_store
from upward.web.measurement.models import PlanVersion
from upward.web.measurement.publish_store import latest_public
from upward.web.measurement.views.publish import EDITIONS, plan_file
from upward.web.page_cache import kept_response
from upward.web.render import CSV_TYPE, PAGE, download, json_response, twins
from upward.web.security_headers import EMBED_CSP_HEADER

T = "measurement/"
SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"
RELEASE_KEY = "public-plan-release"


def release_checksum() -> str:
    """The current release's checksum, read once per release (kept in its cache)."""
    try:
        release = explore.current()
    except ReleaseMissing:
        return ""

    def read() -> str:
        try:
            return progress_store.open_progress_release(None)[1].checksum or "-"
        except progress_store.UnknownProgressRelease:
            return "-"

    return release.cache.keep(RELEASE_KEY, "checksum", read, 1)


def _missing(request: HttpRequest, slug: str) -> HttpResponse:
    with public_language(request) as lang:
        response = render(request, T + "public_missing.html", {"lang": lang}, status=404)
    patch_vary_headers(response, ("Accept-Language",))
    return response


def _served(
    request: HttpRequest,
    slug: str,
    fmt: str,
    build: Callable[[PlanVersion, str], HttpResponse],
    *extra: Any,
) -> HttpResponse:
    """The latest public version's ``build`` in the request's language, from the page cache
    for anonymous visitors; the clear 404 page when none is public."""
    version = latest_public(slug)
    if version is None:
        return _missing(request, slug)
    with public_language(request) as lang:
        key = ("public-plan", slug, version.pk, version.number, release_checksum(), lang, fmt,
               *extra)  # fmt: skip
        response = kept_response(request, key, lambda: build(version, lang))
    patch_vary_headers(response, ("Accept-Language",))
    return response


def _context(version: PlanVersion, lang: str) -> dict[str, Any]:
    found = public_store.public_progress(version)
    return {
        "lang": lang,
        "version": version,
        "progress": found,
        "summary": public_store.plan_summary(PlanDocument.from_dict(version.document)),
        "indicators": [public_store.indicator_view(r, lang) for r in found.indicators],
        "action_words": public_store.action_status_words(),
        "open_problems": [public_store.open_problem_words(p) for p in version.problems],
        "published": public_store.localized_date(version.published_at, lang),
    }


@require_safe
def plan_public(request: HttpRequest, slug: str, fmt: str = PAGE) -> HttpResponse:
    def build(version: PlanVersion, lang: str) -> HttpResponse:
        if fmt == "json":
            return json_response(public_store.public_progress(version))
        if fmt == "csv":
            found = public_store.public_progress(version)
            response = HttpResponse(
                to_csv(public_store.csv_rows(found), public_store.CSV_COLUMNS),
                content_type=CSV_TYPE,
            )
            name = f"{slug}-progress-v{version.number}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return render(request, T + "public_progress.html", _context(version, lang))

    return _served(request, slug, fmt, build)


@require_safe
def plan_public_document(request: HttpRequest, slug: str, fmt: str = PAGE) -> HttpResponse:
    """The published plan: a page (the document's body in the public layout), or its PDF
    or DOCX (``fmt``) to download; the general edition unless ``?edition=technical``."""
    edition = request.GET.get("edition", "general")
    if edition not in EDITIONS:
        edition = "general"

    def build(version: PlanVersion, lang: str) -> HttpResponse:
        if fmt != PAGE:
            return download(plan_file(version, fmt, edition))
        document = PlanDocument.from_dict(version.document)
        context = {
            "lang": lang,
            "document": document,
            "edition": edition,
            "body": render_body(document, edition, offset=0),
        }  # type: ignore[arg-type]
        return render(request, T + "public_plan.html", context)

    return _served(request, slug, fmt, build, edition)


@xframe_options_exempt
@require_safe
def plan_embed(request: HttpRequest, slug: str) -> HttpResponse:
    def build(version: PlanVersion, lang: str) -> HttpResponse:
        response = render(request, T + "public_embed.html", _context(version, lang))
        response["Content-Security-Policy"] = EMBED_CSP_HEADER
        return response

    response = _served(request, slug, "embed", build)
    if response.status_code == 200:
        response["Content-Security-Policy"] = EMBED_CSP_HEADER
    return response


public_urls: list[URLPattern] = [
    *twins(SLUG, plan_public, "plan_public", {"json|csv": "plan_public_twin"}),
    path("<slug:slug>/plan/", plan_public_document, name="plan_public_document"),
    path("<slug:slug>/plan.pdf", plan_public_document, {"fmt": "pdf"}, name="plan_public_pdf"),
    path("<slug:slug>/plan.docx", plan_public_document, {"fmt": "docx"}, name="plan_public_docx"),
    path("<slug:slug>/embed/", plan_embed, name="plan_embed"),
]
