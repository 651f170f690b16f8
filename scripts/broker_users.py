"""``python -m scripts.broker_users``: a RabbitMQ user per service, on the suite's vhost only.

Run once by compose (the ``broker-users`` one-shot) with the management API's admin URI
(``RABBIT_API_URI``), the vhost (``MPP_BROKER_VHOST``) and ``MPP_BROKER_USERS``
(``user=password,…``). It creates the vhost and each user (or sets its password again, so a
rotated password is applied by running it again), and gives each user permissions on that
vhost and no other, limited to the names its service uses (``permissions``): its RPC queue and
reply queues, its own event exchange and handler queues, its own ``<service>.*`` names; any
service's event exchange only to declare and bind to it. A service's credentials cannot
consume another service's queues, publish its events or touch another vhost; none of them is
an administrator. The user ``mpp_tools`` (operators' scripts) gets RPC replies only.
"""
import re
import sys
from urllib.parse import quote, urlsplit, urlunsplit

import requests

from services.common import settings


def _api(uri):
    parts = urlsplit(uri)
    base = urlunsplit((parts.scheme, parts.hostname + (":{}".format(parts.port) if parts.port
                                                       else ""), "/api", "", ""))
    return base, (parts.username or "", parts.password or "")


def permissions(user):
    """``{"configure", "write", "read"}`` regular expressions of ``mpp_<service>``."""
    s = re.escape(user[len("mpp_"):] if user.startswith("mpp_") else user)
    replies = r"rpc\.reply-({}|standalone_rpc_proxy)-[0-9a-f-]+".format(s)
    own = [r"rpc-" + s, replies, r"evt-.*--{}\..*".format(s), s + r"\..*",
           r"live-ticketing--{}-[0-9a-f]+".format(s)]
    for_others = r"evt-{}-.*".format(s)  # subscribers' queues it declares before publishing
    return {"configure": "^({})$".format("|".join(["nameko-rpc", r"[a-z_]+\.events", for_others]
                                                     + own)),
            "write": "^({})$".format("|".join(["nameko-rpc", s + r"\.events", for_others]
                                                 + own)),
            "read": "^({})$".format("|".join(["nameko-rpc", r"[a-z_]+\.events"] + own))}


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
        put("/permissions/{}/{}".format(v, quote(user, safe="")), permissions(user))
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
