"""Loading the fixture release: every quirk of Urban's files, and broken files.

Expected values are read off the fixture files by hand (tests/fixtures/README.md says
which file carries which quirk).
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from upward.cli import app
from upward.data.contract import MalformedFile, Rejection
from upward.data.ingest import load_release
from upward.data.warehouse import Warehouse

INCOME_COUNTY = "01_financial-well-being/final/metrics_income_county_all_longitudinal.csv"
INCOME_PLACE = "01_financial-well-being/final/metrics_income_place_all_longitudinal.csv"
INCOME_PLACE_RACE = (
    "01_financial-well-being/final/metrics_income_place_race-ethnicity_longitudinal.csv"
)
DEBT_2023 = "01_financial-well-being/final/metrics_overall_debt_coll_all_county_2023.csv"
DEBT_2018 = "01_financial-well-being/share_debt_2018.csv"
DEBT_2018_LONG = "01_financial-well-being/share_debt_2018_long.csv"
DEBT_CITY = "01_financial-well-being/city-debt-coll-shares-2021.csv"
WEALTH_COUNTY = "01_financial-well-being/final/households_house_value_race_ethnicity_all_county.csv"
WEALTH_CITY_AGE = (
    "01_financial-well-being/final/households_house_value_race_ethnicity_subgroup_city.csv"
)
LBW = "04_health/neonatal-health/data/final/rate_low_birth_weight_metric_all_county.csv"
NEONATAL_SUB = "04_health/final_data/neonatal_health_subgroup_2022.csv"
INJURY = "04_health/exposure-to-trauma/data/final/rate_injury_deaths_metric_all_county.csv"
INJURY_SUB = "04_health/exposure-to-trauma/data/final/rate_injury_deaths_metric_subgroup_county.csv"
EXPOSURE_FINAL = "06_neighborhoods/race-ethnicity-exposure/final/race-ethnicity-exposure-city.csv"
EXPOSURE_OLD = "06_neighborhoods/race-ethnicity-exposure/race-ethnicity-exposure-city.csv"
DIGITAL_RACE = "08_education/data/final/digital_access_county_race_ethnicity_longitudinal.csv"
COMBINED_INCOME = "data/64_mobility-metrics_place_income_longitudinal.csv"
COUNTY_POP = "geographic-crosswalks/data/county-populations.csv"


def cell(
    wh: Warehouse,
    geoid: str,
    variable: str,
    year: int,
    subgroup_type: str = "all",
    subgroup: str = "All",
) -> dict[str, Any] | None:
    """One observation with the file it came from, or None."""
    rows = wh.query(
        """SELECT o.value, o.lb, o.ub, o.quality, o.value_text, o.part_a, o.part_b,
                  f.path, o.source_line
           FROM observation o JOIN release_file f USING (file_id)
           WHERE geoid = ? AND variable = ? AND year = ? AND subgroup_type = ?
             AND subgroup = ?""",
        [geoid, variable, year, subgroup_type, subgroup],
    )
    assert len(rows) <= 1
    if not rows:
        return None
    keys = ("value", "lb", "ub", "quality", "value_text", "part_a", "part_b", "file", "line")
    return dict(zip(keys, rows[0], strict=True))


def got(wh: Warehouse, geoid: str, variable: str, year: int, *subgroup: str) -> dict[str, Any]:
    """Like :func:`cell`, for a cell that must exist."""
    found = cell(wh, geoid, variable, year, *subgroup)
    assert found is not None, (geoid, variable, year, subgroup)
    return found


def file_report(wh: Warehouse, path: str) -> dict[str, Any]:
    return next(f for f in wh.files() if f["path"] == path)


# --- the fixture release loads, with every quirk handled ---------------------------------


def test_every_fixture_file_is_read_with_its_kind(fixture_warehouse: Warehouse) -> None:
    kinds = {f["path"]: f["kind"] for f in fixture_warehouse.files()}
    assert len(kinds) == 24
    assert kinds[COUNTY_POP] == "universe"
    assert kinds[INCOME_COUNTY] == "overall"
    assert kinds[DEBT_2018_LONG] == "subgroup"
    assert kinds[COMBINED_INCOME] == "combined"
    assert "ignored" not in kinds.values()


def test_cells_per_file_follow_the_all_row_model(fixture_warehouse: Warehouse) -> None:
    # 11 rows x 3 variables.
    assert file_report(fixture_warehouse, INCOME_COUNTY)["cells"] == 33
    # 2 rows x 4 variables.
    assert file_report(fixture_warehouse, EXPOSURE_FINAL)["cells"] == 8
    # 3 rows, and the All row once more for each of its 2 breakdowns.
    assert file_report(fixture_warehouse, NEONATAL_SUB)["cells"] == 5
    # 6 rows x 2 variables, plus each variable's own breakdown total for the 2 places:
    # the air index has only the poverty breakdown, the learning rate only income.
    assert file_report(fixture_warehouse, COMBINED_INCOME)["cells"] == 16
    # 4 rows + 2 All rows as race-share; a subgroup-only file.
    assert file_report(fixture_warehouse, DEBT_CITY)["cells"] == 6


def test_unpadded_fips_codes_are_padded(fixture_warehouse: Warehouse) -> None:
    # "2023,27,53" is Hennepin (27053); "2023,9,1" is Fairfield, CT (09001).
    assert got(fixture_warehouse, "27053", "share_debt_coll", 2023)["value"] == 0.2109
    assert got(fixture_warehouse, "09001", "share_debt_coll", 2023)["value"] == 0.0954
    assert got(fixture_warehouse, "38071", "share_debt_coll", 2023)["quality"] == 2
    notes = file_report(fixture_warehouse, DEBT_2023)["notes"]
    assert "4 rows had FIPS codes without leading zeros; padded" in notes
    # City files keep 7-character geoids, also from `place_fips`.
    assert got(fixture_warehouse, "2758000", "share_debt_coll", 2021)["value"] == 0.2417


def test_latin1_row_is_repaired(fixture_warehouse: Warehouse) -> None:
    dona_ana = fixture_warehouse.geography("35013")
    assert dona_ana.name == "Doña Ana County"
    assert dona_ana.state_name == "New Mexico"
    year_2014 = fixture_warehouse.query(
        "SELECT name, state_name, population FROM geography_year "
        "WHERE geoid = '35013' AND year = 2014"
    )
    assert year_2014 == [("Doña Ana County", "New Mexico", 213900.0)]
    assert "line(s) 7 read as Latin-1" in file_report(fixture_warehouse, COUNTY_POP)["notes"]


def test_leading_spaces_in_2014_names_are_trimmed(fixture_warehouse: Warehouse) -> None:
    names = fixture_warehouse.query(
        "SELECT DISTINCT name FROM geography_year WHERE geoid = '27123' ORDER BY 1"
    )
    assert names == [("Ramsey County",)]


def test_na_and_blank_cells_are_missing(fixture_warehouse: Warehouse) -> None:
    blank = cell(fixture_warehouse, "38071", "rate_low_birth_weight", 2022)  # ",,,,"
    na = cell(fixture_warehouse, "38071", "rate_low_birth_weight", 2023)  # "NA,NA,NA,NA"
    for found in (blank, na):
        assert found is not None
        assert (found["value"], found["lb"], found["ub"], found["quality"]) == (None,) * 4
    sub = ("race-ethnicity", "Other Races and Ethnicities")
    assert got(fixture_warehouse, "2758000", "pctl_income_50", 2021, *sub)["value"] is None


def test_suppressed_value_keeps_its_quality(fixture_warehouse: Warehouse) -> None:
    found = cell(fixture_warehouse, "38071", "pctl_income_20", 2023)
    assert found is not None
    assert found["value"] is None and found["lb"] is None and found["ub"] is None
    assert found["quality"] == 3
    [obs] = [
        o
        for o in fixture_warehouse.series("38071", "income_percentiles")
        if o.variable == "pctl_income_20" and o.year == 2023
    ]
    assert obs.status == "suppressed"
    assert obs.quality == "Weak"


def test_bounds_and_quality_are_kept_exactly(fixture_warehouse: Warehouse) -> None:
    found = cell(fixture_warehouse, "27053", "pctl_income_20", 2014)
    assert found is not None
    assert (found["value"], found["lb"], found["ub"], found["quality"]) == (
        25000.5,
        23000.25,
        27000.75,
        1,
    )
    assert (found["file"], found["line"]) == (INCOME_COUNTY, 2)
    # share_debt_2018.csv writes _ub before _lb: columns are matched by name.
    debt = got(fixture_warehouse, "27123", "share_debt_coll", 2018)
    assert (debt["lb"], debt["ub"]) == (0.2112, 0.2498)


def test_ratio_pairs_keep_both_parts(fixture_warehouse: Warehouse) -> None:
    found = cell(fixture_warehouse, "27123", "ratio_black_nh_house_value_households", 2021)
    assert found is not None
    assert found["value_text"] == "0.052:0.118"
    assert (found["part_a"], found["part_b"]) == (0.052, 0.118)
    assert found["value"] == 0.052 / 0.118
    assert found["quality"] == 1
    zero = cell(fixture_warehouse, "38071", "ratio_black_nh_house_value_households", 2021)
    assert zero is not None
    assert zero["value_text"] == "0.000:0.000"
    assert zero["value"] is None  # 0/0 has no ratio; the text is kept
    missing = cell(fixture_warehouse, "38071", "ratio_other_nh_house_value_households", 2021)
    assert missing is not None
    assert (missing["value"], missing["value_text"], missing["quality"]) == (None, None, None)


def test_election_turnout_column_is_an_alias(fixture_warehouse: Warehouse) -> None:
    found = cell(fixture_warehouse, "27123", "share_election_turnout", 2020)
    assert found is not None and found["value"] == 0.7402
    assert got(fixture_warehouse, "4075000", "share_election_turnout", 2020)["quality"] == 3


def test_alias_columns_meet_in_one_variable(fixture_warehouse: Warehouse) -> None:
    # SEDA's `learning_rate` (county file) and the combined file's `rate_learning` (cities).
    assert got(fixture_warehouse, "27123", "learning_rate", 2018)["value"] == 0.9512
    city = cell(fixture_warehouse, "2758000", "learning_rate", 2018)
    assert city is not None
    assert (city["value"], city["lb"], city["ub"], city["quality"]) == (0.9911, 0.9502, 1.032, 1)
    assert city["file"] == COMBINED_INCOME


def test_text_quality_in_combined_files(fixture_warehouse: Warehouse) -> None:
    assert got(fixture_warehouse, "4075000", "index_air_hazard", 2018)["quality"] == 2  # Marginal
    high = cell(fixture_warehouse, "2758000", "index_air_hazard", 2018, "poverty", "High-Poverty")
    assert high is not None and (high["value"], high["quality"]) == (78.0, 3)  # Weak


def test_subgroup_types_and_labels_are_normalised(fixture_warehouse: Warehouse) -> None:
    pairs = set(fixture_warehouse.query("SELECT DISTINCT subgroup_type, subgroup FROM observation"))
    assert pairs == {
        ("all", "All"),
        ("race-ethnicity", "All"),
        ("race-ethnicity", "Black, Non-Hispanic"),
        ("race-ethnicity", "Hispanic"),
        ("race-ethnicity", "Other Races and Ethnicities"),
        ("race-ethnicity", "White, Non-Hispanic"),
        ("race-share", "All"),
        ("race-share", "White neighborhoods"),  # "Majority White"
        ("race-share", "Neighborhoods of color"),  # "Majority Non-White"
        ("mothers-education", "All"),
        ("mothers-education", "Less than High School"),
        ("income", "All"),
        ("income", "Economically Disadvantaged"),
        ("income", "Not Economically Disadvantaged"),
        ("poverty", "All"),  # High-Poverty rows are typed "income" in the combined file
        ("poverty", "High-Poverty"),
        ("poverty", "Not High-Poverty"),
        ("age", "All"),
        ("age", "Under Age 45"),
        ("age", "Age 45 and Over"),
    }
    # "race-ethncity" (injury deaths) and "race_ethnicity" (digital access) are race-ethnicity.
    black = ("race-ethnicity", "Black, Non-Hispanic")
    assert got(fixture_warehouse, "27123", "rate_injury_death", 2021, *black)["value"] == 71.3
    assert got(fixture_warehouse, "27123", "share_digital_access", 2021, *black)["value"] == 0.8012
    white = ("race-share", "White neighborhoods")
    assert got(fixture_warehouse, "27123", "share_debt_coll", 2018, *white)["value"] == 0.1702


def test_subgroup_all_row_is_kept_beside_the_overall_value(fixture_warehouse: Warehouse) -> None:
    """The overall file's 1-year value is the overall; the subgroup file's own All row
    (a 5-year estimate here) is the breakdown's total."""
    overall = cell(fixture_warehouse, "2758000", "pctl_income_20", 2021)
    total = cell(fixture_warehouse, "2758000", "pctl_income_20", 2021, "race-ethnicity", "All")
    assert overall is not None and total is not None
    assert (overall["value"], overall["file"]) == (19800.0, INCOME_PLACE)
    assert (total["value"], total["lb"], total["ub"]) == (19350.0, 18600.0, 20100.0)
    assert total["file"] == INCOME_PLACE_RACE


