"""The ``upward`` command line: thin commands over the library."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from upward import config

app = typer.Typer(
    help="Upward: the Urban Institute's Mobility Metrics, explored honestly.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(
    help="Load, check, fetch and export the metrics warehouse.", no_args_is_help=True
)
metrics_app = typer.Typer(
    help="The Upward Mobility Framework: pillars, predictors, metrics.", invoke_without_command=True
)
map_app = typer.Typer(help="Release maps: which file and column is which.", no_args_is_help=True)
plan_app = typer.Typer(help="A workspace's Mobility Action Plan.", no_args_is_help=True)
data_app.add_typer(map_app, name="map")
app.add_typer(plan_app, name="plan")
app.add_typer(data_app, name="data")
app.add_typer(metrics_app, name="metrics")

out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 140)
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="Warehouse file (default: $UPWARD_WAREHOUSE or $UPWARD_HOME/warehouse.duckdb).",
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def fail(message: str, code: int = 1) -> NoReturn:
    # soft_wrap: a message names files and lines; never fold it at the console width.
    # escape: file names, labels and values are text, not rich markup.
    err.print(f"[bold red]Error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_release(path: Path | None):  # type: ignore[no-untyped-def]
    """The release at ``path`` (default: the configured one), or a clear failure."""
    from upward.explore import Release, ReleaseMissing

    try:
        return Release.open(path)
    except ReleaseMissing as exc:
        fail(str(exc))


def _lookup_errors() -> tuple[type[Exception], ...]:
    from upward.explore import PlaceError, UnknownName

    return (UnknownName, PlaceError)


# Catalog ------------------------------------------------------------------------------


@metrics_app.callback()
def metrics_list(ctx: typer.Context, format: FormatOption = Format.table) -> None:
    """List the metrics by pillar and predictor."""
    if ctx.invoked_subcommand:
        return
    from upward.catalog import get_catalog
    from upward.reports.catalog_text import metrics_listing

    metrics_listing(get_catalog(), format.value, out)


@metrics_app.command("show")
def metrics_show(metric: str, format: FormatOption = Format.table) -> None:
    """Explain one metric: what it measures, why it matters, variables, years, subgroups."""
    from upward.catalog import UnknownName, get_catalog
    from upward.reports.catalog_text import metric_detail

    try:
        found = get_catalog().metric(metric)
    except UnknownName as exc:
        fail(str(exc))
    metric_detail(get_catalog(), found, format.value, out)


# Data ---------------------------------------------------------------------------------


@data_app.command("load")
def data_load(
    directory: Annotated[Path, typer.Argument(help="Folder with Urban's per-metric CSV files.")],
    warehouse: WarehouseOption = None,
    show_rejections: Annotated[int, typer.Option(help="How many rejected rows to list.")] = 20,
    release: Annotated[
        str | None, typer.Option(help="Add the files as this release, e.g. 2025.01.")
    ] = None,
    partial: Annotated[
        bool, typer.Option(help="Load what can be read; list each file left out and why.")
    ] = False,
    keep_current: Annotated[
        bool, typer.Option(help="Add the release without making it current.")
    ] = False,
    map_file: Annotated[
        Path | None, typer.Option("--map", help="Release map (YAML) to read the files with.")
    ] = None,
) -> None:
    """Build the warehouse from DIRECTORY; the one in use is replaced only on success."""
    from upward.explore.library import (
        MalformedFile,
        MapError,
        NothingToLoad,
        RegistryError,
        load_release,
        read_map,
        recognise_folder,
    )
    from upward.reports.load_report import print_load_report

    target = warehouse or config.warehouse_path()
    if not directory.is_dir():
        fail(f"{directory} is not a folder. Give the folder that holds Urban's CSV files.")
    if release is None and target.is_symlink():
        known = recognise_folder(directory)
        if known is None:
            fail(f"{target} holds named releases: add --release NAME (see: upward data releases).")
        release = known.name
        err.print(f"The files are Urban's release {release}; loading them under that name.")
    try:
        release_map = read_map(map_file) if map_file else None
        with err.status("Loading…") as status:
            report = load_release(
                directory,
                target,
                progress=lambda m: status.update(f"Loading {m}"),
                release=release,
                release_map=release_map,
                partial=partial,
                make_current=not keep_current,
            )
    except (MapError, RegistryError, OSError) as exc:
        fail(str(exc))
    except ValueError as exc:  # a release name that is not one
        fail(str(exc))
    except MalformedFile as exc:
        # --partial helps only when some files could be read.
        hint = (
            ""
            if partial or isinstance(exc, NothingToLoad)
            else "\nTo load the rest, run again with --partial."
        )
        fail(f"{exc}\nNothing was changed: the warehouse in use (if any) still answers.{hint}", 2)
    print_load_report(report, out, show_rejections)
    if not keep_current and target == config.warehouse_path():
        refresh_progress(None, after="data load")


@data_app.command("status")
def data_status(warehouse: WarehouseOption = None, format: FormatOption = Format.table) -> None:
    """Show what is loaded: release, files, counts."""
    from upward.reports.console import status_table

    with open_release(warehouse) as found:
        info, files = found.status(), found.files()
    if format is Format.json:
        payload = {
            **info.__dict__,
            "loaded_at": info.loaded_at.isoformat(),
            "file_count": info.files,
            "files": files,
        }
        print_json(payload)
    else:
        out.print(status_table(info, files))


@data_app.command("export")
def data_export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the Parquet files into.")],
    format: Annotated[str, typer.Option("--format", help="Only parquet is supported.")] = "parquet",
    warehouse: WarehouseOption = None,
) -> None:
    """Write the warehouse tables as Parquet files for Spark, BigQuery or Trino."""
    from upward.explore.library import export_parquet

    if format != "parquet":
        fail(f"Unknown export format '{format}'. Use --format parquet.")
    written = export_parquet(warehouse or config.warehouse_path(), directory)
    for path, rows in written:
        out.print(f"{path}  {rows:,} rows")


@data_app.command("fetch")
def data_fetch(
    dest: Annotated[Path, typer.Argument(help="Folder to download the release into.")],
    base_url: Annotated[str | None, typer.Option(help="Mirror to download from.")] = None,
    only: Annotated[list[str] | None, typer.Option(help="Download only these paths.")] = None,
) -> None:
    """Download Urban's files (verified against the packaged checksums), resuming if cut off."""
    from upward.explore.library import fetch_command

    fetch_command(dest, base_url, only)


