"""The analysis layer is pure: no I/O, no database, no Django, no terminal."""

from __future__ import annotations

import ast
from pathlib import Path

import upward.analysis

ALLOWED = {
    "__future__",
    "collections",
    "dataclasses",
    "math",
    "statistics",
    "itertools",
    "typing",
    "base64",
    "binascii",
    "json",
    "re",
    "urllib",
    "upward",
}
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval"}
PACKAGE = Path(upward.analysis.__file__).parent


def test_analysis_imports_only_pure_modules() -> None:
    for module in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] in ALLOWED, (module.name, name)
                if name.startswith("upward."):
                    assert name.split(".")[1] in ("analysis", "catalog"), (module.name, name)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, (module.name, node.func.id)


def test_the_check_can_fail(tmp_path: Path) -> None:
    probe = "import duckdb\nfrom upward.data import warehouse\n"
    tree = ast.parse(probe)
    roots = {n.names[0].name.split(".")[0] for n in tree.body if isinstance(n, ast.Import)}
    assert not roots <= ALLOWED
