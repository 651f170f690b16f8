"""Secrets kept in a database, encrypted: agencies' webhook and callback secrets set through the
admin API. Fernet (``cryptography``: AES-128-CBC + HMAC-SHA256, authenticated) under the key in
``CONNECTOR_SECRETS_KEY`` (a Fernet key: 32 random bytes, URL-safe base64; make one with
``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``),
given to the processes that use the secrets (the gateway, the webhook connector) and never to
the one that stores them (permits keeps only ciphertext)."""
import secrets

from cryptography.fernet import Fernet, InvalidToken

from services.common import settings

KEY_SETTING = "CONNECTOR_SECRETS_KEY"


class NoKey(RuntimeError):
    """``CONNECTOR_SECRETS_KEY`` is not set (or not a Fernet key)."""


def _fernet(config):
    key = settings.get(config, "CONNECTOR_SECRETS_KEY")
    if not key:
        raise NoKey("{} is not set".format(KEY_SETTING))
    try:
        return Fernet(key.encode("ascii") if isinstance(key, str) else key)
    except (ValueError, TypeError) as exc:
        raise NoKey("{} is not a Fernet key".format(KEY_SETTING)) from exc


def configured(config):
    try:
        _fernet(config)
        return True
    except NoKey:
        return False


def new_secret():
    """A fresh shared secret (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def seal(config, secret):
    return _fernet(config).encrypt(secret.encode("utf-8")).decode("ascii")


def open_(config, sealed):
    """The secret, or ``None`` if ``sealed`` was not made with this key."""
    try:
        return _fernet(config).decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError, AttributeError):
        return None
