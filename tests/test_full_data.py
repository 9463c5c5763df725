"""The full bundle against the warehouse built from it (marker `full`).

Everything expected here is read from Urban's files with Python's csv module, by code that
shares nothing with the loader except the catalog (which names the value columns and the
subgroup labels). Three checks:

* universes: every county and city of the population files is a geography, year by year;
* coverage: every variable has observations for every year (and breakdown) the files have;
* 200+ random published cells (fixed seed) equal what `upward series ... --format json`
  prints: value, lower and upper bound, quality. A cell that another file also publishes
  is compared with the file that won the contest, which must be the better file.
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from upward.catalog import Variable, get_catalog
from upward.cli import app
from upward.data.warehouse import Warehouse
from upward.explore import Release
from upward.explore.shapes import observations_out, release_name
from upward.reports.strict_json import dumps

pytestmark = pytest.mark.full

CATALOG = get_catalog()
SEED = 20261121
CELLS_PER_FILE = 3
MISSING = ("", "NA")
QUALITY = {"Strong": 1, "Marginal": 2, "Weak": 3}
QUALITY_WORD = {1: "Strong", 2: "Marginal", 3: "Weak"}
GEO = {"county": ("county", 3), "place": ("city", 5), "place_fips": ("city", 5)}

Key = tuple[str, str]  # (subgroup_type, subgroup)


# --- reading Urban's files independently -------------------------------------------------


@dataclass
class MetricFile:
    relpath: str
    path: Path
    columns: list[str]
    geo_column: str
    values: list[tuple[int, Variable]]
    """(column index, variable) of every published value column."""
    dims: set[str] = field(default_factory=set)
    """Canonical subgroup types of the file's non-All rows."""

    @property
    def level(self) -> str:
        return GEO[self.geo_column][0]

    @property
    def has_subgroups(self) -> bool:
        return "subgroup" in self.columns and "subgroup_type" in self.columns

    def rank(self) -> tuple[int, int, str]:
        """Better files first: overall, then subgroup, then Urban's combined files;
        files under final/ (or built/) before others; then by path."""
        tier = 2 if self.relpath.startswith("data/") else (1 if self.has_subgroups else 0)
        final = 0 if ("/final/" in f"/{self.relpath}" or "/built/" in f"/{self.relpath}") else 1
        return (tier, final, self.relpath)


@dataclass(frozen=True)
class Row:
    file: MetricFile
    line: int
    geoid: str
    year: int
    subgroup: Key | None
    """None for an All row: its keys depend on the file's breakdowns."""
    cells: list[str]

    def obs_keys(self) -> list[Key]:
        if self.subgroup is not None:
            return [self.subgroup]
        return [("all", "All"), *((d, "All") for d in sorted(self.file.dims))]


def header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return [c.strip() for c in next(csv.reader(handle))]


def metric_files(data_dir: Path) -> list[MetricFile]:
    found = []
    for path in sorted(data_dir.rglob("*.csv")):
        if "geographic-crosswalks" in path.parts:
            continue
        columns = header(path)
        geo = next((c for c in GEO if c in columns), None)
        values = [(i, v) for i, c in enumerate(columns) if (v := CATALOG.column_variable(c))]
        if geo and "year" in columns and "state" in columns and values:
            relpath = path.relative_to(data_dir).as_posix()
            found.append(MetricFile(relpath, path, columns, geo, values))
    return found


