"""Benchmarks of the warehouse and the command line on the full data (not a timed test).

    uv run python benchmarks/run.py            # full: 3 loads, 10 processes, 1000 calls
    uv run python benchmarks/run.py --quick    # 1 load, 3 processes, 100 calls

Measures, against the targets of issue 2:

* the full load of ../shared/mobility-data (``upward data load`` as a child process):
  wall time and peak resident memory, median of the runs;
* ``upward profile 27123`` as a whole process (interpreter start, imports, query, print);
* a profile, a series and a search as library calls on a warm warehouse.

Prints a Markdown table and writes benchmarks/results/latest.json. The data folder is
$UPWARD_SHARED_DATA, else ../shared/mobility-data beside the repository, else --data.

Also the benchmarks' shared helpers (``from run import ...`` beside it): the machine's
description, child processes, and the page benchmarks' harness (a throw-away workspace
database, pages timed through Django's test client with their SQL queries counted, the
results table and file).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
PLACE = "27123"

TARGETS = {
    "load_seconds": 15.0,
    "load_peak_mb": 2048.0,
    "profile_process_seconds": 1.0,
    "profile_library_ms": 20.0,
}


def default_data_dir() -> Path:
    env = os.environ.get("UPWARD_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "mobility-data"


def upward_command() -> list[str]:
    """The installed console script, as a user runs it (no `uv run` in the timing)."""
    script = Path(sys.executable).parent / "upward"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "upward.cli"]


def child_environment() -> dict[str, str]:
    """The environment of a user's shell: Python may cache compiled modules.

    Some sandboxes set PYTHONDONTWRITEBYTECODE, which makes every process compile every
    module it imports from source (about 0.6 s of CPU for `upward profile`); a user's
    installation keeps the compiled files after the first run.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(args: list[str]) -> tuple[float, float, float]:
    """Run a command; return its wall time (s), its CPU time (user + system, s) and the
    peak RSS of its process tree (MB)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=child_environment()
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n{stderr}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def bench_load(data_dir: Path, warehouse: Path, runs: int) -> dict[str, Any]:
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        wall, cpu, peak = run_child(
            [*upward_command(), "data", "load", str(data_dir), "--warehouse", str(warehouse)]
        )
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "runs": runs,
        "seconds": walls,
        "cpu_seconds": cpus,
        "peak_mb": peaks,
        "median_seconds": statistics.median(walls),
        "median_cpu_seconds": statistics.median(cpus),
        "median_peak_mb": statistics.median(peaks),
        "max_peak_mb_rusage_children": children,
    }


def bench_profile_process(warehouse: Path, runs: int) -> dict[str, Any]:
    args = [*upward_command(), "profile", PLACE, "--warehouse", str(warehouse)]
    run_child(args)  # warm the file system cache once, as a user's second run would be
    measured = [run_child(args) for _ in range(runs)]
    walls = [m[0] for m in measured]
    return {
        "runs": runs,
        "seconds": walls,
        "cpu_seconds": [m[1] for m in measured],
        "median_seconds": statistics.median(walls),
        "median_cpu_seconds": statistics.median(m[1] for m in measured),
        "max_seconds": max(walls),
    }


def time_calls(call: Callable[[], object], runs: int) -> dict[str, Any]:
    call()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "runs": runs,
        "median_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(len(times) * 0.95))],
        "max_ms": times[-1],
    }


def bench_library(warehouse: Path, runs: int) -> dict[str, Any]:
    from upward.data.warehouse import Warehouse

    started = time.perf_counter()
    wh = Warehouse(warehouse)
    wh.geographies  # noqa: B018 - load the place index as a long-running app does
    opened_ms = (time.perf_counter() - started) * 1000
    try:
        return {
            "open_ms": opened_ms,
            "profile": time_calls(lambda: wh.profile(PLACE), runs),
            "profile_by_name": time_calls(lambda: wh.profile("Ramsey County, MN"), runs),
            "series_one_metric": time_calls(lambda: wh.series(PLACE, "income_percentiles"), runs),
            "series_all_metrics": time_calls(lambda: wh.series(PLACE), max(10, runs // 5)),
            "search": time_calls(lambda: wh.search("Ramsey"), runs),
        }
    finally:
        wh.close()


def machine() -> dict[str, Any]:
    def cmd(*args: str) -> str:
        try:
            return subprocess.run(args, capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return ""

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cmd("lscpu").splitlines()
            if line.startswith("Model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kb = next(
        (int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
         if line.startswith("MemTotal")),
        0,
    )  # fmt: skip
    os_name = next(
        (
            line.split("=", 1)[1].strip().strip('"')
            for line in Path("/etc/os-release").read_text().splitlines()
            if line.startswith("PRETTY_NAME=")
        ),
        platform.platform(),
    )
    return {
        "nproc": int(cmd("nproc").strip() or os.cpu_count() or 0),
        "cpu": model,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "os": os_name,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def _ms(stats: dict[str, Any], digits: int = 1) -> str:
    return f"{stats['median_ms']:.{digits}f} / {stats['p95_ms']:.{digits}f} ms"


def table(results: dict[str, Any]) -> str:
    load, proc, lib = results["load"], results["profile_process"], results["library"]
    n_load, n_proc, n_lib = load["runs"], proc["runs"], lib["profile"]["runs"]
    rows = [
        (f"full load, wall time (median of {n_load})", f"{load['median_seconds']:.1f} s",
         "≤ 15 s", verdict(load["median_seconds"], TARGETS["load_seconds"])),
        (f"full load, CPU time user+system (median of {n_load})",
         f"{load['median_cpu_seconds']:.1f} s", "", ""),
        (f"full load, peak memory (median of {n_load})", f"{load['median_peak_mb']:.0f} MB",
         "≤ 2 GB", verdict(load["median_peak_mb"], TARGETS["load_peak_mb"])),
        (f"`upward profile {PLACE}` process, median of {n_proc}",
         f"{proc['median_seconds']:.2f} s", "≤ 1 s",
         verdict(proc["median_seconds"], TARGETS["profile_process_seconds"])),
        (f"`upward profile {PLACE}` process, max / CPU median",
         f"{proc['max_seconds']:.2f} s / {proc['median_cpu_seconds']:.2f} s", "", ""),
        (f"library `profile('{PLACE}')`, median / p95 of {n_lib}", _ms(lib["profile"]),
         "≤ 20 ms", verdict(lib["profile"]["median_ms"], TARGETS["profile_library_ms"])),
        ("library `profile('Ramsey County, MN')`, median / p95", _ms(lib["profile_by_name"]),
         "", ""),
        (f"library `series('{PLACE}', 'income_percentiles')`, median / p95",
         _ms(lib["series_one_metric"]), "", ""),
        (f"library `series('{PLACE}')` (every metric), median / p95",
         _ms(lib["series_all_metrics"]), "", ""),
        ("library `search('Ramsey')`, median / p95", _ms(lib["search"], 2), "", ""),
        ("opening a warehouse and its place index", f"{lib['open_ms']:.0f} ms", "", ""),
    ]  # fmt: skip
    lines = ["| measurement | result | target | |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


# -- shared by the page benchmarks (bench_knowledge_pages.py, bench_logic_model.py) ------


def rounds_parser(doc: str, default: int = 15) -> argparse.ArgumentParser:
    """The page benchmarks' command line: ``--rounds N`` (the docstring's first line as
    the description); add a benchmark's own options, then ``parse_args()``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=default)
    return parser


