"""The release load against a single-pass DuckDB read of the same files (issue 8, item 14).

    uv run python benchmarks/bench_load.py             # 3 pairs of runs
    uv run python benchmarks/bench_load.py --repeat 5

Each pair runs, as child processes one after the other (alternating which goes first):

* the **baseline**: one ``read_csv`` per CSV file of the release into a table of a new
  DuckDB file, every column as VARCHAR (what any load must at least do: read each byte);
* the **load**: ``upward data load DIR --warehouse ...`` (the installed console script).

It reports each pair's wall times and their ratio (target: the load takes at most 2.5
times the baseline), CPU time and peak memory of the load (target: at most 2 GB), and the
load average before and after, because the machine is shared. Writes
benchmarks/results/load.json. The data folder is $UPWARD_SHARED_DATA, else
../shared/mobility-data, else --data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import default_data_dir, machine, run_child, upward_command

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "load.json"
RATIO_TARGET = 2.5
PEAK_TARGET_MB = 2048.0

BASELINE = """
import sys
from pathlib import Path
import duckdb
data, target = Path(sys.argv[1]), sys.argv[2]
con = duckdb.connect(target)
for number, path in enumerate(sorted(p for p in data.rglob("*.csv") if p.is_file())):
    con.execute(
        f"CREATE TABLE t{number} AS SELECT * FROM read_csv(?, all_varchar = true, "
        "header = true, strict_mode = false, ignore_errors = true)",
        [str(path)],
    )
con.execute("CHECKPOINT")
con.close()
"""


def one_pair(data: Path, scratch: Path, number: int) -> dict[str, Any]:
    baseline_db = scratch / f"baseline-{number}.duckdb"
    warehouse = scratch / f"warehouse-{number}.duckdb"
    runs = {
        "baseline": [sys.executable, "-c", BASELINE, str(data), str(baseline_db)],
        "load": [*upward_command(), "data", "load", str(data), "--warehouse", str(warehouse)],
    }
    order = ["baseline", "load"] if number % 2 == 0 else ["load", "baseline"]
    out: dict[str, Any] = {"order": order, "loadavg_before": os.getloadavg()[0]}
    for name in order:
        wall, cpu, peak = run_child(runs[name])
        out[name] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_mb": round(peak)}
    out["loadavg_after"] = os.getloadavg()[0]
    out["ratio"] = round(out["load"]["wall_s"] / out["baseline"]["wall_s"], 2)
    out["cpu_ratio"] = round(out["load"]["cpu_s"] / out["baseline"]["cpu_s"], 2)
    for path in (baseline_db, warehouse):
        path.unlink(missing_ok=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pairs = []
    with tempfile.TemporaryDirectory(prefix="upward-bench-load-") as scratch:
        for number in range(args.repeat):
            pair = one_pair(args.data, Path(scratch), number)
            pairs.append(pair)
            print(json.dumps(pair), flush=True)
    ratio = statistics.median(p["ratio"] for p in pairs)
    peak = max(p["load"]["peak_mb"] for p in pairs)
    summary = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "python": platform.python_version(),
        "data": str(args.data),
        "pairs": pairs,
        "median_ratio": ratio,
        "median_cpu_ratio": statistics.median(p["cpu_ratio"] for p in pairs),
        "median_load_s": statistics.median(p["load"]["wall_s"] for p in pairs),
        "median_baseline_s": statistics.median(p["baseline"]["wall_s"] for p in pairs),
        "max_load_peak_mb": peak,
        "targets": {"ratio": RATIO_TARGET, "peak_mb": PEAK_TARGET_MB},
    }
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"\n| measure | value | target |\n|---|---|---|\n"
        f"| load / baseline, wall (median of {len(pairs)}) | {ratio:.2f} | ≤ {RATIO_TARGET} |\n"
        f"| load / baseline, CPU (median) | {summary['median_cpu_ratio']:.2f} | |\n"
        f"| load, wall (median) | {summary['median_load_s']:.1f} s | |\n"
        f"| baseline, wall (median) | {summary['median_baseline_s']:.1f} s | |\n"
        f"| load, peak memory (max) | {peak:.0f} MB | ≤ {PEAK_TARGET_MB:.0f} MB |\n"
    )


if __name__ == "__main__":
    main()
