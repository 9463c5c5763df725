"""Bad input on the measurement plan and the actions (issue 14, "Bad input"), case by case,
on the page forms and on the API alike: each is refused with a message on the field at
fault (the API's ``error.fields``; ``__all__`` where the page's address, not a field, is
at fault) and nothing is saved (every row of every workspace model is compared).

The fixture's numbers (tests/fixtures/README.md): Ramsey County (27123) publishes the
20th income percentile for 2014, 2021 and 2023; 2023 is $27,250.5 [25,500, 29,000],
Strong, so its minimum detectable change is 1.96 × √2 × (29,000 − 25,500) / 3.92 =
2,474.9. St. Paul (2758000) publishes no low-birth-weight rate (a county-only metric).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from workspace_support import snapshot

from upward.planning import measure as vocab
from upward.web.measurement.models import Action, Baseline, Measure, Target

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

W = SimpleNamespace
NO_LBW = (
    "Measure: the release publishes no value of Share of babies born weighing under 2,500 "
    "grams for St. Paul, MN."
)
GAP = {"geoid": "2758000", "breakdown": "race-ethnicity", "subgroup": "Black, Non-Hispanic"}


def url(name: str, *args: Any) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


def unpublished(w: W) -> Measure:
    """A population indicator the release publishes no value of (saved before the form
    that checks it existed, or before a release without it was loaded)."""
    return Measure.objects.create(
        workspace=w.workspace, element=w.result_element, kind="population",
        title="Low birth weight, St. Paul", geoid="2758000", variable="rate_low_birth_weight",
    )  # fmt: skip


def weak(w: W) -> Measure:
    Baseline.objects.filter(measure=w.pinned).update(quality="Weak")
    return w.pinned


def measure_fields(w: W, **more: Any) -> dict[str, Any]:
    return {"element": w.result_element.pk, "kind": "population", "title": "Income",
            "geoid": "27123", "variable": "pctl_income_20", **more}  # fmt: skip


def action_fields(w: W, **more: Any) -> dict[str, Any]:
    return {"strategy": w.strategy.pk, "title": "Employer breakfast", "kind": "action",
            "owner": f"stakeholder:{w.stakeholder.pk}", "start_date": "2026-01-05",
            "due_date": "2026-02-01", "status": "not_started", "percent": "0", **more}  # fmt: skip


# -- the page forms -------------------------------------------------------------------------

# (case, the page's URL, its form data, the field at fault, words of its message)
Page = tuple[str, Callable[[W], str], Callable[[W], dict[str, Any]], str, str]
PAGE_CASES: list[Page] = [
    ("unpublished variable", lambda w: url("measure_create"),
     lambda w: measure_fields(w, geoid="2758000", variable="rate_low_birth_weight"),
     "variable", NO_LBW),
    ("baseline of an unpublished variable", lambda w: url("measure_baseline", unpublished(w).pk),
     lambda w: {"release": ""}, "release", NO_LBW),
    ("target of an unpublished variable", lambda w: url("measure_target", unpublished(w).pk),
     lambda w: {"method": "detectable"}, "__all__", "Pin the measure's baseline"),
    ("release not loaded", lambda w: url("measure_baseline", w.unpinned.pk),
     lambda w: {"release": "1999.01"}, "release", "“1999.01” is not loaded on this server"),
    ("year not published", lambda w: url("measure_baseline", w.unpinned.pk),
     lambda w: {"release": "", "year": "2019"}, "year",
     "Year: the release publishes Household income at the 20th percentile for Ramsey County, "
     "MN in 2014, 2021, 2023; not in 2019."),
    ("due date before the start", lambda w: url("action_create"),
     lambda w: action_fields(w, due_date="2026-01-04"), "due_date",
     "on or after the start (January 5, 2026)"),
    ("owner: another workspace's stakeholder", lambda w: url("action_create"),
     lambda w: action_fields(w, owner=f"stakeholder:{w.other_stakeholder.pk}"), "owner",
     "not among them"),
    ("owner: another workspace's member", lambda w: url("action_create"),
     lambda w: action_fields(w, owner=f"member:{w.outsider.pk}"), "owner", "not among them"),
    ("responsible: another workspace's stakeholder", lambda w: url("measure_create"),
     lambda w: measure_fields(w, responsible_stakeholder=w.other_stakeholder.pk),
     "responsible_stakeholder", "this workspace's stakeholders"),
    ("responsible: another workspace's member", lambda w: url("measure_create"),
     lambda w: measure_fields(w, responsible_member=w.outsider.pk), "responsible_member",
     "this workspace's members"),
    ("percent complete over 100", lambda w: url("action_create"),
     lambda w: action_fields(w, percent="101"), "percent", "from 0 to 100"),
    ("percent complete below 0", lambda w: url("action_create"),
     lambda w: action_fields(w, percent="-1"), "percent", "from 0 to 100"),
    ("percent improvement below 0", lambda w: url("measure_target", w.pinned.pk),
     lambda w: {"method": "percent", "percent": "-5"}, "percent", "must be above 0%"),
    ("a target on a Weak baseline", lambda w: url("measure_target", weak(w).pk),
     lambda w: {"method": "detectable"}, "__all__", vocab.WEAK_SUGGESTION),
    ("a gap between a group and itself", lambda w: url("measure_create"),
     lambda w: measure_fields(w, **GAP, versus=GAP["subgroup"]), "versus",
     "a gap is between two different groups; both are “Black, Non-Hispanic”"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "address", "data", "field", "words"), PAGE_CASES,
                         ids=[c[0] for c in PAGE_CASES])  # fmt: skip
def test_a_page_form_refuses_it_on_the_field(
    rival_world: W, client: Client, case: str, address: Callable[[W], str],
    data: Callable[[W], dict[str, Any]], field: str, words: str,
) -> None:  # fmt: skip
    w = rival_world
    client.force_login(w.owner)
    where = address(w)
    sent = data(w)
    if where == url("measure_create"):
        sent["once"] = client.get(where).context["once"]
    before = snapshot()
    response = client.post(where, sent)
    assert response.status_code == 400, (case, response.status_code)
    errors = response.context["form"].errors
    assert words in " ".join(errors.get(field, [])), (case, errors)
    html = response.content.decode()
    if field != "__all__":
        assert f'id="id_{field}_error"' in html, case  # shown on the field itself
    assert snapshot() == before


def test_a_weak_baseline_page_suggests_another_variable_or_local_data(
    workspace_world: W, client: Client
) -> None:
    client.force_login(workspace_world.editor)
    page = client.get(url("measure_target", weak(workspace_world).pk)).content.decode()
    assert "No target on a Weak baseline" in page
    assert "another variable" in page and "local data" in page
    assert "Save the target" not in page


# (case, the page's URL, its form data as read at the version before the change meanwhile)
Stale = tuple[str, Callable[[W], str], Callable[[W], dict[str, Any]], Callable[[W], Any]]
STALE_PAGES: list[Stale] = [
    ("measure", lambda w: url("measure_edit", w.measure.pk),
     lambda w: {"element": w.outcome.pk, "kind": "systems_change", "title": "Changed",
                "condition": "practices", "version": w.measure.version},
     lambda w: Measure.objects.filter(pk=w.measure.pk)),
    ("target", lambda w: url("measure_target", w.population.pk),
     lambda w: {"method": "value", "value": "40000", "version": w.target.version},
     lambda w: Target.objects.filter(pk=w.target.pk)),
    ("baseline", lambda w: url("measure_baseline", w.pinned.pk),
     lambda w: {"release": "", "version": w.pinned.baseline.version},
     lambda w: Baseline.objects.filter(measure=w.pinned)),
    ("action", lambda w: url("action_edit", w.action.pk),
     lambda w: {**action_fields(w), "status": "done", "version": w.action.version},
     lambda w: Action.objects.filter(pk=w.action.pk)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "address", "data", "rows"), STALE_PAGES,
                         ids=[c[0] for c in STALE_PAGES])  # fmt: skip
def test_a_page_refuses_a_stale_version(
    workspace_world: W, client: Client, case: str, address: Callable[[W], str],
    data: Callable[[W], dict[str, Any]], rows: Callable[[W], Any],
) -> None:  # fmt: skip
    w = workspace_world
    client.force_login(w.owner)
    sent = data(w)
    rows(w).update(version=sent["version"] + 1)  # someone saved it meanwhile
    before = snapshot()
    response = client.post(address(w), sent)
    assert response.status_code == 409, (case, response.status_code)
    assert snapshot() == before


# -- the API --------------------------------------------------------------------------------


def api(client: Client, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, "/api/workspaces/ramsey" + path, data,
                          content_type="application/json")  # fmt: skip


def api_action(w: W, **more: Any) -> dict[str, Any]:
    return {"strategy": w.strategy.pk, "title": "Via the API", "start_date": "2026-02-01",
            "owner_stakeholder": w.stakeholder.pk, **more}  # fmt: skip


def api_measure(w: W, **more: Any) -> dict[str, Any]:
    return {**measure_fields(w), **more}


# (case, method, path, body, status, the field at fault, words of its message)
Call = tuple[str, str, Callable[[W], str], Callable[[W], Any], int, str, str]
API_CASES: list[Call] = [
    ("unpublished variable", "POST", lambda w: "/measures",
     lambda w: api_measure(w, geoid="2758000", variable="rate_low_birth_weight"), 422,
     "variable", NO_LBW),
    ("baseline of an unpublished variable", "POST", lambda w: "/baselines",
     lambda w: {"measure": unpublished(w).pk}, 422, "measure",
     NO_LBW),
    ("target of an unpublished variable", "POST", lambda w: "/targets",
     lambda w: {"measure": unpublished(w).pk, "method": "detectable"}, 422, "measure",
     "Pin the measure's baseline"),
    ("release not loaded", "POST", lambda w: "/baselines",
     lambda w: {"measure": w.unpinned.pk, "release": "1999.01"}, 422, "release", "1999.01"),
    ("year not published", "POST", lambda w: "/baselines",
     lambda w: {"measure": w.unpinned.pk, "year": 2019}, 422, "year",
     "in 2014, 2021, 2023; not in 2019"),
    ("due date before the start", "POST", lambda w: "/actions",
     lambda w: api_action(w, due_date="2026-01-31"), 422, "due_date",
     "on or after the start (February 1, 2026)"),
    ("due date before the start, replaced", "PUT", lambda w: f"/actions/{w.action.pk}",
     lambda w: api_action(w, due_date="2026-01-31", version=w.action.version), 422,
     "due_date", "on or after the start"),
    ("owner: another workspace's stakeholder", "POST", lambda w: "/actions",
     lambda w: api_action(w, owner_stakeholder=w.other_stakeholder.pk), 422,
     "owner_stakeholder", "not among them"),
    ("owner: another workspace's member", "POST", lambda w: "/actions",
     lambda w: api_action(w, owner_stakeholder=None, owner_member=w.outsider.pk), 422,
     "owner_member", "not among them"),
    ("responsible: another workspace's stakeholder", "POST", lambda w: "/measures",
     lambda w: api_measure(w, responsible_stakeholder=w.other_stakeholder.pk), 422,
     "responsible_stakeholder", "this workspace's stakeholders"),
    ("responsible: another workspace's member", "POST", lambda w: "/measures",
     lambda w: api_measure(w, responsible_member=w.outsider.pk), 422, "responsible_member",
     "this workspace's members"),
    ("percent complete over 100", "POST", lambda w: "/actions",
     lambda w: api_action(w, percent=101), 400, "percent", "less than or equal to 100"),
    ("percent complete below 0", "POST", lambda w: "/actions",
     lambda w: api_action(w, percent=-1), 400, "percent", "greater than or equal to 0"),
    ("percent improvement below 0", "POST", lambda w: "/targets",
     lambda w: {"measure": w.pinned.pk, "method": "percent", "percent": -5}, 422, "percent",
     "must be above 0%"),
    ("a parameter the method needs", "POST", lambda w: "/targets",
     lambda w: {"measure": w.pinned.pk, "method": "percent"}, 422, "percent",
     "needed for this method"),
    ("a target on a Weak baseline", "POST", lambda w: "/targets",
     lambda w: {"measure": weak(w).pk, "method": "detectable"}, 422, "measure",
     vocab.WEAK_SUGGESTION),
    ("a gap between a group and itself", "POST", lambda w: "/measures",
     lambda w: api_measure(w, **GAP, versus=GAP["subgroup"]), 422, "versus",
     "a gap is between two different groups"),
    ("a decision on a release not loaded", "POST",
     lambda w: f"/baselines/{w.baseline.pk}/decisions",
     lambda w: {"version": w.baseline.version, "release": "1999.01", "decision": "keep"}, 422,
     "release", "1999.01"),
    ("a decision where nothing was revised", "POST",
     lambda w: f"/baselines/{w.baseline.pk}/decisions",
     lambda w: {"version": w.baseline.version, "decision": "rebase"}, 422, "release",
     "did not revise this baseline"),
    ("a confirmation of a target outside the noise", "POST",
     lambda w: f"/targets/{outside(w).pk}/confirmation",
     lambda w: {"version": w.target.version}, 422, "__all__", "does not lie inside the noise"),
]  # fmt: skip


def outside(w: W) -> Target:
    """The fixture's target moved out of the noise ($31,000: 3,749.5 above the baseline)."""
    Target.objects.filter(pk=w.target.pk).update(value=31000, inside_noise=False)
    return w.target


