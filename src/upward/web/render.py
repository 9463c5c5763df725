"""One renderer for the explorer: a view returns a :class:`Result`, the address picks the format.

As in Datasette, every page has twins at the same address plus a suffix: ``/county/27123/``
is the page, ``/county/27123.json`` its data, ``.csv`` and ``.xlsx`` its table. A view
reads the request, calls the library and returns a :class:`Result`: the typed result and
what it can be rendered as (a template and its context, a JSON body, a table, files).
:func:`page` turns the view into a Django view: it renders the format the URL asked for
(``fmt``, from :func:`twins` in the URL patterns), only computing that format, and turns
the library's typed errors into one answer through :func:`upward.web.problem.problem_for`.

JSON is strict (:class:`~upward.web.json_output.StrictJsonResponse`); tables go through
the one CSV and the one XLSX writer of :mod:`upward.reports.downloads`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Generic, TypeVar

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import URLPattern, re_path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods
from pydantic import BaseModel

from upward.explore import FIPS_WIDTH
from upward.reports.downloads import to_csv, to_xlsx
from upward.web.json_output import StrictJsonResponse
from upward.web.page_cache import cache_public_page
from upward.web.problem import Problem, problem_for

T = TypeVar("T")
PAGE = ""
"""The format of the address without a suffix: the HTML page."""
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Html:
    """A page's context, with a status other than 200 (a form sent back with its error)."""

    context: Mapping[str, Any]
    status: int = 200


@dataclass(frozen=True)
class Table:
    """Rows for the ``.csv`` and ``.xlsx`` twins; ``notes`` go on the workbook's 'Notes' sheet.

    The workbook has a sheet per value of the ``split_by`` column (named by ``sheet_names``;
    rows without one go on ``sheet``), and formats values by each row's ``unit``, else ``unit``.
    """

    rows: Sequence[Mapping[str, Any]]
    columns: Sequence[str]
    filename: str
    """Without the extension."""
    sheet: str = "data"
    notes: Sequence[str] = ()
    split_by: str | None = None
    sheet_names: Mapping[str, str] = field(default_factory=dict)
    unit: str | None = None


@dataclass(frozen=True)
class File:
    """A document to download as it is (the review guide as PDF, say)."""

    body: bytes | str
    content_type: str
    filename: str


@dataclass(frozen=True)
class Result(Generic[T]):
    """What a view found, and the formats it can be rendered as.

    Each format is a function of ``value``, called only when that format is asked for.
    """

    value: T
    template: str = ""
    html: Callable[[T], Mapping[str, Any] | Html | HttpResponseBase] | None = None
    json: Callable[[T], Any] | None = None
    table: Callable[[T], Table] | None = None
    table_formats: tuple[str, ...] = TABLE_FORMATS
    files: Mapping[str, Callable[[T], File]] = field(default_factory=dict)
    name: str = "page"
    """For the message about a format the page does not come as."""
    compact: bool = False
    """JSON without spaces (a large array for a script)."""
    cache_seconds: int = 0
    """Let browsers and proxies keep the answer this long (public data only)."""

    @property
    def formats(self) -> tuple[str, ...]:
        """The suffixes this result comes as (without the page itself)."""
        found = ["json"] if self.json else []
        found += list(self.table_formats) if self.table else []
        return (*found, *(f for f in self.files if f not in found))


