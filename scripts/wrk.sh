#!/usr/bin/env bash
# The load generator of `make bench`: Debian's wrk (installed with apt when missing).
set -euo pipefail
if command -v wrk >/dev/null; then exit 0; fi
[[ $(id -u) -eq 0 ]] || { echo "wrk: not installed; run as root or: apt-get install wrk" >&2; exit 1; }
echo "wrk: installing Debian's wrk…"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq wrk >/dev/null; } \
  || { echo "wrk: apt-get install wrk failed" >&2; exit 1; }
