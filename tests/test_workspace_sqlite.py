"""SQLite as the workspace database: concurrent writers wait for each other.

Two people start a readiness assessment at the same moment. Each transaction reads the
latest assessment, then inserts the next one. With SQLite's default (deferred)
transactions both take a read lock, and the second writer is refused at once with
"database is locked"; Upward's settings use WAL, a busy timeout and write transactions
that take the write lock when they begin, so the second waits and gets the next number.

The test runs in a subprocess on a SQLite file of its own (the test database is in
memory, which threads cannot share), whatever DATABASE_URL says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import json, sys, threading
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from upward.web.workspace import readiness_store
from upward.web.workspace.models import Workspace

call_command("migrate", verbosity=0)
user = get_user_model().objects.create_user("ada", password="x")
workspace = Workspace.objects.create(name="Race", slug="race", geoids=["27123"])
mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
barrier = threading.Barrier(2)
read_latest = readiness_store.latest

def latest_then_wait(ws):
    found = read_latest(ws)
    try:
        barrier.wait(timeout=1)  # both have read: the worst moment for a deferred lock
    except threading.BrokenBarrierError:
        pass  # the other one waits for our write lock: go on
    return found

readiness_store.latest = latest_then_wait
results = []

def start():
    try:
        results.append(readiness_store.create_assessment(workspace, user, "", False).number)
    except Exception as exc:
        results.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()

threads = [threading.Thread(target=start) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"mode": mode, "results": sorted(map(str, results))}))
"""


def test_two_simultaneous_new_assessments_both_succeed(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upward.sqlite3'}",
        "UPWARD_HOME": str(tmp_path),
        "UPWARD_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "upward.web.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome == {"mode": "wal", "results": ["1", "2"]}, outcome
