"""``upward network demo``: the demo learning network from the seeds.

Mounted on :mod:`upward.cli` (imported at its end); the work is
:func:`upward.web.networks.demo.build_network_demo`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from upward.cli import WarehouseOption, _django, app, fail, open_release, out

network_app = typer.Typer(help="Learning networks of coalitions.", no_args_is_help=True)
app.add_typer(network_app, name="network")


def _say(line: str) -> None:
    out.print(escape(line), highlight=False, soft_wrap=True)


def _interactive() -> bool:
    """Whether a person can answer a question (the command runs in a terminal)."""
    return sys.stdin.isatty()


def _unmigrated() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@network_app.command("demo")
def network_demo(
    seeds: Annotated[
        Path | None,
        typer.Argument(
            help="The network's page, or the seeds folder holding it "
            "(default: $UPWARD_SEEDS, else ../shared/seeds beside the repository)."
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Build beside the data already there; no question.")
    ] = False,
    allow_unresolved: Annotated[
        bool,
        typer.Option(help="Build even when some members have no place (their teams get none)."),
    ] = False,
    warehouse: WarehouseOption = None,
) -> None:
    """Build the demo Mobility Action Learning Network: its localities in their tracks, each
    resolved to its place in the current release (a city too small for Urban's city data as
    its county), a demo workspace and team per locality and demo staff accounts, whose
    sign-ins are printed. Run again, it finds the network there and does nothing."""
    _django()
    from django.db import DatabaseError

    from upward.web.networks import demo

    try:
        seed = demo.read_seed(seeds)
    except demo.DemoRefused as exc:
        fail(str(exc))
    try:
        if _unmigrated():
            fail("The database is not set up yet: run `upward manage migrate` first.")
        found = demo.existing_demo()
        if found is None:
            already = demo.other_data()
            if already and not yes:
                if not _interactive():
                    fail(
                        f"The database holds other data ({already}). Add --yes to build the "
                        "demo network beside it; nothing was changed."
                    )
                if not typer.confirm(
                    f"The database holds other data ({already}). Add the demo network beside it?"
                ):
                    fail("Nothing was changed.")
    except DatabaseError as exc:
        fail(f"The workspace store cannot be read: {exc}")
    with open_release(warehouse) as release:
        try:
            demo.build_network_demo(release, _say, seeds=seed, allow_unresolved=allow_unresolved)
        except demo.DemoRefused as exc:
            fail(str(exc))
