"""Finding and reading Urban's files: discovery, encodings, checksums, headers."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from upward.data.contract import GEO_COLUMNS, FileKind, MalformedFile

COMBINED_FILE = re.compile(r"^\d\d_mobility-metrics_")


@dataclass(frozen=True)
class SourceFile:
    """One CSV file of a release, as found on disk and, once placed, as the load reads it.

    Never changed: placing a file (:func:`upward.data.placement.place`) returns a new
    record with its kind, its columns under the catalog's names and its notes.
    """

    relpath: str
    path: Path
    sha256: str
    size: int
    columns: tuple[str, ...]
    readable_path: Path
    """The file DuckDB reads: the original, or a UTF-8 copy when it had Latin-1 lines."""
    latin1_lines: tuple[int, ...] = ()
    original_columns: Mapping[str, str] = field(default_factory=dict)
    """Catalog column -> the file's own header, for columns the release map renamed."""
    kind: FileKind = "ignored"
    geo_column: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def geo_level(self) -> str | None:
        return GEO_COLUMNS[self.geo_column][0] if self.geo_column else None

    def original(self, column: str) -> str:
        """The file's own header for a column (as renamed by the release map)."""
        return self.original_columns.get(column, column)

    @property
    def is_combined(self) -> bool:
        return bool(COMBINED_FILE.match(self.path.name))

    def noted(self, *notes: str) -> SourceFile:
        """The same file with ``notes`` added after its own."""
        return replace(self, notes=self.notes + notes) if notes else self


def discover(source_dir: Path) -> list[Path]:
    """Every CSV file under ``source_dir``, in a stable order."""
    if not source_dir.is_dir():
        raise FileNotFoundError(f"{source_dir} is not a directory")
    return sorted(p for p in source_dir.rglob("*.csv") if p.is_file())


def _decode_lines(raw: bytes) -> tuple[str, tuple[int, ...]]:
    """Decode a file that is not clean UTF-8, line by line.

    Urban's crosswalk files mix UTF-8 with Latin-1 bytes. Each line is read as UTF-8
    when it can be and as Latin-1 otherwise.
    """
    out: list[str] = []
    latin1: list[int] = []
    for number, chunk in enumerate(raw.splitlines(keepends=True), start=1):
        try:
            out.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(chunk.decode("latin-1"))
            latin1.append(number)
    return "".join(out), tuple(latin1)


def _refuse_nul_bytes(raw: bytes, relpath: str) -> None:
    """A file with NUL bytes is not CSV text (UTF-16 or binary) and is refused.

    Checked before decoding: UTF-16 without a byte-order mark is valid UTF-8 byte for
    byte, and would otherwise be read as a file of unknown columns and skipped.
    """
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise MalformedFile(
            relpath,
            line,
            None,
            "the file is not UTF-8 or Latin-1 text (it contains NUL bytes; "
            "UTF-16 or a binary file?). Save it as UTF-8 CSV.",
        )


def read_source(path: Path, source_dir: Path, scratch: Path) -> SourceFile:
    """Hash a file, check its encoding and read its header."""
    relpath = path.relative_to(source_dir).as_posix()
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    _refuse_nul_bytes(raw, relpath)
    readable = path
    latin1: tuple[int, ...] = ()
    had_bom = raw.startswith(b"\xef\xbb\xbf")
    if had_bom:
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text, latin1 = _decode_lines(raw)
    cr_only = "\r" in text and "\n" not in text
    if cr_only:
        text = text.replace("\r", "\n")
    if latin1 or had_bom or cr_only:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", suffix=".csv", dir=scratch, delete=False, newline=""
        ) as handle:
            handle.write(text)
        readable = Path(handle.name)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not first_line.strip():
        raise MalformedFile(relpath, 1, None, "the file is empty or has no header row")
    columns = tuple(c.strip() for c in next(csv.reader(io.StringIO(first_line))))
    if len(set(columns)) != len(columns):
        dup = sorted({c for c in columns if columns.count(c) > 1})
        raise MalformedFile(relpath, 1, dup[0], "the header names this column twice")
    return SourceFile(
        relpath=relpath,
        path=path,
        sha256=sha,
        size=path.stat().st_size,
        columns=columns,
        readable_path=readable,
        latin1_lines=latin1,
        notes=("lines end with CR only (old Mac style); read as lines",) if cr_only else (),
    )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


REJECT_REASONS = {
    "MISSING COLUMNS": "the row has fewer fields than the header (truncated file?)",
    "TOO MANY COLUMNS": "the row has more fields than the header",
    "INVALID UNICODE": "the row is not valid UTF-8 text",
    "UNQUOTED VALUE": "a quoted field is not closed (truncated file?)",
}


def read_table(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    types: dict[str, str],
    table: str = "raw",
) -> int:
    """Read the file into the temporary table ``table``, with the given column types.

    DuckDB records every row it cannot read (wrong field count, bad text, a number
    that is not a number) in ``reject_errors`` with its line and column; the first
    one makes the file malformed.
    """
    con.execute(f"DROP TABLE IF EXISTS {table}")
    columns = "{" + ", ".join(f"{_literal(c)}: {_literal(t)}" for c, t in types.items()) + "}"
    try:
        con.execute(
            f"""CREATE TEMP TABLE {table} AS SELECT * FROM read_csv(
                ?, header = true, auto_detect = false, delim = ',', quote = '"',
                escape = '"', columns = {columns}, nullstr = ['NA', ''],
                store_rejects = true, rejects_table = 'reject_errors',
                rejects_scan = 'reject_scans')""",
            [str(source.readable_path)],
        )
    except duckdb.Error as exc:
        raise MalformedFile(source.relpath, None, None, f"cannot be read as CSV: {exc}") from exc
    first = con.execute(
        """SELECT line, column_name, error_type, csv_line, error_message FROM reject_errors
           ORDER BY line LIMIT 1"""
    ).fetchone()
    con.execute("DROP TABLE IF EXISTS reject_errors")
    con.execute("DROP TABLE IF EXISTS reject_scans")
    if first:
        line, column, kind, csv_line, message = first
        if str(kind) == "CAST":
            fields = next(csv.reader([str(csv_line)]), [])
            index = source.columns.index(column) if column in source.columns else -1
            text = fields[index] if 0 <= index < len(fields) else "?"
            reason = f"'{text}' is not a number"
        else:
            reason = f"{REJECT_REASONS.get(str(kind), str(kind).lower())} ({message})"
        raise MalformedFile(source.relpath, int(line), column, reason)
    count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(count[0]) if count else 0
