"""The framework catalog as terminal text, JSON and CSV."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from upward.catalog import Catalog, Metric
from upward.reports import strict_json
from upward.reports.downloads import to_csv


def metric_dict(catalog: Catalog, metric: Metric) -> dict[str, Any]:
    return {
        "id": metric.id,
        "label": metric.label,
        "pillar": catalog.pillar(metric.pillar_id).label,
        "predictor": catalog.predictor(metric.predictor_id).label,
        "direction": metric.direction,
        "supplementary": metric.supplementary,
        "source": metric.source,
        "geographies": list(metric.geographies),
        "years": {k: list(v) for k, v in metric.years.items()},
        "subgroup_types": {k: list(v) for k, v in metric.subgroup_types.items()},
        "description": metric.description,
        "why_it_matters": metric.why_it_matters,
        "caveats": list(metric.caveats),
        "variables": [
            {
                "name": v.name,
                "label": v.label,
                "unit": v.unit,
                "unit_detail": v.unit_detail,
                "direction": v.direction,
                "has_bounds": v.has_bounds,
                "kind": v.kind,
                "headline": v.headline,
            }
            for v in metric.variables
        ],
    }


def metrics_listing(catalog: Catalog, fmt: str, console: Console) -> None:
    if fmt == "json":
        print(strict_json.dumps([metric_dict(catalog, m) for m in catalog.metrics], indent=2))
        return
    if fmt == "csv":
        columns = ("pillar", "predictor", "metric", "label", "direction", "geographies")
        rows = (
            dict(zip(columns, (m.pillar_id, m.predictor_id, m.id, m.label, m.direction,
                               ";".join(m.geographies)), strict=True))
            for m in catalog.metrics
        )  # fmt: skip
        sys.stdout.write(to_csv(rows, columns))
        return
    for pillar in catalog.pillars:
        table = Table(title=pillar.label, title_justify="left", expand=True)
        table.add_column("Predictor")
        table.add_column("Metric id")
        table.add_column("What it measures", ratio=3)
        table.add_column("Places")
        for predictor_id in pillar.predictor_ids:
            predictor = catalog.predictor(predictor_id)
            for i, metric_id in enumerate(predictor.metric_ids):
                metric = catalog.metric(metric_id)
                label = metric.label + (" (supplementary)" if metric.supplementary else "")
                table.add_row(
                    predictor.label if i == 0 else "",
                    metric.id,
                    label,
                    ", ".join(metric.geographies),
                )
        console.print(table)


def metric_detail(catalog: Catalog, metric: Metric, fmt: str, console: Console) -> None:
    if fmt in ("json", "csv"):
        print(strict_json.dumps(metric_dict(catalog, metric), indent=2))
        return
    pillar = catalog.pillar(metric.pillar_id)
    predictor = catalog.predictor(metric.predictor_id)
    direction = {
        "higher_better": "Higher values are better.",
        "lower_better": "Lower values are better.",
        "context": "Context: neither higher nor lower is better in itself.",
    }[metric.direction]
    console.print(Text(f"{metric.label}  [{metric.id}]", style="bold"))
    console.print(f"{pillar.label} › {predictor.label}", style="cyan", highlight=False)
    console.print(f"\n{metric.description}\n", highlight=False)
    console.print(f"[bold]Why it matters.[/] {metric.why_it_matters}\n", highlight=False)
    console.print(f"[bold]Direction.[/] {direction}", highlight=False)
    console.print(f"[bold]Source.[/] {metric.source}", highlight=False)
    for level in metric.geographies:
        years = ", ".join(str(y) for y in metric.years.get(level, ()))
        groups = ", ".join(metric.subgroup_types.get(level, ())) or "none"
        console.print(
            f"[bold]{level.title()}.[/] years {years}; breakdowns: {groups}", highlight=False
        )
    table = Table(title="Published variables", title_justify="left")
    for name in ("Variable", "Label", "Unit", "95% CI"):
        table.add_column(name)
    for v in metric.variables:
        unit = v.unit + (f" ({v.unit_detail})" if v.unit_detail else "")
        table.add_row(
            v.name + (" *" if v.headline else ""), v.label, unit, "yes" if v.has_bounds else "no"
        )
    console.print(table)
    if metric.caveats:
        console.print("[bold]Caveats[/]")
        for caveat in metric.caveats:
            console.print(f"  • {caveat}", highlight=False)
