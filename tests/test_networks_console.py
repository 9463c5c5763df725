"""The technical-assistance console (issue 15, part 2): each team's stage derived from its
records, its real change since baseline from its public progress page, overdue actions and
stale data, only as far as the team shares each; the filter by track; the CSV; a team's
shared view; a shared record read-only, an unshared one 404."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from django.test import Client
from network_support import make_team
from test_networks_peers import income_indicator
from workspace_support import make_user, make_workspace, publish_plan, snapshot

from upward.planning.network_stage import REAL_CHANGE
from upward.web.data import get_release
from upward.web.measurement import public_store, publish_store
from upward.web.measurement.models import PlanVersion
from upward.web.networks import team_status
from upward.web.networks.models import SharedRecord
from upward.web.strategy.models import Approval
from upward.web.workspace.models import ConditionAnswer

pytest_plugins = ["workspace_support", "network_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def console_world(network_world: SimpleNamespace) -> SimpleNamespace:
    """maln: ramsey (track 1; every record of the workspace world, a 2014 income baseline
    republished so one indicator shows a real change), and quiet (track 2, owner quinn: a
    new workspace that shares neither its stage nor its progress)."""
    world = network_world
    income_indicator(world.workspace, world.priority, "27123", "Income since 2014")
    world.version = publish_plan(world.workspace, world.owner)
    world.quiet_owner = make_user("quinn")
    world.quiet = make_workspace(world.quiet_owner, "Quiet Coalition", "quiet")
    world.quiet_team = make_team(world.network, world.quiet, world.quiet_owner, world.other_track)
    world.quiet_team.share_stage = world.quiet_team.share_progress = False
    world.quiet_team.save()
    return world


def status_of(world: SimpleNamespace, team: object) -> team_status.TeamStatus:
    rows = team_status.team_statuses(team_status.network_teams(world.network))
    return next(r for r in rows if r.team == team)


def test_stage_is_derived_from_the_records(console_world: SimpleNamespace) -> None:
    world = console_world
    stage = status_of(world, world.team).stage
    assert stage is not None
    got = {s.stage.id: s.reached for s in stage.stages}
    # the world's assessment is fresh (no condition rated) and the model never approved
    assert got == {"readiness": False, "coalition": True, "engagement": True, "findings": True,
                   "logic_model": False, "measures": True, "published": True}  # fmt: skip
    assert stage.current is not None and stage.current.id == "published"
    assert [g.id for g in stage.gaps] == ["readiness", "logic_model"]
    # rating every condition and approving the model fills the gaps
    ConditionAnswer.objects.filter(assessment=world.assessment).update(version=2)
    Approval.objects.create(workspace=world.workspace, subject="model", fingerprint="x")
    stage = status_of(world, world.team).stage
    assert stage is not None and stage.gaps == () and len(stage.reached) == 7


def test_real_change_is_the_public_pages_numbers(console_world: SimpleNamespace) -> None:
    world = console_world
    progress = status_of(world, world.team).progress
    assert progress.shared and progress.version == world.version.number
    assert progress.change is not None
    public = public_store.public_progress(world.version)
    assert progress.change.total == len(public.indicators) == 4
    real = [r.status for r in public.indicators if r.status in REAL_CHANGE]
    # the fixture's changes are all inside the noise (2014 income in 2023 dollars) or not
    # comparable yet: none is a real change, as the public page says
    assert progress.change.changed == len(real) == 0
    assert progress.release == public.release
    # withdrawn page, or progress not shared: nothing shown
    publish_store.set_public(world.workspace, world.owner, False)
    assert status_of(world, world.team).progress.note == "no public progress page"
    publish_store.set_public(world.workspace, world.owner, True)
    world.team.share_progress = False
    world.team.save()
    assert status_of(world, world.team).progress.note == team_status.NOT_SHARED


def test_a_tested_change_counts_and_is_kept_per_version(
    console_world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row the classifier calls improving counts; the count is kept in the release's
    cache by the version (computed once), and a new version is computed again."""
    world = console_world
    real = public_store.public_progress
    calls = []

    def fake(version: PlanVersion) -> public_store.PublicProgress:
        calls.append(version.number)
        found = real(version)
        rows = (found.indicators[0].model_copy(update={"status": "improving"}),
                *found.indicators[1:])  # fmt: skip
        return found.model_copy(update={"indicators": rows})

    monkeypatch.setattr(team_status.public_store, "public_progress", fake)
    get_release().invalidate()
    for _ in range(2):
        change = status_of(world, world.team).progress.change
        assert change is not None and change.words == "1 of 4 indicators"
        assert change.by_status == (("improving", 1),)
    assert calls == [world.version.number]
    publish_plan(world.workspace, world.owner)
    status_of(world, world.team)
    assert calls == [world.version.number, world.version.number + 1]


