"""`upward export site DIR` over the fixture release: every page, relative links that
resolve inside the export, the .json and .csv twins, --only-changed, and refusals."""

from __future__ import annotations

import gc
import json
import os
import posixpath
import re
import shutil
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from upward.catalog import get_catalog
from upward.cli import app
from upward.data.ingest import load_release
from upward.explore import Release
from upward.web import data as web_data
from upward.web.static_site import ExportRefused, export_site, links
from upward.web.static_site.export import ExportFailed
from upward.web.static_site.manifest import NAME as MANIFEST

LBW = "04_health/neonatal-health/data/final/rate_low_birth_weight_metric_all_county.csv"
REFERENCE = re.compile(r"""\s(?:href|src|action|data-map-url|data-source)\s*=\s*"([^"]*)\"""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


@pytest.fixture(scope="module")
def places(fixture_warehouse_path: Path) -> list[tuple[str, str]]:
    with Release.open(fixture_warehouse_path) as release:
        return [(g.geo_level, g.geoid) for g in release.places.values()]


@pytest.fixture(scope="module")
def site(fixture_warehouse_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One export of the fixture release, shared by the module's read-only tests."""
    mp = pytest.MonkeyPatch()
    mp.setenv("UPWARD_WAREHOUSE", str(fixture_warehouse_path))
    web_data.reset()
    target = tmp_path_factory.mktemp("static") / "site"
    try:
        export_site(target, workers=1)
    finally:
        web_data.reset()
        mp.undo()
    return target


def pages_of(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def references(page: Path) -> list[str]:
    return [unescape(u) for u in REFERENCE.findall(page.read_text())]


def resolves(site: Path, holder: Path, url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme or url.startswith("#") or not parts.path:
        return True
    target = (holder.parent / unquote(parts.path)).resolve()
    return target.is_relative_to(site.resolve()) and target.is_file()


# --- what the site holds ---------------------------------------------------------------


def test_every_place_state_and_metric_has_its_page(site: Path, places: list) -> None:
    assert (site / "index.html").is_file()
    assert (site / "metrics" / "index.html").is_file()
    for level, fips in places:
        assert (site / level / fips / "index.html").is_file(), (level, fips)
    for metric in get_catalog().metrics:
        assert (site / "metric" / metric.id / "index.html").is_file(), metric.id
    assert (site / "state" / "27" / "index.html").is_file()
    assert (site / "state" / "40" / "index.html").is_file()


def test_each_profile_has_its_json_and_csv_twins(site: Path, places: list) -> None:
    for level, fips in places:
        body = json.loads((site / level / f"{fips}.json").read_text())
        assert body["geography"]["geoid"] == fips
        csv = (site / level / f"{fips}.csv").read_text()
        assert csv.splitlines()[0].startswith("section,")
    page = (site / "county" / "27123" / "index.html").read_text()
    assert 'href="../27123.csv"' in page and 'href="../27123.json"' in page


def test_every_link_and_source_resolves_inside_the_site(site: Path) -> None:
    pages = pages_of(site)
    assert len(pages) > 40
    for page in pages:
        for url in references(page):
            assert not url.startswith("/"), f"{page}: absolute address {url}"
            assert resolves(site, page, url), f"{page.relative_to(site)}: {url} is not in the site"


def test_style_sheets_find_their_fonts_and_images(site: Path) -> None:
    sheets = list((site / "static").rglob("*.css"))
    assert any(s.name == "uswds.min.css" for s in sheets)
    for sheet in sheets:
        for url in CSS_URL.findall(sheet.read_text(errors="replace")):
            if not url.startswith(("data:", "#", "http")):
                assert resolves(site, sheet, url), f"{sheet.relative_to(site)}: {url}"
    assert list((site / "static").rglob("*.woff2")), "the fonts the style sheet uses"


def test_server_only_features_are_left_out(site: Path) -> None:
    for page in pages_of(site):
        text = page.read_text()
        assert "<form" not in text, page
        assert "/w/" not in text and "/api/" not in text and "/accounts/" not in text, page
        assert "Make this a priority" not in text and "Sign in" not in text, page
        assert ".xlsx" not in text, page
    profile = (site / "county" / "27123" / "index.html").read_text()
    assert "Peers and why" not in profile
    home = (site / "index.html").read_text()
    assert 'href="state/27/index.html"' in home
    assert 'href="county/27123/index.html"' not in home  # home lists states, not places
    state = (site / "state" / "27" / "index.html").read_text()
    assert 'href="../../county/27123/index.html"' in state


def test_breakdown_tabs_stay_on_the_page(site: Path) -> None:
    profile = (site / "county" / "27123" / "index.html").read_text()
    tabs = re.findall(r'<a role="tab"[^>]*href="([^"]*)"', profile)
    assert tabs and all(t.startswith("#") for t in tabs)


def test_a_metric_page_links_its_data_and_map(site: Path) -> None:
    page = site / "metric" / "low_birth_weight" / "index.html"
    text = page.read_text()
    map_url = re.search(r'data-map-url="([^"]+)"', text)
    assert map_url and resolves(site, page, map_url[1])
    rows = json.loads((page.parent / map_url[1]).read_text())
    assert any(row[0] == "27123" for row in rows)
    assert re.search(r'"\.\./\.\./static/vendor/us-atlas/counties-10m\.json"', text)
    assert (site / "static" / "vendor" / "us-atlas" / "counties-10m.json").is_file()


def test_a_kept_relative_link_is_worked_out_per_folder() -> None:
    found = links.SiteLinks(frozenset({"/county/27123/"}))
    for _ in range(2):  # the second time from what was kept
        assert found.relative("static/upward/site.css", "county/27123") == (
            "../../static/upward/site.css"
        )
        assert found.relative("static/upward/site.css", ".") == "static/upward/site.css"
        assert found.relative("county/27123.csv", "county/27123") == "../27123.csv"


FOLDERS = (".", "county", "county/27123", "county/2712", "metric/x", "a/b/c")


@pytest.mark.parametrize("here", FOLDERS)
def test_a_relative_link_is_the_one_relpath_makes(here: str) -> None:
    files = ["index.html", "static/upward/site.css", "county/27123/index.html", "county",
             "county/27123.json", "metric/x/map-1a.json", "county/27123/x/y.html"]  # fmt: skip
    for file in files:
        assert links.relative_path(file, here) == posixpath.relpath(file, here), (file, here)


def test_the_manifest_lists_every_file(site: Path) -> None:
    manifest = json.loads((site / MANIFEST).read_text())
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert on_disk == {*manifest["files"], *manifest["assets"], MANIFEST}
    assert "county/27123/index.html" in manifest["files"]


def test_no_export_leaves_a_folder_beside_the_site(site: Path) -> None:
    assert [p.name for p in site.parent.iterdir()] == ["site"]


def test_pages_read_ahead_are_the_pages_read_one_by_one(
    site: Path, fixture_warehouse_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export reads a chunk of places' cells at once (``Release.read_ahead``) and
    renders with the cycle collector tuned; read a place at a time, every file is the same
    byte for byte, and the collector is left as it was."""
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(fixture_warehouse_path))
    monkeypatch.setattr(Release, "read_ahead", lambda self, places: None)
    web_data.reset()
    thresholds = gc.get_threshold()
    try:
        export_site(tmp_path / "alone", workers=1)
    finally:
        web_data.reset()
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in root.rglob("*") if p.is_file()}  # fmt: skip

    assert files(tmp_path / "alone") == files(site)


# --- --only-changed after a new release ------------------------------------------------


@pytest.fixture
def two_releases(tmp_path: Path, fixture_data_dir: Path, monkeypatch) -> Iterator[Path]:
    """Release 'old' from the fixture; then release 'new' with Ramsey's 2016 rate revised."""
    warehouse = tmp_path / "home" / "warehouse.duckdb"
    load_release(fixture_data_dir, warehouse, release="old")
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(warehouse))
    web_data.reset()
    yield warehouse
    web_data.reset()


def _load_revision(fixture_data_dir: Path, tmp_path: Path, warehouse: Path) -> None:
    revised = tmp_path / "revised"
    shutil.copytree(fixture_data_dir, revised)
    lbw = revised / LBW
    text = lbw.read_text()
    assert "2016,27,123,0.0785," in text
    lbw.write_text(text.replace("2016,27,123,0.0785,", "2016,27,123,0.0795,"))
    load_release(revised, warehouse, release="new")
    web_data.reset()


def test_only_changed_rewrites_only_the_changed_pages(
    two_releases: Path, fixture_data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    first = export_site(target, workers=2)  # and through two processes
    assert first.place_pages > 10 and first.written == first.pages + first.data_files
    stat = {p: os.stat(p) for p in target.rglob("*") if p.is_file()}
    _load_revision(fixture_data_dir, tmp_path, two_releases)

    again = export_site(target, only_changed=True, workers=1)
    changed = set(again.changed)
    assert {"county/27123/index.html", "county/27123.json", "county/27123.csv"} <= changed
    assert "county/27053/index.html" not in changed  # Hennepin: same numbers
    assert len(changed) < (again.pages + again.data_files) / 4, sorted(changed)
    assert again.kept == again.pages + again.data_files - len(changed)
    for path, before in stat.items():
        name = path.relative_to(target).as_posix()
        now = os.stat(path)
        same_file = (now.st_ino, now.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
        if name in changed or name in (MANIFEST, "index.html"):
            assert not same_file, name
        elif name.endswith((".html", ".json", ".csv")) and not name.startswith("static/"):
            assert same_file, f"{name} was rewritten but did not change"
    ramsey = (target / "county" / "27123" / "index.html").read_text()
    assert "release new" in ramsey and 'data-value="0.0795"' in ramsey
    assert "release new" in (target / "index.html").read_text()  # the index names the release
    manifest = json.loads((target / MANIFEST).read_text())
    assert manifest["release"] == "new"
    assert manifest["files"]["county/27053/index.html"]["release"] == "old"


# --- refusals and failures ------------------------------------------------------------


def test_a_folder_that_is_not_an_export_is_refused(warehouse_env: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(app, ["export", "site", str(target)])
    assert result.exit_code == 1
    assert "not empty and holds no earlier export" in " ".join(result.stderr.split())
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no staging folder either
    with pytest.raises(ExportRefused):
        export_site(target / "notes.txt", workers=1)


def test_a_failed_export_leaves_the_previous_site(
    warehouse_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "site"
    export_site(target, workers=1)
    before = sorted(p.relative_to(target) for p in target.rglob("*"))
    from upward.web.static_site import export as module

    def broken(self, url: str) -> bytes:
        if url == "/county/27123/":
            raise ExportFailed(f"{url} answered 500, not a page to export.")
        return original(self, url)

    original = module._Worker.fetch
    monkeypatch.setattr(module._Worker, "fetch", broken)
    with pytest.raises(ExportFailed):
        export_site(target, workers=1)
    assert sorted(p.relative_to(target) for p in target.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_command_reports_sizes(warehouse_env: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "site", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "county and city profiles" in text and "median profile page" in text
