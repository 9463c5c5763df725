"""Write the public explorer as a static site: every page, its data files and its assets.

:func:`export_site` renders the home page (the site's ``index.html``), the metrics list,
every state, every metric and every county and city profile through the explorer's own
views (the page a visitor gets, without the server-only parts: ``static_site`` in the
template context), with their ``.json`` and ``.csv`` twins, rewrites their links
(:mod:`.links`) and copies the static files they use (and the fonts and images their
style sheets use). Pages are rendered by ``workers`` processes, each with its own
release, and written into a new folder beside ``DIR``, which replaces ``DIR`` only once
every file is there: a failed export leaves ``DIR`` as it was.

``DIR`` must be new, empty or a previous export (it holds the manifest,
:mod:`.manifest`); anything else is refused before a file is written. With
``only_changed``, a file whose content is the previous export's (release names masked) is
not rewritten: the new site holds the very same file (a hard link), and only pages whose
content changed are written.
"""

from __future__ import annotations

import base64
import gc
import json
import multiprocessing
import os
import re
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import resolve

from upward import explore
from upward.catalog import get_catalog
from upward.explore import Geography, Release
from upward.web.context import STATIC_SITE
from upward.web.explorer import browse
from upward.web.static_site import links
from upward.web.static_site.manifest import NAME as MANIFEST_NAME
from upward.web.static_site.manifest import Entry, Manifest, ManifestError, content_hash

DEFAULT_WORKERS = 2
CHUNK = 16
"""Pages handed to a worker at a time (their places' cells are read in one query)."""
ALWAYS_WRITTEN = frozenset({"index.html"})
"""The site's front page names the release it was exported from: written every time."""
COLLECTOR_THRESHOLDS = (50_000, 20, 20)
"""The cycle collector's thresholds while pages render (Python's: 700, 10, 10). A page
makes some 100,000 short-lived objects, few of them in cycles; at Python's thresholds the
collector ran for about 15% of a page's CPU, walking the same long-lived objects again and
again."""
_CSS_URL = re.compile(r"""url\(\s*["']?(?P<url>[^"')]+)["']?\s*\)""")


class ExportRefused(Exception):
    """The folder cannot take an export (nothing was written)."""


class ExportFailed(Exception):
    """A page could not be rendered (the folder was left as it was)."""


@dataclass(frozen=True)
class SiteExport:
    """What an export wrote."""

    directory: Path
    release: str
    pages: int
    """HTML pages, the index among them."""
    place_pages: int
    data_files: int
    assets: int
    written: int
    """Pages and data files written (all of them, unless ``only_changed``)."""
    kept: int
    """Unchanged pages and data files kept from the previous export."""
    removed: int
    """Files of the previous export the new one no longer has."""
    total_bytes: int
    median_page_bytes: int
    """The median county or city profile page (HTML alone; assets are shared)."""
    seconds: float
    changed: tuple[str, ...] = ()
    """The pages and data files written, when ``only_changed`` (else empty)."""


def check_target(directory: Path) -> Manifest | None:
    """The previous export's manifest in ``directory``, None when new or empty; else refused."""
    if not directory.exists():
        return None
    if not directory.is_dir():
        raise ExportRefused(f"{directory} is a file, not a folder; choose a folder for the site.")
    if not (directory / MANIFEST_NAME).is_file():
        if any(directory.iterdir()):
            raise ExportRefused(
                f"{directory} is not empty and holds no earlier export (no {MANIFEST_NAME}); "
                "nothing was written. Choose a new or empty folder, or one that "
                "`upward export site` wrote before."
            )
        return None
    try:
        return Manifest.read(directory)
    except ManifestError as exc:
        raise ExportRefused(f"{exc} Nothing was written.") from exc


# -- what the site holds ------------------------------------------------------------------