# Queries ------------------------------------------------------------------------------


def print_json(payload: object) -> None:
    from upward.reports.strict_json import dumps

    print(dumps(payload, indent=2, default=str))


@app.command()
def profile(
    place: Annotated[str, typer.Argument(help='FIPS code or name, e.g. "Ramsey County, MN".')],
    year: Annotated[int | None, typer.Option(help="Show this year instead of the latest.")] = None,
    subgroup_type: Annotated[
        str | None, typer.Option(help="Add a breakdown, e.g. race-ethnicity.")
    ] = None,
    format: FormatOption = Format.table,
    warehouse: WarehouseOption = None,
) -> None:
    """The latest value of every metric for a county or city, by pillar and predictor."""
    from upward.reports.console import observations_csv, profile_table

    with open_release(warehouse) as found:
        try:
            result = found.profile(place, year=year, subgroup_type=subgroup_type)
        except _lookup_errors() as exc:
            fail(str(exc))
        if format is Format.json:
            print_json(found.profile_shape(result.geography, year, subgroup_type).model_dump())
            return
    if format is Format.csv:
        sys.stdout.write(observations_csv(result.observations()))
    else:
        out.print(profile_table(result, found.catalog))


@app.command()
def series(
    place: Annotated[str, typer.Argument(help="FIPS code or name.")],
    metric: Annotated[str | None, typer.Argument(help="Metric id, e.g. low_birth_weight.")] = None,
    subgroup_type: Annotated[str | None, typer.Option(help="Only this breakdown.")] = None,
    format: FormatOption = Format.table,
    warehouse: WarehouseOption = None,
) -> None:
    """Every year and every subgroup published for a place (optionally one metric)."""
    from upward.explore.shapes import observations_out, release_name
    from upward.reports.console import observations_csv, series_table

    with open_release(warehouse) as found:
        try:
            cells = found.series(place, metric, subgroup_type=subgroup_type)
        except _lookup_errors() as exc:
            fail(str(exc))
        release = release_name(found)
    if format is Format.json:
        print_json([o.model_dump() for o in observations_out(cells, release)])
    elif format is Format.csv:
        sys.stdout.write(observations_csv(cells))
    else:
        out.print(series_table(cells, found.catalog))


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Part of a place name, or a FIPS prefix.")],
    level: Annotated[str | None, typer.Option(help="county or city")] = None,
    limit: int = 20,
    format: FormatOption = Format.table,
    warehouse: WarehouseOption = None,
) -> None:
    """Find counties and cities by name."""
    from upward.catalog import GEO_LEVELS
    from upward.explore.shapes import geography_out
    from upward.reports.console import geographies_csv, places_table

    if level not in (None, *GEO_LEVELS):
        fail(f"--level must be county or city, not '{level}'.")
    with open_release(warehouse) as release:
        found = release.search(text, limit=limit, level=level)
    if format is Format.json:
        print_json([geography_out(g).model_dump() for g in found])
    elif format is Format.csv:
        sys.stdout.write(geographies_csv(found))
    elif not found:
        fail(f"No county or city name contains '{text}'.")
    else:
        out.print(places_table(found))


