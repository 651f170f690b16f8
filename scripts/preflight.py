"""Check that the broker and the database answer; one clear line when they don't."""
import sys

from services.common import config as cfg


def check(config):
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
    return problems


def _safe(uri):
    """Hide the password in a URI before printing it."""
    if "@" in uri and "://" in uri:
        scheme, rest = uri.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return "{}://{}:***@{}".format(scheme, creds.split(":", 1)[0], host)
    return uri


if __name__ == "__main__":
    found = check(cfg.load())
    for line in found:
        print("error: " + line, file=sys.stderr)
    sys.exit(1 if found else 0)