@pytest.mark.parametrize(("case", "method", "path", "body", "status", "field", "words"),
                         API_CASES, ids=[c[0] for c in API_CASES])  # fmt: skip
def test_the_api_refuses_it_on_the_field(
    rival_world: W, client: Client, case: str, method: str, path: Callable[[W], str],
    body: Callable[[W], Any], status: int, field: str, words: str,
) -> None:  # fmt: skip
    w = rival_world
    client.force_login(w.owner)
    where, sent = path(w), body(w)
    before = snapshot()
    response = api(client, method, where, sent)
    assert response.status_code == status, (case, response.content[:400])
    fields = response.json()["error"]["fields"]
    assert words in " ".join(fields.get(field, [])), (case, fields)
    assert snapshot() == before


# (case, method, path with a stale version, body)
STALE_CALLS: list[tuple[str, str, Callable[[W], str], Callable[[W], Any]]] = [
    ("measure", "PATCH", lambda w: f"/measures/{w.measure.pk}",
     lambda w: {"version": w.measure.version + 5, "title": "Changed"}),
    ("target", "PATCH", lambda w: f"/targets/{w.target.pk}",
     lambda w: {"version": w.target.version + 5, "method": "value", "value": 40000}),
    ("baseline", "DELETE", lambda w: f"/baselines/{w.baseline.pk}?version=9", lambda w: None),
    ("action", "PUT", lambda w: f"/actions/{w.action.pk}",
     lambda w: api_action(w, version=w.action.version + 5)),
    ("decision", "POST", lambda w: f"/baselines/{w.baseline.pk}/decisions",
     lambda w: {"version": w.baseline.version + 5, "decision": "keep"}),
    ("confirmation", "POST", lambda w: f"/targets/{w.target.pk}/confirmation",
     lambda w: {"version": w.target.version + 5}),
]  # fmt: skip


@pytest.mark.parametrize(("case", "method", "path", "body"), STALE_CALLS,
                         ids=[c[0] for c in STALE_CALLS])  # fmt: skip
def test_the_api_refuses_a_stale_version_with_the_record_as_saved(
    workspace_world: W, client: Client, case: str, method: str, path: Callable[[W], str],
    body: Callable[[W], Any],
) -> None:  # fmt: skip
    client.force_login(workspace_world.owner)
    before = snapshot()
    response = api(client, method, path(workspace_world), body(workspace_world))
    assert response.status_code == 409, (case, response.content[:400])
    answer = response.json()
    assert "Not saved" in answer["error"]["message"] and answer["current"]["version"] == 1
    assert snapshot() == before
