"""A small server-side SVG of one indicator's progress: the baseline and the latest value,
each a dot with its 95% confidence interval as a bar, and the target as a dashed line.

Every mark is in one neutral colour: the chart never colours a change good or bad (the
status beside it says, in words, whether a 95% test supports a change). The picture has
a title and a description for screen readers; the page shows the same numbers in a
table. No script, no style attribute (the page's CSP allows neither).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, ROW, TOP, LEFT, RIGHT = 320, 34, 30, 78, 16
INK, MUTED, TARGET = "#1b1b1b", "#565c65", "#5c5c5c"


@dataclass(frozen=True)
class ChartPoint:
    label: str
    """'Baseline (2019)', shown at the row's left."""
    value: float
    lb: float | None = None
    ub: float | None = None


def _extent(points: Sequence[ChartPoint], target: float | None) -> tuple[float, float]:
    values = [v for p in points for v in (p.value, p.lb, p.ub) if v is not None]
    if target is not None:
        values.append(target)
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or abs(high) * 0.05 or 1.0
    return low - pad, high + pad


def progress_svg(
    points: Sequence[ChartPoint],
    target: float | None,
    *,
    title: str,
    description: str,
    target_label: str,
    chart_id: str,
) -> Markup:
    """The chart as inline SVG markup (``chart_id`` makes its title and description ids)."""
    if not points:
        return Markup("")
    low, high = _extent(points, target)
    span = high - low

    def x(value: float) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (value - low) / span, 1)

    height = TOP + ROW * len(points) + 6
    parts = [
        f'<svg class="upward-progress-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t" aria-describedby="{chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    if target is not None:
        tx = x(target)
        parts.append(
            f'<line x1="{tx}" y1="{TOP - 8}" x2="{tx}" y2="{height - 4}" stroke="{TARGET}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        anchor = "end" if tx > WIDTH / 2 else "start"
        parts.append(
            f'<text x="{tx}" y="{TOP - 12}" font-size="11" fill="{MUTED}" '
            f'text-anchor="{anchor}">{escape(target_label)}</text>'
        )
    for i, point in enumerate(points):
        y = TOP + ROW * i + ROW / 2
        parts.append(
            f'<text x="0" y="{y + 4}" font-size="11" fill="{INK}">{escape(point.label)}</text>'
        )
        if point.lb is not None and point.ub is not None:
            parts.append(
                f'<line x1="{x(point.lb)}" y1="{y}" x2="{x(point.ub)}" y2="{y}" '
                f'stroke="{MUTED}" stroke-width="6" stroke-linecap="round" opacity="0.45"/>'
            )
        parts.append(f'<circle cx="{x(point.value)}" cy="{y}" r="5" fill="{INK}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
