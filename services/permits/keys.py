"""The permits service's secrets: where they come from and what each is derived for.

- ``PERMITS_SECRET_KEY`` (at least 16 characters; 32 in production): the master secret for the
  tracking-PIN digests, the applicant key (HMAC of the NIK, so documents can be reused without
  the NIK becoming a key) and the PIN derivation (a retried filing shows the same PIN without
  the PIN ever being stored). Each use gets its own sub-key (HMAC of the master and a label).
- ``PERMITS_SIGNING_KEY`` (an Ed25519 private key in PEM; or ``PERMITS_SIGNING_KEY_FILE``, a
  mounted file): signs issued permits.
- ``PERMITS_NIK_KEY`` (at least 16 characters): the key (SHA-256 of it, AES-256-GCM)
  the applicant's NIK is encrypted with in the database (``seal_nik``/``open_nik``). Unset:
  a sub-key of the master secret (development). Each ciphertext names its key
  (``enc2:<key id>:…``, the key id a hash of the key, never the key), so the key rotates in
  place: the new key in ``PERMITS_NIK_KEY``, the old ones in ``PERMITS_NIK_KEY_PREVIOUS``
  (read only), then ``python -m scripts.rekey_nik`` reseals every stored NIK under the new key
  (``nik_rekey``). ``enc1:`` values (sealed before key ids) are opened by whichever known key
  authenticates them.

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
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.common import settings
from services.permits import issuance, store

log = logging.getLogger(__name__)

_cache = {}


LEGACY_PREFIX = "enc1:"   # base64(nonce + ciphertext), key not named
NIK_PREFIX = "enc2:"      # <key id>:base64(nonce + ciphertext)


class NikKeyMissing(RuntimeError):
    """A stored NIK was sealed with a key this process does not have (add it to
    ``PERMITS_NIK_KEY_PREVIOUS``)."""


def nik_key_id(key32):
    """A public name of a 32-byte NIK key: 12 hex digits of a hash of it."""
    return hashlib.sha256(b"mpp-nik-key-id:" + key32).hexdigest()[:12]


class Keys:
    def __init__(self, master, signing_key, public_keys, nik_key=None, previous_nik_keys=()):
        self.master = master
        self.signing_key = signing_key
        self.key_id = issuance.key_id(signing_key)
        self._public = public_keys
        current = hashlib.sha256(nik_key).digest() if nik_key else self.sub("nik-field")
        # readable: the current key, the previous ones, and the development sub-key (so a
        # deployment that started without PERMITS_NIK_KEY can move to one)
        readable = [current] + [hashlib.sha256(k).digest() for k in previous_nik_keys] + \
            [self.sub("nik-field")]
        self.nik_key_id = nik_key_id(current)
        self._nik = {}
        for key in readable:
            self._nik.setdefault(nik_key_id(key), AESGCM(key))

    def seal_nik(self, nik):
        """The NIK as stored: ``enc2:<key id>:`` + base64(nonce + AES-GCM ciphertext)."""
        nonce = os.urandom(12)
        sealed = self._nik[self.nik_key_id].encrypt(nonce, nik.encode("utf-8"), b"nik")
        return "{}{}:{}".format(NIK_PREFIX, self.nik_key_id,
                                base64.b64encode(nonce + sealed).decode("ascii"))

    def open_nik(self, stored):
        """The NIK from what is stored (a value stored before encryption is returned as is;
        an erased one is ``None``); ``NikKeyMissing`` when no key this process has sealed it."""
        if isinstance(stored, str) and stored.startswith(NIK_PREFIX):
            kid, _, text = stored[len(NIK_PREFIX):].partition(":")
            if kid not in self._nik:
                raise NikKeyMissing("NIK sealed with key {} (not configured)".format(kid))
            raw = base64.b64decode(text)
            return self._nik[kid].decrypt(raw[:12], raw[12:], b"nik").decode("utf-8")
        if isinstance(stored, str) and stored.startswith(LEGACY_PREFIX):
            raw = base64.b64decode(stored[len(LEGACY_PREFIX):])
            for aead in self._nik.values():
                try:
                    return aead.decrypt(raw[:12], raw[12:], b"nik").decode("utf-8")
                except InvalidTag:
                    continue
            raise NikKeyMissing("NIK sealed with a key not configured")
        return stored

    def nik_is_current(self, stored):
        """Whether a stored NIK is sealed with the current key (an erased one counts)."""
        return stored is None or (isinstance(stored, str) and stored.startswith(
            "{}{}:".format(NIK_PREFIX, self.nik_key_id)))

    def sub(self, label):
        return hmac.new(self.master, label.encode(), hashlib.sha256).digest()

    @property
    def tracking(self):
        return self.sub("tracking-pin")

    @property
    def applicant_salt(self):
        return self.sub("applicant-key")

    def pin_for(self, application_id, generation=0):
        """The application's PIN: derived, never stored; ``generation`` counts the new PINs
        the applicant asked for (0: the one shown at filing)."""
        message = application_id if not generation else "{}#{}".format(application_id,
                                                                        generation)
        digest = hmac.new(self.sub("pin"), message.encode(), hashlib.sha256).digest()
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
    nik_key = settings.get(config, "PERMITS_NIK_KEY")
    previous = settings.get(config, "PERMITS_NIK_KEY_PREVIOUS") or []
    if any(len(k) < 16 for k in ([nik_key] if nik_key else []) + list(previous)):
        raise ValueError("PERMITS_NIK_KEY and PERMITS_NIK_KEY_PREVIOUS keys must be at least "
                         "16 characters")
    keys = Keys(master, signing, public, nik_key.encode() if nik_key else None,
                [k.encode() for k in previous])
    _cache[db.name] = keys
    return keys
