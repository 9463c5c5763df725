"""A new release reaches every running web worker (issue 8, item 13).

A real gunicorn with two sync workers serves release A; a new release B is then put in
place, by ``load_release``'s rename into place or by swapping a symlink (the release
registry's way), and every later response from both workers must show B. The access log
names the worker (pid) of each request, so the test knows both workers answered.

Release B is the fixture release with one value changed by this test: Ramsey County's
2023 20th income percentile, 27,250.5 in A, is 28,111.5 in B.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from upward.data.ingest import load_release

INCOME = "01_financial-well-being/final/metrics_income_county_all_longitudinal.csv"
A_LINE, B_LINE = "2023,27,123,27250.5,", "2023,27,123,28111.5,"
URL = "/county/27123.json"
ROUNDS = 40
"""At most this many rounds of concurrent requests while waiting for both workers."""


def _release_b(fixture_data_dir: Path, target: Path) -> Path:
    shutil.copytree(fixture_data_dir, target)
    income = target / INCOME
    text = income.read_text()
    assert text.count(A_LINE) == 1
    income.write_text(text.replace(A_LINE, B_LINE))
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, warehouse: Path, home: Path) -> None:
        self.port = _free_port()
        self.log = home / "access.log"
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(UPWARD_WAREHOUSE=str(warehouse), UPWARD_HOME=str(home), UPWARD_ENV="development")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "upward.web.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "60",
             "--access-logfile", str(self.log), "--access-logformat", "%(p)s %(U)s %(s)s"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as reply:
            assert reply.status == 200
            return str(reply.read().decode())

    def wait_until_up(self) -> None:
        for _ in range(120):
            try:
                self.get("/index.json")
                return
            except OSError:
                time.sleep(0.5)
        raise AssertionError("gunicorn did not start")

    def workers_in_log(self, skip: int) -> set[str]:
        lines = self.log.read_text().splitlines()[skip:] if self.log.exists() else []
        return {line.split()[0] for line in lines if URL in line}

    def log_length(self) -> int:
        return len(self.log.read_text().splitlines()) if self.log.exists() else 0

    def bodies_from_both_workers(self) -> list[str]:
        """Request ``URL`` in concurrent rounds until both workers have answered."""
        start = self.log_length()
        bodies: list[str] = []
        with ThreadPoolExecutor(max_workers=6) as pool:
            for _ in range(ROUNDS):
                bodies += pool.map(lambda _n: self.get(URL), range(6))
                if len(self.workers_in_log(start)) == 2:
                    return bodies
        raise AssertionError("only one worker answered")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


@pytest.fixture
def server_home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    yield home


def _serve(warehouse: Path, home: Path) -> Iterator[Server]:
    server = Server(warehouse, home)
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


def _check_swap(server: Server, put_b_in_place: object) -> None:
    before = server.bodies_from_both_workers()
    assert all("27250.5" in body and "28111.5" not in body for body in before)
    put_b_in_place()  # type: ignore[operator]
    after = server.bodies_from_both_workers()
    assert all("28111.5" in body and "27250.5" not in body for body in after), [
        body[:200] for body in after if "28111.5" not in body
    ]


def test_a_release_loaded_into_place_reaches_both_workers(
    fixture_data_dir: Path, tmp_path: Path, server_home: Path
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    load_release(fixture_data_dir, warehouse)
    release_b = _release_b(fixture_data_dir, tmp_path / "release-b")
    for server in _serve(warehouse, server_home):
        _check_swap(server, lambda: load_release(release_b, warehouse))


def test_a_symlink_swapped_to_a_new_release_reaches_both_workers(
    fixture_data_dir: Path, tmp_path: Path, server_home: Path
) -> None:
    file_a, file_b = tmp_path / "release-a.duckdb", tmp_path / "release-b.duckdb"
    load_release(fixture_data_dir, file_a)
    load_release(_release_b(fixture_data_dir, tmp_path / "release-b"), file_b)
    link = tmp_path / "warehouse.duckdb"
    link.symlink_to(file_a)

    def swap() -> None:
        new = tmp_path / "warehouse.duckdb.new"
        new.symlink_to(file_b)
        os.replace(new, link)

    for server in _serve(link, server_home):
        _check_swap(server, swap)


def _income(warehouse: object) -> float:
    rows = warehouse.query(  # type: ignore[attr-defined]
        "SELECT value FROM observation WHERE geoid = '27123' AND year = 2023 "
        "AND variable = 'pctl_income_20' AND subgroup_type = 'all'"
    )
    return float(rows[0][0])


@pytest.fixture
def served(
    fixture_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The fixture release loaded at a warehouse path this process serves from."""
    from upward.web import data as web_data

    warehouse = tmp_path / "warehouse.duckdb"
    load_release(fixture_data_dir, warehouse)
    monkeypatch.setenv("UPWARD_WAREHOUSE", str(warehouse))
    web_data.reset()
    try:
        yield warehouse
    finally:
        web_data.reset()


def test_the_next_get_warehouse_after_a_rename_opens_the_new_file(
    served: Path, fixture_data_dir: Path, tmp_path: Path
) -> None:
    """In one process: DuckDB would hand back the open database for the same path."""
    from upward.web import data as web_data

    first = web_data.get_warehouse()
    assert _income(first) == 27250.5
    assert web_data.get_warehouse() is first  # unchanged file: same connection
    load_release(_release_b(fixture_data_dir, tmp_path / "release-b"), served)
    second = web_data.get_warehouse()
    assert second is not first
    assert _income(second) == 28111.5


def test_a_new_warehouse_drops_the_kept_pages(served: Path, fixture_data_dir: Path) -> None:
    from upward.web import data as web_data
    from upward.web import page_cache

    first = web_data.get_release()
    first.cache.put(page_cache.STORE, "x", page_cache.KeptPage(b"", "text/html"))
    load_release(fixture_data_dir, served)
    assert web_data.get_release() is not first
    assert first.cache.size(page_cache.STORE) == 0
    assert page_cache.kept_pages() == 0
