"""Local data upload benchmark (issue 12, item 5): not a test, a measurement.

    uv run python benchmarks/bench_local_upload.py [--rows 50000] [--rounds 3]

Generates a local data file of N rows (CSV and XLSX, the same rows: places, ZIP codes,
tracts and neighborhoods; years, spans and quarters; a mix of bounds, 90% and 95%
margins of error and none; subgroups) and times reading and checking every row with
``upward.planning.local_data.parse_local_file``: what an upload does before it saves
anything. Prints the median (wall and CPU time) and the worst of the rounds per format, and the
load average (on a shared machine wall time exceeds CPU time), and writes
benchmarks/results/local-upload.json. Target: under 5 s for 50,000 rows. Pure Python: no
database and no warehouse needed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
RESULTS = ROOT / "benchmarks" / "results" / "local-upload.json"
TARGET_S = 5.0
PLACES = ("27123", "2758000")
HEADER = ["geography", "geography_kind", "period", "value", "lower", "upper", "moe",
          "moe_level", "subgroup", "unit"]  # fmt: skip


def make_rows(n: int) -> list[list[Any]]:
    """N distinct rows that pass every check."""
    rows: list[list[Any]] = []
    for i in range(n):
        kind = ("place", "zip", "tract", "neighborhood")[i % 4]
        area = {
            "place": PLACES[i % 2],
            "zip": f"{55000 + i % 997:05d}",
            "tract": f"27123{i % 9973:06d}",
            "neighborhood": f"Neighborhood {i % 499}",
        }[kind]
        period = (f"{2010 + i % 14}", f"{2010 + i % 14}-{2011 + i % 14}",
                  f"{2010 + i % 14}Q{1 + i % 4}")[i % 3]  # fmt: skip
        value = round(0.05 + (i % 900) / 1000, 4)
        lower = upper = moe = level = ""
        if i % 3 == 0:
            lower, upper = round(value - 0.02, 4), round(value + 0.02, 4)
        elif i % 3 == 1:
            moe, level = 0.015, (90, 95)[i % 2]
        rows.append([area, kind, period, value, lower, upper, moe, level, f"group {i}", "share"])
    return rows


def to_csv_bytes(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def to_xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """A workbook as Excel, LibreOffice and Google Sheets save one: text in the shared
    strings table (openpyxl's normal mode; its write-only mode writes inline strings)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([None if c == "" else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def time_parse(data: bytes, name: str, rounds: int, n: int) -> dict[str, Any]:
    from upward.planning.local_data import parse_local_file

    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = parse_local_file(data, name, PLACES, "share")
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if not result.ok or len(result.rows) != n:
            raise SystemExit(f"{name}: expected {n} good rows, got {result.errors[:3]}")
    return {
        "bytes": len(data),
        "rows": n,
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
        "rounds": [round(t, 3) for t in times],
        "target_s": TARGET_S,
        "meets_target": max(times) < TARGET_S,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from run import machine

    rows = make_rows(args.rows)
    results = {
        "csv": time_parse(to_csv_bytes(rows), "bench.csv", args.rounds, args.rows),
        "xlsx": time_parse(to_xlsx_bytes(rows), "bench.xlsx", args.rounds, args.rows),
    }
    for kind, r in results.items():
        met = "met" if r["meets_target"] else "MISSED"
        print(f"{kind:>4}: {r['rows']:,} rows, {r['bytes'] / 1e6:.1f} MB: parse and check "
              f"median {r['median_s']:.2f} s (CPU {r['cpu_median_s']:.2f} s), worst "
              f"{r['max_s']:.2f} s "
              f"(target < {TARGET_S:.0f} s: {met})")  # fmt: skip
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} on {os.cpu_count()} cores (a shared machine is slower)")
    report = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
              "load_average": [round(x, 2) for x in load], "results": results}  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
