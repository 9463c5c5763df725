"""``upward export site DIR``: the public explorer as a static site.

Mounted on :mod:`upward.cli` (imported at its end); the work is
:func:`upward.web.static_site.export_site`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from upward.cli import _django, app, err, fail, out

export_app = typer.Typer(help="Export the public explorer.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("site")
def export_site(
    directory: Annotated[
        Path, typer.Argument(help="Folder for the site: new, empty or a previous export.")
    ],
    only_changed: Annotated[
        bool,
        typer.Option("--only-changed", help="Rewrite only pages and files whose content changed."),
    ] = False,
    release: Annotated[
        str | None, typer.Option(help="A loaded release (default: the current one).")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, max=64, help="Processes that render pages (default: 2, at most the cores)."
        ),
    ] = None,
) -> None:
    """Write every county, city, state and metric page, with its .json and .csv files and the
    assets it uses, as a static site with relative links (any static host, or file://)."""
    _django()
    from upward.explore import ReleaseMissing, UnknownRelease
    from upward.web.static_site import ExportRefused, export
    from upward.web.static_site.export import ExportFailed, describe

    processes = workers or min(export.DEFAULT_WORKERS, os.cpu_count() or 1)
    try:
        found = export.export_site(
            directory,
            only_changed=only_changed,
            release_name=release,
            workers=processes,
            progress=lambda line: err.print(escape(line), highlight=False),
        )
    except (
        ExportRefused,
        ExportFailed,
        ReleaseMissing,
        UnknownRelease,
        ValueError,
        OSError,
    ) as exc:
        fail(str(exc))
    for line in describe(found):
        out.print(escape(line), highlight=False, soft_wrap=True)