def read_rows(mf: MetricFile) -> Iterator[Row]:
    """Every data row with its geoid, year and canonical subgroup (rows without a
    subgroup label are skipped: the loader rejects them)."""
    col = {c: i for i, c in enumerate(mf.columns)}
    width = GEO[mf.geo_column][1]
    with open(mf.path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        for line, cells in enumerate(reader, start=2):
            geoid = cells[col["state"]].strip().zfill(2) + cells[col[mf.geo_column]].strip().zfill(
                width
            )
            subgroup: Key | None = ("all", "All")
            if mf.has_subgroups:
                label = cells[col["subgroup"]].strip()
                if label in MISSING:
                    continue
                if label.casefold() == "all":
                    subgroup = None
                else:
                    subgroup = CATALOG.normalize_subgroup(cells[col["subgroup_type"]], label)
                    mf.dims.add(subgroup[0])
            yield Row(mf, line, geoid, int(cells[col["year"]]), subgroup, cells)


def number(text: str | None) -> float | None:
    if text is None or text.strip() in MISSING:
        return None
    return float(text)


def quality(text: str | None) -> int | None:
    if text is None or text.strip() in MISSING:
        return None
    text = text.strip()
    return QUALITY[text] if text in QUALITY else int(float(text))


def published(row: Row, index: int, variable: Variable) -> dict[str, Any]:
    """What the file says for one cell, in the shape of the JSON output."""
    col = {c: i for i, c in enumerate(row.file.columns)}
    name = row.file.columns[index]

    def at(suffix: str) -> str | None:
        i = col.get(f"{name}{suffix}")
        return None if i is None else row.cells[i]

    text = row.cells[index].strip()
    out: dict[str, Any] = {"lb": number(at("_lb")), "ub": number(at("_ub"))}
    q = quality(at("_quality"))
    out["quality"] = QUALITY_WORD[q] if q else None
    if variable.kind == "ratio_pair":
        if text in MISSING:
            out.update(value=None, value_text=None)
        else:
            a, b = (float(part) for part in text.split(":"))
            out.update(value=a / b if b > 0 else None, value_text=text)
    else:
        out["value"] = number(text)
    return out


def bounds_broken(cell: dict[str, Any]) -> bool:
    v, lb, ub = cell["value"], cell["lb"], cell["ub"]
    if v is None:
        return lb is not None and ub is not None and lb > ub
    return (lb is not None and v < lb) or (ub is not None and v > ub)


# --- one pass over the bundle ------------------------------------------------------------


@dataclass
class Scan:
    files: dict[str, MetricFile]
    years: dict[tuple[str, str], set[int]]
    """(geo level, variable) -> years with a row in some file."""
    published_years: dict[tuple[str, str], set[int]]
    """(geo level, variable) -> years with a value (not NA or blank) in some file."""
    breakdowns: dict[tuple[str, str], set[str]]
    """(geo level, variable) -> canonical subgroup types in the files."""
    samples: list[tuple[Row, int, Variable]]


def _reservoir(rng: random.Random, kept: list[Row], seen: int, row: Row) -> None:
    if len(kept) < CELLS_PER_FILE:
        kept.append(row)
    else:
        slot = rng.randrange(seen)
        if slot < CELLS_PER_FILE:
            kept[slot] = row


@pytest.fixture(scope="module")
def scan(full_data_dir: Path) -> Scan:
    rng = random.Random(SEED)
    years: dict[tuple[str, str], set[int]] = defaultdict(set)
    published_years: dict[tuple[str, str], set[int]] = defaultdict(set)
    breakdowns: dict[tuple[str, str], set[str]] = defaultdict(set)
    samples: list[tuple[Row, int, Variable]] = []
    files = metric_files(full_data_dir)
    for mf in files:
        kept: list[Row] = []
        for seen, row in enumerate(read_rows(mf), start=1):
            for i, variable in mf.values:
                years[(mf.level, variable.name)].add(row.year)
                if row.cells[i].strip() not in MISSING:
                    published_years[(mf.level, variable.name)].add(row.year)
                if row.subgroup is not None and row.subgroup[0] != "all":
                    breakdowns[(mf.level, variable.name)].add(row.subgroup[0])
            _reservoir(rng, kept, seen, row)
        for row in kept:
            filled = [(i, v) for i, v in mf.values if row.cells[i].strip() not in MISSING]
            index, variable = rng.choice(filled or mf.values)
            samples.append((row, index, variable))
    return Scan({f.relpath: f for f in files}, years, published_years, breakdowns, samples)


# --- universes and coverage --------------------------------------------------------------


def universe(path: Path, geo: str, width: int) -> dict[int, set[str]]:
    """Year -> geoids of a population file (Latin-1 lines decoded as such)."""
    lines = []
    for raw in path.read_bytes().splitlines():
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("latin-1"))
    by_year: dict[int, set[str]] = defaultdict(set)
    for row in csv.DictReader(lines):
        by_year[int(row["year"])].add(row["state"].strip().zfill(2) + row[geo].strip().zfill(width))
    return by_year


@pytest.fixture(scope="module")
def warehouse(full_warehouse_path: Path) -> Iterator[Warehouse]:
    with Warehouse(full_warehouse_path) as wh:
        yield wh


