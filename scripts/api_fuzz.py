"""Check the served API against its OpenAPI document with schemathesis, a client we did
not write: anonymously, then signed in as a workspace owner (session cookie and CSRF
token), with a bounded number of examples per operation.

    uv run --no-sync python scripts/api_fuzz.py [--examples N] [--seed N]

It builds the fixture warehouse and a fresh SQLite database in a temporary UPWARD_HOME,
creates an owner with one workspace ("fuzz") and one stakeholder, starts gunicorn on a
free port of 127.0.0.1, runs both passes and stops the server. The checks (see
scripts/schemathesis.toml) are: no 5xx, every status and content type declared, every
body matching its schema, declared headers present, and every request the document
calls valid accepted (2xx, 3xx, or 401/403/404/409/422, which the document declares
for valid-looking requests the data or the caller's rights cannot answer). Reports:
test-output/junit-schemathesis-{anonymous,signed-in}.xml. The last line reads
"schemathesis: N operations, N cases, N failures"; the exit status is 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "mobility-data"
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"
OUT = ROOT / "test-output"
SLUG = "fuzz"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance,positive_data_acceptance"
)
# Creates the owner, the workspace and a stakeholder; prints the session cookie and a
# CSRF token (the secret itself: Django accepts it unmasked in X-CSRFToken).
SETUP = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from upward.web.workspace.models import CoalitionStructure, Membership, Stakeholder, Workspace

call_command("migrate", verbosity=0, interactive=False)
owner = get_user_model().objects.create_user("fuzz-owner", password="Fuzzing-The-Api-2026")
workspace = Workspace.objects.create(
    name="Fuzz Coalition", slug=sys.argv[1], geoids=["27123", "2758000"], created_by=owner
)
Membership.objects.create(workspace=workspace, user=owner, role="owner")
CoalitionStructure.objects.create(workspace=workspace)
Stakeholder.objects.create(workspace=workspace, name="Ramsey County", sector="government")
client = Client()
client.force_login(owner)
print(json.dumps({"session": client.cookies["sessionid"].value, "csrf": _get_new_csrf_string()}))
"""
SUMMARY = re.compile(r"Test cases:\s*\n?\s*(\d+) generated")
TESTED = re.compile(r"Tested:\s*(\d+)")
FAILURES = re.compile(r"(\d+) unique failures?")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(command: list[str], env: dict[str, str], **kwargs: object) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        sys.exit(f"api_fuzz: {' '.join(command[:4])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(home: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The server's environment, and the signed-in owner's session cookie and CSRF token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UPWARD_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        UPWARD_HOME=str(home),
        UPWARD_ENV="development",
        UPWARD_WAREHOUSE=str(home / "warehouse.duckdb"),
        DJANGO_SETTINGS_MODULE="upward.web.settings",
    )
    cli = [sys.executable, "-m", "upward.cli"]
    run([*cli, "data", "load", str(FIXTURE_DATA)], env)
    credentials = json.loads(run([sys.executable, "-c", SETUP, SLUG], env).splitlines()[-1])
    return env, credentials


def start_server(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    # gunicorn answers a request line over 4094 bytes itself, with an HTML 414, before
    # the app sees it. Every request the document calls valid fits (web/api/params.py
    # bounds the long parameters), but an invalid one of a few hundred emoji need not: the
    # limit is lifted here so that the app's own answer to it is what gets checked.
    command = [
        sys.executable, "-m", "gunicorn", "upward.web.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket",
        "--limit-request-line", "0",
    ]  # fmt: skip
    with log.open("ab") as output:  # Django's own log lines go there too
        server = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"api_fuzz: gunicorn exited with {server.returncode}; see {log}")
            time.sleep(0.3)
    stop_server(server)
    sys.exit(f"api_fuzz: the server did not answer within 60 s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def fuzz(
    name: str, base: str, headers: list[str], args: argparse.Namespace, home: Path
) -> tuple[int, ...]:
    """One schemathesis pass; (operations, cases, failures)."""
    junit = OUT / f"junit-schemathesis-{name}.xml"
    command = [
        sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(CONFIG),
        "run", f"{base}/api/openapi.json", "--checks", CHECKS, "--max-examples",
        str(args.examples), "--seed", str(args.seed), "--workers", "1",
        # Hypothesis's "data generation is too slow" is about this machine's load (the
        # notes body's patterns, on a busy 2-core machine), not about the API.
        "--suppress-health-check", "too_slow",
        "--report", "junit", "--report-junit-path", str(junit), *headers,
    ]  # fmt: skip
    env = {**os.environ, "UPWARD_FUZZ_SLUG": SLUG}
    print(f"\n==> schemathesis, {name} (full output: {OUT / f'schemathesis-{name}.log'})")
    # One worker: with two, schemathesis's threads hit a race in CPython 3.11's ast module
    # (SystemError "AST constructor recursion depth mismatch"); two processes are fine. Run
    # in a folder of the temporary home per pass, so schemathesis's cache of past failures
    # (.schemathesis/) starts empty.
    cwd = home / name
    cwd.mkdir()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    (OUT / f"schemathesis-{name}.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    print(done.stdout[-12000:], done.stderr[-3000:], sep="\n", flush=True)
    tested = TESTED.search(done.stdout)
    cases = SUMMARY.search(done.stdout)
    failures = FAILURES.search(done.stdout)
    if tested is None or cases is None:
        sys.exit(f"api_fuzz: could not read schemathesis's summary (exit {done.returncode})")
    failed = int(failures.group(1)) if failures else 0
    if done.returncode != 0 and failed == 0:
        failed = 1  # an error schemathesis did not count as a failure (it printed why)
    return int(tested.group(1)), int(cases.group(1)), failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=25, help="cases per operation")
    parser.add_argument("--seed", type=int, default=20261201, help="generation seed")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="upward-fuzz-") as tmp:
        home = Path(tmp)
        env, credentials = prepare(home)
        port = free_port()
        server = start_server(env, port, home / "gunicorn.log")
        try:
            base = f"http://127.0.0.1:{port}"
            signed_in = [
                "--header", f"Cookie: sessionid={credentials['session']}; "
                f"csrftoken={credentials['csrf']}",
                "--header", f"X-CSRFToken: {credentials['csrf']}",
            ]  # fmt: skip
            # The two passes at once (each waits on the server most of the time; the
            # anonymous one only reads): about a third less time than one after the other.
            with ThreadPoolExecutor(max_workers=2) as passes:
                anonymous = passes.submit(fuzz, "anonymous", base, [], args, home)
                member = passes.submit(fuzz, "signed-in", base, signed_in, args, home)
                results = [anonymous.result(), member.result()]
        finally:
            stop_server(server)
        errors = [line for line in (home / "gunicorn.log").read_text().splitlines()
                  if line.startswith(("Internal Server Error", "Traceback")) or "[ERROR]" in line
                  ]  # fmt: skip
    for (operations, cases, failures), name in zip(
        results, ("anonymous", "signed in"), strict=True
    ):
        print(f"schemathesis {name}: {operations} operations, {cases} cases, {failures} failures")
    if errors:
        print("the server logged errors:\n" + "\n".join(errors[:20]))
    operations = max(r[0] for r in results)
    cases = sum(r[1] for r in results)
    failures = sum(r[2] for r in results) + len(errors)
    print(f"schemathesis: {operations} operations, {cases} cases, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
