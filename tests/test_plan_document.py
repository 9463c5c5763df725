"""The Mobility Action Plan document (issue 14, part 7): its JSON round trip, the two
editions, the honest target claims (a Weak baseline gets none, a target inside the noise
is flagged), escaping, the three formats (HTML, tagged PDF, Word with real headings), and
the draft assembled from a workspace's records without writing anything.

The hand-made document is tests/plan_samples.py: three indicators on a 41.2% baseline
[39.0%, 43.4%] with a minimum detectable change of 3.1 points: a target of 45.0%
(outside the noise: 3.8 points away), one of 42.0% (inside), and one on a Weak baseline."""

from __future__ import annotations

import io
import itertools
import json
import re
from pathlib import Path
from types import SimpleNamespace

import plan_samples as samples
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner
from workspace_support import snapshot

from upward.cli import app
from upward.reports import action_plan as ap
from upward.reports import number_line
from upward.web.measurement import plan_document
from upward.web.measurement.models import Measure
from upward.web.strategy.models import Strategy

pytest_plugins = ["workspace_support"]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# -- the document's values ---------------------------------------------------------------------


def test_the_document_round_trips_through_json_exactly() -> None:
    doc = samples.document(version=3, published_at="2026-12-01T10:00:00Z",
                           open_problems=("An element without a measure: Hire",))  # fmt: skip
    stored = json.dumps(doc.as_dict())
    again = ap.PlanDocument.from_dict(json.loads(stored))
    assert again == doc
    assert json.dumps(again.as_dict()) == stored
    assert again.direction.models[0].elements[0].strategy.partners == ("Works Inc",)
    assert isinstance(again.measurement.indicators[0].baseline.value, float)


def test_a_damaged_or_foreign_document_is_refused() -> None:
    good = samples.document().as_dict()
    with pytest.raises(ap.BadDocument, match="not a Mobility Action Plan"):
        ap.PlanDocument.from_dict({"title": "x"})
    with pytest.raises(ap.BadDocument, match="schema"):
        ap.PlanDocument.from_dict({**good, "schema": 99})
    with pytest.raises(ap.BadDocument, match="damaged"):
        ap.PlanDocument.from_dict({**good, "partners": "Works Inc"})
    with pytest.raises(ap.BadDocument, match="unknown field"):
        ap.PlanDocument.from_dict({**good, "extra": 1})


def test_a_weak_baseline_has_no_target_claim() -> None:
    weak = samples.document().measurement.indicators[2]
    assert weak.weak and weak.shown_target is None
    assert "rated Weak" in weak.note and "local data" in weak.note
    chart = weak.chart
    assert chart is not None and chart.target is None and chart.band is None
    # Even a target stored on a Weak baseline is not shown.
    forced = ap.Indicator(**{**weak.__dict__, "target": samples.target(0.45, False)})
    assert forced.shown_target is None and ap.target_claim(forced) == weak.note
    html = text_of(ap.render_html(samples.document(), "general"))
    part = html.split("Employment weak", 1)[1].split("Performance measures")[0]
    assert "aims for" not in part and "Target" not in part and "rated Weak" in part


def test_a_target_inside_the_noise_is_flagged_in_both_editions() -> None:
    doc = samples.document()
    for edition in ap.EDITIONS:
        html = text_of(ap.render_html(doc, edition))
        inside = html.split("Employment small step")[1].split("Employment weak")[0]
        outside = html.split("Employment overall")[1].split("Employment small step")[0]
        assert "Target inside the noise." in inside
        assert "(3.1 percentage points)" in inside
        assert "inside the noise" not in outside


def test_the_editions_differ_as_intended() -> None:
    doc = samples.document()
    technical = ap.render_html(doc, "technical")
    general = ap.render_html(doc, "general")
    assert "Technical edition" in technical and "general audience" in general
    assert technical.count("<table") > general.count("<table")
    assert "Method: each population indicator" in technical
    assert "Method: each population indicator" not in general
    # Every number keeps its year, CI and quality in words in the general edition.
    words = text_of(general)
    assert (
        "41.2% in 2021 (95% CI 39.0% to 43.4%; rated Strong (no substantial concerns with the "
        "data); release 2023.01)" in words
    )
    assert "The coalition aims for 45.0% (percent improvement)." in words
    assert "A change smaller than 3.1 percentage points could not be told apart" in words
    for claim in ("improved", "got worse", "better than", "worse than"):
        assert claim not in words


