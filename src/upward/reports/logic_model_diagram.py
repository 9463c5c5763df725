"""A priority's systems-change logic model as a diagram and as documents, on plain values.

The diagram is laid out by Graphviz (Debian's ``dot``, run as a subprocess with a
timeout, the DOT text on its standard input): one column per element kind, left to right
(:data:`upward.planning.strategy.ELEMENT_KINDS`: inputs, strategies, activities, outputs,
short-, medium- and long-term outcomes, the population-level result), each column a
labelled cluster whose elements share one rank. An outcome's box names the condition of
systems change it shifts; a strategy's box its evidence level and its lead, and a strategy
whose evidence is emerging or only a rationale is drawn with a dashed border *and* says
"needs an evaluation" (no meaning by colour alone). Arrows are the model's links.

One DOT source gives the SVG (the page, the PDF) and the PNG (Word). The SVG is made
accessible here: ``role="img"``, ``aria-labelledby`` naming its own ``<title>`` and
``<desc>``, no stray ids or Graphviz's per-node titles; its size is its natural one
(text at about 15 px), so the page shows it in a scrolling region rather than shrinking
it. Every label is escaped for DOT's HTML-like labels (quotes, ``<``, ``&``, backslashes,
newlines) and long text is wrapped and cut.

Documents: PDF (WeasyPrint, from HTML in the Review Guide's template environment), Word
(python-docx, with the Review Guide's document properties), JSON and CSV (the project's
one CSV writer, :func:`upward.reports.downloads.to_csv`, which neutralizes formulas).

The JSON shape (``format`` ``upward.logic-model``, ``version`` 1)::

    {"format": "upward.logic-model", "version": 1,
     "workspace": {"slug": str, "name": str}, "exported": "YYYY-MM-DD",
     "columns": [{"kind": str, "label": str}, ...],          # left to right
     "conditions": [{"id": str, "label": str}, ...],         # of systems change
     "evidence_levels": [{"id": str, "label": str, "meaning": str}, ...],
     "priorities": [{
        "id": int, "title": str,
        "elements": [{"id": int, "kind": str, "title": str, "description": str,
                      "condition": str,                       # outcomes; "" otherwise
                      "position": int,                        # order within its column
                      "strategy": null | {"id": int, "name": str, "evidence_level": str,
                                          "needs_evaluation": bool, "lead": str,
                                          "partners": [str], "workgroup": str}}],
        "links": [{"id": int, "source": int, "target": int,  # element ids
                   "rationale": str, "assumption": str}]}]}

The CSV has one row per element (``record`` = element) then one per link (``record`` =
link), columns :data:`CSV_COLUMNS`.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import shutil
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any, Literal

from upward.planning.logic_model import Edge, Node
from upward.planning.strategy import (
    COLUMN,
    ELEMENT_KINDS,
    EVIDENCE_LEVELS,
    EVIDENCE_MEANINGS,
    NEEDS_EVALUATION,
    OUTCOME_KINDS,
    SYSTEMS_CONDITIONS,
)
from upward.reports.documents import docx_bytes, pdf_of
from upward.reports.downloads import to_csv

KIND_LABELS = dict(ELEMENT_KINDS)
CONDITION_LABELS = dict(SYSTEMS_CONDITIONS)
EVIDENCE_LABELS = dict(EVIDENCE_LEVELS)
DOT = "dot"
TIMEOUT_S = 10.0
WRAP = 26
"""Characters per line of a box's title."""
MAX_LINES = 5
"""Lines of a box's title before it is cut with an ellipsis."""
PNG_DPI = 144
FONT = "Helvetica,Arial,sans-serif"
INK = "#1b1b1b"
BORDER = "#565c65"
FILLS = {
    "input": "#f0f0f0",
    "strategy": "#d9e8f6",
    "activity": "#e7f6f8",
    "output": "#ecf3ec",
    "short": "#faf3d1",
    "medium": "#faf3d1",
    "long": "#faf3d1",
    "result": "#dfe1e2",
}
"""Light fills behind near-black text (contrast above 12:1); the column's label and the
box's own lines say what a box is, the fill only groups."""
DiagramFormat = Literal["svg", "png"]
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def _svg_text(root: ET.Element) -> str:
    """The SVG element as text with SVG as the default namespace (``<svg ...>``, which an
    HTML page reads as inline SVG) and ``xlink:`` for links. The prefixes are registered
    again each time: the registry is process-wide, and another library's registration
    (WeasyPrint's PDF metadata registers the empty prefix for no namespace, as soon as a
    PDF export is imported) would otherwise turn the drawing into ``<ns0:svg>``, which a
    browser shows as no image at all."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


class DiagramUnavailable(RuntimeError):
    """The diagram could not be drawn (Graphviz missing, too slow or failing); the message
    says so in words a member can act on."""


@dataclass(frozen=True)
class StrategyInfo:
    id: int
    name: str
    evidence_level: str
    lead: str = ""
    partners: tuple[str, ...] = ()
    workgroup: str = ""

    @property
    def needs_evaluation(self) -> bool:
        return self.evidence_level in NEEDS_EVALUATION

    @property
    def has_lead(self) -> bool:
        return bool(self.lead)


@dataclass(frozen=True)
class ModelElement:
    id: int
    kind: str
    title: str
    description: str = ""
    condition: str = ""
    position: int = 0
    strategy: StrategyInfo | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def condition_label(self) -> str:
        return CONDITION_LABELS.get(self.condition, "")

    @property
    def details(self) -> tuple[str, ...]:
        """The box's lines under its title: the condition of an outcome; a strategy's
        evidence and lead (and whether it needs an evaluation)."""
        lines = []
        if self.kind in OUTCOME_KINDS:
            condition = CONDITION_LABELS.get(self.condition, "")
            lines.append(f"Shifts: {condition}" if condition else "Condition not chosen yet")
        info = self.strategy
        if info is not None:
            level = EVIDENCE_LABELS.get(info.evidence_level, info.evidence_level)
            lines.append(
                f"Evidence: {level}" + ("; needs an evaluation" if info.needs_evaluation else "")
            )
            lines.append(f"Lead: {info.lead}" if info.lead else "No lead partner yet")
        return tuple(lines)


@dataclass(frozen=True)
class ModelLink:
    id: int
    source: int
    target: int
    rationale: str = ""
    assumption: str = ""


@dataclass(frozen=True)
class PriorityModel:
    """One priority's logic model."""

    id: int
    title: str
    elements: tuple[ModelElement, ...] = ()
    links: tuple[ModelLink, ...] = ()

    def columns(self) -> list[tuple[str, str, list[ModelElement]]]:
        """(kind, label, elements in order) for every column, empty ones included."""
        by_kind: dict[str, list[ModelElement]] = {k: [] for k, _ in ELEMENT_KINDS}
        for e in sorted(self.elements, key=lambda e: (COLUMN.get(e.kind, 99), e.position, e.id)):
            by_kind.setdefault(e.kind, []).append(e)
        return [(k, KIND_LABELS.get(k, k), items) for k, items in by_kind.items()]

    def element(self, pk: int) -> ModelElement | None:
        return self._by_id.get(pk)

    @property
    def _by_id(self) -> dict[int, ModelElement]:
        return {e.id: e for e in self.elements}

    def outline(self) -> list[OutlineColumn]:
        """The text outline, the diagram's text alternative (the pages, the PDF and the Word
        file all show this one): each column's elements in order, each with what it leads
        to and why (the link's rationale and assumption), links in the order made."""
        by_id = self._by_id
        out: dict[int, list[ModelLink]] = {}
        for link in self.links:
            out.setdefault(link.source, []).append(link)
        columns = []
        for kind, label, items in self.columns():
            entries = []
            for e in items:
                leads = tuple(
                    OutlineLink(by_id[link.target].title, link.rationale, link.assumption,
                                link.id, link.target)
                    for link in out.get(e.id, [])
                    if link.target in by_id
                )  # fmt: skip
                entries.append(OutlineEntry(e, leads))
            columns.append(OutlineColumn(kind, label, tuple(entries)))
        return columns

    def nodes(self) -> list[Node]:
        """The elements as :mod:`upward.planning.logic_model`'s rules read them (a
        strategy's lead known; ``measured`` None until measures exist)."""
        return [
            Node(e.id, self.id, e.kind, e.title, e.condition,
                 (e.strategy is not None and e.strategy.has_lead) if e.kind == "strategy"
                 else None)
            for e in self.elements
        ]  # fmt: skip

    def edges(self) -> list[Edge]:
        return [Edge(link.source, link.target) for link in self.links]

    def describe(self) -> str:
        """The diagram's description (its ``<desc>``)."""
        used = sum(1 for _k, _l, items in self.columns() if items)
        return (
            f"Logic model of the priority “{self.title}”: {_count(len(self.elements), 'element')} "
            f"in {_count(used, 'column')} of {len(ELEMENT_KINDS)}, from inputs and resources on "
            f"the left to the population-level result on the right, and "
            f"{_count(len(self.links), 'link')} between them. The text outline lists every "
            "element and link."
        )


