"""Strict JSON everywhere: non-finite numbers become null, and every answer parses strictly."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from web_support import api_get, strict_loads

from upward.reports.strict_json import StrictJSONEncoder, dumps, finite
from upward.web import data as web_data
from upward.web.json_output import StrictJsonResponse, StrictRenderer

INF, NAN = math.inf, math.nan


def test_finite_replaces_every_non_finite_number_with_none() -> None:
    data = {"z": INF, "p": 0.05, "ci": (-INF, 1.0), "rows": [{"v": NAN, "n": 3}], "s": "NaN"}
    assert finite(data) == {"z": None, "p": 0.05, "ci": [None, 1.0],
                            "rows": [{"v": None, "n": 3}], "s": "NaN"}  # fmt: skip
    assert finite(2) == 2 and finite(None) is None and finite(True) is True


def test_dumps_writes_strict_json() -> None:
    assert dumps({"z": INF, "p": NAN, "d": -INF}) == '{"z": null, "p": null, "d": null}'
    assert dumps([1.5, 2]) == "[1.5, 2]"
    assert dumps({"a": 1.0}, indent=2) == '{\n  "a": 1.0\n}'
    assert strict_loads(dumps({"x": [INF, {"y": NAN}]})) == {"x": [None, {"y": None}]}
    with pytest.raises(TypeError):
        dumps({"x": object()})  # a value JSON cannot hold is still an error, not null
    assert dumps({"x": object()}, default=lambda o: "obj") == '{"x": "obj"}'


def test_the_strict_parser_refuses_what_python_writes_by_default() -> None:
    with pytest.raises(ValueError, match="Infinity"):
        strict_loads(json.dumps({"z": INF}))
    with pytest.raises(ValueError, match="NaN"):
        strict_loads(json.dumps([NAN]))


def test_the_encoder_keeps_its_base_class_default() -> None:
    from datetime import date

    from django.core.serializers.json import DjangoJSONEncoder

    strict = StrictJSONEncoder.wrap(DjangoJSONEncoder)
    assert StrictJSONEncoder.wrap(DjangoJSONEncoder) is strict  # built once
    assert issubclass(strict, DjangoJSONEncoder)
    text = json.dumps({"d": date(2023, 1, 2), "z": INF}, cls=strict)
    assert text == '{"d": "2023-01-02", "z": null}'


def test_the_web_response_and_the_api_renderer_are_strict() -> None:
    response = StrictJsonResponse({"z": INF, "name": "Doña Ana"},
                                  json_dumps_params={"ensure_ascii": False})  # fmt: skip
    assert strict_loads(response.content) == {"z": None, "name": "Doña Ana"}
    assert response["Content-Type"] == "application/json"
    rendered = StrictRenderer().render(None, {"items": [{"z": -INF}]}, response_status=200)  # type: ignore[arg-type]
    assert strict_loads(rendered) == {"items": [{"z": None}]}


@pytest.fixture
def client(warehouse_env: Path) -> Client:
    return Client()


ROUTES = [
    "/api/geographies/27123/comparisons", "/api/geographies/27123/insights",
    "/api/geographies/27123/disparities", "/api/geographies/27123/peers",
    "/api/geographies/2758000/comparisons", "/api/geographies/38071/comparisons",
    "/api/geographies/27123/profile", "/api/catalog",
    "/county/27123.json", "/county/27123/compare.json", "/county/27123/insights.json",
    "/city/2758000/compare.json",
]  # fmt: skip


@pytest.mark.parametrize("url", ROUTES)
def test_answers_parse_with_a_strict_parser(client: Client, url: str) -> None:
    assert api_get(client, url)


def test_a_non_finite_number_in_an_answer_is_written_as_null(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from upward.web.api import analysis

    real = analysis.comparisons_out

    def with_infinity(*args: Any) -> Any:
        out = real(*args)
        bad = {"median": INF, "low": NAN}
        items = [i.model_copy(update={"scopes": [s.model_copy(update=bad) for s in i.scopes]})
                 for i in out.items]  # fmt: skip
        return out.model_copy(update={"items": items})

    monkeypatch.setattr(analysis, "comparisons_out", with_infinity)
    body = api_get(client, "/api/geographies/27123/comparisons")
    scopes = [s for i in body["items"] for s in i["scopes"]]
    assert scopes and all(s["median"] is None and s["low"] is None for s in scopes)


@pytest.fixture
def full_client(full_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(full_warehouse_path))
    web_data.reset()
    yield Client()
    web_data.reset()


@pytest.mark.parametrize("geoid", ["18151", "0649670", "2038900"])
def test_comparisons_with_exact_counts_are_strict_json(full_client: Client, geoid: str) -> None:
    # Steuben County, IN (18151) publishes its student homelessness count with a zero-width
    # interval (122 [122, 122]); its z against every peer was ±Infinity before.
    response = full_client.get(f"/api/geographies/{geoid}/comparisons")
    assert response.status_code == 200
    assert b"Infinity" not in response.content and b"NaN" not in response.content
    body = strict_loads(response.content)
    count = next(i for i in body["items"] if i["variable"] == "count_homeless")
    assert json.dumps(count).count('"z": null') >= 1
    for url in (f"/api/geographies/{geoid}/disparities", f"/api/geographies/{geoid}/insights"):
        strict_loads(full_client.get(url).content)


def test_the_command_line_writes_strict_json(
    fixture_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from upward import cli

    for args in (["compare", "27123"], ["insights", "27123"], ["series", "27123"]):
        result = CliRunner().invoke(
            cli.app, [*args, "--format", "json", "--warehouse", str(fixture_warehouse_path)]
        )
        assert result.exit_code == 0, result.output
        assert strict_loads(result.stdout)
    printed: list[str] = []
    monkeypatch.setattr("builtins.print", printed.append)
    cli.print_json({"z": INF, "rows": [NAN]})
    assert strict_loads(printed[0]) == {"z": None, "rows": [None]}
