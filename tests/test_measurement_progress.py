"""Progress on a release (issue 14, part 4) through ``plan_progress``, its page and
``upward plan progress``, on the two fixture releases of test_measurement_measures:
release ``a`` (the fixture) and current release ``b``, which revises Ramsey County's 2023
20th income percentile from 27,250.5 [25,500, 29,000] to 28,111.5 [26,300, 29,900].

The world's indicators: "Income, 20th percentile" (baseline 2023, release "fixture",
target $28,000), "Income (pinned)" (baseline 2023) and "Income (not pinned)".
"""

from __future__ import annotations

import csv
import io
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from test_measurement_measures import releases_world, signed_in, two_releases, url  # noqa: F401
from typer.testing import CliRunner
from workspace_support import snapshot

from upward.cli import app
from upward.web.measurement import progress_store
from upward.web.measurement.models import Baseline, BaselineDecision, Target
from upward.web.measurement.progress_store import (
    CSV_COLUMNS,
    Indicator,
    UnknownProgressRelease,
    indicator_row,
    open_progress_release,
    plan_progress,
    rows_of,
    workspace_indicators,
)

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def by_title(world: SimpleNamespace, release: str | None = None) -> dict[str, object]:
    return {row.title: row for row in plan_progress(world.workspace, release).rows}


def a_2014_baseline(world: SimpleNamespace) -> None:
    """Give "Income (pinned)" a 2014 baseline of $21,000 [19,500, 22,500] from release a,
    so that its 2023 value in either release has a change to set beside the peers'."""
    Baseline.objects.filter(measure=world.pinned).update(
        year=2014, value=21000, lb=19500, ub=22500, text="$21,000 in 2014", release="a"
    )


DEFAULT_PEERS = ("40143", "27053", "09110", "13121", "38071")
"""The peer finder's 5 nearest peers of Ramsey County in both fixture releases. Of their
20th income percentile the fixture publishes, in 2014, 27053 $25,000.5 and 38071 $19,000
(Weak): a median of every value of $22,000.25; in 2023, 27053 $31,000 and 09110 $30,000:
$30,500 (context only: fewer than 3 values not rated Weak)."""
OTHER_PEERS = ("27053", "09001")
"""Peers a changed peer finder might find instead: in 2014 $25,000.5 and $26,000 (median
$25,500.25), in 2023 27053's $31,000 alone."""


def peer_medians(row: Any) -> tuple[float | None, float | None]:
    (peers,) = [c for c in row.context if c.scope == "peers"]
    return peers.baseline_median, peers.latest_median