# Peers and insight --------------------------------------------------------------------

PeersOption = Annotated[
    str | None,
    typer.Option(
        "--peers", help="Use these peers instead of finding them: FIPS codes, comma-separated."
    ),
]
KOption = Annotated[int, typer.Option("--k", min=1, max=50, help="How many peers to find.")]


def _refuse_csv(format: Format, command: str, prints: str = "a table") -> None:
    if format is Format.csv:
        fail(f"{command} prints {prints} or JSON; use --format table or --format json.")


def _show(format: Format, shape: Callable[[], Any], text: Callable[[], Any]) -> None:
    """Print a result as JSON (its one shape, built only then) or for a person."""
    if format is Format.json:
        print_json(shape().model_dump())
    else:
        out.print(text())


def _analysis_errors() -> tuple[type[Exception], ...]:
    from upward.explore import PeerChoiceError

    return (*_lookup_errors(), PeerChoiceError)


def _choice(release, place: str, peers: str | None, method_args: dict):  # type: ignore[no-untyped-def]
    """The place and its peer choice: found by the method, or exactly the --peers places."""
    from upward.explore import PeerChoice, chosen_set, peer_method

    geo = release.find_place(place)
    method = peer_method(geo.geo_level, **method_args)
    if not peers:
        return geo, PeerChoice(method)
    return geo, PeerChoice(method, chosen_set(geo, peers.split(",")))


@app.command()
def peers(
    place: Annotated[str, typer.Argument(help='FIPS code or name, e.g. "Ramsey County, MN".')],
    k: KOption = 5,
    same_state: Annotated[
        bool, typer.Option("--same-state", help="Only places in the same state.")
    ] = False,
    same_region: Annotated[
        bool, typer.Option("--same-region", help="Only places in the same Census region.")
    ] = False,
    population_band: Annotated[
        str | None,
        typer.Option(help="Only places with LOW to HIGH times the population, e.g. 0.5,2."),
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(help="Change a characteristic's weight: NAME=NUMBER (repeatable)."),
    ] = None,
    format: FormatOption = Format.table,
    warehouse: WarehouseOption = None,
) -> None:
    """The most similar places of the same kind, and why (the characteristics side by side)."""
    from upward.explore.analysis_shapes import peers_out
    from upward.reports.analysis_text import peers_table

    _refuse_csv(format, "peers")
    method = {"k": k, "same_state": same_state, "same_region": same_region,
              "population_band": population_band, "weights": weight or ()}  # fmt: skip
    with open_release(warehouse) as release:
        try:
            geo, choice = _choice(release, place, None, method)
            result, peer_set = release.peers(geo, choice)
        except _analysis_errors() as exc:
            fail(str(exc))
    _show(format, lambda: peers_out(result, peer_set), lambda: peers_table(result, peer_set))


