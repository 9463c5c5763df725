"""Shared fixtures: a warehouse built from the hand-made fixture release, and one built
from the full ../shared/mobility-data bundle.

Fixtures:
    fixture_data_dir        tests/fixtures/mobility-data (see tests/fixtures/README.md)
    fixture_warehouse_path  a warehouse built from it once per session (per xdist worker)
    fixture_warehouse       a read-only :class:`~upward.data.warehouse.Warehouse` on it
    full_data_dir           the full bundle: $UPWARD_SHARED_DATA, else
                            <repo>/../shared/mobility-data; skips the test when absent
    full_warehouse_path     a warehouse built from the full bundle once per test run,
                            shared by the xdist workers through a file lock
    full_data_2023_dir      Urban's earlier release (tag v2023.01): $UPWARD_SHARED_DATA_2023,
                            else <repo>/../shared/mobility-data-2023; skips when absent
    full_releases           a release registry holding both full releases, 2023.01 and
                            2025.01 (current), built once per run like full_warehouse_path
    warehouse_env           points the web app (UPWARD_WAREHOUSE) at the fixture
                            warehouse for one test, through monkeypatch

Nothing here changes the environment for good: a test that needs UPWARD_WAREHOUSE sets
it with monkeypatch (``warehouse_env`` does so for the fixture warehouse), or passes
``--warehouse`` to the command line. Every test that uses ``full_data_dir`` or
``full_warehouse_path`` is marked ``full`` automatically, so ``pytest -m "not full"``
runs without the bundle.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from upward.data.ingest import load_release
from upward.data.registry import Registry
from upward.data.warehouse import Warehouse

# web_support.py holds assertions that test modules import: keep pytest's detailed messages.
pytest.register_assert_rewrite("web_support")

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "mobility-data"
FULL_FIXTURES = ("full_data_dir", "full_warehouse_path", "full_data_2023_dir", "full_releases")


def shared_data_dir() -> Path:
    """Where the full bundle should be: $UPWARD_SHARED_DATA or ../shared/mobility-data."""
    env = os.environ.get("UPWARD_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "mobility-data"


def shared_data_2023_dir() -> Path:
    """Where Urban's v2023.01 files should be: $UPWARD_SHARED_DATA_2023 or a sibling folder."""
    env = os.environ.get("UPWARD_SHARED_DATA_2023")
    return Path(env) if env else ROOT.parent / "shared" / "mobility-data-2023"


@pytest.hookimpl(tryfirst=True)  # before `-m` selection reads the markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in FULL_FIXTURES):
            item.add_marker(pytest.mark.full)


@pytest.fixture(scope="session")
def fixture_data_dir() -> Path:
    return FIXTURE_DATA


@pytest.fixture(scope="session")
def fixture_warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from the fixture release (about half a second)."""
    target = tmp_path_factory.mktemp("fixture-warehouse") / "warehouse.duckdb"
    load_release(FIXTURE_DATA, target)
    return target


@pytest.fixture(scope="session")
def fixture_warehouse(fixture_warehouse_path: Path) -> Iterator[Warehouse]:
    with Warehouse(fixture_warehouse_path) as warehouse:
        yield warehouse


@pytest.fixture(scope="session")
def full_data_dir() -> Path:
    path = shared_data_dir()
    if not (path / "README.md").is_file():
        pytest.skip(f"the full Mobility Metrics bundle is not at {path}")
    return path


@contextmanager
def built_once(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """A folder of this test run for ``name``, held under an exclusive lock.

    Under xdist every worker has its own base temp folder inside one folder per run;
    the first worker to take the lock builds there and the others reuse what it built.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield root / name
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def full_warehouse_path(full_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built from the full bundle once per run (about 12 s)."""
    with built_once(tmp_path_factory, "full-warehouse") as folder:
        target = folder / "warehouse.duckdb"
        if not target.is_file():
            load_release(full_data_dir, target)
    return target


@pytest.fixture(scope="session")
def full_data_2023_dir() -> Path:
    path = shared_data_2023_dir()
    if not (path / "README.md").is_file():
        pytest.skip(f"Urban's v2023.01 release is not at {path}")
    return path


@pytest.fixture(scope="session")
def full_releases(
    full_data_dir: Path, full_data_2023_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Registry:
    """Both full releases loaded side by side (about a minute), once per run."""
    with built_once(tmp_path_factory, "full-releases") as folder:
        registry = Registry(folder / "warehouse.duckdb")
        names = {e.name for e in registry.releases()}
        if "2023.01" not in names:
            load_release(full_data_2023_dir, registry.warehouse, release="2023.01")
        if "2025.01" not in names:
            load_release(full_data_dir, registry.warehouse, release="2025.01")
    return registry


@pytest.fixture
def warehouse_env(fixture_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the web app at the fixture warehouse (Ramsey County MN, St. Paul, ...)."""
    from upward.web import data as web_data

    monkeypatch.setenv("UPWARD_WAREHOUSE", str(fixture_warehouse_path))
    web_data.reset()
    yield fixture_warehouse_path
    web_data.reset()
