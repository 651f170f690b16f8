"""``python -m scripts.make_env [example] > .env``: a production ``.env`` from ``.env.example``.

Every empty secret of the example gets a fresh random value (48 URL-safe characters), and the
permit signing key (Ed25519, PEM) is written to ``PERMITS_SIGNING_KEY_PATH`` and the MongoDB
replica set's key file to ``MONGO_KEYFILE_PATH`` (in a directory of mode 0700) unless those
files exist. Provider tokens (WhatsApp, SMS, SMTP) stay empty: they come from the
providers; fill them in before ``docker compose up``.
"""
import base64
import os
import re
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATED = re.compile(r"^(RABBITMQ_ADMIN_PASSWORD|RABBITMQ_PASSWORD_\w+|MONGO_ROOT_PASSWORD|"
                       r"MONGO_PASSWORD_\w+|MPP_NIK_SALT|PERMITS_SECRET_KEY|PERMITS_NIK_KEY|"
                       r"GATEWAY_JWT_SECRET|"
                       r"FEEDBACK_SECRET|WEBHOOK_SECRET|NOTIFY_PHONE_KEY|WHATSAPP_VERIFY_TOKEN|"
                       r"SMS_WEBHOOK_SECRET|METRICS_TOKEN)$")


def render(example_text, base=ROOT):
    lines, key_path, keyfile_path = [], None, None
    for line in example_text.splitlines():
        name, sep, value = line.partition("=")
        if sep and not line.startswith("#") and GENERATED.match(name) and not value:
            line = "{}={}".format(name, secrets.token_urlsafe(36))
        elif sep and not line.startswith("#") and name == "CONNECTOR_SECRETS_KEY" and not value:
            # a Fernet key: 32 random bytes, URL-safe base64
            line = "{}={}".format(name, base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        if name == "PERMITS_SIGNING_KEY_PATH":
            key_path = value
        if name == "MONGO_KEYFILE_PATH":
            keyfile_path = value
        lines.append(line)
    if key_path:
        write_signing_key(base / key_path)
    if keyfile_path:
        write_mongo_keyfile(base / keyfile_path)
    return "\n".join(lines) + "\n"


def write_signing_key(path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = Path(path)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    # the directory is the operator's only (0700); the file is readable by the container's
    # user, which compose's file-based secrets mount with the host's permissions
    path.parent.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def write_mongo_keyfile(path):
    """The replica set members' shared key (base64, 756 random bytes: mongod takes 6 to 1024
    base64 characters), unless the file exists."""
    path = Path(path)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(secrets.token_bytes(756)).decode() + "\n")


def main(argv):
    example = Path(argv[1]) if len(argv) > 1 else ROOT / ".env.example"
    sys.stdout.write(render(example.read_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
