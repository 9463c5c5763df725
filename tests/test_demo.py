"""``upward demo``: the made-up Ramsey County coalition through every stage, on two
releases (the fixture release loaded as 2023.01 and as 2025.01, 2025.01 current: fast, and
the same code paths as Urban's files), its public page in English and Spanish, its team in
the demo network; beside other data it asks or refuses, and run again it refuses unless
--replace. Without both releases it says what is missing, and nothing is built."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURE_DATA, shared_data_dir
from django.test import Client
from typer.testing import CliRunner
from workspace_support import make_user, snapshot

from upward.cli import app
from upward.data.ingest import load_release
from upward.data.registry import Registry
from upward.web import data as web_data
from upward.web import demo
from upward.web.knowledge.models import (
    Code,
    Engagement,
    Excerpt,
    FindingsSummary,
    LocalSeries,
    Note,
    Official,
)
from upward.web.measurement.models import (
    Action,
    Baseline,
    FundingSource,
    LearningPlan,
    Measure,
    PlanVersion,
    ProgressRefresh,
    Sustainability,
    Target,
)
from upward.web.networks.models import Network, Team
from upward.web.strategy.models import (
    Approval,
    Element,
    Link,
    Priority,
    Strategy,
    TheoryOfChange,
    VisionVersion,
)
from upward.web.workspace.models import (
    Assessment,
    CoalitionStructure,
    Membership,
    PreparednessTask,
    Stakeholder,
    Workgroup,
    Workspace,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]
SEED = """A made-up network page for the demo's test.
About the Network
Teams of this made-up Learning Network meet monthly.
Network members
Reading the Numbers
Teams practise reading local data together.
- Ramsey County, MN
Listening First
Teams hold listening sessions first.
- St. Paul, MN
"""


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture release loaded as 2023.01 and as 2025.01 (current)."""
    home = tmp_path_factory.mktemp("demo-releases")
    registry = Registry(home / "warehouse.duckdb")
    load_release(FIXTURE_DATA, registry.warehouse, release="2023.01")
    load_release(FIXTURE_DATA, registry.warehouse, release="2025.01")
    return home / "warehouse.duckdb"


