"""Staff authentication and authorisation.

- Accounts live in the gateway's own database (``accounts``, ``_id`` = username): an argon2id
  hash (argon2-cffi; hashing runs in eventlet's thread pool so a login never stalls the hub),
  a role and, except for ``admin``, one agency.
- Passwords: argon2id at OWASP's 19 MiB profile (m=19456 KiB, t=2, p=1) and at most
  ``GATEWAY_HASH_CONCURRENCY`` (default 2) hashes at once per process, so ten parallel
  sign-ins stay inside the container's memory (bench/login_memory.py); a hash made with other
  parameters is redone at the next sign-in.
- Tokens: PyJWT HS256 with ``GATEWAY_JWT_SECRET``. An *access* token lives 15 minutes and
  carries ``sub``, ``role``, ``agency`` and the account's session version ``sv``; every request
  re-reads the account (one read by ``_id``), so disabling it, a password change or a reset
  (each bumps ``sv``) ends every session at once. A *refresh* token (12 h) belongs to a
  session *family* (``sessions``) and is used once: its ``jti`` is inserted into
  ``refresh_used`` (a unique insert decides between two concurrent uses), and a second use of
  the same token (a stolen copy) revokes the whole family. Logout revokes the family.
- Failed sign-ins are logged with a keyed hash of the username (never the name itself) and
  the address truncated to its network (/24, /48), and counted
  (``mpp_gateway_login_failures_total``).
- API keys (``api_keys``, ``_id`` = key id): ``mpk_<id>_<secret>`` sent as ``X-API-Key``, the
  secret stored as SHA-256 (it is 256 random bits: a slow hash adds nothing), bound to one
  agency with role ``officer`` (the default: least privilege) or ``supervisor``; revocable.
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
from eventlet.semaphore import Semaphore
from nameko.extensions import DependencyProvider
from prometheus_client import Counter
from pymongo.errors import DuplicateKeyError

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

MUST_CHANGE = ("Ganti kata sandi Anda terlebih dahulu / Change your password first")
WRONG_CURRENT = "Kata sandi saat ini salah / The current password is wrong"
ACCOUNT_NOT_FOUND = "Akun tidak ditemukan / Account not found"

#: OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB, t=2, p=1
ARGON2_PARAMETERS = {"memory_cost": 19456, "time_cost": 2, "parallelism": 1}
_hasher = PasswordHasher(**ARGON2_PARAMETERS)
_DUMMY_HASH = None
_process_secret = None
#: hashes running at once in this process (``limit_hashing`` sets it from the config)
_hashing = Semaphore(2)

LOGIN_FAILURES = Counter("mpp_gateway_login_failures_total", "Refused staff sign-ins",
                         ["reason"])


@dataclass(frozen=True)
class Principal:
    subject: str  # username, or "apikey:<id>"
    role: str
    agency: str = None
    kind: str = "user"
    must_change: bool = False
    session_version: int = 0

    def public(self):
        out = {"username": self.subject, "role": self.role, "agency": self.agency,
               "kind": self.kind}
        if self.must_change:
            out["must_change_password"] = True
        return out


# -- passwords -----------------------------------------------------------------------------

def limit_hashing(concurrency):
    """At most ``concurrency`` argon2 computations at once in this process (each holds
    ``memory_cost`` KiB while it runs); the others wait their turn."""
    global _hashing
    _hashing = Semaphore(max(1, int(concurrency)))


def _hash_work(function, *args):
    with _hashing:
        return tpool.execute(function, *args)


def hash_password(password):
    return _hash_work(_hasher.hash, password)


def verify_password(stored_hash, password):
    global _DUMMY_HASH
    if stored_hash is None:  # same cost for an unknown user: no user enumeration by timing
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password(secrets.token_hex(16))
        stored_hash = _DUMMY_HASH
        password = password + "x"
    try:
        return _hash_work(_hasher.verify, stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash):
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def check_new_password(password, field="password"):
    if not isinstance(password, str) or len(password) < 8 or len(password) > 200:
        raise ValidationFailed(INVALID_DATA, {
            "fields": {field: ["Minimal 8 karakter / At least 8 characters"]}})


# -- accounts ------------------------------------------------------------------------------

def ensure_indexes(db):
    db.api_keys.create_index("agency")
    db.sessions.create_index("sub")


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


def create_account(db, username, password, role, agency=None, replace=False, email=None):
    check_account_fields(username, role, agency)
    check_new_password(password)
    doc = {"_id": username, "password_hash": hash_password(password), "role": role,
           "agency": None if role == staff_roles.ADMIN else agency, "active": True,
           "created_at": time.time(), "email": email or None}
    if replace:
        db.accounts.replace_one({"_id": username}, doc, upsert=True)
        return public_account(doc)
    try:
        db.accounts.insert_one(doc)
    except DuplicateKeyError:
        raise Conflict("Akun sudah ada / The account exists", {"username": username}) from None
    return public_account(doc)


def public_account(doc):
    created = doc.get("created_at")
    return {"username": doc["_id"], "role": doc["role"], "agency": doc.get("agency"),
            "active": doc.get("active", True), "disabled": not doc.get("active", True),
            "must_change_password": bool(doc.get("must_change")),
            "email": doc.get("email"),
            "created_at": (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created))
                           if isinstance(created, (int, float)) else None)}


def _account(db, username):
    doc = db.accounts.find_one({"_id": username}) if isinstance(username, str) else None
    if doc is None:
        raise NotFound(ACCOUNT_NOT_FOUND, {"username": str(username)[:64]})
    return doc


def _bump(db, username, fields):
    """Write ``fields`` and end every session of the account (its session version moves)."""
    doc = _account(db, username)
    db.accounts.update_one({"_id": username}, {"$set": dict(
        fields, session_version=doc.get("session_version", 0) + 1)})
    db.sessions.update_many({"sub": username}, {"$set": {"revoked": True}})
    return public_account(_account(db, username))


def set_disabled(db, username, disabled):
    if disabled:
        return _bump(db, username, {"active": False})
    _account(db, username)
    db.accounts.update_one({"_id": username}, {"$set": {"active": True}})
    return public_account(_account(db, username))


def reset_password(db, username):
    """A temporary password (shown once) that must be changed at the next sign-in."""
    _account(db, username)
    temporary = secrets.token_urlsafe(12)
    _bump(db, username, {"password_hash": hash_password(temporary), "must_change": True})
    return {"username": username, "temporary_password": temporary,
            "must_change_password": True}


def change_password(db, principal, current, new):
    if principal.kind != "user":
        raise Forbidden("Kunci API tidak memiliki kata sandi / An API key has no password",
                        {"kind": principal.kind})
    check_new_password(new, "new_password")
    doc = _account(db, principal.subject)
    if not verify_password(doc["password_hash"], current if isinstance(current, str) else ""):
        raise ValidationFailed(INVALID_DATA, {"fields": {"current_password": [WRONG_CURRENT]}})
    if new == current:
        raise ValidationFailed(INVALID_DATA, {"fields": {"new_password": [
            "Harus berbeda dari yang sekarang / Must differ from the current one"]}})
    _bump(db, principal.subject, {"password_hash": hash_password(new), "must_change": False})


def set_contact(db, principal, email):
    """A staff member's own e-mail address (None: none): the agency's alerts go there."""
    if principal.kind != "user":
        raise Forbidden("Kunci API tidak memiliki kontak / An API key has no contact",
                        {"kind": principal.kind})
    _account(db, principal.subject)
    db.accounts.update_one({"_id": principal.subject}, {"$set": {"email": email or None}})
    return public_account(_account(db, principal.subject))


def contacts(db, agency, role):
    """``[{"username", "email"}]`` of the active accounts of ``role`` at ``agency`` that gave
    an e-mail address (for the notifications service, over RPC only: never in an event)."""
    if not isinstance(agency, str) or role not in staff_roles.AGENCY_ROLES:
        return []
    found = db.accounts.find({"agency": agency, "role": role},
                             {"_id": 1, "email": 1, "active": 1})
    return [{"username": d["_id"], "email": d["email"]} for d in found
            if d.get("email") and d.get("active", True)]


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


def login(db, username, password, client="unknown", log_key=b""):
    doc = db.accounts.find_one({"_id": username}) if isinstance(username, str) else None
    ok = verify_password(doc["password_hash"] if doc else None, password or "")
    if not ok or not doc or not doc.get("active", True):
        reason = "disabled" if ok and doc else "credentials"
        LOGIN_FAILURES.labels(reason).inc()
        # an operator can group attempts on one account and from one network without the
        # log holding a username (which is often a person's name) or a full address
        log.warning("login refused: user %s from %s (%s)",
                    hmac.new(log_key, str(username).encode("utf-8"),
                             hashlib.sha256).hexdigest()[:16], client, reason,
                    extra={"entity": "account"})
        raise Unauthorized(BAD_LOGIN)
    if needs_rehash(doc["password_hash"]):
        db.accounts.update_one({"_id": doc["_id"], "password_hash": doc["password_hash"]},
                               {"$set": {"password_hash": hash_password(password)}})
    return principal_of(doc)


def principal_of(doc):
    return Principal(doc["_id"], doc["role"], doc.get("agency"),
                     must_change=bool(doc.get("must_change")),
                     session_version=doc.get("session_version", 0))


# -- tokens --------------------------------------------------------------------------------

class TokenKeys:
    def __init__(self, secret, access_seconds=900, refresh_seconds=43200):
        self.secret = secret
        self.access_seconds = access_seconds
        self.refresh_seconds = refresh_seconds

    @property
    def log_key(self):
        """The key of the usernames' hashes in the log (derived: not the signing key)."""
        return hmac.new(self.secret.encode("utf-8"), b"login-log", hashlib.sha256).digest()

    def issue(self, principal, family):
        now = int(time.time())
        access = jwt.encode({"sub": principal.subject, "role": principal.role,
                             "agency": principal.agency, "typ": "access", "iat": now,
                             "exp": now + self.access_seconds, "jti": uuid.uuid4().hex,
                             "sv": principal.session_version},
                            self.secret, algorithm=ALGORITHM)
        refresh = jwt.encode({"sub": principal.subject, "typ": "refresh", "iat": now,
                              "exp": now + self.refresh_seconds, "jti": uuid.uuid4().hex,
                              "fam": family, "sv": principal.session_version},
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


def start_session(db, keys, principal):
    """A new session family and its first token pair (at sign-in)."""
    family = uuid.uuid4().hex
    db.sessions.insert_one({"_id": family, "sub": principal.subject, "revoked": False,
                            "created_at": time.time()})
    return keys.issue(principal, family)


def _live_account(db, claims):
    doc = db.accounts.find_one({"_id": claims["sub"]})
    if doc is None or not doc.get("active", True):
        raise Unauthorized(NEED_LOGIN, {"reason": "account disabled"})
    if claims.get("sv", 0) != doc.get("session_version", 0):
        raise Unauthorized(NEED_LOGIN, {"reason": "session ended"})
    return doc


def refresh(db, keys, refresh_token):
    """A new pair for a refresh token used for the first time; a second use of one (a stolen
    copy, or the thief's after the owner's) ends the whole session family."""
    claims = keys.decode(refresh_token or "", "refresh")
    family, jti = claims.get("fam"), claims.get("jti")
    session = db.sessions.find_one({"_id": family}) if isinstance(family, str) else None
    if session is None or session.get("revoked") or not isinstance(jti, str):
        raise Unauthorized(NEED_LOGIN, {"reason": "session ended"})
    doc = _live_account(db, claims)
    try:
        db.refresh_used.insert_one({"_id": jti, "family": family, "at": time.time(),
                                    "exp": claims["exp"]})
    except DuplicateKeyError:
        db.sessions.update_one({"_id": family}, {"$set": {"revoked": True}})
        log.warning("refresh token reused: session family revoked",
                    extra={"entity": "session"})
        raise Unauthorized(NEED_LOGIN, {"reason": "session ended"}) from None
    return keys.issue(principal_of(doc), family)


def logout(db, keys, refresh_token):
    """End the refresh token's session family (an expired token still names it)."""
    try:
        claims = jwt.decode(refresh_token or "", keys.secret, algorithms=[ALGORITHM],
                            options={"require": ["sub", "typ"], "verify_exp": False})
    except jwt.InvalidTokenError:
        raise Unauthorized(NEED_LOGIN, {"reason": "invalid token"}) from None
    if claims.get("typ") != "refresh" or not isinstance(claims.get("fam"), str):
        raise Unauthorized(NEED_LOGIN, {"reason": "wrong token type"})
    db.sessions.update_one({"_id": claims["fam"]}, {"$set": {"revoked": True}})


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
        limit_hashing(settings.get(config, "GATEWAY_HASH_CONCURRENCY"))

    def get_dependency(self, worker_ctx):
        return self.keys


# -- API keys ------------------------------------------------------------------------------

def _digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_api_key(db, agency, role=staff_roles.OFFICER, label=None, created_by=None):
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
    # the account as it is now: disabled, or its sessions ended, the token is dead at once
    return principal_of(_live_account(db, claims))


def require(principal, roles=STAFF, agency=None, allow_must_change=False):
    """401 without credentials; 403 for a role not in ``roles`` or another agency's thing,
    and for anything but changing it while the password is a temporary one."""
    if principal is None:
        raise Unauthorized(NEED_LOGIN)
    if principal.must_change and not allow_must_change:
        raise Forbidden(MUST_CHANGE, {"reason": "must change password"})
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
