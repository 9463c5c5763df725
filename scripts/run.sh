#!/usr/bin/env bash
# Set up, load the mobility data into the warehouse, and print a first profile.
#
#   scripts/run.sh     data from $UPWARD_DATA, else ../shared/mobility-data beside the repo
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh
DATA="${UPWARD_DATA:-$ROOT/../shared/mobility-data}"
[ -d "$DATA" ] || {
    echo "run.sh: no data at $DATA; set UPWARD_DATA to Urban's mobility metric files" >&2
    exit 1
}
uv run upward data load "$DATA"
uv run upward profile "Ramsey County, MN"
