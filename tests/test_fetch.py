"""`upward data fetch`: download, resume, verify. No network: every server is on 127.0.0.1."""

from __future__ import annotations

import csv
import hashlib
import http.server
import os
import re
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from upward.data.fetch import (
    FetchEvent,
    UnreachableError,
    fetch_release,
    release_url,
)
from upward.data.fetch_cli import fetch_command
from upward.data.manifest import (
    DEFAULT_BASE_URL,
    PINNED_COMMIT,
    ManifestEntry,
    find_entry,
    load_manifest,
    select_entries,
    verify_file,
)

BIG = "01_demo/final/big.csv"
SMALL = "02_demo/small.csv"
SPACED = "03 demo/with space.csv"


def _shared_data() -> Path:
    env = os.environ.get("UPWARD_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "mobility-data"


# --- a small HTTP server with Range support -------------------------------------------


@dataclass
class ServerState:
    """Switches for the test server, and what it saw."""

    root: Path
    ignore_range: bool = False
    drop_after: int | None = None  # send only this many body bytes, then close
    drops_left: int = 0
    fail_with: list[int] = field(default_factory=list)  # statuses to answer first
    requests: list[tuple[str, str | None]] = field(default_factory=list)

    def ranges_for(self, path: str) -> list[str | None]:
        return [rng for seen, rng in self.requests if seen == path]


class RangeHandler(http.server.BaseHTTPRequestHandler):
    """Serves files under `state.root`; honours `Range: bytes=N-` unless told not to."""

    server: _StateServer

    def do_GET(self) -> None:
        state = self.server.state
        rel = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")
        rng = self.headers.get("Range")
        state.requests.append((rel, rng))
        if state.fail_with:
            self.send_error(state.fail_with.pop(0))
            return
        file = state.root / rel
        if not file.is_file():
            self.send_error(404)
            return
        data = file.read_bytes()
        start = 0
        if rng and not state.ignore_range:
            match = re.fullmatch(r"bytes=(\d+)-", rng)
            assert match, rng
            start = int(match.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self._send_body(data[start:], state)

    def _send_body(self, body: bytes, state: ServerState) -> None:
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if state.drop_after is not None and state.drops_left > 0:
            state.drops_left -= 1
            body = body[: state.drop_after]
            self.close_connection = True
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _StateServer(http.server.ThreadingHTTPServer):
    state: ServerState


@dataclass
class FileServer:
    state: ServerState
    url: str


def _serve(root: Path) -> Iterator[FileServer]:
    httpd = _StateServer(("127.0.0.1", 0), RangeHandler)
    httpd.state = ServerState(root)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield FileServer(httpd.state, f"http://127.0.0.1:{httpd.server_address[1]}/")
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


# --- a synthetic release -------------------------------------------------------------


def _csv_bytes(rows: int, seed: str) -> bytes:
    lines = ["year,state,county,share_demo"]
    lines += [f"{2014 + i % 10},{i % 56:02d},{i % 999:03d},0.{seed}{i:06d}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def release(tmp_path: Path) -> tuple[Path, tuple[ManifestEntry, ...]]:
    """Three small CSVs on disk plus manifest entries for them. BIG spans several chunks."""
    root = tmp_path / "server"
    files = {BIG: _csv_bytes(8_000, "1"), SMALL: _csv_bytes(20, "2"), SPACED: _csv_bytes(5, "3")}
    entries = []
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        entries.append(ManifestEntry(rel, len(data), sha, ("demo_metric",), "county"))
    return root, tuple(entries)


@pytest.fixture
def server(release: tuple[Path, tuple[ManifestEntry, ...]]) -> Iterator[FileServer]:
    yield from _serve(release[0])


@pytest.fixture
def entries(release: tuple[Path, tuple[ManifestEntry, ...]]) -> tuple[ManifestEntry, ...]:
    return release[1]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _part(dest: Path, rel: str) -> Path:
    return dest / (rel + ".part")


def _entry(entries: tuple[ManifestEntry, ...], rel: str) -> ManifestEntry:
    return next(e for e in entries if e.path == rel)


# --- fetch_release -------------------------------------------------------------------


def test_fetch_downloads_and_verifies_every_file(server, entries, tmp_path):
    dest = tmp_path / "dest"
    events: list[FetchEvent] = []
    report = fetch_release(dest, server.url, entries=entries, progress=events.append)

    assert report.downloaded == [e.path for e in entries]
    assert report.already_present == []
    assert report.failures == []
    assert report.bytes_downloaded == sum(e.bytes for e in entries)
    assert all(verify_file(dest / e.path, e) for e in entries)
    assert not list(dest.rglob("*.part"))
    done = [ev for ev in events if ev.kind == "done"]
    assert [(ev.path, ev.file_index, ev.file_count) for ev in done] == [
        (e.path, i, 3) for i, e in enumerate(entries, start=1)
    ]
    big = [ev.bytes_done for ev in events if ev.path == BIG and ev.kind == "progress"]
    assert len(big) > 1 and big == sorted(big) and big[-1] == _entry(entries, BIG).bytes


def test_second_run_downloads_nothing(server, entries, tmp_path):
    dest = tmp_path / "dest"
    fetch_release(dest, server.url, entries=entries)
    seen = len(server.state.requests)

    report = fetch_release(dest, server.url, entries=entries)

    assert report.downloaded == []
    assert report.already_present == [e.path for e in entries]
    assert report.bytes_downloaded == 0
    assert len(server.state.requests) == seen


def test_a_changed_local_file_is_downloaded_again(server, entries, tmp_path):
    dest = tmp_path / "dest"
    fetch_release(dest, server.url, entries=entries)
    (dest / SMALL).write_bytes(b"edited by hand\n")

    report = fetch_release(dest, server.url, entries=entries)

    assert report.downloaded == [SMALL]
    assert verify_file(dest / SMALL, _entry(entries, SMALL))


def test_interrupted_download_resumes_with_a_range_request(server, entries, tmp_path):
    dest = tmp_path / "dest"
    server.state.drop_after, server.state.drops_left = 100_000, 1

    first = fetch_release(dest, server.url, entries=entries, retries=0)

    assert [path for path, _ in first.failures] == [BIG]
    assert "stopped after 100,000 of" in first.failures[0][1]
    assert "run the command again to resume" in first.failures[0][1].lower()
    assert not (dest / BIG).exists()
    assert _part(dest, BIG).stat().st_size == 100_000

    second = fetch_release(dest, server.url, entries=entries, retries=0)

    big = _entry(entries, BIG)
    assert second.downloaded == [BIG]
    assert second.bytes_downloaded == big.bytes - 100_000
    assert server.state.ranges_for(BIG) == [None, "bytes=100000-"]
    assert hashlib.sha256((dest / BIG).read_bytes()).hexdigest() == big.sha256
    assert not _part(dest, BIG).exists()


def test_retry_within_one_run_resumes_where_it_stopped(server, entries, tmp_path):
    dest = tmp_path / "dest"
    server.state.drop_after, server.state.drops_left = 70_000, 1

    report = fetch_release(dest, server.url, entries=entries, retries=2, backoff=0)

    assert report.failures == []
    assert server.state.ranges_for(BIG) == [None, "bytes=70000-"]
    assert verify_file(dest / BIG, _entry(entries, BIG))


def test_transient_server_errors_are_retried(server, entries, tmp_path):
    server.state.fail_with = [503, 502]

    report = fetch_release(tmp_path / "dest", server.url, entries=entries, backoff=0)

    assert report.failures == []
    assert len(report.downloaded) == 3


def test_corrupted_server_file_names_file_and_both_hashes(server, release, entries, tmp_path):
    root, _ = release
    served = bytearray((root / SMALL).read_bytes())
    served[30] ^= 0x01
    (root / SMALL).write_bytes(bytes(served))
    dest = tmp_path / "dest"

    report = fetch_release(dest, server.url, entries=entries)

    assert [path for path, _ in report.failures] == [SMALL]
    message = report.failures[0][1]
    assert SMALL in message
    assert _entry(entries, SMALL).sha256 in message
    assert hashlib.sha256(bytes(served)).hexdigest() in message
    assert not (dest / SMALL).exists()
    assert not _part(dest, SMALL).exists()
    assert report.downloaded == [BIG, SPACED]


def test_stale_part_file_from_another_version_is_discarded(server, entries, tmp_path):
    dest = tmp_path / "dest"
    _part(dest, BIG).parent.mkdir(parents=True)
    _part(dest, BIG).write_bytes(b"x" * 5_000)

    report = fetch_release(dest, server.url, entries=entries, retries=0)

    assert report.failures == []
    assert server.state.ranges_for(BIG) == ["bytes=5000-", None]
    assert verify_file(dest / BIG, _entry(entries, BIG))


def test_range_not_satisfiable_restarts_from_zero(server, release, entries, tmp_path):
    root, _ = release
    big = _entry(entries, BIG)
    (root / BIG).write_bytes((root / BIG).read_bytes()[:1_000])  # the server's copy shrank
    dest = tmp_path / "dest"
    _part(dest, BIG).parent.mkdir(parents=True)
    _part(dest, BIG).write_bytes(b"y" * 2_000)

    report = fetch_release(dest, server.url, entries=entries, retries=0)

    assert server.state.ranges_for(BIG) == ["bytes=2000-", None]
    [(path, message)] = report.failures
    assert path == BIG and big.sha256 in message and "1,000 bytes" in message
    assert not _part(dest, BIG).exists()


def test_missing_file_names_the_url(server, entries, tmp_path):
    ghost = ManifestEntry("09_nowhere/ghost file.csv", 10, "0" * 64, ("demo_metric",), "place")

    report = fetch_release(tmp_path / "dest", server.url, entries=(*entries, ghost))

    [(path, message)] = report.failures
    assert path == ghost.path
    assert "HTTP 404" in message
    assert f"{server.url}09_nowhere/ghost%20file.csv" in message
    assert len(report.downloaded) == 3


def test_unreachable_server_raises_a_clear_error(entries, tmp_path):
    base = f"http://127.0.0.1:{_closed_port()}/mirror/"

    with pytest.raises(UnreachableError) as caught:
        fetch_release(tmp_path / "dest", base, entries=entries, retries=1, backoff=0)

    message = str(caught.value)
    assert message.startswith(f"Cannot reach {base}01_demo/final/big.csv: connection refused.")
    assert "--base-url" in message
    assert not list((tmp_path / "dest").rglob("*.csv"))


def test_server_ignoring_range_still_yields_a_correct_file(server, entries, tmp_path):
    dest = tmp_path / "dest"
    server.state.drop_after, server.state.drops_left = 100_000, 1
    fetch_release(dest, server.url, entries=entries, retries=0)
    server.state.ignore_range = True

    report = fetch_release(dest, server.url, entries=entries, retries=0)

    big = _entry(entries, BIG)
    assert report.downloaded == [BIG]
    assert report.bytes_downloaded == big.bytes
    assert server.state.ranges_for(BIG)[-1] == "bytes=100000-"
    assert verify_file(dest / BIG, big)


def test_release_url_quotes_the_path():
    assert release_url("http://h/base", "03 demo/a#b.csv") == "http://h/base/03%20demo/a%23b.csv"
    assert DEFAULT_BASE_URL.endswith(f"/mobility-from-poverty/{PINNED_COMMIT}/")


def test_base_url_must_be_http(entries, tmp_path):
    from upward.data.fetch import FetchError

    with pytest.raises(FetchError, match="http:// or https://"):
        fetch_release(tmp_path, "example.org/mirror", entries=entries)


# --- the packaged manifest -----------------------------------------------------------


def test_packaged_manifest_lists_the_release():
    manifest = load_manifest()
    assert len(manifest) == 104
    assert len({e.path for e in manifest}) == 104
    assert load_manifest() is manifest
    entry = find_entry("05_local-governance/voter-turnout/voter-turnout-city-2020.csv")
    assert entry is not None and entry.bytes == 17045 and entry.geography == "place"
    assert find_entry("nope.csv") is None
    multi = [e for e in manifest if len(e.metric_ids) > 1]
    assert multi and all(";" not in m for e in multi for m in e.metric_ids)


def test_select_entries_by_path_or_folder():
    housing = select_entries(["02_housing/"])
    assert housing and all(e.path.startswith("02_housing/") for e in housing)
    with pytest.raises(ValueError, match="02_hous"):
        select_entries(["02_hous"])


@pytest.mark.parametrize("bad", ["../escape.csv", "/etc/passwd", "a/../../b.csv", ""])
def test_manifest_entry_rejects_paths_outside_dest(bad):
    with pytest.raises(ValueError):
        ManifestEntry(bad, 1, "0" * 64, (), "county")


def test_packaged_manifest_agrees_with_shared_bundle():
    shared = _shared_data() / "MANIFEST.csv"
    if not shared.is_file():
        pytest.skip(f"{shared} not present")
    with shared.open(newline="", encoding="utf-8") as handle:
        published = {
            row["path"]: (int(row["bytes"]), row["sha256"]) for row in csv.DictReader(handle)
        }
    packaged = {e.path: (e.bytes, e.sha256) for e in load_manifest()}
    assert packaged == published


@pytest.mark.full
def test_fetch_real_files_from_the_shared_bundle(tmp_path):
    root = _shared_data()
    if not (root / "MANIFEST.csv").is_file():
        pytest.skip(f"{root} not present")
    smallest = sorted(load_manifest(), key=lambda e: e.bytes)[:3]
    for server in _serve(root):
        report = fetch_release(tmp_path, server.url, entries=smallest)
    assert report.downloaded == [e.path for e in smallest]
    for entry in smallest:
        assert verify_file(tmp_path / entry.path, entry)
        assert (tmp_path / entry.path).read_bytes() == (root / entry.path).read_bytes()


# --- the command ---------------------------------------------------------------------


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("fetch")(fetch_command)

    @app.command("other")
    def _other() -> None:  # a second command keeps "fetch" as a named subcommand
        pass

    return app


def test_cli_offline_prints_one_red_line_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.setattr("upward.data.fetch.sleep", lambda seconds: None)
    base = f"http://127.0.0.1:{_closed_port()}/"
    only = "05_local-governance/voter-turnout/voter-turnout-city-2020.csv"

    result = CliRunner().invoke(
        _cli(), ["fetch", str(tmp_path), "--base-url", base, "--only", only]
    )

    assert result.exit_code == 1
    assert "Error: Cannot reach" in result.output
    assert "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0


def test_cli_unknown_only_path_exits_1(tmp_path):
    result = CliRunner().invoke(_cli(), ["fetch", str(tmp_path), "--only", "no/such.csv"])

    assert result.exit_code == 1
    assert "not in the release manifest: no/such.csv" in result.output


@pytest.mark.full
def test_cli_fetches_and_summarises(tmp_path):
    root = _shared_data()
    if not (root / "MANIFEST.csv").is_file():
        pytest.skip(f"{root} not present")
    only = [e.path for e in sorted(load_manifest(), key=lambda e: e.bytes)[:2]]
    for server in _serve(root):
        args = ["fetch", str(tmp_path), "--base-url", server.url]
        result = CliRunner().invoke(_cli(), [*args, "--only", only[0], "--only", only[1]])
        again = CliRunner().invoke(_cli(), [*args, "--only", only[0]])
    assert result.exit_code == 0, result.output
    assert "Downloaded 2 file(s)" in result.output and "0 failed" in result.output
    assert again.exit_code == 0
    assert "Downloaded 0 file(s)" in again.output and "1 already present" in again.output
