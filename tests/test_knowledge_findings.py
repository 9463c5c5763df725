"""Beside the numbers (the predictor index and view) and the Summary of Upward Mobility
Findings: draft, edit with versions and conflicts, exports, the read-only link, the API."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from upward.web.knowledge import findings_store as store
from upward.web.knowledge.codebook import builtin_code
from upward.web.knowledge.models import (
    Excerpt,
    FindingsSummary,
    FindingsVersion,
    LocalSeries,
    LocalValue,
    Note,
)
from upward.web.workspace.models import Activity

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

PREDICTOR = "housing_affordability"
NATIONAL = "opportunities_for_income"
"""A predictor the fixture release publishes for Ramsey County (with CIs) and St. Paul."""


@pytest.fixture(autouse=True)
def no_summary(workspace_world: SimpleNamespace) -> None:
    """The shared world carries a summary for the isolation walk; these tests start without."""
    FindingsSummary.objects.all().delete()


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def coded(world: SimpleNamespace, predictor: str = PREDICTOR, n: int = 2) -> None:
    note = Note.objects.create(
        workspace=world.workspace,
        title="Listening session notes",
        text="Rents rose fast. We moved twice in two years.",
    )
    code = builtin_code(world.workspace, "predictor", predictor)
    for i in range(n):
        e = Excerpt.objects.create(
            workspace=world.workspace,
            note=note,
            start=0,
            end=16,
            text=f"Rents rose fast {i}",
            is_quote=True,
        )
        e.codes.add(code)


def url(name: str, *args: object) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


def form_data(version: int, predictors: list[str], **sections: str) -> dict[str, object]:
    data: dict[str, object] = {
        "version": version,
        "title": "Summary of Upward Mobility Findings",
        "introduction": "Who we are.\n\nWhat we did.",
    }
    for n, pid in enumerate(predictors, start=1):
        data[f"priority_{n}"] = pid
    for pid, text in sections.items():
        data[f"section_{pid}"] = text
    return data


# --- the predictor view ------------------------------------------------------------------


def test_predictor_index_lists_24_with_counts(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    coded(workspace_world, n=3)
    LocalSeries.objects.create(
        workspace=workspace_world.workspace,
        name="Evictions filed",
        unit="filings",
        source="County court",
        quality="strong",
        predictors=[PREDICTOR],
    )
    response = editor.get(url("knowledge_predictors"))
    assert response.status_code == 200
    rows = {p.id: (s, e, nat) for _pillar, rs in response.context["pillars"] for p, s, e, nat in rs}
    assert len(rows) == 24
    assert rows[PREDICTOR][:2] == (1, 3)
    assert any(nat for _s, _e, nat in rows.values())
    assert url("knowledge_predictor", PREDICTOR) in response.content.decode()


def test_predictor_view_shows_value_year_ci_quality(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    response = editor.get(url("knowledge_predictor", NATIONAL))
    assert response.status_code == 200
    numbers = response.context["numbers"]
    assert numbers.release and numbers.has_data
    value = next(v for p in numbers.places for v in p.values if v.value is not None)
    page = response.content.decode()
    assert value.lb is not None and value.quality
    assert str(value.year) in value.text and "95% CI" in value.text and value.quality in value.text
    assert value.text in page
    assert "Test result" in page and f"release {numbers.release}" in page
    assert "Gap: " in page or "By group" in page
    assert f'id="local-panel-{NATIONAL}"' in page and f'id="findings-{NATIONAL}"' in page
    metric = numbers.predictor.metric_ids[0]
    assert reverse("explorer:metric", args=[metric]) in page


def test_unknown_predictor_is_404_with_a_message(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    response = editor.get(url("knowledge_predictor", "flying_cars"))
    assert response.status_code == 404
    assert "not one of the 24 predictors" in response.content.decode()


def test_no_data_loaded_is_a_note(
    workspace_world: SimpleNamespace, editor: Client, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    from upward.web import data as web_data

    monkeypatch.setenv("UPWARD_WAREHOUSE", str(tmp_path / "missing.duckdb"))
    web_data.reset()
    response = editor.get(url("knowledge_predictor", PREDICTOR))
    assert response.status_code == 200
    assert "not loaded" in response.content.decode()
    assert editor.get(url("knowledge_predictors")).status_code == 200
    web_data.reset()


# --- the summary -------------------------------------------------------------------------


def test_draft_assembly_uses_insights_local_and_findings(workspace_world: SimpleNamespace) -> None:
    coded(workspace_world)
    series = LocalSeries.objects.create(
        workspace=workspace_world.workspace,
        name="Evictions filed",
        unit="filings",
        source="County court",
        quality="strong",
        predictors=[PREDICTOR],
    )
    LocalValue.objects.create(
        series=series, row=2, geography_kind="place", geography="27123", period="2023", value=812
    )
    draft = store.draft_section(workspace_world.workspace, PREDICTOR)
    assert draft.local and draft.findings
    text = draft.text
    assert "What the local data say." in text and "What people told us." in text
    kept = store.assemble(
        workspace_world.workspace, [PREDICTOR, "social_capital"], {PREDICTOR: "Our own words."}
    )
    assert kept[PREDICTOR] == "Our own words." and kept["social_capital"]
    assert PREDICTOR in store.suggested_priorities(workspace_world.workspace)


def test_edit_saves_versions_and_keeps_them(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    coded(workspace_world)
    response = editor.get(url("summary_edit"))
    assert response.status_code == 200 and FindingsSummary.objects.count() == 0
    assembled = editor.post(url("summary_edit"), {**form_data(0, [PREDICTOR]), "assemble": "1"})
    assert assembled.status_code == 200 and FindingsSummary.objects.count() == 0
    assert "What people told us." in assembled.content.decode()
    first = editor.post(
        url("summary_edit"), form_data(0, [PREDICTOR], **{PREDICTOR: "<script>x</script> One."})
    )
    assert first.status_code == 302
    summary = FindingsSummary.objects.get()
    assert summary.version == 1 and summary.sections == {PREDICTOR: "<script>x</script> One."}
    second = editor.post(
        url("summary_edit"),
        form_data(
            1, [PREDICTOR, "social_capital"], **{PREDICTOR: "Two.", "social_capital": "Ties."}
        ),
    )
    assert second.status_code == 302
    assert list(FindingsVersion.objects.values_list("number", flat=True)) == [2, 1]
    assert FindingsVersion.objects.get(number=1).sections == {PREDICTOR: "<script>x</script> One."}
    page = editor.get(url("knowledge_summary")).content.decode()
    assert "&lt;script&gt;" not in page and "Two." in page
    old = editor.get(url("summary_version", 1)).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt; One." in old and "<script>x" not in old
    assert editor.get(url("summary_version", 9)).status_code == 404
    versions = editor.get(url("summary_versions")).content.decode()
    assert "Version 2" in versions and "Version 1" in versions
    assert Activity.objects.filter(verb="saved").count() == 2


def test_stale_version_is_409_and_nothing_saved(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    editor.post(url("summary_edit"), form_data(0, [PREDICTOR], **{PREDICTOR: "First."}))
    editor.post(url("summary_edit"), form_data(1, [PREDICTOR], **{PREDICTOR: "Second."}))
    stale = editor.post(url("summary_edit"), form_data(1, [PREDICTOR], **{PREDICTOR: "Late."}))
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Your changes were not saved" in page and "Late." in page and "Second." in page
    assert FindingsSummary.objects.get().sections[PREDICTOR] == "Second."
    again = editor.post(url("summary_edit"), form_data(0, [PREDICTOR], **{PREDICTOR: "Twin."}))
    assert again.status_code == 409 and FindingsVersion.objects.count() == 2


def test_bad_input_names_the_field(workspace_world: SimpleNamespace, editor: Client) -> None:
    data = form_data(0, [PREDICTOR, PREDICTOR])
    response = editor.post(url("summary_edit"), data)
    assert response.status_code == 400 and "repeats priority 1" in response.content.decode()
    response = editor.post(url("summary_edit"), {**form_data(0, [PREDICTOR]), "title": ""})
    assert response.status_code == 400 and FindingsSummary.objects.count() == 0


def saved(editor: Client) -> FindingsSummary:
    editor.post(
        url("summary_edit"),
        form_data(
            0,
            [PREDICTOR, "social_capital"],
            **{PREDICTOR: "Rents rose.\n\nWe moved.", "social_capital": "Neighbors help."},
        ),
    )
    return FindingsSummary.objects.get()


def test_exports_state_release_and_sections(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    assert editor.get(url("summary_export") + "?format=pdf").status_code == 404
    saved(editor)
    html = editor.get(url("summary_export") + "?format=html")
    assert html.status_code == 200 and "Housing affordability" in html.content.decode()
    assert "release" in html.content.decode()
    pdf = editor.get(url("summary_export") + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Housing affordability" in text and "Social capital" in text and "release" in text
    docx = editor.get(url("summary_export") + "?format=docx")
    assert docx.status_code == 200
    from docx import Document

    document = Document(io.BytesIO(docx.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Introduction", "Housing affordability", "Social capital"]
    assert any("release" in p.text for p in document.paragraphs)
    assert editor.get(url("summary_export") + "?format=exe").status_code == 400


def test_share_on_off_and_the_public_page(workspace_world: SimpleNamespace, editor: Client) -> None:
    summary = saved(editor)
    assert editor.post(url("summary_share"), {"share": "on"}).status_code == 302
    first = FindingsSummary.objects.get().share_id
    assert len(first) == 22
    public = Client()
    address = reverse("public:shared_summary", args=[first])
    response = public.get(address)
    page = response.content.decode()
    assert response.status_code == 200 and "Neighbors help." in page and "<script" not in page
    assert 'lang="en"' in page
    spanish = public.get(address + "?lang=es").content.decode()
    assert 'lang="es"' in spanish
    with translation.override("es"):
        month = date_format(FindingsSummary.objects.get().updated_at, "F")
    assert month.lower() in spanish.lower()
    before = (FindingsSummary.objects.get().version, FindingsVersion.objects.count())
    public.get(address)
    assert (FindingsSummary.objects.get().version, FindingsVersion.objects.count()) == before
    editor.post(url("summary_share"), {"share": "off"})
    assert public.get(address).status_code == 404
    editor.post(url("summary_share"), {"share": "on"})
    second = FindingsSummary.objects.get().share_id
    assert second and second != first and public.get(address).status_code == 404
    assert public.get(reverse("public:shared_summary", args=[second])).status_code == 200
    assert summary.version == FindingsSummary.objects.get().version


def test_viewer_reads_but_cannot_edit_or_share(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(workspace_world.viewer)
    assert client.get(url("knowledge_summary")).status_code == 200
    assert client.post(url("summary_edit"), form_data(0, [PREDICTOR])).status_code == 403
    assert client.post(url("summary_share"), {"share": "on"}).status_code == 403
    assert FindingsSummary.objects.count() == 0


# --- the API -----------------------------------------------------------------------------

API = "/api/workspaces/ramsey"


def test_api_summary_get_put_versions(workspace_world: SimpleNamespace, editor: Client) -> None:
    empty = editor.get(API + "/summary")
    assert empty.status_code == 200 and json.loads(empty.content)["version"] == 0
    body = {
        "version": 0,
        "title": "Our findings",
        "introduction": "Hello.",
        "predictors": [PREDICTOR],
        "sections": {PREDICTOR: "Rents rose."},
    }
    put = editor.put(API + "/summary", json.dumps(body), content_type="application/json")
    assert put.status_code == 200, put.content
    out = json.loads(put.content)
    assert out["version"] == 1 and out["sections"] == [
        {"predictor": PREDICTOR, "label": "Housing affordability", "text": "Rents rose."}
    ]
    stale = editor.put(API + "/summary", json.dumps(body), content_type="application/json")
    assert stale.status_code == 409 and json.loads(stale.content)["current"]["version"] == 1
    bad = editor.put(
        API + "/summary",
        json.dumps({**body, "version": 1, "predictors": ["nope"]}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "predictors" in json.loads(bad.content)["error"]["fields"]
    extra = {"version": 1, "sections": {"social_capital": "Not a priority."}}
    kept = editor.put(API + "/summary", json.dumps(extra), content_type="application/json")
    assert kept.status_code == 200 and "Not a priority." not in kept.content.decode()
    assert json.loads(kept.content)["sections"][0]["text"] == "Rents rose."
    versions = json.loads(editor.get(API + "/summary/versions").content)
    assert [v["number"] for v in versions["items"]] == [2, 1]


def test_api_predictor(workspace_world: SimpleNamespace, editor: Client) -> None:
    coded(workspace_world)
    series = LocalSeries.objects.create(
        workspace=workspace_world.workspace,
        name="Evictions",
        unit="filings",
        source="Court",
        quality="strong",
        predictors=[PREDICTOR],
    )
    LocalValue.objects.create(
        series=series, row=2, geography_kind="place", geography="27123", period="2023", value=10
    )
    out = json.loads(editor.get(API + f"/predictors/{NATIONAL}").content)
    assert out["predictor"] == NATIONAL and out["coded_excerpts"] == 0
    value = next(v for p in out["places"] for v in p["values"] if v["value"] is not None)
    assert {"year", "lb", "ub", "quality", "text", "scopes"} <= set(value)
    out = json.loads(editor.get(API + f"/predictors/{PREDICTOR}").content)
    assert out["predictor"] == PREDICTOR and out["local_series"] == 1 and out["coded_excerpts"] == 2
    missing = editor.get(API + "/predictors/flying_cars")
    assert (
        missing.status_code == 404
        and "24 predictors" in json.loads(missing.content)["error"]["message"]
    )
