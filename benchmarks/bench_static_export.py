"""The static site of the full data: ``upward export site DIR``, timed as a user runs it.

    uv run python benchmarks/bench_static_export.py [--workers 2] [--keep DIR]

Against issue 15's target (every county and city profile in under 60 s on 2 cores; Urban's
own static pages take 1 to 1.5 hours on 124 cores, about 4.1 MB each):

* a full export into a new folder (``upward export site`` as a child process, with
  ``--workers``): wall time, CPU time of the whole process tree (user + system; the
  machine is shared, so CPU time divided by the cores is what the wall time would be on
  an idle machine) and peak memory;
* ``--only-changed`` right after, with nothing changed: every file compared, none written;
* from the export's manifest: the total size, the median profile page (HTML alone, and
  with its ``.json`` and ``.csv``), and the assets every page shares.

Prints JSON and writes benchmarks/results/static-export.json. Needs a warehouse at
$UPWARD_WAREHOUSE (or $UPWARD_HOME/warehouse.duckdb); without one, builds it from
$UPWARD_SHARED_DATA (or ../shared/mobility-data) into a temporary folder first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, default_data_dir, machine, run_child, upward_command

RESULTS = ROOT / "benchmarks" / "results" / "static-export.json"
TARGET_SECONDS = 60.0
URBAN = {"hours": "1 to 1.5", "cores": 124, "mb_per_page": 4.1}


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def sizes(site: Path) -> dict[str, Any]:
    manifest = json.loads((site / "upward-export.json").read_text())
    files = manifest["files"]
    places = [k for k in files if k.startswith(("county/", "city/")) and k.endswith(".html")]

    def with_twins(page: str) -> int:
        stem = page.removesuffix("/index.html")
        return (
            sum(files[f"{stem}{ext}"]["bytes"] for ext in (".json", ".csv")) + files[page]["bytes"]
        )

    assets = sum(e["bytes"] for e in manifest["assets"].values())
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {
        "pages": sum(1 for k in files if k.endswith(".html")),
        "place_pages": len(places),
        "data_files": sum(1 for k in files if not k.endswith(".html")),
        "asset_files": len(manifest["assets"]),
        "total_mb": round(total / 1e6, 1),
        "assets_mb": round(assets / 1e6, 2),
        "median_page_kb": round(statistics.median(files[p]["bytes"] for p in places) / 1e3, 1),
        "median_page_with_twins_kb": round(statistics.median(map(with_twins, places)) / 1e3, 1),
        "largest_page_kb": round(max(files[p]["bytes"] for p in places) / 1e3, 1),
    }


def export(site: Path, workers: int, *extra: str) -> dict[str, Any]:
    before = load_average()
    wall, cpu, peak = run_child(
        [*upward_command(), "export", "site", str(site), "--workers", str(workers), *extra]
    )
    return {
        "seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "cpu_seconds_per_core": round(cpu / workers, 1),
        "peak_mb_one_process": round(peak),
        "load_average_before": before,
        "load_average_after": load_average(),
    }


def ensure_warehouse(tmp: Path) -> None:
    from upward import config

    if config.warehouse_path().exists():
        return
    from upward.data.ingest import load_release

    target = tmp / "warehouse.duckdb"
    load_release(default_data_dir(), target, release="2025.01")
    os.environ["UPWARD_WAREHOUSE"] = str(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="Write the site here and keep it.")
    parser.add_argument("--no-only-changed", action="store_true", help="Time the full export only.")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "workers": args.workers,
        "target_seconds": TARGET_SECONDS,
        "urban": URBAN,
    }

    def save() -> None:  # after each step: a long run on a busy machine keeps what it found
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n")

    with tempfile.TemporaryDirectory(prefix="upward-static-") as tmp:
        ensure_warehouse(Path(tmp))
        site = args.keep or Path(tmp) / "site"
        if args.keep and site.exists():
            shutil.rmtree(site)
        results["full_export"] = export(site, args.workers)
        results["site"] = sizes(site)
        save()
        if not args.no_only_changed:
            results["only_changed_nothing_changed"] = export(site, args.workers, "--only-changed")
            save()
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
