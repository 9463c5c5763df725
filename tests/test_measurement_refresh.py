"""Progress refreshed on a release (issue 14, part 4): ``refresh_store.refresh_all``,
``upward plan refresh``, the refresh after ``upward data use``, the line on the progress
page and the API, on the two fixture releases of test_measurement_measures (release ``a``,
and current release ``b``, which revises the 2023 baseline of "Income, 20th percentile").
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from test_measurement_measures import releases_world, signed_in, two_releases, url  # noqa: F401
from typer.testing import CliRunner
from workspace_support import snapshot

from upward.cli import app
from upward.web import data as web_data
from upward.web.measurement import refresh_store
from upward.web.measurement.models import ProgressRefresh
from upward.web.workspace.models import Activity

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def refreshes(world: SimpleNamespace) -> list[ProgressRefresh]:
    # the world's own record (release "fixture") is left aside
    return list(ProgressRefresh.objects.filter(workspace=world.workspace).exclude(
        release="fixture"))  # fmt: skip


def lines(world: SimpleNamespace) -> list[Activity]:
    return list(Activity.objects.filter(workspace=world.workspace, verb="refreshed"))


def test_refresh_once_a_release_with_what_changed(releases_world: SimpleNamespace) -> None:  # noqa: F811
    world = releases_world
    ProgressRefresh.objects.filter(workspace=world.workspace).delete()
    run = refresh_store.refresh_all("a")
    assert run.release == "a" and run.release_checksum
    (done,) = [w for w in run.workspaces if w.workspace == "ramsey"]
    assert (done.outcome, done.indicators, done.changed, done.revised) == ("refreshed", 3, 0, 0)
    (first,) = refreshes(world)
    assert first.counts == {"not_comparable": 2, "no_baseline": 1}
    assert {r["title"]: r["status"] for r in first.rows}["Income, 20th percentile"] == (
        "not_comparable"
    )
    (line,) = lines(world)
    assert line.target == "progress on release a" and "3 indicators" in line.detail
    # again on the same release: nothing written (idempotent per release checksum)
    again = refresh_store.refresh_all("a")
    assert [w.outcome for w in again.workspaces if w.workspace == "ramsey"] == ["already"]
    assert len(refreshes(world)) == 1 and len(lines(world)) == 1
    # release b revises the pinned cells: two statuses changed, two baselines newly revised
    later = refresh_store.refresh_all("b")
    (done,) = [w for w in later.workspaces if w.workspace == "ramsey"]
    assert (done.outcome, done.changed, done.revised) == ("refreshed", 2, 2)
    latest = refresh_store.last_refresh(world.workspace)
    assert latest is not None and latest.release == "b" and latest.previous_release == "a"
    changed = {c["title"]: (c["before"], c["after"]) for c in latest.changed}
    assert changed["Income, 20th percentile"] == ("not_comparable", "revised")
    assert {r["title"] for r in latest.revised} == {"Income, 20th percentile", "Income (pinned)"}
    assert "$28,112" in latest.revised[0]["text"]
    assert "2 changed statuses and 2 newly revised baselines" in lines(world)[0].detail


def test_one_workspace_failing_does_not_stop_the_others(
    releases_world: SimpleNamespace,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = releases_world
    ProgressRefresh.objects.filter(workspace=world.workspace).delete()
    calls = {"n": 0}
    real = refresh_store.record

    def flaky(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the activity log is full")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(refresh_store, "record", flaky)
    run = refresh_store.refresh_all("a", [world.workspace, world.workspace])
    failed, then = run.workspaces
    assert failed.outcome == "failed" and "the activity log is full" in failed.message
    assert run.failed == [failed]
    # the failed one wrote nothing (one transaction per workspace); the next one went on
    assert then.outcome == "refreshed"
    assert len(refreshes(world)) == 1 and len(lines(world)) == 1


def test_the_command_line_and_data_use(releases_world: SimpleNamespace) -> None:  # noqa: F811
    world = releases_world
    runner = CliRunner()
    done = runner.invoke(app, ["plan", "refresh", "--release", "a"])
    assert done.exit_code == 0, done.output
    assert "ramsey: refreshed 3 indicator(s)" in done.output
    assert "Progress on release a: 1 workspace(s) refreshed" in done.output
    again = runner.invoke(app, ["plan", "refresh", "--release", "a"])
    assert "0 workspace(s) refreshed, 1 already refreshed on it, 0 failed" in again.output
    refused = runner.invoke(app, ["plan", "refresh", "--release", "zz"])
    assert refused.exit_code == 1 and "zz" in refused.output
    # making a release current refreshes every workspace on it
    try:
        used = runner.invoke(app, ["data", "use", "b"])
        assert used.exit_code == 0, used.output
        assert "Release b" in used.output and "Progress on release b: 1 workspace(s)" in (
            used.output
        )
    finally:
        runner.invoke(app, ["data", "use", "b"])
    assert {r.release for r in refreshes(world)} == {"a", "b"}


def test_the_page_and_the_api_read_the_last_refresh(
    releases_world: SimpleNamespace,  # noqa: F811
    client: Client,
) -> None:
    world = releases_world
    refresh_store.refresh_all("a")
    refresh_store.refresh_all("b")
    viewer = signed_in(client, world.viewer)
    before = snapshot()
    html = viewer.get(url("measure_progress")).content.decode()
    assert "Progress last refreshed for release <strong>b</strong> on" in html
    assert "2 changed statuses since the refresh on release a" in html
    assert "2 newly revised baselines" in html
    assert "Not yet comparable → Baseline revised" in html
    found = viewer.get("/api/workspaces/ramsey/progress/refreshes")
    assert found.status_code == 200, found.content[:300]
    body = found.json()
    assert [r["release"] for r in body[:2]] == ["b", "a"]
    assert body[0]["counts"] == {"revised": 2, "no_baseline": 1}
    assert body[0]["changed"][0]["after"] == "revised" and body[0]["previous_release"] == "a"
    assert snapshot() == before  # reading writes nothing
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get("/api/workspaces/ramsey/progress/refreshes").status_code == 404


def test_data_load_refreshes_when_it_makes_a_release_current(
    workspace_world: SimpleNamespace,
    fixture_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = workspace_world
    target = tmp_path / "home" / "warehouse.duckdb"
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(target))
    web_data.reset()
    runner = CliRunner()
    try:
        kept = runner.invoke(app, ["data", "load", str(fixture_data_dir), "--release", "a",
                                   "--keep-current"])  # fmt: skip
        assert kept.exit_code == 0, kept.output
        assert "Progress on release" not in kept.output  # not made current: no refresh
        loaded = runner.invoke(app, ["data", "load", str(fixture_data_dir), "--release", "c"])
        assert loaded.exit_code == 0, loaded.output
        assert "Progress on release c: 1 workspace(s) refreshed" in loaded.output
    finally:
        web_data.reset()
    assert [r.release for r in refreshes(world)] == ["c"]
    (line,) = lines(world)
    assert line.target == "progress on release c" and line.actor is None
