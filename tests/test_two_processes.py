"""Two app processes, one database, one warehouse: what several replicas behind a load
balancer rely on (issue 15, part 7; docs/deployment.md, "Several replicas").

Two real gunicorn processes (one sync worker each, so each keeps its own page cache and
its own release) serve the same workspace database and the same release registry, built
from the fixture release twice: release 2024.01 as published, and 2025.01 with Ramsey
County's 2023 20th income percentile changed from $27,250.5 to $38,111.5. Everything
goes through HTTP, as a browser behind a load balancer would: cookies, CSRF tokens and
forms, each request sent to one process or the other.

The database is the test run's own: on PostgreSQL (``scripts/test.sh`` runs ``-m db``
with ``DATABASE_URL``) the two processes connect to the test database itself; on SQLite,
whose test database is in memory, it is first copied to a file that both open (WAL mode,
as in production). The processes are stopped, whatever happens, before the database is
emptied again.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from upward.data.ingest import load_release
from upward.data.registry import Registry

pytestmark = pytest.mark.db

INCOME = "01_financial-well-being/final/metrics_income_county_all_longitudinal.csv"
OLD_LINE, NEW_LINE = "2023,27,123,27250.5,", "2023,27,123,28111.5,"
OLD_VALUE, NEW_VALUE = "$27,25", "$28,11"
"""How the profile page shows each (the rounding of the half is not the point here)."""
PROFILE = "/county/27123/"
"""A page the page cache keeps for anonymous visitors (``@page(cached=True)``)."""
SIGNED_IN_NAV = 'href="/w/"'
"""The "Workspaces" link the page's header shows a signed-in visitor only."""
HEALTH = "/api/geographies?limit=1"
"""The health check docs/deployment.md gives the load balancer."""
START_SECONDS = 60.0
"""At most this long for a process to answer (the machine may be busy)."""
REQUEST_SECONDS = 20.0
PASSWORD = "Replicas-Share-1-Database"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ONCE_FIELD = re.compile(r'name="once" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None  # a 302 comes back as it is, so the test sees where it points


@dataclass
class Reply:
    status: int
    body: str
    location: str


class Browser:
    """One visitor: a cookie jar, sending each request to the process it is given."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def send(self, server: Server, path: str, form: dict[str, str] | None = None) -> Reply:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(server.url(path), data=data)
        try:
            with self.opener.open(request, timeout=REQUEST_SECONDS) as reply:
                return Reply(reply.status, reply.read().decode(), reply.headers.get("Location", ""))
        except urllib.error.HTTPError as reply:  # 3xx (not followed), 4xx, 5xx
            return Reply(reply.code, reply.read().decode(), reply.headers.get("Location", ""))

    def get(self, server: Server, path: str) -> Reply:
        return self.send(server, path)

    def post_form(self, server: Server, page: str, form: dict[str, str], to: str = "") -> Reply:
        """Open ``page`` on ``server`` and send its form (with its CSRF and one-time tokens)."""
        shown = self.get(server, page)
        assert shown.status == 200, (page, shown.status)
        tokens = {"csrfmiddlewaretoken": CSRF_FIELD.findall(shown.body)[0]}
        tokens |= {"once": once[0]} if (once := ONCE_FIELD.findall(shown.body)) else {}
        return self.send(server, to or page, {**tokens, **form})


class Server:
    """``gunicorn upward.web.wsgi:application`` with one worker on a free port."""

    def __init__(self, name: str, env: dict[str, str], home: Path) -> None:
        self.name = name
        self.port = _free_port()
        home.mkdir(parents=True, exist_ok=True)
        self.log = home / "gunicorn.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "upward.web.wsgi:application",
                 "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "30",
                 "--graceful-timeout", "5"],
                env={**env, "UPWARD_HOME": str(home)}, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_up(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url(HEALTH), timeout=5) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        log = self.log.read_text(errors="replace")[-3000:]
        raise AssertionError(f"app process {self.name} did not start:\n{log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _database_url(folder: Path) -> str:
    """The test database, as a DATABASE_URL another process can open."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = urllib.parse.quote(settings["USER"] or "", safe="")
        password = urllib.parse.quote(settings["PASSWORD"] or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings["HOST"] or "localhost"
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        return f"postgres://{auth}{host}{port}/{settings['NAME']}"
    if connection.vendor == "sqlite":
        # The test database is in memory: copy it (migrated, empty) to a file both open.
        target = folder / "workspace.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return f"sqlite:///{target}"
    pytest.skip(f"no way to share a {connection.vendor} test database with another process")


def _releases(fixture_data_dir: Path, folder: Path) -> Path:
    """A registry holding 2024.01 (current) and 2025.01 (the changed income value)."""
    changed = folder / "data-2025.01"
    shutil.copytree(fixture_data_dir, changed)
    income = changed / INCOME
    text = income.read_text()
    assert text.count(OLD_LINE) == 1
    income.write_text(text.replace(OLD_LINE, NEW_LINE))
    warehouse = folder / "warehouse" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    load_release(fixture_data_dir, warehouse, release="2024.01")
    load_release(changed, warehouse, release="2025.01", make_current=False)
    return warehouse


@dataclass
class Cluster:
    one: Server
    two: Server
    warehouse: Path
    env: dict[str, str]

    @property
    def both(self) -> tuple[Server, Server]:
        return (self.one, self.two)


@pytest.fixture(scope="module")
def cluster(
    django_db_setup: None,
    django_db_blocker: object,
    fixture_data_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Cluster]:
    """Both processes, started once for the module (each test empties the database after
    itself through ``transactional_db``, while they keep running)."""
    folder = tmp_path_factory.mktemp("two-processes")
    warehouse = _releases(fixture_data_dir, folder)
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        database_url = _database_url(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UPWARD_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        UPWARD_WAREHOUSE=str(warehouse),
        UPWARD_ENV="development",
        SECRET_KEY="two-processes-one-secret-key-" + "x" * 20,  # one key for every replica
        PYTHONUNBUFFERED="1",
    )
    servers: list[Server] = []
    try:
        servers = [Server(name, env, folder / f"home-{name}") for name in ("one", "two")]
        deadline = time.monotonic() + START_SECONDS
        for server in servers:
            server.wait_until_up(deadline)
        yield Cluster(servers[0], servers[1], warehouse, env)
    finally:
        for server in servers:
            server.stop()


def _use(cluster: Cluster, release: str) -> None:
    """``upward data use RELEASE``, the command an operator runs, on the shared registry."""
    switched = subprocess.run(
        [str(Path(sys.executable).parent / "upward"), "data", "use", release],
        env=cluster.env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert switched.returncode == 0, switched.stdout + switched.stderr


def _sign_up(browser: Browser, server: Server, username: str) -> None:
    reply = browser.post_form(server, "/accounts/signup/", {
        "username": username, "email": f"{username}@example.org",
        "password1": PASSWORD, "password2": PASSWORD,
    })  # fmt: skip
    assert reply.status == 302, reply.body[:500]


def _sign_in(browser: Browser, server: Server, username: str) -> None:
    reply = browser.post_form(
        server, "/accounts/login/", {"username": username, "password": PASSWORD}
    )
    assert reply.status == 302, reply.body[:500]


def test_a_change_made_through_one_process_is_seen_through_the_other(
    cluster: Cluster, transactional_db: None
) -> None:
    one, two = cluster.both
    olivia = Browser()
    _sign_up(olivia, one, "olivia")
    # The session made by one is honoured by two (sessions live in the database).
    assert SIGNED_IN_NAV in olivia.get(two, "/").body
    created = olivia.post_form(one, "/w/new/", {
        "name": "Ramsey Replica Coalition", "places": "Ramsey County, MN",
        "description": "Made through process one",
    })  # fmt: skip
    assert created.status == 302 and created.location.startswith("/w/"), created.body[:500]
    home = created.location
    seen = olivia.get(two, home)
    assert seen.status == 200 and "Ramsey Replica Coalition" in seen.body

    # An edit sent to two, on a form process one showed (the CSRF cookie and token of one
    # are good on two: the same SECRET_KEY), is seen through one.
    settings = home + "settings/"
    shown = olivia.get(one, settings)
    version = re.findall(r'name="version" value="(\d+)"', shown.body)
    form = {"name": "Ramsey Replica Coalition", "places": "Ramsey County, MN",
            "description": "Edited through process two",
            "csrfmiddlewaretoken": CSRF_FIELD.findall(shown.body)[0]}  # fmt: skip
    form |= {"version": version[0]} if version else {}
    edited = olivia.send(two, settings, form)
    assert edited.status == 302, edited.body[:800]
    assert "Edited through process two" in olivia.get(one, settings).body

    # Someone else signs in through two with the account made through one, and is not a
    # member: 404 from both, like any outsider.
    other = Browser()
    _sign_up(other, two, "omar")
    assert [other.get(server, home).status for server in cluster.both] == [404, 404]
    _sign_in(Browser(), two, "olivia")


def test_the_page_cache_never_serves_a_private_page_nor_a_stale_release(
    cluster: Cluster, transactional_db: None
) -> None:
    one = cluster.one
    Registry(cluster.warehouse).use("2024.01")  # as built, whatever ran before
    member = Browser()
    _sign_up(member, one, "nadia")
    # The signed-in visitor asks first, on both, so a cache that kept her page would have it.
    for server in cluster.both:
        page = member.get(server, PROFILE)
        assert page.status == 200 and SIGNED_IN_NAV in page.body and OLD_VALUE in page.body
    visitor = Browser()
    for _round in range(2):  # the second round is answered from each process's page cache
        for server in cluster.both:
            page = visitor.get(server, PROFILE)
            assert page.status == 200 and OLD_VALUE in page.body
            assert SIGNED_IN_NAV not in page.body, f"{server.name} served a signed-in page"
    # ... and the signed-in visitor is not given the anonymous copy either.
    for server in cluster.both:
        assert SIGNED_IN_NAV in member.get(server, PROFILE).body
    # A private workspace page is never kept: an anonymous visitor is sent to sign in.
    created = member.post_form(one, "/w/new/", {"name": "Nadia's Coalition", "places": "27123"})
    assert created.status == 302
    for server in cluster.both:
        assert member.get(server, created.location).status == 200
        refused = visitor.get(server, created.location)
        assert refused.status == 302 and refused.location.startswith("/accounts/login/")

    # The release switch, once, on the shared registry: both processes follow it on their
    # next request, and neither serves the old release's kept page.
    _use(cluster, "2025.01")
    for _round in range(2):
        for server in cluster.both:
            page = visitor.get(server, PROFILE)
            assert NEW_VALUE in page.body and OLD_VALUE not in page.body, server.name
            assert SIGNED_IN_NAV not in page.body
            assert NEW_VALUE in member.get(server, PROFILE).body