@dataclass(frozen=True)
class OutlineLink:
    """One "leads to" arrow out of an element: the target's title, the link's rationale
    and assumption, the link's id and the target's."""

    target: str
    rationale: str
    assumption: str
    id: int = 0
    target_id: int = 0


@dataclass(frozen=True)
class OutlineEntry:
    element: ModelElement
    leads_to: tuple[OutlineLink, ...]


@dataclass(frozen=True)
class OutlineColumn:
    kind: str
    label: str
    entries: tuple[OutlineEntry, ...]


@dataclass(frozen=True)
class ModelDocument:
    """The logic models of one workspace (all its priorities, or one) as a document."""

    title: str
    coalition: str
    slug: str
    date: str
    models: tuple[PriorityModel, ...]
    diagrams: dict[int, str] = field(default_factory=dict, compare=False)
    """Priority id to its SVG (filled by :func:`with_diagrams`)."""
    problem: str = ""
    """Why the diagrams are missing, when they are."""


def _count(n: int, one: str) -> str:
    return f"{n} {one if n == 1 else one + 's'}"


# -- DOT --------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def dot_text(text: str) -> str:
    """Text for a DOT HTML-like label: control characters dropped, whitespace runs as one
    space, XML-escaped (``&``, ``<``, ``>``, quotes) and each backslash doubled (Graphviz
    reads ``\\N``, ``\\G``... in labels as the node's or graph's name, even as ``&#92;``)."""
    flat = " ".join(_CONTROL.sub("", text).split())
    return html.escape(flat, quote=True).replace("\\", "\\\\")


