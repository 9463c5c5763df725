"""Hostile API requests fail cleanly, in JSON: huge offsets, huge bodies, deep nesting.

``offset`` and ``limit`` are bounded (and declared so in the OpenAPI document); a body
over ``UPWARD_API_MAX_BODY_BYTES`` gets 413 before anything reads it; JSON nested deeper
than a parser can follow (about 1,000 levels) gets 400 before any view reads it.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from workspace_support import snapshot

from upward.web.api import paging
from upward.web.api.routes import api
from upward.web.request_limits import nested_too_deeply

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

BASE = "/api/workspaces/ramsey"
PAGED = [
    "/api/metrics/low_birth_weight/distribution",
    "/api/workspaces",
    BASE + "/stakeholders",
    BASE + "/activity",
    "/api/geographies",
]


def error_of(response: HttpResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    error = json.loads(response.content)["error"]
    assert error["status"] == status and error["title"] and error["message"]
    return error


@pytest.fixture
def owner(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.owner)
    return client


@pytest.mark.parametrize("url", PAGED)
@pytest.mark.parametrize("offset", [2**63, 2**63 - 1, 2**64 + 5, 10**30])
def test_a_huge_offset_is_a_clear_400(owner: Client, url: str, offset: int) -> None:
    message = error_of(owner.get(f"{url}?offset={offset}"), 400)["message"]
    assert f"Parameter 'offset' must be at most {paging.MAX_OFFSET}, not '{offset}'." == message


@pytest.mark.parametrize("url", PAGED)
def test_the_largest_offset_allowed_answers_an_empty_page(owner: Client, url: str) -> None:
    response = owner.get(f"{url}?offset={paging.MAX_OFFSET}&limit={paging.MAX_LIMIT}")
    assert response.status_code == 200, response.content[:300]
    body = json.loads(response.content)
    items = body["places"]["items"] if "places" in body else body["items"]
    assert items == []


def test_the_bounds_are_declared_in_the_openapi_document() -> None:
    paths = api.get_openapi_schema()["paths"]
    declared = 0
    for operations in paths.values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                if parameter["name"] == "offset":
                    assert (schema["minimum"], schema["maximum"]) == (0, paging.MAX_OFFSET)
                    declared += 1
                if parameter["name"] == "limit":
                    assert (schema["minimum"], schema["maximum"]) == (1, paging.MAX_LIMIT)
    assert declared >= len(PAGED)


# --- body size ---------------------------------------------------------------------------


def test_a_body_over_the_limit_gets_413_and_changes_nothing(owner: Client, settings: Any) -> None:
    limit = settings.UPWARD_API_MAX_BODY_BYTES
    assert limit == 1024 * 1024  # the documented default
    body = json.dumps({"name": "Big", "sector": "other", "notes": "x" * (10 * 1024 * 1024)})
    before = snapshot()
    error = error_of(owner.post(BASE + "/stakeholders", body, content_type="application/json"), 413)
    assert "1048576 bytes" in error["message"]
    assert snapshot() == before


def test_a_body_at_the_limit_is_read(owner: Client, settings: Any) -> None:
    settings.UPWARD_API_MAX_BODY_BYTES = 300
    body = json.dumps({"name": "Small partner", "sector": "other"}).ljust(300)
    response = owner.post(BASE + "/stakeholders", body, content_type="application/json")
    assert response.status_code == 201, response.content[:300]
    response = owner.post(BASE + "/stakeholders", body + " ", content_type="application/json")
    assert error_of(response, 413)["message"].startswith("The request body is 301 bytes")


# --- nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("POST", BASE + "/stakeholders"), ("PATCH", BASE + "/stakeholders/{pk}")],
)
@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 50_000, "[" * 5000 + "]" * 5000])
def test_deep_nesting_gets_400(
    owner: Client, workspace_world: SimpleNamespace, method: str, url: str, body: str
) -> None:
    before = snapshot()
    url = url.format(pk=workspace_world.stakeholder.pk)
    response = owner.generic(method, url, body, content_type="application/json")
    assert "too deeply" in error_of(response, 400)["message"]
    assert snapshot() == before


def test_the_nesting_check() -> None:
    assert nested_too_deeply(b"[" * 100_000 + b"]" * 100_000)
    assert nested_too_deeply(b"[" * 100_000)  # unclosed, too
    assert not nested_too_deeply(b"[" * 50 + b"]" * 50)
    assert not nested_too_deeply(b"[" * 499)  # too few brackets to matter: not parsed
    assert not nested_too_deeply(b'{"notes": "' + b"[" * 100_000 + b'"}')  # inside a string
    assert not nested_too_deeply(b"not json") and not nested_too_deeply(b"\xff[")


def test_ordinary_nesting_is_served(owner: Client) -> None:
    body = {"name": "Nested partner", "sector": "other", "pillars": ["work"], "predictors": []}
    response = owner.post(BASE + "/stakeholders", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content[:300]


# --- other whole numbers ----------------------------------------------------------------


@pytest.mark.parametrize("number", [2**63, 2**64, 10**30])
def test_huge_ids_and_versions_are_refused_cleanly(
    owner: Client, workspace_world: SimpleNamespace, number: int
) -> None:
    before = snapshot()
    pk = workspace_world.stakeholder.pk
    answers = [
        owner.get(f"{BASE}/stakeholders/{number}"),
        owner.delete(f"{BASE}/stakeholders/{number}?version=1"),
        owner.delete(f"{BASE}/stakeholders/{pk}?version={number}"),
        owner.generic(
            "PATCH",
            f"{BASE}/stakeholders/{pk}",
            json.dumps({"version": number, "notes": "x"}),
            content_type="application/json",
        ),
        owner.get(f"/w/ramsey/stakeholders/{number}/"),
        owner.post(f"/w/ramsey/stakeholders/{pk}/delete/", {"version": number}),
        owner.get(f"/w/ramsey/readiness/{number}/"),
    ]
    for response in answers:
        assert response.status_code in (302, 400, 404, 409), response.content[:300]
    assert snapshot() == before
