"""Both of Urban's releases, loaded side by side from the real files (marker ``full``).

The expectations are read from Urban's CSV files with Python's csv module, not through
Upward's loader.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from upward.cli import app
from upward.data.registry import Registry
from upward.data.release_map import shipped_map
from upward.data.warehouse import Warehouse

MISSING = ("", "NA")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def source_row(path: Path, **keys: str) -> dict[str, str]:
    found = [r for r in read_rows(path) if all(r.get(k) == v for k, v in keys.items())]
    assert len(found) == 1, (path, keys, len(found))
    return found[0]


def test_both_releases_load_and_the_later_is_current(full_releases: Registry) -> None:
    entries = {e.name: e for e in full_releases.releases()}
    assert set(entries) == {"2023.01", "2025.01"}
    assert full_releases.current_name() == "2025.01"
    assert entries["2023.01"].version == "mobility-from-poverty@5f8c583ce6e0 (v2023.01)"
    assert entries["2025.01"].version == "mobility-from-poverty@5aa12e3e08b1 (2025 data round)"
    assert entries["2023.01"].files_left_out == entries["2025.01"].files_left_out == 0
    assert entries["2025.01"].cells == 2_524_910


def test_every_file_of_2023_is_used_or_named_with_its_reason(
    full_releases: Registry, full_data_2023_dir: Path
) -> None:
    paths = [r["path"] for r in read_rows(full_data_2023_dir / "MANIFEST.csv")]
    release_map = shipped_map("2023.01")
    assert release_map is not None
    with Warehouse(full_releases.path("2023.01")) as wh:
        files = {f["path"]: f for f in wh.files()}
    assert set(files) == {*paths, "MANIFEST.csv"}
    for path, report in files.items():
        rule = release_map.rule(path)
        assert rule is not None, path
        notes = json.loads(report["notes"])
        if rule.use == "skip":
            assert report["kind"] == "ignored", path
            assert f"not used: {rule.why}" in notes, path
        else:
            assert report["kind"] in ("overall", "subgroup", "combined", "universe", "crosswalk")
    used = sum(1 for f in files.values() if f["kind"] != "ignored")
    assert used == 85


def test_every_quality_flag_of_2023_reaches_the_warehouse(
    full_releases: Registry, full_data_2023_dir: Path
) -> None:
    """A cell without a quality flag in the warehouse has none in its source row either.

    Before release maps, 150,848 values of 2023 (``pctl_20_quality`` for
    ``pctl_income_20``, ``hs_degree_quality``, ...) arrived without their flag.
    """
    with Warehouse(full_releases.path("2023.01")) as wh:
        flagged = wh.query("SELECT count(*) FROM observation WHERE quality IS NOT NULL")[0][0]
        unflagged = wh.query(
            """SELECT f.path, o.source_line, o.variable FROM observation o
               JOIN release_file f USING (file_id)
               WHERE o.value IS NOT NULL AND o.quality IS NULL"""
        )
        income = wh.query(
            "SELECT count(*) FROM observation WHERE variable LIKE 'pctl_income_%' "
            "AND value IS NOT NULL AND quality IS NULL"
        )[0][0]
    assert flagged > 800_000
    assert income == 0
    assert len(unflagged) < 3000
    release_map = shipped_map("2023.01")
    assert release_map is not None
    lines_by_file: dict[str, list[list[str]]] = {}
    checked = 0
    for path, line, variable in unflagged:
        if path not in lines_by_file:
            with (full_data_2023_dir / path).open(encoding="utf-8", newline="") as handle:
                lines_by_file[path] = list(csv.reader(handle))
        rows = lines_by_file[path]
        header, row = rows[0], rows[int(line) - 1]
        targets = release_map.renames(release_map.rule(path), tuple(header))
        flags = [row[i] for i, t in enumerate(targets) if f"{variable}_quality" in t]
        assert all(flag in MISSING for flag in flags), (path, line, variable, flags)
        checked += bool(flags)
    # pc_phys_quality is NA on 155 rows of access-health-services-2019.csv that have a value.
    assert checked >= 155


REVISIONS = [
    # variable, geoid, year, subgroup, 2023 file, 2025 file, value column, beyond both CIs
    (
        "share_hs_degree", "27123", 2018, "All",
        "08_education/metrics_college.csv",
        "08_education/data/final/metrics_college_county_all_longitudinal.csv",
        "share_hs_degree", True,
    ),
    (
        "rate_injury_death", "06037", 2019, "All",
        "04_health/exposure-to-trauma/exposure-to-trauma-2019.csv",
        "04_health/exposure-to-trauma/data/final/rate_injury_deaths_metric_all_county.csv",
        ("injury_death_rate", "rate_injury_death"), True,
    ),
    (
        "pctl_income_20", "27123", 2018, "All",
        "01_financial-well-being/data/final/metrics_income_county_all_longitudinal.csv",
        "01_financial-well-being/final/metrics_income_county_all_longitudinal.csv",
        "pctl_income_20", None,
    ),
    (
        "count_homeless", "01015", 2021, "Other Races and Ethnicities",
        "02_housing/data/final/homelessness_all_subgroups_county.csv",
        "02_housing/data/final/homelessness_2019-2022_subgroups_county.csv",
        "count_homeless", False,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("variable", "geoid", "year", "subgroup", "old_file", "new_file", "column", "beyond"),
    REVISIONS,
    ids=[r[0] for r in REVISIONS],
)
def test_hand_picked_revisions_match_both_releases_files(
    full_releases: Registry,
    full_data_dir: Path,
    full_data_2023_dir: Path,
    variable: str,
    geoid: str,
    year: int,
    subgroup: str,
    old_file: str,
    new_file: str,
    column: str | tuple[str, str],
    beyond: bool | None,
) -> None:
    old_column, new_column = (column, column) if isinstance(column, str) else column
    keys = {"year": str(year), "state": geoid[:2], "county": geoid[2:]}
    if subgroup != "All":
        keys["subgroup"] = subgroup
    old = source_row(full_data_2023_dir / old_file, **keys)
    new = source_row(full_data_dir / new_file, **keys)
    result = CliRunner().invoke(
        app,
        ["data", "diff", "2023.01", "2025.01", "--variable", variable, "--place", geoid,
         "--format", "json", "--warehouse", str(full_releases.warehouse)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    revisions = [
        r
        for r in json.loads(result.stdout)["revisions"]
        if r["year"] == year and r["subgroup"] == subgroup
    ]
    assert len(revisions) >= 1
    found = revisions[0]
    assert found["old"] == pytest.approx(float(old[old_column]), rel=1e-12)
    assert found["new"] == pytest.approx(float(new[new_column]), rel=1e-12)
    assert found["beyond_both_cis"] is beyond
    if beyond is not None:
        old_lb, old_ub = float(old[f"{old_column}_lb"]), float(old[f"{old_column}_ub"])
        new_lb, new_ub = float(new[f"{new_column}_lb"]), float(new[f"{new_column}_ub"])
        outside = not old_lb <= found["new"] <= old_ub and not new_lb <= found["old"] <= new_ub
        assert outside is beyond


def test_unchanged_variables_have_no_revisions(full_releases: Registry) -> None:
    # Urban re-estimated income percentiles but not low birth weight (README of v2023.01).
    from upward.data.revision import diff_releases

    diff = diff_releases(full_releases.path("2023.01"), full_releases.path("2025.01"))
    summary = {s.variable: s for s in diff.summary}
    assert summary["rate_low_birth_weight"].cells_in_both > 30_000
    assert summary["rate_low_birth_weight"].revised == 0
    assert summary["share_employed"].revised == 0
    assert summary["pctl_income_50"].revised > 0.9 * summary["pctl_income_50"].cells_in_both
    # 2023's residents' shares (descriptive representation) are 2025's, unrevised: read
    # from the denominator files, not from the earlier officials-to-residents ratios.
    assert summary["share_desc_rep_hispanic"].cells_in_both > 3000
    assert summary["share_desc_rep_hispanic"].revised == 0
    # 2023 publishes economic connectedness unhalved: not read as the 2025 share.
    assert "share_economic_connectedness" not in summary