@pytest.mark.parametrize(
    ("filename", "geo", "width", "level"),
    [
        ("county-populations.csv", "county", 3, "county"),
        ("place-populations.csv", "place", 5, "city"),
    ],
)
def test_every_place_of_the_universe_is_a_geography(
    full_data_dir: Path, warehouse: Warehouse, filename: str, geo: str, width: int, level: str
) -> None:
    by_year = universe(full_data_dir / "geographic-crosswalks" / "data" / filename, geo, width)
    everyone = set().union(*by_year.values())
    geographies = warehouse.geographies
    missing = sorted(everyone - set(geographies))
    assert missing == []
    assert {geographies[g].geo_level for g in everyone} == {level}
    loaded = defaultdict(set)
    for geoid, year in warehouse.query(
        "SELECT geoid, year FROM geography_year WHERE geo_level = ?", [level]
    ):
        loaded[int(year)].add(geoid)
    assert {y: len(g) for y, g in loaded.items()} == {y: len(g) for y, g in by_year.items()}
    assert loaded == by_year
    assert all(geographies[g].name and geographies[g].state_abbr for g in everyone)


def test_every_variable_has_every_year_of_the_files(scan: Scan, warehouse: Warehouse) -> None:
    loaded: dict[tuple[str, str], set[int]] = defaultdict(set)
    for level, variable, year in warehouse.query(
        "SELECT DISTINCT geo_level, variable, year FROM observation"
    ):
        loaded[(level, variable)].add(int(year))
    gaps = {}
    for metric in CATALOG.metrics:
        for level in metric.geographies:
            for variable in metric.variables:
                key = (level, variable.name)
                expected = set(metric.years.get(level, ())) & scan.years.get(key, set())
                if expected - loaded[key]:
                    gaps[key] = sorted(expected - loaded[key])
    assert gaps == {}
    # Nothing invented: every loaded year is a year of some file.
    assert {k: v for k, v in loaded.items() if v - scan.years.get(k, set())} == {}


def test_catalog_years_are_the_years_in_the_files(scan: Scan) -> None:
    """Where the files publish values of a variable for a level, the catalog lists the
    same years."""
    differ = {}
    for metric in CATALOG.metrics:
        for level in metric.geographies:
            for variable in metric.variables:
                in_files = scan.published_years.get((level, variable.name))
                if in_files and set(metric.years.get(level, ())) != in_files:
                    differ[(level, variable.name)] = (metric.years.get(level), sorted(in_files))
    assert differ == {}


def test_every_breakdown_of_the_files_is_loaded(scan: Scan, warehouse: Warehouse) -> None:
    loaded: dict[tuple[str, str], set[str]] = defaultdict(set)
    for level, variable, subgroup_type in warehouse.query(
        "SELECT DISTINCT geo_level, variable, subgroup_type FROM observation "
        "WHERE subgroup_type <> 'all' AND subgroup <> 'All'"
    ):
        loaded[(level, variable)].add(subgroup_type)
    assert dict(loaded) == {k: v for k, v in scan.breakdowns.items() if v}


# --- 200 random published cells ----------------------------------------------------------


class SeriesCache:
    """`upward series GEOID METRIC --format json`, once per place and metric.

    ``cell(..., cli=True)`` runs the command line; otherwise the same cells come from the
    release facade the command reads (``Release.series``), in the same JSON shape and
    through the same strict encoder, without opening the warehouse again for each place.
    """

    def __init__(self, warehouse_path: Path, release: Release) -> None:
        self.args = ["--warehouse", str(warehouse_path), "--format", "json"]
        self.runner = CliRunner()
        self.release = release
        self.cache: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.printed: set[tuple[str, str]] = set()
        """The (place, metric) pairs read from the command line's output."""

    def _printed(self, geoid: str, metric: str) -> list[dict[str, Any]]:
        result = self.runner.invoke(app, ["series", geoid, metric, *self.args])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)  # type: ignore[no-any-return]

    def _shaped(self, geoid: str, metric: str) -> list[dict[str, Any]]:
        cells = observations_out(self.release.series(geoid, metric), release_name(self.release))
        return json.loads(dumps([o.model_dump() for o in cells], default=str))  # type: ignore[no-any-return]

    def cell(
        self, geoid: str, variable: Variable, year: int, key: Key, cli: bool = False
    ) -> dict[str, Any] | None:
        pair = (geoid, variable.metric_id)
        if cli and pair not in self.printed:
            printed = self._printed(*pair)
            if pair in self.cache:
                assert printed == self.cache[pair], pair
            self.cache[pair] = printed
            self.printed.add(pair)
        elif pair not in self.cache:
            self.cache[pair] = self._shaped(*pair)
        found = [
            c
            for c in self.cache[pair]
            if (c["variable"], c["year"], c["subgroup_type"], c["subgroup"])
            == (variable.name, year, *key)
        ]
        assert len(found) <= 1
        return found[0] if found else None


