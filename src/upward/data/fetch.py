"""Download Urban's release files into a folder, resuming and verifying each one.

Standard library only. For every manifest entry: skip it when DEST already holds the
right bytes; otherwise stream it to `DEST/<path>.part` (resuming with an HTTP Range
request when a `.part` is left from an interrupted run), check size and SHA-256, and
`os.replace` it into place. A file reaches its final name only once verified.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from time import sleep
from typing import Any, Literal

from upward import __version__
from upward.data.manifest import (
    DEFAULT_BASE_URL,
    ManifestEntry,
    load_manifest,
    sha256_file,
    verify_file,
)

EventKind = Literal["start", "progress", "present", "done", "failed"]

_CHUNK = 64 * 1024
_USER_AGENT = f"upward/{__version__} (Python urllib)"
_TRANSIENT_HTTP = frozenset({408, 425, 429, 500, 502, 503, 504})
_CONTENT_RANGE = re.compile(r"bytes (\d+)-\d+/(?:\d+|\*)")
_OFFLINE_HINT = (
    "Check your network connection, or pass --base-url to a mirror, or copy the files by hand."
)


class FetchError(Exception):
    """A release file could not be fetched. The message is written for the user."""


class UnreachableError(FetchError):
    """The server could not be reached at all: offline, DNS failure, connection refused."""


class ChecksumError(FetchError):
    """A downloaded file's bytes differ from the manifest. The `.part` file is deleted."""

    def __init__(self, path: str, expected: str, actual: str, expected_size: int, size: int):
        self.path = path
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{path}: checksum mismatch: expected sha256 {expected} ({expected_size:,} bytes), "
            f"got sha256 {actual} ({size:,} bytes). The download was discarded; "
            "the server's copy is not the file Urban published."
        )


class _Interrupted(Exception):
    """A transfer stopped part-way or met a transient server error: worth retrying."""


class _Unreachable(Exception):
    """Connecting failed (refused, DNS, timeout): retry, then give up on the whole run."""


@dataclass(frozen=True)
class FetchEvent:
    """Progress of one file. `file_index` counts from 1; `bytes_done` includes resumed bytes."""

    path: str
    bytes_done: int
    bytes_total: int
    file_index: int
    file_count: int
    kind: EventKind = "progress"


@dataclass
class FetchReport:
    """What a fetch run did: paths downloaded or already in place, and per-file failures."""

    downloaded: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    bytes_downloaded: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass
class _Job:
    entry: ManifestEntry
    url: str
    target: Path
    index: int
    count: int
    timeout: float
    progress: Callable[[FetchEvent], None] | None
    received: int = 0

    @property
    def part(self) -> Path:
        return self.target.with_name(self.target.name + ".part")

    def emit(self, kind: EventKind, done: int) -> None:
        if self.progress is not None:
            event = FetchEvent(
                self.entry.path, done, self.entry.bytes, self.index, self.count, kind
            )
            self.progress(event)


def release_url(base_url: str, path: str) -> str:
    """The URL of a repository-relative path under `base_url`, percent-quoted."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + urllib.parse.quote(PurePosixPath(path).as_posix(), safe="/")


def fetch_release(
    dest: Path,
    base_url: str = DEFAULT_BASE_URL,
    *,
    entries: Iterable[ManifestEntry] | None = None,
    progress: Callable[[FetchEvent], None] | None = None,
    timeout: float = 30,
    retries: int = 3,
    backoff: float = 0.5,
) -> FetchReport:
    """Download the release files (default: the packaged manifest) into `dest`.

    Per-file problems (HTTP 404, checksum mismatch, repeated interruptions) are recorded in
    `FetchReport.failures` and the run goes on. A server that cannot be reached at all
    raises `UnreachableError`, since every remaining file would fail the same way.
    """
    if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
        raise FetchError(f"Base URL must start with http:// or https://: {base_url!r}")
    chosen = load_manifest() if entries is None else tuple(entries)
    report = FetchReport()
    for index, entry in enumerate(chosen, start=1):
        target = Path(dest).joinpath(*PurePosixPath(entry.path).parts)
        url = release_url(base_url, entry.path)
        job = _Job(entry, url, target, index, len(chosen), timeout, progress)
        if verify_file(target, entry):
            report.already_present.append(entry.path)
            job.emit("present", entry.bytes)
            continue
        try:
            _fetch_with_retries(job, retries, backoff)
        except UnreachableError:
            raise
        except FetchError as err:
            report.failures.append((entry.path, str(err)))
            job.emit("failed", 0)
        else:
            report.downloaded.append(entry.path)
            job.emit("done", entry.bytes)
        finally:
            report.bytes_downloaded += job.received
    return report


def _fetch_with_retries(job: _Job, retries: int, backoff: float) -> None:
    attempt = 0
    while True:
        try:
            _fetch_once(job)
            return
        except _Interrupted as err:
            if attempt >= retries:
                raise FetchError(
                    f"{job.entry.path}: {err}; gave up after {attempt + 1} attempt(s). "
                    "Run the command again to resume."
                ) from None
        except _Unreachable as err:
            if attempt >= retries:
                raise UnreachableError(f"Cannot reach {job.url}: {err}. {_OFFLINE_HINT}") from None
        attempt += 1
        sleep(backoff * 2 ** (attempt - 1))


def _fetch_once(job: _Job) -> None:
    offset = _usable_part_size(job)
    start = offset
    if offset == 0 or offset < job.entry.bytes:
        start = _download(job, offset)
    try:
        _verify_part(job)
    except ChecksumError:
        if start == 0:
            raise
        # The old .part may hold bytes of another version: start once more from zero.
        _download(job, 0)
        _verify_part(job)
    os.replace(job.part, job.target)


def _verify_part(job: _Job) -> None:
    """Raise ChecksumError (and delete the `.part`) unless it is exactly the manifest's file."""
    if verify_file(job.part, job.entry):
        return
    size, actual = job.part.stat().st_size, sha256_file(job.part)
    job.part.unlink()
    raise ChecksumError(job.entry.path, job.entry.sha256, actual, job.entry.bytes, size)


