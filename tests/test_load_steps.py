"""The steps of a load, each run alone on a few files written here.

Every step takes frozen inputs and returns a frozen result (:mod:`upward.data.build`,
:mod:`upward.data.ingest`), so each can be checked without running a whole load.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from upward.catalog import get_catalog
from upward.data.build import (
    NothingToLoad,
    ReleaseRefused,
    check_outcome,
    load_places,
    open_warehouse,
    place_sources,
    read_sources,
    stage_metrics,
)
from upward.data.contract import MalformedFile
from upward.data.ingest import plan_target, summarise
from upward.data.load_step import BuildSpec, FileReport, Outcomes
from upward.data.placement import place
from upward.data.source import read_source

LBW = "lbw_county.csv"
LBW_TEXT = (
    "year,state,county,rate_low_birth_weight,rate_low_birth_weight_lb,"
    "rate_low_birth_weight_ub,rate_low_birth_weight_quality\n"
    "2016,27,053,0.0712,0.0690,0.0734,1\n"
    "2016,27,123,0.0785,0.0751,0.0819,1\n"
)
UNIVERSE = "county-populations.csv"
UNIVERSE_TEXT = (
    "year,state,county,state_name,county_name,population\n"
    "2016,27,053,Minnesota,Hennepin County,1230000\n"
    "2016,27,123,Minnesota,Ramsey County,540000\n"
)


def write(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return sorted(paths)


def spec(source_dir: Path, partial: bool = False) -> BuildSpec:
    return BuildSpec(source_dir, get_catalog(), lambda _m: None, partial=partial)


def test_placing_a_file_returns_a_new_record_and_leaves_the_one_read_as_it_was(
    tmp_path: Path,
) -> None:
    shouted = LBW_TEXT.replace("rate_low_birth_weight,", "RATE_LOW_BIRTH_WEIGHT,", 1)
    [path] = write(tmp_path, {LBW: shouted})
    read = read_source(path, tmp_path, tmp_path)
    placement = place(read, get_catalog(), None, tmp_path)
    assert placement.problem is None
    assert (placement.source.kind, placement.source.geo_level) == ("overall", "county")
    assert placement.source.columns[3] == "rate_low_birth_weight"
    assert "header 'RATE_LOW_BIRTH_WEIGHT' read as 'rate_low_birth_weight'" in (
        placement.source.notes
    )
    assert (read.kind, read.notes, read.columns[3]) == ("ignored", (), "RATE_LOW_BIRTH_WEIGHT")
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.kind = "overall"  # type: ignore[misc]


def test_a_file_that_cannot_be_placed_keeps_the_notes_gathered_before_the_problem(
    tmp_path: Path,
) -> None:
    [path] = write(tmp_path, {LBW: LBW_TEXT.replace("year,state,", "YEAR,", 1)})
    placement = place(read_source(path, tmp_path, tmp_path), get_catalog(), None, tmp_path)
    assert isinstance(placement.problem, MalformedFile)
    assert "required column 'state' is missing" in str(placement.problem)
    assert placement.source.notes == ("header 'YEAR' read as 'year'",)


def test_reading_reports_a_file_that_is_not_text_and_passes_the_others_on(
    tmp_path: Path,
) -> None:
    paths = write(tmp_path, {LBW: LBW_TEXT, "utf16.csv": "year,state\n".encode("utf-16-le")})
    read = read_sources(paths, tmp_path, tmp_path)
    assert [s.relpath for s in read.sources] == [LBW]
    [report] = read.outcomes.reports
    assert (report.path, report.kind, report.geo_level) == ("utf16.csv", "refused", None)
    assert report.notes[0].startswith("left out: utf16.csv:1: the file is not UTF-8")
    assert [p.path for p in read.outcomes.refused] == ["utf16.csv"]


def test_placing_ends_the_story_of_files_not_used(tmp_path: Path) -> None:
    paths = write(tmp_path, {LBW: LBW_TEXT, "notes.csv": "name,comment\na,b\n"})
    read = read_sources(paths, tmp_path, tmp_path)
    placed = place_sources(read.sources, get_catalog(), None, tmp_path)
    assert [f.source.relpath for f in placed.files] == [LBW]
    assert placed.files[0].report == FileReport(
        LBW, "overall", "county", sha256=read.sources[0].sha256
    )
    [ignored] = placed.outcomes.reports
    assert (ignored.path, ignored.kind) == ("notes.csv", "ignored")
    assert ignored.notes == (
        "not used: not a Mobility Metrics file (no column year, state, county or place)",
    )
    assert placed.outcomes.refused == ()


def test_places_and_metric_files_load_into_a_warehouse_of_their_own(tmp_path: Path) -> None:
    header_only = LBW_TEXT.split("\n")[0] + "\n"
    paths = write(tmp_path, {LBW: LBW_TEXT, UNIVERSE: UNIVERSE_TEXT, "empty.csv": header_only})
    read = read_sources(paths, tmp_path, tmp_path)
    placed = place_sources(read.sources, get_catalog(), None, tmp_path)
    con = duckdb.connect()
    open_warehouse(con, spec(tmp_path), None)
    places = load_places(con, placed.of_kind("universe"), lambda _m: None)
    metrics = stage_metrics(con, placed.of_kind("overall"), get_catalog(), lambda _m: None)
    assert [(r.path, r.kind, r.rows) for r in places.reports] == [(UNIVERSE, "universe", 2)]
    staged, empty = sorted(metrics.reports, key=lambda r: r.path != LBW)
    assert (staged.file_id, staged.rows, staged.cells) == (1, 2, 2)
    assert staged.metrics == ("low_birth_weight",)
    assert (empty.path, empty.kind) == ("empty.csv", "refused")
    assert empty.notes == ("left out: empty.csv: the file has no data rows",)
    assert metrics.cells == 2 and [p.path for p in metrics.refused] == ["empty.csv"]
    # The placed files' reports are as they were: each step returned new ones.
    assert all(f.report.rows == 0 for f in placed.files)


def test_the_outcome_check_refuses_a_release_without_cells_or_with_a_file_left_out(
    tmp_path: Path,
) -> None:
    problem = MalformedFile("a.csv", 2, None, "bad")
    left_out = FileReport("a.csv", "overall", "county").left_out(problem)
    universe = FileReport(UNIVERSE, "universe", "county", rows=2)
    with pytest.raises(NothingToLoad, match=r"\(2 files: 1 universe or crosswalk files; 1 refused"):
        check_outcome(Outcomes((left_out, universe), (problem,)), spec(tmp_path, partial=True))
    with_cells = Outcomes((left_out, universe), (problem,), cells=5)
    with pytest.raises(ReleaseRefused) as caught:
        check_outcome(with_cells, spec(tmp_path))
    assert caught.value.problems == [problem]
    check_outcome(with_cells, spec(tmp_path, partial=True))  # --partial: goes on


def test_a_target_names_the_file_a_release_is_built_into(tmp_path: Path) -> None:
    plain = plan_target(tmp_path / "w.duckdb", None)
    assert plain.final == tmp_path / "w.duckdb" and plain.release is None
    named = plan_target(tmp_path / "w.duckdb", "2025.01")
    assert named.final.parent == tmp_path / "releases"
    assert named.final.name == f"2025.01-{named.load_id}.duckdb"
    with pytest.raises(ValueError, match="is not a release name"):
        plan_target(tmp_path / "w.duckdb", "../x")


def test_the_load_report_is_built_once_from_the_build_and_where_it_answers(
    tmp_path: Path, fixture_data_dir: Path
) -> None:
    from upward.data.build import build_release
    from upward.data.source import discover

    building = tmp_path / "built.duckdb"
    built = build_release(discover(fixture_data_dir), building, tmp_path, spec(fixture_data_dir))
    report = summarise(built, "2025.01", tmp_path / "w.duckdb", 1.5)
    assert (report.warehouse, report.release, report.seconds) == (
        str(tmp_path / "w.duckdb"),
        "2025.01",
        1.5,
    )
    assert report.files == built.files and report.observations == built.observations > 0
    assert [f.path for f in report.files] == sorted(f.path for f in report.files)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.warehouse = "elsewhere"  # type: ignore[misc]
