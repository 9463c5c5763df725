"""``upward data releases | use | diff`` and ``upward data map draft``: releases side by side.

Mounted on the ``data`` command group of :mod:`upward.cli` (imported at its end).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from upward import config
from upward.cli import (
    Format,
    FormatOption,
    WarehouseOption,
    data_app,
    err,
    fail,
    map_app,
    out,
    print_json,
    refresh_progress,
)


@data_app.command("releases")
def data_releases(warehouse: WarehouseOption = None, format: FormatOption = Format.table) -> None:
    """List the loaded releases: name, source, checksum, when loaded, files, cells."""
    from upward.explore.library import RegistryError, loaded_releases
    from upward.explore.shapes import releases_out
    from upward.reports.release_text import releases_csv, releases_table

    try:
        entries, current = loaded_releases(warehouse)
    except RegistryError as exc:
        fail(str(exc))
    if format is Format.json:
        print_json(releases_out(entries, current).model_dump())
    elif format is Format.csv:
        print(releases_csv(entries, current), end="")
    elif not entries:
        out.print("No named release is loaded. Add one with: upward data load DIR --release NAME")
    else:
        out.print(releases_table(entries, current))


@data_app.command("use")
def data_use(
    name: Annotated[str, typer.Argument(help="The release to make current.")],
    warehouse: WarehouseOption = None,
) -> None:
    """Make release NAME current: pages, API and commands now read it."""
    from upward.explore.library import Registry, RegistryError, UnknownRelease

    try:
        entry = Registry(warehouse or config.warehouse_path()).use(name)
    except (UnknownRelease, RegistryError, FileNotFoundError) as exc:
        fail(str(exc))
    out.print(f"Release {entry.name} ({entry.version}) is now current.", highlight=False)
    if (warehouse or config.warehouse_path()) == config.warehouse_path():
        refresh_progress(None, after="data use")


@data_app.command("diff")
def data_diff(
    old: Annotated[str, typer.Argument(help="The earlier release, e.g. 2023.01.")],
    new: Annotated[str, typer.Argument(help="The later release, e.g. 2025.01.")],
    variable: Annotated[str | None, typer.Option(help="Only this variable.")] = None,
    place: Annotated[str | None, typer.Option(help="Only this place (FIPS code).")] = None,
    show: Annotated[int, typer.Option(help="Revised cells to list in the table.")] = 50,
    format: FormatOption = Format.table,
    warehouse: WarehouseOption = None,
) -> None:
    """List the cells release NEW revised from OLD, with a summary per variable."""
    from upward.explore.library import Registry, RegistryError, UnknownRelease, diff_releases
    from upward.reports.release_text import diff_csv, diff_payload, diff_tables

    registry = Registry(warehouse or config.warehouse_path())
    try:
        paths = registry.path(old), registry.path(new)
    except (UnknownRelease, RegistryError) as exc:
        fail(str(exc))
    diff = diff_releases(*paths, names=(old, new), variable=variable, geoid=place)
    if format is Format.json:
        print_json(diff_payload(diff))
    elif format is Format.csv:
        print(diff_csv(diff), end="")
    else:
        out.print(diff_tables(diff, show))


@map_app.command("draft")
def map_draft(
    directory: Annotated[Path, typer.Argument(help="Folder of an unknown release's files.")],
    release: Annotated[str, typer.Option(help="Name of the release.")] = "unnamed",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
) -> None:
    """Draft a release map from column names and list what it could not place."""
    from upward.explore.library import draft_map

    if not directory.is_dir():
        fail(f"{directory} is not a folder.")
    draft = draft_map(directory, release)
    text = draft.to_yaml()
    if output:
        output.write_text(text, encoding="utf-8")
        out.print(f"Wrote the draft map of {len(draft.files)} files to {output}")
    else:
        print(text, end="")
    for item in draft.unplaced:
        err.print(f"Not placed: {escape(str(item))}", highlight=False, soft_wrap=True)