def download(file: File) -> HttpResponse:
    response = HttpResponse(file.body, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def json_response(data: Any, *, compact: bool = False, status: int = 200) -> StrictJsonResponse:
    """``data`` as strict JSON; a shape of :mod:`upward.explore.shapes` is dumped as declared."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    params: dict[str, Any] = {"ensure_ascii": False}
    if compact:
        params["separators"] = (",", ":")
    return StrictJsonResponse(data, safe=False, json_dumps_params=params, status=status)


def _table(table: Table, fmt: str) -> HttpResponse:
    if fmt == "csv":
        body: str | bytes = to_csv(table.rows, table.columns)
    else:
        body = to_xlsx(table.rows, table.columns, sheet=table.sheet, notes=table.notes,
                       split_by=table.split_by, sheet_names=table.sheet_names,
                       unit=table.unit)  # fmt: skip
    return download(File(body, CSV_TYPE if fmt == "csv" else XLSX_TYPE, f"{table.filename}.{fmt}"))


def _html(request: HttpRequest, result: Result[Any]) -> HttpResponseBase:
    assert result.html is not None, "a result shown as a page needs its context"
    found = result.html(result.value)
    if isinstance(found, HttpResponseBase):
        return found
    page = found if isinstance(found, Html) else Html(found)
    return render(request, result.template, dict(page.context), status=page.status)


def render_result(request: HttpRequest, result: Result[Any], fmt: str = PAGE) -> HttpResponseBase:
    """``result`` as the page (``fmt`` empty) or as the twin with suffix ``fmt``."""
    if fmt == PAGE:
        response = _html(request, result)
    elif fmt not in result.formats:
        raise Problem(400, "Bad request", f"The {result.name} comes as "
                      f"{', '.join(result.formats)}; '{fmt}' is not one of them.")  # fmt: skip
    elif fmt in result.files:
        response = download(result.files[fmt](result.value))
    elif fmt == "json":
        assert result.json is not None
        response = json_response(result.json(result.value), compact=result.compact)
    else:
        assert result.table is not None
        response = _table(result.table(result.value), fmt)
    if result.cache_seconds:
        patch_cache_control(response, public=True, max_age=result.cache_seconds)
    return response


def problem_response(request: HttpRequest, problem: Problem, fmt: str = PAGE) -> HttpResponse:
    """The problem as a JSON error object (API and ``.json`` addresses) or as a page."""
    if fmt == "json" or request.path.startswith("/api/") or request.path.endswith(".json"):
        return json_response(problem.as_dict(), status=problem.status)
    context = {"status": problem.status, "title": problem.title, "message": problem.message,
               "suggestions": problem.suggestions, **problem.context}  # fmt: skip
    return render(request, problem.template, context, status=problem.status)


def moved(request: HttpRequest, old: str, new: str) -> HttpResponsePermanentRedirect:
    """A 301 to this address with its part ``old`` read as ``new``, the query string kept.

    ``/state/MN.json?x=1`` with ``old`` '/state/MN' and ``new`` '/state/27' moves to
    ``/state/27.json?x=1``: the page and each twin move to their own new address.
    """
    location = request.path.replace(old, new, 1)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{location}?{query}" if query else location)


def _other_level(request: HttpRequest, kwargs: Mapping[str, Any]) -> HttpResponseBase | None:
    """A 301 for a well-formed FIPS code of the other kind: /county/4075000/ -> /city/4075000/."""
    level, fips = kwargs.get("level"), kwargs.get("fips")
    if not isinstance(level, str) or not isinstance(fips, str) or level not in FIPS_WIDTH:
        return None
    if not (fips.isascii() and fips.isdigit()) or len(fips) == FIPS_WIDTH[level]:
        return None
    other = next((k for k, width in FIPS_WIDTH.items() if width == len(fips)), None)
    return moved(request, f"/{level}/{fips}", f"/{other}/{fips}") if other else None


View = Callable[..., "Result[Any] | HttpResponseBase"]


def page(*, cached: bool = False, post: bool = False) -> Callable[[View], Callable[..., Any]]:
    """Make ``view`` (which returns a Result) a Django view for a page and its twins.

    ``cached`` keeps the finished page for anonymous visitors (web/page_cache.py); twins
    are never kept. ``post`` limits the methods to GET, HEAD and POST, and lets the page
    itself (never a twin) take a form.
    """

    def decorate(view: View) -> Callable[..., HttpResponseBase]:
        def respond(request: HttpRequest, *args: Any, fmt: str = PAGE, **kwargs: Any) -> Any:
            try:
                if post and request.method == "POST" and fmt != PAGE:
                    raise Problem(405, "Method not allowed", "A form is sent to the page only.")
                found = _other_level(request, kwargs) or view(request, *args, **kwargs)
                if isinstance(found, HttpResponseBase):
                    return found
                return render_result(request, found, fmt)
            except Exception as exc:  # every typed error the library raises, mapped once
                problem = problem_for(exc)
                if problem is None:
                    raise
                return problem_response(request, problem, fmt)

        kept = cache_public_page(respond)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str = PAGE, **kwargs: Any) -> Any:
            serve = kept if cached and fmt == PAGE else respond
            return serve(request, *args, fmt=fmt, **kwargs)

        return require_http_methods(["GET", "HEAD", "POST"])(wrapped) if post else wrapped

    return decorate


def twins(
    route: str, view: Callable[..., Any], name: str, files: Mapping[str, str],
    page_route: str | None = None,
) -> list[URLPattern]:  # fmt: skip
    """URL patterns for a page (``route/``) and its twins (``route.json``, ...), one view.

    ``route`` is a regular expression without anchors; ``page_route`` replaces the page's
    own (``''`` for the home page, whose twin is ``index.json``); an empty ``name`` leaves
    the page to another pattern. ``files`` maps each suffix to its pattern's name: a word
    (``json``) is that suffix alone; an expression (``json|csv``) captures the suffix, and
    one that the result does not come as is a 400.
    """
    own = f"^{route}/$" if page_route is None else f"^{page_route}$"
    patterns = [re_path(own, view, name=name)] if name else []
    for suffix, file_name in files.items():
        if re.fullmatch(r"\w+", suffix):
            patterns.append(re_path(rf"^{route}\.{suffix}$", view, {"fmt": suffix}, file_name))
        else:
            patterns.append(re_path(rf"^{route}\.(?P<fmt>{suffix})$", view, name=file_name))
    return patterns
