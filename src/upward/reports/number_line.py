"""One indicator's numbers on a number line, drawn as plain SVG on the server: the one
writer of the picture that the Mobility Action Plan (page, PDF and Word) and the public
progress page both show.

Each reading (the baseline; on the progress page also the latest value) is a row: a dot
with its 95% confidence interval as a bar with end caps, and its label with its value
above. Below the rows, one axis: the target is a hollow diamond on it with a dashed rule
up through the rows, and the band of the minimum detectable change around the baseline
is shaded (a later value inside it could not be told apart from the baseline). The
value scale is the one of every chart (:func:`upward.reports.charts.value_domain`):
fitted to the data, starting at zero only when the data come close to it, never past
the edges of the unit's scale.

The rules every picture here keeps:

- every mark in neutral ink: no colour says good or bad (the status beside the chart
  says, in words, whether a 95% test supports a change);
- a ``<title>`` and a ``<desc>`` (the caller's one-sentence text alternative, also an
  ``<img>``'s ``alt``); the page or document puts the same numbers in a table beside it;
- no script and no style attribute (the public page's Content-Security-Policy allows
  neither); every label escaped.

The same SVG serves the page (inline), the PDF (WeasyPrint reads it as vectors) and Word
(:func:`png`, vl-convert's SVG rasterizer; without it the Word file carries the table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from markupsafe import Markup, escape

from upward.reports.charts import Point, value_domain

WIDTH, PAD, TOP, ROW = 320, 12, 4, 36
"""Drawing units: the width, the margin at each side, above the rows, one row's height."""
FONT, FONT_SIZE = "Source Sans Pro Web, Helvetica, Arial, sans-serif", 11
INK, MUTED, BAND, PAPER = "#1b1b1b", "#565c65", "#dfe1e2", "#ffffff"
PNG_SCALE = 3.0
"""Pixels per drawing unit in the PNG (960 px wide: sharp at the Word picture's 14 cm)."""


@dataclass(frozen=True)
class NumberLine:
    """What one chart draws: numbers for the geometry, the caller's texts for the words."""

    title: str
    description: str
    """The chart in a sentence or two: its ``<desc>`` and an ``<img>``'s ``alt``."""
    readings: tuple[Point, ...]
    """One row each, its label written above its dot with the value: 'Baseline (2021): 41.2%'."""
    unit: str = "rate"
    """The unit of the value scale (its edges bound the axis); 'rate' has none (a gap)."""
    target: float | None = None
    target_label: str = ""
    """Written under the target's diamond: 'Target: 45.0%'."""
    band: tuple[float, float] | None = None
    """The values a later reading could take without being told apart from the baseline."""

    def domain(self) -> tuple[float, float]:
        numbers = [v for r in self.readings for v in (r.value, r.lb, r.ub)]
        return value_domain(self.unit, [*numbers, self.target, *(self.band or ())])


def _centre(x: float, body: str) -> tuple[float, float]:
    """Where a label meant to be centred on ``x`` sits, moved inwards at the edges, and its
    half width (estimated from its length)."""
    half = min(len(body) * FONT_SIZE * 0.29, WIDTH / 2 - PAD)
    return min(max(x, PAD + half), WIDTH - PAD - half), half


def _label(x: float, y: float, body: str, weight: str = "normal") -> str:
    return (
        f'<text x="{_centre(x, body)[0]:.1f}" y="{y:.1f}" text-anchor="middle" '
        f'font-size="{FONT_SIZE}" font-weight="{weight}" fill="{INK}">{escape(body)}</text>'
    )


def _target(line: NumberLine, x: Callable[[float], float], axis: float) -> Iterator[str]:
    """The target: a diamond on the axis, its label under it, and a dashed rule up through
    the rows that breaks where it would cross a row's label."""
    t, top, rule = x(line.target or 0.0), TOP, ""
    for i, r in enumerate(line.readings):
        centre, half = _centre(x(r.value), r.label)
        row = TOP + ROW * i
        if abs(centre - t) <= half + 3:
            rule += f"M{t:.1f},{top}V{row + 4}" if row + 4 - top > 4 else ""
            top = row + 20
    rule += f"M{t:.1f},{top}V{axis - 7}"
    yield f'<path d="{rule}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 3"/>'
    yield (
        f'<path d="M{t:.1f},{axis - 7}L{t + 7:.1f},{axis}L{t:.1f},{axis + 7}L{t - 7:.1f},{axis}Z" '
        f'fill="{PAPER}" stroke="{INK}" stroke-width="2"/>'
    )
    yield _label(t, axis + 21, line.target_label)


def _marks(line: NumberLine, axis: float) -> Iterator[str]:
    low, high = line.domain()

    def x(value: float) -> float:
        return PAD + (value - low) / (high - low) * (WIDTH - 2 * PAD)

    if line.band is not None:
        a, b = x(line.band[0]), x(line.band[1])
        yield (
            f'<rect x="{a:.1f}" y="{TOP}" width="{b - a:.1f}" height="{axis - TOP}" fill="{BAND}"/>'
        )
    yield f'<path d="M{PAD},{axis}H{WIDTH - PAD}" stroke="{MUTED}" stroke-width="1"/>'
    if line.target is not None:
        yield from _target(line, x, axis)
    for i, r in enumerate(line.readings):
        y = TOP + ROW * i + 27
        if r.lb is not None and r.ub is not None:
            a, b = x(r.lb), x(r.ub)
            yield (
                f'<path d="M{a:.1f},{y}H{b:.1f}M{a:.1f},{y - 6}V{y + 6}M{b:.1f},{y - 6}V{y + 6}" '
                f'stroke="{MUTED}" stroke-width="2.5" fill="none"/>'
            )
        yield f'<circle cx="{x(r.value):.1f}" cy="{y}" r="5" fill="{INK}"/>'
        yield _label(x(r.value), y - 12, r.label, weight="bold")


def svg(line: NumberLine, ident: str = "chart") -> Markup:
    """The chart as SVG text, inline on a page or standalone in a file (``role="img"``,
    named by its title, described by its description; ``ident`` makes their ids)."""
    if not line.readings:
        return Markup("")
    axis = TOP + ROW * len(line.readings) + 8
    height = axis + (28 if line.target is not None else 8)
    ident = str(escape(ident))
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="upward-number-line" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" role="img" '
        f'aria-labelledby="{ident}-t" aria-describedby="{ident}-d">'
        f'<title id="{ident}-t">{escape(line.title)}</title>'
        f'<desc id="{ident}-d">{escape(line.description)}</desc>'
        + "".join(_marks(line, axis))
        + "</svg>"
    )


def png(svg_text: str) -> bytes | None:
    """The chart as PNG (for Word), or None when no SVG rasterizer is installed."""
    try:
        import vl_convert as vlc
    except ImportError:  # pragma: no cover - vl-convert is a dependency
        return None
    try:
        return bytes(vlc.svg_to_png(str(svg_text), scale=PNG_SCALE))
    except (ValueError, RuntimeError):  # pragma: no cover - defensive
        return None