@pytest.fixture
def env(two_releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Path:
    from workspace_support import use_tmp_storage

    use_tmp_storage(settings, tmp_path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(two_releases))
    monkeypatch.setenv("UPWARD_DEMO_PASSWORD", "Demo-Password-2025")
    seed = tmp_path / "seed.txt"
    seed.write_text(SEED, encoding="utf-8")
    monkeypatch.setenv("UPWARD_SEEDS", str(seed))
    web_data.reset()
    yield two_releases
    web_data.reset()


def run(*args: str) -> Any:
    return CliRunner().invoke(app, ["demo", *args])


def test_the_demo_builds_every_stage(env: Path) -> None:
    done = run("--yes")
    assert done.exit_code == 0, done.output
    ws = Workspace.objects.get(slug=demo.SLUG)
    assert "(demo)" in ws.name and ws.description.startswith("DEMO")
    assert ws.geoids == ["27123"]
    assert sorted(Membership.objects.filter(workspace=ws).values_list("role", flat=True)) == [
        "editor", "owner", "viewer"
    ]  # fmt: skip
    kinds_of_record = (Assessment, Stakeholder, Workgroup, Engagement, Code, Note, Excerpt,
                       Official, LocalSeries, FindingsSummary, Priority, VisionVersion,
                       TheoryOfChange, Strategy, Element, Link, Measure, Baseline, Target,
                       Action, Sustainability, FundingSource, LearningPlan, PlanVersion,
                       ProgressRefresh)  # fmt: skip
    for model in kinds_of_record:
        assert model.objects.filter(workspace=ws).exists(), model.__name__
    assert PreparednessTask.objects.filter(assessment__workspace=ws).exists()
    assessment = Assessment.objects.get(workspace=ws)
    assert all(a.version > 1 for a in assessment.answers.all())  # every condition rated
    assert CoalitionStructure.objects.get(workspace=ws).backbone is not None
    assert Approval.objects.filter(workspace=ws, subject="model").exists()
    assert Approval.objects.filter(workspace=ws, subject="vision").exists()
    kinds = set(Measure.objects.filter(workspace=ws).values_list("kind", flat=True))
    assert kinds == {"population", "performance", "systems_change"}
    assert {b.release for b in Baseline.objects.filter(workspace=ws)} == {"2023.01"}
    assert Target.objects.filter(workspace=ws).count() == 2
    assert ProgressRefresh.objects.filter(workspace=ws, release="2025.01").exists()
    assert PlanVersion.objects.filter(workspace=ws, number=1).exists()
    team = Team.objects.get(workspace=ws)
    assert team.network.slug == "mobility-action-learning-network" and team.network.is_demo
    for words in (f"/w/{demo.SLUG}/", f"/p/{demo.SLUG}/", "demo-owner / Demo-Password-2025",
                  "demo-editor", "demo-viewer", "maln-operator", "maln-adviser"):  # fmt: skip
        assert words in done.output, words
    client = Client()
    for lang, words in (("en", "Our progress"), ("es", "El texto del plan es de la coalición")):
        page = client.get(f"/p/{demo.SLUG}/?lang={lang}")
        assert page.status_code == 200, lang
        text = page.content.decode()
        assert f'<html lang="{lang}">' in text and words in text, lang
        assert "Ramsey County Mobility Coalition (demo)" in text
    english = client.get(f"/p/{demo.SLUG}/").content.decode()
    assert "Baselines from release 2023.01" in english
    assert "latest values from release 2025.01" in english
    assert Registry(env).current_name() == "2025.01"  # 2023.01 was current only while it built
    assert client.login(username="demo-owner", password="Demo-Password-2025")
    assert client.get(f"/w/{demo.SLUG}/").status_code == 200


def test_a_second_run_is_refused_and_replace_builds_again(env: Path) -> None:
    assert run("--yes").exit_code == 0
    kept = run("--if-missing")
    assert kept.exit_code == 0 and "there already: nothing to do" in kept.output
    first = Workspace.objects.get(slug=demo.SLUG).pk
    before = snapshot()
    again = run("--yes")
    assert again.exit_code == 1 and "--replace" in again.output
    assert snapshot() == before
    replaced = run("--yes", "--replace")
    assert replaced.exit_code == 0, replaced.output
    ws = Workspace.objects.get(slug=demo.SLUG)
    assert ws.pk != first
    assert Team.objects.filter(workspace=ws).exists()
    assert Network.objects.count() == 1


def test_a_database_with_data_is_refused_without_yes(env: Path) -> None:
    make_user("someone")
    before = snapshot()
    refused = run()  # the runner's input is not a terminal
    assert refused.exit_code == 1
    assert "holds other data (1 user)" in refused.output and "--yes" in refused.output
    assert snapshot() == before


def test_without_both_releases_it_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture_warehouse_path: Path
) -> None:
    registry = Registry(tmp_path / "warehouse.duckdb")
    load_release(FIXTURE_DATA, registry.warehouse, release="2025.01")
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    web_data.reset()
    before = snapshot()
    refused = run("--yes")
    web_data.reset()
    assert refused.exit_code == 1
    assert "release 2023.01 is not loaded" in refused.output
    assert snapshot() == before


def test_run_sh_is_valid_bash() -> None:
    assert shutil.which("bash")
    subprocess.run(["bash", "-n", str(ROOT / "scripts" / "run.sh")], check=True)


@pytest.mark.full
def test_the_demo_on_urbans_two_releases(
    full_releases: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """On Urban's files (the run's shared releases, linked): the high-school share's
    baseline is 2021's 87.8% from 2023.01, and 2025.01 revised it (92.0%); the real seed
    page's 26 members join, Ramsey County, MN as this coalition."""
    import os

    from workspace_support import use_tmp_storage

    path = tmp_path / "home" / "warehouse.duckdb"
    folder = path.parent / "releases"
    folder.mkdir(parents=True)
    for entry in full_releases.releases():
        try:
            os.link(full_releases.folder / entry.file, folder / entry.file)
        except OSError:
            (folder / entry.file).symlink_to(full_releases.folder / entry.file)
    shutil.copy(full_releases.file, folder / "registry.json")
    Registry(path).use("2025.01")
    use_tmp_storage(settings, tmp_path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(path))
    monkeypatch.delenv("UPWARD_SEEDS", raising=False)
    web_data.reset()
    try:
        done = run("--yes", "--seeds", str(shared_data_dir().parent / "seeds"))
        assert done.exit_code == 0, done.output
        ws = Workspace.objects.get(slug=demo.SLUG)
        hs = Baseline.objects.get(workspace=ws, variable="share_hs_degree")
        assert (hs.release, hs.year, round(hs.value, 3)) == ("2023.01", 2021, 0.878)
        refresh = ProgressRefresh.objects.get(workspace=ws, release="2025.01")
        assert refresh.revised, refresh.revised
        assert Team.objects.filter(network__slug="mobility-action-learning-network").count() == 26
        page = Client().get(f"/p/{demo.SLUG}/")
        assert page.status_code == 200 and "92.0%" in page.content.decode()
    finally:
        web_data.reset()