def _analysis(warehouse: Path | None, place: str, peers: str | None, k: int, metric=None):  # type: ignore[no-untyped-def]
    """The place, its whole analysis (peers, comparisons, groups, trends, insights) and
    the release name every observation of a JSON answer carries."""
    from upward.explore.shapes import release_name

    with open_release(warehouse) as release:
        try:
            geo, choice = _choice(release, place, peers, {"k": k})
            return geo, release.analysis(geo, choice, metric=metric), release_name(release)
        except _analysis_errors() as exc:
            fail(str(exc))


@app.command()
def compare(
    place: Annotated[str, typer.Argument(help="FIPS code or name.")],
    peers: PeersOption = None,
    metric: Annotated[
        str | None, typer.Option(help="Only this metric, e.g. low_birth_weight.")
    ] = None,
    k: KOption = 5,
    format: FormatOption = Format.table,
    warehouse: WarehouseOption = None,
) -> None:
    """Every metric against the peers (median, range, each peer), the state and the nation."""
    from upward.explore.analysis_shapes import comparisons_out
    from upward.reports.analysis_text import comparisons_table

    _refuse_csv(format, "compare")
    geo, result, release = _analysis(warehouse, place, peers, k, metric)
    _show(
        format,
        lambda: comparisons_out(geo, result.peer_set, result.comparisons, release),
        lambda: comparisons_table(result.comparisons, geo.display_name),
    )


@app.command()
def insights(
    place: Annotated[str, typer.Argument(help="FIPS code or name.")],
    peers: PeersOption = None,
    k: KOption = 5,
    format: FormatOption = Format.table,
    warehouse: WarehouseOption = None,
) -> None:
    """Strengths and areas to explore per pillar, gaps between groups, changes over time."""
    from upward.explore.analysis_shapes import insights_out
    from upward.reports.analysis_text import insights_text

    _refuse_csv(format, "insights", prints="text")
    geo, result, release = _analysis(warehouse, place, peers, k)
    _show(
        format,
        lambda: insights_out(geo, result.peer_set, result.insights, release),
        lambda: insights_text(result.insights),
    )


class GuideFormat(StrEnum):
    pdf = "pdf"
    docx = "docx"
    html = "html"
    md = "md"


@app.command("review-guide")
def review_guide(
    place: Annotated[str, typer.Argument(help="FIPS code or name.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    format: Annotated[
        GuideFormat, typer.Option("--format", "-f", help="Document format.")
    ] = GuideFormat.pdf,
    peers: PeersOption = None,
    k: KOption = 5,
    note: Annotated[
        list[str] | None,
        typer.Option(
            help="Your notes for a question: ID=TEXT, ID one of stands_out, disparities, peers."
        ),
    ] = None,
    warehouse: WarehouseOption = None,
) -> None:
    """The Data Review Guide, pre-filled with the insights, as PDF, Word, HTML or Markdown."""
    from upward.reports.review_guide import write_review_guide

    notes = dict(item.split("=", 1) for item in (note or []) if "=" in item)
    if len(notes) != len(note or []):
        fail("--note takes ID=TEXT, e.g. --note peers='We also look at Hennepin County.'")
    problems: tuple[type[Exception], ...] = (*_analysis_errors(), ValueError)  # a bad note
    with open_release(warehouse) as release:
        try:
            geo, choice = _choice(release, place, peers, {"k": k})
            guide = release.review_guide(geo, choice, notes)
        except problems as exc:
            fail(str(exc))
    write_review_guide(guide, format.value, output)  # type: ignore[arg-type]
    out.print(f"Wrote the Data Review Guide for {geo.display_name} to {output}")


# Web ----------------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 2,
    data: Annotated[
        Path | None, typer.Option(help="Build the warehouse from this folder if none exists.")
    ] = None,
    dev: Annotated[bool, typer.Option(help="Use Django's development server.")] = False,
) -> None:
    """Start the web app (explorer, API) on the embedded default: SQLite and DuckDB."""
    import os
    import subprocess

    target = config.warehouse_path()
    if not target.exists():
        if data is None:
            fail(f"No warehouse at {target}. Start with --data DIR, or run upward data load DIR.")
        data_load(data, None, 20)
    from upward.web.manage import run as manage_run

    manage_run(["migrate", "--no-input", "--verbosity", "0"])
    out.print(f"Upward is serving on http://{host}:{port}/ (warehouse {target})")
    if dev:
        manage_run(["runserver", "--noreload", f"{host}:{port}"])
        return
    command = [
        sys.executable, "-m", "gunicorn", "upward.web.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
    ]  # fmt: skip
    raise typer.Exit(subprocess.call(command, env=os.environ.copy()))


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (migrate, createsuperuser, collectstatic, ...)."""
    from upward.web.manage import run as manage_run

    manage_run(list(ctx.args))


def _django() -> None:
    """Set Django up for a command that reads or writes the workspace store."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.web.settings")
    django.setup()


