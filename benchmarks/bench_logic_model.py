"""Logic-model benchmark (issue 13): not a test, a measurement.

    uv run python benchmarks/bench_logic_model.py [--rounds 15] [--skip-files]

Builds a throw-away workspace database (SQLite in a temporary folder, or the database of
$DATABASE_URL with a ``test_`` prefix) holding one coalition with 10 priorities, a
library of 60 strategies (each with a lead, two partners and a workgroup) and 200
elements: per priority 6 strategy elements, 2 inputs, 3 activities, 3 outputs, 2 short-,
2 medium- and 1 long-term outcomes and the result, about 30 links each. Then it times,
through Django's test client, warm, as server time (median and 95th percentile, and the SQL
queries of one request):

- the per-priority model page (``workspace:priority_model`` when it exists, otherwise
  the diagram page ``workspace:priority_diagram``, which includes the same partial),
- every export of one priority and of the whole workspace (files, no page target),
- two workspace pages from before issue 13, as the baseline of the same run;

and the diagram render itself (DOT text, Graphviz, the accessible SVG) with Graphviz's
drawings not kept (``DRAWN.cache_clear()`` before each round): the largest priority's,
and all ten one after another. Targets: page median under 150 ms, a diagram under 1 s.

Reads $UPWARD_WAREHOUSE when set; otherwise loads the full data ($UPWARD_SHARED_DATA,
else ../shared/mobility-data) into a temporary warehouse first (about 10 s).
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import percentiles, rounds_parser, row, time_pages, workspace_database, write_results

PAGE_TARGET_MS, DIAGRAM_TARGET_MS = 150.0, 1000.0
PRIORITIES, STRATEGIES = 10, 60
PER_PRIORITY = {"input": 2, "strategy": 6, "activity": 3, "output": 3, "short": 2,
                "medium": 2, "long": 1, "result": 1}  # fmt: skip
"""20 elements per priority, 200 in all; the 6 strategy elements place the library's 60."""
OUTCOMES = ("short", "medium", "long")


def build_world() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from upward.planning.strategy import SYSTEMS_CONDITIONS
    from upward.web.strategy.models import Element, Link, Priority, Strategy
    from upward.web.workspace.models import (
        CoalitionStructure,
        Membership,
        Stakeholder,
        Workgroup,
        Workspace,
    )

    conditions = [c for c, _ in SYSTEMS_CONDITIONS]
    user = get_user_model().objects.create_user("bench", "bench@example.org", "Bench-Pass-2025")
    ws = Workspace.objects.create(name="Bench Coalition", slug="bench", geoids=["27123"])
    Membership.objects.create(workspace=ws, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=ws)
    stakeholders = [
        Stakeholder.objects.create(workspace=ws, name=f"Partner {i:02d}", sector="nonprofit")
        for i in range(30)
    ]
    groups = [Workgroup.objects.create(workspace=ws, name=f"Workgroup {i}") for i in range(5)]
    levels = ("strong", "moderate", "emerging", "rationale")
    strategies = []
    for i in range(STRATEGIES):
        s = Strategy.objects.create(
            workspace=ws, name=f"Strategy {i:02d}: a partnership of employers and trainers",
            evidence_level=levels[i % 4], lead=stakeholders[i % 30] if i % 7 else None,
            workgroup=groups[i % 5],
        )  # fmt: skip
        s.partners.add(stakeholders[(i + 1) % 30], stakeholders[(i + 2) % 30])
        strategies.append(s)
    priorities = []
    for p in range(PRIORITIES):
        priority = Priority.objects.create(
            workspace=ws, geoid="27123", predictor="opportunities_for_income",
            metric="employment", variable=f"share_employed_{p}", rank=p + 1,
            title=f"Priority {p + 1}: employment for every family in Ramsey County",
        )  # fmt: skip
        priorities.append(priority)
        columns: dict[str, list[Element]] = {}
        for kind, n in PER_PRIORITY.items():
            columns[kind] = [
                Element.objects.create(
                    workspace=ws, priority=priority, kind=kind, position=k,
                    title=(strategies[p * 6 + k].name if kind == "strategy"
                           else f"{kind.title()} {k + 1}: a step that matters to residents"),
                    strategy=strategies[p * 6 + k] if kind == "strategy" else None,
                    condition=conditions[(p + k) % 6] if kind in OUTCOMES else "",
                    description="What this element is, in a sentence or two. " * 2,
                )
                for k in range(n)
            ]  # fmt: skip
        kinds = list(PER_PRIORITY)
        links = []
        for a, b in pairwise(kinds):
            for i, source in enumerate(columns[a]):
                for j, target in enumerate(columns[b]):
                    if (i + j) % 2 == 0 or len(columns[b]) == 1:
                        links.append(Link(workspace=ws, source=source, target=target,
                                          rationale="Because it follows.",
                                          assumption="Partners stay at the table."))  # fmt: skip
        Link.objects.bulk_create(links)
    return {"user": user, "workspace": ws, "priorities": priorities}


