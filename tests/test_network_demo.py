"""`upward network demo`: the seed page read by a pure parser, each member resolved to its
place (a city Urban's city data leaves out as its county, by the crosswalk), the demo
network built in one transaction, run again it does nothing, and beside other data it asks.

On the fixture warehouse (a copy with a small made-up crosswalk, so a city can fall back to
its county) and the seed page tests/fixtures/network-seeds/network-page.txt; the real page
and warehouse in the full-data test at the end."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURE_DATA, shared_data_dir
from django.contrib.auth import get_user_model
from typer.testing import CliRunner
from workspace_support import make_user, make_workspace

from upward.cli import app
from upward.data.ingest import load_release
from upward.explore import Release
from upward.planning import network as vocab
from upward.planning.network_seeds import SeedError, parse_network_page
from upward.web.networks import demo
from upward.web.networks.models import Network, NetworkInvitation, Staff, Team, Track
from upward.web.workspace.models import Activity, Membership, Workspace

SEEDS = Path(__file__).parent / "fixtures" / "network-seeds"
PAGE = SEEDS / "network-page.txt"
# Made-up rows in Geocorr's columns: Roseville (too small for the fixture's city data) in
# Ramsey County, two places called Lakeview in Minnesota, St. Paul (in the city data).
CROSSWALK = (
    (
        "countyfip,state,place,stab,CountyName,PlaceName,population,afact2,afact,"
        "population_vintage,crosswalk_period\n"
    )
    + """27123,27,55852,MN,Ramsey MN,"Roseville city, MN",36000,1,0.0655,2020,2022-2029
27053,27,35000,MN,Hennepin MN,"Lakeview city, MN",900,1,0.0007,2020,2022-2029
27123,27,35001,MN,Ramsey MN,"Lakeview CDP, MN",800,1,0.0015,2020,2022-2029
27123,27,58000,MN,Ramsey MN,"St. Paul city, MN",311000,1,0.5664,2020,2022-2029
"""
)


@pytest.fixture(scope="module")
def crosswalk_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture release with the crosswalk above."""
    folder = tmp_path_factory.mktemp("network-demo") / "mobility-data"
    shutil.copytree(FIXTURE_DATA, folder)
    (folder / "geographic-crosswalks" / "data" / "geocorr2022_county_place.csv").write_text(
        CROSSWALK, encoding="utf-8"
    )
    target = folder.parent / "warehouse.duckdb"
    load_release(folder, target)
    return target


@pytest.fixture
def release(crosswalk_warehouse: Path) -> Iterator[Release]:
    with Release.open(crosswalk_warehouse) as opened:
        yield opened


# The page ------------------------------------------------------------------------------


def test_the_page_gives_its_tracks_and_members() -> None:
    seed = parse_network_page(PAGE.read_text(encoding="utf-8"))
    assert [t.name for t in seed.tracks] == ["Reading the Numbers", "Listening First"]
    assert seed.tracks[0].description.startswith("Teams practise reading local data")
    assert seed.tracks[0].localities == ("Ramsey County, MN", "Tulsa, OK", "Roseville, MN")
    assert seed.tracks[1].localities == ("St. Paul, MN", "Hennepin County, MN")
    assert [(loc, t.name) for loc, t in seed.localities][-1] == (
        "Hennepin County, MN",
        "Listening First",
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Heading\nAbout it.\n- Tulsa\n", "line 3: 'Tulsa' is not a member written 'Name, ST'"),
        ("Heading\nAbout it.\n- Tulsa, OK\n- Tulsa, OK\n", "Tulsa, OK is listed twice"),
        ("Nothing listed here.\n", "no members found"),
        ("- Tulsa, OK\n", "no track heading and description"),
        ("A sentence.\nAbout it.\n- Tulsa, OK\n", "does not read as a track's heading"),
        ("All 3 localities.\nHeading\nAbout it.\n- Tulsa, OK\n", "says 3 localities but lists 1"),
        ("H\nA.\n- Tulsa, OK\nH\nB.\n- Dallas, TX\n", "the track H appears twice"),
    ],
)
def test_a_malformed_page_says_where_and_why(text: str, words: str) -> None:
    with pytest.raises(SeedError, match=words):
        parse_network_page(text)


def test_the_seeds_folder_gives_the_network_page(tmp_path: Path) -> None:
    assert demo.seed_file(SEEDS) == PAGE
    with pytest.raises(demo.DemoRefused, match="No seeds at"):
        demo.seed_file(tmp_path / "missing")
    (tmp_path / "a.txt").write_text("no network here", encoding="utf-8")
    with pytest.raises(demo.DemoRefused, match="found none"):
        demo.seed_file(tmp_path)
    (tmp_path / "bad.txt").write_text("Learning Network\nNetwork members\n- X\n", "utf-8")
    with pytest.raises(demo.DemoRefused, match=r"bad\.txt: line 3"):
        demo.read_seed(tmp_path)


# Places --------------------------------------------------------------------------------


