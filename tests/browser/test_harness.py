"""The browser harness itself: Chromium starts, axe-core passes good pages and catches
bad ones, screenshots come out at both widths, and requests off the machine are refused."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from upward.web.security_headers import CONTENT_SECURITY_POLICY, header_value

from .conftest import collect_csp_violations, confine_to_machine

GOOD_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Harness check</title></head>
<body>
  <main>
    <h1>Harness check</h1>
    <p>A small page that meets WCAG 2.1 AA.</p>
    <img src="dot.svg" alt="A blue dot" width="40" height="40">
    <form><label for="place">Place</label> <input id="place" name="place"></form>
  </main>
</body>
</html>
"""

# Two violations: an image with no text alternative, an input with no label.
BROKEN_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken page</title></head>
<body>
  <main>
    <h1>Broken page</h1>
    <img id="no-alt" src="dot.svg" width="40" height="40">
    <input id="no-label" name="place">
  </main>
</body>
</html>
"""

# Our policy (less frame-ancestors, which a <meta> cannot carry), an inline script, an inline
# style attribute and a script that calls eval: three violations.
META_POLICY = header_value(
    {k: v for k, v in CONTENT_SECURITY_POLICY.items() if k != "frame-ancestors"}
)
CSP_PAGE = f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>CSP check</title>
<meta http-equiv="Content-Security-Policy" content="{META_POLICY}"></head>
<body>
  <main>
    <h1 style="color: red">CSP check</h1>
    <script>document.title = "inline ran";</script>
    <script src="eval.js"></script>
  </main>
</body>
</html>
"""
EVAL_JS = "try { new Function('return 1')(); } catch (e) { document.body.dataset.refused = '1'; }"

DOT_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<circle cx="20" cy="20" r="18" fill="#005ea2"/></svg>'
)


@pytest.fixture
def site(tmp_path: Path, serve_directory: Callable[[Path], str]) -> str:
    (tmp_path / "good.html").write_text(GOOD_PAGE, encoding="utf-8")
    (tmp_path / "broken.html").write_text(BROKEN_PAGE, encoding="utf-8")
    (tmp_path / "dot.svg").write_text(DOT_SVG, encoding="utf-8")
    (tmp_path / "csp.html").write_text(CSP_PAGE, encoding="utf-8")
    (tmp_path / "eval.js").write_text(EVAL_JS, encoding="utf-8")
    return serve_directory(tmp_path)


def png_width(path: Path) -> int:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int(struct.unpack(">I", header[16:20])[0])


def test_accessible_page_passes(page: Page, site: str, assert_accessible: Callable) -> None:
    page.goto(f"{site}/good.html")
    assert page.locator("h1").inner_text() == "Harness check"
    assert_accessible(page, context="harness good page")


def test_violations_are_reported_with_id_impact_and_target(
    page: Page, site: str, assert_accessible: Callable
) -> None:
    page.goto(f"{site}/broken.html")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, context="harness broken page")
    message = str(failure.value)
    assert message.startswith("harness broken page: 2 WCAG 2.1 A/AA violation(s)")
    assert "- image-alt (critical): Images must have alternative text" in message
    assert "at #no-alt" in message
    assert "- label (critical)" in message
    assert "at #no-label" in message


def test_screenshots_at_desktop_and_phone_widths(
    page: Page, site: str, screenshot: Callable
) -> None:
    page.goto(f"{site}/good.html")
    paths = screenshot(page, "harness-good")
    assert [p.name for p in paths] == ["harness-good-1280.png", "harness-good-375.png"]
    assert [png_width(p) for p in paths] == [1280, 375]
    assert page.viewport_size == {"width": 1280, "height": 800}


def test_requests_off_the_machine_are_refused(browser: Browser, site: str) -> None:
    context = browser.new_context()
    refused = confine_to_machine(context)
    try:
        page = context.new_page()
        page.goto(f"{site}/good.html")
        page.set_content('<img alt="remote" src="https://cdn.example.org/x.png">')
        page.wait_for_load_state("load")
    finally:
        context.close()
    assert refused == ["https://cdn.example.org/x.png"]


def test_csp_violations_are_collected(browser: Browser, site: str) -> None:
    context = browser.new_context()
    violations = collect_csp_violations(context)
    try:
        page = context.new_page()
        page.goto(f"{site}/csp.html")
        page.wait_for_function("() => window.upwardCspViolations >= 3")
        assert page.title() == "CSP check"  # the inline script did not run
        assert page.locator("body").get_attribute("data-refused") == "1"  # nor eval
    finally:
        context.close()
    text = "\n".join(violations)
    assert len(violations) == 3, text
    assert "script-src-elem refused inline" in text, text
    assert "style-src-attr refused inline" in text, text
    assert "script-src refused eval" in text, text