@app.command()
def remind(
    days: Annotated[
        int, typer.Option(min=0, max=365, help="Remind of items due within this many days.")
    ] = 7,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send nothing.")
    ] = False,
    base_url: Annotated[
        str, typer.Option(help="The site's address, for the links in the emails.")
    ] = "",
) -> None:
    """Email owners of actions due soon or overdue (and of measures with stale data), at
    most once a day per item: run it from cron or a systemd timer."""
    _django()
    from upward.web.measurement.reminders import remind as send

    run = send(within=days, dry_run=dry_run, base_url=base_url)
    verb = "Would send" if dry_run else "Sent"
    for reminder in run.reminders:
        out.print(f"{verb} to {reminder.email}: {reminder.title}", highlight=False)
        for item in reminder.items:
            out.print(f"  - {escape(item.title)} ({escape(item.workspace)}): {item.why}")
    count = len(run.reminders)
    out.print(
        f"{verb} {count} reminder{'s' if count != 1 else ''} on {run.on:%Y-%m-%d}; "
        f"{run.already_sent} item(s) already reminded of today.",
        highlight=False,
    )


@plan_app.command("progress")
def plan_progress(
    slug: Annotated[str, typer.Argument(help="The workspace's short name, as in /w/SLUG/.")],
    release: Annotated[
        str | None, typer.Option(help="A loaded release (default: the current one).")
    ] = None,
    format: FormatOption = Format.table,
) -> None:
    """Each population indicator's progress on a release: baseline, latest value, target
    and status in honest words (the same rows as the workspace's progress page)."""
    _django()
    from rich.table import Table

    from upward.reports.downloads import to_csv
    from upward.web.measurement import progress_store
    from upward.web.workspace.models import Workspace

    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        fail(f"No workspace '{slug}'.")
    try:
        found = progress_store.plan_progress(workspace, release)
    except progress_store.UnknownProgressRelease as exc:
        fail(str(exc))
    if format is Format.json:
        print_json(found.model_dump(mode="json"))
        return
    if format is Format.csv:
        rows = (progress_store.csv_row(row) for row in found.rows)
        sys.stdout.write(to_csv(rows, progress_store.CSV_COLUMNS))
        return
    table = Table(title=f"Progress of {slug} on release {found.release}", title_justify="left")
    for column in ("Indicator", "Baseline", "Latest", "Change", "Target", "Status"):
        table.add_column(column, overflow="fold")
    for row in found.rows:
        table.add_row(
            escape(f"{row.title} ({row.place}; {row.group})"),
            escape(
                f"{row.baseline_text}, release {row.baseline_release}"
                if row.baseline_year
                else "Not pinned"
            ),
            escape(f"{row.latest_text}, release {row.latest_release}" if row.latest_year else "—"),
            escape(progress_store.change_text(row) or "—"),
            escape(row.target_text or "Not set"),
            escape(
                f"{row.status_words}: {row.words}"
                + "".join(f" {c.name}: {c.words}" for c in row.context)
            ),
        )
    if not found.rows:
        out.print(f"{slug} has no population indicator on the Mobility Metrics yet.")
        return
    out.print(table)


class PlanExportFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    docx = "docx"
    json = "json"


class PlanEdition(StrEnum):
    technical = "technical"
    general = "general"


def write_plan(document: Any, format: PlanExportFormat, edition: PlanEdition, output: Path) -> None:
    """Write ``document`` (a PlanDocument) to ``output``, whole or not at all, and say so."""
    from upward.reports.action_plan import write_document

    try:
        size = write_document(document, format.value, edition.value, output)  # type: ignore[arg-type]
    except OSError as exc:
        fail(f"Cannot write {output}: {exc.strerror or exc}.")
    what = "JSON" if format is PlanExportFormat.json else f"{edition.value} edition, {format.value}"
    out.print(f"Wrote {output} ({what}, {size:,} bytes).", highlight=False)


