"""Releases side by side (registry, symlink, use, unknown names) and file-level ingest
robustness: each case fails before the fix of issue 8 items 10 to 12."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from upward.cli import app
from upward.data.contract import MalformedFile
from upward.data.ingest import NothingToLoad, ReleaseRefused, load_release, remove_stale_builds
from upward.data.registry import Registry, UnknownRelease
from upward.data.warehouse import Warehouse

LBW = "04_health/neonatal-health/data/final/rate_low_birth_weight_metric_all_county.csv"
TURNOUT = "05_local-governance/voter-turnout/voter-turnout-2020.csv"
INCOME = "01_financial-well-being/final/metrics_income_county_all_longitudinal.csv"


def copy_release(fixture_data_dir: Path, tmp_path: Path, name: str = "release") -> Path:
    target = tmp_path / name
    shutil.copytree(fixture_data_dir, target)
    return target


def lbw_2016_ramsey(path: Path) -> float:
    with Warehouse(path) as wh:
        rows = wh.query(
            "SELECT value FROM observation WHERE geoid = '27123' AND year = 2016 "
            "AND variable = 'rate_low_birth_weight' AND subgroup_type = 'all'"
        )
    return float(rows[0][0])


@pytest.fixture
def two_releases(tmp_path: Path, fixture_data_dir: Path) -> Registry:
    """Release 'old' from the fixture, then 'new' with Ramsey's 2016 rate revised."""
    warehouse = tmp_path / "home" / "warehouse.duckdb"
    load_release(fixture_data_dir, warehouse, release="old")
    revised = copy_release(fixture_data_dir, tmp_path)
    lbw = revised / LBW
    lbw.write_text(lbw.read_text().replace("2016,27,123,0.0785,", "2016,27,123,0.0795,"))
    load_release(revised, warehouse, release="new")
    return Registry(warehouse)


# --- the registry ----------------------------------------------------------------------


def test_releases_are_listed_and_the_last_load_is_current(two_releases: Registry) -> None:
    names = [e.name for e in two_releases.releases()]
    assert names == ["old", "new"]
    assert two_releases.current_name() == "new"
    assert two_releases.warehouse.is_symlink()
    entry = two_releases.get("old")
    assert entry.files == 24 and entry.cells > 0 and len(entry.checksum) == 64
    assert lbw_2016_ramsey(two_releases.warehouse) == 0.0795


def test_use_swaps_the_warehouse_and_changes_its_identity(two_releases: Registry) -> None:
    before = os.stat(two_releases.warehouse).st_ino
    two_releases.use("old")
    assert os.stat(two_releases.warehouse).st_ino != before
    assert lbw_2016_ramsey(two_releases.warehouse) == 0.0785
    assert two_releases.current_name() == "old"


def test_an_older_release_stays_readable(two_releases: Registry) -> None:
    assert lbw_2016_ramsey(two_releases.path("old")) == 0.0785
    assert lbw_2016_ramsey(two_releases.path("new")) == 0.0795
    with Warehouse.open_release(two_releases.warehouse, "old") as wh:
        assert wh.geography("27123").display_name == "Ramsey County, MN"
        assert wh.release_name == "old"
    with Warehouse(two_releases.warehouse) as wh:
        assert wh.release_name == "new"


def test_an_unknown_release_names_the_loaded_ones(two_releases: Registry) -> None:
    with pytest.raises(UnknownRelease) as caught:
        two_releases.use("nwe")
    assert str(caught.value) == "Unknown release 'nwe'. Did you mean: new?"
    result = CliRunner().invoke(
        app, ["data", "use", "nwe", "--warehouse", str(two_releases.warehouse)]
    )
    assert result.exit_code == 1 and "Did you mean: new?" in result.stderr


def test_reloading_a_name_replaces_its_file(two_releases: Registry, fixture_data_dir: Path) -> None:
    first = two_releases.get("old").file
    load_release(fixture_data_dir, two_releases.warehouse, release="old", make_current=False)
    assert two_releases.get("old").file != first
    assert not (two_releases.folder / first).exists()
    assert two_releases.current_name() == "new"


