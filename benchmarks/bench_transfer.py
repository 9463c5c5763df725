"""First-visit transfer of profile pages in a real browser: not a test, a measurement.

    uv run python benchmarks/bench_transfer.py [--home DIR] [--dev] [--port N]

Serves the site as deployed (production settings, ``collectstatic`` with WhiteNoise's
compressed, hashed files, gunicorn with one worker on 127.0.0.1) on the full warehouse,
then opens each of five profiles in headless Chromium (/usr/bin/chromium or
$UPWARD_CHROMIUM, with the test harness's arguments) in a fresh browser context, so with
an empty cache. For each page, from the Resource Timing API (the navigation and every
resource, after the load event and a quiet network):

* the HTML: bytes uncompressed and as transferred (gzip), Content-Encoding;
* every resource of the first visit: requests, bytes transferred (encoded bodies) and
  uncompressed (decoded), by type (html, css, js, json, fonts, images, other);
* DOMContentLoaded and load, in ms from the start of navigation (for information: a
  shared machine, a local server, no network latency).

``collectstatic`` of the vendored files takes minutes; ``--home DIR`` keeps its output in
DIR/static, and ``--no-collect`` reuses it as it is (collect again after static files
change). ``--dev`` measures the development server's setup instead (static files from
the package through WhiteNoise's finders, not compressed).

Prints a Markdown table and writes benchmarks/results/transfer.json (or
transfer-dev.json). Needs a warehouse at $UPWARD_WAREHOUSE (or
$UPWARD_HOME/warehouse.duckdb) and Playwright (``scripts/setup.sh --browser``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT / "tests" / "browser"))

PLACES = {
    "/county/27123/": "Ramsey County, MN (large county)",
    "/county/06037/": "Los Angeles County, CA (largest county)",
    "/county/31009/": "Blaine County, NE (small county)",
    "/city/2758000/": "St. Paul, MN (city)",
    "/city/4835000/": "Houston, TX (city, another state)",
}
TYPES = ("html", "css", "js", "json", "fonts", "images", "other")
EXTENSIONS = {
    ".css": "css",
    ".js": "js",
    ".json": "json",
    ".topojson": "json",
    ".woff2": "fonts",
    ".woff": "fonts",
    ".ttf": "fonts",
    ".otf": "fonts",
    ".png": "images",
    ".svg": "images",
    ".gif": "images",
    ".jpg": "images",
    ".jpeg": "images",
    ".webp": "images",
    ".ico": "images",
}

# Every resource of the page: the navigation first, then each fetched resource.
ENTRIES_JS = """() => {
  const pick = (e) => ({name: e.name, initiator: e.initiatorType || "navigation",
    transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize});
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    entries: [pick(nav), ...performance.getEntriesByType("resource").map(pick)],
    dcl_ms: nav.domContentLoadedEventEnd, load_ms: nav.loadEventEnd,
  };
}"""


def kind_of(url: str, initiator: str) -> str:
    if initiator == "navigation":
        return "html"
    path = urlsplit(url).path.lower()
    if path.endswith(".json") or path.endswith(".json/") or initiator == "fetch":
        return "json"
    for ext, kind in EXTENSIONS.items():
        if path.endswith(ext):
            return kind
    return "other"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(home: Path, dev: bool) -> dict[str, str]:
    from upward import config

    warehouse = config.warehouse_path().resolve()
    if not warehouse.is_file():
        raise SystemExit(f"no warehouse at {warehouse}: build one with `upward data load`")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UPWARD_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(UPWARD_HOME=str(home), UPWARD_WAREHOUSE=str(warehouse))
    if dev:
        env.update(UPWARD_ENV="development")
    else:
        env.update(
            UPWARD_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            UPWARD_SSL_REDIRECT="0",  # plain HTTP on 127.0.0.1 (a proxy does TLS)
        )
    return env


def collect_static(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "upward.cli", "manage", "collectstatic", "--no-input",
         "--verbosity", "0"],
        env=env, check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "upward.web.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn exited before answering") from None
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def html_sizes(base: str, path: str) -> dict[str, Any]:
    """The page as a client without a browser gets it: plain, and gzipped."""
    plain = urllib.request.urlopen(base + path).read()
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as reply:
        gzipped = reply.read()
        encoding = reply.headers.get("Content-Encoding")
    return {"bytes": len(plain), "gzip_bytes": len(gzipped), "encoding": encoding}


def visit(browser: Any, base: str, path: str) -> dict[str, Any]:
    """One first visit: a fresh context (an empty cache), the page loaded and quiet."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    encodings: dict[str, str] = {}
    context.on(
        "response",
        lambda r: encodings.__setitem__(r.url, r.headers.get("content-encoding", "")),
    )
    page = context.new_page()
    page.goto(base + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    found = page.evaluate(ENTRIES_JS)
    context.close()
    resources = []
    for entry in found["entries"]:
        kind = kind_of(entry["name"], entry["initiator"])
        resources.append({
            "url": entry["name"].removeprefix(base),
            "type": kind,
            "encoded": entry["encoded"],
            "decoded": entry["decoded"],
            "transfer": entry["transfer"],
            "encoding": encodings.get(entry["name"], ""),
        })  # fmt: skip
    by_type = {
        kind: {
            "requests": sum(1 for r in resources if r["type"] == kind),
            "encoded": sum(r["encoded"] for r in resources if r["type"] == kind),
            "decoded": sum(r["decoded"] for r in resources if r["type"] == kind),
        }
        for kind in TYPES
    }
    return {
        "requests": len(resources),
        "encoded": sum(r["encoded"] for r in resources),
        "decoded": sum(r["decoded"] for r in resources),
        "transfer_with_headers": sum(r["transfer"] for r in resources),
        "by_type": by_type,
        "dom_content_loaded_ms": round(found["dcl_ms"], 1),
        "load_ms": round(found["load_ms"], 1),
        "resources": resources,
    }


def measure(base: str, paths: list[str]) -> dict[str, Any]:
    from conftest import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path()), headless=True, args=CHROMIUM_ARGS
        )
        try:
            visit(browser, base, paths[0])  # the server's imports and first queries
            for path in paths:
                out[path] = {
                    "html": html_sizes(base, path),
                    "first_visit": visit(browser, base, path),
                }
        finally:
            browser.close()
    return out


