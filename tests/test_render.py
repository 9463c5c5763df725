"""One renderer and one error mapping: a page, its twins and the API fail in the same words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from upward.explore import PlaceNotFound, ReleaseMissing
from upward.web import data as web_data
from upward.web.problem import BadRequest, Problem, place_message, problem_for
from upward.web.render import PAGE, Result, Table, page, render_result


@pytest.fixture
def client(warehouse_env: Path) -> Iterator[Client]:
    yield Client()


def error_of(response: HttpResponse, status: int) -> dict[str, object]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = json.loads(response.content)["error"]
    assert error["status"] == status
    return dict(error)


# -- the renderer ---------------------------------------------------------------------------


def test_a_result_is_rendered_only_in_the_format_asked_for() -> None:
    asked: list[str] = []

    def table(value: list[dict[str, int]]) -> Table:
        asked.append("table")
        return Table(value, ("a",), "rows")

    def body(value: list[dict[str, int]]) -> dict[str, object]:
        asked.append("json")
        return {"rows": value, "ratio": float("inf")}

    result = Result([{"a": 1}], json=body, table=table, table_formats=("csv",), name="test page")
    request = RequestFactory().get("/test.csv")
    response = render_result(request, result, "csv")
    assert asked == ["table"]
    assert response["Content-Disposition"] == 'attachment; filename="rows.csv"'
    assert response.content.decode().splitlines() == ["a", "1"]
    strict = json.loads(render_result(request, result, "json").content)
    assert strict == {"rows": [{"a": 1}], "ratio": None}
    assert result.formats == ("json", "csv")
    with pytest.raises(Problem) as refused:
        render_result(request, result, "xlsx")
    assert refused.value.status == 400
    assert refused.value.message == "The test page comes as json, csv; 'xlsx' is not one of them."


def test_a_view_that_raises_a_typed_error_gets_its_problem_in_its_format() -> None:
    @page()
    def view(request: object) -> Result[None]:
        raise BadRequest("limit must be a whole number.")

    factory = RequestFactory()
    error = error_of(view(factory.get("/x.json"), fmt="json"), 400)
    assert error == {"status": 400, "title": "Bad request",
                     "message": "limit must be a whole number."}  # fmt: skip
    html = view(factory.get("/x/"), fmt=PAGE)
    assert html.status_code == 400 and b"limit must be a whole number." in html.content


def test_an_error_that_is_a_bug_is_not_mapped() -> None:
    assert problem_for(RuntimeError("secret internals")) is None


# -- the same words on every surface --------------------------------------------------------


def test_an_unknown_place_reads_the_same_on_the_page_its_twin_and_the_api(client: Client) -> None:
    twin = error_of(client.get("/county/27125.json"), 404)
    api = error_of(client.get("/api/geographies/27125"), 404)
    assert twin["title"] == api["title"] == "Place not found"
    assert str(twin["message"]).startswith("No county or city has the FIPS code 27125.")
    assert str(api["message"]).startswith("No county or city has the FIPS code 27125.")
    page_html = client.get("/county/27125/").content.decode()
    assert "No county or city has the FIPS code 27125." in page_html


def test_an_unknown_metric_reads_the_same_on_the_page_twin_and_api(client: Client) -> None:
    twin = error_of(client.get("/metric/low_birth_wieght.json"), 404)
    api = error_of(client.get("/api/catalog/metrics/low_birth_wieght"), 404)
    assert twin == api


def test_no_data_loaded_is_one_503_for_pages_twins_and_api(
    client: Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(tmp_path / "none.duckdb"))
    web_data.reset()
    errors = [
        error_of(client.get(path), 503)
        for path in ("/county/27123.json", "/metric/low_birth_weight.json", "/index.json",
                     "/county/27123/peers.json", "/api/geographies/27123")
    ]  # fmt: skip
    assert all(e == errors[0] for e in errors)
    assert errors[0]["title"] == "Data not loaded"
    assert "upward data load" in str(errors[0]["message"])
    assert str(tmp_path) not in str(errors[0]["message"])  # no server path in public words
    page_html = client.get("/county/27123/")
    assert page_html.status_code == 503 and b"Data not loaded" in page_html.content


def test_the_place_message_names_the_closest_places() -> None:
    problem = problem_for(ReleaseMissing(Path("/srv/none.duckdb")))
    assert problem is not None and problem.status == 503
    message = place_message(PlaceNotFound("Nowhere", [], "No county or city matches 'Nowhere'."))
    assert message == "No county or city matches 'Nowhere'."
