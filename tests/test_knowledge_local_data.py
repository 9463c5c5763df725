"""Local data pages: upload (all or nothing, file kept), list, detail, downloads, edit,
replace, delete, the panel beside the national metric, and the JSON API."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from upward.web.knowledge.models import LocalSeries, LocalValue
from upward.web.knowledge.views.localdata import LocalPanel, local_panel

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

GOOD = (
    "geography,period,value,lower,upper,moe,moe_level\n"
    "27123,2023,0.095,0.090,0.100,,\n"
    "27123,2022,0.081,,,0.004,90\n"
    "2758000,2023,0.083,,,,\n"
)
BAD = GOOD + "27123,2021,lots,,,,\n"
META = {
    "name": "Low birth weight, county health department",
    "description": "Births under 2,500 grams, from birth certificates.",
    "unit": "share",
    "direction": "lower_better",
    "source": "Ramsey County Public Health",
    "predictors": ["neonatal_health"],
    "documented": "yes",
    "coverage": "yes",
    "precision": "yes",
    "recent": "partly",
}


def uploaded() -> Any:
    """The series these tests upload (the fixture world holds another)."""
    return LocalSeries.objects.filter(name=META["name"])


@pytest.fixture(autouse=True)
def uploads(settings: Any, tmp_path: Path) -> Path:
    """Keep uploaded files in a temporary folder (never the real UPWARD_HOME)."""
    location = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def upload_url(slug: str = "ramsey") -> str:
    return reverse("workspace:local_data_upload", args=[slug])


def post_upload(client: Client, text: str, name: str = "lbw.csv", **more: Any) -> Any:
    data = {**META, **more, "file": SimpleUploadedFile(name, text.encode(), "text/csv")}
    return client.post(upload_url(), data)


def test_bad_row_refused_nothing_saved_then_fixed(
    workspace_world: SimpleNamespace, editor: Client, uploads: Path
) -> None:
    response = post_upload(editor, BAD)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page and 'id="upload-errors"' in page
    errors = response.context["row_errors"]
    assert [(e.row, e.column) for e in errors] == [(5, "value")]
    assert "'lots' is not a number" in errors[0].message
    assert 'id="choose-file-again"' in page  # the file input cannot be refilled: said so
    assert response.context["form"]["name"].value() == META["name"]  # the rest is kept
    assert (
        uploaded().count() == 0
        and LocalValue.objects.filter(series__name=META["name"]).count() == 0
    )
    assert not any(p.name.startswith("lbw") for p in uploads.rglob("*"))  # no file kept

    response = post_upload(editor, GOOD)
    assert response.status_code == 302
    series = uploaded().get()
    assert response["Location"] == reverse(
        "workspace:local_series_detail", args=["ramsey", series.pk]
    )
    assert series.quality == "marginal"  # one Partly, no No
    assert series.rubric["recent"] == "partly"
    assert series.values.count() == 3
    moe_row = series.values.get(period="2022")
    assert moe_row.lower == pytest.approx(0.081 - 0.004 * 1.96 / 1.645)
    assert "1.960 / 1.645" in series.ci_rule
    assert default_storage.exists(series.original.name)
    assert series.original_name == "lbw.csv"
    with default_storage.open(series.original.name) as handle:
        assert handle.read().decode() == GOOD


def test_viewer_cannot_upload(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.viewer)
    assert client.get(upload_url()).status_code == 403
    assert post_upload(client, GOOD).status_code == 403
    assert uploaded().count() == 0


def test_form_problems_and_file_problems(workspace_world: SimpleNamespace, editor: Client) -> None:
    response = post_upload(editor, GOOD, documented="", unit="")
    assert response.status_code == 400
    assert {"documented", "unit"} <= set(response.context["form"].errors)
    response = post_upload(editor, "geography,period,value\n27123,2023,1\n", name="x.pdf")
    assert "file" in response.context["form"].errors
    data = {**META, "file": SimpleUploadedFile("x.csv", b"geography,period,value\n\xff,2023,1\n")}
    response = editor.post(upload_url(), data)
    assert response.status_code == 400
    assert "not UTF-8" in response.context["row_errors"][0].message
    assert uploaded().count() == 0


def test_xlsx_upload(workspace_world: SimpleNamespace, editor: Client) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["geography", "period", "value", "moe"])
    sheet.append(["27123", 2023, 40, 5])
    buffer = io.BytesIO()
    book.save(buffer)
    data = {**META, "unit": "per 1,000 births"}
    data["file"] = SimpleUploadedFile("lbw.xlsx", buffer.getvalue())
    response = editor.post(upload_url(), data)
    assert response.status_code == 302
    value = LocalValue.objects.get(series__name=META["name"])
    assert (round(value.lower, 2), round(value.upper, 2)) == (34.04, 45.96)


@pytest.fixture
def series(workspace_world: SimpleNamespace, editor: Client) -> LocalSeries:
    assert post_upload(editor, GOOD).status_code == 302
    return uploaded().get()


def test_list_detail_and_downloads(
    workspace_world: SimpleNamespace, client: Client, series: LocalSeries
) -> None:
    client.force_login(workspace_world.viewer)
    slug = "ramsey"
    page = client.get(reverse("workspace:knowledge_local_data", args=[slug])).content.decode()
    assert series.name in page and "Marginal" in page
    detail = client.get(reverse("workspace:local_series_detail", args=[slug, series.pk]))
    text = detail.content.decode()
    assert detail.status_code == 200 and 'id="local-values"' in text and "Partly" in text
    assert "Edit details" not in text  # a viewer sees no edit buttons
    values = client.get(reverse("workspace:local_series_values", args=[slug, series.pk]))
    assert (
        values["Content-Disposition"]
        == 'attachment; filename="low-birth-weight-county-health-department-values.csv"'
    )
    assert values.content.decode().splitlines()[1].startswith("27123,place,2023,0.095,0.09,0.1")
    original = client.get(reverse("workspace:local_series_original", args=[slug, series.pk]))
    assert original.status_code == 200
    assert original["Content-Disposition"].startswith("attachment;")
    assert b"".join(original.streaming_content).decode() == GOOD
    template = client.get(reverse("workspace:local_data_template", args=[slug]))
    assert template.content.decode().startswith("geography,geography_kind,period,value")


def test_edit_is_versioned_and_rerates(
    workspace_world: SimpleNamespace, editor: Client, series: LocalSeries
) -> None:
    url = reverse("workspace:local_series_edit", args=["ramsey", series.pk])
    assert editor.get(url).status_code == 200
    changed = {**META, "recent": "no", "version": series.version}
    assert editor.post(url, changed).status_code == 302
    series.refresh_from_db()
    assert series.quality == "weak" and series.version == 2
    stale = {**META, "name": "Other", "version": 1}
    assert editor.post(url, stale).status_code == 409
    assert uploaded().get().name == META["name"]


def test_replace_and_delete_remove_the_file(
    workspace_world: SimpleNamespace, editor: Client, series: LocalSeries
) -> None:
    old = series.original.name
    url = reverse("workspace:local_series_replace", args=["ramsey", series.pk])
    bad = SimpleUploadedFile("new.csv", b"geography,period,value\n99999,2023,1\n")
    response = editor.post(url, {"file": bad, "version": series.version})
    assert response.status_code == 400 and response.context["row_errors"][0].row == 2
    assert LocalValue.objects.filter(series__name=META["name"]).count() == 3
    good = SimpleUploadedFile("new.csv", b"geography,period,value\n27123,2024,0.07\n")
    with django_capture_on_commit():
        assert editor.post(url, {"file": good, "version": series.version}).status_code == 302
    series.refresh_from_db()
    assert series.values.count() == 1 and series.original_name == "new.csv"
    assert not default_storage.exists(old) and default_storage.exists(series.original.name)
    delete = reverse("workspace:local_series_delete", args=["ramsey", series.pk])
    with django_capture_on_commit():
        assert editor.post(delete, {"version": series.version}).status_code == 302
    assert uploaded().count() == 0
    assert not default_storage.exists(series.original.name)


def django_capture_on_commit() -> Any:
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_panel_beside_the_national_metric(
    workspace_world: SimpleNamespace, series: LocalSeries
) -> None:
    panel = local_panel(workspace_world.workspace, "neonatal_health")
    assert isinstance(panel, LocalPanel)
    [shown] = panel.series
    assert shown.quality == "Marginal"
    by_area = {(r.geography, r.period): r for r in shown.rows}
    county = next(r for (g, _p), r in by_area.items() if "Ramsey" in g)
    assert county.period == "2023"  # the latest period of the area
    assert county.national is not None and county.national.year == 2023
    # local 0.095 [0.090, 0.100] against Urban's 0.0821 [0.0785, 0.0857]
    assert county.claims_difference and county.verdict.startswith("higher than")
    assert "better" not in county.verdict and "worse" not in county.verdict
    city = next(r for (g, _p), r in by_area.items() if "Ramsey" not in g)
    assert not city.claims_difference
    assert 1 <= len(panel.sentences) <= 3
    assert local_panel(workspace_world.workspace, "just_policing").series == []


def test_weak_series_makes_no_claim(workspace_world: SimpleNamespace, editor: Client) -> None:
    assert post_upload(editor, GOOD, recent="no").status_code == 302
    panel = local_panel(workspace_world.workspace, "neonatal_health")
    rows = panel.series[0].rows
    assert not any(r.claims_difference for r in rows)
    assert any("rated Weak" in r.verdict for r in rows)


# --- the JSON API ------------------------------------------------------------------------


def api(slug: str = "ramsey", pk: int | None = None) -> str:
    base = f"/api/workspaces/{slug}/local-series"
    return base if pk is None else f"{base}/{pk}"


def test_api_list_get_patch_delete(
    workspace_world: SimpleNamespace, editor: Client, series: LocalSeries
) -> None:
    listed = editor.get(api()).json()
    assert listed["count"] == 2  # the fixture world's series and this one, by name
    assert [i["name"] for i in listed["items"]] == [META["name"], "Youth employment survey"]
    assert listed["items"][0]["quality"] == "marginal" and listed["items"][0]["value_count"] == 3
    one = editor.get(api(pk=series.pk)).json()
    assert one["values"][0]["geography"] == "27123" and len(one["values"]) == 3
    assert one["version"] == 1
    body = json.dumps({"version": 1, "source": "County health department"})
    changed = editor.patch(api(pk=series.pk), body, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = editor.patch(api(pk=series.pk), body, content_type="application/json")
    assert stale.status_code == 409
    bad = json.dumps({"version": 2, "quality": "strong"})
    refused = editor.patch(api(pk=series.pk), bad, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["quality"] == [
        "This is not a field of a local series that can be changed."
    ]
    assert editor.delete(api(pk=series.pk) + "?version=1").status_code == 409
    with django_capture_on_commit():
        assert editor.delete(api(pk=series.pk) + "?version=2").status_code == 204
    assert uploaded().count() == 0
    assert not default_storage.exists(series.original.name)


def test_api_viewer_and_outsider(
    workspace_world: SimpleNamespace, client: Client, series: LocalSeries
) -> None:
    client.force_login(workspace_world.viewer)
    assert client.get(api(pk=series.pk)).status_code == 200
    body = json.dumps({"version": 1, "source": "x"})
    assert client.patch(api(pk=series.pk), body, content_type="application/json").status_code == 403
    client.force_login(workspace_world.outsider)
    assert client.get(api(pk=series.pk)).status_code == 404
    assert client.get(api("elsewhere", series.pk)).status_code == 404


def test_panel_partial_renders_escaped(
    workspace_world: SimpleNamespace, editor: Client, series: LocalSeries
) -> None:
    from django.template.loader import render_to_string

    LocalSeries.objects.filter(pk=series.pk).update(source="<script>alert(1)</script>")
    panel = local_panel(workspace_world.workspace, "neonatal_health")
    html = render_to_string(
        "knowledge/_local_panel.html",
        {"local_panel": panel, "workspace": workspace_world.workspace, "can_edit": False},
    )
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "Draft sentences" in html and "higher than Urban" in html
    empty = local_panel(workspace_world.workspace, "just_policing")
    html = render_to_string(
        "knowledge/_local_panel.html",
        {"local_panel": empty, "workspace": workspace_world.workspace, "can_edit": True},
    )
    assert "No local series is tagged to this predictor yet" in html