def site_pages(release: Release) -> tuple[list[str], list[str]]:
    """(the other pages, the county and city profiles) of the site, as paths."""
    states = browse.list_states(release.places)
    other = ["/", "/metrics/", *(f"/state/{s.fips}/" for s in states)]
    other += [f"/metric/{m.id}/" for m in get_catalog().metrics]
    places = [geo.url_path for geo in release.places.values()]
    return other, places


def release_masks(citation: str, version: str, name: str) -> tuple[bytes, ...]:
    """How the release names itself in pages and twins (blanked before hashing them)."""
    words = [citation, version, f'"name": {json.dumps(name, ensure_ascii=False)}' if name else ""]
    return tuple(w.encode() for w in sorted(filter(None, words), key=len, reverse=True))


def _release_block(name: str | None) -> AbstractContextManager[Release | None]:
    return explore.use_release(name) if name else explore.serving()


# -- one worker -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    staging: str
    previous: str | None
    """The previous export's folder, when only changed files are written."""
    previous_files: dict[str, Entry]
    pages: frozenset[str]
    release_name: str | None
    masks: tuple[bytes, ...]
    version: str


@dataclass
class _Done:
    files: dict[str, tuple[Entry, bool]] = field(default_factory=dict)
    """Each file written or kept: its entry, and whether it was written."""
    assets: set[str] = field(default_factory=set)
    version: str = ""