def test_all_row_typed_as_its_dimension(fixture_warehouse: Warehouse) -> None:
    # share_debt_2018_long.csv writes its All row as (race-ethnicity, All) while its groups
    # are neighbourhood race shares: the total belongs to race-share.
    total = cell(fixture_warehouse, "27123", "share_debt_coll", 2018, "race-share", "All")
    assert total is not None and total["value"] == 0.2311
    assert (
        cell(fixture_warehouse, "27123", "share_debt_coll", 2018, "race-ethnicity", "All") is None
    )
    # The age file writes (age, All): kept as the age total and, lacking an overall file,
    # as the overall value.
    age_total = cell(fixture_warehouse, "2758000", "ratio_white_nh_house_value_households", 2021,
                     "age", "All")  # fmt: skip
    overall = cell(fixture_warehouse, "2758000", "ratio_white_nh_house_value_households", 2021)
    assert age_total is not None and overall is not None
    assert age_total["value_text"] == overall["value_text"] == "0.799:0.676"


def test_all_row_serves_every_breakdown_of_its_file(fixture_warehouse: Warehouse) -> None:
    for dim in ("mothers-education", "race-ethnicity"):
        total = cell(fixture_warehouse, "27123", "rate_low_birth_weight", 2022, dim, "All")
        assert total is not None and total["value"] == 0.0799
    # ... but only the breakdowns a variable has: the learning rate has income groups in
    # the combined file, not poverty groups (those belong to the air index).
    total = cell(fixture_warehouse, "2758000", "learning_rate", 2018, "income", "All")
    assert total is not None and total["value"] == 0.9911
    assert cell(fixture_warehouse, "2758000", "learning_rate", 2018, "poverty", "All") is None
    air = cell(fixture_warehouse, "2758000", "index_air_hazard", 2018, "poverty", "All")
    assert air is not None and air["value"] == 71


