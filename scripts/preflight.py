"""Check that the broker and the database answer; one clear line when they don't."""
import sys

from services.common import config as cfg


def port_free(address):
    """True when nothing listens on ``host:port`` (so the gateway can bind it)."""
    import socket

    host, port = address.rsplit(":", 1)
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host or "0.0.0.0", int(port)))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def check(config, gateway=True):
    import kombu
    from services.common.mongo import make_client

    problems = []
    try:
        with kombu.Connection(config["AMQP_URI"], connect_timeout=5) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001 - any failure is reported the same way
        problems.append("RabbitMQ not reachable at AMQP_URI={} ({}); start it with "
                        "scripts/rabbitmq.sh or fix AMQP_URI".format(_safe(config["AMQP_URI"]),
                                                                     type(exc).__name__))
    client = make_client(config["MONGO_URI"], serverSelectionTimeoutMS=5000)
    try:
        client.admin.command("ping")
    except Exception as exc:  # noqa: BLE001
        problems.append("database not reachable at MONGO_URI={} ({}); start it with "
                        "scripts/ferretdb.sh start or fix MONGO_URI".format(_safe(config["MONGO_URI"]),
                                                                            type(exc).__name__))
    finally:
        client.close()
    address = str(config.get("WEB_SERVER_ADDRESS", ""))
    if gateway and address and not port_free(address):
        problems.append("port {} is taken (GATEWAY_ADDRESS={}); stop what listens there or set "
                        "GATEWAY_ADDRESS to a free host:port".format(address.rsplit(":", 1)[1], address))
    return problems


def _safe(uri):
    """Hide the password in a URI before printing it."""
    if "@" in uri and "://" in uri:
        scheme, rest = uri.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return "{}://{}:***@{}".format(scheme, creds.split(":", 1)[0], host)
    return uri


if __name__ == "__main__":
    found = check(cfg.load(), gateway=False)
    for line in found:
        print("error: " + line, file=sys.stderr)
    sys.exit(1 if found else 0)
