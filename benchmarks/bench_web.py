"""Web benchmarks for the explorer (issue 3): not a test, a measurement.

    uv run python benchmarks/bench_web.py [--seconds 30] [--port 8931]

1. Server time of a profile page through Django's test client (warm, median of 50).
2. Page weight: HTML of /county/27123/ plus the page-specific data it fetches.
3. Throughput: gunicorn with 2 workers on 127.0.0.1, wrk with 4 connections for N seconds
   against a rotating list of 200 county and city profile URLs; requests per second,
   latency percentiles and errors; once with the page cache off (every request renders
   its page) and once as deployed (finished public pages kept per process).

Needs a warehouse at $UPWARD_WAREHOUSE (or $UPWARD_HOME/warehouse.duckdb) and wrk
(`scripts/setup.sh --bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%.3f, \\"errors\\": %%d, "
    .. "\\"non2xx\\": %%d, \\"p50_ms\\": %%.2f, \\"p95_ms\\": %%.2f, \\"p99_ms\\": %%.2f}\\n",
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def server_time(paths: list[str], rounds: int = 50) -> dict[str, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.web.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for path in paths[:5]:
        client.get(path)  # warm
    timings = []
    for i in range(rounds):
        path = paths[i % len(paths)]
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": sorted(timings)[int(len(timings) * 0.95) - 1],
    }


def page_weight(base: str, path: str) -> dict[str, int]:
    html = urllib.request.urlopen(base + path).read()
    data_urls = re.findall(rb'data-src="([^"]+)"', html)
    data = sum(len(urllib.request.urlopen(base + u.decode()).read()) for u in data_urls)
    return {"html_bytes": len(html), "data_bytes": data, "total_bytes": len(html) + data}


def profile_paths(count: int) -> list[str]:
    from upward import config
    from upward.data.warehouse import Warehouse

    with Warehouse(config.warehouse_path()) as wh:
        places = sorted(g.url_path for g in wh.geographies.values() if g.current)
    random.Random(42).shuffle(places)
    return places[:count]


def throughput(paths: list[str], seconds: int, port: int, cache_pages: int) -> dict[str, float]:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: run scripts/setup.sh --bench")
    tmp = Path(tempfile.mkdtemp())
    (tmp / "paths.txt").write_text("\n".join(paths) + "\n")
    (tmp / "rotate.lua").write_text(WRK_SCRIPT % {"paths": tmp / "paths.txt"})
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "upward.web.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "UPWARD_PAGE_CACHE_PAGES": str(cache_pages)},
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for path in paths:  # one warm pass, as a running server would be
            urllib.request.urlopen(base + path).read()
        weight = page_weight(base, "/county/27123/")
        out = subprocess.run(
            ["wrk", "-t2", "-c4", f"-d{seconds}s", "-s", str(tmp / "rotate.lua"), base],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        line = next(x for x in out.splitlines() if x.startswith("JSON "))
        result = json.loads(line[5:])
        result["rps"] = result["requests"] / result["seconds"]
        return {**result, **weight}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8931)
    args = parser.parse_args()
    paths = profile_paths(200)
    results = {
        "server_time": server_time(paths),
        # Every request renders its page (the page cache off) ...
        "load_cold": throughput(paths, args.seconds, args.port, cache_pages=0),
        # ... and as deployed: finished public pages kept per process.
        "load": throughput(paths, args.seconds, args.port, cache_pages=2048),
    }
    print(json.dumps(results, indent=2))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "web.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
