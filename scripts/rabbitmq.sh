#!/usr/bin/env bash
# Install (Debian's rabbitmq-server, when missing), enable the management plugin and start
# RabbitMQ detached on this machine; wait until AMQP (5672) and the management API (15672)
# answer. Idempotent: does nothing but wait when it already runs.
set -euo pipefail

die() { echo "rabbitmq: $*" >&2; exit 1; }

api_up() {
  python3 - <<'PY' 2>/dev/null
import base64, socket, sys, urllib.request
socket.create_connection(("127.0.0.1", 5672), timeout=1).close()
req = urllib.request.Request("http://127.0.0.1:15672/api/overview",
    headers={"Authorization": "Basic " + base64.b64encode(b"guest:guest").decode()})
sys.exit(0 if urllib.request.urlopen(req, timeout=2).status == 200 else 1)
PY
}

if api_up; then echo "rabbitmq: already answering on 127.0.0.1:5672 (management :15672)"; exit 0; fi

if ! command -v rabbitmq-server >/dev/null && [[ ! -x /usr/sbin/rabbitmq-server ]]; then
  [[ $(id -u) -eq 0 ]] || die "rabbitmq-server is not installed; run as root or: apt-get install rabbitmq-server"
  echo "rabbitmq: installing Debian's rabbitmq-server…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq rabbitmq-server >/dev/null || die "apt-get install rabbitmq-server failed"
fi
export PATH="$PATH:/usr/sbin"

rabbitmq-plugins --offline enable rabbitmq_management >/dev/null \
  || die "could not enable the management plugin"

if ! pgrep -f 'beam.*rabbit' >/dev/null; then
  rabbitmq-server -detached >/dev/null 2>&1 || die "rabbitmq-server -detached failed; see /var/log/rabbitmq/"
fi

for _ in $(seq 1 120); do
  if api_up; then echo "rabbitmq: answering on 127.0.0.1:5672 (management :15672)"; exit 0; fi
  sleep 1
done
die "RabbitMQ did not answer within 120 s; see /var/log/rabbitmq/ (is port 5672 or 15672 taken?)"
