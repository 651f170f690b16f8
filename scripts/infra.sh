#!/usr/bin/env bash
# Start the real parts this machine needs, unless the environment points elsewhere:
# RabbitMQ when AMQP_URI is not set, FerretDB (MongoDB wire protocol) when MONGO_URI is not set.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
if [[ -z "${AMQP_URI:-}" ]]; then "$HERE/rabbitmq.sh"; else echo "infra: using AMQP_URI from the environment"; fi
if [[ -z "${MONGO_URI:-}" ]]; then "$HERE/ferretdb.sh" start "${MPP_DB_PORT:-27017}"; else echo "infra: using MONGO_URI from the environment"; fi
