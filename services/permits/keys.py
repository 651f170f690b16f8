"""The permits service's secrets: where they come from and what each is derived for.

- ``PERMITS_SECRET_KEY`` (at least 16 characters; 32 in production): the master secret for the
  tracking-PIN digests, the applicant key (HMAC of the NIK, so documents can be reused without
  the NIK becoming a key) and the PIN derivation (a retried filing shows the same PIN without
  the PIN ever being stored). Each use gets its own sub-key (HMAC of the master and a label).
- ``PERMITS_SIGNING_KEY`` (an Ed25519 private key in PEM; or ``PERMITS_SIGNING_KEY_FILE``, a
  mounted file): signs issued permits.

Both come from the environment or a mounted file (``services.common.settings``). **Production
(``MPP_ENV=production``) refuses to start without them**: nothing is generated into the
database there. Elsewhere, when one is not configured, a key is generated once and stored in
the permits database (``settings``; the first instance to insert it wins, so every instance and
restart agrees) and a warning is logged: convenient for development and the demo, but then
whoever reads the database holds the key, which defeats keeping only PIN digests.

Every public key that ever signed is kept in ``public_keys`` (by key id), so rotating
``PERMITS_SIGNING_KEY`` leaves earlier permits verifiable.
"""
import base64
import hashlib
import hmac
import logging
import secrets

from services.common import settings
from services.permits import issuance, store

log = logging.getLogger(__name__)

_cache = {}


class Keys:
    def __init__(self, master, signing_key, public_keys):
        self.master = master
        self.signing_key = signing_key
        self.key_id = issuance.key_id(signing_key)
        self._public = public_keys

    def sub(self, label):
        return hmac.new(self.master, label.encode(), hashlib.sha256).digest()

    @property
    def tracking(self):
        return self.sub("tracking-pin")

    @property
    def applicant_salt(self):
        return self.sub("applicant-key")

    def pin_for(self, application_id):
        """The application's PIN: derived, never stored (a retried filing shows it again)."""
        digest = hmac.new(self.sub("pin"), application_id.encode(), hashlib.sha256).digest()
        return "{:06d}".format(int.from_bytes(digest[:8], "big") % 10 ** 6)

    def public_keys(self, db):
        keys = dict(self._public)
        if any(k not in keys for k in store.public_keys(db)):
            keys = {k: issuance.public_key_from_pem(v.encode())
                    for k, v in store.public_keys(db).items()}
            self._public = keys
        return keys


def load(db, config):
    """The keys for this database (cached per process and database)."""
    cached = _cache.get(db.name)
    if cached is not None:
        return cached
    production = settings.is_production(config)
    master = settings.get(config, "PERMITS_SECRET_KEY")
    if production and not master:
        raise settings.SettingsError("PERMITS_SECRET_KEY is not set (required in production)")
    if master:
        master = master.encode() if isinstance(master, str) else bytes(master)
        if len(master) < 16:
            raise ValueError("PERMITS_SECRET_KEY must be at least 16 characters")
    else:
        log.warning("PERMITS_SECRET_KEY not set: using a key stored in the database "
                    "(development only; production must set it)")
        doc = store.setting_once(db, "secret_key", {
            "value": base64.b64encode(secrets.token_bytes(32)).decode()})
        master = base64.b64decode(doc["value"])
    pem = settings.get(config, "PERMITS_SIGNING_KEY")
    if production and not pem:
        raise settings.SettingsError("PERMITS_SIGNING_KEY is not set (required in production)")
    if pem:
        signing = issuance.private_key_from_pem(pem.encode() if isinstance(pem, str) else pem)
    else:
        log.warning("PERMITS_SIGNING_KEY not set: using a signing key stored in the database "
                    "(development only; production must set it)")
        doc = store.setting_once(db, "signing_key", {
            "pem": issuance.private_key_to_pem(issuance.generate_key()).decode()})
        signing = issuance.private_key_from_pem(doc["pem"].encode())
    store.add_public_key(db, issuance.key_id(signing), issuance.public_key_pem(signing).decode())
    public = {k: issuance.public_key_from_pem(v.encode())
              for k, v in store.public_keys(db).items()}
    keys = Keys(master, signing, public)
    _cache[db.name] = keys
    return keys
