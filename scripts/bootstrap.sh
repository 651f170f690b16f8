#!/usr/bin/env bash
# Create the virtualenv (.venv) and install the pinned requirements (runtime and tests:
# requirements-dev.txt includes requirements.txt) when they changed.
# The venv itself lives in a cache keyed by both files' hash, so a machine kept between
# sessions reuses it; a fresh machine just builds it (nothing depends on the cache existing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${MPP_CACHE_DIR:-$HOME/.cache/mpp-suite}"
PY="${PYTHON:-python3}"

die() { echo "bootstrap: $*" >&2; exit 1; }

"$PY" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' \
  || die "Python 3.11+ is needed (found $("$PY" --version 2>&1))"

hash="$( (cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt"; "$PY" --version) | sha256sum | cut -c1-16)"
venv="$CACHE/venv-$hash"
if [[ ! -x "$venv/bin/python" || ! -f "$venv/.complete" ]]; then
  echo "bootstrap: creating virtualenv in $venv"
  mkdir -p "$CACHE"
  rm -rf "$venv"
  "$PY" -m venv "$venv" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install -q --upgrade "pip<26" >/dev/null
  "$venv/bin/pip" install -q -r "$ROOT/requirements-dev.txt" || die "pip install -r requirements-dev.txt failed"
  touch "$venv/.complete"
fi
ln -sfn "$venv" "$ROOT/.venv"
