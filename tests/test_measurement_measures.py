"""The measurement plan (issue 14, parts 1 to 3): measures of the logic model's elements,
baselines pinned to a loaded release, targets with their minimum detectable change, and a
revised baseline kept or re-based; bad input refused on the field with nothing saved.

Numbers are the fixture's (tests/fixtures/README.md): Ramsey County's 2023 20th income
percentile is $27,250.5 with 95% CI [25,500, 29,000], Strong. Its standard error is
(29,000 − 25,500) / 3.92 = 892.86, so its minimum detectable change is
1.96 × √2 × 892.86 = 2,474.9 dollars: a target of $28,000 (749.5 above) lies inside it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from workspace_support import snapshot

from upward.data.ingest import load_release
from upward.web import data as web_data
from upward.web.measurement import baseline_store
from upward.web.measurement.models import Baseline, BaselineDecision, Measure, Target
from upward.web.page_cache import forget_pages
from upward.web.strategy import model_store

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

INCOME = "01_financial-well-being/final/metrics_income_county_all_longitudinal.csv"
PINNED_2023 = "2023,27,123,27250.5,25500,29000,1,"
REVISED_2023 = "2023,27,123,28111.5,26300,29900,1,"
MDC = 1.96 * 2**0.5 * (29000 - 25500) / 3.92


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def url(name: str, *args: Any) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


def measure_data(world: SimpleNamespace, **more: Any) -> dict[str, Any]:
    return {
        "element": world.result_element.pk,
        "kind": "population",
        "title": "Income of the 20th",
        "geoid": "27123",
        "variable": "pctl_income_20",
        "data_source": "Mobility Metrics",
        "frequency": "release",
        **more,
    }


# -- measures -------------------------------------------------------------------------------


def test_the_form_shows_every_kind_and_adds_a_measure(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    editor = signed_in(client, world.editor)
    page = editor.get(url("measure_create") + f"?element={world.result_element.pk}")
    html = page.content.decode()
    for legend in (
        "For a population indicator",
        "For a performance measure",
        "For a systems-change measure",
        "For every measure",
    ):
        assert legend in html
    assert page.context["form"].initial["kind"] == "population"  # the result's suggestion
    data = {
        **measure_data(world),
        "responsible_member": world.editor.pk,
        "once": page.context["once"],
    }
    response = editor.post(url("measure_create"), data)
    assert response.status_code == 302, response.content[:2000]
    measure = Measure.objects.get(title="Income of the 20th")
    assert response["Location"] == url("measure_baseline", measure.pk)
    assert measure.workspace == world.workspace and measure.responsible_member == world.editor
    plan = editor.get(url("measure_plan")).content.decode()
    assert "Income of the 20th" in plan and "Not pinned yet" in plan
    assert "still without a measure" in plan  # the strategy element has none


def test_a_systems_change_measure_keeps_its_milestones(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    editor = signed_in(client, world.editor)
    once = editor.get(url("measure_create")).context["once"]
    data = {
        "element": world.outcome.pk,
        "kind": "systems_change",
        "title": "Hiring practice",
        "milestones_text": "Employers sign the pledge | signed pledges\nFirst hires",
        "variable": "pctl_income_20",
        "once": once,
    }
    assert editor.post(url("measure_create"), data).status_code == 302
    measure = Measure.objects.get(title="Hiring practice")
    assert measure.condition == "practices"  # the outcome's condition
    assert measure.milestones == [
        {"text": "Employers sign the pledge", "evidence": "signed pledges"},
        {"text": "First hires", "evidence": ""},
    ]
    assert measure.variable == ""  # another kind's fields are not kept


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"geoid": "2758000", "variable": "rate_low_birth_weight"},
            "variable",
            "publishes no value of",
        ),
        ({"variable": "no_such_variable"}, "variable", "is not a measure"),
        ({"geoid": "27053"}, "geoid", "is not one of this workspace's places"),
        ({"kind": "performance", "aspect": ""}, "aspect", "Choose the question"),
        ({"milestones_text": "| evidence only"}, "milestones_text", "say what is to happen"),
    ],
)
def test_bad_input_is_refused_on_the_field(
    workspace_world: SimpleNamespace,
    client: Client,
    change: dict[str, str],
    field: str,
    words: str,
) -> None:
    editor = signed_in(client, workspace_world.editor)
    once = editor.get(url("measure_create")).context["once"]
    before = snapshot()
    response = editor.post(
        url("measure_create"), {**measure_data(workspace_world), **change, "once": once}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert words in " ".join(errors[field]), errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert snapshot() == before


def test_a_responsible_of_another_workspace_is_refused(
    rival_world: SimpleNamespace, client: Client
) -> None:
    world = rival_world
    editor = signed_in(client, world.editor)
    once = editor.get(url("measure_create")).context["once"]
    before = snapshot()
    data = {
        **measure_data(world),
        "responsible_stakeholder": world.other_stakeholder.pk,
        "responsible_member": world.outsider.pk,
        "once": once,
    }
    response = editor.post(url("measure_create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "this workspace's stakeholders" in errors["responsible_stakeholder"][0]
    assert "this workspace's members" in errors["responsible_member"][0]
    assert snapshot() == before


def test_a_stale_edit_is_a_conflict(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    editor = signed_in(client, world.editor)
    measure = world.measure
    data = {
        "element": world.outcome.pk,
        "kind": "systems_change",
        "title": "Changed",
        "condition": "practices",
        "version": measure.version,
    }
    Measure.objects.filter(pk=measure.pk).update(version=measure.version + 1)
    response = editor.post(url("measure_edit", measure.pk), data)
    assert response.status_code == 409
    assert Measure.objects.get(pk=measure.pk).title == "Local hiring policy"


def test_the_logic_model_checks_read_the_measures(workspace_world: SimpleNamespace) -> None:
    world = workspace_world
    missing = {
        f.element
        for f in model_store.model_checks(world.workspace)
        if f.check == "element_without_measure"
    }
    assert world.element.pk in missing  # the strategy element has no measure
    assert world.outcome.pk not in missing and world.result_element.pk not in missing
    Measure.objects.create(
        workspace=world.workspace,
        element=world.element,
        kind="performance",
        aspect="how_much",
        title="Partners enrolled",
    )
    missing = {
        f.element
        for f in model_store.model_checks(world.workspace)
        if f.check == "element_without_measure"
    }
    assert world.element.pk not in missing


# -- baselines and targets ------------------------------------------------------------------


def test_pin_a_baseline_then_a_target_inside_the_noise(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    measure = world.unpinned
    editor = signed_in(client, world.editor)
    page = editor.get(url("measure_baseline", measure.pk))
    assert "$27,250 in 2023" in page.content.decode() or "$27,251" in page.content.decode()
    assert editor.post(url("measure_baseline", measure.pk), {"release": ""}).status_code == 302
    baseline = Baseline.objects.get(measure=measure)
    assert (baseline.value, baseline.lb, baseline.ub) == (27250.5, 25500, 29000)
    assert (baseline.year, baseline.quality) == (2023, "Strong")
    assert baseline.release  # the release's name (or version) is recorded
    target_page = editor.get(url("measure_target", measure.pk)).content.decode()
    assert "$2,475" in target_page  # the minimum detectable change, hand-computed above
    assert "dollars of 2023" in target_page
    response = editor.post(url("measure_target", measure.pk), {"method": "value", "value": "28000"})
    assert response.status_code == 302
    target = Target.objects.get(measure=measure)
    assert target.inside_noise and target.value == 28000
    assert target.mdc == pytest.approx(MDC)
    assert target.confirmed_at is None
    shown = editor.get(url("measure_target", measure.pk)).content.decode()
    assert "This target lies inside the noise" in shown
    # an editor may not confirm it; the owner may
    refused = editor.post(
        url("measure_target", measure.pk),
        {"method": "value", "value": "28000", "confirm": "on", "version": target.version},
    )
    assert refused.status_code == 400 and "Only an owner" in refused.content.decode()
    owner = Client()
    owner.force_login(world.owner)
    done = owner.post(
        url("measure_target", measure.pk),
        {"method": "value", "value": "28000", "confirm": "on", "version": target.version},
    )
    assert done.status_code == 302
    target.refresh_from_db()
    assert target.confirmed_by == world.owner and target.confirmed_at is not None


def test_the_detectable_method_and_a_stale_target(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    editor = signed_in(client, world.editor)
    response = editor.post(url("measure_target", world.pinned.pk), {"method": "detectable"})
    assert response.status_code == 302
    target = Target.objects.get(measure=world.pinned)
    assert target.value == pytest.approx(27250.5 + MDC) and not target.inside_noise
    stale = editor.post(
        url("measure_target", world.pinned.pk),
        {"method": "value", "value": "40000", "version": target.version + 5},
    )
    assert stale.status_code == 409
    assert Target.objects.get(pk=target.pk).value == pytest.approx(27250.5 + MDC)


def test_a_weak_baseline_gets_no_target_but_a_suggestion(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    Baseline.objects.filter(measure=world.pinned).update(quality="Weak")
    editor = signed_in(client, world.editor)
    page = editor.get(url("measure_target", world.pinned.pk)).content.decode()
    assert "No target on a Weak baseline" in page and "local data" in page
    assert "Save the target" not in page
    before = snapshot()
    response = editor.post(url("measure_target", world.pinned.pk), {"method": "detectable"})
    assert response.status_code == 400
    assert snapshot() == before


def test_a_target_method_that_does_not_fit_is_refused_on_its_field(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    editor = signed_in(client, workspace_world.editor)
    before = snapshot()
    for data, field in (
        ({"method": "percent"}, "percent"),
        ({"method": "percent", "percent": "ten"}, "percent"),
        ({"method": "gap", "share": "50"}, "method"),
    ):
        response = editor.post(url("measure_target", workspace_world.pinned.pk), data)
        assert response.status_code == 400, data
        assert field in response.context["form"].errors, response.context["form"].errors
    assert snapshot() == before


def test_a_release_that_is_not_loaded_is_refused(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    editor = signed_in(client, workspace_world.editor)
    before = snapshot()
    response = editor.post(
        url("measure_baseline", workspace_world.unpinned.pk), {"release": "1999.01"}
    )
    assert response.status_code == 400
    assert "not loaded" in " ".join(response.context["form"].errors["release"])
    assert snapshot() == before


def test_get_changes_nothing(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    owner = signed_in(client, world.owner)
    before = snapshot()
    for name in ("measure_baseline", "measure_target", "measure_revision", "measure_delete"):
        for pk in (world.unpinned.pk, world.population.pk, world.measure.pk):
            assert owner.get(url(name, pk)).status_code in (200, 302)
    assert snapshot() == before


# -- two releases: a revised baseline -------------------------------------------------------


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory, fixture_data_dir: Path) -> Path:
    """Release 'a' (the fixture) and current release 'b', which revises Ramsey County's
    2023 20th income percentile from 27,250.5 [25,500, 29,000] to 28,111.5 [26,300, 29,900]."""
    root = tmp_path_factory.mktemp("measure-releases")
    warehouse = root / "home" / "warehouse.duckdb"
    load_release(fixture_data_dir, warehouse, release="a")
    revised = root / "b"
    shutil.copytree(fixture_data_dir, revised)
    income = revised / INCOME
    text = income.read_text()
    assert PINNED_2023 in text
    income.write_text(text.replace(PINNED_2023, REVISED_2023))
    load_release(revised, warehouse, release="b")
    return warehouse


@pytest.fixture
def releases_world(
    workspace_world: SimpleNamespace, two_releases: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SimpleNamespace]:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(two_releases))
    web_data.reset()
    forget_pages()
    yield workspace_world
    web_data.reset()
    forget_pages()


def test_a_revised_baseline_is_reported_with_both_values(
    releases_world: SimpleNamespace, client: Client
) -> None:
    world = releases_world
    editor = signed_in(client, world.editor)
    page = editor.get(url("measure_baseline", world.unpinned.pk)).content.decode()
    assert '<option value="b" selected>b (current)</option>' in page
    assert (
        editor.post(url("measure_baseline", world.unpinned.pk), {"release": "a"}).status_code == 302
    )
    baseline = Baseline.objects.get(measure=world.unpinned)
    assert (baseline.release, baseline.value) == ("a", 27250.5)
    assert baseline.release_checksum  # the registry's checksum of release a
    found = baseline_store.revision(baseline, "b")
    assert found.revised and found.cell is not None
    assert (found.cell.value, found.cell.lb, found.cell.ub) == (28111.5, 26300, 29900)
    assert baseline_store.revision(baseline, "a").note == "same release"
    shown = editor.get(url("measure_revision", world.unpinned.pk) + "?compare=b")
    html = shown.content.decode()
    assert "Baseline revised" in html and "$27,250" in html and "$28,112" in html
    plan = editor.get(url("measure_plan")).content.decode()
    assert "Baseline revised:" in plan and "$28,112" in plan  # b is current
    missing = editor.get(url("measure_revision", world.unpinned.pk) + "?compare=zz")
    assert missing.status_code == 404 and "zz" in missing.content.decode()


@pytest.mark.parametrize("decision", ["keep", "rebase"])
def test_keep_or_rebase_is_recorded(
    releases_world: SimpleNamespace, client: Client, decision: str
) -> None:
    world = releases_world
    editor = signed_in(client, world.editor)
    editor.post(url("measure_baseline", world.unpinned.pk), {"release": "a"})
    baseline = Baseline.objects.get(measure=world.unpinned)
    stale = editor.post(
        url("measure_revision", world.unpinned.pk),
        {"compare": "b", "decision": decision, "version": baseline.version + 1},
    )
    assert stale.status_code == 409 and not BaselineDecision.objects.exists()
    response = editor.post(
        url("measure_revision", world.unpinned.pk),
        {
            "compare": "b",
            "decision": decision,
            "note": "Council agreed",
            "version": baseline.version,
        },
    )
    assert response.status_code == 302
    made = BaselineDecision.objects.get(baseline=baseline)
    assert (made.decision, made.release, made.decided_by) == (decision, "b", world.editor)
    assert made.pinned["value"] == 27250.5 and made.revised["value"] == 28111.5
    baseline.refresh_from_db()
    expected = ("b", 28111.5) if decision == "rebase" else ("a", 27250.5)
    assert (baseline.release, baseline.value) == expected
    page = editor.get(url("measure_baseline", world.unpinned.pk)).content.decode()
    assert "Decisions about revisions" in page and "Council agreed" in page


# -- the API --------------------------------------------------------------------------------


def api(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return client.generic(
        method, "/api/workspaces/ramsey" + path, json.dumps(body), content_type="application/json"
    )


def test_the_api_refuses_what_the_pages_refuse(
    rival_world: SimpleNamespace, client: Client
) -> None:
    world = rival_world
    editor = signed_in(client, world.editor)
    before = snapshot()
    other = api(
        editor,
        "POST",
        "/measures",
        {**measure_data(world), "responsible_stakeholder": world.other_stakeholder.pk},
    )
    assert other.status_code == 422
    assert "responsible_stakeholder" in other.json()["error"]["fields"]
    unpublished = api(
        editor,
        "POST",
        "/measures",
        {**measure_data(world), "geoid": "2758000", "variable": "rate_low_birth_weight"},
    )
    assert unpublished.status_code == 422 and "variable" in unpublished.json()["error"]["fields"]
    not_loaded = api(
        editor, "POST", "/baselines", {"measure": world.unpinned.pk, "release": "1999.01"}
    )
    assert not_loaded.status_code == 422 and "release" in not_loaded.json()["error"]["fields"]
    twice = api(editor, "POST", "/baselines", {"measure": world.pinned.pk})
    assert twice.status_code == 422 and "already has a baseline" in twice.content.decode()
    assert snapshot() == before


def test_the_api_pins_and_sets_a_target(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    editor = signed_in(client, world.editor)
    pinned = api(editor, "POST", "/baselines", {"measure": world.unpinned.pk})
    assert pinned.status_code == 201, pinned.content
    body = pinned.json()
    assert (body["value"], body["lb"], body["ub"], body["year"]) == (27250.5, 25500, 29000, 2023)
    target = api(
        editor,
        "POST",
        "/targets",
        {"measure": world.unpinned.pk, "method": "value", "value": 28000},
    )
    assert target.status_code == 201, target.content
    out = target.json()
    assert out["inside_noise"] and out["mdc"] == pytest.approx(MDC) and not out["confirmed"]


# -- the API: a revision and the decision about it; a year; a confirmation -----------------


def test_pin_a_chosen_year_on_the_page_and_over_the_api(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    editor = signed_in(client, world.editor)
    page = editor.get(url("measure_baseline", world.unpinned.pk)).content.decode()
    assert "the years it publishes for this measure: 2014, 2021, 2023" in page
    assert 'name="year"' in page
    response = editor.post(
        url("measure_baseline", world.unpinned.pk), {"release": "", "year": "2021"}
    )
    assert response.status_code == 302
    baseline = Baseline.objects.get(measure=world.unpinned)
    # the fixture's 2021 row: 25,100 [23,600, 26,600], quality 1 (Strong)
    assert (baseline.year, baseline.value, baseline.lb, baseline.ub) == (2021, 25100, 23600, 26600)
    assert baseline.quality == "Strong"
    gone = api(editor, "DELETE", f"/baselines/{baseline.pk}?version={baseline.version}", {})
    assert gone.status_code == 204
    pinned = api(editor, "POST", "/baselines", {"measure": world.unpinned.pk, "year": 2014})
    assert pinned.status_code == 201, pinned.content
    body = pinned.json()
    # the 2014 row: 21,000 [19,500, 22,500], quality 1 (Strong)
    assert (body["year"], body["value"], body["lb"], body["ub"]) == (2014, 21000, 19500, 22500)
    latest = api(editor, "POST", "/baselines", {"measure": world.population.pk})
    assert latest.status_code == 422  # it has one; the default year is the latest (see above)


def test_an_owner_confirms_a_target_inside_the_noise_over_the_api(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    target = world.target  # $28,000: 749.5 above the baseline, inside the MDC of 2,474.9
    editor = signed_in(client, world.editor)
    before = snapshot()
    refused = api(editor, "POST", f"/targets/{target.pk}/confirmation", {"version": 1})
    assert refused.status_code == 403 and "owner" in refused.json()["error"]["message"]
    assert snapshot() == before
    owner = signed_in(Client(), world.owner)
    done = api(owner, "POST", f"/targets/{target.pk}/confirmation", {"version": 1})
    assert done.status_code == 200, done.content
    assert done.json()["confirmed"] is True and done.json()["version"] == 2
    target.refresh_from_db()
    assert target.confirmed_by == world.owner and target.confirmed_at is not None
    again = api(owner, "POST", f"/targets/{target.pk}/confirmation", {"version": 2})
    assert again.status_code == 200 and again.json()["version"] == 2  # already confirmed
    page = owner.get(url("measure_target", world.population.pk)).content.decode()
    assert "The owner olivia confirmed it on" in page


@pytest.mark.parametrize("decision", ["keep", "rebase"])
def test_the_api_reports_a_revision_and_records_the_decision(
    releases_world: SimpleNamespace, client: Client, decision: str
) -> None:
    world = releases_world
    editor = signed_in(client, world.editor)
    measure = world.unpinned
    pinned = api(editor, "POST", "/baselines", {"measure": measure.pk, "release": "a"})
    assert pinned.status_code == 201, pinned.content
    revision = f"/measures/{measure.pk}/revision"
    found = editor.get("/api/workspaces/ramsey" + revision + "?release=b").json()
    assert (found["status"], found["release"], found["decisions"]) == ("revised", "b", [])
    assert (found["pinned"]["value"], found["pinned"]["release"]) == (27250.5, "a")
    assert (found["cell"]["value"], found["cell"]["lb"], found["cell"]["ub"]) == (
        28111.5, 26300, 29900,
    )  # fmt: skip
    current = editor.get("/api/workspaces/ramsey" + revision).json()
    assert current["status"] == "revised" and current["release"] == "b"  # b is current
    same = editor.get("/api/workspaces/ramsey" + revision + "?release=a").json()
    assert same["status"] == "same_release"
    missing = editor.get("/api/workspaces/ramsey" + revision + "?release=zz")
    assert missing.status_code == 404 and "zz" in missing.json()["error"]["message"]
    unpinned = editor.get(f"/api/workspaces/ramsey/measures/{world.measure.pk}/revision").json()
    assert unpinned["status"] == "no_baseline" and unpinned["pinned"] is None
    decide = f"/baselines/{pinned.json()['id']}/decisions"
    before = snapshot()
    stale = api(editor, "POST", decide, {"version": 2, "release": "b", "decision": decision})
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 1
    assert snapshot() == before
    body = {"version": 1, "release": "b", "decision": decision, "note": "Council agreed"}
    made = api(editor, "POST", decide, body)
    assert made.status_code == 201, made.content
    out = made.json()
    assert (out["decision"]["decision"], out["decision"]["release"]) == (decision, "b")
    assert out["decision"]["pinned"]["value"] == 27250.5
    assert out["decision"]["revised"]["value"] == 28111.5
    assert out["decision"]["decided_by"] == world.editor.username
    expected = ("b", 28111.5) if decision == "rebase" else ("a", 27250.5)
    assert (out["baseline"]["release"], out["baseline"]["value"]) == expected
    assert out["baseline"]["version"] == 2
    saved = BaselineDecision.objects.get()
    assert (saved.decision, saved.note, saved.decided_by) == (
        decision,
        "Council agreed",
        world.editor,
    )
    after = editor.get("/api/workspaces/ramsey" + revision + "?release=b").json()
    if decision == "rebase":
        assert after["status"] == "same_release"
    else:
        assert after["status"] == "revised" and [d["id"] for d in after["decisions"]] == [saved.pk]
    page = editor.get(url("measure_baseline", measure.pk)).content.decode()
    assert "Council agreed" in page  # the page shows the decision made over the API