def test_overdue_and_stale(console_world: SimpleNamespace) -> None:
    status = status_of(console_world, console_world.team)
    assert status.overdue == 1  # the world's action, due three days ago
    # the world's refresh is of release "fixture", not the current one
    assert status.stale and "not refreshed on the current release" in status.stale[0]
    assert status.last_activity is not None


def test_a_team_that_shares_nothing_shows_not_shared(
    console_world: SimpleNamespace, client: Client
) -> None:
    world = console_world
    status = status_of(world, world.quiet_team)
    assert status.stage is None and not status.shares_stage
    assert status.progress.note == team_status.NOT_SHARED
    client.force_login(world.adviser)
    page = client.get(f"/n/{world.network.slug}/").content.decode()
    row = page.split(f'data-team="{world.quiet_team.pk}"')[1].split("</tr>")[0]
    assert row.count("Not shared") >= 4


def test_console_lists_teams_filters_by_track_and_changes_nothing(
    console_world: SimpleNamespace, client: Client
) -> None:
    world = console_world
    client.force_login(world.adviser)
    before = snapshot()
    page = client.get(f"/n/{world.network.slug}/").content.decode()
    assert "Ramsey Mobility Coalition" in page and "Quiet Coalition" in page
    assert "Ramsey County" in page  # its place
    assert "Harbor Coalition" not in page  # another network's team
    assert f"/n/{world.network.slug}/teams/{world.team.pk}/" in page
    one = client.get(f"/n/{world.network.slug}/?track={world.other_track.slug}").content.decode()
    assert "Quiet Coalition" in one and "Ramsey Mobility Coalition" not in one
    bad = client.get(f"/n/{world.network.slug}/?track=nope&sort=nope")
    assert bad.status_code == 200 and "Ramsey Mobility Coalition" in bad.content.decode()
    by_stage = client.get(f"/n/{world.network.slug}/?sort=stage").content.decode()
    assert by_stage.index("Ramsey Mobility") < by_stage.index("Quiet Coalition")
    assert snapshot() == before


