"""Local-knowledge pages benchmark (issue 12): not a test, a measurement.

    uv run python benchmarks/bench_knowledge_pages.py [--rounds 15]

Builds a throw-away workspace database (SQLite in a temporary folder, or the database of
$DATABASE_URL with a ``test_`` prefix) holding one coalition for Ramsey County, MN and
St. Paul with 200 engagements, 5,000 coded excerpts over 200 notes (each excerpt 1 to 3
codes of the codebook), 20 local series of a few hundred values each, and a Summary of
Findings with a few saved versions and its read-only link on. Then it times every
local-knowledge page it can fill (the knowledge URL names of the workspace and public
namespaces; a route with a parameter it cannot fill is listed as skipped) through
Django's test client, warm, as server time, and prints the median and 95th percentile.

Reads $UPWARD_WAREHOUSE when set; otherwise loads the full data ($UPWARD_SHARED_DATA,
else ../shared/mobility-data) into a temporary warehouse first (about 10 s). Target: at
most 100 ms median server time per page.
"""

from __future__ import annotations

import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import rounds_parser, time_pages, workspace_database, write_results

TARGET_MS = 100.0
ENGAGEMENTS, NOTES, EXCERPTS, SERIES, VALUES_PER_SERIES = 200, 200, 5000, 20, 300
DOWNLOADS = (
    "workspace:summary_export (pdf)",
    "workspace:summary_export (docx)",
    "workspace:excerpt_csv",
    "workspace:excerpt_xlsx",
)
"""Files rendered on request (WeasyPrint, python-docx, every coded excerpt as CSV and XLSX):
timed, but not pages."""
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def build_world() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from upward.catalog import get_catalog
    from upward.planning import knowledge as vocab
    from upward.web.knowledge import findings_store
    from upward.web.knowledge.codebook import ensure_codebook
    from upward.web.knowledge.models import (
        Code,
        Engagement,
        Excerpt,
        LocalSeries,
        LocalValue,
        Note,
    )
    from upward.web.workspace.models import CoalitionStructure, Membership, Workspace

    rng = random.Random(12)
    catalog = get_catalog()
    predictors = [p.id for p in catalog.predictors]
    user = get_user_model().objects.create_user("bench", "bench@example.org", "Bench-Pass-2025")
    ws = Workspace.objects.create(name="Bench Coalition", slug="bench", geoids=["27123", "2758000"])
    Membership.objects.create(workspace=ws, user=user, role="owner")
    CoalitionStructure.objects.create(workspace=ws)
    kinds = [k for k, _ in vocab.ENGAGEMENT_KINDS]
    levels = [k for k, _ in vocab.ENGAGEMENT_LEVELS]
    Engagement.objects.bulk_create(
        Engagement(
            workspace=ws,
            title=f"Engagement {i:03d}",
            kind=rng.choice(kinds),
            date=date(2024, 1, 1) + timedelta(days=i * 2),
            level=rng.choice(levels),
            participants=rng.randint(5, 80),
            pillars=[rng.choice(catalog.pillars).id],
            predictors=rng.sample(predictors, 2),
            demographics={
                "race": {
                    "black_nonhispanic": rng.randint(0, 20),
                    "hispanic": rng.randint(0, 20),
                    "white_nonhispanic": rng.randint(0, 20),
                    "other": rng.randint(0, 10),
                }
            },
        )
        for i in range(ENGAGEMENTS)
    )
    engagements = list(Engagement.objects.filter(workspace=ws))
    ensure_codebook(ws)
    parent = Code.objects.create(workspace=ws, kind="custom", name="Trust")
    for name in ("Trust in institutions", "Trust between neighbors"):
        Code.objects.create(workspace=ws, kind="custom", name=name, parent=parent)
    codes = list(Code.objects.filter(workspace=ws))
    text = "We talked about rent, wages, buses and schools. " * 40
    Note.objects.bulk_create(
        Note(
            workspace=ws,
            title=f"Notes {i:03d}",
            text=text,
            engagement=engagements[i % len(engagements)],
        )
        for i in range(NOTES)
    )
    notes = list(Note.objects.filter(workspace=ws))
    Excerpt.objects.bulk_create(
        Excerpt(
            workspace=ws,
            note=notes[i % NOTES],
            start=(i * 7) % 1500,
            end=(i * 7) % 1500 + 40,
            text=f"Excerpt {i}: rent and wages",
            is_quote=i % 5 == 0,
        )
        for i in range(EXCERPTS)
    )
    through = Excerpt.codes.through
    through.objects.bulk_create(
        through(excerpt_id=pk, code_id=code.pk)
        for pk in Excerpt.objects.filter(workspace=ws).values_list("pk", flat=True)
        for code in rng.sample(codes, rng.randint(1, 3))
    )
    for i in range(SERIES):
        series = LocalSeries.objects.create(
            workspace=ws,
            name=f"Local series {i:02d}",
            unit="percent",
            source="County data",
            quality=rng.choice(["strong", "marginal", "weak"]),
            predictors=rng.sample(predictors, 2),
        )
        LocalValue.objects.bulk_create(
            LocalValue(
                series=series,
                row=r + 2,
                geography_kind="zip",
                geography=f"55{100 + r % 30}",
                period=str(2015 + r // 30),
                value=rng.uniform(0, 100),
                lower=None,
                upper=None,
            )
            for r in range(VALUES_PER_SERIES)
        )
    content = findings_store.SummaryContent(
        "Summary of Upward Mobility Findings",
        "Who we are.\n\nWhat we did.",
        predictors[:6],
        {p: "A paragraph of findings. " * 30 for p in predictors[:6]},
    )
    for version in range(3):
        summary = findings_store.save_summary(ws, content, version, user)
    findings_store.set_sharing(summary, True)
    return {
        "user": user,
        "workspace": ws,
        "summary": summary,
        "engagement": engagements[0],
        "note": notes[0],
        "excerpt": Excerpt.objects.filter(workspace=ws).first(),
        "series": LocalSeries.objects.filter(workspace=ws).first(),
        "codes": codes,
    }


def fill(route: str, world: dict[str, Any]) -> dict[str, Any] | None:
    """The route's parameters from the world, or None when one cannot be filled."""
    by_segment = {
        "engagements": world["engagement"].pk,
        "notes": world["note"].pk,
        "excerpts": world["excerpt"].pk,
        "codes": world["codes"][0].pk,
        "series": world["series"].pk,
        "local-data": world["series"].pk,
    }
    values: dict[str, Any] = {
        "slug": world["workspace"].slug,
        "predictor_id": "opportunities_for_income",
        "version_number": 1,
        "share_id": world["summary"].share_id,
    }
    kwargs = {}
    for match in PARAM.finditer(route):
        name = match.group(2)
        if name in values:
            kwargs[name] = values[name]
        elif name == "pk":
            segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            if segment not in by_segment:
                return None
            kwargs[name] = by_segment[segment]
        else:
            return None
    return kwargs


def knowledge_pages(world: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    from django.urls import reverse

    from upward.web.knowledge.urls import public_patterns, workspace_patterns

    pages, skipped = {}, []
    for namespace, patterns in (("workspace", workspace_patterns), ("public", public_patterns)):
        for pattern in patterns:
            kwargs = fill(str(pattern.pattern), world)
            if kwargs is None:
                skipped.append(f"{namespace}:{pattern.name}")
                continue
            pages[f"{namespace}:{pattern.name}"] = reverse(
                f"{namespace}:{pattern.name}", kwargs=kwargs
            )
    # baselines, measured in the same run: two workspace pages from before issue 12
    for name in ("home", "stakeholders"):
        slug = world["workspace"].slug
        pages[f"baseline: workspace:{name}"] = reverse(f"workspace:{name}", args=[slug])
    base = pages.get("workspace:summary_export")
    if base:
        for fmt in ("pdf", "docx"):
            pages[f"workspace:summary_export ({fmt})"] = f"{base}?format={fmt}"
    return pages, skipped


def main() -> int:
    args = rounds_parser(__doc__).parse_args()
    with workspace_database() as connection:
        from django.test import Client

        started = time.perf_counter()
        world = build_world()
        print(
            f"built the workspace in {time.perf_counter() - started:.1f} s: {ENGAGEMENTS} "
            f"engagements, {EXCERPTS:,} coded excerpts over {NOTES} notes, {SERIES} local "
            f"series of {VALUES_PER_SERIES} values; {connection.vendor}; median of {args.rounds}"
        )
        client = Client()
        client.force_login(world["user"])
        pages, skipped = knowledge_pages(world)
        results, refused = time_pages(client, pages, args.rounds)
        skipped += [f"{n} (GET does not answer 200: a POST-only route)" for n in refused]
        if skipped:
            print("skipped (cannot fill, or not a page): " + ", ".join(skipped))
        worst = max(r["median_ms"] for n, r in results.items() if n not in DOWNLOADS)
        files = ", ".join(
            f"{n} {results[n]['median_ms']:.0f} ms" for n in DOWNLOADS if n in results
        )
        print(f"document downloads (files, not pages; no page target): {files}")
        print(
            f"slowest median {worst:.1f} ms (target ≤ {TARGET_MS:.0f} ms): "
            f"{'met' if worst <= TARGET_MS else 'NOT met'}"
        )
        write_results("knowledge-pages", connection.vendor, {"pages": results, "skipped": skipped})
    return 0


if __name__ == "__main__":
    sys.exit(main())
