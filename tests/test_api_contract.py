"""The OpenAPI document is exact: every 4xx each operation answers is declared, and so are
the formats and bounds of its parameters; hostile values get a declared 4xx, never a 500.

scripts/api_fuzz.py checks the same against the served app with schemathesis; these tests
pin the declarations and the answers that schemathesis found wrong.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from upward.catalog import get_catalog
from upward.planning import stakeholder as vocab
from upward.web.api.paging import MAX_LIMIT, MAX_OFFSET

pytest_plugins = ["workspace_support"]

# Every operation's declared answers, written out by hand.
PUBLIC = {"200", "400", "404", "503"}
PEERS = PUBLIC | {"422"}
READ = {"200", "400", "401", "404"}
CREATE = {"201", "400", "401", "403", "404", "413", "422"}
CHANGE = {"200", "400", "401", "403", "404", "409", "413", "422"}
DELETE = {"204", "400", "401", "403", "404", "409"}
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("get", "/api/health"): {"200"},
    ("get", "/api/catalog"): {"200"},
    ("get", "/api/releases"): {"200", "503"},
    ("get", "/api/catalog/metrics/{metric_id}"): {"200", "404"},
    ("get", "/api/geographies"): PUBLIC,
    ("get", "/api/geographies/{geoid}"): PUBLIC,
    ("get", "/api/geographies/{geoid}/profile"): PUBLIC,
    ("get", "/api/geographies/{geoid}/series"): PUBLIC,
    ("get", "/api/geographies/{geoid}/subgroups"): PUBLIC,
    ("get", "/api/metrics/{metric_id}/distribution"): PEERS,
    ("get", "/api/geographies/{geoid}/peers"): PEERS,
    ("get", "/api/geographies/{geoid}/comparisons"): PEERS,
    ("get", "/api/geographies/{geoid}/insights"): PEERS,
    ("get", "/api/geographies/{geoid}/disparities"): PEERS,
    ("get", "/api/workspaces"): {"200", "400", "401"},
    ("get", "/api/workspaces/{slug}"): READ,
    ("get", "/api/workspaces/{slug}/readiness"): READ,
    ("get", "/api/workspaces/{slug}/coverage"): READ,
    ("get", "/api/workspaces/{slug}/activity"): READ,
    ("get", "/api/workspaces/{slug}/stakeholders"): READ,
    ("post", "/api/workspaces/{slug}/stakeholders"): {
        "201", "400", "401", "403", "404", "409", "413",
    },
    ("get", "/api/workspaces/{slug}/stakeholders/{stakeholder_id}"): READ,
    ("patch", "/api/workspaces/{slug}/stakeholders/{stakeholder_id}"): {
        "200", "400", "401", "403", "404", "409", "413",
    },
    ("delete", "/api/workspaces/{slug}/stakeholders/{stakeholder_id}"): {
        "204", "400", "401", "403", "404", "409",
    },
    ("get", "/api/workspaces/{slug}/officials"): READ,
    ("post", "/api/workspaces/{slug}/officials"): {
        "201", "400", "401", "403", "404", "413", "422",
    },
    ("get", "/api/workspaces/{slug}/officials/representation"): READ,
    ("get", "/api/workspaces/{slug}/officials/{official_id}"): READ,
    ("put", "/api/workspaces/{slug}/officials/{official_id}"): {
        "200", "400", "401", "403", "404", "409", "413", "422",
    },
    ("delete", "/api/workspaces/{slug}/officials/{official_id}"): {
        "204", "400", "401", "403", "404", "409",
    },
    **{("get", "/api/workspaces/{slug}/input-forms" + p): READ
       for p in ("", "/{form_id}", "/{form_id}/answers")},
    ("post", "/api/workspaces/{slug}/input-forms"): {"201", "400", "401", "403", "404", "413"},
    ("put", "/api/workspaces/{slug}/input-forms/{form_id}"): {
        "200", "400", "401", "403", "404", "409", "413",
    },
    ("delete", "/api/workspaces/{slug}/input-forms/{form_id}"): {
        "204", "400", "401", "403", "404", "409",
    },
    ("post", "/api/workspaces/{slug}/input-forms/answers/{answer_id}/accept"): {
        "200", "400", "401", "403", "404",
    },
    ("post", "/api/workspaces/{slug}/input-forms/answers/{answer_id}/reject"): {
        "200", "400", "401", "403", "404", "409",
    },
    ("get", "/api/workspaces/{slug}/summary"): READ,
    ("put", "/api/workspaces/{slug}/summary"): {
        "200", "400", "401", "403", "404", "409", "413",
    },
    ("get", "/api/workspaces/{slug}/summary/versions"): READ,
    ("get", "/api/workspaces/{slug}/predictors/{predictor_id}"): READ,
    **{("get", "/api/workspaces/{slug}/engagements" + p): READ
       for p in ("", "/summary", "/representation", "/{engagement_id}",
                 "/{engagement_id}/representation")},
    **{("get", "/api/workspaces/{slug}" + p): READ
       for p in ("/codes", "/codes/{code_id}", "/notes", "/notes/{note_id}",
                 "/notes/{note_id}/excerpts", "/excerpts/{excerpt_id}")},
    **{("post", "/api/workspaces/{slug}" + p): CREATE
       for p in ("/engagements", "/codes", "/notes", "/notes/{note_id}/excerpts")},
    ("put", "/api/workspaces/{slug}/engagements/{engagement_id}"): CHANGE,
    **{("patch", "/api/workspaces/{slug}" + p): CHANGE
       for p in ("/codes/{code_id}", "/notes/{note_id}", "/excerpts/{excerpt_id}")},
    **{("delete", "/api/workspaces/{slug}" + p): DELETE
       for p in ("/engagements/{engagement_id}", "/codes/{code_id}", "/notes/{note_id}",
                 "/excerpts/{excerpt_id}")},
    ("get", "/api/workspaces/{slug}/local-series"): READ,
    ("get", "/api/workspaces/{slug}/local-series/{series_id}"): READ,
    ("patch", "/api/workspaces/{slug}/local-series/{series_id}"): {
        "200", "400", "401", "403", "404", "409", "413",
    },
    ("delete", "/api/workspaces/{slug}/local-series/{series_id}"): {
        "204", "400", "401", "403", "404", "409",
    },
    **{("get", "/api/workspaces/{slug}/model" + p): READ
       for p in ("/elements", "/elements/{element_id}", "/links", "/links/{link_id}", "/checks",
                 "/approval")},
    **{("post", "/api/workspaces/{slug}/model" + p): CREATE for p in ("/elements", "/links")},
    **{("patch", "/api/workspaces/{slug}/model" + p): CHANGE
       for p in ("/elements/{element_id}", "/links/{link_id}")},
    **{("delete", "/api/workspaces/{slug}/model" + p): DELETE
       for p in ("/elements/{element_id}", "/links/{link_id}")},
    ("post", "/api/workspaces/{slug}/model/approval"): {
        "201", "400", "401", "403", "404", "409", "413",
    },
    **{("get", "/api/workspaces/{slug}" + p): READ
       for p in ("/vision", "/vision/versions", "/vision/versions/{vision_number}",
                 "/vision/versions/{vision_number}/comments", "/theories",
                 "/theories/{theory_id}", "/theories/{theory_id}/comments")},
    ("post", "/api/workspaces/{slug}/vision/versions"): {
        "201", "400", "401", "403", "404", "409", "413",
    },
    ("post", "/api/workspaces/{slug}/vision/versions/{vision_number}/adopt"): {
        "200", "400", "401", "403", "404", "409", "413",
    },
    **{("post", "/api/workspaces/{slug}" + p): {"201", "400", "401", "403", "404", "413"}
       for p in ("/vision/versions/{vision_number}/comments", "/theories/{theory_id}/comments")},
    ("post", "/api/workspaces/{slug}/theories"): CREATE,
    **{("get", "/api/workspaces/{slug}/model" + p): READ
       for p in ("/elements/{element_id}/comments", "/links/{link_id}/comments", "/comments")},
    **{("post", "/api/workspaces/{slug}/model" + p): {"201", "400", "401", "403", "404", "413"}
       for p in ("/elements/{element_id}/comments", "/links/{link_id}/comments", "/comments")},
    ("post", "/api/workspaces/{slug}/comments/{comment_id}/resolve"): {
        "200", "400", "401", "403", "404", "409",
    },
    ("put", "/api/workspaces/{slug}/theories/{theory_id}"): CHANGE,
    ("delete", "/api/workspaces/{slug}/theories/{theory_id}"): DELETE,
    **{("get", "/api/workspaces/{slug}" + p): READ
       for p in ("/priorities", "/priorities/{priority_id}", "/priority-decisions",
                 "/priority-decisions/{decision_id}")},
    **{("post", "/api/workspaces/{slug}" + p): CREATE
       for p in ("/priorities", "/priority-decisions")},
    ("put", "/api/workspaces/{slug}/priorities/{priority_id}"): {
        "200", "400", "401", "403", "404", "409", "413",
    },
    ("put", "/api/workspaces/{slug}/priority-decisions/{decision_id}"): CHANGE,
    ("put", "/api/workspaces/{slug}/priority-ranking"): CHANGE,
    **{("delete", "/api/workspaces/{slug}" + p): DELETE
       for p in ("/priorities/{priority_id}", "/priority-decisions/{decision_id}")},
    ("get", "/api/workspaces/{slug}/strategies"): READ,
    ("post", "/api/workspaces/{slug}/strategies"): CREATE,
    ("get", "/api/workspaces/{slug}/strategies/{strategy_id}"): READ,
    ("put", "/api/workspaces/{slug}/strategies/{strategy_id}"): CHANGE,
    ("delete", "/api/workspaces/{slug}/strategies/{strategy_id}"): DELETE,
    ("get", "/api/workspaces/{slug}/measures"): READ,
    ("post", "/api/workspaces/{slug}/measures"): CREATE,
    ("get", "/api/workspaces/{slug}/measures/{measure_id}"): READ,
    ("patch", "/api/workspaces/{slug}/measures/{measure_id}"): CHANGE,
    ("delete", "/api/workspaces/{slug}/measures/{measure_id}"): DELETE,
    ("get", "/api/workspaces/{slug}/baselines"): READ,
    ("post", "/api/workspaces/{slug}/baselines"): CREATE,
    ("get", "/api/workspaces/{slug}/baselines/{baseline_id}"): READ,
    ("delete", "/api/workspaces/{slug}/baselines/{baseline_id}"): DELETE,
    ("get", "/api/workspaces/{slug}/progress"): READ,
    ("get", "/api/workspaces/{slug}/plan/draft"): READ,
    ("get", "/api/workspaces/{slug}/progress/refreshes"): READ,
    ("get", "/api/workspaces/{slug}/targets"): READ,
    ("post", "/api/workspaces/{slug}/targets"): CREATE,
    ("get", "/api/workspaces/{slug}/targets/{target_id}"): READ,
    ("patch", "/api/workspaces/{slug}/targets/{target_id}"): CHANGE,
    ("delete", "/api/workspaces/{slug}/targets/{target_id}"): DELETE,
    ("get", "/api/workspaces/{slug}/measures/{measure_id}/revision"): READ,
    ("post", "/api/workspaces/{slug}/baselines/{baseline_id}/decisions"): CREATE | {"409"},
    ("post", "/api/workspaces/{slug}/targets/{target_id}/confirmation"): CHANGE,
    ("get", "/api/workspaces/{slug}/strategy-library"): READ,
    **{
        (method, f"/api/workspaces/{{slug}}/{kind}{one}"): answers
        for kind, id_ in (
            ("actions", "action_id"),
            ("sustainability-plans", "plan_id"),
            ("funding-sources", "funding_id"),
        )
        for method, one, answers in (
            ("get", "", READ),
            ("post", "", CREATE),
            ("get", f"/{{{id_}}}", READ),
            ("put", f"/{{{id_}}}", CHANGE),
            ("delete", f"/{{{id_}}}", DELETE),
        )
    },
    ("get", "/api/workspaces/{slug}/learning-plan"): READ,
    ("put", "/api/workspaces/{slug}/learning-plan"): {
        "200", "400", "401", "403", "404", "409", "413",
    },
    ("post", "/api/workspaces/{slug}/strategy-library/{shared_id}/adopt"): {
        "201", "400", "401", "403", "404", "409",
    },
    ("get", "/api/workspaces/{slug}/publish-problems"): READ,
    ("get", "/api/workspaces/{slug}/plan-versions"): READ,
    ("get", "/api/workspaces/{slug}/plan-versions/{plan_number}"): READ,
    ("post", "/api/workspaces/{slug}/plan-versions"): CREATE | {"409"},
}  # fmt: skip


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    from upward.web.api.routes import api

    return json.loads(json.dumps(api.get_openapi_schema()))  # as served: string statuses


def params(document: dict[str, Any], path: str, method: str = "get") -> dict[str, Any]:
    return {p["name"]: p for p in document["paths"][path][method].get("parameters", [])}


def schema_of(param: dict[str, Any]) -> dict[str, Any]:
    """The parameter's schema, less the null branch of an optional one."""
    schema = param["schema"]
    for branch in schema.get("anyOf", []):
        if branch.get("type") != "null":
            return {**schema, **branch}
    return dict(schema)