def test_subgroup_all_row_is_the_overall_only_where_nothing_better_exists(
    fixture_warehouse: Warehouse,
) -> None:
    # No overall digital-access file in the release: the subgroup file's All row serves.
    digital = cell(fixture_warehouse, "27123", "share_digital_access", 2021)
    assert digital is not None and (digital["value"], digital["file"]) == (0.9011, DIGITAL_RACE)
    # An overall file exists for low birth weight: it wins over the subgroup file's All row.
    lbw = cell(fixture_warehouse, "27123", "rate_low_birth_weight", 2022)
    assert lbw is not None and (lbw["value"], lbw["file"]) == (0.0803, LBW)


def test_duplicate_cells_go_to_the_better_file(fixture_warehouse: Warehouse) -> None:
    # Overall file beats the subgroup file's All row.
    debt = cell(fixture_warehouse, "27123", "share_debt_coll", 2018)
    assert debt is not None and (debt["value"], debt["file"]) == (0.2305, DEBT_2018)
    # The file under final/ beats the older copy for the same cell ...
    final = cell(fixture_warehouse, "2758000", "share_black_nh_exposure", 2021)
    assert final is not None and (final["value"], final["file"]) == (0.4012, EXPOSURE_FINAL)
    # ... and the older copy still serves the year only it has.
    only_old = cell(fixture_warehouse, "2758000", "share_black_nh_exposure", 2023)
    assert only_old is not None and (only_old["value"], only_old["file"]) == (0.4101, EXPOSURE_OLD)
    # Exactly one cell per key.
    dupes = fixture_warehouse.query(
        "SELECT count(*) FROM (SELECT geoid, variable, year, subgroup_type, subgroup "
        "FROM observation GROUP BY ALL HAVING count(*) > 1)"
    )
    assert dupes == [(0,)]


