"""Urban's suppressions win, each value names its file, files that disagree are recorded,
and cell-level contract checks (issue 8, items 7, 8 and 12).

The release is tests/fixtures/provenance-data (see tests/fixtures/README.md): four files
written for these tests. Expectations are read off those files by hand:

* Tulsa (4075000) juvenile arrests 2021: the overall file (line 2) and the subgroup file
  (lines 2-4) publish values; the combined file 66 leaves All, Male and Female blank
  (lines 2-4): withheld, sourced to the combined file.
* Tulsa 2022 overall: 100.0 in the overall file (line 3), 101.0 in the subgroup file
  (line 5) and in the combined file (line 5): a conflict; the overall file wins.
* New York County (36061) crime 2021 and 2022: withheld by Urban's documented list
  (withheld.csv), though the only file publishes them; 2023 (1300.0) is shown.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from upward.data.contract import MalformedFile
from upward.data.ingest import load_release
from upward.data.model import Observation, OtherValue
from upward.data.schema import WITHHELD_BY_COMBINED_FILE, withheld_rows
from upward.data.warehouse import Warehouse

DATA = Path(__file__).resolve().parent / "fixtures" / "provenance-data"
OVERALL = "07_safety/final/rate_arrests_place_all.csv"
SUBGROUP = "07_safety/final/rate_arrests_place_all_subgroup.csv"
COMBINED = "data/66_mobility-metrics_place_gender_longitudinal.csv"
CRIME = "07_safety/final/rates_crime_county_all.csv"


@pytest.fixture(scope="module")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("provenance") / "warehouse.duckdb"
    load_release(DATA, target)
    return target


@pytest.fixture(scope="module")
def warehouse(warehouse_path: Path) -> Iterator[Warehouse]:
    with Warehouse(warehouse_path) as opened:
        yield opened


def _cell(warehouse: Warehouse, geoid: str, variable: str, year: int, sg: str = "All",
          st: str = "all") -> Observation:  # fmt: skip
    found = [
        o
        for o in warehouse.series(geoid)
        if (o.variable, o.year, o.subgroup_type, o.subgroup) == (variable, year, st, sg)
    ]
    assert len(found) == 1
    return found[0]


# -- item 7: suppressions win ------------------------------------------------------------


def test_a_combined_files_blank_group_wins_over_the_files_that_publish_it(
    warehouse: Warehouse,
) -> None:
    male = _cell(warehouse, "4075000", "rate_juv_arrest", 2021, "Male", "gender")
    assert (male.value, male.quality_code) == (None, None)  # the subgroup file says 300.0
    assert (male.source_file, male.source_line) == (COMBINED, 3)
    assert male.note == WITHHELD_BY_COMBINED_FILE
    assert male.status == "suppressed"
    assert male.status_text == f"Suppressed: {WITHHELD_BY_COMBINED_FILE}"


def test_a_withheld_breakdown_total_withholds_the_overall_value_of_that_year(
    warehouse: Warehouse,
) -> None:
    overall = _cell(warehouse, "4075000", "rate_juv_arrest", 2021)
    assert overall.value is None  # the overall file publishes 250.5 on line 2
    assert (overall.source_file, overall.source_line) == (COMBINED, 2)
    assert overall.status == "suppressed"
    later = _cell(warehouse, "4075000", "rate_juv_arrest", 2023)
    assert (later.value, later.source_file, later.source_line) == (120.25, OVERALL, 4)


def test_a_combined_files_blank_total_alone_does_not_withhold_anything(
    warehouse: Warehouse,
) -> None:
    """St. Paul: the combined file publishes a value like the overall file: nothing withheld."""
    cell = _cell(warehouse, "2758000", "rate_juv_arrest", 2021)
    assert (cell.value, cell.note, cell.source_file) == (80.0, None, OVERALL)


def test_urbans_documented_suppressions_withhold_cells_of_a_file_without_blanks(
    warehouse: Warehouse,
) -> None:
    for year in (2021, 2022):
        for variable in ("rate_crime_violent", "rate_crime_property"):
            cell = _cell(warehouse, "36061", variable, year)
            assert cell.value is None
            assert cell.status == "suppressed"
            assert cell.note is not None and "reporting" in cell.note
            assert cell.source_file == ""
    shown = _cell(warehouse, "36061", "rate_crime_violent", 2023)
    assert (shown.value, shown.source_file, shown.source_line, shown.note) == (
        1300.0,
        CRIME,
        4,
        None,
    )
    other = _cell(warehouse, "27123", "rate_crime_violent", 2021)
    assert other.value == 300.0


def test_the_profile_picks_the_published_year_after_withheld_ones(warehouse: Warehouse) -> None:
    profile = warehouse.profile("36061")
    entry = next(e for e in profile.entries if e.variable.name == "rate_crime_violent")
    assert entry.observation is not None and entry.observation.year == 2023
    assert entry.years == (2023,)  # the trend has one point, not 19.5 -> 1300


def test_the_list_of_urbans_suppressions_names_the_places_of_its_build_scripts() -> None:
    rows = withheld_rows()
    new_york = {(v, y) for g, v, y, _, _ in rows if g == "36061"}
    assert new_york == {
        (v, y)
        for v in ("rate_crime_violent", "rate_crime_property", "rate_juv_arrest")
        for y in (2021, 2022)
    }
    assert {g for g, *_ in rows} == {
        "36061", "06067", "06085", "3651000", "0668000", "0664000", "4856348", "0644000"
    }  # fmt: skip


# -- item 8: where each number comes from ------------------------------------------------


def test_cells_whose_files_disagree_are_flagged_and_every_files_value_is_kept(
    warehouse: Warehouse,
) -> None:
    cell = _cell(warehouse, "4075000", "rate_juv_arrest", 2022)
    assert (cell.value, cell.source_file, cell.source_line, cell.conflict) == (
        100.0,
        OVERALL,
        3,
        True,
    )
    rows = warehouse.query(
        "SELECT file_id, source_line, value FROM conflict WHERE geoid = '4075000' ORDER BY file_id"
    )
    paths = warehouse.file_paths
    assert [(paths[f], line, value) for f, line, value in rows] == [
        (OVERALL, 3, 100.0),
        (SUBGROUP, 5, 101.0),
        (COMBINED, 5, 101.0),
    ]
    assert cell.others == (  # kept on the observation: the page needs no other query
        OtherValue(SUBGROUP, 5, 101.0, None),
        OtherValue(COMBINED, 5, 101.0, None),
    )
    agreed = _cell(warehouse, "4075000", "rate_juv_arrest", 2022, "All", "gender")
    assert (agreed.value, agreed.conflict) == (101.0, False)  # 101.0 in both files
    count = warehouse.query("SELECT count(*) FROM observation WHERE conflict")[0][0]
    assert count == 1


def test_the_same_number_written_with_more_digits_is_not_a_conflict(
    warehouse: Warehouse,
) -> None:
    """St. Paul 2021: 80.0 in the overall file, 80.00000000001 in the combined file."""
    cell = _cell(warehouse, "2758000", "rate_juv_arrest", 2021)
    assert (cell.value, cell.conflict, cell.others) == (80.0, False, ())


@pytest.fixture
def client(warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from django.test import Client

    from upward.web import data as web_data

    monkeypatch.setenv("UPWARD_WAREHOUSE", str(warehouse_path))
    web_data.reset()
    yield Client()
    web_data.reset()


@pytest.mark.django_db
def test_the_profile_page_names_each_values_file_and_the_other_files_values(
    client: object,
) -> None:
    html = client.get("/city/4075000/").content.decode()  # type: ignore[attr-defined]
    assert f"Source: <code>{OVERALL}, line 4</code>" in html  # the 2023 value
    assert "Sources of these numbers" in html
    assert f"<code>{OVERALL}</code>: 3 values, lines 3–4" in html  # 2021 is withheld
    assert f"<code>{COMBINED}</code>: 1 value, line 2" in html  # ... by the combined file
    assert (
        f"Value, 2022: shown 100 from <code>{OVERALL}, line 3</code>; "
        f"{SUBGROUP}, line 5: 101; {COMBINED}, line 5: 101"
    ) in html
    assert f"Suppressed: {WITHHELD_BY_COMBINED_FILE}" in html


@pytest.mark.django_db
def test_the_profile_page_says_why_new_york_countys_crime_is_missing(client: object) -> None:
    html = client.get("/county/36061/").content.decode()  # type: ignore[attr-defined]
    assert "reporting by the police agencies was incomplete" in html
    assert f"Source: <code>{CRIME}, line 4</code>" in html


@pytest.mark.django_db
def test_the_json_twin_carries_source_and_other_values(client: object) -> None:
    reply = client.get("/city/4075000.json")  # type: ignore[attr-defined]
    data = json.loads(reply.content)
    entries = [e for p in data["pillars"] for s in p["predictors"] for e in s["entries"]]
    entry = next(e for e in entries if e["metric"] == "juvenile_arrests" and e["headline"])
    series = {c["year"]: c for c in entry["series"]}
    assert (series[2022]["source_file"], series[2022]["source_line"]) == (OVERALL, 3)
    assert series[2022]["other_values"] == [
        {"source_file": SUBGROUP, "source_line": 5, "value": 101.0, "value_text": None},
        {"source_file": COMBINED, "source_line": 5, "value": 101.0, "value_text": None},
    ]
    assert series[2021]["status"] == "suppressed"
    assert series[2021]["status_text"] == f"Suppressed: {WITHHELD_BY_COMBINED_FILE}"
    assert (series[2021]["source_file"], series[2021]["source_line"]) == (COMBINED, 2)


@pytest.mark.django_db
def test_the_csv_twin_carries_source_and_other_values(client: object) -> None:
    text = client.get("/city/4075000.csv").content.decode()  # type: ignore[attr-defined]
    header = text.splitlines()[0].split(",")
    assert {"source_file", "source_line", "other_values", "status_text"} <= set(header)
    assert f"{SUBGROUP}, line 5: 101; {COMBINED}, line 5: 101" in text


# -- item 12: cell-level checks ----------------------------------------------------------


def _broken_copy(tmp_path: Path, relpath: str, old: str, new: str) -> Path:
    target = tmp_path / "release"
    shutil.copytree(DATA, target)
    path = target / relpath
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    return target


def test_a_state_code_that_does_not_exist_refuses_the_file(tmp_path: Path) -> None:
    data = _broken_copy(tmp_path, CRIME, "2021,27,123,", "2021,99,123,")
    with pytest.raises(MalformedFile) as found:
        load_release(data, tmp_path / "w.duckdb")
    assert (found.value.path, found.value.line, found.value.column) == (CRIME, 5, "state")
    assert "'99' is not the FIPS code of a state" in found.value.reason
    assert not (tmp_path / "w.duckdb").exists()


ROW = "2014,27,123,0.25,0.2,0.3,1"


@pytest.mark.parametrize(
    ("new", "column"),
    [
        ("2014,27,123,25,0.2,0.3,1", "share_transit_commuter"),
        ("2014,27,123,0.25,-0.1,0.3,1", "share_transit_commuter_lb"),
        ("2014,27,123,0.25,0.2,1.5,1", "share_transit_commuter_ub"),
    ],
)
def test_a_share_or_share_bound_outside_0_1_refuses_the_file(
    tmp_path: Path, new: str, column: str
) -> None:
    data = tmp_path / "release"
    shutil.copytree(DATA, data)
    share = data / "06_neighborhoods" / "transit.csv"
    share.parent.mkdir(parents=True)
    rows = f"2014,27,053,0.1,0.05,0.15,1\n{ROW}\n".replace(ROW, new)
    share.write_text(
        "year,state,county,share_transit_commuter,share_transit_commuter_lb,"
        f"share_transit_commuter_ub,share_transit_commuter_quality\n{rows}"
    )
    with pytest.raises(MalformedFile) as found:
        load_release(data, tmp_path / "w.duckdb")
    assert (found.value.path, found.value.line, found.value.column) == (
        "06_neighborhoods/transit.csv",
        3,
        column,
    )
    assert "outside [0, 1], the range of a share" in found.value.reason


def test_shares_at_0_and_1_are_accepted(tmp_path: Path) -> None:
    data = tmp_path / "release"
    shutil.copytree(DATA, data)
    share = data / "06_neighborhoods" / "transit.csv"
    share.parent.mkdir(parents=True)
    share.write_text(
        "year,state,county,share_transit_commuter,share_transit_commuter_lb,"
        "share_transit_commuter_ub,share_transit_commuter_quality\n2014,27,123,1,0,1,1\n"
    )
    load_release(data, tmp_path / "w.duckdb")
    with Warehouse(tmp_path / "w.duckdb") as opened:
        cell = _cell(opened, "27123", "share_transit_commuter", 2014)
    assert (cell.value, cell.lb, cell.ub) == (1.0, 0.0, 1.0)


# -- a warehouse built by an older Upward --------------------------------------------------


def test_a_warehouse_of_an_older_schema_is_refused_with_a_message(
    warehouse_path: Path, tmp_path: Path
) -> None:
    import duckdb

    from upward.data.warehouse import WarehouseOutdated

    old = tmp_path / "old.duckdb"
    shutil.copy(warehouse_path, old)
    with duckdb.connect(str(old)) as con:
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(WarehouseOutdated) as found:
        Warehouse(old)
    assert "built by an older Upward (schema 1; this one reads schema 2)" in str(found.value)


@pytest.mark.django_db
@pytest.mark.parametrize("outdated", [True, False])
def test_the_profile_page_answers_503_without_a_usable_warehouse(
    warehouse_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outdated: bool
) -> None:
    """The page cache asked for the warehouse outside the view's error handling: a 500."""
    import duckdb
    from django.test import Client

    from upward.web import data as web_data

    target = tmp_path / "warehouse.duckdb"
    if outdated:
        shutil.copy(warehouse_path, target)
        with duckdb.connect(str(target)) as con:
            con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(target))
    web_data.reset()
    try:
        assert Client().get("/county/36061/").status_code == 503
    finally:
        web_data.reset()
