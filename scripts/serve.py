"""``python -m scripts.serve <service>``: what a container runs (docker-compose.yml).

Checks the service's settings first: with ``MPP_ENV=production`` every problem the settings
schema finds (a secret missing, too short or a known default, a public URL not https, a broker
or database URI without real credentials) is printed as one line and the process exits 2,
before anything starts; the gateway also refuses while demo staff accounts exist. Whatever
``MPP_ENV``, it refuses when the service's queues on the broker are of the other type than
``AMQP_QUORUM_QUEUES`` asks (nameko would wait for ever; ``docs/scaling.md`` migrates). Then it
becomes ``nameko run --config config/nameko.yaml <the service's class>`` (exec: same process,
so signals and the exit status are nameko's).
"""
import os
import sys
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

ROOT = Path(__file__).resolve().parents[1]
EXIT_REFUSED = 2


def demo_account_problems(config):
    """The gateway's database must hold no demo account in production."""
    from services.common import config as cfg
    from services.common.mongo import make_client
    from services.gateway import auth

    client = make_client(config["MONGO_URI"], serverSelectionTimeoutMS=10000)
    try:
        db = client[cfg.database_name(config, "gateway")]
        found = auth.demo_accounts(db)
    except Exception as exc:  # noqa: BLE001 - any failure: cannot vouch for the accounts
        return ["cannot check the staff accounts for demo ones: {}".format(type(exc).__name__)]
    finally:
        client.close()
    if found:
        return ["demo staff accounts exist ({}): remove them or set new passwords "
                "(python -m scripts.first_admin)".format(", ".join(found))]
    return []


def problems(service, config):
    from services.common import settings

    found = settings.problems(service, config)
    if not settings.is_production(config):
        # elsewhere only a misspelt MPP_ENV stops a start (a typo must not mean "development")
        return [line for line in found if line.startswith("MPP_ENV")]
    if service == "gateway" and not found:
        found += demo_account_problems(config)
    return found


def main(argv):
    from scripts.suite import SERVICE_CLASSES
    from services.common import config as cfg

    if len(argv) != 2 or argv[1] not in SERVICE_CLASSES:
        print("usage: python -m scripts.serve <{}>".format("|".join(SERVICE_CLASSES)),
              file=sys.stderr)
        return EXIT_REFUSED
    from services.common import settings

    service = argv[1]
    config = cfg.load()
    found = problems(service, config)
    if not found:
        from services.common import broker

        conflict = broker.queue_type_conflict(service, config)
        found = [conflict] if conflict else []
    if found:
        for line in found:
            print("mpp {}: refusing to start (MPP_ENV={}): {}".format(
                service, settings.raw(config, "MPP_ENV") or "development", line),
                  file=sys.stderr, flush=True)
        return EXIT_REFUSED
    command = [sys.executable, "-m", "nameko", "run", "--config",
               str(ROOT / "config" / "nameko.yaml"), SERVICE_CLASSES[service]]
    os.execv(sys.executable, command)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
