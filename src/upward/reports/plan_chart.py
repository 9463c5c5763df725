"""A population indicator's chart in the Mobility Action Plan: one number line with the
baseline (a dot), its 95% confidence interval (a bar with end caps), the band of the
minimum detectable change around the baseline (shaded: a later value inside it could not
be told apart from the baseline) and the target (a diamond).

Drawn here as plain SVG, on the server, so the same drawing serves the page, the PDF
(WeasyPrint reads it as vectors) and Word (a PNG made from it by vl-convert's SVG
rasterizer when installed; without it the Word file carries the data table only). Every
chart has a text alternative (:func:`alt_text`) and the document puts its data table
beside it. Labels are the document's own formatted texts, escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

WIDTH, HEIGHT = 560, 100
LEFT, RIGHT = 20, 20
AXIS_Y = 62
INK, MUTED, ACCENT, BAND = "#1b1b1b", "#565c65", "#005ea2", "#dfe1e2"
FONT = "Helvetica, Arial, sans-serif"
PNG_SCALE = 2.0


@dataclass(frozen=True)
class ChartInput:
    """What the chart draws: numbers for the geometry, texts for the labels."""

    title: str
    baseline: float
    baseline_text: str
    lb: float | None
    ub: float | None
    year: int | None
    target: float | None = None
    target_text: str = ""
    mdc: float | None = None


def _span(c: ChartInput) -> tuple[float, float]:
    points = [c.baseline]
    points += [v for v in (c.lb, c.ub, c.target) if v is not None]
    if c.mdc is not None:
        points += [c.baseline - c.mdc, c.baseline + c.mdc]
    low, high = min(points), max(points)
    pad = (high - low) * 0.12 or abs(c.baseline) * 0.1 or 1.0
    return low - pad, high + pad


def _x(value: float, low: float, high: float) -> float:
    return LEFT + (value - low) / (high - low) * (WIDTH - LEFT - RIGHT)


def _text(
    x: float,
    y: float,
    body: str,
    anchor: str = "middle",
    size: int = 13,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    x = min(max(x, LEFT), WIDTH - RIGHT)
    if anchor == "middle":
        anchor = "start" if x < WIDTH * 0.18 else "end" if x > WIDTH * 0.82 else "middle"
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-family="{FONT}" fill="{fill}" font-weight="{weight}">{html.escape(body)}</text>'
    )


def alt_text(c: ChartInput) -> str:
    """The chart in one or two sentences (its ``alt`` and ``<desc>``)."""
    when = f" in {c.year}" if c.year else ""
    words = f"{c.title}: baseline {c.baseline_text}{when}"
    if c.lb is not None and c.ub is not None:
        words += ", drawn with its 95% confidence interval"
    if c.target is not None:
        words += f"; target {c.target_text}"
        if c.mdc is not None:
            inside = abs(c.target - c.baseline) < c.mdc
            words += (
                "; the target lies inside the shaded band of changes too small to detect"
                if inside
                else "; the target lies outside the shaded band of changes too small to detect"
            )
    else:
        words += "; no target set"
    return words + ". The table beside the chart gives the same numbers."


def svg(c: ChartInput, ident: str = "chart") -> str:
    """The chart as standalone SVG text (``role="img"``, with a title and a description)."""
    low, high = _span(c)
    x = lambda v: _x(v, low, high)  # noqa: E731
    ident = html.escape(ident, quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{html.escape(c.title)}</title>',
        f'<desc id="{ident}-d">{html.escape(alt_text(c))}</desc>',
    ]
    if c.mdc is not None:
        a, b = x(c.baseline - c.mdc), x(c.baseline + c.mdc)
        parts.append(
            f'<rect x="{a:.1f}" y="{AXIS_Y - 22}" width="{b - a:.1f}" height="44" fill="{BAND}"/>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{AXIS_Y}" x2="{WIDTH - RIGHT}" y2="{AXIS_Y}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    if c.lb is not None and c.ub is not None:
        a, b = x(c.lb), x(c.ub)
        parts.append(
            f'<path d="M{a:.1f},{AXIS_Y}H{b:.1f}M{a:.1f},{AXIS_Y - 8}V{AXIS_Y + 8}'
            f'M{b:.1f},{AXIS_Y - 8}V{AXIS_Y + 8}" stroke="{ACCENT}" stroke-width="3" fill="none"/>'
        )
    bx = x(c.baseline)
    parts.append(f'<circle cx="{bx:.1f}" cy="{AXIS_Y}" r="6" fill="{ACCENT}"/>')
    when = f" ({c.year})" if c.year else ""
    parts.append(_text(bx, AXIS_Y - 28, f"Baseline{when}: {c.baseline_text}", weight="bold"))
    if c.target is not None:
        tx = x(c.target)
        parts.append(
            f'<path d="M{tx:.1f},{AXIS_Y - 9}L{tx + 9:.1f},{AXIS_Y}L{tx:.1f},{AXIS_Y + 9}'
            f'L{tx - 9:.1f},{AXIS_Y}Z" fill="#ffffff" stroke="{INK}" stroke-width="2.5"/>'
        )
        parts.append(_text(tx, AXIS_Y + 34, f"Target: {c.target_text}"))
    parts.append("</svg>")
    return "".join(parts)


def png(svg_text: str) -> bytes | None:
    """The chart as PNG (for Word), or None when no SVG rasterizer is installed."""
    try:
        import vl_convert as vlc
    except ImportError:  # pragma: no cover - vl-convert is a dependency
        return None
    try:
        return bytes(vlc.svg_to_png(svg_text, scale=PNG_SCALE))
    except (ValueError, RuntimeError):  # pragma: no cover - defensive
        return None
