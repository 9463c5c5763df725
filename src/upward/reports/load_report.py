"""The report printed after ``upward data load``."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from upward.data.ingest import LoadReport


def print_load_report(report: LoadReport, console: Console, show_rejections: int = 20) -> None:
    table = Table(title="Files read", title_justify="left")
    for name in ("File", "Kind", "Rows", "Rejected", "Cells", "Checksum"):
        table.add_column(name, justify="right" if name in ("Rows", "Rejected", "Cells") else "left")
    for f in report.files:
        check = {True: "matches", False: "differs", None: "not in manifest"}[f.matches_manifest]
        table.add_row(f.path, f.kind, f"{f.rows:,}", f"{f.rows_rejected:,}", f"{f.cells:,}", check)
    console.print(table)
    notes = [
        (f.path, note) for f in report.files for note in f.notes if not note.startswith("left out")
    ]
    if notes:
        console.print("[bold]Notes[/]")
        for path, note in notes:
            console.print(f"  {path}: {note}", highlight=False)
    if report.rejections:
        console.print(f"[bold yellow]Rejected ({len(report.rejections):,} cells or rows)[/]")
        for rejection in report.rejections[:show_rejections]:
            console.print(f"  {rejection}", highlight=False)
        if len(report.rejections) > show_rejections:
            console.print(f"  … and {len(report.rejections) - show_rejections:,} more")
    if report.refused:
        console.print(f"[bold yellow]Left out ({len(report.refused)} files, --partial)[/]")
        for problem in report.refused:
            console.print(f"  {problem}", highlight=False, soft_wrap=True)
    used = sum(f.kind not in ("ignored", "refused") for f in report.files)
    where = f"release {report.release} ({report.warehouse})" if report.release else report.warehouse
    console.print(
        f"[bold green]Loaded[/] {used} files, "
        f"{report.rows:,} rows, "
        f"{report.observations:,} observations for {report.geographies:,} places "
        f"in {report.seconds:.1f} s into {where}",
        highlight=False,
    )
