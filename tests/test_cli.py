"""The `upward` command line over the fixture warehouse (always with --warehouse)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner, Result

from upward.catalog import get_catalog
from upward.cli import app

REQUIRED_FIELDS = (
    "geoid", "geo_level", "year", "metric", "variable", "subgroup_type", "subgroup",
    "value", "lb", "ub", "quality",
)  # fmt: skip
QUALITY_WORDS = {"Strong", "Marginal", "Weak", None}


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def flat(text: str) -> str:
    """Text with every run of whitespace (including table wrapping) made one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def wh(fixture_warehouse_path: Path) -> list[str]:
    return ["--warehouse", str(fixture_warehouse_path)]


def json_cells(result: Result) -> list[dict[str, Any]]:
    """The cells of a series, or of a profile (each entry's observation, then its subgroups)."""
    assert result.exit_code == 0, result.stderr
    cells = json.loads(result.stdout)
    if isinstance(cells, dict):  # a profile: its one shape, as in the API and the .json twin
        entries = [e for p in cells["pillars"] for s in p["predictors"] for e in s["entries"]]
        cells = [e["observation"] for e in entries if e["observation"]] + cells["subgroups"]
    assert isinstance(cells, list)
    for c in cells:
        assert set(REQUIRED_FIELDS) <= set(c), c
        assert c["quality"] in QUALITY_WORDS
    return cells


# --- metrics ------------------------------------------------------------------------------


def test_metrics_lists_every_metric_by_pillar() -> None:
    result = run("metrics")
    assert result.exit_code == 0
    text = flat(result.stdout)
    catalog = get_catalog()
    for pillar in catalog.pillars:
        assert pillar.label in text
    positions = [text.index(f" {m.id} ") for m in catalog.metrics]
    assert positions == sorted(positions)


def test_metrics_as_json() -> None:
    result = run("metrics", "--format", "json")
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert [m["id"] for m in listed] == [m.id for m in get_catalog().metrics]
    assert len(listed) == len(get_catalog().metrics)


def test_metrics_show_low_birth_weight() -> None:
    result = run("metrics", "show", "low_birth_weight")
    assert result.exit_code == 0
    text = flat(result.stdout)
    assert "[low_birth_weight]" in text
    assert "Lower values are better." in text
    assert "County. years 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023" in text
    assert "rate_low_birth_weight" in text
    assert "City." not in text  # a county-only metric


def test_metrics_show_as_json() -> None:
    result = run("metrics", "show", "low_birth_weight", "--format", "json")
    shown = json.loads(result.stdout)
    assert shown["geographies"] == ["county"]
    assert [v["name"] for v in shown["variables"]] == ["rate_low_birth_weight"]


def test_metrics_show_unknown_metric() -> None:
    result = run("metrics", "show", "low_birth_wieght")
    assert result.exit_code == 1
    assert "Unknown metric 'low_birth_wieght'. Did you mean: low_birth_weight" in result.stderr


# --- profile ------------------------------------------------------------------------------


def test_profile_table(wh: list[str]) -> None:
    result = run("profile", "Ramsey County, MN", *wh)
    assert result.exit_code == 0, result.stderr
    text = flat(result.stdout)
    assert "Ramsey County, MN (county, FIPS 27123)" in text
    for pillar in get_catalog().pillars:
        assert pillar.label in text
    assert "$27,250" in text  # pctl_income_20 in 2023
    assert "Strong" in text and "Marginal" in text


def test_profile_json(wh: list[str]) -> None:
    cells = json_cells(run("profile", "27123", "--format", "json", *wh))
    by_variable = {c["variable"]: c for c in cells}
    income = by_variable["pctl_income_20"]
    assert {k: income[k] for k in REQUIRED_FIELDS} == {
        "geoid": "27123",
        "geo_level": "county",
        "year": 2023,
        "metric": "income_percentiles",
        "variable": "pctl_income_20",
        "subgroup_type": "all",
        "subgroup": "All",
        "value": 27250.5,
        "lb": 25500.0,
        "ub": 29000.0,
        "quality": "Strong",
    }
    assert by_variable["rate_low_birth_weight"]["quality"] == "Marginal"
    assert {c["subgroup_type"] for c in cells} == {"all"}


