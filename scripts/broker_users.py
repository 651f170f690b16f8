"""``python -m scripts.broker_users``: a RabbitMQ user per service, on the suite's vhost only.

Run once by compose (the ``broker-users`` one-shot) with the management API's admin URI
(``RABBIT_API_URI``), the vhost (``MPP_BROKER_VHOST``) and ``MPP_BROKER_USERS``
(``user=password,…``). It creates the vhost and each user (or sets its password again, so a
rotated password is applied by running it again), and gives each user configure, write and
read permissions on that vhost and no other: a service's credentials open nothing else on the
broker, and none of them is an administrator.
"""
import sys
from urllib.parse import quote, urlsplit, urlunsplit

import requests

from services.common import settings


def _api(uri):
    parts = urlsplit(uri)
    base = urlunsplit((parts.scheme, parts.hostname + (":{}".format(parts.port) if parts.port
                                                       else ""), "/api", "", ""))
    return base, (parts.username or "", parts.password or "")


def apply(rabbit_api_uri, vhost, users, session=None):
    http = session or requests.Session()
    base, auth = _api(rabbit_api_uri)
    v = quote(vhost, safe="")

    def put(path, body):
        answer = http.put(base + path, json=body, auth=auth, timeout=10)
        if answer.status_code not in (200, 201, 204):
            raise RuntimeError("{} {}: {}".format(path, answer.status_code, answer.text[:200]))

    put("/vhosts/{}".format(v), {})
    for user, password in sorted(users.items()):
        put("/users/{}".format(quote(user, safe="")), {"password": password, "tags": ""})
        put("/permissions/{}/{}".format(v, quote(user, safe="")),
            {"configure": ".*", "write": ".*", "read": ".*"})
    return sorted(users)


def main():
    config = {}
    users = settings.get(config, "MPP_BROKER_USERS")
    if not users:
        print("error: MPP_BROKER_USERS is empty", file=sys.stderr)
        return 2
    done = apply(settings.get(config, "RABBIT_API_URI"), settings.get(config, "MPP_BROKER_VHOST"),
                 users)
    print("broker users on vhost {}: {}".format(settings.get(config, "MPP_BROKER_VHOST"),
                                                ", ".join(done)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