class _Worker:
    def __init__(self, job: _Job) -> None:
        self.job = job
        self.site_links = links.SiteLinks(job.pages)
        self.factory = RequestFactory()
        self.seen: set[str] = set()
        self._places: dict[str, Geography] | None = None

    def fetch(self, url: str) -> bytes:
        """What the explorer answers at ``url`` for the static site."""
        request = self.factory.get(url)
        request.user = AnonymousUser()
        setattr(request, STATIC_SITE, True)
        match = resolve(request.path_info)
        response = match.func(request, *match.args, **match.kwargs)
        if response.status_code != 200 or response.streaming:
            raise ExportFailed(f"{url} answered {response.status_code}, not a page to export.")
        return bytes(response.content)

    def keep(self, name: str, body: bytes, release: str, done: _Done) -> None:
        job = self.job
        digest = content_hash(body, job.masks)
        target = Path(job.staging, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        before = job.previous_files.get(name)
        unchanged = before is not None and before.sha256 == digest
        reuse = job.previous and unchanged and name not in ALWAYS_WRITTEN
        if reuse and before is not None and _link(Path(str(job.previous), name), target):
            done.files[name] = (before, False)
            return
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_bytes(body)
        os.replace(temporary, target)  # the same file may come from two workers
        done.files[name] = (Entry(digest, len(body), release), True)

    def pages(self, paths: list[str]) -> list[_Done]:
        """Each page of ``paths``; the cells of the places among them read at once."""
        with _release_block(self.job.release_name) as release:
            assert release is not None
            if self._places is None:
                self._places = {geo.url_path: geo for geo in release.places.values()}
            release.read_ahead(self._places[p] for p in paths if p in self._places)
            return [self.page(path) for path in paths]

    def page(self, path: str) -> _Done:
        done = _Done()
        with _release_block(self.job.release_name) as release:
            assert release is not None
            done.version = release.version
            name = release.release_name or self.job.release_name or ""
            own = links.page_file(path)
            found = self.site_links.rewrite(self.fetch(path).decode(), own)
            self.keep(own, found.html.encode(), name, done)
            done.assets |= found.assets
            for url, file in found.data.items():
                if url not in self.seen:
                    self.seen.add(url)
                    self.keep(file, self.fetch(url), name, done)
        return done


def _link(source: Path, target: Path) -> bool:
    """Put the previous export's file at ``target`` (the same file: not rewritten)."""
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError:
        return False
    return True


_worker: _Worker | None = None


def _start(job: _Job) -> None:
    global _worker
    _worker = _Worker(job)
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


@contextmanager
def _collector_for_rendering() -> Iterator[None]:
    """Freeze what exists now (the code, the catalog, the URL patterns, the templates) out
    of the cycle collector's reach, and collect less often, while pages render; then as it
    was. Frozen before the workers fork, it also stays unwritten, and so shared, in them."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def _render(paths: list[str]) -> list[_Done]:
    assert _worker is not None
    return _worker.pages(paths)


SITE_TEMPLATES = tuple(
    f"explorer/{name}.html"
    for name in ("home", "metrics", "state", "metric", "profile", "_profile_sections",
                 "_profile_toc", "_glance")
)  # fmt: skip
"""The templates of the site's pages, compiled before the workers start."""


def _warm() -> None:
    """Import the URL patterns (the API's among them, about 2 s) and compile the pages'
    templates once, in the process the workers are forked from, rather than in each."""
    resolve("/")
    for name in SITE_TEMPLATES:
        get_template(name)


def _rendered(job: _Job, paths: list[str], workers: int) -> Iterator[_Done]:
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    if workers <= 1:
        with _collector_for_rendering():
            _start(job)
            for chunk in chunks:
                yield from _render(chunk)
        return
    _warm()
    explore.reset()  # each process opens its own connection to the release
    context = multiprocessing.get_context("fork")
    with _collector_for_rendering(), context.Pool(workers, _start, (job,)) as pool:
        for done in pool.imap_unordered(_render, chunks):
            yield from done


# -- assets ---------------------------------------------------------------------------------


def _asset_source(name: str) -> Path | None:
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


def asset_closure(names: set[str]) -> dict[str, Path]:
    """Each static file the pages use, and the files their style sheets use in turn."""
    found: dict[str, Path] = {}
    todo = sorted(names)
    while todo:
        name = todo.pop()
        source = None if name in found else _asset_source(name)
        if source is None:
            continue
        found[name] = source
        if name.endswith(".css"):
            for match in _CSS_URL.finditer(source.read_text(errors="replace")):
                url = match["url"].split("?", 1)[0].split("#", 1)[0].strip()
                if url and not url.startswith(("data:", "http:", "https:", "/", "#")):
                    joined = os.path.normpath(str(PurePosixPath(name).parent / url))
                    if not joined.startswith(".."):
                        todo.append(joined)
    return found


def inline_svg(css: str, name: str) -> str:
    """``css`` (the static file ``name``) with the SVG images it uses written into it.

    Chromium fetches a CSS mask image (USWDS's icons) as a cross-origin request, which a
    page opened from disk (``file://``, origin ``null``) may not make: written in as
    ``data:`` addresses, the icons show there too.
    """

    def inline(match: re.Match[str]) -> str:
        url = match["url"].strip()
        if not url.endswith(".svg") or url.startswith(("data:", "http:", "https:", "/")):
            return match[0]
        source = _asset_source(os.path.normpath(str(PurePosixPath(name).parent / url)))
        if source is None:
            return match[0]
        return f'url("data:image/svg+xml;base64,{base64.b64encode(source.read_bytes()).decode()}")'

    return _CSS_URL.sub(inline, css)


def _copy_assets(
    names: set[str], staging: Path, previous: Path | None, before: dict[str, Entry]
) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for name, source in asset_closure(names).items():
        site_name = f"{links.STATIC_DIR}/{name}"
        target = staging / site_name
        target.parent.mkdir(parents=True, exist_ok=True)
        body = source.read_bytes()
        if name.endswith(".css"):
            body = inline_svg(body.decode(), name).encode()
        digest = content_hash(body, ())
        old = before.get(site_name)
        same = previous is not None and old is not None and old.sha256 == digest
        if not (same and previous is not None and _link(previous / site_name, target)):
            target.write_bytes(body)
        entries[site_name] = Entry(digest, len(body))
    return entries


# -- the export -----------------------------------------------------------------------------


def _carry_over(previous: Path, manifest: Manifest, staging: Path) -> None:
    """Files someone put beside a previous export (a CNAME, say) stay in the new one."""
    owned = {*manifest.files, *manifest.assets, MANIFEST_NAME}
    for path in previous.rglob("*"):
        name = path.relative_to(previous).as_posix()
        if path.is_file() and name not in owned and not (staging / name).exists():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            if not _link(path, staging / name):
                shutil.copy2(path, staging / name)


def _swap(staging: Path, directory: Path) -> None:
    if not directory.exists():
        staging.rename(directory)
        return
    old = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex[:8]}")
    directory.rename(old)
    try:
        staging.rename(directory)
    except OSError:
        old.rename(directory)
        raise
    shutil.rmtree(old, ignore_errors=True)