def _usable_part_size(job: _Job) -> int:
    try:
        size = job.part.stat().st_size
    except FileNotFoundError:
        return 0
    if size > job.entry.bytes:
        job.part.unlink()
        return 0
    return size


def _download(job: _Job, offset: int) -> int:
    """Stream the file into `.part` from `offset` (or 0, if the server restarts). Return start."""
    job.target.parent.mkdir(parents=True, exist_ok=True)
    response, start = _open(job, offset)
    with response, job.part.open("ab" if start else "wb") as out:
        expected = _content_length(response)
        done, got = start, 0
        job.emit("start", done)
        try:
            while done <= job.entry.bytes and (chunk := response.read(_CHUNK)):
                out.write(chunk)
                done += len(chunk)
                got += len(chunk)
                job.received += len(chunk)
                job.emit("progress", done)
        except (OSError, http.client.HTTPException) as err:
            raise _Interrupted(_stopped_message(done, job, _describe(err))) from None
    if expected is not None and got < expected and done <= job.entry.bytes:
        raise _Interrupted(_stopped_message(done, job, "the connection closed early"))
    return start


def _stopped_message(done: int, job: _Job, why: str) -> str:
    return f"download stopped after {done:,} of {job.entry.bytes:,} bytes ({why})"


def _open(job: _Job, offset: int) -> tuple[Any, int]:
    """Open the URL, asking for bytes from `offset`. Return the response and its first byte."""
    headers = {"User-Agent": _USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    request = urllib.request.Request(job.url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=job.timeout)
    except urllib.error.HTTPError as err:
        err.close()
        if err.code == 416 and offset:
            job.part.unlink(missing_ok=True)
            return _open(job, 0)
        if err.code in _TRANSIENT_HTTP:
            raise _Interrupted(f"HTTP {err.code} {err.reason} from {job.url}") from None
        raise FetchError(f"{job.entry.path}: HTTP {err.code} {err.reason} for {job.url}") from None
    except urllib.error.URLError as err:
        raise _Unreachable(_describe(err.reason)) from None
    except (OSError, http.client.HTTPException) as err:
        raise _Interrupted(f"{_describe(err)} from {job.url}") from None
    return response, _response_start(job, response, offset)


def _response_start(job: _Job, response: Any, offset: int) -> int:
    status = response.status
    if status == 200:
        return 0  # A full body: either no Range was sent or the server ignored it.
    if status == 206 and offset:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if match and int(match.group(1)) == offset:
            return offset
        response.close()
        job.part.unlink(missing_ok=True)
        raise _Interrupted(f"the server sent an unexpected byte range for {job.url}")
    response.close()
    raise FetchError(f"{job.entry.path}: unexpected HTTP {status} for {job.url}")


def _content_length(response: Any) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value is not None and value.strip().isdigit() else None


def _describe(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "the host name could not be resolved (DNS lookup failed)"
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, http.client.IncompleteRead):
        return "the connection closed early"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__
