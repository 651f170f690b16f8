#!/usr/bin/env bash
# Build (once, cached) and start FerretDB v1.24.2 with its SQLite backend on loopback.
#
# A plain `go install .../cmd/ferretdb@v1.24.2` builds a binary that panics at start
# ("Invalid build/version/version.txt file content", FerretDB issue #2982): that file is
# generated and not in the module zip. So we copy the module source to a writable folder,
# write the version file ourselves and build from there.
#
# One patch on top: FerretDB v1.24.2's SQLite backend creates the _id index on the expression
# _ferretdb_sjson->"_id" but queries with _ferretdb_sjson->'$._id'. The values are the same,
# the expressions are not, so SQLite never uses the index and every lookup by _id scans the
# table (EXPLAIN says SCAN; ~450 ms per find at 100,000 documents). Making the query expression
# the index's own (internal/backends/sqlite/metadata/metadata.go, IDColumn) turns it into
# SEARCH ... USING INDEX (~1 ms). Nothing on disk changes. Upstream v2 dropped this backend.
#
# Usage: scripts/ferretdb.sh build        -> prints the binary's path
#        scripts/ferretdb.sh start PORT   -> starts detached (data under var/ferretdb), waits for ping
#        scripts/ferretdb.sh stop
#        scripts/ferretdb.sh run PORT DIR -> runs in the foreground (exec) with data under DIR:
#                                          a process the caller owns, stops and starts again
#                                          on the same DIR (the restart tests' private database)
set -euo pipefail

VERSION=v1.24.2
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${MPP_CACHE_DIR:-$HOME/.cache/mpp-suite}"
PATCH=idindex1
BIN="$CACHE/ferretdb-$VERSION-$PATCH"
VAR="$ROOT/var"

die() { echo "ferretdb: $*" >&2; exit 1; }

build() {
  if [[ -x "$BIN" ]] && "$BIN" --version >/dev/null 2>&1; then echo "$BIN"; return; fi
  command -v go >/dev/null || die "Go is needed to build FerretDB; install Go (https://go.dev/dl) and retry"
  mkdir -p "$CACHE"
  local dir work
  dir="$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')" \
    || die "could not download github.com/FerretDB/FerretDB@$VERSION from the Go module proxy"
  work="$(mktemp -d "$CACHE/ferretdb-build.XXXXXX")"
  cp -r "$dir/." "$work/"
  chmod -R u+w "$work"
  printf '%s' "$VERSION" > "$work/build/version/version.txt"
  rm -f "$work/build/version/commit.txt"
  local meta="$work/internal/backends/sqlite/metadata/metadata.go"
  grep -q "IDColumn = DefaultColumn + \"->'\$._id'\"" "$meta" \
    || die "unexpected FerretDB source: IDColumn not found in $meta"
  sed -i "s|IDColumn = DefaultColumn + \"->'\$._id'\"|IDColumn = DefaultColumn + \`->\"_id\"\`|" "$meta"
  grep -q 'IDColumn = DefaultColumn + `->"_id"`' "$meta" || die "patching IDColumn failed"
  (cd "$work" && CGO_ENABLED=0 go build -trimpath -o "$BIN.tmp" ./cmd/ferretdb) >&2 \
    || die "go build of FerretDB failed (see above)"
  mv "$BIN.tmp" "$BIN"
  rm -rf "$work"
  echo "$BIN"
}

ping_db() {
  local port="$1"
  python3 - "$port" <<'PY' 2>/dev/null
import socket, struct, sys
# OP_MSG {ping: 1, $db: "admin"} by hand, so this works before the virtualenv exists.
def bson(doc):
    body = b""
    for k, v in doc.items():
        if isinstance(v, int):
            body += b"\x10" + k.encode() + b"\x00" + struct.pack("<i", v)
        else:
            s = v.encode() + b"\x00"
            body += b"\x02" + k.encode() + b"\x00" + struct.pack("<i", len(s)) + s
    return struct.pack("<i", len(body) + 5) + body + b"\x00"
payload = struct.pack("<I", 0) + b"\x00" + bson({"ping": 1, "$db": "admin"})
msg = struct.pack("<iiii", 16 + len(payload), 1, 0, 2013) + payload
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
s.sendall(msg)
data = s.recv(4096)
sys.exit(0 if len(data) > 16 and b"ok" in data else 1)
PY
}