def test_profile_json_with_year_and_subgroup_type(wh: list[str]) -> None:
    args = ["St. Paul, MN", "--year", "2021", "--subgroup-type", "race-ethnicity"]
    cells = json_cells(run("profile", *args, "--format", "json", *wh))
    assert {c["year"] for c in cells} == {2021}
    groups = [c for c in cells if c["subgroup_type"] == "race-ethnicity"]
    assert len(groups) == 15
    hispanic = next(c for c in groups if c["subgroup"] == "Hispanic")
    assert (hispanic["value"], hispanic["quality"]) == (None, None)


def test_profile_csv(wh: list[str]) -> None:
    result = run("profile", "Tulsa, OK", "--format", "csv", *wh)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert set(REQUIRED_FIELDS) <= set(rows[0])
    air = next(r for r in rows if r["variable"] == "index_air_hazard")
    assert (air["geoid"], air["year"], air["value"], air["quality"]) == (
        "4075000",
        "2018",
        "55.0",
        "Marginal",
    )
    assert air["lb"] == "" and air["ub"] == ""


def test_profile_unknown_place(wh: list[str]) -> None:
    result = run("profile", "Ramsy County, MN", *wh)
    assert result.exit_code == 1
    assert "No county or city matches 'Ramsy County, MN'." in result.stderr
    assert "Closest matches: Ramsey County, MN (27123)" in result.stderr
    assert "Traceback" not in result.stderr


def test_profile_ambiguous_place(wh: list[str]) -> None:
    result = run("profile", "Ramsey", *wh)
    assert result.exit_code == 1
    assert "Ramsey County, MN (27123); Ramsey County, ND (38071)" in result.stderr


