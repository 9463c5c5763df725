"""Cold profile pages: server time of a profile built and rendered from nothing kept.

    uv run python benchmarks/bench_profile.py [--places 60] [--rounds 3] [--base DIR]

For each of ``--places`` counties and cities (a fixed random sample), caches are dropped,
then the page is requested through Django's test client: the profile is read from the
warehouse, built and rendered. Two kinds of cold: ``cold_all``, every cache the web
process keeps for the warehouse dropped (as after a release switch), and ``cold_pages``,
only the finished pages and rendered profiles (a server's first request for a place).
Two figures per page: wall time and the process's CPU time (the machine is shared, so
CPU time is the steadier one). The warehouse itself stays open, as in a running server,
and each checkout's process starts as a server's does, by importing ``upward.web.wsgi``.

``--base DIR`` also measures another checkout of the repository (for example the
branch point, ``git worktree add DIR main``) in the same run: they alternate round by
round, each in its own process, so all see the same load. Give ``--base`` more than once
to measure several (``base``, ``base2``, ... in the results). Prints JSON and writes
benchmarks/results/profile.json, with each checkout's medians as a ratio to the first
base's.

Needs a warehouse at $UPWARD_WAREHOUSE (or $UPWARD_HOME/warehouse.duckdb).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "profile.json"


def drop_caches(mode: str) -> None:
    """``all``: forget everything kept for the release in use (finished pages, rendered
    profiles, national and state medians, analysis tables), as a new release does.
    ``pages``: only the finished pages, rendered profiles and glances, as on the first
    request for a place to a server that has served others."""
    try:
        from upward import explore  # type: ignore[attr-defined]  # the release facade
    except ImportError:  # before it: a reset function per module-level cache
        from upward.web import data

        for reset in data._resets:
            if mode == "all" or reset.__name__ in ("forget_pages", "forget_rendered"):
                reset()
        return
    if mode == "all":
        explore.current().invalidate()
    else:
        explore.forget("pages")
        explore.forget("rendered_profiles")
        explore.forget("glances")  # kept beside them since issue 11 (a place's glance)


def measure(mode: str, paths: list[str]) -> dict[str, list[float]]:
    """Wall and CPU milliseconds of each cold page (run inside the checkout measured)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.web.settings")
    import django

    django.setup()
    from django.test import Client

    # Start as a server's process does: gunicorn imports the WSGI module (which, since
    # issue 11, freezes the objects of the loaded application out of the cycle collector).
    import upward.web.wsgi  # noqa: F401

    client = Client()
    for path in paths[:3]:  # imports, the warehouse and its place index, compiled templates
        client.get(path)
    wall, cpu = [], []
    for path in paths:
        drop_caches(mode)
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return {"wall_ms": wall, "cpu_ms": cpu}


def profile_paths(count: int) -> list[str]:
    from upward import config
    from upward.data.warehouse import Warehouse

    with Warehouse(config.warehouse_path()) as wh:
        places = sorted(g.url_path for g in wh.geographies.values() if g.current)
    random.Random(42).shuffle(places)
    return places[:count]


def run_child(checkout: Path, mode: str, paths: list[str]) -> dict[str, list[float]]:
    env = {**os.environ, "PYTHONPATH": str(checkout / "src")}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", mode, *paths],
        cwd=checkout, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.splitlines()[-1])


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median": round(statistics.median(ordered), 1),
        "p95": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "n": len(ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--places", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--base", type=Path, action="append", default=[],
        help="another checkout to measure alongside (repeatable)",
    )  # fmt: skip
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child[0], args.child[1:])))
        return
    paths = profile_paths(args.places)
    checkouts = {"this": ROOT} | {
        "base" if i == 0 else f"base{i + 1}": base.resolve() for i, base in enumerate(args.base)
    }
    modes = ("all", "pages")
    times: dict[tuple[str, str], dict[str, list[float]]] = {
        (k, m): {"wall_ms": [], "cpu_ms": []} for k in checkouts for m in modes
    }
    for _ in range(args.rounds):
        for mode in modes:
            for name, checkout in checkouts.items():
                got = run_child(checkout, mode, paths)
                for key in ("wall_ms", "cpu_ms"):
                    times[name, mode][key] += got[key]
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "machine": f"{platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "places": args.places,
        "rounds": args.rounds,
    }
    for name, checkout in checkouts.items():
        commit = subprocess.run(
            ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        results[name] = {
            "checkout": str(checkout),
            "commit": commit,
            **{
                f"cold_{mode}": {key: summary(v) for key, v in times[name, mode].items()}
                for mode in modes
            },
        }
    if args.base:  # each checkout's medians against the first base's, in the same run
        results["ratio_to_base"] = {
            name: {
                f"cold_{mode}": {
                    key: round(
                        results[name][f"cold_{mode}"][key]["median"]
                        / results["base"][f"cold_{mode}"][key]["median"],
                        3,
                    )
                    for key in ("wall_ms", "cpu_ms")
                }
                for mode in modes
            }
            for name in checkouts
            if name != "base"
        }
    print(json.dumps(results, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
