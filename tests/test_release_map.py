"""Release maps: the shipped ones are checked against the catalog and Urban's manifests;
a map with a mistake is refused with the entry at fault; a draft places what it can and
lists the rest."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from upward.catalog import get_catalog
from upward.cli import app
from upward.data.ingest import load_release
from upward.data.manifest import load_manifest
from upward.data.map_draft import draft_map
from upward.data.release_map import MapError, parse_map, shipped_map, shipped_maps
from upward.data.warehouse import Warehouse

INCOME = "01_financial-well-being/final/metrics_income_county_all_longitudinal.csv"


def test_both_releases_ship_a_map() -> None:
    assert [m.name for m in shipped_maps()] == ["2023.01", "2025.01"]


@pytest.mark.parametrize("name", ["2023.01", "2025.01"])
def test_every_rename_names_a_catalog_column(name: str) -> None:
    release_map = shipped_map(name)
    assert release_map is not None
    catalog = get_catalog()
    for column, targets in release_map.columns.items():
        for target in targets:
            assert catalog.column_ref(target) is not None, (column, target)
    labels = {(t, label) for _, t, label in catalog.subgroup_label_rows()}
    for raw, pair in release_map.subgroups.items():
        assert pair in labels, raw


def test_the_2025_map_has_the_packaged_checksums() -> None:
    release_map = shipped_map("2025.01")
    assert release_map is not None
    assert release_map.checksums() == {e.path: e.sha256 for e in load_manifest()}


def test_the_2023_map_places_every_file_of_its_manifest(full_data_2023_dir: Path) -> None:
    release_map = shipped_map("2023.01")
    assert release_map is not None
    with (full_data_2023_dir / "MANIFEST.csv").open(encoding="utf-8") as handle:
        manifest = {row["path"]: row["sha256"] for row in csv.DictReader(handle)}
    for path, sha in manifest.items():
        rule = release_map.rule(path)
        assert rule is not None, path
        assert rule.use != "skip" or rule.why, path
        if not rule.is_pattern:
            assert rule.sha256 == sha, path
    assert set(release_map.checksums()) <= set(manifest)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("release: x\nfiles:\n  a.csv: {use: skip}\n", "file 'a.csv': a skipped file needs 'why'"),
        ("release: x\nfiles:\n  a.csv: {use: final}\n", "file 'a.csv': 'use' must be one of"),
        ("release: x\nfiles:\n  a.csv: {use: metric, colour: red}\n", "unknown key(s) colour"),
        ("release: x\ncolumns: {a: 3}\n", "column 'a': a column maps to a column name"),
        ("files: {}\n", "expected a mapping with 'release'"),
        ("release: [\n", "not valid YAML"),
    ],
)
def test_a_map_with_a_mistake_is_refused(text: str, message: str) -> None:
    with pytest.raises(MapError) as caught:
        parse_map(text, "test.yaml")
    assert message in str(caught.value) and str(caught.value).startswith("test.yaml")


def renamed_release(fixture_data_dir: Path, tmp_path: Path) -> Path:
    """The fixture with its county income file under 2023's short quality names."""
    release = tmp_path / "release"
    shutil.copytree(fixture_data_dir, release)
    path = release / INCOME
    text = path.read_text()
    for p in ("20", "50", "80"):
        text = text.replace(f"pctl_income_{p}_quality", f"pctl_{p}_quality", 1)
    path.write_text(text)
    return release


def test_an_unplaced_quality_flag_is_refused_not_dropped(
    tmp_path: Path, fixture_data_dir: Path
) -> None:
    release = renamed_release(fixture_data_dir, tmp_path)
    with pytest.raises(Exception) as caught:
        load_release(release, tmp_path / "w.duckdb")
    assert caught.value.path == INCOME  # type: ignore[attr-defined]
    assert caught.value.column == "pctl_20_quality"  # type: ignore[attr-defined]
    assert "would lose their quality flag" in str(caught.value)