def kb(n: int) -> str:
    return f"{n / 1024:,.1f}"


def table(results: dict[str, Any]) -> str:
    head = (
        "| profile | HTML KB | HTML gzip KB | requests | first visit KB (transferred) "
        "| uncompressed KB | " + " | ".join(f"{t} KB" for t in TYPES[1:]) + " | DCL / load ms |"
    )
    lines = [head, "|" + "---|" * (7 + len(TYPES) - 1)]
    for path, got in results["pages"].items():
        html, visit_ = got["html"], got["first_visit"]
        types = " | ".join(
            f"{kb(visit_['by_type'][t]['encoded'])} ({visit_['by_type'][t]['requests']})"
            for t in TYPES[1:]
        )
        lines.append(
            f"| {PLACES.get(path, path)} `{path}` | {kb(html['bytes'])} | {kb(html['gzip_bytes'])} "
            f"| {visit_['requests']} | {kb(visit_['encoded'])} | {kb(visit_['decoded'])} | {types} "
            f"| {visit_['dom_content_loaded_ms']:.0f} / {visit_['load_ms']:.0f} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """run.py's description of the machine, and the browser's version."""
    from run import machine as described  # benchmarks/run.py, beside this file

    chromium = os.environ.get("UPWARD_CHROMIUM", "/usr/bin/chromium")
    try:
        version = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout
    except OSError:
        version = ""
    return {**described(), "chromium": version.strip()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="UPWARD_HOME of the server (kept; reused)")
    parser.add_argument("--dev", action="store_true", help="development settings instead")
    parser.add_argument(
        "--no-collect",
        action="store_true",
        help="reuse --home's collected static files as they are",
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--output", type=Path, help="JSON results file")
    parser.add_argument("paths", nargs="*", help=f"profiles (default: {', '.join(PLACES)})")
    args = parser.parse_args()
    paths = args.paths or list(PLACES)
    with tempfile.TemporaryDirectory(prefix="upward-transfer-") as tmp:
        home = (args.home or Path(tmp)).resolve()
        home.mkdir(parents=True, exist_ok=True)
        env = server_env(home, args.dev)
        collect = not (args.dev or (args.no_collect and (home / "static").is_dir()))
        collect_seconds = round(collect_static(env), 1) if collect else None
        port = args.port or free_port()
        started_load = os.getloadavg()
        server = start_server(env, port)
        try:
            pages = measure(f"http://127.0.0.1:{port}", paths)
        finally:
            server.terminate()
            server.wait(timeout=20)
    results = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "settings": "development" if args.dev else "production (collectstatic, WhiteNoise)",
        "machine": machine(),
        "load_average": {"start": list(started_load), "end": list(os.getloadavg())},
        "collectstatic_seconds": collect_seconds,
        "pages": pages,
    }
    output = args.output or RESULTS / ("transfer-dev.json" if args.dev else "transfer.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nresults written to {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
