"""Coded findings: the codebook, notes, excerpts, the excerpt browser and its downloads,
the findings panel, and the JSON API."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from upward.catalog import get_catalog
from upward.planning.knowledge import SYSTEMS_CONDITIONS
from upward.web.knowledge.codebook import builtin_code, ensure_codebook
from upward.web.knowledge.models import Code, Excerpt, Note
from upward.web.knowledge.views.coding import findings_panel

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

TEXT = "Rent keeps rising.\nWe need buses after 10 pm. Rent keeps rising, and wages do not."


@pytest.fixture(autouse=True)
def no_findings_yet(workspace_world: SimpleNamespace) -> None:
    """Start from the built-in codebook only (the world has a note, a code and an excerpt)."""
    Note.objects.all().delete()
    Code.objects.filter(kind="custom").delete()


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def u(name: str, *args: object) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


def own(workspace: object, name: str, parent: Code | None = None) -> Code:
    return Code.objects.create(workspace=workspace, kind="custom", name=name, parent=parent)


def note(world: SimpleNamespace, text: str = TEXT, **more: object) -> Note:
    fields: dict[str, object] = {"title": "Listening session", **more}
    return Note.objects.create(workspace=world.workspace, text=text, **fields)


def excerpt(n: Note, start: int, end: int, *codes: Code, **more: object) -> Excerpt:
    e = Excerpt.objects.create(workspace=n.workspace, note=n, start=start, end=end,
                               text=n.text[start:end], **more)  # fmt: skip
    e.codes.set(codes)
    return e


def test_codebook_lists_builtins_and_tree_with_counts(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    ws = workspace_world.workspace
    housing = own(ws, "Housing")
    rent = own(ws, "Rent", housing)
    n = note(workspace_world)
    excerpt(n, 0, 17, rent)
    excerpt(n, 19, 45, housing, rent)
    page = editor.get(u("knowledge_codebook"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Housing affordability" in body and "Power dynamics" in body
    assert Code.objects.filter(workspace=ws).exclude(kind="custom").count() == 30
    tree = page.context["book"].own
    assert [(row.path, count) for row, _code, count in tree] == [
        ("Housing", 2),
        ("Housing > Rent", 2),
    ]


def test_code_create_edit_conflict_and_cycle(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    ws = workspace_world.workspace
    ensure_codebook(ws)
    response = editor.post(u("code_create"), {"name": "  Housing  ", "description": "Homes"})
    assert response.status_code == 302
    housing = Code.objects.get(workspace=ws, kind="custom", name="Housing")
    rent = own(ws, "Rent", housing)
    bad = editor.post(u("code_create"), {"name": "housing"})
    assert bad.status_code == 400 and "already another own code" in bad.content.decode()
    bad = editor.post(u("code_create"), {"name": "Policies"})
    assert "built-in code" in bad.content.decode()
    bad = editor.post(u("code_create"), {"name": "A > B"})
    assert bad.status_code == 400
    cycle = editor.post(u("code_edit", housing.pk),
                        {"name": "Housing", "parent": rent.pk, "version": 1})  # fmt: skip
    assert cycle.status_code == 400  # a code is not a choice under its own child
    assert Code.objects.get(pk=housing.pk).parent is None
    ok = editor.post(u("code_edit", rent.pk), {"name": "Rents", "parent": housing.pk, "version": 1})
    assert ok.status_code == 302 and Code.objects.get(pk=rent.pk).version == 2
    stale = editor.post(u("code_edit", rent.pk), {"name": "Rent", "version": 1})
    assert stale.status_code == 409 and "Someone else saved this first" in stale.content.decode()
    builtin = builtin_code(ws, "predictor", "housing_affordability")
    assert editor.get(u("code_edit", builtin.pk)).status_code == 404


def test_code_delete_reparents_or_deletes_children(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    ws = workspace_world.workspace
    top = own(ws, "Top")
    mid = own(ws, "Mid", top)
    leaf = own(ws, "Leaf", mid)
    n = note(workspace_world)
    e = excerpt(n, 0, 17, mid)
    ask = editor.get(u("code_delete", mid.pk))
    assert ask.status_code == 200 and "Leaf" in ask.content.decode()
    assert (
        editor.post(u("code_delete", mid.pk), {"version": 1, "children": "reparent"}).status_code
        == 302
    )
    assert Code.objects.get(pk=leaf.pk).parent_id == top.pk
    assert Excerpt.objects.filter(pk=e.pk).exists() and not e.codes.exists()
    stale = editor.post(u("code_delete", top.pk), {"version": 7, "children": "delete"})
    assert stale.status_code == 302 and Code.objects.filter(pk=top.pk).exists()
    editor.post(u("code_delete", top.pk), {"version": 1, "children": "delete"})
    assert not Code.objects.filter(pk__in=[top.pk, leaf.pk]).exists()


def test_codebook_import_all_or_nothing_and_export(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    ws = workspace_world.workspace
    own(ws, "Transit")
    bad = "code,parent,description\nHousing,,\nRent,Nowhere,\nPolicies,,\n"
    response = editor.post(u("codebook_import"), {"text": bad})
    assert response.status_code == 400
    errors = [(e.line, e.column) for e in response.context["row_errors"]]
    assert errors == [(3, "parent"), (4, "code")]
    assert Code.objects.filter(workspace=ws, kind="custom").count() == 1
    good = 'code,parent,description\nRent,Housing,=HYPERLINK("x")\nHousing,,\nFares,Transit,\n'
    assert editor.post(u("codebook_import"), {"text": good}).status_code == 302
    rent = Code.objects.get(workspace=ws, name="Rent")
    assert rent.parent.name == "Housing" and rent.description.startswith("=")
    body = editor.get(u("codebook_export")).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["code"], r["parent"]) for r in rows] == [
        ("Housing", ""), ("Rent", "Housing"), ("Transit", ""), ("Fares", "Transit")]  # fmt: skip
    assert rows[1]["description"] == '\'=HYPERLINK("x")'
    # the export imports back (as a new workspace would): every name is taken here
    again = editor.post(u("codebook_import"), {"text": body})
    assert again.status_code == 400 and len(again.context["row_errors"]) == 4


def test_note_create_attribution_and_bad_input(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    base = {"title": "Interview", "kind": "interview", "text": TEXT,
            "stakeholder": workspace_world.stakeholder.pk}  # fmt: skip
    bad = editor.post(u("note_create"), {**base, "attribution_consent": "on", "text": "  "})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"text", "attributed_to"}
    editor.post(u("note_create"), {**base, "attributed_to": "Ana"})  # no consent: not kept
    made = Note.objects.get(title="Interview")
    assert made.attributed_to == "" and made.stakeholder == workspace_world.stakeholder
    detail = editor.get(u("note_detail", made.pk)).content.decode()
    assert "Said by: Anonymous" in detail


def test_code_a_passage_by_paste_occurrence_and_offsets(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    ws = workspace_world.workspace
    n = note(workspace_world)
    housing = builtin_code(ws, "predictor", "housing_affordability")
    policies = builtin_code(ws, "condition", "policies")
    url = u("excerpt_create", n.pk)
    missing = editor.post(url, {"passage": "trains", "codes": [housing.pk]})
    assert missing.status_code == 400 and "not in the note" in missing.content.decode()
    twice = editor.post(url, {"passage": "Rent keeps\nrising", "codes": [housing.pk]})
    assert twice.status_code == 400 and "occurs 2 times" in twice.content.decode()
    assert 'name="occurrence"' in twice.content.decode()
    nocode = editor.post(url, {"passage": "wages do not"})
    assert nocode.status_code == 400 and "Tick at least one code" in nocode.content.decode()
    editor.post(url, {"passage": "Rent keeps rising", "occurrence": 1, "codes": [housing.pk]})
    first = Excerpt.objects.get()
    assert (first.start, first.end) == (46, 63) and first.text == "Rent keeps rising"
    # as excerpt.js sends it: the selection's offsets, overlapping the first excerpt
    editor.post(url, {"passage": "after 10 pm. Rent", "start": 33, "end": 50,
                      "codes": [policies.pk, housing.pk], "memo": "late buses"})  # fmt: skip
    second = Excerpt.objects.exclude(pk=first.pk).get()
    assert (second.start, second.end, second.memo) == (33, 50, "late buses")
    page = editor.get(u("note_detail", n.pk)).content.decode()
    assert page.count("<mark") == 3 and "upward-mark--overlap" in page
    assert "(coded: Housing affordability, Policies)" in page
    # offsets that do not hold the passage fall back to finding it
    editor.post(url, {"passage": "wages do not", "start": 0, "end": 5, "codes": [housing.pk]})
    assert Excerpt.objects.filter(text="wages do not").exists()


def test_excerpt_edit_conflict_delete_and_note_reanchor(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    ws = workspace_world.workspace
    n = note(workspace_world)
    housing = builtin_code(ws, "predictor", "housing_affordability")
    e = excerpt(n, 19, 45, housing)
    empty = editor.post(u("excerpt_edit", e.pk), {"version": 1, "memo": "x"})
    assert empty.status_code == 400
    editor.post(u("excerpt_edit", e.pk), {"version": 1, "codes": [housing.pk], "is_quote": "on"})
    assert Excerpt.objects.get(pk=e.pk).is_quote
    stale = editor.post(u("excerpt_edit", e.pk), {"version": 1, "codes": [housing.pk]})
    assert stale.status_code == 409
    form = {"title": n.title, "kind": "notes", "version": 1}
    lost = editor.post(u("note_edit", n.pk), {**form, "text": "Nothing like it."})
    assert lost.status_code == 400 and "would no longer be in the text" in lost.content.decode()
    editor.post(u("note_edit", n.pk), {**form, "text": "Intro. " + TEXT})
    assert Excerpt.objects.get(pk=e.pk).start == 26
    editor.post(u("excerpt_delete", e.pk), {"version": 2})
    assert not Excerpt.objects.filter(pk=e.pk).exists()


def test_browser_filters_and_exports_are_formula_safe(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    ws = workspace_world.workspace
    parent = own(ws, "Housing")
    child = own(ws, "Rent", parent)
    transit = own(ws, "Transit")
    n = note(workspace_world, text='=HYPERLINK("http://evil","x") rent', title="=cmd|' /C calc'!A0",
             attribution_consent=True, attributed_to="Ana")  # fmt: skip
    excerpt(n, 0, 29, child, memo="+SUM(A1)")
    other = note(workspace_world, text="Buses are late.", kind="transcript", attributed_to="Bo")
    excerpt(other, 0, 5, transit)
    listing = editor.get(u("excerpt_list"), {"code": parent.pk})
    assert listing.status_code == 200 and len(listing.context["rows"]) == 1
    assert len(editor.get(u("excerpt_list"), {"kind": "transcript"}).context["rows"]) == 1
    assert editor.get(u("excerpt_list"), {"code": "x"}).status_code == 400
    rows = list(csv.DictReader(io.StringIO(editor.get(u("excerpt_csv")).content.decode())))
    assert len(rows) == 2
    hostile = next(r for r in rows if r["codes"] == "Rent")
    assert hostile["text"].startswith("'=HYPERLINK") and hostile["note"].startswith("'=")
    assert hostile["memo"] == "'+SUM(A1)" and hostile["attribution"] == "Ana"
    assert next(r for r in rows if r["codes"] == "Transit")["attribution"] == "Anonymous"
    book = load_workbook(io.BytesIO(editor.get(u("excerpt_xlsx")).content))
    sheet = book.worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPER")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_findings_panel_is_a_few_queries(workspace_world: SimpleNamespace) -> None:
    ws = workspace_world.workspace
    housing = builtin_code(ws, "predictor", "housing_affordability")
    policies = builtin_code(ws, "condition", "policies")
    rent = own(ws, "Rent")
    notes = [
        note(workspace_world, attribution_consent=i == 0, attributed_to="Ana") for i in range(3)
    ]
    for i in range(30):
        codes = [housing, policies] + ([rent] if i % 3 == 0 else [])
        excerpt(notes[i % 3], 0, 17, *codes, is_quote=i == 29)
    with CaptureQueriesContext(connection) as queries:
        panel = findings_panel(ws, "housing_affordability")
    assert len(queries) <= 5
    assert (panel.total, panel.notes) == (30, 3)
    assert panel.themes == [("Policies", 30), ("Rent", 10)]
    assert len(panel.quotes) == 5 and {who for _t, who in panel.quotes} <= {"Ana", "Anonymous"}
    assert panel.sentences[0] == "30 coded excerpts from 3 notes speak to Housing affordability."
    assert "Policies and Rent" in panel.sentences[1]
    empty = findings_panel(ws, "employment_opportunities")
    assert empty.total == 0 and "No coded excerpts" in empty.sentences[0]


def test_findings_panel_partial_escapes_what_people_said(
    workspace_world: SimpleNamespace,
) -> None:
    from django.template.loader import render_to_string

    ws = workspace_world.workspace
    housing = builtin_code(ws, "predictor", "housing_affordability")
    n = note(workspace_world, text="<script>alert(1)</script> rent")
    excerpt(n, 0, 25, housing, is_quote=True)
    panel = findings_panel(ws, "housing_affordability")
    html = render_to_string("knowledge/_findings_panel.html",
                            {"findings_panel": panel, "workspace": ws})  # fmt: skip
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "1 coded excerpt from 1 note speaks to Housing affordability." in html
    assert "Anonymous" in html


def test_viewer_reads_but_cannot_change(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.viewer)
    n = note(workspace_world)
    assert client.get(u("note_detail", n.pk)).status_code == 200
    assert "Code a passage" not in client.get(u("note_detail", n.pk)).content.decode()
    assert client.post(u("excerpt_create", n.pk), {"passage": "Rent"}).status_code == 403
    assert client.get(u("knowledge_codebook")).status_code == 200
    assert client.post(u("code_create"), {"name": "X"}).status_code == 403


API = "/api/workspaces/ramsey"


def send(client: Client, method: str, url: str, body: object = None) -> tuple[int, dict]:
    data = "" if body is None else json.dumps(body)
    response = client.generic(method, API + url, data, content_type="application/json")
    return response.status_code, (json.loads(response.content) if response.content else {})


def test_api_codes_notes_excerpts_crud_and_conflicts(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    ws = workspace_world.workspace
    status, body = send(editor, "GET", "/codes?kind=predictor&limit=100")
    assert status == 200 and body["count"] == 24
    housing = next(c for c in body["items"] if c["ref"] == "housing_affordability")
    assert send(editor, "PATCH", f"/codes/{housing['id']}", {"version": 1})[0] == 403
    status, top = send(editor, "POST", "/codes", {"name": "Housing"})
    assert status == 201 and top["path"] == "Housing"
    status, child = send(editor, "POST", "/codes", {"name": "Rent", "parent_id": top["id"]})
    assert status == 201 and child["path"] == "Housing > Rent"
    status, bad = send(editor, "POST", "/codes", {"name": "rent", "colour": "red"})
    assert status == 400 and set(bad["error"]["fields"]) == {"colour"}
    status, bad = send(editor, "PATCH", f"/codes/{top['id']}",
                       {"version": 1, "parent_id": child["id"]})  # fmt: skip
    assert status == 422 and "parent" in bad["error"]["fields"]
    status, moved = send(editor, "PATCH", f"/codes/{child['id']}", {"version": 1, "parent_id": 0})
    assert status == 200 and moved["parent_id"] is None and moved["version"] == 2
    status, stale = send(editor, "PATCH", f"/codes/{child['id']}", {"version": 1, "name": "X"})
    assert status == 409 and stale["current"]["version"] == 2

    status, n = send(editor, "POST", "/notes", {"title": "Session", "text": TEXT,
                                                "attributed_to": "Ana"})  # fmt: skip
    assert status == 201 and n["attribution"] == "Anonymous" and n["attributed_to"] == ""
    status, twice = send(editor, "POST", f"/notes/{n['id']}/excerpts",
                         {"passage": "Rent keeps rising", "codes": [housing["id"]]})  # fmt: skip
    assert status == 422 and "occurrence" in twice["error"]["fields"]
    status, e = send(editor, "POST", f"/notes/{n['id']}/excerpts",
                     {"passage": "Rent keeps rising", "occurrence": 1,
                      "codes": [housing["id"], child["id"]]})  # fmt: skip
    assert status == 201 and (e["start"], e["end"]) == (46, 63)
    assert sorted(e["code_names"]) == ["Housing affordability", "Rent"]
    status, unknown = send(editor, "POST", f"/notes/{n['id']}/excerpts",
                           {"passage": "wages", "codes": [999999]})  # fmt: skip
    assert status == 422 and "no code 999999" in unknown["error"]["fields"]["codes"][0]
    status, listing = send(editor, "GET", f"/notes/{n['id']}/excerpts")
    assert status == 200 and listing["count"] == 1
    status, changed = send(editor, "PATCH", f"/excerpts/{e['id']}", {"version": 1, "memo": "m"})
    assert status == 200 and changed["memo"] == "m" and len(changed["codes"]) == 2
    assert send(editor, "PATCH", f"/excerpts/{e['id']}", {"version": 1, "memo": "x"})[0] == 409
    assert send(editor, "DELETE", f"/excerpts/{e['id']}?version=1")[0] == 409
    assert send(editor, "DELETE", f"/excerpts/{e['id']}?version=2")[0] == 204
    status, notes = send(editor, "GET", "/notes?kind=notes")
    assert status == 200 and notes["items"][0]["excerpts"] == 0 and "text" not in notes["items"][0]
    assert send(editor, "GET", "/notes?kind=poem")[0] == 400
    status, edited = send(editor, "PATCH", f"/notes/{n['id']}", {"version": 1, "title": "S2"})
    assert status == 200 and edited["text"] == TEXT
    assert send(editor, "DELETE", f"/notes/{n['id']}?version=1")[0] == 409
    assert send(editor, "DELETE", f"/notes/{n['id']}?version=2")[0] == 204
    assert send(editor, "DELETE", f"/codes/{top['id']}?version=1&children=delete")[0] == 204
    assert Code.objects.filter(workspace=ws, kind="custom").count() == 1  # Rent had moved up
    assert send(editor, "GET", "/excerpts/999999")[0] == 404


def test_a_new_workspace_has_its_codebook_and_reading_it_writes_nothing(
    client: Client, workspace_world: SimpleNamespace
) -> None:
    from workspace_support import make_workspace, snapshot

    fresh = make_workspace(workspace_world.editor, name="Fresh Coalition", slug="fresh")
    builtin = Code.objects.filter(workspace=fresh).exclude(kind="custom")
    assert builtin.count() == len(get_catalog().predictors) + len(SYSTEMS_CONDITIONS) == 30
    client.force_login(workspace_world.editor)
    before = snapshot()
    for route in ("knowledge_codebook", "knowledge_findings"):
        assert client.get(reverse(f"workspace:{route}", args=["fresh"])).status_code == 200
    assert client.get("/api/workspaces/fresh/codes").status_code == 200
    assert snapshot() == before
