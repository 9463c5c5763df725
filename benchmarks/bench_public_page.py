"""The public progress page of a published plan (issue 14, part 8): not a test, a measurement.

    uv run python benchmarks/bench_public_page.py [--rounds 50] [--indicators 20]

Builds a throw-away workspace database with one coalition for Ramsey County, MN whose
plan has ``--indicators`` population indicators (each a Mobility Metrics variable with its
baseline pinned from the current release), a target on every other one, and 40 actions;
publishes version 1 (every open problem confirmed), then times, as an anonymous visitor
through Django's test client: /p/ramsey/ (English and Spanish), its JSON twin and the
widget, each served from the page cache as deployed, and /p/ramsey/ built anew on every
request (the kept pages dropped before each). In the same run, as the baseline, a county
profile served from the page cache (/county/27123/).

Reads $UPWARD_WAREHOUSE when set; otherwise loads the full data first (about 10 s).
Target: the public page at most 50 ms median server time.
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import measure, percentiles, rounds_parser, row, workspace_database, write_results

TARGET_MS = 50.0
ACTIONS = 40


def build_plan(indicators: int) -> Any:
    from django.contrib.auth import get_user_model

    from upward.catalog import get_catalog
    from upward.web.measurement import baseline_store, publish_store
    from upward.web.measurement.models import Action, Measure, Target
    from upward.web.strategy.models import Element, Priority, Strategy
    from upward.web.workspace.models import CoalitionStructure, Membership, Stakeholder, Workspace

    user = get_user_model().objects.create_user("bench", password="Bench-Password-2026")
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123"], created_by=user
    )
    Membership.objects.create(workspace=workspace, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    priority = Priority.objects.create(
        workspace=workspace, geoid="27123", predictor="opportunities_for_income",
        metric="income", variable="pctl_income_20", title="Income, Ramsey County", rank=1,
    )  # fmt: skip
    element = Element.objects.create(
        workspace=workspace, priority=priority, kind="result", title="Incomes grow"
    )
    made = 0
    for variable in get_catalog().variables:
        if made >= indicators:
            break
        measure = Measure.objects.create(
            workspace=workspace, element=element, kind="population", title=variable.label,
            geoid="27123", variable=variable.name,
        )  # fmt: skip
        try:
            ref, cell = baseline_store.check_pin(measure, baseline_store.CURRENT)
        except baseline_store.BaselineRefused:
            measure.delete()
            continue
        baseline_store.pin(measure, user, ref, cell)
        if made % 2 == 0:
            Target.objects.create(
                workspace=workspace, measure=measure, method="value", value=cell.value * 1.05
            )
        made += 1
    partner = Stakeholder.objects.create(
        workspace=workspace, name="East Side Workforce Center", sector="workforce"
    )
    strategies = [
        Strategy.objects.create(workspace=workspace, name=f"Strategy {n}", evidence_level="strong")
        for n in range(1, 6)
    ]
    today = date.today()
    for n in range(ACTIONS):
        Action.objects.create(
            workspace=workspace, strategy=strategies[n % 5], title=f"Action {n + 1}",
            owner_stakeholder=partner, status="in_progress", percent=n % 100,
            due_date=today + timedelta(days=n - 10),
        )  # fmt: skip
    problems = publish_store.publish_problems(workspace)
    publish_store.publish(workspace, user, [p.key for p in problems])
    return made


def built_anew(client: Any, url: str, rounds: int) -> dict[str, float]:
    """``url`` rendered on every request: the kept pages are dropped before each."""
    from upward.web.page_cache import forget_pages

    times = []
    for _ in range(rounds):
        forget_pages()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return percentiles(times)


def main() -> int:
    parser = rounds_parser(__doc__, default=50)
    parser.add_argument("--indicators", type=int, default=20)
    args = parser.parse_args()
    with workspace_database() as connection:
        from django.test import Client

        started = time.perf_counter()
        made = build_plan(args.indicators)
        print(
            f"published a plan with {made} indicators and {ACTIONS} actions in "
            f"{time.perf_counter() - started:.1f} s; {connection.vendor}; median of {args.rounds}"
        )
        client = Client()  # anonymous, as the public reads it
        pages = {
            "baseline: /county/27123/ (kept)": "/county/27123/",
            "/p/ramsey/ (kept)": "/p/ramsey/",
            "/p/ramsey/?lang=es (kept)": "/p/ramsey/?lang=es",
            "/p/ramsey.json (kept)": "/p/ramsey.json",
            "/p/ramsey/embed/ (kept)": "/p/ramsey/embed/",
        }
        print("| page | median ms | p95 ms | CPU median ms | SQL queries |")
        print("|---|---:|---:|---:|---:|")
        results: dict[str, Any] = {}
        for name, url in pages.items():
            found = measure(client, url, args.rounds)
            assert found is not None, url
            results[name] = found
            print(row(name, found))
        anew = built_anew(client, "/p/ramsey/", max(5, args.rounds // 5))
        results["/p/ramsey/ (built anew each time)"] = anew
        print(f"| /p/ramsey/ (built anew each time) | {anew['median_ms']:.1f} | "
              f"{anew['p95_ms']:.1f} | | |")  # fmt: skip
        public = results["/p/ramsey/ (kept)"]["median_ms"]
        print(
            f"public page median {public:.1f} ms (target ≤ {TARGET_MS:.0f} ms): "
            f"{'met' if public <= TARGET_MS else 'NOT met'}; the kept profile page in the "
            f"same run: {results['baseline: /county/27123/ (kept)']['median_ms']:.1f} ms"
        )
        write_results(
            "public-page", connection.vendor, {"indicators": made, "actions": ACTIONS, **results}
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