def warehouse(tmp: str) -> None:
    """$UPWARD_WAREHOUSE, or the full data loaded into ``tmp`` first (about 10 s)."""
    if os.environ.get("UPWARD_WAREHOUSE"):
        return
    from upward.data.ingest import load_release

    data = default_data_dir()
    target = Path(tmp) / "warehouse.duckdb"
    started = time.perf_counter()
    load_release(data, target)
    print(f"loaded {data} in {time.perf_counter() - started:.1f} s")
    os.environ["UPWARD_WAREHOUSE"] = str(target)


@contextmanager
def workspace_database(with_warehouse: bool = True) -> Iterator[Any]:
    """A warehouse (unless ``with_warehouse`` is false), Django set up and a throw-away
    workspace database (SQLite in a temporary folder, or $DATABASE_URL's with a ``test_``
    prefix), dropped on the way out; yields the connection."""
    tmp = tempfile.mkdtemp(prefix="upward-bench-")
    if with_warehouse:
        warehouse(tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.web.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def percentiles(times: list[float]) -> dict[str, float]:
    """Median and 95th percentile (ms, rounded to 0.1) of one measurement's rounds."""
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
    }


def measure(client: Any, url: str, rounds: int) -> dict[str, float] | None:
    """A page's server time through Django's test client, warm (three requests first):
    median and p95 of ``rounds`` requests, the median CPU time of this process (steadier
    than the wall time on a shared machine), and the SQL queries of one request; None when
    it does not answer 200 (a POST-only route)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        if client.get(url).status_code != 200:
            return None
    reset_queries()  # with DEBUG on, the log holds the world's building; a request empties it
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries.captured_queries)  # read now: the next request empties the log
    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {
        **percentiles(times),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": count,
    }


def time_pages(
    client: Any, pages: dict[str, str], rounds: int, what: str = "page"
) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Each page measured and printed as a Markdown table row; the results by name, and
    the names that did not answer 200."""
    results, refused = {}, []
    print(
        f"| {what} | median ms | p95 ms | CPU median ms | SQL queries |\n|---|---:|---:|---:|---:|"
    )
    for name, url in pages.items():
        measured = measure(client, url, rounds)
        if measured is None:
            refused.append(name)
            continue
        results[name] = measured
        print(row(name, measured))
    return results, refused


def row(name: str, measured: dict[str, float]) -> str:
    """One Markdown row: median, p95, CPU median and queries (blank when not measured)."""
    cpu, queries = measured.get("cpu_median_ms"), measured.get("queries")
    return (
        f"| {name} | {measured['median_ms']:.1f} | {measured['p95_ms']:.1f} | "
        f"{'' if cpu is None else f'{cpu:.1f}'} | {'' if queries is None else queries} |"
    )


def write_results(stem: str, vendor: str, results: dict[str, Any]) -> Path:
    """benchmarks/results/<stem>-<vendor>.json."""
    out = ROOT / "benchmarks" / "results" / f"{stem}-{vendor}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke check")
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="data folder")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON results file")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"no data folder at {args.data}; pass --data DIR")
    loads, processes, calls = (1, 3, 100) if args.quick else (3, 10, 1000)
    load_average_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="upward-bench-") as tmp:
        warehouse = Path(tmp) / "warehouse.duckdb"
        print(f"loading {args.data} {loads}x …", file=sys.stderr)
        load = bench_load(args.data, warehouse, loads)
        print(f"`upward profile {PLACE}` {processes}x …", file=sys.stderr)
        proc = bench_profile_process(warehouse, processes)
        print(f"library calls {calls}x …", file=sys.stderr)
        lib = bench_library(warehouse, calls)
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "data": str(args.data),
        "command": upward_command(),
        "machine": machine(),
        "targets": TARGETS,
        "load": load,
        "profile_process": proc,
        "library": lib,
    }
    results["machine"]["load_average_at_start"] = load_average_at_start
    results["machine"]["load_average_at_end"] = os.getloadavg()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nresults written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
