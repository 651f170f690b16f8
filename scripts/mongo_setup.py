"""``python -m scripts.mongo_setup``: the MongoDB replica set and a database user per service.

Run by compose (the ``mongo-setup`` one-shot, before any service starts) as MongoDB's root user
(``MONGO_ADMIN_URI``, a direct connection to one member). Idempotent, so it runs on every
``docker compose up``:

1. when ``MONGO_REPLICA_SET`` names a set, it is initiated with ``MONGO_REPLICA_MEMBERS``
   (``host:port`` as the services reach them) unless it already is, and the step waits for a
   primary;
2. each ``service=password`` of ``MONGO_SERVICE_USERS`` becomes the user ``mpp_<service>``
   (in ``admin``) with ``readWrite`` on ``<MONGO_DB_PREFIX>_<service>`` and nothing else; an
   existing user gets the password and roles again (so a rotated password is applied by
   running it again, and a role added by hand is taken away).

Each service's container gets only its own user in its ``MONGO_URI``: a gateway compromise
cannot read the permits database. A new service (a connector, a new suite service) is one
more ``name=password`` pair in compose's ``MONGO_SERVICE_USERS`` and a ``MONGO_PASSWORD_<NAME>``
line in ``.env.example`` (``tests/unit/test_compose_file.py`` asks for one per service).
"""
import sys
import time
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

USER_PREFIX = "mpp_"


def user_name(service):
    return USER_PREFIX + service


def user_plan(prefix, users):
    """``[(user, password, roles)]`` for ``users`` (``{service: password}``)."""
    return [(user_name(service), password,
             [{"role": "readWrite", "db": "{}_{}".format(prefix, service)}])
            for service, password in sorted(users.items())]


def replica_config(name, members):
    return {"_id": name, "members": [{"_id": i, "host": host} for i, host in enumerate(members)]}


def ensure_replica_set(client, name, members, timeout=60):
    from pymongo.errors import OperationFailure

    try:
        client.admin.command("replSetGetStatus")
    except OperationFailure as exc:
        if exc.code != 94:  # NotYetInitialized
            raise
        client.admin.command("replSetInitiate", replica_config(name, members))
    deadline = time.time() + timeout
    while not client.admin.command("hello").get("isWritablePrimary"):
        if time.time() > deadline:
            raise RuntimeError("replica set {} has no primary after {} s".format(name, timeout))
        time.sleep(1)


def ensure_users(client, plan):
    admin = client.admin
    done = []
    for user, password, roles in plan:
        exists = admin.command("usersInfo", user).get("users")
        command = "updateUser" if exists else "createUser"
        admin.command(command, user, pwd=password, roles=roles)
        done.append(user)
    return done


def main():
    from services.common import settings
    from services.common.mongo import make_client

    config = {}
    users = settings.get(config, "MONGO_SERVICE_USERS")
    uri = settings.get(config, "MONGO_ADMIN_URI")
    if not users or not uri:
        print("error: MONGO_ADMIN_URI and MONGO_SERVICE_USERS are needed", file=sys.stderr)
        return 2
    client = make_client(uri, directConnection=True, serverSelectionTimeoutMS=30000)
    try:
        replica_set = settings.get(config, "MONGO_REPLICA_SET")
        if replica_set:
            ensure_replica_set(client, replica_set, settings.get(config, "MONGO_REPLICA_MEMBERS"))
        done = ensure_users(client, user_plan(settings.get(config, "MONGO_DB_PREFIX"), users))
    finally:
        client.close()
    print("mongo: replica set {}, users {}".format(replica_set or "none", ", ".join(done)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
