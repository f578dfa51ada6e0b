#!/usr/bin/env bash
# Installs the Python tools in a virtual environment outside the repository, builds Gleaner's
# analyze_seed example and runs compare.py (one core; see README.md).
#
# Usage: bench/python/run.sh [compare.py options, e.g. --seconds 5 --cpu 1]
# Environment: GLEANER_PYBENCH_VENV (default ${TMPDIR:-/tmp}/gleaner-pybench-venv), PYTHON (default
# python3), CARGO (default cargo).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${GLEANER_PYBENCH_VENV:-${TMPDIR:-/tmp}/gleaner-pybench-venv}"

if [[ ! -x "$venv/bin/python" ]]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

cd "$root"
"${CARGO:-cargo}" build --release --example analyze_seed --quiet
exec "$venv/bin/python" "$here/compare.py" "$@"