def test_a_drafted_map_places_short_quality_names_and_loads(
    tmp_path: Path, fixture_data_dir: Path
) -> None:
    release = renamed_release(fixture_data_dir, tmp_path)
    out = tmp_path / "map.yaml"
    result = CliRunner().invoke(
        app, ["data", "map", "draft", str(release), "--release", "x", "--output", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    draft = parse_map(out.read_text())
    rule = draft.rule(INCOME)
    assert rule is not None
    assert rule.columns["pctl_20_quality"] == ("pctl_income_20_quality",)
    report = load_release(release, tmp_path / "w.duckdb", release_map=draft)
    assert report.map == "x"
    with Warehouse(tmp_path / "w.duckdb") as wh:
        nulls = wh.query(
            "SELECT count(*) FROM observation WHERE variable = 'pctl_income_20' "
            "AND value IS NOT NULL AND quality IS NULL"
        )[0][0]
    assert nulls == 0


def test_a_draft_lists_what_it_could_not_place(tmp_path: Path) -> None:
    folder = tmp_path / "unknown"
    (folder / "raw").mkdir(parents=True)
    (folder / "metrics.csv").write_text(
        "year,state,county,share_employed,mystery_score,odd_quality\n2021,27,123,0.7,3,1\n"
    )
    (folder / "raw" / "input.csv").write_text("a,b\n1,2\n")
    draft = draft_map(folder, "next")
    assert draft.files["raw/input.csv"]["use"] == "skip"
    assert draft.files["metrics.csv"]["use"] == "metric"
    unplaced = {(u.path, u.column) for u in draft.unplaced}
    assert ("metrics.csv", "mystery_score") in unplaced
    assert ("metrics.csv", "odd_quality") not in unplaced  # the one open value column
    assert draft.files["metrics.csv"]["columns"] == {"odd_quality": "share_employed_quality"}


def test_a_map_repairs_what_a_rename_cannot(tmp_path: Path, fixture_data_dir: Path) -> None:
    """Percent ratios, "2235:1" numbers, years as a subgroup and one flag for two columns."""
    release = tmp_path / "release"
    shutil.copytree(fixture_data_dir / "geographic-crosswalks", release / "geographic-crosswalks")
    (release / "wealth.csv").write_text(
        "year,state,county,r_black_nh_hv_hh,black_nh_wealth_quality\n"
        "2021,27,123,11.9%:24.6%,1\n"
        "2021,27,053,NaN%:NaN%,3\n"
    )
    (release / "physicians.csv").write_text(
        "year,state,county,pc_phys_ratio,pc_phys_quality\n2019,27,123,2235:1,2\n"
    )
    (release / "wages.csv").write_text(
        "state,county,subgroup_type,subgroup,average_to_living_wage_ratio,wage_ratio_quality\n"
        "27,123,Year,2014,.62836951,1\n27,123,Year,2018,.66536129,2\n"
    )
    (release / "crime.csv").write_text(
        "year,state,county,crime_violent_rate,crime_property_rate,crime_rate_quality\n"
        "2021,27,123,300.5,2000.25,2\n"
    )
    release_map = parse_map(
        """
release: test
columns:
  r_black_nh_hv_hh: ratio_black_nh_house_value_households
  black_nh_wealth_quality: ratio_black_nh_house_value_households_quality
  pc_phys_ratio: ratio_population_pc_physician
  pc_phys_quality: ratio_population_pc_physician_quality
  average_to_living_wage_ratio: ratio_living_wage
  wage_ratio_quality: ratio_living_wage_quality
  crime_violent_rate: rate_crime_violent
  crime_property_rate: rate_crime_property
  crime_rate_quality: [rate_crime_violent_quality, rate_crime_property_quality]
files:
  wealth.csv: {use: metric, ratio: percent}
  physicians.csv: {use: metric, x_to_one: [pc_phys_ratio]}
  wages.csv: {use: metric, year: from-subgroup}
  crime.csv: {use: metric}
  "geographic-crosswalks/*": {use: universe}
"""
    )
    report = load_release(release, tmp_path / "w.duckdb", release_map=release_map)
    assert not report.refused
    with Warehouse(tmp_path / "w.duckdb") as wh:

        def cell(variable: str, year: int, geoid: str = "27123") -> tuple[object, ...]:
            rows = wh.query(
                "SELECT value, value_text, quality FROM observation WHERE geoid = ? "
                "AND variable = ? AND year = ? AND subgroup_type = 'all'",
                [geoid, variable, year],
            )
            assert len(rows) == 1, (variable, year, rows)
            return rows[0]

        value, text, quality = cell("ratio_black_nh_house_value_households", 2021)
        assert (text, quality) == ("0.119:0.246", 1)
        assert value == pytest.approx(0.119 / 0.246)
        assert cell("ratio_black_nh_house_value_households", 2021, "27053") == (None, None, 3)
        assert cell("ratio_population_pc_physician", 2019) == (2235.0, None, 2)
        assert cell("ratio_living_wage", 2014) == (0.62836951, None, 1)
        assert cell("ratio_living_wage", 2018) == (0.66536129, None, 2)
        assert cell("rate_crime_violent", 2021) == (300.5, None, 2)
        assert cell("rate_crime_property", 2021) == (2000.25, None, 2)
