"""Workspace benchmark (issue 5): not a test, a measurement.

    uv run python benchmarks/bench_workspace.py [--stakeholders 500] [--rounds 30]

Builds a throw-away workspace database (SQLite in a temporary folder, or the database of
$DATABASE_URL with a ``bench_`` prefix) holding one coalition for Ramsey County, MN and
St. Paul with N stakeholders spread over every sector, pillar and predictor, a readiness
assessment with its preparedness plan, five workgroups and a peer set. Then it times
every workspace page through Django's test client, warm, as server time (request in,
response out, no network), and prints the median and 95th percentile per page (and its SQL queries).

Needs a warehouse at $UPWARD_WAREHOUSE (or $UPWARD_HOME/warehouse.duckdb). Target: at
most 100 ms median server time per page with 500 stakeholders.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import rounds_parser, time_pages, workspace_database, write_results

TARGET_MS = 100.0


def build_world(n: int):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from upward.catalog import get_catalog
    from upward.planning import stakeholder as vocab
    from upward.web.workspace import readiness_store
    from upward.web.workspace.models import (
        CoalitionStructure,
        Membership,
        PeerSet,
        Stakeholder,
        Workgroup,
        Workspace,
    )

    rng = random.Random(5)
    catalog = get_catalog()
    user = get_user_model().objects.create_user("bench", "bench@example.org", "Bench-Pass-2025")
    ws = Workspace.objects.create(name="Bench Coalition", slug="bench", geoids=["27123", "2758000"])
    Membership.objects.create(workspace=ws, user=user, role="owner")
    structure = CoalitionStructure.objects.create(workspace=ws)
    predictors = [p.id for p in catalog.predictors]
    Stakeholder.objects.bulk_create(
        Stakeholder(
            workspace=ws,
            name=f"Partner {i:04d}",
            sector=rng.choice(vocab.ids(vocab.SECTORS)),
            pillars=rng.sample([p.id for p in catalog.pillars], rng.randint(0, 2)),
            predictors=rng.sample(predictors, rng.randint(0, 3)),
            relationship=rng.choice(vocab.ids(vocab.RELATIONSHIPS)),
            influence=rng.choice(vocab.ids(vocab.INFLUENCE)),
            role=rng.choice(vocab.ids(vocab.ROLES)),
            invitation_status=rng.choice(vocab.ids(vocab.INVITATION_STATUSES)),
            email=f"p{i}@example.org",
        )
        for i in range(n)
    )
    people = list(Stakeholder.objects.filter(workspace=ws))
    structure.backbone = people[0]
    structure.save()
    structure.advisory_members.set(people[:12])
    for k, pillar in enumerate(catalog.pillars):
        group = Workgroup.objects.create(
            workspace=ws, name=pillar.label, focus_pillar=pillar.id, lead=people[k]
        )
        group.members.set(people[k * 20 : k * 20 + 20])
    PeerSet.objects.create(workspace=ws, name="Peers", geoids=["27053", "2743000"])
    assessment = readiness_store.create_assessment(ws, user, "Bench", False)
    readiness_store.build_plan(assessment)
    return user, ws, people[1], assessment


def pages(ws, stakeholder, assessment) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    s = ws.slug
    task = assessment.tasks.first()
    group = ws.workgroups.first()
    return {
        "home": reverse("workspace:home", args=[s]),
        "stakeholder list": reverse("workspace:stakeholders", args=[s]),
        "stakeholder list, filtered by pillar": reverse("workspace:stakeholders", args=[s])
        + "?pillar=governance",
        "coverage": reverse("workspace:coverage", args=[s]),
        "invitation list": reverse("workspace:invitation_list", args=[s]),
        "stakeholder edit": reverse("workspace:stakeholder_edit", args=[s, stakeholder.pk]),
        "CSV export": reverse("workspace:stakeholder_export", args=[s]),
        "readiness list": reverse("workspace:readiness", args=[s]),
        "assessment": reverse("workspace:assessment", args=[s, assessment.number]),
        "condition edit": reverse("workspace:condition_edit", args=[s, 1, "leadership"]),
        "preparedness plan": reverse("workspace:plan", args=[s, assessment.number]),
        "task edit": reverse("workspace:task_edit", args=[s, 1, task.pk]),
        "coalition": reverse("workspace:coalition", args=[s]),
        "workgroup edit": reverse("workspace:workgroup_edit", args=[s, group.pk]),
        "structure edit": reverse("workspace:structure_edit", args=[s]),
        "members": reverse("workspace:members", args=[s]),
        "activity": reverse("workspace:activity", args=[s]),
        "peers": reverse("workspace:peers", args=[s]),
    }


def main() -> int:
    parser = rounds_parser(__doc__, default=30)
    parser.add_argument("--stakeholders", type=int, default=500)
    args = parser.parse_args()
    with workspace_database(with_warehouse=False) as connection:
        from django.test import Client

        user, ws, stakeholder, assessment = build_world(args.stakeholders)
        client = Client()
        client.force_login(user)
        print(f"{args.stakeholders} stakeholders, {connection.vendor}, median of {args.rounds}")
        results, refused = time_pages(client, pages(ws, stakeholder, assessment), args.rounds)
        assert not refused, f"not 200: {refused}"
        worst = max(r["median_ms"] for r in results.values())
        print(
            f"slowest median {worst:.1f} ms (target ≤ {TARGET_MS:.0f} ms): "
            f"{'met' if worst <= TARGET_MS else 'NOT met'}"
        )
        write_results(
            "workspace", connection.vendor, {"stakeholders": args.stakeholders, "pages": results}
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