def wrap(text: str, width: int = WRAP, lines: int = MAX_LINES) -> list[str]:
    """Plain text as at most ``lines`` lines of about ``width`` characters; long words
    are broken, and text cut short ends with an ellipsis."""
    flat = " ".join(_CONTROL.sub("", text).split())
    found = textwrap.wrap(flat, width, break_long_words=True, break_on_hyphens=True) or [""]
    if len(found) > lines:
        found = found[:lines]
        found[-1] = found[-1][: width - 1].rstrip() + "…"
    return found


def _label(element: ModelElement) -> str:
    title = '<BR ALIGN="LEFT"/>'.join(f"<B>{dot_text(line)}</B>" for line in wrap(element.title))
    details = "".join(
        f'<BR ALIGN="LEFT"/>{dot_text(line)}'
        for d in element.details
        for line in wrap(d, WRAP + 6, 2)
    )
    return f'<{title}{details}<BR ALIGN="LEFT"/>>'


def dot_source(model: PriorityModel) -> str:
    """The DOT text of one priority's model: a cluster per column, its elements on one
    rank in their order, the links as arrows; an empty column holds a "none yet" box so
    that every model has the same eight columns."""
    lines = [
        "digraph logic_model {",
        f'  graph [rankdir=LR, newrank=true, nodesep=0.25, ranksep=0.55, fontname="{FONT}", '
        f'fontsize=13, fontcolor="{INK}", labeljust=l, pad=0.2, bgcolor="white"];',
        f'  node [shape=box, style="rounded,filled", fontname="{FONT}", fontsize=11, '
        f'fontcolor="{INK}", color="{BORDER}", penwidth=1.2, margin="0.12,0.08"];',
        '  edge [color="#3d4551", penwidth=1.1, arrowsize=0.8];',
    ]
    firsts = []
    for n, (kind, label, items) in enumerate(model.columns()):
        lines.append(f"  subgraph cluster_{kind} {{")
        lines.append(
            f'    label=<<B>{dot_text(label)}</B>>; style="rounded"; color="{BORDER}"; '
            f"penwidth=1; margin=10;"
        )
        names = []
        for e in items:
            name = f"e{e.id}"
            style = "rounded,filled,dashed" if e.strategy and e.strategy.needs_evaluation else None
            extra = f', style="{style}"' if style else ""
            if e.kind == "result":
                extra += ", penwidth=2.4"
            lines.append(
                f'    {name} [label={_label(e)}, fillcolor="{FILLS.get(kind, "#ffffff")}"{extra}];'
            )
            names.append(name)
        if not names:
            name = f"none_{n}"
            lines.append(
                f'    {name} [label="None yet", style="rounded,dashed", fontcolor="#454545"];'
            )
            names.append(name)
        lines.append(f"    {{ rank=same; {'; '.join(names)}; }}")
        lines.append("  }")
        firsts.append(names[0])
    # the columns in order, whether or not links join them
    for a, b in pairwise(firsts):
        lines.append(f"  {a} -> {b} [style=invis, weight=10];")
    ids = {e.id for e in model.elements}
    for link in model.links:
        if link.source in ids and link.target in ids:
            lines.append(f"  e{link.source} -> e{link.target};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- running dot -------------------------------------------------------------------------


def run_dot(source: str, fmt: DiagramFormat, timeout: float = TIMEOUT_S) -> bytes:
    """Graphviz's drawing of ``source`` as SVG or PNG bytes. Drawings are kept by their
    DOT text (:data:`DRAWN`): the same model draws once, a changed one is a new text."""
    exe = shutil.which(DOT)
    if exe is None:
        raise DiagramUnavailable(
            "The diagram cannot be drawn: Graphviz (the “dot” program) is not installed on "
            "this server. The text outline has the same content."
        )
    return _draw(exe, source, fmt, timeout)


@lru_cache(maxsize=64)
def _draw(exe: str, source: str, fmt: DiagramFormat, timeout: float) -> bytes:
    args = [exe, f"-T{fmt}"] + ([f"-Gdpi={PNG_DPI}"] if fmt == "png" else [])
    try:
        done = subprocess.run(args, input=source.encode(), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise DiagramUnavailable(
            f"The diagram took longer than {timeout:.0f} s to draw and was stopped. The text "
            "outline has the same content."
        ) from exc
    except OSError as exc:
        raise DiagramUnavailable(f"The diagram cannot be drawn: {exc}.") from exc
    if done.returncode != 0 or not done.stdout:
        why = done.stderr.decode(errors="replace").strip().splitlines()[:1]
        raise DiagramUnavailable(
            "Graphviz could not draw the diagram" + (f" ({why[0][:200]})" if why else "") + "."
        )
    return done.stdout


DRAWN = _draw
"""The kept drawings (``DRAWN.cache_clear()`` to draw afresh, as the benchmark does)."""


def _tag(name: str) -> str:
    return f"{{{SVG_NS}}}{name}"


@lru_cache(maxsize=64)
def accessible_svg(raw: bytes, title: str, desc: str, ident: str) -> str:
    """Graphviz's SVG as an accessible inline image: no XML prolog or comments, no
    per-node ``<title>`` (they would read as "e12"), every id prefixed with ``ident`` (so
    several diagrams can share a page), ``role="img"`` and ``aria-labelledby`` naming the
    ``<title>`` and ``<desc>`` it now opens with."""
    root = ET.fromstring(raw)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == _tag("title"):
                parent.remove(child)
        if "id" in parent.attrib:
            parent.set("id", f"{ident}-{parent.get('id')}")
        parent.attrib.pop("class", None) if parent.get("class") == "graph" else None
    head_title = ET.Element(_tag("title"), {"id": f"{ident}-title"})
    head_title.text = title
    head_desc = ET.Element(_tag("desc"), {"id": f"{ident}-desc"})
    head_desc.text = desc
    root.insert(0, head_desc)
    root.insert(0, head_title)
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title {ident}-desc")
    root.set("class", "upward-diagram__svg")
    root.set("focusable", "false")
    return _svg_text(root)


def diagram_title(model: PriorityModel) -> str:
    return f"Logic model: {model.title}"


def svg(model: PriorityModel, ident: str = "") -> str:
    """The diagram as accessible SVG text."""
    raw = run_dot(dot_source(model), "svg")
    return accessible_svg(raw, diagram_title(model), model.describe(), ident or f"lm{model.id}")


def png(model: PriorityModel) -> bytes:
    return run_dot(dot_source(model), "png")


def with_diagrams(doc: ModelDocument) -> ModelDocument:
    """The document with each model's SVG, or with the reason none could be drawn."""
    try:
        drawn = {m.id: svg(m) for m in doc.models}
    except DiagramUnavailable as exc:
        return ModelDocument(doc.title, doc.coalition, doc.slug, doc.date, doc.models, {}, str(exc))
    return ModelDocument(doc.title, doc.coalition, doc.slug, doc.date, doc.models, drawn, "")


# -- documents ---------------------------------------------------------------------------

OUTLINE_NOTE = (
    "The text outline is the diagram in words: each column from left to right, each "
    "element with what it leads to, why (the rationale) and what that assumes."
)


def svg_src(text: str) -> str:
    """An SVG as a data URL, for an ``<img>`` (WeasyPrint draws it as vectors)."""
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode()


def render_html(doc: ModelDocument) -> str:
    from upward.reports.review_guide import _environment

    template = _environment(autoescape=True).get_template("logic_model.html.j2")
    return template.render(
        doc=doc,
        svg_src=svg_src,
        outline_note=OUTLINE_NOTE,
        kinds=KIND_LABELS,
        conditions=CONDITION_LABELS,
        evidence=EVIDENCE_LABELS,
    )


def render_pdf(doc: ModelDocument) -> bytes:
    return pdf_of(render_html(with_diagrams(doc)))


def docx_outline(document: Any, model: PriorityModel, level: int = 2) -> None:
    """The text outline in a Word document: its heading at ``level``, columns below it."""
    document.add_heading("Text outline", level=level)
    document.add_paragraph(OUTLINE_NOTE)
    for column in model.outline():
        document.add_heading(column.label, level=level + 1)
        if not column.entries:
            document.add_paragraph("None yet.")
        for entry in column.entries:
            e = entry.element
            document.add_paragraph(" · ".join((e.title, *e.details)), style="List Bullet")
            if e.description:
                document.add_paragraph(e.description, style="List Bullet 2")
            for lead in entry.leads_to:
                text = f"Leads to: {lead.target}"
                text += f". Why: {lead.rationale}" if lead.rationale else ""
                text += f". Assumes: {lead.assumption}" if lead.assumption else ""
                document.add_paragraph(text, style="List Bullet 2")


def render_docx(doc: ModelDocument) -> bytes:
    from docx import Document
    from docx.shared import Cm

    from upward.reports.review_guide import set_core_properties

    document = Document()
    set_core_properties(
        document,
        title=doc.title,
        subject=f"{doc.title}: {doc.coalition}",
        keywords="Upward Mobility; logic model; systems change",
        comments=f"{doc.coalition}, exported {doc.date}.",
    )
    document.core_properties.category = "Logic model"
    document.add_heading(doc.title, level=0)
    document.add_paragraph(f"{doc.coalition} · exported {doc.date}")
    problem = ""
    for model in doc.models:
        document.add_heading(model.title, level=1)
        if not problem:
            try:
                picture = png(model)
            except DiagramUnavailable as exc:
                problem = str(exc)
            else:
                document.add_paragraph(f"Figure: {diagram_title(model)}", style="Caption")
                document.add_picture(io.BytesIO(picture), width=Cm(16))
                document.add_paragraph(model.describe())
        if problem:
            document.add_paragraph(problem)
        docx_outline(document, model)
    return docx_bytes(document)


def as_json(doc: ModelDocument, workspace_name: str = "") -> dict[str, Any]:
    """The models in the documented JSON shape (see the module's docstring)."""

    def element(e: ModelElement) -> dict[str, Any]:
        s = e.strategy
        return {
            "id": e.id, "kind": e.kind, "title": e.title, "description": e.description,
            "condition": e.condition, "position": e.position,
            "strategy": None if s is None else {
                "id": s.id, "name": s.name, "evidence_level": s.evidence_level,
                "needs_evaluation": s.needs_evaluation, "lead": s.lead,
                "partners": list(s.partners), "workgroup": s.workgroup,
            },
        }  # fmt: skip

    return {
        "format": "upward.logic-model",
        "version": 1,
        "workspace": {"slug": doc.slug, "name": workspace_name or doc.coalition},
        "exported": doc.date,
        "columns": [{"kind": k, "label": label} for k, label in ELEMENT_KINDS],
        "conditions": [{"id": c, "label": label} for c, label in SYSTEMS_CONDITIONS],
        "evidence_levels": [
            {"id": k, "label": label, "meaning": EVIDENCE_MEANINGS[k]}
            for k, label in EVIDENCE_LEVELS
        ],
        "priorities": [
            {
                "id": m.id,
                "title": m.title,
                "elements": [element(e) for _k, _l, items in m.columns() for e in items],
                "links": [
                    {
                        "id": link.id,
                        "source": link.source,
                        "target": link.target,
                        "rationale": link.rationale,
                        "assumption": link.assumption,
                    }
                    for link in m.links
                ],
            }
            for m in doc.models
        ],
    }


def render_json(doc: ModelDocument) -> bytes:
    return json.dumps(as_json(doc), ensure_ascii=False, indent=2).encode()


CSV_COLUMNS: tuple[str, ...] = (
    "record", "priority_id", "priority", "id", "kind", "column", "position", "title",
    "description", "condition", "strategy", "evidence_level", "needs_evaluation", "lead",
    "partners", "workgroup", "source_id", "source", "target_id", "target", "rationale",
    "assumption",
)  # fmt: skip


def csv_rows(models: Iterable[PriorityModel]) -> list[dict[str, Any]]:
    elements, links = [], []
    for m in models:
        base = {"priority_id": m.id, "priority": m.title}
        for _kind, label, items in m.columns():
            for e in items:
                s = e.strategy
                elements.append({
                    **base, "record": "element", "id": e.id, "kind": e.kind, "column": label,
                    "position": e.position, "title": e.title, "description": e.description,
                    "condition": e.condition,
                    **({} if s is None else {
                        "strategy": s.name, "evidence_level": s.evidence_level,
                        "needs_evaluation": "yes" if s.needs_evaluation else "no",
                        "lead": s.lead, "partners": "; ".join(s.partners),
                        "workgroup": s.workgroup,
                    }),
                })  # fmt: skip
        for link in m.links:
            source, target = m.element(link.source), m.element(link.target)
            links.append({
                **base, "record": "link", "id": link.id, "source_id": link.source,
                "source": source.title if source else "", "target_id": link.target,
                "target": target.title if target else "", "rationale": link.rationale,
                "assumption": link.assumption,
            })  # fmt: skip
    return elements + links


def render_csv(doc: ModelDocument) -> bytes:
    return to_csv(csv_rows(doc.models), CSV_COLUMNS).encode()


ModelFormat = Literal["pdf", "docx", "json", "csv"]
CONTENT_TYPES: dict[str, str] = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
RENDERERS = {"pdf": render_pdf, "docx": render_docx, "json": render_json, "csv": render_csv}


def render(doc: ModelDocument, fmt: ModelFormat) -> bytes:
    if fmt not in RENDERERS:
        raise ValueError(f"Unknown format '{fmt}'; use one of {', '.join(RENDERERS)}.")
    return RENDERERS[fmt](doc)


def element_rows(model: PriorityModel) -> Sequence[ModelElement]:
    return [e for _k, _l, items in model.columns() for e in items]
