"""Mobility Action Plan benchmark (issue 14, part 7): not a test, a measurement.

    uv run python benchmarks/bench_map.py [--rounds 5]

Builds a throw-away workspace database (SQLite in a temporary folder, or the database of
$DATABASE_URL with a ``test_`` prefix) holding one coalition with 10 priorities, 40
strategies (4 per priority, each with a lead, two partners, a sustainability plan, a
funding source and 5 actions: 200 actions), 80 population indicators (8 per priority,
each with a baseline and a target; every fourth target inside the noise, every eighth
baseline Weak), 20 systems-change measures, 30 stakeholders, 10 engagements and a learning
plan. Then it times, warm, wall time (median and 95th percentile of ``--rounds``):

- ``assemble``: the draft read from the records (and its SQL queries);
- the document rendered as HTML, PDF and Word, technical and general editions
  (Graphviz's drawings are cached by the process, as on a server);
- the PDF download through Django's test client (assemble + render), the figure the
  target is for: under 5 s;
- as the baseline of the same run, the Summary of Findings PDF (8 sections) of
  :mod:`upward.reports.findings_summary`.

Reads $UPWARD_WAREHOUSE when set; otherwise loads the full data ($UPWARD_SHARED_DATA,
else ../shared/mobility-data) into a temporary warehouse first (about 10 s).
"""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import percentiles, rounds_parser, workspace_database, write_results

PDF_TARGET_S = 5.0
PRIORITIES, STRATEGIES_EACH, INDICATORS_EACH, ACTIONS_EACH = 10, 4, 8, 5


def build_world() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from upward.web.knowledge.models import Engagement
    from upward.web.measurement.models import (
        Action,
        Baseline,
        FundingSource,
        LearningPlan,
        Measure,
        Sustainability,
        Target,
    )
    from upward.web.strategy.models import Element, Link, Priority, Strategy, VisionVersion
    from upward.web.workspace.models import CoalitionStructure, Membership, Stakeholder, Workspace

    user = get_user_model().objects.create_user("bench", "bench@example.org", "Bench-Pass-2025")
    ws = Workspace.objects.create(
        name="Bench Coalition", slug="bench", geoids=["27123"],
        description="Neighbors, employers and public agencies working together.",
    )  # fmt: skip
    Membership.objects.create(workspace=ws, user=user, role="owner")
    people = [
        Stakeholder.objects.create(workspace=ws, name=f"Partner {i:02d}", sector="nonprofit",
                                   relationship="partner" if i % 3 == 0 else "engaged")
        for i in range(30)
    ]  # fmt: skip
    CoalitionStructure.objects.create(workspace=ws, backbone=people[0])
    VisionVersion.objects.create(
        workspace=ws, number=1, author=user,
        text="Every family in Ramsey County can thrive.\n\nWork pays, homes are stable.",
    )  # fmt: skip
    for i in range(10):
        Engagement.objects.create(
            workspace=ws, title=f"Listening session {i + 1}", kind="data_walk", level="consult",
            date=date(2026, 1, 1) + timedelta(days=20 * i), participants=12 + i,
        )  # fmt: skip
    LearningPlan.objects.create(workspace=ws, questions=["Who is not yet reached?"] * 3)
    levels = ("strong", "moderate", "emerging", "rationale")
    due = date(2026, 6, 1)
    n_strategy = 0
    for p in range(PRIORITIES):
        priority = Priority.objects.create(
            workspace=ws, geoid="27123", predictor="opportunities_for_income", metric="income",
            variable=f"pctl_income_20_{p}", rank=p + 1,
            title=f"Priority {p + 1}: income for every family in Ramsey County",
        )  # fmt: skip
        result = Element.objects.create(workspace=ws, priority=priority, kind="result",
                                        title="Income of the 20th percentile")  # fmt: skip
        outcome = Element.objects.create(workspace=ws, priority=priority, kind="long",
                                         title="Employers pay a living wage",
                                         condition="policies")  # fmt: skip
        Link.objects.create(workspace=ws, source=outcome, target=result, rationale="Wages.")
        for k in range(STRATEGIES_EACH):
            strategy = Strategy.objects.create(
                workspace=ws, name=f"Strategy {n_strategy:02d}: employers and trainers",
                evidence_level=levels[n_strategy % 4], lead=people[n_strategy % 30],
                description="Paid training that leads to a job with a future.",
            )  # fmt: skip
            strategy.partners.add(people[(n_strategy + 1) % 30], people[(n_strategy + 2) % 30])
            element = Element.objects.create(
                workspace=ws, priority=priority, kind="strategy", title=strategy.name,
                strategy=strategy, position=k,
            )  # fmt: skip
            Link.objects.create(workspace=ws, source=element, target=outcome)
            plan = Sustainability.objects.create(
                workspace=ws, strategy=strategy, resources="A coordinator and a budget line"
            )
            plan.responsible.add(people[n_strategy % 30])
            FundingSource.objects.create(workspace=ws, strategy=strategy, name="Foundation",
                                         amount=50000, status="pending")  # fmt: skip
            Action.objects.bulk_create(
                Action(workspace=ws, strategy=strategy, title=f"Action {a + 1} of {strategy.name}",
                       owner_member=user, start_date=due - timedelta(days=90),
                       due_date=due + timedelta(days=7 * a), status="in_progress", percent=20 * a)
                for a in range(ACTIONS_EACH)
            )  # fmt: skip
            n_strategy += 1
        Measure.objects.create(
            workspace=ws, element=outcome, kind="systems_change", title="Living wage ordinance",
            condition="policies", milestones=[{"text": "Ordinance adopted", "evidence": "Minutes"}],
        )  # fmt: skip
        Measure.objects.create(workspace=ws, element=outcome, kind="systems_change",
                               title="Budget line moved", condition="resource_flows")  # fmt: skip
        for i in range(INDICATORS_EACH):
            measure = Measure.objects.create(
                workspace=ws, element=result, kind="population", geoid="27123",
                variable="pctl_income_20", title=f"Income of the 20th percentile ({i + 1})",
                responsible_member=user, frequency="release",
            )  # fmt: skip
            weak = i % 8 == 7
            Baseline.objects.create(
                workspace=ws, measure=measure, geoid="27123", variable="pctl_income_20",
                year=2023, value=27250.5, lb=25500, ub=29000,
                quality="Weak" if weak else "Strong", text="$27,250 in 2023",
                release="2025.01",
            )  # fmt: skip
            if not weak:
                inside = i % 4 == 0
                Target.objects.create(
                    workspace=ws, measure=measure, method="value",
                    value=28000 if inside else 31000, mdc=2474.87, inside_noise=inside,
                    words="A target set by the coalition.", unit_note="in dollars of 2023",
                )  # fmt: skip
    return {"user": user, "workspace": ws}


