#!/usr/bin/env bash
# Set up, load the mobility data into the warehouse, and print a first profile.
#
#   scripts/run.sh     data from $UPWARD_DATA, else ../shared/mobility-data beside the repo;
#                      Urban's earlier release from $UPWARD_DATA_2023, else
#                      ../shared/mobility-data-2023, when it is there (release 2023.01,
#                      kept beside the current 2025.01 for `upward data diff`)
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
fi
uv run upward data load "$DATA" --release 2025.01
uv run upward data releases
uv run upward profile "Ramsey County, MN"
