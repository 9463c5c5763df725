"""Progress refresh benchmark (issue 14, part 4): not a test, a measurement.

    uv run python benchmarks/bench_progress_refresh.py [--plans 100] [--per-plan 8]

Loads the test fixture release (tests/fixtures/mobility-data) as release ``a`` into a
throw-away registry, and builds a throw-away workspace database (SQLite in a temporary
folder, or the database of $DATABASE_URL with a ``test_`` prefix) holding ``--plans``
coalitions, each with ``--per-plan`` population indicators whose baselines are pinned from
release ``a`` (three income percentiles of two counties, from 2014 and from 2023, some
with a target, half of the plans with a saved peer set of their own), and refreshes
progress on ``a``. Then it loads release ``b`` (the fixture with Ramsey County's 2023 20th
income percentile revised) and makes it current, as ``upward data load`` does, and times:

- **refresh after the load**: ``refresh_store.refresh_all()`` on ``b``, every plan (the
  target: under 30 s for 100 plans);
- the same refresh again (idempotent: each workspace already refreshed on ``b``);
- the baseline of the same run: ``progress_store.plan_progress`` of every plan on ``b``,
  read only (what the progress page computes), and the same on ``a`` before any refresh.

Each is one wall-clock run (the refresh is a batch, not a page), with its CPU time.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, write_results

TARGET_SECONDS = 30.0
FIXTURE = ROOT / "tests" / "fixtures" / "mobility-data"
INCOME = "01_financial-well-being/final/metrics_income_county_all_longitudinal.csv"
PINNED_2023 = "2023,27,123,27250.5,25500,29000,1,"
REVISED_2023 = "2023,27,123,28111.5,26300,29900,1,"
CELLS = [
    (geoid, variable, year)
    for year in (2014, 2023)
    for geoid in ("27123", "27053")
    for variable in ("pctl_income_20", "pctl_income_50", "pctl_income_80")
]
"""(place, variable, baseline year): 12 cells, 8 per plan in turn."""


def load_releases(home: Path) -> Path:
    """Release ``a`` (the fixture, current) in a registry under ``home``; the folder of
    release ``b`` (to load later)."""
    from upward.data.ingest import load_release

    warehouse = home / "warehouse.duckdb"
    load_release(FIXTURE, warehouse, release="a")
    revised = home.parent / "b"
    shutil.copytree(FIXTURE, revised)
    income = revised / INCOME
    income.write_text(income.read_text().replace(PINNED_2023, REVISED_2023))
    return revised


def build_world(plans: int, per_plan: int) -> list[Any]:
    from upward.web.measurement import baseline_store
    from upward.web.measurement.models import Baseline, Measure, Target
    from upward.web.strategy.models import Element, Priority
    from upward.web.workspace.models import PeerSet, Workspace

    ref = baseline_store.open_release("a")
    pinned: dict[tuple[str, str, int], Any] = {}
    for geoid, variable, year in CELLS:
        spec = Measure(geoid=geoid, variable=variable)
        pinned[geoid, variable, year] = baseline_store.read_cell(ref.release, spec, year)
    workspaces = []
    for p in range(plans):
        ws = Workspace.objects.create(
            name=f"Coalition {p:03d}", slug=f"coalition-{p:03d}", geoids=["27123", "27053"]
        )
        if p % 2:
            PeerSet.objects.create(
                workspace=ws, name="Neighbors", geoids=["27053", "38071", "09001"], place="27123"
            )
        priority = Priority.objects.create(
            workspace=ws, geoid="27123", predictor="opportunities_for_income",
            metric="income_percentiles", variable="pctl_income_20", rank=1,
            title="Income for every family",
        )  # fmt: skip
        element = Element.objects.create(
            workspace=ws, priority=priority, kind="result", title="Higher incomes"
        )
        for i in range(per_plan):
            geoid, variable, year = CELLS[(p + i) % len(CELLS)]
            measure = Measure.objects.create(
                workspace=ws, element=element, kind="population", title=f"Indicator {i + 1}",
                geoid=geoid, variable=variable,
            )  # fmt: skip
            cell = pinned[geoid, variable, year]
            Baseline.objects.create(
                measure=measure, **baseline_store.baseline_fields(measure, ref, cell)
                | {"workspace": ws},
            )  # fmt: skip
            if i % 3 == 0:
                Target.objects.create(
                    workspace=ws, measure=measure, method="value", value=cell.value * 1.1
                )
        workspaces.append(ws)
    return workspaces


def timed(call: Any) -> tuple[Any, float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - start, time.process_time() - start_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--per-plan", type=int, default=8)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="upward-bench-refresh-"))
    home = tmp / "home"
    home.mkdir()
    started = time.perf_counter()
    release_b = load_releases(home)
    print(f"loaded the fixture as release a in {time.perf_counter() - started:.1f} s")
    os.environ["UPWARD_WAREHOUSE"] = str(home / "warehouse.duckdb")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.web.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from upward import explore
    from upward.data.ingest import load_release
    from upward.web.measurement import progress_store, refresh_store
    from upward.web.measurement.models import ProgressRefresh

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results: dict[str, Any] = {}
    try:
        workspaces, built, _ = timed(lambda: build_world(args.plans, args.per_plan))
        indicators = args.plans * args.per_plan
        print(f"built {args.plans} plans, {indicators} indicators in {built:.1f} s")

        def read_all() -> int:
            return sum(len(progress_store.plan_progress(w).rows) for w in workspaces)

        rows, read_a, read_a_cpu = timed(read_all)
        assert rows == indicators
        run_a, refresh_a, refresh_a_cpu = timed(lambda: refresh_store.refresh_all("a"))
        assert run_a.count("refreshed") == args.plans and not run_a.failed
        load_release(release_b, home / "warehouse.duckdb", release="b")  # made current
        explore.reset()
        run_b, refresh_b, refresh_b_cpu = timed(refresh_store.refresh_all)
        assert run_b.release == "b" and run_b.count("refreshed") == args.plans, run_b
        changed = sum(w.changed for w in run_b.workspaces)
        revised = sum(w.revised for w in run_b.workspaces)
        again, refresh_again, refresh_again_cpu = timed(refresh_store.refresh_all)
        assert again.count("already") == args.plans
        _rows, read_b, read_b_cpu = timed(read_all)
        assert ProgressRefresh.objects.count() == 2 * args.plans
        measured = {
            "refresh after loading b (all plans)": (refresh_b, refresh_b_cpu),
            "refresh again on b (no-op)": (refresh_again, refresh_again_cpu),
            "refresh on a (all plans)": (refresh_a, refresh_a_cpu),
            "baseline: plan_progress of all plans on a (read only, cold)": (read_a, read_a_cpu),
            "baseline: plan_progress of all plans on b (read only)": (read_b, read_b_cpu),
        }
        print(f"\n{args.plans} plans, {indicators} indicators; on b: {changed} changed "
              f"statuses, {revised} newly revised baselines\n")  # fmt: skip
        print("| measurement | wall s | CPU s |\n|---|---:|---:|")
        for name, (wall, cpu) in measured.items():
            print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
        verdict = "met" if refresh_b < TARGET_SECONDS else "NOT met"
        print(f"\ntarget: refresh of {args.plans} plans under {TARGET_SECONDS:.0f} s: {verdict}")
        results = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load": os.getloadavg(),
            },
            "plans": args.plans,
            "indicators": indicators,
            "changed_statuses": changed,
            "revised_baselines": revised,
            "target_seconds": TARGET_SECONDS,
            "results": {
                k: {"wall_s": round(w, 3), "cpu_s": round(c, 3)} for k, (w, c) in measured.items()
            },
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)
    vendor = connection.vendor
    print(f"wrote {write_results('progress-refresh', vendor, results)}")
    return 0 if results and results["results"]["refresh after loading b (all plans)"][
        "wall_s"] < TARGET_SECONDS else 1  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