def find_other_peers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The peer finder now finds :data:`OTHER_PEERS` (a new release, or a new finder)."""
    monkeypatch.setattr(progress_store, "_default_peers", lambda ref, geo: OTHER_PEERS)


def test_statuses_on_the_current_release(releases_world: SimpleNamespace) -> None:  # noqa: F811
    rows = by_title(releases_world)
    revised = rows["Income, 20th percentile"]
    assert revised.status == "revised" and revised.status_words == "Baseline revised"
    assert "$28,112" in revised.revised_text and "pinned as $27,250" in revised.words
    latest = (revised.latest_release, revised.latest_year, revised.latest_value)
    assert latest == ("b", 2023, 28111.5)
    assert (revised.baseline_release, revised.baseline_year) == ("fixture", 2023)
    assert revised.target_value == 28000 and "dollars of 2023" in revised.target_text
    missing = rows["Income (not pinned)"]
    assert missing.status == "no_baseline" and missing.status_words == "No baseline pinned"
    assert missing.latest_value is None


def test_a_decision_about_the_release_clears_the_flag(
    releases_world: SimpleNamespace,  # noqa: F811
) -> None:
    world = releases_world
    baseline = Baseline.objects.get(measure=world.population)
    BaselineDecision.objects.create(
        workspace=world.workspace, baseline=baseline, decision="keep", release="b"
    )
    row = by_title(world)["Income, 20th percentile"]
    assert row.status == "not_comparable" and row.revised_text == ""


def test_not_yet_comparable_and_a_change_in_real_terms(
    releases_world: SimpleNamespace,  # noqa: F811
) -> None:
    world = releases_world
    rows = by_title(world, "a")
    same_year = rows["Income, 20th percentile"]
    # release a publishes the pinned value: not revised, and no later year than 2023 yet
    assert same_year.status == "not_comparable" and same_year.first_comparable_year == 2024
    assert "first comparison is possible with 2024 data" in same_year.words
    # a 2014 baseline of $21,000 [19,500, 22,500] against $27,250.5 in 2023, in real terms
    a_2014_baseline(world)
    later = by_title(world, "a")["Income (pinned)"]
    assert later.latest_year == 2023 and later.baseline_year == 2014
    # CPI-U annual averages 236.736 (2014) and 304.702 (2023): the baseline is $27,029 in
    # 2023 dollars, a real change of +$221; its standard error √(985.0² + 892.9²) = 1,329
    # (the baseline's 765.3 restated by the same factor), z = 0.17: within the noise.
    restated = 21000 * 304.702 / 236.736
    assert later.status == "no_change" and "2023 dollars" in later.words
    assert later.change == pytest.approx(27250.5 - restated, rel=1e-3)
    assert "p = 0.868" in later.words  # not the nominal +$6,250


def test_a_release_that_is_not_loaded_is_refused(
    releases_world: SimpleNamespace,  # noqa: F811
) -> None:
    with pytest.raises(UnknownProgressRelease, match="zz"):
        plan_progress(releases_world.workspace, "zz")


def test_the_page_for_a_member_and_not_for_others(
    releases_world: SimpleNamespace,  # noqa: F811
    client: Client,
) -> None:
    world = releases_world
    viewer = signed_in(client, world.viewer)
    editor, outsider = Client(), Client()
    editor.force_login(world.editor)
    outsider.force_login(world.outsider)
    before = snapshot()
    page = viewer.get(url("measure_progress"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Baseline revised" in html and "No baseline pinned" in html
    assert '<option value="b" selected>' in html and "release fixture" in html
    assert "95% CI" in html and "Strong" in html
    on_a = viewer.get(url("measure_progress") + "?release=a").content.decode()
    assert "Not yet comparable" in on_a and "First comparable year: 2024" in on_a
    unknown = viewer.get(url("measure_progress") + "?release=zz")
    assert unknown.status_code == 404 and "zz" in unknown.content.decode()
    assert viewer.post(url("measure_progress")).status_code == 403  # a viewer changes nothing
    assert editor.post(url("measure_progress")).status_code == 405  # and nothing is posted here
    plan = viewer.get(url("measure_plan")).content.decode()
    assert url("measure_progress") in plan
    assert outsider.get(url("measure_progress")).status_code == 404
    assert snapshot() == before


def test_the_command_line(releases_world: SimpleNamespace) -> None:  # noqa: F811
    runner = CliRunner()
    as_json = runner.invoke(app, ["plan", "progress", "ramsey", "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.output)
    assert body["release"] == "b" and body["workspace"] == "ramsey"
    statuses = {r["title"]: r["status"] for r in body["rows"]}
    assert statuses["Income, 20th percentile"] == "revised"
    assert statuses["Income (not pinned)"] == "no_baseline"
    as_csv = runner.invoke(app, ["plan", "progress", "ramsey", "--release", "a", "-f", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert tuple(rows[0]) == CSV_COLUMNS
    found = {r["title"]: r for r in rows}
    assert found["Income, 20th percentile"]["status"] == "not_comparable"
    assert found["Income, 20th percentile"]["latest_release"] == "a"
    table = runner.invoke(app, ["plan", "progress", "ramsey"])
    assert table.exit_code == 0 and "Baseline revised" in table.output
    for args, words in (
        (["plan", "progress", "nowhere"], "No workspace 'nowhere'"),
        (["plan", "progress", "ramsey", "--release", "zz"], "zz"),
    ):
        refused = runner.invoke(app, args)
        assert refused.exit_code == 1 and words in refused.output
        assert refused.exception is None or isinstance(refused.exception, SystemExit)


def test_the_api(releases_world: SimpleNamespace, client: Client) -> None:  # noqa: F811
    world = releases_world
    viewer = signed_in(client, world.viewer)
    found = viewer.get("/api/workspaces/ramsey/progress?release=a")
    assert found.status_code == 200, found.content[:500]
    body = found.json()
    assert body["release"] == "a"
    row = {r["title"]: r for r in body["rows"]}["Income, 20th percentile"]
    assert (row["status"], row["first_comparable_year"], row["latest_quality"]) == (
        "not_comparable",
        2024,
        "Strong",
    )
    missing = viewer.get("/api/workspaces/ramsey/progress?release=zz")
    assert missing.status_code == 404 and "zz" in missing.json()["error"]["message"]
    # a name no release can have is a 400, and the document says which names can be
    assert viewer.get("/api/workspaces/ramsey/progress?release=" + "0" * 59).status_code == 400
    doc = viewer.get("/api/openapi.json").json()["paths"]["/api/workspaces/{slug}/progress"]
    (release,) = [p for p in doc["get"]["parameters"] if p["name"] == "release"]
    (text,) = [t for t in release["schema"]["anyOf"] if t["type"] == "string"]
    assert text["maxLength"] == 40 and re.search(text["pattern"], "2025.01")
    assert re.search(text["pattern"], "0" * 59) is None
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get("/api/workspaces/ramsey/progress").status_code == 404


def test_a_frozen_indicator_round_trips_through_json_and_yields_the_same_row(
    releases_world: SimpleNamespace,  # noqa: F811
) -> None:
    world = releases_world
    frozen = workspace_indicators(world.workspace)
    stored = json.loads(json.dumps([i.model_dump(mode="json") for i in frozen]))
    back = [Indicator.model_validate(d) for d in stored]
    assert back == frozen
    revised = {i.title: i for i in back}["Income, 20th percentile"]
    assert revised.baseline is not None and revised.baseline.release == "fixture"
    assert revised.target_value == 28000 and revised.decided_releases == ()
    # the same rows as the workspace's own, with no database read at all
    expected = plan_progress(world.workspace, "b")
    name, ref = open_progress_release("b")
    with CaptureQueriesContext(connection) as queries:
        got = rows_of(back, "b", workspace="ramsey")
        one = indicator_row(revised, ref, name)
    assert len(queries) == 0
    assert got == expected
    assert one == {r.title: r for r in expected.rows}["Income, 20th percentile"]
    assert one.status == "revised"
    # a decision stored with the indicator clears the flag, as a recorded one does
    decided = revised.model_copy(update={"decided_releases": ("b",)})
    assert indicator_row(decided, ref, name).status == "not_comparable"


def test_the_change_beside_peers_state_and_nation(
    releases_world: SimpleNamespace,  # noqa: F811
) -> None:
    world = releases_world
    a_2014_baseline(world)
    row = by_title(world, "a")["Income (pinned)"]
    assert row.peer_set == "the saved peer set “Twin counties”"
    context = {c.scope: c for c in row.context}
    assert list(context) == ["peers", "state", "nation"]
    # The nation's medians of the fixture's counties not rated Weak: 2014 $21,000,
    # $25,000.5 and $26,000 (median $25,000.5; two of five are Weak); 2023 $27,250.5,
    # $30,000 and $31,000 (median $30,000). In 2023 dollars (× 304.702 / 236.736) a change of
    # 30,000 − 32,177.9 = −$2,177.9, fixed. The place's real change +$221.5 (se 1,329.5):
    # the difference +$2,399.5, z = 1.805, p = 0.071: not distinguishable.
    nation = context["nation"]
    factor = 304.702 / 236.736
    assert (nation.baseline_median, nation.latest_median) == (25000.5, 30000)
    assert nation.change == pytest.approx(30000 - 25000.5 * factor, rel=1e-4)
    assert nation.change_lb is None and "no sampling error" in nation.basis
    assert nation.difference == pytest.approx(2399.5, abs=1)
    assert nation.p == pytest.approx(0.0711, abs=1e-3)
    assert nation.verdict == "not_distinguishable"
    assert nation.difference_lb == pytest.approx(2399.5 - 1.96 * 1329.5, abs=2)
    assert "medians of 3 of 5 counties in 2014 and 3 of 3 in 2023" in nation.basis
    assert nation.result == "not distinguishable from theirs (95% test, p = 0.071)"
    assert nation.difference_text.startswith("+$2,400 (95% CI")
    # Minnesota has two counties and the peer set one: too few values for a claim.
    for scope in ("state", "peers"):
        assert context[scope].verdict == "too_uncertain" and context[scope].p is None
        assert "a claim needs at least half of them and at least 3" in context[scope].words
    assert context["state"].name == "Minnesota counties"
    assert context["state"].baseline_median == pytest.approx((21000 + 25000.5) / 2)
    # Without a saved peer set, the peer finder's default peers, and the row says so.
    world.workspace.peer_sets.all().delete()
    again = by_title(world, "a")["Income (pinned)"]
    assert "nearest peers found by the peer finder (its default)" in again.peer_set
    # A same-year row has no change to set beside anything.
    assert by_title(world, "a")["Income, 20th percentile"].context == ()
    # The CSV flattens each context; the API and JSON carry them whole.
    runner = CliRunner()
    as_csv = runner.invoke(app, ["plan", "progress", "ramsey", "--release", "a", "-f", "csv"])
    found = {r["title"]: r for r in csv.DictReader(io.StringIO(as_csv.output))}
    assert found["Income (pinned)"]["nation_verdict"] == "not_distinguishable"
    assert found["Income (pinned)"]["state_verdict"] == "too_uncertain"
    assert "context" not in found["Income (pinned)"]
    as_json = json.loads(runner.invoke(app, ["plan", "progress", "ramsey", "--release", "a",
                                             "--format", "json"]).output)  # fmt: skip
    (pinned,) = [r for r in as_json["rows"] if r["title"] == "Income (pinned)"]
    assert [c["scope"] for c in pinned["context"]] == ["peers", "state", "nation"]


def test_without_a_saved_set_a_draft_finds_its_peers_anew_in_the_release_read(
    releases_world: SimpleNamespace,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = releases_world
    world.workspace.peer_sets.all().delete()
    a_2014_baseline(world)
    row = by_title(world, "b")["Income (pinned)"]
    assert row.peer_set == "the 5 nearest peers found by the peer finder (its default)"
    assert peer_medians(row) == (22000.25, 30500)
    find_other_peers(monkeypatch)
    again = by_title(world, "b")["Income (pinned)"]
    assert again.peer_set == "the 2 nearest peers found by the peer finder (its default)"
    assert peer_medians(again) == (25500.25, 31000)


def test_a_peer_median_target_keeps_its_peers(
    releases_world: SimpleNamespace,  # noqa: F811
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = releases_world
    world.workspace.peer_sets.all().delete()
    a_2014_baseline(world)
    editor = signed_in(client, world.editor)
    sent = {"method": "benchmark", "benchmark": "peers"}
    assert editor.post(url("measure_target", world.pinned.pk), sent).status_code == 302
    target = Target.objects.get(measure=world.pinned)
    # the peers' median of the baseline's release a, over the peer finder's peers there
    assert target.parameters == {
        "benchmark": "peers", "peers": list(DEFAULT_PEERS), "peers_release": "a"
    }  # fmt: skip
    # The peer finder finds others now: the indicator's change is still set beside the
    # peers its target was computed from, and the row says which.
    find_other_peers(monkeypatch)
    row = by_title(world, "b")["Income (pinned)"]
    assert row.peer_set == (
        "the 5 nearest peers found by the peer finder in release a, from which the target "
        "(the peers' median) was computed"
    )
    assert peer_medians(row) == (22000.25, 30500)
    (indicator,) = [i for i in workspace_indicators(world.workspace) if i.title == row.title]
    assert (indicator.peers, indicator.peers_of_target) == (DEFAULT_PEERS, True)
    # A target by another method keeps no peers: the default peers, found anew.
    Target.objects.filter(pk=target.pk).update(method="value", parameters={"value": 30000})
    assert peer_medians(by_title(world, "b")["Income (pinned)"]) == (25500.25, 31000)
    # A saved peer set still comes first.
    world.workspace.peer_sets.create(name="Twin counties", geoids=["27053"])
    Target.objects.filter(pk=target.pk).update(method="benchmark", parameters=target.parameters)
    assert by_title(world, "b")["Income (pinned)"].peer_set == "the saved peer set “Twin counties”"
