"""Two speed-ups of WeasyPrint 70 (and its pydyf 0.13) for long documents with many SVG
charts, such as the Mobility Action Plan: :func:`install` applies them once, before a PDF
is written (:func:`upward.reports.documents.pdf_of`), and only to the versions they were
written for; with any other version it does nothing and WeasyPrint runs unchanged.

- SVG text in one piece. WeasyPrint 70 lays out and draws every letter of an SVG
  ``<text>`` on its own (to honour per-letter ``x``, ``dx``, ``rotate``, ``textLength`` and
  ``letter-spacing``), about 0.1 ms a letter: a third of the time to paint the MAP's
  logic models and charts. A ``<text>`` with none of these (one position, plain text, as
  Graphviz and :mod:`upward.reports.number_line` write them) is laid out and drawn as one
  line instead, the way WeasyPrint draws HTML text: the same glyphs at the same place
  (with the font's kerning between them), the same bounding box for ``text-anchor``.
  Any other ``<text>`` goes to WeasyPrint's own function.
- Page references counted once. pydyf rebuilds the tuple of every page's reference each
  time the PDF's tagging asks for one page's (once per tagged element: quadratic in
  pages); the tuple is kept until a page is added.
"""

from __future__ import annotations

from math import inf
from typing import Any

WEASYPRINT, PYDYF = "70.0", "0.13.0"
PER_LETTER = ("dx", "dy", "rotate", "textLength", "letter-spacing", "lengthAdjust")
"""Attributes that need WeasyPrint's letter-by-letter drawing."""

_installed = False


def install() -> bool:
    """Apply the speed-ups (once); whether they are in place."""
    global _installed
    if _installed:
        return True
    import pydyf
    import weasyprint
    import weasyprint.svg as svg_package

    if weasyprint.__version__ != WEASYPRINT or pydyf.__version__ != PYDYF:
        return False
    original = svg_package.TAGS["text"]

    def text(svg: Any, node: Any, font_size: float) -> None:
        if not _one_piece(node):
            original(svg, node, font_size)
            return
        _draw_in_one_piece(svg, node, font_size)

    for tag, function in list(svg_package.TAGS.items()):
        if function is original:
            svg_package.TAGS[tag] = text
    # draw_node compares a node's drawing function with the module's name ``text`` (for
    # text-anchor): the name must be the new function too.
    svg_package.text = text  # type: ignore[attr-defined]
    pydyf.PDF.page_references = property(_page_references)  # type: ignore[method-assign,assignment]
    _installed = True
    return True


def _one_piece(node: Any) -> bool:
    """A ``<text>`` at one position with nothing placed letter by letter."""
    if node.tag != "text" or not node.text or node.get("direction") == "rtl":
        return False
    if next(iter(node), None) is not None:  # a <tspan> continues where the text ends
        return False
    if any(node.get(name) is not None for name in PER_LETTER):
        return False
    return all(" " not in str(node.get(a, "")).strip() for a in ("x", "y"))


def _style(svg: Any, node: Any, font_size: float) -> Any:
    """The text's style, as WeasyPrint 70's ``svg.text.text`` makes it."""
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.svg.text import Style

    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    weights = {"normal": 400, "bold": 700}
    try:
        style["font_weight"] = weights[weight] if weight in weights else int(weight)
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size
    if node.get("direction") == "ltr":
        style["direction"] = "ltr"
    return style


def _y_align(node: Any, font_size: float, height: float) -> float:
    """WeasyPrint 70's vertical alignment of SVG text (its own approximations)."""
    ascent, descent = font_size * 0.8, font_size * 0.2
    anchor = node.get("display-anchor")
    baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if anchor == "middle":
        return -height / 2
    if anchor == "top":
        return 0
    if anchor == "bottom":
        return -height
    if baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0


def _draw_in_one_piece(svg: Any, node: Any, font_size: float) -> None:
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.matrix import Matrix
    from weasyprint.svg.bounding_box import extend_bounding_box
    from weasyprint.svg.text import TextBox
    from weasyprint.svg.utils import normalize, size
    from weasyprint.text.line_break import split_first_line

    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = y = None
    if "x" in node.attrib:
        x = size(normalize(node.attrib["x"]).strip(), font_size, svg.inner_width)
    if "y" in node.attrib:
        y = size(normalize(node.attrib["y"]).strip(), font_size, svg.inner_height)
    # As WeasyPrint does for the first letter: a (non-zero) position resets the shift.
    if x:
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + _y_align(node, font_size, height)
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        (
            (x_position, y_position - baseline),
            (x_position + width, y_position - baseline + height),
        ),
    )
    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = TextBox(layout, style)
    box.baseline = baseline
    emojis = draw_first_line(
        svg.stream, box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position)
    )
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_upward_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{n} 0 R".encode("ascii") for n in kids[::3]))
        pdf.__dict__["_upward_page_references"] = cached
    return cached[1]