def test_out_of_universe_rows_are_kept(fixture_warehouse: Warehouse) -> None:
    # Fairfield County, CT left the universe after 2021; the 2023 debt file still uses it.
    fairfield = fixture_warehouse.geography("09001")
    assert (fairfield.first_year, fairfield.last_year, fairfield.current) == (2014, 2021, False)
    assert cell(fixture_warehouse, "09001", "share_debt_coll", 2023) is not None
    # Chugach (02063) joined in 2020 but the income file uses it for 2014 too.
    assert got(fixture_warehouse, "02063", "pctl_income_50", 2014)["value"] == 61000.0
    # Copper River (02066) is in no universe of the release: a geography is made for it.
    copper = fixture_warehouse.geography("02066")
    assert (copper.geo_level, copper.state_abbr, copper.first_year) == ("county", "AK", None)
    assert got(fixture_warehouse, "02066", "share_debt_coll", 2023)["quality"] == 3


def test_universes_by_year(fixture_warehouse: Warehouse) -> None:
    geos = fixture_warehouse.geographies
    assert sum(g.geo_level == "county" for g in geos.values()) == 11  # 10 + Copper River
    assert sum(g.geo_level == "city" for g in geos.values()) == 4
    assert (geos["09110"].first_year, geos["09110"].current) == (2022, True)
    assert (geos["02261"].last_year, geos["02261"].current) == (2018, False)
    assert geos["1372122"].first_year == 2018
    per_year = dict(
        fixture_warehouse.query(
            "SELECT year, count(*) FROM geography_year WHERE geo_level = 'county' GROUP BY 1"
        )
    )
    assert per_year == {2014: 8, 2018: 8, 2021: 8, 2022: 8, 2023: 8}
    assert geos["27123"].population == 546700.0 and geos["27123"].population_year == 2023