def test_a_plain_warehouse_is_adopted_as_a_release(tmp_path: Path, fixture_data_dir: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    load_release(fixture_data_dir, warehouse)  # no release: a plain file, as before
    assert warehouse.is_file() and not warehouse.is_symlink()
    load_release(fixture_data_dir, warehouse, release="2025.01", make_current=False)
    registry = Registry(warehouse)
    names = [e.name for e in registry.releases()]
    assert len(names) == 2 and names[0].startswith("legacy-") and "2025.01" in names
    assert registry.current_name() == names[0]
    assert lbw_2016_ramsey(warehouse) == 0.0785


def test_diff_lists_the_revised_cell(two_releases: Registry) -> None:
    result = CliRunner().invoke(
        app,
        ["data", "diff", "old", "new", "--format", "csv", "--warehouse",
         str(two_releases.warehouse)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == "Ramsey County, MN"
    assert row["geoid"] == "27123" and row["year"] == "2016"
    assert row["variable"] == "rate_low_birth_weight"
    assert (row["old"], row["new"]) == ("0.0785", "0.0795")
    # 0.0795 lies inside the old CI [0.0751, 0.0819]: not beyond both intervals.
    assert row["beyond_both_cis"] == "False"


# --- file-level robustness ---------------------------------------------------------------


def test_a_folder_with_only_a_manifest_keeps_the_warehouse(
    tmp_path: Path, fixture_data_dir: Path
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    load_release(fixture_data_dir, warehouse)
    before = warehouse.read_bytes()
    only = tmp_path / "only"
    only.mkdir()
    (only / "MANIFEST.csv").write_text("path,bytes,sha256\na.csv,1,ff\n")
    with pytest.raises(NothingToLoad, match="no metric file could be read"):
        load_release(only, warehouse, partial=True)
    assert warehouse.read_bytes() == before


def test_cr_only_line_endings_are_read(tmp_path: Path, fixture_data_dir: Path) -> None:
    release = copy_release(fixture_data_dir, tmp_path)
    path = release / LBW
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    report = load_release(release, tmp_path / "w.duckdb")
    note = next(f.notes for f in report.files if f.path == LBW)
    assert "lines end with CR only (old Mac style); read as lines" in note
    assert lbw_2016_ramsey(tmp_path / "w.duckdb") == 0.0785


@pytest.mark.parametrize(
    ("relpath", "rows", "column", "reason"),
    [
        pytest.param(TURNOUT, False, None, "the file has no data rows", id="header-only"),
        pytest.param(
            LBW,
            True,
            "rate_low_birth_weight_lb",
            "the file has this lb column of 'rate_low_birth_weight' but not its value column",
            id="bounds-without-value",
        ),
    ],
)
def test_a_file_that_would_lose_a_metric_is_refused_by_name(
    tmp_path: Path,
    fixture_data_dir: Path,
    relpath: str,
    rows: bool,
    column: str | None,
    reason: str,
) -> None:
    release = copy_release(fixture_data_dir, tmp_path)
    path = release / relpath
    lines = path.read_text().splitlines()
    if rows:  # the value column (the fourth) dropped; bounds and quality kept
        lines = [",".join(c for i, c in enumerate(row.split(",")) if i != 3) for row in lines]
    path.write_text("\n".join(lines if rows else lines[:1]) + "\n")
    with pytest.raises(ReleaseRefused) as caught:
        load_release(release, tmp_path / "w.duckdb")
    assert (caught.value.path, caught.value.column) == (relpath, column)
    assert caught.value.reason.startswith(reason)
    assert not (tmp_path / "w.duckdb").exists()


def test_upper_case_and_padded_headers_are_read(tmp_path: Path, fixture_data_dir: Path) -> None:
    release = copy_release(fixture_data_dir, tmp_path)
    path = release / LBW
    lines = path.read_text().splitlines()
    header = ", ".join(c.upper() for c in lines[0].split(","))
    path.write_text("\n".join([header, *lines[1:]]) + "\n")
    report = load_release(release, tmp_path / "w.duckdb")
    assert lbw_2016_ramsey(tmp_path / "w.duckdb") == 0.0785
    notes = next(f.notes for f in report.files if f.path == LBW)
    assert "header 'RATE_LOW_BIRTH_WEIGHT' read as 'rate_low_birth_weight'" in notes


def test_every_broken_file_is_reported_in_one_run_and_partial_loads_the_rest(
    tmp_path: Path, fixture_data_dir: Path
) -> None:
    release = copy_release(fixture_data_dir, tmp_path)
    (release / TURNOUT).write_text((release / TURNOUT).read_text().splitlines()[0] + "\n")
    income = release / INCOME
    income.write_text(income.read_text().replace("\n2014,27,053,", "\nabcd,27,053,", 1))
    with pytest.raises(ReleaseRefused) as caught:
        load_release(release, tmp_path / "w.duckdb")
    assert sorted(p.path for p in caught.value.problems) == sorted([TURNOUT, INCOME])

    report = load_release(release, tmp_path / "w.duckdb", partial=True)
    assert sorted(p.path for p in report.refused) == sorted([TURNOUT, INCOME])
    kinds = {f.path: f.kind for f in report.files}
    assert kinds[TURNOUT] == kinds[INCOME] == "refused"
    assert lbw_2016_ramsey(tmp_path / "w.duckdb") == 0.0785

    result = CliRunner().invoke(
        app, ["data", "load", str(release), "--warehouse", str(tmp_path / "x.duckdb")]
    )
    assert result.exit_code == 2 and "2 files could not be read" in result.stderr
    assert "--partial" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.duckdb").exists()

    result = CliRunner().invoke(
        app,
        ["data", "load", str(release), "--partial", "--warehouse", str(tmp_path / "x.duckdb")],
    )
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Left out (2 files, --partial)" in text
    assert f"{TURNOUT}: the file has no data rows" in text
    assert f"{INCOME}:2 column 'year': 'abcd' is not a four-digit year" in text


def test_a_combined_file_with_population_is_not_a_universe(
    tmp_path: Path, fixture_data_dir: Path
) -> None:
    release = copy_release(fixture_data_dir, tmp_path)
    (release / "data" / "02_mobility-metrics_race_longitudinal.csv").write_text(
        "year,state,county,state_name,county_name,population,subgroup_type,subgroup,"
        "share_digital_access,share_digital_access_quality\n"
        "2021,27,123,Minnesota,Ramsey County,550000,race-ethnicity,Hispanic,0.8,Strong\n"
    )
    report = load_release(release, tmp_path / "w.duckdb")
    kind = {f.path: f.kind for f in report.files}["data/02_mobility-metrics_race_longitudinal.csv"]
    assert kind == "combined"


def test_a_killed_load_leaves_files_the_next_load_removes(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    pid = int(dead.stdout)
    building = tmp_path / f".warehouse.duckdb.building-{pid}"
    building.write_bytes(b"half a warehouse")
    scratch = tmp_path / f".upward-load-{pid}"
    scratch.mkdir()
    wal = tmp_path / f".warehouse.duckdb.building-{pid}.wal"
    wal.write_bytes(b"log")
    link = tmp_path / f".warehouse.duckdb.link-{pid}"
    link.symlink_to("releases/gone.duckdb")
    mine = tmp_path / f".warehouse.duckdb.building-{os.getpid()}"
    mine.write_bytes(b"in progress")
    assert sorted(remove_stale_builds(tmp_path)) == sorted([building, scratch, wal, link])
    assert mine.exists() and not building.exists() and not scratch.exists()


def test_a_load_removes_a_killed_loads_files(tmp_path: Path, fixture_data_dir: Path) -> None:
    script = (
        "import os, sys, signal\n"
        "from pathlib import Path\n"
        "from upward.data import ingest\n"
        "def build_release(paths, building, *a):\n"
        "    Path(building).write_bytes(b'partial')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "ingest.build_release = build_release\n"
        "ingest.load_release(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    )
    warehouse = tmp_path / "warehouse.duckdb"
    killed = subprocess.run(
        [sys.executable, "-c", script, str(fixture_data_dir), str(warehouse)], check=False
    )
    assert killed.returncode == -9
    assert [p.name for p in tmp_path.glob(".*")], "the killed load left its files"
    load_release(fixture_data_dir, warehouse)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_malformed_file_is_still_the_base_of_refusals() -> None:
    assert issubclass(ReleaseRefused, MalformedFile) and issubclass(NothingToLoad, MalformedFile)


def test_a_file_the_map_calls_a_universe_must_be_one(
    tmp_path: Path, fixture_data_dir: Path
) -> None:
    release = copy_release(fixture_data_dir, tmp_path)
    universe = release / "geographic-crosswalks/data/county-populations.csv"
    universe.write_text("year,state,county,share_employed\n2021,27,123,0.7\n")
    with pytest.raises(ReleaseRefused) as caught:
        load_release(release, tmp_path / "w.duckdb", release="2025.01")
    problem = next(p for p in caught.value.problems if "county-populations" in p.path)
    assert problem.reason.startswith("the release map says this is a universe file")


def test_an_unnamed_load_over_named_releases_asks_for_a_name(
    two_releases: Registry, fixture_data_dir: Path
) -> None:
    before = os.readlink(two_releases.warehouse)
    result = CliRunner().invoke(
        app, ["data", "load", str(fixture_data_dir), "--warehouse", str(two_releases.warehouse)]
    )
    assert result.exit_code == 1
    assert "holds named releases: add --release NAME" in result.stderr
    assert os.readlink(two_releases.warehouse) == before


def test_a_damaged_registry_is_a_clear_error(two_releases: Registry) -> None:
    two_releases.file.write_text("{not json")
    result = CliRunner().invoke(
        app, ["data", "releases", "--warehouse", str(two_releases.warehouse)]
    )
    assert result.exit_code == 1
    assert "is not valid JSON" in result.stderr and "Traceback" not in result.stderr
