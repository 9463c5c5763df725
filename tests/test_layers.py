"""The layers of ARCHITECTURE.md import only downward; the pure layers import no I/O layer;
the web app and the command line read releases only through the release facade.

Every ``import`` and ``from ... import`` in src/upward is read with :mod:`ast` (relative
imports resolved), as are ``importlib.import_module("...")`` calls with a literal name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "upward"

#: The pure layers: statistics and rules over values, no storage, no pages, no terminal.
PURE = ("catalog", "analysis", "planning")
IO_LAYERS = ("data", "web", "cli", "reports", "explore")

#: Layers in ARCHITECTURE.md order; a layer may import itself and those above it here.
ORDER = ("catalog", "data", "analysis", "planning", "reports", "explore", "web", "cli")

#: The release facade's callers: they reach ``upward.data`` only through ``upward.explore``.
FACADE_CALLERS = ("web", "cli")


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = PACKAGE) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in a file of the package at ``root``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:  # `from upward import data` imports upward.data
                yield node.lineno, f"{module}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "upward" or len(parts) < 2:
        return None
    if parts[1].startswith("cli_"):  # cli_release.py: the command line's other half
        return "cli"
    return parts[1] if parts[1] in ORDER else None


def files_of(layer: str, package: Path = PACKAGE) -> list[Path]:
    folder = package / layer
    if folder.is_dir():
        return sorted(folder.rglob("*.py"))
    return sorted(p for p in package.glob(f"{layer}*.py") if layer_of(module_name(p, package)))


def violations(layer: str, forbidden: tuple[str, ...], package: Path = PACKAGE) -> list[str]:
    found = []
    for path in files_of(layer, package):
        for line, module in imported_modules(path, package):
            if layer_of(module) in forbidden:
                found.append(f"{path.relative_to(package.parent)}:{line} imports {module}")
    return found


@pytest.mark.parametrize("layer", PURE)
def test_pure_layers_import_no_io_layer(layer: str) -> None:
    assert violations(layer, IO_LAYERS) == []


def test_data_never_imports_web_or_cli() -> None:
    assert violations("data", ("web", "cli")) == []


def test_every_module_belongs_to_a_layer() -> None:
    """A new top-level module must be placed in ORDER, or the scan would not see it."""
    loose = [
        p.name
        for p in PACKAGE.glob("*.py")
        if p.name not in ("__init__.py", "config.py") and layer_of(module_name(p)) is None
    ]
    assert loose == []
    assert {p.name for p in files_of("cli")} >= {"cli.py", "cli_release.py"}


@pytest.mark.parametrize("layer", FACADE_CALLERS)
def test_web_and_cli_reach_the_data_only_through_the_facade(layer: str) -> None:
    """Nothing in web/ or cli*.py imports upward.data: they call upward.explore."""
    assert violations(layer, ("data",)) == []


def test_only_the_middleware_hands_out_the_raw_warehouse() -> None:
    """Views call the Release (``get_release``); ``get_warehouse`` is for tests."""
    callers = [
        str(path.relative_to(PACKAGE.parent))
        for path in files_of("web") + files_of("cli")
        if path != PACKAGE / "web" / "data.py"
        and "get_warehouse" in path.read_text(encoding="utf-8")
    ]
    assert callers == []


def test_the_facade_sits_between_the_library_and_its_callers() -> None:
    below, above = ORDER[: ORDER.index("explore")], ORDER[ORDER.index("explore") + 1 :]
    assert {"data", "analysis", "reports"} <= set(below)
    assert set(FACADE_CALLERS) <= set(above)
    assert (PACKAGE / "explore" / "__init__.py").is_file()
    assert violations("explore", above) == []


@pytest.mark.parametrize("layer", ORDER)
def test_layers_import_only_downward(layer: str) -> None:
    above = ORDER[ORDER.index(layer) + 1 :]
    assert violations(layer, above) == []


def test_the_scanner_sees_imports(tmp_path: Path) -> None:
    """The scan must be able to fail: a fake module with each kind of import."""
    source = (
        "import upward.web.settings\n"
        "from upward import reports\n"
        "from ..data import warehouse\n"
        "from upward.cli import app\n"
        "import importlib\n"
        "importlib.import_module('upward.data.ingest')\n"
    )
    probe = tmp_path / "upward" / "analysis" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(source)
    modules = {m for _, m in imported_modules(probe, tmp_path / "upward")}
    assert {"upward.web.settings", "upward.reports", "upward.data", "upward.cli"} <= modules
    assert "upward.data.ingest" in modules
    assert {layer_of(m) for m in modules} >= {"web", "reports", "data", "cli"}


def test_the_facade_scan_can_fail(tmp_path: Path) -> None:
    """A web module and a command module that import the data layer are both caught."""
    root = tmp_path / "upward"
    (root / "web" / "explorer").mkdir(parents=True)
    (root / "web" / "explorer" / "probe.py").write_text("from upward.data.model import Geography\n")
    (root / "cli_probe.py").write_text("from upward.data import warehouse\n")
    (root / "web" / "fine.py").write_text("from upward.explore import Geography\n")
    assert violations("web", ("data",), root) == [
        "upward/web/explorer/probe.py:1 imports upward.data.model",
        "upward/web/explorer/probe.py:1 imports upward.data.model.Geography",
    ]
    assert violations("cli", ("data",), root) == [
        "upward/cli_probe.py:1 imports upward.data",
        "upward/cli_probe.py:1 imports upward.data.warehouse",
    ]
