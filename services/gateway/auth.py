"""Staff authentication and authorisation.

- Accounts live in the gateway's own database (``accounts``, ``_id`` = username): an argon2id
  hash (argon2-cffi; hashing runs in eventlet's thread pool so a login never stalls the hub),
  a role and, except for ``admin``, one agency.
- Tokens: PyJWT HS256 with ``GATEWAY_JWT_SECRET``. An *access* token lives 15 minutes and
  carries ``sub``, ``role``, ``agency``; a *refresh* token (12 h) only names the account, so a
  refresh re-reads it: a disabled account or a changed role takes effect at the next refresh.
- API keys (``api_keys``, ``_id`` = key id): ``mpk_<id>_<secret>`` sent as ``X-API-Key``, the
  secret stored as SHA-256 (it is 256 random bits: a slow hash adds nothing), bound to one
  agency with role ``officer`` or ``supervisor``; revocable.
- ``require(principal, roles, agency)``: no or bad credentials -> 401; a role not allowed or
  another agency's resource -> 403. ``admin`` is MPP-wide.
"""
import hashlib
import hmac
import logging
import re
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventlet import tpool
from nameko.extensions import DependencyProvider

from services.common.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed
from services.contracts import roles as staff_roles
from services.contracts.messages import INVALID_DATA
from services.common import settings

log = logging.getLogger(__name__)

ROLES = staff_roles.ROLES
STAFF = staff_roles.STAFF
SUPERVISORS = staff_roles.SUPERVISORS
ADMIN = staff_roles.ADMINS
KEY_ROLES = staff_roles.KEY_ROLES
ALGORITHM = "HS256"
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
API_KEY = re.compile(r"^mpk_([a-f0-9]{12})_([A-Za-z0-9_-]{20,100})$")

NEED_LOGIN = "Silakan masuk / Please log in"
BAD_LOGIN = "Nama pengguna atau kata sandi salah / Wrong username or password"
NOT_ALLOWED = "Peran Anda tidak boleh melakukan ini / Your role may not do this"
OTHER_AGENCY = "Bukan instansi Anda / Not your agency"

_hasher = PasswordHasher()
_DUMMY_HASH = None
_process_secret = None


@dataclass(frozen=True)
class Principal:
    subject: str  # username, or "apikey:<id>"
    role: str
    agency: str = None
    kind: str = "user"

    def public(self):
        return {"username": self.subject, "role": self.role, "agency": self.agency,
                "kind": self.kind}


# -- passwords -----------------------------------------------------------------------------

def hash_password(password):
    return tpool.execute(_hasher.hash, password)


