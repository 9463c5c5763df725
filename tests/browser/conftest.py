"""Browser-test harness: Playwright driving Debian's Chromium, axe-core, screenshots.

Fixtures:
    browser             one headless Chromium per test session (per xdist worker)
    page                a fresh context and page per test, 1280x800; fails the test if
                        the page requests anything but this machine (no CDN, no network)
                        or if Chromium reports a Content-Security-Policy violation
                        (so give wait_for_function a function, "() => ...": a bare
                        expression is run through eval, which the policy refuses)
    assert_accessible   the function below, for tests that prefer a fixture to an import
    screenshot          the function below, likewise
    both_widths         check_both_widths below: axe-core and no sideways scrolling at
                        1280 and 375 px (and, if asked, a full-page PNG at each)
    serve_directory     serve_directory(path) -> base URL of a static server on 127.0.0.1
    site                the live Django server's base URL, reading the full warehouse
                        (a module that wants another warehouse overrides it with
                        ``yield from serve_warehouse(live_server, path)``)

Chromium is /usr/bin/chromium (Debian's package; `scripts/setup.sh --browser` installs
it) or $UPWARD_CHROMIUM. Without it the browser tests are skipped, except in CI
(CI set), where they fail. Every test in this directory is marked `browser`.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Route,
        ViewportSize,
    )

# Playwright's sync API runs an event loop in the test's thread, which makes Django
# refuse ORM calls (SynchronousOnlyOperation) in tests that also use the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "src" / "upward" / "web" / "static" / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "test-output" / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOT_WIDTHS = (1280, 375)
DESKTOP_VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def chromium_path() -> Path:
    return Path(os.environ.get("UPWARD_CHROMIUM", "/usr/bin/chromium"))


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail in CI, where a missing browser is a bug."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails rather than skips)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        _unavailable(
            f"Chromium not found at {executable}: run `scripts/setup.sh --browser` "
            "or set UPWARD_CHROMIUM"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed: run `uv sync`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def confine_to_machine(context: BrowserContext) -> list[str]:
    """Abort every request from the context to a host other than this machine.

    Returns the list into which the refused URLs are collected.
    """
    refused: list[str] = []

    def keep_local(route: Route) -> None:
        address = urlsplit(route.request.url)  # file:// is this machine too (the static export)
        if address.scheme == "file" or (address.hostname or "") in LOCAL_HOSTS:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", keep_local)
    return refused


CSP_REPORT_PREFIX = "[csp-violation]"
# Every page of the context reports each violation event on the console (the event covers
# refused inline scripts and styles, eval and off-policy URLs; Chromium's own console
# message does not cover an eval that the page catches). window.upwardCspViolations
# counts them, for a test that waits for one.
CSP_REPORTER = f"""
window.upwardCspViolations = 0;
document.addEventListener("securitypolicyviolation", function (e) {{
  window.upwardCspViolations += 1;
  console.error("{CSP_REPORT_PREFIX} " + e.effectiveDirective + " refused "
                + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
}});
"""


def collect_csp_violations(context: BrowserContext) -> list[str]:
    """Content-Security-Policy violations on any page of the context, as they are reported."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.text.startswith(CSP_REPORT_PREFIX):
            found.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.add_init_script(CSP_REPORTER)
    context.on("console", on_console)
    return found


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP_VIEWPORT, locale="en-US")
    refused = confine_to_machine(context)
    violations = collect_csp_violations(context)
    yield context.new_page()
    context.close()
    if refused:
        pytest.fail(
            "the page requested addresses off this machine (serve assets locally): "
            + ", ".join(sorted(set(refused))),
            pytrace=False,
        )
    if violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations)),
            pytrace=False,
        )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def serve_directory() -> Iterator[Callable[[Path], str]]:
    """Serve directories over HTTP on 127.0.0.1 (one thread each) for the test's length."""
    servers: list[ThreadingHTTPServer] = []

    def serve(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def axe_violations(page: Page, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core (the vendored copy) on the page; return its violations."""
    if not AXE_JS.is_file():
        raise FileNotFoundError(f"{AXE_JS} is missing: run scripts/setup.sh to vendor assets")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: an inline <script> would break the
        # page's Content-Security-Policy (and be refused).
        page.evaluate("() => {\n" + AXE_JS.read_text(encoding="utf-8") + "\n}")
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        tags or WCAG_TAGS,
    )
    return list(results["violations"])


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'unknown impact'}): "
            f"{violation['help']} [{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
    return "\n".join(lines)


def assert_accessible(page: Page, context: str = "page") -> None:
    """Fail, listing every violation, unless axe-core finds no WCAG 2.1 A/AA violation."""
    violations = axe_violations(page)
    if violations:
        raise AssertionError(
            f"{context}: {len(violations)} WCAG 2.1 A/AA violation(s) found by axe-core "
            f"at {page.url}\n{format_violations(violations)}"
        )


def screenshot(page: Page, name: str) -> list[Path]:
    """Save full-page PNGs at 1280 and 375 px wide as test-output/screenshots/NAME-WIDTH.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or DESKTOP_VIEWPORT
    paths = []
    try:
        for width in SCREENSHOT_WIDTHS:
            page.set_viewport_size({"width": width, "height": original["height"]})
            path = SCREENSHOTS / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
    finally:
        page.set_viewport_size(original)
    return paths


# What sticks out past the viewport's right edge (for the message of a page that scrolls).
OVERFLOW_JS = """() => { const w = document.documentElement.clientWidth; const out = [];
  for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect();
    if (r.right > w + 1) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right)); }
  return out.slice(0, 8); }"""


def check_both_widths(
    page: Page, name: str, *, height: int = 900, shots: Path | None = None
) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation and the page does not scroll sideways, at
    1280 and at 375 px wide; the viewport is put back as it was afterwards.

    ``shots``: also save a full-page PNG at each width, as ``<shots>-<width>.png``.
    """
    original = page.viewport_size or DESKTOP_VIEWPORT
    try:
        for width in SCREENSHOT_WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            assert_accessible(page, context=f"{name} at {width} px")
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            wide = page.evaluate(OVERFLOW_JS) if scroll > width else []
            assert scroll <= width, f"{name} scrolls sideways at {width} px ({scroll}): {wide}"
            if shots is not None:
                shots.parent.mkdir(parents=True, exist_ok=True)
                path = shots.with_name(f"{shots.name}-{width}.png")
                page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(original)


def serve_warehouse(live_server: Any, warehouse_path: Path) -> Iterator[str]:
    """Point the web app at WAREHOUSE_PATH and yield the live server's base URL."""
    from upward.web import data as web_data

    mp = pytest.MonkeyPatch()
    mp.setenv("UPWARD_WAREHOUSE", str(warehouse_path))
    web_data.reset()
    yield str(live_server.url)
    web_data.reset()
    mp.undo()


@pytest.fixture
def site(live_server: Any, full_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, full_warehouse_path)


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture() -> Callable[..., None]:
    return assert_accessible


@pytest.fixture(name="both_widths")
def both_widths_fixture() -> Callable[..., None]:
    return check_both_widths


@pytest.fixture(name="screenshot")
def screenshot_fixture() -> Callable[[Page, str], list[Path]]:
    return screenshot


def sign_in(page: Page, site: str, username: str, next_url: str) -> None:
    """Sign in afresh as ``username`` (the shared test password) and go to ``next_url``."""
    from workspace_support import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