@plan_app.command("export")
def plan_export(
    slug: Annotated[str, typer.Argument(help="The workspace's short name, as in /w/SLUG/.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    format: Annotated[
        PlanExportFormat, typer.Option("--format", "-f", help="Document format.")
    ] = PlanExportFormat.pdf,
    edition: Annotated[
        PlanEdition, typer.Option(help="Technical, or for a general audience (not for json).")
    ] = PlanEdition.technical,
    version: Annotated[
        int | None,
        typer.Option("--version", min=1, help="A published version's number: its frozen document."),
    ] = None,
) -> None:
    """The workspace's Mobility Action Plan as a document: the draft assembled from its
    records, as on the workspace's plan page, or a published version (``--version N``) as
    it was frozen."""
    _django()
    from upward.reports.action_plan import PlanDocument
    from upward.web.measurement import publish_store
    from upward.web.measurement.plan_document import assemble
    from upward.web.workspace.models import Workspace

    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        fail(f"No workspace '{slug}'.")
    if version is None:
        write_plan(assemble(workspace), format, edition, output)
        return
    found = publish_store.version_of(workspace, version)
    if found is None:
        numbers = [str(v.number) for v in publish_store.versions_of(workspace)]
        published = f"published: {', '.join(reversed(numbers))}" if numbers else "none yet"
        fail(f"{slug} has no published version {version} ({published}).")
    write_plan(PlanDocument.from_dict(found.document), format, edition, output)


def refresh_progress(release: str | None, *, after: str = "") -> bool:
    """Refresh every workspace's progress on ``release`` and print what it did; False when
    a workspace failed. ``after``: the command it follows (``data load``, ``data use``),
    whose own work stands whatever happens here: a workspace store that cannot be reached
    is then a warning, not a failure."""
    _django()
    from django.db import DatabaseError

    from upward import explore
    from upward.web.measurement import progress_store, refresh_store

    explore.reset()  # the release just made current, not one this process opened before
    try:
        run = refresh_store.refresh_all(release)
    except progress_store.UnknownProgressRelease as exc:
        if after:
            err.print(f"Progress not refreshed: {escape(str(exc))}", highlight=False)
            return True
        fail(str(exc))
    except Exception as exc:  # the load or the switch stands whatever happens here
        if not after:
            if isinstance(exc, DatabaseError):
                fail(f"The workspace store cannot be read: {exc}")
            raise
        err.print(
            f"Progress not refreshed after {after}: the workspace store cannot be read ({exc}). "
            "Run `upward plan refresh` once it can.",
            highlight=False,
        )
        return True
    for done in run.workspaces:
        if done.outcome == "refreshed":
            out.print(
                f"{done.workspace}: refreshed {done.indicators} indicator(s); "
                f"{done.changed} changed status(es), {done.revised} newly revised baseline(s).",
                highlight=False,
            )
        elif done.outcome == "failed":
            err.print(f"{done.workspace}: not refreshed: {escape(done.message)}", highlight=False)
    out.print(
        f"Progress on release {run.release}: {run.count('refreshed')} workspace(s) refreshed, "
        f"{run.count('already')} already refreshed on it, {len(run.failed)} failed.",
        highlight=False,
    )
    return not run.failed


@plan_app.command("refresh")
def plan_refresh(
    release: Annotated[
        str | None, typer.Option(help="A loaded release (default: the current one).")
    ] = None,
) -> None:
    """Refresh every workspace's progress on a release (once per release: again is a no-op),
    with a line in each one's activity; a workspace that fails does not stop the others."""
    if not refresh_progress(release):
        raise typer.Exit(1)


# The release commands (data releases, use, diff, map draft), `upward network demo` and
# `upward export site` (the explorer as a static site) live beside this module.
from upward import cli_demo, cli_export, cli_network, cli_release  # noqa: E402, F401

if __name__ == "__main__":  # pragma: no cover
    app()