def test_coalition_text_is_escaped_everywhere() -> None:
    hostile = samples.HOSTILE
    doc = samples.document(coalition=hostile)
    doc = ap.PlanDocument(**{**doc.__dict__, "direction": ap.Direction(
        vision=(hostile,), strategies=(ap.StrategyLine(hostile, hostile, "Emerging", True),),
        models=(samples.model(),),
    )})  # fmt: skip
    for edition in ap.EDITIONS:
        html = ap.render_html(doc, edition)
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp;" in html
    chart = samples.indicator(hostile, samples.target(0.45, False)).chart
    assert chart is not None
    svg = number_line.svg(chart)
    assert "<script>" not in svg and svg.count("&lt;script&gt;") == 2  # title, desc


def test_headings_are_in_order_and_the_page_has_its_language() -> None:
    html = ap.render_html(samples.document(open_problems=("A target inside the noise",)))
    assert '<html lang="en">' in html
    levels = [int(n) for n in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    titles = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert titles == [
        "Known problems in this plan", "1. The coalition's work", "2. Local mobility conditions",
        "3. Vision, theory of change, logic model and strategies", "4. The measurement plan",
        "5. Sustainability and learning", "6. Partners and signatories", "Glossary",
    ]  # fmt: skip
    body = ap.render_body(samples.document(), "technical", offset=1)
    assert re.findall(r"<h([1-6])", str(body))[0] == "2"


def test_open_problems_are_a_section_only_when_there_are_some() -> None:
    assert "Known problems" not in ap.render_html(samples.document())
    html = ap.render_html(samples.document(open_problems=("No measure of “Hire trainers”",)))
    assert "No measure of “Hire trainers”" in html


def test_every_chart_has_alt_text_and_a_data_table() -> None:
    doc = samples.document()
    html = ap.render_html(doc)
    alts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    charts = [a for a in alts if a.startswith("Employment ")]
    assert len(charts) == 3
    assert charts[0] == (
        "Employment overall: baseline 41.2% in 2021, drawn with its 95% confidence interval; "
        "target 45.0%; the target lies outside the shaded band of changes too small to detect. "
        "The table beside the chart gives the same numbers."
    )
    assert "inside the shaded band" in charts[1]
    # The technical edition: one table per priority, each chart beside the indicator's details
    # in the row under its numbers (a compact layout: half the PDF's tables); the general
    # edition: a table under each chart.
    assert html.count('<td colspan="4"><img src=') == html.count("<img src=") - len(
        re.findall(r'<figure class="diagram">', html)
    )
    assert '<th scope="col">Year, release</th>' in html and "2021, release 2023.01</td>" in html
    assert "the numbers of their charts</caption>" in html
    assert "Employment overall</th>" in html
    general = ap.render_html(doc, "general")
    assert general.count("the numbers of the chart</caption>") == 3


def test_sustainability_says_funding_in_its_sentence_and_actions_in_four_columns() -> None:
    html = ap.render_html(samples.document())
    assert (
        "Responsible: Works Inc. Resources needed: Two trainers. Funding: City grant, "
        "$50,000.00 (secured).</p>"
    ) in html
    assert '<th scope="col">Start to due</th><th scope="col">Status</th></tr>' in html
    assert "<td>2026-01-05 to 2026-02-01</td><td>Done</td>" in html
    assert ap.ActionLine("a", "Action", "", "", "2026-02-01", "Open", 0, ("overdue",)).dates == (
        "due 2026-02-01"
    )
    assert ap.Funding("Levy", "", "Pending", "Vote in May").words() == (
        "Levy, amount not stated (pending; Vote in May)"
    )


# -- the formats -------------------------------------------------------------------------------


def test_pdf_is_tagged_and_docx_has_real_headings_and_header_rows() -> None:
    doc = samples.document()
    pdf = ap.render(doc, "pdf", "technical")
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    from docx import Document

    word = Document(io.BytesIO(ap.render(doc, "docx", "general")))
    styles = ("Heading", "Title")
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith(styles)]
    assert headings[0] == ("Title", "Mobility Action Plan")
    numbers = [int(s.split()[-1]) for s, _t in headings[1:]]
    assert all(b <= a + 1 for a, b in itertools.pairwise(numbers))
    assert [t for s, t in headings if s == "Heading 1"][:2] == [
        "1. The coalition's work", "2. Local mobility conditions"]  # fmt: skip
    table = word.tables[0]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    pictures = word.inline_shapes
    assert len(pictures) >= 3
    described = [p._inline.docPr.get("descr") for p in pictures]
    assert any(d.startswith("Employment overall: baseline 41.2%") for d in described)


