"""``upward demo``: the made-up Ramsey County coalition through every stage, on both
releases, with its team in the demo learning network.

Mounted on :mod:`upward.cli` (imported at its end); the work is
:func:`upward.web.demo.build_demo`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from upward.cli import WarehouseOption, _django, app, fail, open_release
from upward.cli_network import _interactive, _say, _unmigrated


@app.command("demo")
def demo(
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Build beside the data already there; no question."),
    ] = False,
    replace: Annotated[
        bool, typer.Option(help="Delete the demo coalition already there and build it again.")
    ] = False,
    if_missing: Annotated[
        bool,
        typer.Option(
            "--if-missing", help="When the demo is there already, say so and change nothing."
        ),
    ] = False,
    seeds: Annotated[
        Path | None,
        typer.Option(help="The demo network's page or seeds folder (default ../shared/seeds)."),
    ] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Build a made-up coalition for Ramsey County, MN (labelled a demo) through every
    stage on Urban's releases 2023.01 (its baselines) and 2025.01 (its progress): readiness,
    coalition, engagements and coded findings, local data, officials, priorities, vision,
    theory of change and an approved logic model, measures and targets, actions,
    sustainability, a published plan and its public page, and its team in the demo learning
    network. One transaction; the demo sign-ins are printed."""
    if warehouse is not None:  # the workspace stores read the warehouse the server reads
        os.environ["UPWARD_WAREHOUSE"] = str(warehouse)
    _django()
    from django.db import DatabaseError

    from upward.web import demo as coalition

    try:
        if _unmigrated():
            fail("The database is not set up yet: run `upward manage migrate` first.")
        found = coalition.existing_demo()
        if found is not None and if_missing and not replace:
            _say(
                f"The demo workspace /w/{found.slug}/ is there already: nothing to do. Its "
                "sign-ins (demo-owner, demo-editor, demo-viewer, maln-operator, maln-adviser) "
                "were printed when it was built; `upward demo --replace` builds it again "
                "with new ones."
            )
            return
        if found is not None and not replace:
            fail(
                f"The demo workspace /w/{found.slug}/ is there already. Add --replace to "
                "build it again; nothing was changed."
            )
        already = coalition.other_data()
        if already and not yes:
            if not _interactive():
                fail(
                    f"The database holds other data ({already}). Add --yes to build the demo "
                    "beside it; nothing was changed."
                )
            if not typer.confirm(
                f"The database holds other data ({already}). Add the demo beside it?"
            ):
                fail("Nothing was changed.")
    except DatabaseError as exc:
        fail(f"The workspace store cannot be read: {exc}")
    with open_release(warehouse) as release:
        try:
            coalition.build_demo(release, _say, replace=replace, seeds=seeds)
        except coalition.DemoRefused as exc:
            fail(str(exc))