def export_site(
    directory: Path,
    *,
    only_changed: bool = False,
    release_name: str | None = None,
    workers: int = DEFAULT_WORKERS,
    progress: Callable[[str], None] | None = None,
) -> SiteExport:
    """Write the site into ``directory`` (see the module's notes); refused or failed: untouched."""
    started = time.perf_counter()
    directory = directory.expanduser().absolute()
    manifest = check_target(directory)
    with _release_block(release_name) as release:
        if release is None:
            raise ExportRefused("No release is loaded; load one with `upward data load`.")
        other, places = site_pages(release)
        name = release_name or release.release_name or ""
        version = release.version
        masks = release_masks(release.citation, version, name)
    previous = directory if (only_changed and manifest is not None) else None
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.export-", dir=directory.parent))
    try:
        job = _Job(str(staging), str(previous) if previous else None,
                   dict(manifest.files) if previous and manifest else {},
                   frozenset(other + places), release_name, masks, version)  # fmt: skip
        if progress:
            progress(f"Rendering {len(other) + len(places):,} pages with {workers} process(es)…")
        files: dict[str, tuple[Entry, bool]] = {}
        assets: set[str] = set()
        for done in _rendered(job, other + places, workers):
            if done.version != version:
                raise ExportFailed("The current release changed during the export; run it again.")
            files.update(done.files)
            assets |= done.assets
        before_assets = dict(manifest.assets) if previous and manifest else {}
        asset_entries = _copy_assets(assets, staging, previous, before_assets)
        entries = {k: entry for k, (entry, _) in files.items()}
        Manifest(name, version, entries, asset_entries).write(staging)
        if manifest is not None:
            _carry_over(directory, manifest, staging)
        _swap(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    place_files = {links.page_file(p) for p in places}
    html_pages = [k for k in entries if k.endswith(".html")]
    written = sorted(k for k, (_, wrote) in files.items() if wrote)
    return SiteExport(
        directory=directory,
        release=name or version,
        pages=len(html_pages),
        place_pages=len(place_files),
        data_files=len(entries) - len(html_pages),
        assets=len(asset_entries),
        written=len(written),
        kept=len(files) - len(written),
        removed=len(set(manifest.files) - set(entries)) if manifest else 0,
        total_bytes=sum(e.bytes for e in (*entries.values(), *asset_entries.values()))
        + (directory / MANIFEST_NAME).stat().st_size,
        median_page_bytes=int(statistics.median(entries[f].bytes for f in place_files))
        if place_files
        else 0,
        seconds=time.perf_counter() - started,
        changed=tuple(written) if previous else (),
    )


def describe(found: SiteExport) -> list[str]:
    """The lines the command line prints about an export."""
    mb = found.total_bytes / 1e6
    lines = [
        f"Wrote {found.pages:,} pages ({found.place_pages:,} county and city profiles), "
        f"{found.data_files:,} data files and {found.assets:,} assets from release "
        f"{found.release} into {found.directory} in {found.seconds:.1f} s.",
        f"Total {mb:,.1f} MB; median profile page {found.median_page_bytes / 1e3:,.0f} KB. "
        f"Open {found.directory / 'index.html'}, or serve the folder from any static host.",
    ]
    if found.changed or found.kept:
        lines.append(
            f"Only changed files: {found.written:,} written, {found.kept:,} unchanged kept, "
            f"{found.removed:,} removed."
        )
    return lines