def test_missing_subgroup_label_is_a_rejection(fixture_warehouse: Warehouse) -> None:
    rejected = fixture_warehouse.query('SELECT path, line, "column", reason FROM rejection')
    assert rejected == [(WEALTH_CITY_AGE, 4, "subgroup", "subgroup label is missing")]
    assert file_report(fixture_warehouse, WEALTH_CITY_AGE)["rows_rejected"] == 1


def test_release_records_checksums(fixture_warehouse: Warehouse, fixture_data_dir: Path) -> None:
    report = file_report(fixture_warehouse, LBW)
    expected = hashlib.sha256((fixture_data_dir / LBW).read_bytes()).hexdigest()
    assert report["sha256"] == expected
    assert report["matches_manifest"] is False  # our own values, not Urban's file
    info = fixture_warehouse.status()
    assert info.version == "local files (checksums differ from the packaged manifest)"
    assert (info.counties, info.cities) == (11, 4)


# --- broken files: exact messages, and the warehouse in use is untouched -----------------


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def truncate_mid_row(path: Path) -> None:
    lines = _lines(path)
    path.write_text("".join(lines[:4]) + lines[4][:20], encoding="utf-8")  # "2022,27,123,0.0803,0"


def mistype_value(path: Path) -> None:
    path.write_text(path.read_text().replace("2022,27,123,0.0803", "2022,27,123,abc"))


def duplicate_row(path: Path) -> None:
    lines = _lines(path)
    path.write_text("".join([*lines[:5], lines[3], *lines[5:]]))


