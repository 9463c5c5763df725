#!/usr/bin/env bash
# Set up, load both of Urban's releases, build the demo coalition and serve the app.
#
#   scripts/run.sh     data from $UPWARD_DATA, else ../shared/mobility-data beside the repo;
#                      Urban's earlier release from $UPWARD_DATA_2023, else
#                      ../shared/mobility-data-2023 (release 2023.01, kept beside the
#                      current 2025.01 for `upward data diff`; the demo's baselines need it)
#
# Then: the database is migrated, `upward demo --if-missing` builds the made-up Ramsey
# County coalition (through every stage, in the demo learning network) unless it is there,
# and `upward serve` serves the app on 127.0.0.1:8000 until Ctrl-C. On a database that
# already holds other data the demo asks first (in a terminal) or is skipped.
# UPWARD_DEMO_PASSWORD sets the demo accounts' password (default: a new random one each).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh
DATA="${UPWARD_DATA:-$ROOT/../shared/mobility-data}"
[ -d "$DATA" ] || {
    echo "run.sh: no data at $DATA; set UPWARD_DATA to Urban's mobility metric files" >&2
    exit 1
}
DATA_2023="${UPWARD_DATA_2023:-$ROOT/../shared/mobility-data-2023}"
if [ -d "$DATA_2023" ]; then
    uv run upward data load "$DATA_2023" --release 2023.01 --keep-current
else
    echo "run.sh: no release 2023.01 at $DATA_2023 (set UPWARD_DATA_2023); the demo needs it" >&2
fi
uv run upward data load "$DATA" --release 2025.01
uv run upward data releases
uv run upward manage migrate --no-input --verbosity 0
DEMO=yes
uv run upward demo --if-missing || {
    DEMO=no
    echo "run.sh: the demo was not built (see above); serving the app without it" >&2
}

ADDRESS="http://127.0.0.1:8000"
echo
echo "Upward: $ADDRESS/"
if [ "$DEMO" = yes ]; then
    echo "  Demo workspace:   $ADDRESS/w/ramsey-demo/   (sign in at $ADDRESS/accounts/login/)"
    echo "  Its public page:  $ADDRESS/p/ramsey-demo/   (Spanish: ?lang=es)"
    echo "  Demo network:     $ADDRESS/n/mobility-action-learning-network/   (its console;"
    echo "                    sign in as maln-operator or maln-adviser; all networks: $ADDRESS/n/)"
    echo "  Sign-ins: printed above (demo-owner, demo-editor, demo-viewer; the network's staff)."
fi
echo "  Ctrl-C stops it."
echo
exec uv run upward serve --host 127.0.0.1 --port 8000