def test_each_member_resolves_to_its_place_or_says_why(release: Release) -> None:
    found = {r.locality: r for r in demo.resolve_seed(release, demo.read_seed(PAGE))}
    assert {loc: (r.place.geoid if r.place else None) for loc, r in found.items()} == {
        "Ramsey County, MN": "27123",
        "Tulsa, OK": "4075000",
        "Roseville, MN": "27123",
        "St. Paul, MN": "2758000",
        "Hennepin County, MN": "27053",
    }
    assert [loc for loc, r in found.items() if r.fallback] == ["Roseville, MN"]
    note = found["Roseville, MN"].note
    assert "not among Urban's cities" in note and "Ramsey County, MN" in note
    assert len(note) <= Team._meta.get_field("place_note").max_length
    lakeview = demo.resolve_locality(release, "Lakeview, MN")
    assert lakeview.place is None and "Lakeview CDP, MN; Lakeview city, MN" in lakeview.problem
    nowhere = demo.resolve_locality(release, "Nowhere, MN")
    assert nowhere.place is None
    assert "no city is called Nowhere, MN" in nowhere.problem and "crosswalk" in nowhere.problem
    # a county is looked for among counties: Tulsa County, not the city of Tulsa
    assert demo.resolve_locality(release, "Tulsa County, OK").place.geoid == "40143"


# The network ---------------------------------------------------------------------------


@pytest.mark.db
@pytest.mark.django_db
def test_builds_the_network_with_its_tracks_teams_and_staff(release: Release) -> None:
    lines: list[str] = []
    owner = make_user("coalition-owner")
    mine = make_workspace(owner, "Ramsey demo coalition", "ramsey-demo")
    built = demo.build_network_demo(
        release, lines.append, {"Ramsey County, MN": mine}, seeds=PAGE, password="demo-pass-1"
    )
    network = Network.objects.get()
    assert built.created and network.is_demo and network.slug == demo.NETWORK_SLUG
    assert [t.name for t in network.tracks.all()] == ["Reading the Numbers", "Listening First"]
    teams = {t.workspace.geoids[0] if t.workspace.geoids else "": t for t in network.teams.all()}
    assert len(network.teams.all()) == 5
    ramsey = Team.objects.get(workspace=mine)
    assert ramsey.consented_by == owner and ramsey.track.name == "Reading the Numbers"
    roseville = Team.objects.get(workspace__slug="demo-maln-roseville-mn")
    assert "not among Urban's cities" in roseville.place_note
    assert roseville.workspace.geoids == ["27123"] and "DEMO" in roseville.workspace.description
    assert "(demo)" in roseville.workspace.name
    assert roseville.consented_by.username == "maln-owner"
    # consent as a coalition gives it: an invitation of the operator, accepted by the owner
    invitations = NetworkInvitation.objects.filter(network=network)
    assert invitations.count() == 5 and all(i.accepted_at for i in invitations)
    assert invitations.get(accepted_by=owner).track.name == "Reading the Numbers"
    joined = Activity.objects.get(workspace=roseville.workspace, verb="joined the learning network")
    assert joined.actor.username == "maln-owner" and "Reading the Numbers" in joined.detail
    assert all(t.status == vocab.TEAM_ACTIVE and t.share_stage for t in teams.values())
    assert {(s.user.username, s.role) for s in Staff.objects.all()} == {
        ("maln-operator", vocab.OPERATOR),
        ("maln-adviser", vocab.ADVISER),
    }
    operator = get_user_model().objects.get(username="maln-operator")
    assert operator.check_password("demo-pass-1") and operator.email.endswith(".invalid")
    text = "\n".join(lines)
    assert "1 placed in their county" in text and "Roseville, MN -> Ramsey County, MN" in text
    assert "maln-adviser / demo-pass-1" in text and "demo data only" in text
    # again: nothing to do, nothing added
    again: list[str] = []
    second = demo.build_network_demo(release, again.append, seeds=PAGE)
    assert not second.created and "nothing to do" in again[0]
    assert Network.objects.count() == 1 and Team.objects.count() == 5


@pytest.mark.db
@pytest.mark.django_db
def test_a_given_workspace_replaces_its_blank_demo_team_later(release: Release) -> None:
    demo.build_network_demo(release, seeds=PAGE)
    blank = Workspace.objects.get(slug="demo-maln-ramsey-county-mn")
    owner = make_user("later-owner")
    mine = make_workspace(owner, "Ramsey coalition", "ramsey-later")
    lines: list[str] = []
    done = demo.build_network_demo(release, lines.append, {"Ramsey County, MN": mine}, seeds=PAGE)
    assert done.replaced == ["Ramsey County, MN"] and "now joined" in lines[0]
    assert not Workspace.objects.filter(pk=blank.pk).exists()
    team = Team.objects.get(workspace=mine)
    assert team.consented_by == owner and team.track.name == "Reading the Numbers"
    assert Team.objects.count() == 5


