"""``python -m scripts.first_admin <username>``: create the first administrator.

Production has no demo accounts and no account-creating RPC, so an operator makes the first
admin with this, in a container of the gateway's (``docker compose run --rm gateway python -m
scripts.first_admin admin``): it writes to the gateway's database with the gateway's
``MONGO_URI``. The password is read from standard input (asked twice on a terminal), at least
12 characters. Refused when an administrator already exists: further accounts are made by an
admin in the admin pages (``POST /api/v1/admin/accounts``).
"""
import getpass
import sys
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

MIN_LENGTH = 12


def read_password(stream=sys.stdin):
    if stream.isatty():
        first = getpass.getpass("Kata sandi / Password: ")
        if getpass.getpass("Ulangi / Repeat: ") != first:
            raise SystemExit("error: the passwords differ")
        return first
    return stream.readline().rstrip("\n")


def create(config, username, password):
    from services.common import config as cfg
    from services.common.mongo import make_client
    from services.contracts import roles
    from services.gateway import auth

    if len(password) < MIN_LENGTH:
        raise ValueError("the password must have at least {} characters".format(MIN_LENGTH))
    client = make_client(config["MONGO_URI"])
    try:
        db = client[cfg.database_name(config, "gateway")]
        auth.ensure_indexes(db)
        admin = db.accounts.find_one({"role": roles.ADMIN}, {"_id": 1})
        if admin is not None:
            raise ValueError("an administrator exists ({}); make accounts in the admin pages"
                             .format(admin["_id"]))
        return auth.create_account(db, username, password, roles.ADMIN)
    finally:
        client.close()


def main(argv):
    from services.common import config as cfg

    if len(argv) != 2:
        print("usage: python -m scripts.first_admin <username>  (password on stdin)",
              file=sys.stderr)
        return 2
    try:
        account = create(cfg.load(), argv[1], read_password())
    except Exception as exc:  # noqa: BLE001 - one clear line for the operator
        print("error: {}".format(getattr(exc, "message", None) or exc), file=sys.stderr)
        return 1
    print("created administrator {}".format(account["username"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