def pages(world: dict[str, Any]) -> dict[str, str]:
    from django.urls import NoReverseMatch, reverse

    from upward.web.strategy.views.model_export import workspace_urls

    slug, pk = world["workspace"].slug, world["priorities"][0].pk
    found = {}
    for name in ("priority_model", "priority_diagram"):
        try:
            found[f"page: workspace:{name}"] = reverse(f"workspace:{name}", args=[slug, pk])
        except NoReverseMatch:
            continue
    for pattern in workspace_urls:
        name = str(pattern.name)
        if name.startswith("priority_export_"):
            found[f"file: {name}"] = reverse(f"workspace:{name}", args=[slug, pk])
        elif name.startswith("model_export_"):
            found[f"file: {name} (10 priorities)"] = reverse(f"workspace:{name}", args=[slug])
    for name in ("home", "stakeholders"):
        found[f"baseline: workspace:{name}"] = reverse(f"workspace:{name}", args=[slug])
    return found


def time_diagrams(world: dict[str, Any], rounds: int) -> dict[str, dict[str, float]]:
    from upward.reports import logic_model_diagram as lm
    from upward.web.strategy import model_store

    models = model_store.models_of(world["workspace"], world["priorities"])
    largest = max(models, key=lambda m: len(m.elements) + len(m.links))
    cases: tuple[tuple[str, Callable[[], object]], ...] = (
        ("diagram: one priority (SVG)", lambda: lm.svg(largest)),
        ("diagram: all 10 priorities (SVG)", lambda: [lm.svg(m) for m in models]),
        ("diagram: one priority (PNG)", lambda: lm.png(largest)),
    )
    out = {}
    for name, draw in cases:
        times = []
        for _ in range(rounds):
            lm.DRAWN.cache_clear()
            start = time.perf_counter()
            draw()
            times.append((time.perf_counter() - start) * 1000)
        out[name] = percentiles(times)
    return out


def main() -> int:
    parser = rounds_parser(__doc__)
    parser.add_argument(
        "--skip-files", action="store_true",
        help="time the pages and the diagram only, not the downloads (the PDFs take minutes)",
    )  # fmt: skip
    args = parser.parse_args()
    with workspace_database() as connection:
        from django.test import Client

        started = time.perf_counter()
        world = build_world()
        print(
            f"built the workspace in {time.perf_counter() - started:.1f} s: {PRIORITIES} "
            f"priorities, {STRATEGIES} strategies, {sum(PER_PRIORITY.values()) * PRIORITIES} "
            f"elements; {connection.vendor}; median of {args.rounds}; "
            f"{platform.node()} ({os.cpu_count()} cores, {platform.machine()}), "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        client = Client()
        client.force_login(world["user"])
        chosen = {
            n: u for n, u in pages(world).items() if not (args.skip_files and n.startswith("file:"))
        }
        results, refused = time_pages(client, chosen, args.rounds, what="what")
        for name in refused:
            print(f"| {name} | (not 200) | | | |")
        for name, r in time_diagrams(world, args.rounds).items():
            results[name] = r
            print(row(name, r))
        page_worst = max(r["median_ms"] for n, r in results.items() if n.startswith("page:"))
        diagram_ms = results["diagram: one priority (SVG)"]["median_ms"]
        print(
            f"model page median {page_worst:.1f} ms (target < {PAGE_TARGET_MS:.0f} ms): "
            f"{'met' if page_worst < PAGE_TARGET_MS else 'NOT met'}; diagram render "
            f"{diagram_ms:.1f} ms, drawn afresh (target < {DIAGRAM_TARGET_MS:.0f} ms): "
            f"{'met' if diagram_ms < DIAGRAM_TARGET_MS else 'NOT met'}; load average at the "
            f"end {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        write_results("logic-model", connection.vendor, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
