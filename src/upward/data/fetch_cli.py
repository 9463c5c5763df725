"""`upward data fetch DEST`: a thin command line over `fetch.fetch_release`.

Mount it with `data_app.command("fetch")(fetch_command)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.filesize import decimal
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from upward.data.fetch import FetchError, FetchEvent, FetchReport, fetch_release
from upward.data.manifest import DEFAULT_BASE_URL, ManifestEntry, load_manifest, select_entries

_MAX_FAILURES_SHOWN = 10
_NAME_WIDTH = 36


def fetch_command(
    dest: Annotated[Path, typer.Argument(help="Folder to hold the release files.")],
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Mirror to download from (default: Urban's GitHub)."),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Fetch only this path, or the files under this folder."),
    ] = None,
) -> None:
    """Download Urban's Mobility Metrics files into DEST and verify their checksums."""
    out, err = Console(), Console(stderr=True)
    try:
        entries = select_entries(only) if only else load_manifest()
        with _ProgressBar(entries, err) as bar:
            report = fetch_release(
                dest, base_url or DEFAULT_BASE_URL, entries=entries, progress=bar
            )
    except (FetchError, ValueError) as error:
        err.print(f"[red]Error:[/red] {escape(str(error))}", soft_wrap=True, highlight=False)
        raise typer.Exit(1) from None
    _print_summary(report, dest, out, err)
    if not report.ok:
        raise typer.Exit(1)


def _print_summary(report: FetchReport, dest: Path, out: Console, err: Console) -> None:
    out.print(
        f"Downloaded {len(report.downloaded)} file(s) ({decimal(report.bytes_downloaded)}), "
        f"{len(report.already_present)} already present, {len(report.failures)} failed. "
        f"Files are in {escape(str(dest))}.",
        soft_wrap=True,
        highlight=False,
    )
    for _path, reason in report.failures[:_MAX_FAILURES_SHOWN]:
        err.print(f"[red]Failed:[/red] {escape(reason)}", soft_wrap=True, highlight=False)
    hidden = len(report.failures) - _MAX_FAILURES_SHOWN
    if hidden > 0:
        err.print(f"[red]… and {hidden} more failure(s).[/red]")


class _ProgressBar:
    """A rich progress bar over all bytes; its description names the current file."""

    def __init__(self, entries: tuple[ManifestEntry, ...], console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self._done: dict[str, int] = {}
        self._task: TaskID = self._progress.add_task(
            "Checking files", total=sum(e.bytes for e in entries)
        )

    def __enter__(self) -> _ProgressBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def __call__(self, event: FetchEvent) -> None:
        self._done[event.path] = event.bytes_total if event.kind == "present" else event.bytes_done
        name = event.path.rsplit("/", 1)[-1]
        name = name if len(name) <= _NAME_WIDTH else name[: _NAME_WIDTH - 1] + "…"
        self._progress.update(
            self._task,
            completed=sum(self._done.values()),
            description=escape(f"[{event.file_index}/{event.file_count}] {name}"),
        )