def test_unknown_format_or_edition_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Unknown format 'odt'"):
        ap.render(samples.document(), "odt", "technical")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Unknown edition 'kids'"):
        ap.render(samples.document(), "html", "kids")  # type: ignore[arg-type]


# -- the draft from a workspace ------------------------------------------------------------------


@pytest.mark.db
@pytest.mark.django_db
def test_assemble_reads_the_workspace_and_writes_nothing(
    workspace_world: SimpleNamespace,
) -> None:
    world = workspace_world
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        doc = plan_document.assemble(world.workspace)
    assert snapshot() == before
    assert len(queries) <= 45, [q["sql"] for q in queries]
    assert doc.coalition == world.workspace.name and doc.version is None
    assert ap.PlanDocument.from_dict(json.loads(json.dumps(doc.as_dict()))) == doc
    m = doc.measurement
    income = next(i for i in m.indicators if i.title == "Income, 20th percentile")
    assert income.baseline.text == "$27,250" and income.baseline.release == "fixture"
    assert income.baseline.ci_text.startswith("95% CI $25,500")
    assert income.target.inside_noise and income.target.text == "$28,000"
    unpinned = next(i for i in m.indicators if i.title == "Income (not pinned)")
    assert unpinned.baseline is None and unpinned.target_note.startswith("No baseline")
    assert [s.title for s in m.systems] == ["Local hiring policy"]
    assert m.systems[0].milestones == ("Policy adopted (evidence: Minutes)",)
    assert any(u.endswith(": Sector partnerships") for u in m.unmeasured)
    assert doc.direction.vision == ("Every family in Ramsey County thrives.",)
    assert doc.direction.models[0].title == "Employment, Ramsey County"
    plans = {p.strategy: p for p in doc.sustainability.strategies}
    assert plans["Sector partnerships"].actions[0].flags == ("overdue",)
    assert plans["Neighborhood navigators"].responsible == ("Saint Paul Public Schools",)
    assert doc.sustainability.learning.questions == ("Who is not yet reached?",)
    assert [p.name for p in doc.partners] == ["Saint Paul Public Schools"]
    assert ("olivia", "Owner of the workspace") in [(p.name, p.role) for p in doc.signatories]
    assert doc.coalition_work.engagement_count == 1 and doc.coalition_work.participants == 3


@pytest.mark.db
@pytest.mark.django_db
def test_language_flags_say_where_and_what_to_write_instead(
    workspace_world: SimpleNamespace,
) -> None:
    world = workspace_world
    Strategy.objects.filter(pk=world.strategy.pk).update(
        description="Job training for at-risk youth and low-income families."
    )
    Measure.objects.filter(pk=world.measure.pk).update(title="Policy for the inner city")
    flags = plan_document.language_flags(plan_document.assemble(world.workspace))
    found = [(where, f.found) for where, f in flags]
    assert ("Strategy “Sector partnerships”: description", "at-risk") in found
    assert ("Strategy “Sector partnerships”: description", "low-income families") in found
    assert ("Measure “Policy for the inner city”", "inner city") in found
    rows = plan_document.flagged(flags)
    assert rows[0]["suggestion"] and rows[0]["why"] and rows[0]["excerpt"]


# -- the page, the downloads and the API -------------------------------------------------------