def timed(call: Callable[[], object], rounds: int) -> dict[str, float]:
    """Wall time (median, p95) and the median CPU time of this process, which a shared
    machine's load disturbs less."""
    call()  # warm
    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {**percentiles(times), "cpu_median_ms": round(sorted(cpu)[len(cpu) // 2], 1)}


def findings_baseline() -> Callable[[], object]:
    from upward.reports import findings_summary as fs

    text = ("What the national numbers say. The share of residents employed is lower than "
            "the peers' median, and the gap between groups is wide. ") * 6  # fmt: skip
    doc = fs.FindingsDocument(
        "Summary of Upward Mobility Findings", "Bench Coalition", ("Ramsey County, MN",),
        fs.paragraphs(text), tuple(fs.Section(f"p{i}", f"Predictor {i}", "Opportunity",
                                              fs.paragraphs(text * 2)) for i in range(8)),
        "2025.01", "December 2, 2026", 3,
    )  # fmt: skip
    return lambda: fs.render(doc, "pdf")


def main() -> int:
    args = rounds_parser(__doc__, default=5).parse_args()
    with workspace_database() as connection:
        from django.db import connection as db
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from upward.reports import action_plan as ap
        from upward.web.measurement.plan_document import assemble

        started = time.perf_counter()
        world = build_world()
        ws = world["workspace"]
        print(
            f"built the workspace in {time.perf_counter() - started:.1f} s: {PRIORITIES} "
            f"priorities, {PRIORITIES * STRATEGIES_EACH} strategies, "
            f"{PRIORITIES * INDICATORS_EACH} indicators, "
            f"{PRIORITIES * STRATEGIES_EACH * ACTIONS_EACH} actions; {connection.vendor}; "
            f"median of {args.rounds}; {platform.node()} ({os.cpu_count()} cores), "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        with CaptureQueriesContext(db) as queries:
            doc = assemble(ws)
        client = Client()
        client.force_login(world["user"])
        cases: dict[str, Callable[[], object]] = {
            "assemble (the draft from the records)": lambda: assemble(ws),
            "render HTML, technical": lambda: ap.render(doc, "html", "technical"),
            "render PDF, technical": lambda: ap.render(doc, "pdf", "technical"),
            "render PDF, general": lambda: ap.render(doc, "pdf", "general"),
            "render Word, technical": lambda: ap.render(doc, "docx", "technical"),
            "download map.pdf (assemble + render, test client)": lambda: client.get(
                "/w/bench/measure/map.pdf?edition=technical"
            ),
            "baseline: Summary of Findings PDF (8 sections)": findings_baseline(),
        }
        results: dict[str, Any] = {"assemble_queries": len(queries)}
        print(f"assemble: {len(queries)} SQL queries")
        print("| what | median ms | p95 ms | CPU median ms |\n|---|---|---|---|")
        for name, call in cases.items():
            results[name] = timed(call, args.rounds)
            r = results[name]
            print(
                f"| {name} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['cpu_median_ms']:.1f} |"
            )
        download = results["download map.pdf (assemble + render, test client)"]
        pdf_s, pdf_cpu_s = download["median_ms"] / 1000, download["cpu_median_ms"] / 1000
        import io

        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(ap.render(doc, "pdf", "technical"))).pages)
        print(
            f"MAP PDF download median {pdf_s:.2f} s wall, {pdf_cpu_s:.2f} s CPU (target < "
            f"{PDF_TARGET_S:.0f} s): {'met' if pdf_s < PDF_TARGET_S else 'NOT met'} in wall "
            f"time, {'met' if pdf_cpu_s < PDF_TARGET_S else 'NOT met'} in CPU time; {pages} "
            f"pages; load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        write_results("map", connection.vendor, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