def test_profile_without_a_warehouse(tmp_path: Path) -> None:
    result = run("profile", "27123", "--warehouse", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 1
    assert "No warehouse at" in result.stderr and "upward data load DIR" in result.stderr


def test_profile_uses_the_environment(
    fixture_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(fixture_warehouse_path))
    cells = json_cells(run("profile", "9001", "--format", "json"))
    assert {c["geoid"] for c in cells} == {"09001"}


# --- series -------------------------------------------------------------------------------


def test_series_json(wh: list[str]) -> None:
    cells = json_cells(run("series", "2758000", "income_percentiles", "--format", "json", *wh))
    assert len(cells) == 24
    assert [(c["subgroup_type"], c["subgroup"], c["year"]) for c in cells[:4]] == [
        ("all", "All", 2014),
        ("all", "All", 2021),
        ("all", "All", 2023),
        ("race-ethnicity", "All", 2021),
    ]
    assert cells[1]["value"] == 19800.0 and cells[3]["value"] == 19350.0


def test_series_json_keeps_ratio_text(wh: list[str]) -> None:
    cells = json_cells(run("series", "38071", "housing_wealth_ratio", "-f", "json", *wh))
    black = next(c for c in cells if c["variable"] == "ratio_black_nh_house_value_households")
    assert (black["value"], black["value_text"], black["quality"]) == (None, "0.000:0.000", "Weak")


def test_series_table_and_csv(wh: list[str]) -> None:
    table = run("series", "27123", "low_birth_weight", *wh)
    assert table.exit_code == 0
    text = flat(table.stdout)
    assert "mothers-education: Less than High School" in text
    assert "race-ethnicity: Black, Non-Hispanic" in text
    rows = list(
        csv.DictReader(
            io.StringIO(run("series", "27123", "low_birth_weight", "-f", "csv", *wh).stdout)
        )
    )
    assert [(r["subgroup_type"], r["year"], r["value"]) for r in rows[:4]] == [
        ("all", "2016", "0.0785"),
        ("all", "2022", "0.0803"),
        ("all", "2023", "0.0821"),
        ("mothers-education", "2022", "0.0799"),
    ]


def test_series_subgroup_type_option(wh: list[str]) -> None:
    cells = json_cells(
        run("series", "27123", "--subgroup-type", "race-share", "--format", "json", *wh)
    )
    assert [(c["subgroup"], c["value"]) for c in cells] == [
        ("All", 0.2311),
        ("Neighborhoods of color", 0.3408),
        ("White neighborhoods", 0.1702),
    ]


def test_series_unknown_metric(wh: list[str]) -> None:
    result = run("series", "27123", "low_birth_wieght", *wh)
    assert result.exit_code == 1
    assert "Did you mean: low_birth_weight" in result.stderr


# --- search -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_search_formats(wh: list[str], fmt: str) -> None:
    result = run("search", "Tulsa", "--format", fmt, *wh)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        assert [g["geoid"] for g in json.loads(result.stdout)] == ["4075000", "40143"]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [(r["geoid"], r["display_name"]) for r in rows] == [
            ("4075000", "Tulsa, OK"),
            ("40143", "Tulsa County, OK"),
        ]
    else:
        text = flat(result.stdout)
        assert text.index("Tulsa, OK") < text.index("Tulsa County, OK")


def test_search_level_and_nothing_found(wh: list[str]) -> None:
    result = run("search", "27", "--level", "city", "--format", "json", *wh)
    assert [g["geoid"] for g in json.loads(result.stdout)] == ["2743000", "2758000"]
    nothing = run("search", "Springfield", *wh)
    assert nothing.exit_code == 1
    assert "No county or city name contains 'Springfield'" in nothing.stderr
    bad_level = run("search", "x", "--level", "state", *wh)
    assert bad_level.exit_code == 1 and "--level must be county or city" in bad_level.stderr


# --- data ---------------------------------------------------------------------------------


def test_data_status(wh: list[str], fixture_warehouse_path: Path) -> None:
    result = run("data", "status", *wh)
    assert result.exit_code == 0, result.stderr
    text = flat(result.stdout)
    assert "Places 11 counties, 4 cities" in text
    with duckdb.connect(str(fixture_warehouse_path), read_only=True) as con:
        count = con.execute("SELECT count(*) FROM observation").fetchone()[0]  # type: ignore[index]
    assert f"Observations {count:,}" in text
    assert "Files 24 (0 match Urban's published checksums)" in text


def test_data_status_json(wh: list[str]) -> None:
    result = run("data", "status", "--format", "json", *wh)
    status = json.loads(result.stdout)
    assert (status["counties"], status["cities"], status["files_verified"]) == (11, 4, 0)
    assert len(status["files"]) == 24
    assert {f["kind"] for f in status["files"]} == {"universe", "overall", "subgroup", "combined"}


def test_data_export_parquet(wh: list[str], fixture_warehouse_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    result = run("data", "export", str(out), "--format", "parquet", *wh)
    assert result.exit_code == 0, result.stderr
    with duckdb.connect(str(fixture_warehouse_path), read_only=True) as con:
        for table in ("observation", "geography", "geography_year", "release_file", "rejection"):
            path = out / f"{table}.parquet"
            assert path.is_file(), table
            in_parquet = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
            in_warehouse = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert in_parquet == in_warehouse, table
        same = con.execute(
            f"""SELECT count(*) FROM (
                  SELECT * FROM read_parquet('{out / "observation.parquet"}')
                  EXCEPT SELECT * FROM observation)"""
        ).fetchone()
        assert same == (0,)
    assert not list(out.glob(".*.part"))


def test_data_export_unknown_format(wh: list[str], tmp_path: Path) -> None:
    result = run("data", "export", str(tmp_path), "--format", "orc", *wh)
    assert result.exit_code == 1
    assert "Use --format parquet" in result.stderr


def test_data_load_not_a_folder(tmp_path: Path) -> None:
    result = run("data", "load", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w"))
    assert result.exit_code == 1
    assert "is not a folder" in result.stderr
