"""Publishing the Mobility Action Plan (issue 14, part 7): the open problems of the
measurement plan, the owner's confirmation of each, numbered immutable versions with a
stable checksum, their pages and exports, the API and ``upward plan export --version``.

The world (tests/workspace_support.py) has one published version already (the walk reads
it); its measurement plan has open problems: elements without a measure, an indicator
without a baseline and a target inside the noise.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from test_measurement_measures import releases_world, two_releases  # noqa: F401
from test_measurement_progress import (
    DEFAULT_PEERS,
    a_2014_baseline,
    by_title,
    find_other_peers,
    peer_medians,
)
from typer.testing import CliRunner

from upward.cli import app
from upward.web.measurement import progress_store, public_store, publish_store
from upward.web.measurement.models import (
    Baseline,
    BaselineDecision,
    FrozenVersion,
    PlanVersion,
    PublicPlan,
)

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def url(name: str, *args: Any) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


def keys(world: SimpleNamespace) -> list[str]:
    return [p.key for p in publish_store.publish_problems(world.workspace)]


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_the_problems_have_stable_keys(workspace_world: SimpleNamespace) -> None:
    world = workspace_world
    found = {p.key: p.text for p in publish_store.publish_problems(world.workspace)}
    assert f"no-baseline:{world.unpinned.pk}" in found
    assert f"inside-noise:{world.population.pk}" in found
    assert any(k.startswith("no-measure:") for k in found)
    assert keys(world) == keys(world)
    assert "Income (not pinned)" in found[f"no-baseline:{world.unpinned.pk}"]


def test_publishing_needs_each_problem_confirmed(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    owner = signed_in(client, world.owner)
    before = PlanVersion.objects.count()
    problems = keys(world)
    page = owner.get(url("plan_publish")).content.decode()
    assert all(f'value="{k}"' in page for k in problems)
    # all but one confirmed: refused, the missing one named at its field, nothing saved
    sent = {"confirm": problems[1:], "after": publish_store.latest_number(world.workspace)}
    refused = owner.post(url("plan_publish"), sent)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Nothing was published" in html and 'aria-invalid="true"' in html
    assert html.count("usa-form-group--error") == 1
    assert PlanVersion.objects.count() == before
    sent["confirm"] = problems
    done = owner.post(url("plan_publish"), sent)
    assert done.status_code == 302
    version = PlanVersion.objects.filter(workspace=world.workspace).first()
    assert version is not None and version.number == before + 1
    assert done["Location"] == url("plan_version", version.number)
    assert [p["key"] for p in version.problems] == problems
    assert all(p["confirmed_by"] == "olivia" for p in version.problems)
    assert list(version.document["open_problems"]) == [p["text"] for p in version.problems]
    assert version.document["version"] == version.number


def test_versions_are_numbered_immutable_and_checksummed(
    workspace_world: SimpleNamespace,
) -> None:
    world = workspace_world
    first = publish_store.latest_number(world.workspace)
    made = publish_store.publish(world.workspace, world.owner, keys(world))
    again = publish_store.publish(world.workspace, world.owner, keys(world))
    assert (made.number, again.number) == (first + 1, first + 2)
    stored = PlanVersion.objects.get(pk=made.pk)
    assert len(stored.checksum) == 64
    assert publish_store.checksum_of(publish_store.content_of(stored)) == stored.checksum
    assert made.checksum != again.checksum  # another number, another date
    stored.document = {**stored.document, "title": "Changed"}
    with pytest.raises(FrozenVersion):
        stored.save()
    assert PlanVersion.objects.get(pk=made.pk).document["title"] != "Changed"


def test_a_stale_publish_is_refused(workspace_world: SimpleNamespace) -> None:
    world = workspace_world
    latest = publish_store.latest_number(world.workspace)
    with pytest.raises(publish_store.PublishRefused) as refused:
        publish_store.publish(world.workspace, world.owner, keys(world), after=latest - 1)
    assert refused.value.status == 409 and "after" in refused.value.errors
    assert publish_store.latest_number(world.workspace) == latest


def test_a_publish_after_a_version_that_does_not_exist_says_so(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    latest = publish_store.latest_number(world.workspace)
    with pytest.raises(publish_store.PublishRefused) as refused:
        publish_store.publish(world.workspace, world.owner, keys(world), after=latest + 3)
    message = refused.value.errors["after"]
    assert refused.value.status == 409 and "meanwhile" not in message
    assert message == (
        f"You sent version {latest + 3} as the latest you read, but the plan has no version "
        f"{latest + 3}: the latest is version {latest}. Reload the page, review it, then "
        "publish again."
    )
    # Two versions published since the one read: both named, not just the last.
    publish_store.publish(world.workspace, world.owner, keys(world))
    with pytest.raises(publish_store.PublishRefused) as stale:
        publish_store.publish(world.workspace, world.owner, keys(world), after=latest - 1)
    assert stale.value.errors["after"] == (
        f"Versions {latest} to {latest + 1} were published since the one you read "
        f"({'version ' + str(latest - 1) if latest > 1 else 'no published version'}): review "
        "them, then publish again."
    )
    owner = signed_in(client, world.owner)
    answer = owner.post("/api/workspaces/ramsey/plan-versions",
                        {"confirm": keys(world), "after": latest + 9},
                        content_type="application/json")  # fmt: skip
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert "No such version" in json.dumps(error) and "meanwhile" not in json.dumps(error)
    assert f"has no version {latest + 9}" in error["fields"]["after"][0]
    assert publish_store.latest_number(world.workspace) == latest + 1


def test_publishing_is_atomic(workspace_world: SimpleNamespace, monkeypatch: Any) -> None:
    world = workspace_world
    before = (PlanVersion.objects.count(), PublicPlan.objects.count())
    PublicPlan.objects.filter(workspace=world.workspace).delete()
    before = (PlanVersion.objects.count(), PublicPlan.objects.count())

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the record failed")

    monkeypatch.setattr(publish_store, "record", broken)
    with pytest.raises(RuntimeError):
        publish_store.publish(world.workspace, world.owner, keys(world))
    assert (PlanVersion.objects.count(), PublicPlan.objects.count()) == before


def test_only_an_owner_publishes(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    before = PlanVersion.objects.count()
    for user in (world.editor, world.viewer):
        member = signed_in(client, user)
        assert member.get(url("plan_publish")).status_code == 200
        sent = {"confirm": keys(world)}
        assert member.post(url("plan_publish"), sent).status_code == 403
        assert member.post(url("plan_public_switch"), {"public": "off"}).status_code == 403
    assert PlanVersion.objects.count() == before
    assert publish_store.is_public(world.workspace)


def test_the_version_pages_and_exports(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    version = PlanVersion.objects.filter(workspace=world.workspace).first()
    assert version is not None
    viewer = signed_in(client, world.viewer)
    listing = viewer.get(url("plan_versions")).content.decode()
    assert version.checksum in listing and f"Version {version.number}" in listing
    assert "&lt;iframe src=&quot;http://testserver/p/ramsey/embed/&quot;" in listing
    page = viewer.get(url("plan_version", version.number)).content.decode()
    assert version.checksum in page
    for fmt, kind in (("html", "text/html"), ("pdf", "application/pdf"),
                      ("docx", "application/vnd.openxml")):  # fmt: skip
        for edition in ("general", "technical"):
            got = viewer.get(url("plan_version_export", version.number),
                             {"format": fmt, "edition": edition})  # fmt: skip
            assert got.status_code == 200 and got["Content-Type"].startswith(kind), (fmt, edition)
    bad = viewer.get(url("plan_version_export", version.number), {"format": "exe"})
    assert bad.status_code == 400
    assert viewer.get(url("plan_version", 999)).status_code == 404


def test_withdrawing_the_public_page(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    owner = signed_in(client, world.owner)
    assert Client().get("/p/ramsey/").status_code == 200
    assert owner.post(url("plan_public_switch"), {"public": "off"}).status_code == 302
    missing = Client().get("/p/ramsey/")
    assert missing.status_code == 404 and "No published plan here" in missing.content.decode()
    assert owner.post(url("plan_public_switch"), {"public": "on"}).status_code == 302
    assert Client().get("/p/ramsey/").status_code == 200


def test_the_command_line_exports_a_published_version(
    workspace_world: SimpleNamespace, tmp_path: Path
) -> None:
    world = workspace_world
    frozen = world.plan_version.document
    world.strategy.name = "Renamed in the draft"
    world.strategy.save()
    runner = CliRunner()
    out = tmp_path / "v1.json"
    done = runner.invoke(app, ["plan", "export", "ramsey", "--version", "1", "-f", "json",
                               "-o", str(out)])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert json.loads(out.read_text()) == frozen
    assert "Renamed in the draft" not in out.read_text()
    html = tmp_path / "v1.html"
    shown = runner.invoke(app, ["plan", "export", "ramsey", "--version", "1", "-f", "html",
                                "--edition", "general", "-o", str(html)])  # fmt: skip
    assert shown.exit_code == 0 and "<html" in html.read_text()
    missing = runner.invoke(app, ["plan", "export", "ramsey", "--version", "7", "-f", "json",
                                  "-o", str(tmp_path / "x.json")])  # fmt: skip
    assert missing.exit_code == 1
    assert "ramsey has no published version 7 (published: 1)" in missing.output
    assert not (tmp_path / "x.json").exists()


def test_the_api(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    base = "/api/workspaces/ramsey"
    viewer = signed_in(client, world.viewer)
    found = viewer.get(base + "/publish-problems").json()
    assert [i["key"] for i in found["items"]] == keys(world) and found["latest"] == 1
    listing = viewer.get(base + "/plan-versions").json()
    assert listing["count"] == 1 and listing["public"] is True
    assert listing["items"][0]["checksum"] == world.plan_version.checksum
    one = viewer.get(base + "/plan-versions/1").json()
    assert one["document"] == world.plan_version.document
    assert viewer.get(base + "/plan-versions/9").status_code == 404
    for user in (world.viewer, world.editor):
        member = signed_in(Client(), user)
        refused = member.post(base + "/plan-versions", {"confirm": keys(world)},
                              content_type="application/json")  # fmt: skip
        assert refused.status_code == 403 and "owner" in refused.json()["error"]["message"]
    owner = signed_in(Client(), world.owner)
    partly = owner.post(base + "/plan-versions", {"confirm": keys(world)[1:]},
                        content_type="application/json")  # fmt: skip
    assert partly.status_code == 422
    assert list(partly.json()["error"]["fields"]) == keys(world)[:1]
    stale = owner.post(base + "/plan-versions", {"confirm": keys(world), "after": 0},
                       content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    assert PlanVersion.objects.filter(workspace=world.workspace).count() == 1
    made = owner.post(base + "/plan-versions", {"confirm": keys(world), "after": 1},
                      content_type="application/json")  # fmt: skip
    assert made.status_code == 201 and made.json()["number"] == 2
    bad = owner.post(base + "/plan-versions", {"confirm": "all"}, content_type="application/json")
    assert bad.status_code == 400


def test_a_revised_baseline_is_a_problem_until_decided(
    releases_world: SimpleNamespace,  # noqa: F811
) -> None:
    world = releases_world  # current release b revised the world's 2023 baselines
    key = f"revised-baseline:{world.population.pk}"
    assert key in keys(world)
    BaselineDecision.objects.create(
        workspace=world.workspace, baseline=world.baseline, decision="keep", release="b"
    )
    assert key not in keys(world)
    weak = f"weak-baseline:{world.pinned.pk}"
    assert weak not in keys(world)
    Baseline.objects.filter(measure=world.pinned).update(quality="Weak")
    assert weak in keys(world)


def test_a_published_version_keeps_the_peers_it_was_published_with(
    releases_world: SimpleNamespace,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = releases_world  # current release b
    # version 1 was published with the saved set: it keeps the set, nothing else to freeze
    saved = {d["title"]: d for d in world.plan_version.indicators}["Income (pinned)"]
    assert (saved["peer_set"], saved["peers"], saved["peers_release"]) == (
        "Twin counties", ["27053"], "")  # fmt: skip
    world.workspace.peer_sets.all().delete()
    a_2014_baseline(world)
    version = publish_store.publish(world.workspace, world.owner, keys(world))
    frozen = {d["title"]: d for d in version.indicators}
    pinned = frozen["Income (pinned)"]
    assert (pinned["peers"], pinned["peers_release"], pinned["peers_frozen_in"]) == (
        list(DEFAULT_PEERS), "b", 2)  # fmt: skip
    assert frozen["Income (not pinned)"]["peers"] == []  # no baseline: no comparison
    stored = PlanVersion.objects.get(pk=version.pk)
    assert publish_store.checksum_of(publish_store.content_of(stored)) == version.checksum
    words = "the 5 nearest peers found by the peer finder in release b, frozen when version 2 "
    words += "was published"
    # The peer finder finds other peers now (a new finder, or a new release): the draft
    # follows it, the published version keeps its peers, on every release it is read on.
    find_other_peers(monkeypatch)
    draft = by_title(world, "b")["Income (pinned)"]
    assert draft.peer_set == "the 2 nearest peers found by the peer finder (its default)"
    assert peer_medians(draft) == (25500.25, 31000)
    for release in ("b", "a"):
        indicators = [progress_store.Indicator.model_validate(d) for d in stored.indicators]
        read = {r.title: r for r in progress_store.rows_of(indicators, release).rows}
        assert read["Income (pinned)"].peer_set == words, release
        assert peer_medians(read["Income (pinned)"]) == (22000.25, 30500), release
    # the public page reads the same, and its CSV says which peers
    shown = public_store.public_progress(stored)
    assert {r.title: r.peer_set for r in shown.indicators}["Income (pinned)"] == words
    assert Client().get("/p/ramsey/").status_code == 200
    assert words in Client().get("/p/ramsey.csv").content.decode()
    # A version published before peers were frozen reads as it always did: the default
    # peers of the release read.
    old = {k: v for k, v in pinned.items() if not k.startswith("peers_")} | {"peers": []}
    (row,) = progress_store.rows_of([progress_store.Indicator.model_validate(old)], "b").rows
    assert row.peer_set == "the 2 nearest peers found by the peer finder (its default)"