@pytest.mark.db
@pytest.mark.django_db
def test_any_member_reads_the_draft_page_and_nothing_is_written(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    Strategy.objects.filter(pk=world.strategy.pk).update(description="For at-risk youth.")
    client.force_login(world.viewer)
    before = snapshot()
    page = client.get("/w/ramsey/measure/map/")
    general = client.get("/w/ramsey/measure/map/?edition=general")
    assert snapshot() == before
    assert page.status_code == 200 and general.status_code == 200
    html = page.content.decode()
    assert "<h1>Mobility Action Plan (draft)</h1>" in html
    assert "Preview: Technical edition" in html and "Method: each population" in html
    assert "Preview: Edition for a general audience" in general.content.decode()
    # The plain-language warning: where, what, the suggestion; no form blocks anything.
    assert "Strategy “Sector partnerships”: description</strong>: “at-risk”" in html
    assert "In context: For at-risk youth." in html
    assert "name the condition" in html
    for fmt in ("html", "pdf", "docx"):
        assert f'href="/w/ramsey/measure/map.{fmt}?edition=general"' in html
    hub = client.get("/w/ramsey/measure/").content.decode()
    assert 'href="/w/ramsey/measure/map/"' in hub


@pytest.mark.db
@pytest.mark.django_db
def test_downloads_in_each_format_and_bad_requests(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(workspace_world.viewer)
    before = snapshot()
    for fmt, start in (("html", b"<!DOCTYPE html>"), ("pdf", b"%PDF"), ("docx", b"PK")):
        got = client.get(f"/w/ramsey/measure/map.{fmt}?edition=general")
        assert got.status_code == 200 and got.content.startswith(start)
        assert got["Content-Type"] == ap.CONTENT_TYPES[fmt]
        assert f"mobility-action-plan-ramsey-general.{fmt}" in got["Content-Disposition"]
    assert snapshot() == before
    bad = client.get("/w/ramsey/measure/map/?edition=<b>kids</b>")
    assert bad.status_code == 400 and "Unknown edition" in bad.content.decode()
    assert "<b>kids" not in bad.content.decode()
    assert client.get("/w/ramsey/measure/map.pdf?edition=x").status_code == 400
    assert client.get("/w/ramsey/measure/map.odt").status_code == 404
    assert client.post("/w/ramsey/measure/map/").status_code in (403, 405)  # a viewer posts


@pytest.mark.db
@pytest.mark.django_db
def test_the_api_returns_the_draft_document(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    client.force_login(world.viewer)
    got = client.get("/api/workspaces/ramsey/plan/draft")
    assert got.status_code == 200, got.content[:500]
    body = got.json()
    doc = ap.PlanDocument.from_dict(body)
    assert doc.coalition == world.workspace.name and doc.version is None
    assert body == json.loads(json.dumps(plan_document.assemble(world.workspace).as_dict()))
    client.force_login(world.outsider)
    assert client.get("/api/workspaces/ramsey/plan/draft").status_code == 404


# -- the command line --------------------------------------------------------------------------


@pytest.mark.db
@pytest.mark.django_db
def test_plan_export_writes_each_format_whole_or_not_at_all(
    workspace_world: SimpleNamespace, tmp_path: Path
) -> None:
    runner = CliRunner()
    for fmt, start in (("html", b"<!DOCTYPE"), ("pdf", b"%PDF"), ("docx", b"PK"), ("json", b"{")):
        target = tmp_path / f"plan.{fmt}"
        got = runner.invoke(app, ["plan", "export", "ramsey", "--format", fmt, "-o", str(target),
                                  "--edition", "general"])  # fmt: skip
        assert got.exit_code == 0, got.output
        assert target.read_bytes().startswith(start) and "Wrote" in got.output
    doc = ap.PlanDocument.from_dict(json.loads((tmp_path / "plan.json").read_text()))
    assert doc.slug == "ramsey"
    for args, words, code in (
        (["nowhere", "-o", str(tmp_path / "x.pdf")], "No workspace 'nowhere'", 1),
        (["ramsey", "-o", str(tmp_path / "no" / "x.pdf")], "Cannot write", 1),
        (["ramsey", "-f", "odt", "-o", str(tmp_path / "x.odt")], "odt", 2),
        (["ramsey", "--edition", "kids", "-o", str(tmp_path / "x.pdf")], "kids", 2),
    ):
        refused = runner.invoke(app, ["plan", "export", *args])
        assert refused.exit_code == code, refused.output
        assert words in refused.output and "Traceback" not in refused.output
    written = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert written == ["plan.docx", "plan.html", "plan.json", "plan.pdf"]  # no partial file
