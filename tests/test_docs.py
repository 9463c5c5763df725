"""Documentation keeps up with the code: every command, option and environment variable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from upward.cli import app

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = ROOT / "docs" / "cli.md"
SOURCE = ROOT / "src" / "upward"

#: Options every Typer program has; not ours to document.
BUILTIN_OPTIONS = {"--help", "--install-completion", "--show-completion"}

#: os.environ.get("X"), os.environ["X"], os.getenv("X"), env_vars.get("X") and the like.
ENV_READ = re.compile(
    r"""(?:environ|getenv|env_vars|env)\s*(?:\.get\(|\[|\()\s*["']([A-Z][A-Z0-9_]{2,})["']"""
)


def commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """("upward data load", command) for the program and every command below it.

    Duck-typed over Click's Command and Group (Typer ships its own copy of Click).
    """
    yield " ".join(("upward", *path)), command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


def long_options(command: Any) -> list[str]:
    return [
        option
        for param in command.params
        if param.param_type_name == "option"
        for option in param.opts
        if option.startswith("--") and option not in BUILTIN_OPTIONS
    ]


ALL_COMMANDS = list(commands(typer.main.get_command(app)))


def documented(name: str) -> bool:
    text = CLI_DOC.read_text(encoding="utf-8")
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def test_the_cli_has_the_commands_of_the_issue() -> None:
    names = {name for name, _ in ALL_COMMANDS}
    assert {
        "upward profile",
        "upward series",
        "upward search",
        "upward metrics",
        "upward metrics show",
        "upward data load",
        "upward data status",
        "upward data export",
        "upward data fetch",
    } <= names


@pytest.mark.parametrize("name", [name for name, _ in ALL_COMMANDS[1:]])
def test_every_command_is_documented(name: str) -> None:
    assert documented(name), f"`{name}` is not in docs/cli.md"


@pytest.mark.parametrize(
    ("name", "option"),
    [(name, option) for name, command in ALL_COMMANDS for option in long_options(command)],
)
def test_every_option_is_documented(name: str, option: str) -> None:
    assert documented(option), f"`{name} {option}` is not in docs/cli.md"


def env_vars_read() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if "static" in path.parts:
            continue
        for match in ENV_READ.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1), str(path.relative_to(ROOT)))
    return found


def test_the_env_scan_finds_the_known_variables() -> None:
    assert {"UPWARD_HOME", "UPWARD_WAREHOUSE"} <= set(env_vars_read())


def test_every_environment_variable_is_documented() -> None:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    text = "\n".join(p.read_text(encoding="utf-8") for p in docs if p.is_file())
    missing = {
        name: where
        for name, where in env_vars_read().items()
        if not re.search(rf"\b{name}\b", text)
    }
    assert missing == {}, "read in the code but not in README.md or docs/: " + str(missing)
