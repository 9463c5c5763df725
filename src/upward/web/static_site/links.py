"""A rendered explorer page's links, made to work from a folder: relative, or taken out.

The explorer's pages link by absolute path (``/county/27123/``, ``/static/upward/site.css``,
``/metric/low_birth_weight.csv?year=2023``). In the static site every page is a file
(``county/27123/index.html``), so each address is classified through Django's own URL
resolver and rewritten relative to the page that holds it:

- ``/static/NAME``: an asset, copied into ``static/NAME``;
- a page of the site (home, metrics, a state, a place, a metric) without a query: its
  ``index.html`` (named, so that links work from ``file://``, where no server adds it);
- a ``.json`` or ``.csv`` twin (or a metric's ``map.json``): a data file, rendered too; a
  query string becomes part of its name (``map-1a2b3c4d.json``), so it holds exactly
  what the server answers at that address;
- the server's own features (workspaces, sign-in, the API, the admin, public plan pages):
  the link is taken out with its text ("Make this a priority" means nothing without them);
- any other explorer address (a page with ``?year=``, ``?breakdown=``, a sort order or a
  table page; peers, compare, insights, the review guide, ``.xlsx`` files): the link is
  taken out and its text kept.

Forms all ask the server (search, the year shown, the measure chosen), so every ``<form>``
is taken out; the templates already leave them out of a static page
(``static_site`` in the context), this is the guarantee.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

STATIC_PREFIX = "/static/"
STATIC_DIR = "static"
"""Where assets go in the site."""
SERVER_ONLY = ("/w/", "/api/", "/accounts/", "/admin/", "/p/")
"""Addresses that need the server (and its database): links to them are taken out."""
PAGE_ROUTES = frozenset(
    {"explorer:home", "explorer:metrics", "explorer:state", "explorer:profile", "explorer:metric"}
)
DATA_ROUTES = frozenset(
    {"explorer:home_json", "explorer:metrics-json", "explorer:state_json", "explorer:metric-json",
     "explorer:metric-csv", "explorer:metric-map", "explorer:profile_file"}
)  # fmt: skip
DATA_FORMATS = frozenset({"json", "csv"})
"""The twins a static site carries (``.xlsx`` workbooks are built on request only)."""

_FORM = re.compile(r"<form\b.*?</form>", re.S)
_ANCHOR = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<body>.*?)</a>", re.S)
_HREF = re.compile(r'\shref="(?P<url>[^"]*)"')
# (Each pattern starts with its literal part, which the engine finds fast: a page is 250 KB.)
_ATTR = re.compile(r'="(?P<url>/[^"]*)"')
_ATTR_NAME = re.compile(r"\s(?:href|src|action|data-map-url|data-source)$")
_STATIC = re.compile(r"""/static/(?P<name>[^"'()\s?#]+)""")
_OPENING = frozenset("\"'(")
"""What comes before a /static/ address in an attribute, a JSON string or a CSS url()."""


class Kind(Enum):
    ASSET = "asset"
    PAGE = "page"
    DATA = "data"
    SERVER = "server"
    """Needs the server: taken out with its text."""
    OTHER = "other"
    """An address the site does not hold: the link is taken out, its text kept."""


@dataclass(frozen=True)
class Target:
    kind: Kind
    file: str = ""
    """Its file in the site, for assets, pages and data files."""


def page_file(path: str) -> str:
    """The page at ``path`` as a file: ``/`` is ``index.html``, ``/state/27/`` is
    ``state/27/index.html``."""
    inner = path.strip("/")
    return f"{inner}/index.html" if inner else "index.html"


def data_file(path: str, query: str) -> str:
    """The file of the twin at ``path?query``; a query adds its hash to the name."""
    name = path.lstrip("/")
    if not query:
        return name
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(query.encode()).hexdigest()[:8]
    return f"{stem}-{digest}{dot}{suffix}"


def relative_path(file: str, here: str) -> str:
    """``posixpath.relpath(file, here)`` for two paths in the site, worked out from their
    parts alone (``relpath`` makes both absolute first: about 6 µs, and most of a page's
    links are to a file not linked from that folder before)."""
    up = [] if here == "." else here.split("/")
    down = file.split("/")
    if not file or any(part in ("", ".", "..") for part in (*up, *down)):
        return posixpath.relpath(file, here)
    same = 0
    for mine, theirs in zip(up, down, strict=False):
        if mine != theirs:
            break
        same += 1
    return "/".join([".."] * (len(up) - same) + down[same:]) or "."


def _route(path: str) -> tuple[str, str] | None:
    """(route name, format) of an explorer address, or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, str(match.kwargs.get("fmt", ""))


def _with_href(attrs: str, href: str, body: str) -> str:
    new = f' href="{html.escape(href)}"'
    return f"<a{_HREF.sub(lambda _: new, attrs, 1)}>{body}</a>"


@dataclass
class Rewritten:
    html: str
    assets: set[str] = field(default_factory=set)
    """Static names (``upward/site.css``) the page uses."""
    data: dict[str, str] = field(default_factory=dict)
    """Each twin address (path and query) the page links to, and its file in the site."""


class SiteLinks:
    """Rewrites pages for a site that holds ``pages`` (their paths, ``/county/27123/``)."""

    def __init__(self, pages: frozenset[str]) -> None:
        self.pages = pages
        self._routes: dict[str, tuple[str, str] | None] = {}
        self._relative: dict[tuple[str, str], str] = {}
        """``posixpath.relpath`` of (file, folder), kept: a page has some 250 links, most
        of them to the same few files (about 6 µs each to work out)."""

    def relative(self, file: str, here: str) -> str:
        """``file`` (a path in the site) as a link from the folder ``here``."""
        found = self._relative.get((file, here))
        if found is None:
            found = self._relative[file, here] = relative_path(file, here)
        return found

    def target(self, url: str) -> Target:
        parts = urlsplit(url)
        path = parts.path
        if path.startswith(STATIC_PREFIX):
            return Target(Kind.ASSET, f"{STATIC_DIR}/{path.removeprefix(STATIC_PREFIX)}")
        if path.startswith(SERVER_ONLY):
            return Target(Kind.SERVER)
        if path not in self._routes:
            self._routes[path] = _route(path)
        route = self._routes[path]
        if route is None:
            return Target(Kind.OTHER)
        name, fmt = route
        if name in PAGE_ROUTES and not fmt and not parts.query and path in self.pages:
            return Target(Kind.PAGE, page_file(path))
        if name in DATA_ROUTES and fmt in DATA_FORMATS:
            return Target(Kind.DATA, data_file(path, parts.query))
        return Target(Kind.OTHER)

    def rewrite(self, text: str, own_file: str) -> Rewritten:
        """``text`` (a page that will be the site's ``own_file``) with working links only."""
        found = Rewritten("")
        here = posixpath.dirname(own_file) or "."

        def relative(target: Target, url: str) -> str:
            if target.kind is Kind.ASSET:
                found.assets.add(target.file.removeprefix(f"{STATIC_DIR}/"))
            elif target.kind is Kind.DATA:
                found.data[url.split("#", 1)[0]] = target.file
            link = self.relative(target.file, here)
            fragment = urlsplit(url).fragment
            return f"{link}#{fragment}" if fragment else link

        def anchor(match: re.Match[str]) -> str:
            attrs, body = match["attrs"], match["body"]
            href = _HREF.search(attrs)
            url = html.unescape(href["url"]) if href else ""
            if url.startswith("?"):  # another view of this page (?breakdown=...#m-x)
                fragment = urlsplit(url).fragment
                if not fragment:
                    return body
                return _with_href(attrs, f"#{fragment}", body)
            if not url.startswith("/") or url.startswith("//"):
                return match[0]  # in-page, external or already relative
            target = self.target(url)
            if target.kind is Kind.SERVER:
                return ""
            if target.kind is Kind.OTHER:
                return body
            return _with_href(attrs, relative(target, url), body)

        def attribute(match: re.Match[str]) -> str:
            url = html.unescape(match["url"])
            name = _ATTR_NAME.search(match.string, max(0, match.start() - 16), match.start())
            if url.startswith("//") or name is None:
                return match[0]
            target = self.target(url)
            if target.kind in (Kind.SERVER, Kind.OTHER):
                return '=""'  # the address goes; what holds it works without (or says so)
            return f'="{html.escape(relative(target, url))}"'

        def static(match: re.Match[str]) -> str:
            if match.string[match.start() - 1 : match.start()] not in _OPENING:
                return match[0]
            found.assets.add(match["name"])
            return self.relative(f"{STATIC_DIR}/{match['name']}", here)

        text = _FORM.sub("", text)
        text = _ANCHOR.sub(anchor, text)
        text = _ATTR.sub(attribute, text)
        found.html = _STATIC.sub(static, text)
        return found