def test_every_operation_declares_exactly_its_answers(document: dict[str, Any]) -> None:
    declared = {
        (method, path): set(operation["responses"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }
    assert declared == EXPECTED


def test_every_error_answer_is_the_json_error_object(document: dict[str, Any]) -> None:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    name = ref.rsplit("/", 1)[-1]
                    schema = document["components"]["schemas"][name]
                    assert "error" in schema["required"], (method, path, status)


def test_geoids_are_5_or_7_digits(document: dict[str, Any]) -> None:
    paths = [p for p in document["paths"] if "{geoid}" in p]
    assert len(paths) == 8
    for path in paths:
        geoid = schema_of(params(document, path)["geoid"])
        assert geoid["pattern"] == "^([0-9]{5}|[0-9]{7})$", path


def test_enums_come_from_the_catalog_and_the_vocabulary(document: dict[str, Any]) -> None:
    catalog = get_catalog()
    subgroups = [t.id for t in catalog.subgroup_types]
    assert "race-ethnicity" in subgroups
    for path in ("/api/geographies/{geoid}/profile", "/api/geographies/{geoid}/series"):
        assert schema_of(params(document, path)["subgroup_type"])["enum"] == subgroups
    metrics = [m.id for m in catalog.metrics]
    series_metric = params(document, "/api/geographies/{geoid}/series")["metric"]["schema"]
    assert series_metric["enum"] == [*metrics, None]
    distribution = params(document, "/api/metrics/{metric_id}/distribution")
    assert distribution["metric_id"]["schema"]["enum"] == metrics
    state = schema_of(params(document, "/api/geographies")["state"])["enum"]
    assert {"27", "MN", "mn", "11", "DC"} <= set(state) and len(state) == 3 * 52
    sectors = list(vocab.ids(vocab.SECTORS))
    listing = params(document, "/api/workspaces/{slug}/stakeholders")
    assert schema_of(listing["sector"])["enum"] == sectors
    body = document["paths"]["/api/workspaces/{slug}/stakeholders"]["post"]["requestBody"]
    fields = body["content"]["application/json"]["schema"]["properties"]
    assert fields["sector"]["enum"] == sectors
    assert fields["role"]["enum"] == [*vocab.ids(vocab.ROLES), None]
    assert fields["pillars"]["items"]["enum"] == [p.id for p in catalog.pillars]
    assert fields["name"]["maxLength"] == 200


def test_years_offsets_and_limits_are_bounded(document: dict[str, Any]) -> None:
    assert (MAX_OFFSET, MAX_LIMIT) == (1_000_000_000, 100)
    for path in ("/api/geographies", "/api/workspaces", "/api/workspaces/{slug}/activity"):
        declared = params(document, path)
        assert declared["offset"]["schema"]["minimum"] == 0
        assert declared["offset"]["schema"]["maximum"] == MAX_OFFSET
        assert declared["limit"]["schema"]["minimum"] == 1
        assert declared["limit"]["schema"]["maximum"] == MAX_LIMIT
    years = [y for m in get_catalog().metrics for ys in m.years.values() for y in ys]
    for path in ("/api/geographies/{geoid}/profile", "/api/metrics/{metric_id}/distribution"):
        year = schema_of(params(document, path)["year"])
        assert (year["minimum"], year["maximum"]) == (min(years), max(years))


def test_peer_parameters_have_their_forms(document: dict[str, Any]) -> None:
    import re

    peers = params(document, "/api/geographies/{geoid}/peers")
    band = re.compile(schema_of(peers["population_band"])["pattern"])
    assert all(band.search(v) for v in ("0.5,2", "0.33,3", "0.1,10", "1,1", ".25,4"))
    assert not any(band.search(v) for v in ("3,4", "0,2", "0.5,0.9", "0.5", "1e0,2"))
    weights = re.compile(schema_of(peers["weights"])["pattern"])
    assert weights.search("population:2,pctl_income_50:0")
    assert weights.search("in_place_share:10")
    assert not any(weights.search(v) for v in ("nope:1", "population:-2", "population:10.5"))
    assert schema_of(peers["set"])["pattern"] == "^[A-Za-z0-9_-]+$"


def test_an_offset_past_the_bound_is_a_400(client: Client, warehouse_env: Any) -> None:
    response = client.get(f"/api/geographies?offset={2**63}")
    assert response.status_code == 400
    message = json.loads(response.content)["error"]["message"]
    assert message == f"Parameter 'offset' must be at most {MAX_OFFSET}, not '{2**63}'."


# --- hostile values on the workspace API, on SQLite and PostgreSQL ----------------------


@pytest.fixture
def owner(workspace_world: SimpleNamespace) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(workspace_world.owner)
    client.get("/w/ramsey/stakeholders/new/")  # sets the CSRF cookie
    return client


def error(response: Any, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return str(json.loads(response.content)["error"]["message"])


@pytest.mark.db
@pytest.mark.django_db
def test_a_multipart_body_without_a_boundary_is_a_400(owner: Client) -> None:
    response = owner.generic(
        "POST",
        "/api/workspaces/ramsey/stakeholders",
        b'{"name": "Youth Council", "sector": "residents"}',
        content_type="multipart/form-data",
        headers={"X-CSRFToken": owner.cookies["csrftoken"].value},
    )
    assert "send JSON as application/json" in error(response, 400)


@pytest.mark.db
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/stakeholders?q=a%00b", "Parameter 'q' must not contain NUL characters"),
        (f"/stakeholders/{2**63}", f"Parameter 'stakeholder_id' must be at most {2**63 - 1}"),
        ("/stakeholders?sector=banks", "Parameter 'sector' must be one of government,"),
    ],
)
def test_values_the_database_cannot_take_are_400s(owner: Client, url: str, expected: str) -> None:
    assert expected in error(owner.get("/api/workspaces/ramsey" + url), 400)


@pytest.mark.db
@pytest.mark.django_db
def test_a_version_past_the_column_is_a_400(owner: Client) -> None:
    headers = {"X-CSRFToken": owner.cookies["csrftoken"].value}
    url = f"/api/workspaces/ramsey/stakeholders/1?version={2**31}"
    message = error(owner.delete(url, headers=headers), 400)
    assert f"Parameter 'version' must be at most {2**31 - 1}" in message


@pytest.mark.db
@pytest.mark.django_db
def test_a_workspace_address_with_a_nul_is_a_404(owner: Client) -> None:
    assert "among yours" in error(owner.get("/api/workspaces/ram%00sey"), 404)


def test_no_two_schemas_share_a_name() -> None:
    """The OpenAPI document names a schema by its class name: two classes of one name
    would silently document one route with the other's fields."""
    from pydantic import BaseModel

    from upward.web.api.routes import api  # noqa: F401  (imports every router)

    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    ours = [c for c in subclasses(BaseModel) if c.__module__.startswith("upward.")]
    by_name: dict[str, set[str]] = {}
    for cls in ours:
        by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {n: m for n, m in by_name.items() if len(m) > 1} == {}