def verify_password(stored_hash, password):
    global _DUMMY_HASH
    if stored_hash is None:  # same cost for an unknown user: no user enumeration by timing
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password(secrets.token_hex(16))
        stored_hash = _DUMMY_HASH
        password = password + "x"
    try:
        return tpool.execute(_hasher.verify, stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# -- accounts ------------------------------------------------------------------------------

def ensure_indexes(db):
    db.api_keys.create_index("agency")


def check_account_fields(username, role, agency):
    problems = {}
    if not isinstance(username, str) or not USERNAME.match(username):
        problems["username"] = ["2-64 huruf kecil, angka, ._- / 2-64 lowercase letters, digits, ._-"]
    if role not in ROLES:
        problems["role"] = ["Salah satu dari / One of: {}".format(", ".join(ROLES))]
    if role in staff_roles.AGENCY_ROLES and not agency:
        problems["agency"] = ["Wajib untuk peran ini / Required for this role"]
    if problems:
        raise ValidationFailed(INVALID_DATA, {"fields": problems})


def create_account(db, username, password, role, agency=None, replace=False):
    check_account_fields(username, role, agency)
    if not isinstance(password, str) or len(password) < 8 or len(password) > 200:
        raise ValidationFailed(INVALID_DATA, {
            "fields": {"password": ["Minimal 8 karakter / At least 8 characters"]}})
    doc = {"_id": username, "password_hash": hash_password(password), "role": role,
           "agency": None if role == staff_roles.ADMIN else agency, "active": True,
           "created_at": time.time()}
    if replace:
        db.accounts.replace_one({"_id": username}, doc, upsert=True)
        return public_account(doc)
    from pymongo.errors import DuplicateKeyError

    try:
        db.accounts.insert_one(doc)
    except DuplicateKeyError:
        raise Conflict("Akun sudah ada / The account exists", {"username": username}) from None
    return public_account(doc)


def public_account(doc):
    return {"username": doc["_id"], "role": doc["role"], "agency": doc.get("agency"),
            "active": doc.get("active", True)}


def ensure_demo_accounts(db, agency_codes, password):
    """``admin`` and ``<agency>.officer`` / ``<agency>.supervisor``; existing ones are kept."""
    wanted = [("admin", staff_roles.ADMIN, None)]
    for code in agency_codes:
        for role in staff_roles.AGENCY_ROLES:
            wanted.append(("{}.{}".format(code, role).lower(), role, code))
    created = []
    for username, role, agency in wanted:
        if db.accounts.find_one({"_id": username}, {"_id": 1}) is None:
            try:
                create_account(db, username, password, role, agency)
                # marked, so a production gateway refuses to start while one exists
                db.accounts.update_one({"_id": username}, {"$set": {"demo": True}})
                created.append(username)
            except Conflict:
                pass
    return {"accounts": [w[0] for w in wanted], "created": created}


KNOWN_DEMO_PASSWORDS = ("demo12345",)


def demo_accounts(db):
    """Usernames of demo accounts: made by ``ensure_demo_accounts``, or still opening with a
    published demo password (accounts of the demo's names only: each check is an argon2 hash)."""
    found = [d["_id"] for d in db.accounts.find({"demo": True}, {"_id": 1})]
    for doc in db.accounts.find({}, {"_id": 1, "password_hash": 1}):
        name = doc["_id"]
        if name in found or not (name == "admin" or name.endswith((".officer", ".supervisor"))):
            continue
        if any(verify_password(doc.get("password_hash"), p) for p in KNOWN_DEMO_PASSWORDS):
            found.append(name)
    return sorted(found)


def login(db, username, password):
    doc = db.accounts.find_one({"_id": username}) if isinstance(username, str) else None
    ok = verify_password(doc["password_hash"] if doc else None, password or "")
    if not ok or not doc or not doc.get("active", True):
        log.info("login refused", extra={"entity": "account"})
        raise Unauthorized(BAD_LOGIN)
    return Principal(doc["_id"], doc["role"], doc.get("agency"))


# -- tokens --------------------------------------------------------------------------------

class TokenKeys:
    def __init__(self, secret, access_seconds=900, refresh_seconds=43200):
        self.secret = secret
        self.access_seconds = access_seconds
        self.refresh_seconds = refresh_seconds

    def issue(self, principal):
        now = int(time.time())
        access = jwt.encode({"sub": principal.subject, "role": principal.role,
                             "agency": principal.agency, "typ": "access", "iat": now,
                             "exp": now + self.access_seconds, "jti": uuid.uuid4().hex},
                            self.secret, algorithm=ALGORITHM)
        refresh = jwt.encode({"sub": principal.subject, "typ": "refresh", "iat": now,
                              "exp": now + self.refresh_seconds, "jti": uuid.uuid4().hex},
                             self.secret, algorithm=ALGORITHM)
        return {"access_token": access, "token_type": "Bearer",
                "expires_in": self.access_seconds, "refresh_token": refresh,
                "refresh_expires_in": self.refresh_seconds, "account": principal.public()}

    def decode(self, token, typ):
        try:
            claims = jwt.decode(token, self.secret, algorithms=[ALGORITHM],
                                options={"require": ["exp", "sub", "typ"]})
        except jwt.ExpiredSignatureError:
            raise Unauthorized("Sesi berakhir, silakan masuk lagi / Session expired, please log "
                               "in again", {"reason": "expired"}) from None
        except jwt.InvalidTokenError:
            raise Unauthorized(NEED_LOGIN, {"reason": "invalid token"}) from None
        if claims.get("typ") != typ:
            raise Unauthorized(NEED_LOGIN, {"reason": "wrong token type"})
        return claims


def refresh(db, keys, refresh_token):
    claims = keys.decode(refresh_token or "", "refresh")
    doc = db.accounts.find_one({"_id": claims["sub"]})
    if doc is None or not doc.get("active", True):
        raise Unauthorized(NEED_LOGIN, {"reason": "account disabled"})
    return keys.issue(Principal(doc["_id"], doc["role"], doc.get("agency")))


class Tokens(DependencyProvider):
    """``self.tokens``: the ``TokenKeys`` of this process."""

    def setup(self):
        global _process_secret
        config = self.container.config
        secret = settings.get(config, "GATEWAY_JWT_SECRET")
        if not secret and settings.is_production(config):
            raise settings.SettingsError("GATEWAY_JWT_SECRET is not set (required in production)")
        if not secret:
            if _process_secret is None:
                _process_secret = secrets.token_urlsafe(48)
                log.warning("GATEWAY_JWT_SECRET is not set: using a random secret for this "
                            "process (tokens die with it and other gateway instances refuse "
                            "them); set it in production")
            secret = _process_secret
        self.keys = TokenKeys(secret, settings.get(config, "GATEWAY_ACCESS_TOKEN_SECONDS"),
                              settings.get(config, "GATEWAY_REFRESH_TOKEN_SECONDS"))

    def get_dependency(self, worker_ctx):
        return self.keys


# -- API keys ------------------------------------------------------------------------------

def _digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_api_key(db, agency, role=staff_roles.SUPERVISOR, label=None, created_by=None):
    problems = {}
    if not isinstance(agency, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,99}$", agency):
        problems["agency"] = ["Wajib diisi / Required"]
    if role not in KEY_ROLES:
        problems["role"] = ["Salah satu dari / One of: officer, supervisor"]
    if label is not None and (not isinstance(label, str) or len(label) > 100):
        problems["label"] = ["Maksimal 100 karakter / At most 100 characters"]
    if problems:
        raise ValidationFailed(INVALID_DATA, {"fields": problems})
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    db.api_keys.insert_one({"_id": key_id, "hash": _digest(secret), "agency": agency,
                            "role": role, "label": label, "created_by": created_by,
                            "created_at": time.time(), "revoked": False})
    return {"id": key_id, "key": "mpk_{}_{}".format(key_id, secret), "agency": agency,
            "role": role, "label": label}


def list_api_keys(db, agency=None):
    query = {} if agency is None else {"agency": agency}
    return [{"id": d["_id"], "agency": d["agency"], "role": d["role"], "label": d.get("label"),
             "revoked": d.get("revoked", False)} for d in db.api_keys.find(query)]


def revoke_api_key(db, key_id):
    if not isinstance(key_id, str) or db.api_keys.find_one({"_id": key_id}) is None:
        raise NotFound("Kunci API tidak ditemukan / API key not found")
    db.api_keys.update_one({"_id": key_id}, {"$set": {"revoked": True}})
    return {"id": key_id, "revoked": True}


def api_key_principal(db, value):
    match = API_KEY.match(value or "")
    doc = db.api_keys.find_one({"_id": match.group(1)}) if match else None
    if doc is None or doc.get("revoked") or not hmac.compare_digest(
            doc["hash"], _digest(match.group(2))):
        raise Unauthorized("Kunci API tidak valid / Invalid API key", {"reason": "api key"})
    return Principal("apikey:" + doc["_id"], doc["role"], doc["agency"], kind="api_key")


# -- per request ---------------------------------------------------------------------------

def authenticate(db, keys, request):
    """The request's principal, or None when it carries no credentials at all."""
    key = request.headers.get("X-API-Key")
    if key:
        return api_key_principal(db, key)
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(NEED_LOGIN, {"reason": "bearer token expected"})
    claims = keys.decode(token.strip(), "access")
    if claims.get("role") not in ROLES:
        raise Unauthorized(NEED_LOGIN, {"reason": "invalid token"})
    return Principal(claims["sub"], claims["role"], claims.get("agency"))


def require(principal, roles=STAFF, agency=None):
    """401 without credentials; 403 for a role not in ``roles`` or another agency's thing."""
    if principal is None:
        raise Unauthorized(NEED_LOGIN)
    if principal.role not in roles:
        raise Forbidden(NOT_ALLOWED, {"role": principal.role})
    if agency is not None and principal.role != staff_roles.ADMIN and principal.agency != agency:
        raise Forbidden(OTHER_AGENCY)
    return principal


def scope_agency(principal, requested=None):
    """The agency a staff list is about: an admin may pick any (or all: None); everyone else
    sees their own, and asking for another is a 403."""
    if principal.role == staff_roles.ADMIN:
        return requested or None
    if requested and requested != principal.agency:
        raise Forbidden(OTHER_AGENCY)
    return principal.agency
