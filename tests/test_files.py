"""The files analysts open, read back: DOCX properties, XLSX sheets, formats, widths and
notes, and the CSVs' display column beside the unrounded published value."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from upward.catalog import get_catalog
from upward.data.warehouse import Warehouse
from upward.reports.downloads import NUMBER_FORMATS, sheet_title, to_xlsx
from upward.reports.review_guide import QUESTIONS, ReviewGuide, render
from upward.web import data as web_data
from upward.web.explorer.analysis_page import COMPARE_CSV_COLUMNS
from upward.web.explorer.profile_export import CSV_COLUMNS

UNITS = {"share": 0.882, "dollars": 53447.4, "count": 1204.0, "index": 57.3, "rate": 76.84}


@pytest.fixture
def client(fixture_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(fixture_warehouse_path))
    web_data.reset()
    yield Client()
    web_data.reset()


def test_docx_core_properties_are_upwards_and_now() -> None:
    guide = ReviewGuide(
        place="Ramsey County, MN", geoid="27123", kind="county", peer_set_name="Peers",
        peer_method="nearest", peer_rows=(), pillars=(), gaps=(), peer_lines=(), notes={},
        questions=QUESTIONS, created="2026-12-01",
        source="Urban Institute, Upward Mobility Metrics, release 2025-06",
    )  # fmt: skip
    before = datetime.now(UTC).replace(microsecond=0)
    props = Document(io.BytesIO(render(guide, "docx"))).core_properties
    assert props.title == "Data Review Guide: Ramsey County, MN"
    assert props.author == "Upward" and props.last_modified_by == "Upward"
    assert "python-docx" not in f"{props.author} {props.last_modified_by} {props.comments}"
    assert "Ramsey County, MN" in props.subject and "27123" in props.keywords
    assert "release 2025-06" in props.comments
    for stamp in (props.created, props.modified):
        assert before - timedelta(seconds=1) <= stamp <= before + timedelta(minutes=1)
    assert props.revision == 1


def test_xlsx_sheets_formats_widths_and_notes() -> None:
    rows = [{"pillar": "econ", "unit": u, "value": v, "lb": v * 0.9, "ub": None, "year": 2022,
             "label": f"a {u} value"} for u, v in UNITS.items()]  # fmt: skip
    rows += [{"pillar": None, "unit": "share", "value": 0.5, "label": "=cmd|' /C calc'!A0"}]
    body = to_xlsx(rows, ("pillar", "label", "unit", "year", "value", "lb", "ub"),
                   sheet="other", notes=["Source: Urban"], split_by="pillar",
                   sheet_names={"econ": "Economic success"})  # fmt: skip
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Economic success", "other", "Notes"]
    sheet = book["Economic success"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    for row in sheet.iter_rows(min_row=2):
        unit, value, lb, year = row[2].value, row[4], row[5], row[3]
        assert value.number_format == lb.number_format == NUMBER_FORMATS[unit]
        assert value.data_type == "n" and value.value == UNITS[unit]  # unrounded
        assert year.number_format == "General"
    assert {NUMBER_FORMATS[u] for u in UNITS} == {"0.0%", "$#,##0", "#,##0", "0.0"}
    assert sheet.column_dimensions["B"].width == len("a dollars value") + 2
    assert 6 <= sheet.column_dimensions["D"].width < 10
    other = book["other"]
    assert other["B2"].data_type == "s" and other["B2"].quotePrefix
    assert other["E2"].number_format == "0.0%"
    assert [c.value for c in book["Notes"]["A"]] == ["Notes", "Source: Urban"]


def test_profile_xlsx_has_a_sheet_per_pillar_and_notes(client: Client) -> None:
    book = load_workbook(io.BytesIO(client.get("/county/27123.xlsx").content))
    labels = [sheet_title(p.label) for p in get_catalog().pillars]
    data = [name for name in book.sheetnames if name != "Notes"]
    assert data and set(data) <= {*labels, "27123"} and book.sheetnames[-1] == "Notes"
    assert len(data) > 1
    rows = 0
    formats: set[tuple[str, str]] = set()
    for name in data:
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        assert tuple(header) == CSV_COLUMNS and sheet.freeze_panes == "A2"
        unit, value = header.index("unit"), header.index("value")
        for row in sheet.iter_rows(min_row=2):
            rows += 1
            if isinstance(row[value].value, float):
                formats.add((row[unit].value, row[value].number_format))
        widths = [sheet.column_dimensions[c].width for c in ("A", "H", "P")]
        assert all(w and 6 <= w <= 60 for w in widths), widths
    assert ("share", "0.0%") in formats and ("ratio", "#,##0.00") in formats
    assert all(NUMBER_FORMATS.get(u, "General") == f for u, f in formats), formats
    ranks = [c for s in data for c in book[s]["W"][1:] if isinstance(c.value, float)]
    assert book[data[0]]["W1"].value == "pct_nation" and ranks
    assert {c.number_format for c in ranks} == {"0%"}
    notes = "\n".join(str(c.value) for c in book["Notes"]["A"])
    for words in ("Source:", "Release:", "Strong", "Weak", "value_display"):
        assert words in notes
    csv_rows = list(csv.DictReader(io.StringIO(client.get("/county/27123.csv").content.decode())))
    assert rows == len(csv_rows)


def test_profile_csv_keeps_the_value_and_adds_its_display(
    client: Client, fixture_warehouse_path: Path
) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/county/27123.csv").content.decode())))
    assert tuple(rows[0]) == CSV_COLUMNS and CSV_COLUMNS[-1] == "value_display"
    with Warehouse(fixture_warehouse_path) as wh:
        entry = next(e for e in wh.profile("27123").entries
                     if e.variable.unit == "share" and e.observation)  # fmt: skip
    assert entry.observation is not None and entry.observation.value is not None
    row = next(r for r in rows if r["section"] == "latest" and r["variable"] == entry.variable.name)
    assert float(row["value"]) == entry.observation.value
    assert row["value_display"] == f"{entry.observation.value:.1%}"


def test_metric_csv_and_xlsx_carry_the_display_and_format(client: Client) -> None:
    query = "?variable=rate_low_birth_weight&level=county&year=2022"
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/metric/low_birth_weight.csv{query}").content.decode())))  # fmt: skip
    ramsey = next(r for r in rows if r["geoid"] == "27123")
    assert ramsey["value_display"] == f"{float(ramsey['value']):.1%}"
    book = load_workbook(io.BytesIO(client.get(f"/metric/low_birth_weight.xlsx{query}").content))
    sheet = book["low_birth_weight"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and "Notes" in book.sheetnames
    values = [r[header.index("value")] for r in sheet.iter_rows(min_row=2)]
    assert {c.number_format for c in values if c.value is not None} == {"0.0%"}
    assert sheet.column_dimensions["B"].width >= len("Ramsey County, MN")


def test_compare_csv_adds_display_columns_after_the_published_ones(client: Client) -> None:
    body = client.get("/county/27123/compare.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert tuple(rows[0])[-2:] == ("value_display", "comparator_value_display")
    assert tuple(rows[0]) == COMPARE_CSV_COLUMNS
    share = next(r for r in rows if r["value"] and r["variable"].startswith("share_"))
    assert share["value_display"] == f"{float(share['value']):.1%}"
    median = next(r for r in rows if r["comparator_kind"] == "nation_median"
                  and r["comparator_value"] and r["variable"] == share["variable"])  # fmt: skip
    assert median["comparator_value_display"] == f"{float(median['comparator_value']):.1%}"