def utf16_with_bom(path: Path) -> None:
    path.write_bytes(path.read_text().encode("utf-16"))


def utf16_without_bom(path: Path) -> None:
    path.write_bytes(path.read_text().encode("utf-16-le"))


def bad_fips(path: Path) -> None:
    path.write_text(path.read_text().replace("2022,27,123,", "2022,27,1234,"))


def bad_quality(path: Path) -> None:
    path.write_text(path.read_text().replace("0.0857,2", "0.0857,4"))


def unknown_label(path: Path) -> None:
    path.write_text(path.read_text().replace("Hispanic,NA", "Latinx,NA"))


def drop_year_column(path: Path) -> None:
    path.write_text("".join(line.split(",", 1)[1] for line in _lines(path)))


def unclosed_quote(path: Path) -> None:
    path.write_text(path.read_text() + '2023,27,053,"0.07')


BREAKAGES: list[tuple[str, Callable[[Path], None], str, int, str | None, str]] = [
    ("truncated", truncate_mid_row, LBW, 5, "rate_low_birth_weight_ub",
     "the row has fewer fields than the header (truncated file?)"),
    ("mistyped", mistype_value, LBW, 5, "rate_low_birth_weight", "'abc' is not a number"),
    ("duplicated", duplicate_row, LBW, 6, None,
     "duplicate row: 27053 in 2022 already appears on line 4"),
    ("utf16", utf16_with_bom, LBW, 1, None, "the file is not UTF-8 or Latin-1 text"),
    ("utf16-no-bom", utf16_without_bom, LBW, 1, None, "the file is not UTF-8 or Latin-1 text"),
    ("bad-fips", bad_fips, LBW, 5, "county", "'1234' is not a FIPS code of 3 digits"),
    ("bad-quality", bad_quality, LBW, 8, "rate_low_birth_weight_quality",
     "quality code '4' is not 1, 2, 3 (Strong, Marginal, Weak) or missing"),
    ("unknown-label", unknown_label, INJURY_SUB, 4, "subgroup",
     "unknown subgroup label 'Latinx' (type 'race-ethncity')"),
    ("missing-column", drop_year_column, LBW, 1, "year",
     "required column 'year' is missing from the header"),
    ("unclosed-quote", unclosed_quote, LBW, 10, "rate_low_birth_weight",
     "a quoted field is not closed (truncated file?)"),
]  # fmt: skip


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory, fixture_data_dir: Path) -> Path:
    """A warehouse built from an intact copy, to be copied before each broken load."""
    target = tmp_path_factory.mktemp("intact") / "warehouse.duckdb"
    load_release(fixture_data_dir, target)
    return target


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def _profile_answer(path: Path) -> list[dict[str, Any]]:
    with Warehouse(path) as wh:
        return [dataclasses.asdict(o) for o in wh.profile("27123").observations()]


@pytest.mark.parametrize(
    ("mutate", "relpath", "line", "column", "reason"),
    [pytest.param(*case[1:], id=case[0]) for case in BREAKAGES],
)
def test_a_broken_file_stops_the_load_and_keeps_the_warehouse(
    tmp_path: Path,
    fixture_data_dir: Path,
    built_once: Path,
    mutate: Callable[[Path], None],
    relpath: str,
    line: int,
    column: str | None,
    reason: str,
) -> None:
    release = tmp_path / "release"
    shutil.copytree(fixture_data_dir, release)
    home = tmp_path / "home"
    home.mkdir()
    target = home / "warehouse.duckdb"
    shutil.copy2(built_once, target)
    before, answer = _fingerprint(target), _profile_answer(target)
    assert answer, "the intact warehouse answers a profile"

    mutate(release / relpath)
    with pytest.raises(MalformedFile) as caught:
        load_release(release, target)

    exc = caught.value
    assert (exc.path, exc.line, exc.column) == (relpath, line, column)
    assert exc.reason.startswith(reason), exc.reason
    where = f"{relpath}:{line}" + (f" column '{column}'" if column else "")
    assert str(exc).startswith(f"{where}: {reason}")
    assert _fingerprint(target) == before
    assert sorted(p.name for p in home.iterdir()) == ["warehouse.duckdb"]
    assert _profile_answer(target) == answer