@pytest.mark.db
@pytest.mark.django_db
def test_unresolved_members_build_nothing_unless_allowed(
    warehouse_env: Path, release: Release
) -> None:
    with Release.open(warehouse_env) as plain:  # no crosswalk: Roseville has no place
        with pytest.raises(demo.DemoRefused) as refused:
            demo.build_network_demo(plain, seeds=PAGE)
        assert "1 of 5 members" in str(refused.value) and "Roseville, MN: no city" in str(
            refused.value
        )
        assert not Network.objects.exists() and not Workspace.objects.exists()
        assert not get_user_model().objects.exists()
        built = demo.build_network_demo(plain, seeds=PAGE, allow_unresolved=True)
    assert built.created
    team = Team.objects.get(workspace__slug="demo-maln-roseville-mn")
    assert team.workspace.geoids == [] and team.place_note.startswith("No place:")


@pytest.mark.db
@pytest.mark.django_db
def test_a_failure_midway_leaves_nothing(release: Release) -> None:
    Workspace.objects.create(name="Taken", slug="demo-maln-st-paul-mn")  # the 4th team's
    with pytest.raises(demo.DemoRefused, match="demo-maln-st-paul-mn"):
        demo.build_network_demo(release, seeds=PAGE)
    assert not Network.objects.exists() and not Track.objects.exists()
    assert Workspace.objects.count() == 1 and not Membership.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.db
@pytest.mark.django_db
def test_refuses_names_held_by_real_data(release: Release) -> None:
    make_user("maln-adviser")
    with pytest.raises(demo.DemoRefused, match="maln-adviser exists and is not a demo account"):
        demo.build_network_demo(release, seeds=PAGE)
    with pytest.raises(demo.DemoRefused, match=r"No member .* is called Duluth, MN"):
        demo.build_network_demo(release, workspaces={"Duluth, MN": Workspace()}, seeds=PAGE)
    assert not Network.objects.exists()


# The command ---------------------------------------------------------------------------


@pytest.mark.db
@pytest.mark.django_db
def test_the_command_asks_before_building_beside_other_data(crosswalk_warehouse: Path) -> None:
    runner = CliRunner()
    args = ["network", "demo", str(SEEDS), "--warehouse", str(crosswalk_warehouse)]
    make_user("someone")
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "holds other data (1 user)" in refused.output
    assert "--yes" in refused.output and not Network.objects.exists()
    built = runner.invoke(app, [*args, "--yes"])
    assert built.exit_code == 0, built.output
    assert "Built the demo network" in built.output and "maln-operator / " in built.output
    assert "Roseville, MN -> Ramsey County, MN (county 27123): Roseville, MN is not" in (
        built.output
    )
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "nothing to do" in again.output
    bad = runner.invoke(app, ["network", "demo", str(SEEDS / "other-seed.txt")])
    assert bad.exit_code == 1 and "other-seed.txt: line 2: 'Not a member'" in bad.output


# The real page on the full release ------------------------------------------------------

REAL_FALLBACKS = {"Dubuque, IA": "19061"}


@pytest.mark.full
def test_all_26_members_resolve_on_the_full_release(full_warehouse_path: Path) -> None:
    seeds = shared_data_dir().parent / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the seeds are not at {seeds}")
    seed = demo.read_seed(seeds)
    assert [len(t.localities) for t in seed.tracks] == [6, 9, 3, 8]
    with Release.open(full_warehouse_path) as full:
        found = demo.resolve_seed(full, seed)
    assert len(found) == 26 and all(r.place is not None for r in found), [
        r.line() for r in found if r.place is None
    ]
    fallbacks = {r.locality: r.place.geoid for r in found if r.fallback}
    assert fallbacks == REAL_FALLBACKS
    kinds = {r.locality: r.place.geo_level for r in found}
    # every member is the kind the page writes: "... County" a county, else a city
    assert all(
        (kinds[loc] == "county") == ("County" in loc) for loc in kinds if loc not in fallbacks
    )
    assert {r.locality: r.place.geoid for r in found}["Green Bay, WI"] == "5531000"
    assert {r.locality: r.place.geoid for r in found}["Hammond, IN"] == "1831000"


@pytest.mark.db
@pytest.mark.django_db
def test_the_command_in_a_terminal_asks_and_a_no_changes_nothing(
    crosswalk_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("upward.cli_network._interactive", lambda: True)
    monkeypatch.setenv(demo.SEEDS_ENV, str(SEEDS))  # the default seeds
    make_user("someone")
    args = ["network", "demo", "--warehouse", str(crosswalk_warehouse)]
    declined = CliRunner().invoke(app, args, input="n\n")
    assert declined.exit_code == 1 and "Add the demo network beside it?" in declined.output
    assert "Nothing was changed" in declined.output and not Network.objects.exists()
    accepted = CliRunner().invoke(app, args, input="y\n")
    assert accepted.exit_code == 0 and Team.objects.count() == 5


@pytest.mark.db
@pytest.mark.django_db
def test_the_command_names_the_unresolved_members(warehouse_env: Path) -> None:
    args = ["network", "demo", str(PAGE), "--warehouse", str(warehouse_env)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1 and "1 of 5 members" in refused.output
    assert "Roseville, MN: no city is called Roseville, MN" in refused.output
    assert not Network.objects.exists()
    built = CliRunner().invoke(app, [*args, "--allow-unresolved"])
    assert built.exit_code == 0 and "1 without a place" in built.output
    assert "Roseville, MN: NOT RESOLVED: no city" in built.output