class Winners:
    """Rows of the files that won a priority contest, read once per file."""

    def __init__(self) -> None:
        self.wanted: dict[str, set[tuple[str, int]]] = defaultdict(set)
        self.rows: dict[tuple[str, str, int, Key], Row] = {}

    def want(self, mf: MetricFile, geoid: str, year: int) -> None:
        self.wanted[mf.relpath].add((geoid, year))

    def read(self, files: dict[str, MetricFile]) -> None:
        for relpath, places in self.wanted.items():
            for row in read_rows(files[relpath]):
                if (row.geoid, row.year) in places:
                    for key in row.obs_keys():
                        assert (relpath, row.geoid, row.year, key) not in self.rows
                        self.rows[(relpath, row.geoid, row.year, key)] = row

    def row(self, mf: MetricFile, geoid: str, year: int, key: Key) -> Row:
        return self.rows[(mf.relpath, geoid, year, key)]


def compare(got: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    problems = []
    for name in ("value", "lb", "ub", "quality"):
        if got[name] != expected[name]:
            problems.append(f"{name}: printed {got[name]!r}, file has {expected[name]!r}")
    if expected.get("value_text") is not None and got.get("value_text") != expected["value_text"]:
        problems.append(f"value_text: {got.get('value_text')!r} vs {expected['value_text']!r}")
    return problems


def test_random_published_cells_match_the_cli(scan: Scan, full_warehouse_path: Path) -> None:
    """Every sampled cell as `upward series` shows it. The command line itself runs for the
    first sample of each file (one run per file, every metric's files); the other samples
    read the same JSON shape from the release facade the command reads."""
    with Release(Warehouse(full_warehouse_path)) as release:
        check_cells(scan, full_warehouse_path, release)


def check_cells(scan: Scan, full_warehouse_path: Path, release: Release) -> None:
    series = SeriesCache(full_warehouse_path, release)
    winners = Winners()
    failures: list[str] = []
    pending = []
    first_seen: set[str] = set()
    for row, index, variable in scan.samples:
        expected = published(row, index, variable)
        where = f"{row.file.relpath}:{row.line} column '{row.file.columns[index]}'"
        cli = row.file.relpath not in first_seen
        first_seen.add(row.file.relpath)
        for key in row.obs_keys()[:2]:  # an All row: the overall and one breakdown total
            got = series.cell(row.geoid, variable, row.year, key, cli=cli)
            if bounds_broken(expected):
                if got is not None and got["source_file"] == row.file.relpath:
                    failures.append(f"{where}: broken bounds loaded anyway")
            elif got is None:
                failures.append(f"{where} {key}: not in `upward series {row.geoid}`")
            else:
                if got["source_file"] != row.file.relpath:
                    winners.want(scan.files[got["source_file"]], row.geoid, row.year)
                pending.append((row, variable, key, expected, got, where))
    winners.read(scan.files)
    contests = 0
    for row, variable, key, expected, got, where in pending:
        want, source = expected, row.file
        if got["source_file"] != row.file.relpath:
            contests += 1
            source = scan.files[got["source_file"]]
            if not source.rank() < row.file.rank():
                failures.append(f"{where} {key}: lost to a lesser file {source.relpath}")
            winner = winners.row(source, row.geoid, row.year, key)
            winner_index = next(i for i, v in source.values if v.name == variable.name)
            want = published(winner, winner_index, variable)
        problems = compare(got, want)
        failures += [f"{where} {key} (from {source.relpath}): {p}" for p in problems]
    print(
        f"{len(scan.samples)} cells sampled from {len(scan.files)} files; {len(pending)} "
        f"observations compared, {contests} of them won by another file; "
        f"{len(series.printed)} runs of the command line"
    )
    assert failures == []
    assert len(scan.samples) >= 200
    assert len(pending) >= 200
    assert len({row.file.relpath for row, _, _ in scan.samples}) == len(scan.files)
    assert contests > 0  # the priority rule was exercised (overall vs subgroup All rows)
    # the command line's own output was compared for a sample of every file
    printed = series.printed
    by_cli = {r.file.relpath for r, _, v in scan.samples if (r.geoid, v.metric_id) in printed}
    assert by_cli == set(scan.files)
