#!/usr/bin/env bash
# Run every check Upward has, as CI does (`bash .ci/run` runs exactly this script).
#
#   1. scripts/setup.sh --browser --postgres   (environment, assets, Chromium, PostgreSQL)
#   2. ruff check .
#   3. pytest -n 2, all tests, on the default SQLite workspace database
#   4. pytest -n 2 -m db, the database tests again, on PostgreSQL via DATABASE_URL
#      (exit 5, "no tests collected", counts as success here only)
#   5. scripts/api_fuzz.py: schemathesis against the served API (gunicorn on 127.0.0.1,
#      the fixture warehouse), anonymously and signed in; its summary line is the note
#
# Extra arguments go to both pytest runs (e.g. scripts/test.sh -x -k profile).
# Exports UPWARD_SHARED_DATA=<repo>/../shared/mobility-data and
# UPWARD_SHARED_DATA_2023=<repo>/../shared/mobility-data-2023 when those directories exist.
# JUnit reports: test-output/junit-sqlite.xml, test-output/junit-postgres.xml,
# test-output/junit-schemathesis-{anonymous,signed-in}.xml (one case per API operation).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PG_URL="postgres://postgres@127.0.0.1:5432/upward_test"
OUT="$ROOT/test-output"
mkdir -p "$OUT"

if [ -z "${UPWARD_SHARED_DATA:-}" ] && [ -d "$ROOT/../shared/mobility-data" ]; then
    UPWARD_SHARED_DATA="$(cd "$ROOT/../shared/mobility-data" && pwd)"
    export UPWARD_SHARED_DATA
fi

if [ -z "${UPWARD_SHARED_DATA_2023:-}" ] && [ -d "$ROOT/../shared/mobility-data-2023" ]; then
    UPWARD_SHARED_DATA_2023="$(cd "$ROOT/../shared/mobility-data-2023" && pwd)"
    export UPWARD_SHARED_DATA_2023
fi

# Let Python keep its bytecode: with PYTHONDONTWRITEBYTECODE set (as on this machine) every
# process -- each xdist worker of both pytest runs, the subprocess and gunicorn tests, the
# fuzz server -- compiled Django, DuckDB, Hypothesis ... from source again, and pytest
# re-did its assertion rewriting of all 104 test modules (compile() was 20 of the 77
# profiled seconds of one collection; 0.7 s with the caches). The caches go to
# __pycache__ folders, which git ignores.
unset PYTHONDONTWRITEBYTECODE

START=$SECONDS
SUMMARY=()
FAILED=0

banner() { printf '\n######## %s\n' "$*"; }

# record NAME RC SECONDS [NOTE]: RC 0 is success.
record() {
    local status=ok
    if [ "$2" -ne 0 ]; then
        status=FAILED
        FAILED=1
    fi
    SUMMARY+=("$(printf '%-34s %-7s %5ss  %s' "$1" "$status" "$3" "${4:-}")")
}

print_summary() {
    printf '\n==================== Upward test summary ====================\n'
    printf '%s\n' "${SUMMARY[@]}"
    printf 'UPWARD_SHARED_DATA=%s\n' "${UPWARD_SHARED_DATA:-(not set: ../shared/mobility-data absent)}"
    printf 'UPWARD_SHARED_DATA_2023=%s\n' \
        "${UPWARD_SHARED_DATA_2023:-(not set: ../shared/mobility-data-2023 absent)}"
    printf 'total time %ss; result: %s\n' "$((SECONDS - START))" \
        "$([ "$FAILED" -eq 0 ] && echo PASSED || echo FAILED)"
    # Last line, in the plain form CI reads: "total: N passed, N failed, N skipped".
    python3 - "$OUT/junit-sqlite.xml" "$OUT/junit-postgres.xml" \
        "$OUT/junit-schemathesis-anonymous.xml" "$OUT/junit-schemathesis-signed-in.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

passed = failed = skipped = 0
for name in sys.argv[1:]:
    path = Path(name)
    if not path.is_file():
        continue
    for suite in ET.parse(path).getroot().iter("testsuite"):
        tests, skip = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        passed += tests - skip - bad
        failed += bad
        skipped += skip
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
PY
}

# --- 1. setup ---------------------------------------------------------------------------
rm -f "$OUT"/junit-*.xml
banner "setup: scripts/setup.sh --browser --postgres"
t=$SECONDS
rc=0
bash scripts/setup.sh --browser --postgres || rc=$?
record "setup (--browser --postgres)" "$rc" "$((SECONDS - t))"
if [ "$rc" -ne 0 ]; then
    print_summary
    exit "$rc"
fi

# --- 2. ruff ----------------------------------------------------------------------------
banner "lint: ruff check ."
t=$SECONDS
rc=0
uv run --no-sync ruff check . || rc=$?
record "ruff check ." "$rc" "$((SECONDS - t))"

# --- 3. pytest on SQLite ----------------------------------------------------------------
# --dist worksteal: a worker that runs out of tests takes queued ones from the other, so
# the few long tests (test_honest_walk, test_full_data, test_explorer_values: minutes
# each) do not leave one core idle at the end.
banner "tests: pytest -n 2 (SQLite)"
t=$SECONDS
rc=0
env -u DATABASE_URL uv run --no-sync pytest -n 2 --dist worksteal --durations=10 \
    --junitxml="$OUT/junit-sqlite.xml" "$@" || rc=$?
note=""
[ "$rc" -eq 0 ] || note="pytest exit $rc"
[ "$rc" -ne 5 ] || note="pytest exit 5: no tests collected"
record "pytest -n 2 (SQLite, all)" "$rc" "$((SECONDS - t))" "$note"

# --- 4. pytest -m db on PostgreSQL ------------------------------------------------------
banner "tests: pytest -n 2 -m db (PostgreSQL, DATABASE_URL=$PG_URL)"
t=$SECONDS
rc=0
DATABASE_URL="$PG_URL" uv run --no-sync pytest -n 2 --dist worksteal -m db \
    --junitxml="$OUT/junit-postgres.xml" "$@" || rc=$?
note=""
if [ "$rc" -eq 5 ]; then
    rc=0
    note="no tests marked db yet (pytest exit 5)"
elif [ "$rc" -ne 0 ]; then
    note="pytest exit $rc"
fi
record "pytest -n 2 -m db (PostgreSQL)" "$rc" "$((SECONDS - t))" "$note"

# --- 5. schemathesis against the served API ---------------------------------------------
banner "api: scripts/api_fuzz.py (schemathesis, anonymous and signed in)"
t=$SECONDS
rc=0
uv run --no-sync python scripts/api_fuzz.py | tee "$OUT/api-fuzz.txt" || rc=$?
note="$( (grep '^schemathesis: ' "$OUT/api-fuzz.txt" || true) | tail -1 | sed 's/^schemathesis: //')"
[ "$rc" -eq 0 ] || note="exit $rc; ${note:-see the output above}"
record "schemathesis (served API)" "$rc" "$((SECONDS - t))" "$note"

print_summary
exit "$FAILED"
