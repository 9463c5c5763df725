"""The vendored front-end assets work together in Chromium, served by us alone.

USWDS styles and fonts load, Vega, Vega-Lite and Vega-Embed render a chart spec that
the venv's Altair builds, topojson-client turns us-atlas into features, and the
versions running in the page are the ones VERSIONS.json records.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import pytest
from playwright.sync_api import Page, Response

from .conftest import ROOT, _unavailable

VENDOR = ROOT / "src" / "upward" / "web" / "static" / "vendor"

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Vendored assets</title>
  <link rel="stylesheet" href="/vendor/uswds/css/uswds.min.css">
  <script src="/vendor/uswds/js/uswds-init.min.js"></script>
</head>
<body>
  <main class="usa-prose grid-container">
    <h1>Vendored assets</h1>
    <p>Body text set in Source Sans Pro.</p>
    <div id="chart"></div>
  </main>
  <script src="/vendor/uswds/js/uswds.min.js"></script>
  <script src="/vendor/vega.min.js"></script>
  <script src="/vendor/vega-lite.min.js"></script>
  <script src="/vendor/vega-embed.min.js"></script>
  <script src="/vendor/topojson-client.min.js"></script>
</body>
</html>
"""


@dataclass
class LoadedPage:
    """The test page, and every error it logged or HTTP failure it met."""

    page: Page
    problems: list[str] = field(default_factory=list)


@pytest.fixture
def versions() -> dict[str, Any]:
    path = VENDOR / "VERSIONS.json"
    if not path.is_file():
        _unavailable(f"{path} is missing: run scripts/setup.sh to vendor the front-end assets")
    return dict(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture
def loaded(
    page: Page, tmp_path: Path, serve_directory: Callable[[Path], str], versions: dict
) -> LoadedPage:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "vendor").symlink_to(VENDOR, target_is_directory=True)
    loaded = LoadedPage(page)
    problems = loaded.problems
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )

    def check_status(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("response", check_status)
    page.goto(f"{serve_directory(tmp_path)}/index.html")
    page.evaluate("() => document.fonts.ready")
    return loaded


def test_library_versions_match_versions_json(loaded: LoadedPage, versions: dict) -> None:
    running = loaded.page.evaluate(
        "() => ({vega: vega.version, 'vega-lite': vegaLite.version,"
        " 'vega-embed': vegaEmbed.version})"
    )
    packages = versions["packages"]
    assert running == {name: packages[name] for name in ("vega", "vega-lite", "vega-embed")}
    assert loaded.problems == []


def test_altair_chart_renders_with_vendored_vega(loaded: LoadedPage) -> None:
    data = alt.Data(values=[{"year": y, "share": s} for y, s in [(2018, 0.4), (2021, 0.55)]])
    spec = alt.Chart(data).mark_bar().encode(x="year:O", y="share:Q").to_dict()
    assert spec["$schema"] == alt.SCHEMA_URL
    bars = loaded.page.evaluate(
        """async (spec) => {
            await vegaEmbed('#chart', spec, {renderer: 'svg', actions: false});
            return document.querySelectorAll('#chart svg .mark-rect path').length;
        }""",
        spec,
    )
    assert bars == 2
    assert loaded.problems == []


def test_uswds_styles_scripts_and_fonts_load(loaded: LoadedPage) -> None:
    font = loaded.page.evaluate(
        "() => ({family: getComputedStyle(document.body).fontFamily,"
        " loaded: document.fonts.check('16px \"Source Sans Pro Web\"')"
        " && [...document.fonts].some(f => f.family.includes('Source Sans Pro Web')"
        " && f.status === 'loaded')})"
    )
    assert font["family"].startswith('"Source Sans Pro Web"')
    assert font["loaded"] is True
    assert (
        loaded.page.evaluate("() => getComputedStyle(document.querySelector('main')).maxWidth")
        == "1024px"
    )  # .grid-container: 64rem
    assert loaded.page.evaluate("() => window.uswdsPresent") is True
    assert loaded.problems == []


def test_us_atlas_topology_becomes_features(loaded: LoadedPage) -> None:
    counts = loaded.page.evaluate(
        """async () => {
            const counties = await (await fetch('/vendor/us-atlas/counties-10m.json')).json();
            const states = await (await fetch('/vendor/us-atlas/states-10m.json')).json();
            return {
                counties: topojson.feature(counties, counties.objects.counties).features.length,
                states: topojson.feature(states, states.objects.states).features.length,
                firstCounty: topojson.feature(counties, counties.objects.counties)
                    .features[0].id,
            };
        }"""
    )
    assert counts["counties"] == 3231
    assert counts["states"] == 56
    assert len(counts["firstCounty"]) == 5  # zero-padded 5-character county FIPS
    assert loaded.problems == []
