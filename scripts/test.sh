#!/usr/bin/env bash
# The whole test suite (unit, integration, end-to-end) against the real broker and database.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export PYTHONPATH="$ROOT"
.venv/bin/python scripts/preflight.py
exec .venv/bin/python -m pytest "$@"