# The flags every FerretDB of ours runs with (into the array FLAGS): SQLite data and state
# under $1, loopback port $2.
#
# SQLite runs in WAL mode (FerretDB's default) with synchronous=NORMAL instead of FULL: a
# commit no longer waits for an fsync of the WAL (only checkpoints sync). What is committed
# still survives the death of FerretDB or of any other process; only an OS crash or a power
# cut can take back the last commits, never corrupt the file. That is the window MongoDB's
# own default has (w:1 answers before its journal's next group commit, <= 100 ms), which
# production runs (docker-compose.yml, mongo:7). Why: a writer holds SQLite's one write lock
# through its fsync, and the others wait in SQLite's busy handler, which sleeps 1, 2, 5, 10 ...
# ms; on this machine's virtual disk a slow fsync then stalled every service's writes
# (notifications at 100 messages/s: p99 280-1171 ms with FULL against 80-290 ms with NORMAL
# in alternating runs, bench/README.md).
#
# Go's runtime gets one processor (GOMAXPROCS=1) and collects garbage at 400 % heap growth
# instead of 100 % (GOGC=400; the process stayed under 100 MB resident over eleven full
# benchmark runs). On a 2-core machine that FerretDB shares with the broker and four Python
# services, a second Go processor mostly woke spare threads: perf showed a quarter of
# FerretDB's samples in context switches, futex wake-ups and sysmon's sleeps. Side by side
# under the ticket load (bench/README.md), GOMAXPROCS=1 cut FerretDB's CPU per ticket by
# 25-28 % and the suite issued 7 % more tickets per second; GOGC=400 took another 9 % of
# FerretDB's CPU. SQLite admits one writer at a time anyway. Both can be overridden from the environment
# (MPP_DB_GOMAXPROCS, MPP_DB_GOGC).
flags() {
  export GOMAXPROCS="${MPP_DB_GOMAXPROCS:-1}" GOGC="${MPP_DB_GOGC:-400}"
  FLAGS=(--handler=sqlite --sqlite-url="file:$1/data/?_pragma=synchronous%28normal%29"
         --listen-addr="127.0.0.1:$2" --state-dir="$1/state" --debug-addr=-
         --telemetry=disable --log-level=warn)
}

start() {
  local port="${1:-27017}"
  if ping_db "$port"; then echo "ferretdb: already answering on 127.0.0.1:$port"; return; fi
  local bin; bin="$(build)"
  mkdir -p "$VAR/ferretdb/data" "$VAR/ferretdb/state" "$VAR/log"
  flags "$VAR/ferretdb" "$port"
  nohup "$bin" "${FLAGS[@]}" >>"$VAR/log/ferretdb.log" 2>&1 &
  echo $! > "$VAR/ferretdb/pid"
  for _ in $(seq 1 100); do
    if ping_db "$port"; then echo "ferretdb: answering on 127.0.0.1:$port"; return; fi
    if ! kill -0 "$(cat "$VAR/ferretdb/pid")" 2>/dev/null; then
      tail -5 "$VAR/log/ferretdb.log" >&2
      die "FerretDB exited at start (port $port taken?); see var/log/ferretdb.log"
    fi
    sleep 0.2
  done
  die "FerretDB did not answer ping on 127.0.0.1:$port within 20 s; see var/log/ferretdb.log"
}

run() {
  local port="${1:?usage: run PORT DIR}" dir="${2:?usage: run PORT DIR}"
  local bin; bin="$(build)"
  mkdir -p "$dir/data" "$dir/state"
  dir="$(cd "$dir" && pwd)"
  [[ "$dir" != *" "* ]] || die "run: DIR must not contain spaces: $dir"
  flags "$dir" "$port"
  exec "$bin" "${FLAGS[@]}"
}

stop() {
  [[ -f "$VAR/ferretdb/pid" ]] && kill "$(cat "$VAR/ferretdb/pid")" 2>/dev/null || true
  rm -f "$VAR/ferretdb/pid"
}

case "${1:-}" in
  build) build ;;
  start) start "${2:-27017}" ;;
  stop) stop ;;
  run) run "${2:-}" "${3:-}" ;;
  *) die "usage: $0 build|start [PORT]|stop|run PORT DIR" ;;
esac
