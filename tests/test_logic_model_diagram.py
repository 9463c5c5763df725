"""The logic model's diagram and exports (issue 13, items 4 and 8): DOT text (escaping,
columns as ranks), the accessible SVG, the PNG, a missing Graphviz, the PDF and Word
documents read back, the JSON and CSV shapes (formula escaping), and the routes' roles
and isolation."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from upward.reports import logic_model_diagram as lm
from upward.web.strategy.models import Element, Link

pytest_plugins = ["workspace_support"]

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Jobs "now" <b>& more</b>\nsecond line \\N with a backslash'


def sample() -> lm.PriorityModel:
    lead = lm.StrategyInfo(7, "Sector partnerships", "emerging", 'Ramsey "Works" & <Co>', ("A",))
    elements = (
        lm.ModelElement(1, "input", "County funding"),
        lm.ModelElement(2, "strategy", NASTY, strategy=lead),
        lm.ModelElement(3, "short", "Employers hire locally", condition="practices"),
        lm.ModelElement(4, "result", "Share employed"),
        lm.ModelElement(
            5, "strategy", '=HYPERLINK("x")', strategy=lm.StrategyInfo(8, "S", "strong")
        ),
    )
    links = (
        lm.ModelLink(1, 1, 2, "money buys staff", "funding lasts"),
        lm.ModelLink(2, 2, 3, "+employers join", "@they stay"),
        lm.ModelLink(3, 3, 4),
    )
    return lm.PriorityModel(11, "Employment & <wages>", elements, links)


def test_dot_labels_are_escaped_and_wrapped() -> None:
    text = lm.dot_source(sample())
    assert "&quot;now&quot; &lt;b&gt;&amp; more&lt;/b&gt;" in text
    assert "\nsecond" not in text  # the newline is a space, then wrapped
    assert "Ramsey &quot;Works&quot; &amp; &lt;Co&gt;" in text
    assert all(len(line) <= lm.WRAP for line in lm.wrap("x" * 300))
    assert lm.wrap("word " * 100)[-1].endswith("…") and len(lm.wrap("word " * 100)) == lm.MAX_LINES


def test_every_column_is_a_rank_in_order_even_when_empty() -> None:
    text = lm.dot_source(sample())
    clusters = [line.split()[1] for line in text.splitlines() if "subgraph cluster_" in line]
    assert clusters == [f"cluster_{k}" for k, _ in lm.ELEMENT_KINDS]
    assert text.count("rank=same") == 8
    assert "None yet" in text  # activities, outputs, medium and long have no elements
    assert "e1 -> e2;" in text and "e3 -> e4;" in text
    assert text.count("style=invis") == 7  # the columns chained left to right
    assert "Shifts: Practices" in text and "Evidence: Emerging; needs an" in text
    assert "\\\\N with a" in text  # a backslash doubled: Graphviz would read \\N as the name
    assert "dashed" in text.split("e2 [", 1)[1].split("\n", 1)[0]


@needs_dot
def test_svg_is_accessible_and_keeps_the_text() -> None:
    svg = lm.svg(sample(), ident="d1")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "d1-title d1-desc"
    assert root[0].tag == SVG + "title" and root[0].get("id") == "d1-title"
    assert root[0].text == "Logic model: Employment & <wages>"
    assert root[1].tag == SVG + "desc" and "5 elements" in root[1].text
    assert len(root.findall(f".//{SVG}title")) == 1  # Graphviz's node titles are gone
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) and all(i.startswith("d1-") for i in ids)
    texts = " ".join(t.text or "" for t in root.iter(SVG + "text"))
    assert 'Jobs "now" <b>& more</b>' in texts and "\\N" in texts
    assert "<script" not in svg and "<?xml" not in svg
    size = [float(t.get("font-size")) for t in root.iter(SVG + "text")]
    assert min(size) >= 11  # pt: about 15 px at its natural size


@needs_dot
def test_svg_stays_inline_svg_after_another_library_registers_namespaces() -> None:
    """WeasyPrint's PDF metadata registers the empty prefix when a PDF export is imported;
    the diagram must still be ``<svg ...>`` (a browser shows ``<ns0:svg>`` as nothing)."""
    import weasyprint.pdf.metadata  # noqa: F401  (registers its namespaces on import)

    ET.register_namespace("", "")  # as it does, should it have been imported already
    svg = lm.svg(sample(), ident="d9")
    assert svg.startswith("<svg ") and "ns0:" not in svg, svg[:120]


@needs_dot
def test_png_is_a_png() -> None:
    assert lm.png(sample())[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_dot_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lm.shutil, "which", lambda _name: None)
    with pytest.raises(lm.DiagramUnavailable, match=r"Graphviz .* not installed"):
        lm.svg(sample())
    doc = lm.ModelDocument("Logic model", "Coalition", "c", "2026-12-01", (sample(),))
    assert "not installed" in lm.with_diagrams(doc).problem


def test_slow_dot_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired("dot", 10)

    monkeypatch.setattr(lm.shutil, "which", lambda _name: "/usr/bin/dot")
    monkeypatch.setattr(lm.subprocess, "run", slow)
    lm.DRAWN.cache_clear()
    with pytest.raises(lm.DiagramUnavailable, match="longer than"):
        lm.png(sample())


def test_json_shape() -> None:
    doc = lm.ModelDocument("Logic model", "Coalition", "c", "2026-12-01", (sample(),))
    data = json.loads(lm.render_json(doc))
    assert data["format"] == "upward.logic-model" and data["version"] == 1
    assert [c["kind"] for c in data["columns"]] == [k for k, _ in lm.ELEMENT_KINDS]
    (priority,) = data["priorities"]
    assert [e["id"] for e in priority["elements"]] == [1, 2, 5, 3, 4]  # column order
    strategy = priority["elements"][1]["strategy"]
    assert strategy["needs_evaluation"] is True and strategy["lead"] == 'Ramsey "Works" & <Co>'
    assert priority["links"][0] == {
        "id": 1, "source": 1, "target": 2, "rationale": "money buys staff",
        "assumption": "funding lasts",
    }  # fmt: skip


def test_csv_rows_and_formula_escaping() -> None:
    doc = lm.ModelDocument("Logic model", "Coalition", "c", "2026-12-01", (sample(),))
    rows = list(csv.DictReader(io.StringIO(lm.render_csv(doc).decode())))
    assert list(rows[0]) == list(lm.CSV_COLUMNS)
    assert [r["record"] for r in rows] == ["element"] * 5 + ["link"] * 3
    assert rows[2]["title"] == '\'=HYPERLINK("x")'
    link = rows[6]
    assert link["rationale"] == "'+employers join" and link["assumption"] == "'@they stay"
    assert link["source"].startswith("Jobs") and link["target"] == "Employers hire locally"


@needs_dot
def test_pdf_has_the_diagram_outline_and_tables() -> None:
    from pypdf import PdfReader

    doc = lm.ModelDocument("Logic model", "Coalition", "c", "2026-12-01", (sample(),))
    reader = PdfReader(io.BytesIO(lm.render_pdf(doc)))
    text = " ".join(p.extract_text() for p in reader.pages)
    for needed in ("Text outline", "Leads to", "money buys staff", "funding lasts", "Elements",
                   "Links", "Short-term outcomes", "needs an evaluation"):  # fmt: skip
        assert needed in text, needed
    assert "Employers hire locally" in text


@needs_dot
def test_docx_has_the_picture_and_outline() -> None:
    from docx import Document

    doc = lm.ModelDocument("Logic model", "Coalition", "c", "2026-12-01", (sample(),))
    word = Document(io.BytesIO(lm.render_docx(doc)))
    assert len(word.inline_shapes) == 1
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Text outline" in text and "Leads to: Employers hire locally" in text
    assert "Why: money buys staff. Assumes: funding lasts" in text
    assert word.core_properties.author == "Upward"


def test_docx_without_dot_keeps_the_outline(monkeypatch: pytest.MonkeyPatch) -> None:
    from docx import Document

    monkeypatch.setattr(lm.shutil, "which", lambda _name: None)
    doc = lm.ModelDocument("Logic model", "Coalition", "c", "2026-12-01", (sample(),))
    word = Document(io.BytesIO(lm.render_docx(doc)))
    assert len(word.inline_shapes) == 0
    assert "not installed" in "\n".join(p.text for p in word.paragraphs)


# -- routes ------------------------------------------------------------------------------

PRIORITY_FORMATS = ("svg", "png", "pdf", "docx", "json", "csv")
WORKSPACE_FORMATS = ("pdf", "docx", "json", "csv")


def _urls(world: SimpleNamespace, slug: str | None = None) -> list[str]:
    slug = slug or world.workspace.slug
    return [
        *(reverse(f"workspace:priority_export_{f}", args=[slug, world.priority.pk])
          for f in PRIORITY_FORMATS),
        *(reverse(f"workspace:model_export_{f}", args=[slug]) for f in WORKSPACE_FORMATS),
        reverse("workspace:priority_diagram", args=[slug, world.priority.pk]),
    ]  # fmt: skip


@pytest.mark.db
@pytest.mark.django_db
@needs_dot
def test_a_viewer_downloads_every_export(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    client.force_login(world.viewer)
    slug, pk = world.workspace.slug, world.priority.pk
    for fmt in PRIORITY_FORMATS:
        response = client.get(reverse(f"workspace:priority_export_{fmt}", args=[slug, pk]))
        assert response.status_code == 200, fmt
        assert response["Content-Type"] == lm.CONTENT_TYPES[fmt]
        stem = "diagram" if fmt in ("svg", "png") else "model"
        assert stem in response.wsgi_request.path
        assert response["Content-Disposition"] == (
            f'attachment; filename="logic-model-{slug}-priority-{pk}.{fmt}"'
        )
    data = json.loads(client.get(reverse("workspace:model_export_json", args=[slug])).content)
    (priority,) = data["priorities"]
    assert {e["title"] for e in priority["elements"]} == {
        "Sector partnerships", "Employers hire locally", "Share employed",
    }  # fmt: skip
    strategy = next(e for e in priority["elements"] if e["strategy"])["strategy"]
    assert strategy["lead"] == world.stakeholder.name
    assert strategy["partners"] == [world.stakeholder.name]
    assert strategy["workgroup"] == world.workgroup.name
    assert len(priority["links"]) == 2
    response = client.get(reverse("workspace:model_export_docx", args=[slug]))
    assert response["Content-Disposition"] == f'attachment; filename="logic-model-{slug}.docx"'


@pytest.mark.db
@pytest.mark.django_db
def test_outsiders_get_nothing_and_other_priorities_are_404(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    for url in _urls(world):
        assert client.get(url).status_code in (302, 401), url  # anonymous
    client.force_login(world.outsider)
    for url in _urls(world):
        assert client.get(url).status_code in (403, 404), url
    # the outsider's own workspace cannot reach this workspace's priority
    for url in _urls(world, slug="elsewhere")[:6]:
        assert client.get(url).status_code == 404, url
    client.force_login(world.viewer)
    assert client.post(_urls(world)[2]).status_code == 403  # a change needs an editor
    client.force_login(world.editor)
    for url in _urls(world):
        assert client.post(url).status_code == 405, url  # downloads and pages are GET only


@pytest.mark.db
@pytest.mark.django_db
@needs_dot
def test_page_shows_diagram_outline_and_downloads(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    client.force_login(world.viewer)
    html = client.get(_urls(world)[-1]).content.decode()
    assert 'role="img"' in html and f'aria-labelledby="diagram-{world.priority.pk}-title' in html
    assert 'href="#outline"' in html and 'id="outline"' in html
    assert "Leads to Employers hire locally" in html
    assert html.count(" download>") == len(PRIORITY_FORMATS) + len(WORKSPACE_FORMATS)


@pytest.mark.db
@pytest.mark.django_db
def test_page_without_dot_shows_the_outline_and_svg_is_503(
    workspace_world: SimpleNamespace, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = workspace_world
    monkeypatch.setattr(lm.shutil, "which", lambda _name: None)
    client.force_login(world.viewer)
    response = client.get(_urls(world)[-1])
    assert response.status_code == 200
    html = response.content.decode()
    assert "not installed" in html and 'id="outline"' in html and "upward-diagram__svg" not in html
    svg = client.get(_urls(world)[0])
    assert svg.status_code == 503 and "not installed" in svg.content.decode()
    assert client.get(_urls(world)[2]).status_code == 200  # the PDF, with the outline


@pytest.mark.db
@pytest.mark.django_db
def test_export_follows_the_model(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    extra = Element.objects.create(
        workspace=world.workspace, priority=world.priority, kind="input", title="=1+1"
    )
    Link.objects.create(workspace=world.workspace, source=extra, target=world.element)
    client.force_login(world.editor)
    body = client.get(reverse("workspace:model_export_csv", args=[world.workspace.slug]))
    rows = list(csv.DictReader(io.StringIO(body.content.decode())))
    assert rows[0]["title"] == "'=1+1" and rows[0]["column"] == "Inputs and resources"
    assert sum(r["record"] == "link" for r in rows) == 3