def test_console_csv_is_formula_safe(console_world: SimpleNamespace, client: Client) -> None:
    world = console_world
    world.quiet.name = "=HYPERLINK(1)"
    world.quiet.save()
    client.force_login(world.operator)
    response = client.get(f"/n/{world.network.slug}/console.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_name = {r["team"]: r for r in rows}
    assert "'=HYPERLINK(1)" in by_name
    assert by_name["'=HYPERLINK(1)"]["stage"] == "not shared"
    ramsey = by_name["Ramsey Mobility Coalition"]
    assert ramsey["stage"] == "MAP published" and ramsey["overdue_actions"] == "1"
    assert (ramsey["real_change"], ramsey["indicators"]) == ("0", "4")
    filtered = client.get(f"/n/{world.network.slug}/console.csv?track={world.track.slug}")
    assert "Quiet" not in filtered.content.decode()


def test_a_team_member_sees_their_team_not_the_console(
    console_world: SimpleNamespace, client: Client
) -> None:
    world = console_world
    client.force_login(world.viewer)
    page = client.get(f"/n/{world.network.slug}/").content.decode()
    assert "Technical-assistance console" not in page and "Quiet Coalition" not in page
    assert f"/n/{world.network.slug}/teams/{world.team.pk}/" in page
    assert client.get(f"/n/{world.network.slug}/console.csv").status_code == 404
    assert client.get(f"/n/{world.network.slug}/teams/{world.quiet_team.pk}/").status_code == 404
    assert client.get(f"/n/{world.network.slug}/teams/{world.team.pk}/").status_code == 200


def test_team_view_lists_shared_records_and_links_the_public_page(
    console_world: SimpleNamespace, client: Client
) -> None:
    world = console_world
    client.force_login(world.adviser)
    page = client.get(f"/n/{world.network.slug}/teams/{world.team.pk}/").content.decode()
    assert "/p/ramsey/" in page
    assert world.priority.title in page
    assert f"/shared/priority/{world.priority.pk}/" in page
    assert world.stakeholder.name not in page  # never the private workspace
    quiet = client.get(f"/n/{world.network.slug}/teams/{world.quiet_team.pk}/").content.decode()
    assert "Not shared" in quiet and "/p/quiet/" not in quiet


def test_shared_record_read_and_unshared_404(
    console_world: SimpleNamespace, client: Client
) -> None:
    world = console_world
    base = f"/n/{world.network.slug}/teams/{world.team.pk}/shared"
    client.force_login(world.adviser)
    page = client.get(f"{base}/priority/{world.priority.pk}/").content.decode()
    assert world.priority.title in page and "Opportunities for income" in page
    # not shared: 404, like a non-member's
    unshared = (("measure", world.population.pk), ("vision", 0),
                ("assessment", world.assessment.pk), ("nonsense", 1),
                ("priority", world.priority.pk + 99))  # fmt: skip
    for kind, pk in unshared:
        assert client.get(f"{base}/{kind}/{pk}/").status_code == 404, kind
    # another network's team: 404
    rival = f"/n/{world.network.slug}/teams/{world.rival_team.pk}/"
    assert client.get(rival).status_code == 404


@pytest.mark.parametrize(
    ("kind", "attr", "words"),
    [
        ("assessment", "assessment", "Conditions met"),
        ("measure", "population", "Baseline"),
        ("action", "action", "In progress"),
        ("vision", None, "Every family in Ramsey County thrives."),
        ("theory", None, "train with employers"),
        ("logic_model", None, "Employers hire locally"),
        ("findings_summary", None, "Summary of Upward Mobility Findings"),
    ],
)
def test_each_kind_reads_as_a_summary(
    console_world: SimpleNamespace, client: Client, kind: str, attr: str | None, words: str
) -> None:
    world = console_world
    object_id = getattr(world, attr).pk if attr else 0
    SharedRecord.objects.create(team=world.team, kind=kind, object_id=object_id)
    client.force_login(world.adviser)
    url = f"/n/{world.network.slug}/teams/{world.team.pk}/shared/{kind}/{object_id}/"
    response = client.get(url)
    assert response.status_code == 200, url
    assert words in response.content.decode()


def test_a_shared_id_of_another_workspace_is_404(
    console_world: SimpleNamespace, client: Client
) -> None:
    """A share naming a record of another workspace (never made by the pages) shows nothing."""
    world = console_world
    from upward.web.strategy.models import Priority

    other = Priority.objects.create(
        workspace=world.rival_workspace, geoid="27053", predictor="x", metric="m",
        variable="v", title="Harbor's own",
    )  # fmt: skip
    SharedRecord.objects.create(team=world.team, kind="priority", object_id=other.pk)
    client.force_login(world.adviser)
    url = f"/n/{world.network.slug}/teams/{world.team.pk}/shared/priority/{other.pk}/"
    assert client.get(url).status_code == 404