def test_cli_load_of_a_broken_file_exits_2_without_traceback(
    tmp_path: Path, fixture_data_dir: Path, built_once: Path
) -> None:
    release = tmp_path / "release"
    shutil.copytree(fixture_data_dir, release)
    mistype_value(release / LBW)
    target = tmp_path / "warehouse.duckdb"
    shutil.copy2(built_once, target)
    before = _fingerprint(target)

    result = CliRunner().invoke(app, ["data", "load", str(release), "--warehouse", str(target)])

    assert result.exit_code == 2
    assert f"{LBW}:5 column 'rate_low_birth_weight': 'abc' is not a number" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _fingerprint(target) == before


def test_broken_bounds_are_rejected_cells_not_a_failed_load(
    tmp_path: Path, fixture_data_dir: Path
) -> None:
    release = tmp_path / "release"
    shutil.copytree(fixture_data_dir, release)
    lbw = release / LBW
    # Line 2: lower bound 0.0750 above the estimate 0.0712.
    lbw.write_text(lbw.read_text().replace("0.0712,0.0690,0.0734", "0.0712,0.0750,0.0734"))
    target = tmp_path / "warehouse.duckdb"

    report = load_release(release, target)

    broken = Rejection(
        LBW,
        2,
        "rate_low_birth_weight",
        "the 95% bounds [0.075, 0.0734] do not bracket the estimate 0.0712",
    )
    assert broken in report.rejections
    assert str(broken).startswith(f"{LBW}:2 column 'rate_low_birth_weight': ")
    with Warehouse(target) as wh:
        assert cell(wh, "27053", "rate_low_birth_weight", 2016) is None
        assert cell(wh, "27053", "rate_low_birth_weight", 2022) is not None
        rows = wh.query('SELECT line, "column" FROM rejection WHERE path = ?', [LBW])
        assert rows == [(2, "rate_low_birth_weight")]
        assert file_report(wh, LBW)["rows_rejected"] == 1

    result = CliRunner().invoke(
        app, ["data", "load", str(release), "--warehouse", str(tmp_path / "again.duckdb")]
    )
    assert result.exit_code == 0, result.output
    assert f"{LBW}:2 column 'rate_low_birth_weight'" in " ".join(result.stdout.split())


def test_cli_load_reports_files_and_rows(tmp_path: Path, fixture_data_dir: Path) -> None:
    target = tmp_path / "warehouse.duckdb"
    result = CliRunner().invoke(
        app, ["data", "load", str(fixture_data_dir), "--warehouse", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Loaded 24 files, 157 rows" in text
    assert f"{WEALTH_CITY_AGE}:4 column 'subgroup': subgroup label is missing" in text
    assert target.is_file()


def test_a_failed_first_load_leaves_nothing_behind(tmp_path: Path, fixture_data_dir: Path) -> None:
    release = tmp_path / "release"
    shutil.copytree(fixture_data_dir, release)
    duplicate_row(release / LBW)
    home = tmp_path / "home"
    with pytest.raises(MalformedFile):
        load_release(release, home / "warehouse.duckdb")
    assert list(home.iterdir()) == []


def test_a_truncated_universe_file_names_its_line(
    tmp_path: Path, fixture_data_dir: Path, built_once: Path
) -> None:
    # Universe and crosswalk files go through the same checked reader as metric files.
    release = tmp_path / "release"
    shutil.copytree(fixture_data_dir, release)
    lines = (release / COUNTY_POP).read_bytes().splitlines(keepends=True)  # has a Latin-1 byte
    (release / COUNTY_POP).write_bytes(b"".join(lines[:4]) + lines[4][:12])
    target = tmp_path / "warehouse.duckdb"
    shutil.copy2(built_once, target)
    before = _fingerprint(target)
    with pytest.raises(MalformedFile) as caught:
        load_release(release, target)
    assert (caught.value.path, caught.value.line) == (COUNTY_POP, 5)
    assert caught.value.reason.startswith("the row has fewer fields than the header")
    assert _fingerprint(target) == before
