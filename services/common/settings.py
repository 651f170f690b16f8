"""The one settings schema of the suite: every environment variable any service reads.

Each ``Setting`` names the variable, its type, its default, whether it is a secret (and its
minimum length), whether production requires it, and which services read it. Every service
reads its settings through ``get(config, NAME)``:

1. the nameko config (``config/nameko.yaml`` after nameko's ``${VAR:default}`` substitution,
   or a test's config dict) when the key is there and not empty;
2. the environment: ``NAME``; for a secret also ``NAME_FILE`` (a mounted file, Docker secrets);
   for a nested setting (``json``) also ``NAME__KEY__SUBKEY=value`` pieces, e.g.
   ``WEBHOOK_CONNECTOR__AGENCIES__DINKES__URL=https://…`` (keys are lower-cased);
3. the default here.

Values are parsed by type: ``str``, ``int``, ``float``, ``bool`` (1/true/yes/on), ``list``
(comma-separated), ``pairs`` (``a=x,b=y`` or a JSON object) and ``json`` (a JSON object or the
``__`` pieces). The README's configuration table is generated from this schema
(``python -m services.common.settings --markdown``) and a test keeps them equal; another test
finds every variable the code reads and fails when one is missing here, in the README or in
the compose containers that run the services reading it.

``problems(service, environ)`` is the production check (``MPP_ENV=production``): a missing,
short or known-default secret, a public URL that is not https, credentials left out of the
broker or database URIs. ``scripts/serve.py`` runs it before a service starts.
"""
import json
import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# every service process; "tools" are the scripts an operator runs (demo loader, first-admin)
APP = ("ticketing", "permits", "notifications", "feedback", "standards", "gateway")
CONNECTORS = ("connector_simulated", "connector_manual", "connector_webhook")
ALL = APP + CONNECTORS
TOOLS = ("tools",)

ENVIRONMENTS = ("development", "demo", "production")

# values shipped in this repository or in common examples: never a production secret
KNOWN_DEFAULTS = frozenset({
    "", "change-me", "changeme", "secret", "password", "guest", "demo12345", "admin",
    "dev-only-nik-salt-change-me", "mpp", "test", "example",
})


@dataclass(frozen=True)
class Setting:
    name: str
    type: str                      # str | int | float | bool | list | pairs | json
    default: object
    doc: str
    services: tuple
    secret: bool = False
    min_length: int = 0
    required_in_production: bool = False
    https_in_production: bool = False   # a public URL (or a list of them)
    config_key: str = None         # the nameko config key when it differs from the name
    choices: tuple = ()
    example: str = None            # the value in .env.example (production-like)

    @property
    def key(self):
        return self.config_key or self.name


def _s(*args, **kwargs):
    return Setting(*args, **kwargs)


SCHEMA = (
    # -- every service ---------------------------------------------------------------------
    _s("MPP_ENV", "str", "development",
       "development (defaults allowed), demo (`make run`: demo accounts) or production "
       "(refuses to start on a missing, short or default secret)", ALL + TOOLS,
       choices=ENVIRONMENTS, example="production"),
    _s("AMQP_URI", "str", "pyamqp://guest:guest@127.0.0.1:5672/",
       "RabbitMQ; production: a user of the service's own with a real password", ALL + TOOLS,
       secret=True, required_in_production=True,
       example="pyamqp://mpp_<service>:<password>@rabbitmq:5672/mpp"),
    _s("AMQP_QUORUM_QUEUES", "bool", None,
       "durable work queues (RPC, event handlers', notifications' work) are RabbitMQ quorum "
       "queues, replicated on a cluster; unset: on in production, off elsewhere. A queue's "
       "type is fixed once declared: see docs/scaling.md to switch", ALL, example="1"),
    _s("MONGO_URI", "str", "mongodb://127.0.0.1:27017/?retryWrites=false",
       "MongoDB; production: with a user and password; retryable writes as it says "
       "(`retryWrites=false` for FerretDB, which has none; a replica set: `retryWrites=true`)", ALL + TOOLS, secret=True,
       required_in_production=True,
       example="mongodb://mpp:<password>@mongo:27017/?authSource=admin"),
    _s("MONGO_DB_PREFIX", "str", "mpp",
       "a database per service: `<prefix>_<service>`", ALL + TOOLS),
    _s("MPP_TIMEZONE", "str", "Asia/Jakarta", "the MPP's zone (its local day, hours, SLA days)",
       APP),
    _s("LOG_LEVEL", "str", "INFO", "root log level (JSON lines on stdout)", ALL),
    _s("MAX_WORKERS", "int", 10, "concurrent workers per service process", ALL),
    _s("METRICS_PORT", "int", 0,
       "when set, the process also serves its own /metrics on this port (one per instance)",
       APP, example="9100"),
    _s("METRICS_ADDRESS", "str", "127.0.0.1",
       "the address of that port (compose: 0.0.0.0, on the internal network only)", APP,
       example="0.0.0.0"),
    # -- ticketing -------------------------------------------------------------------------
    _s("MPP_NIK_SALT", "str", "dev-only-nik-salt-change-me",
       "key of the one-booking-per-NIK hash", ("ticketing",), secret=True, min_length=32,
       required_in_production=True),
    _s("MPP_IGNORE_OPENING_HOURS", "bool", False,
       "walk-in tickets outside opening hours (tests, demos)", ("ticketing",)),
    # -- permits ---------------------------------------------------------------------------
    _s("PERMITS_SECRET_KEY", "str", None,
       "master secret of tracking PINs and applicant keys (development: generated into the "
       "permits database)", ("permits",), secret=True, min_length=32,
       required_in_production=True),
    _s("PERMITS_SIGNING_KEY", "str", None,
       "Ed25519 private key (PEM) that signs permits (development: generated into the "
       "permits database)", ("permits",), secret=True, min_length=100,
       required_in_production=True),
    _s("PERMITS_VERIFY_URL", "str", "http://127.0.0.1:8000/verify",
       "the public verify page a permit's QR code opens", ("permits",),
       https_in_production=True, example="https://mpp.kapuaskab.go.id/verify"),
    _s("PERMITS_MAX_DOCUMENT_BYTES", "int", 5 * 1024 * 1024, "largest uploaded document",
       ("permits",)),
    _s("PERMITS_SLA_SWEEP_SECONDS", "float", 60.0, "how often SLA deadlines are checked",
       ("permits",)),
    _s("PERMITS_NIK_KEY", "str", None,
       "key of the applicants' NIK encrypted at rest (AES-256-GCM of its SHA-256); development: a "
       "sub-key of PERMITS_SECRET_KEY", ("permits",), secret=True, min_length=16),
    _s("PERMITS_NIK_KEY_PREVIOUS", "list", [],
       "earlier PERMITS_NIK_KEY values, comma-separated: read only, while "
       "`python -m scripts.rekey_nik` reseals the stored NIKs under the current key",
       ("permits",), secret=True, min_length=16),
    _s("PERMITS_PERSONAL_DATA_DAYS", "int", 365,
       "days after the final decision when an applicant's name, NIK, phone and e-mail are erased",
       ("permits",)),
    _s("PERMITS_DEEMED_APPROVAL", "bool", True,
       "an application past its SLA with fiktif-positif is deemed approved", ("permits",)),
    _s("PERMITS_STATUS_MAPPINGS", "json", {},
       "per agency, its back office's statuses to ours: "
       "`PERMITS_STATUS_MAPPINGS__DINKES__SELESAI=approved` or JSON", ("permits",)),
    # -- notifications ---------------------------------------------------------------------
    _s("NOTIFY_TEST_MODE", "bool", True,
       "simulate every send (reserved numbers +62 811-0000-0001..0005 give each outcome)",
       ("notifications",), example="0"),
    _s("NOTIFY_TIMEOUT", "float", 10.0, "seconds per provider request", ("notifications",)),
    _s("NOTIFY_RETRY_DELAYS", "str", "5,25,125,625",
       "seconds between retries (one TTL queue per value)", ("notifications",)),
    _s("NOTIFY_REALTIME_RETRIES", "int", 2, "retries of queue messages (the first delays)",
       ("notifications",)),
    _s("NOTIFY_RECEIPT_TIMEOUTS", "pairs", {"whatsapp": "60", "sms": "300"},
       "seconds to wait for a delivery receipt before failing over", ("notifications",)),
    _s("NOTIFY_RECIPIENT_WAITS", "int", 5,
       "times a message waits for its recipient's event", ("notifications",)),
    _s("NOTIFY_PHONE_COUNTRY_CODES", "list", ["62"],
       "country calling codes citizens' WhatsApp/SMS numbers may have (comma-separated)",
       ("notifications",)),
    _s("NOTIFY_CONFIRM_PORTAL_PHONES", "bool", True,
       "a phone number given on the portal (booking, filing) gets its first message only "
       "until the citizen confirms it (the code typed on the portal, or a YA reply)",
       ("notifications",)),
    _s("NOTIFY_MAX_MESSAGES_PER_NUMBER_PER_DAY", "int", 20,
       "messages one phone number receives per local day at most", ("notifications",)),
    _s("MESSAGE_RETENTION_DAYS", "float", 7.0, "then recipients and bodies are removed",
       ("notifications",)),
    _s("MPP_NAME", "str", "MPP Kabupaten Kapuas",
       "the mall's name: in messages to citizens and on the pages (`GET /api/v1/agencies` → "
       "`mpp.name`)", ("notifications", "feedback", "standards", "gateway")),
    _s("WHATSAPP_URL", "str", None, "WhatsApp Cloud API messages endpoint",
       ("notifications",), https_in_production=True,
       example="https://graph.facebook.com/v21.0/<phone-number-id>/messages"),
    _s("WHATSAPP_TOKEN", "str", None, "WhatsApp Cloud API access token", ("notifications",),
       secret=True, min_length=20),
    _s("SMS_URL", "str", None, "HTTP SMS gateway endpoint", ("notifications",),
       https_in_production=True, example="https://sms.example.id/api/send"),
    _s("SMS_TOKEN", "str", None, "SMS gateway token", ("notifications",), secret=True,
       min_length=16),
    _s("SMS_SENDER", "str", "MPP", "SMS sender id", ("notifications",)),
    _s("SMTP_HOST", "str", None, "e-mail relay", ("notifications",),
       example="smtp.kapuaskab.go.id"),
    _s("SMTP_PORT", "int", 25, "e-mail relay port", ("notifications",), example="587"),
    _s("SMTP_SECURITY", "str", "none", "none, starttls or ssl", ("notifications",),
       choices=("none", "starttls", "ssl"), example="starttls"),
    _s("SMTP_USERNAME", "str", None, "e-mail relay user", ("notifications",)),
    _s("SMTP_PASSWORD", "str", None, "e-mail relay password", ("notifications",),
       secret=True, min_length=8),
    _s("SMTP_FROM", "str", None, "sender address of e-mails", ("notifications",),
       example="mpp@kapuaskab.go.id"),
    _s("WEBHOOK_SECRET", "str", None,
       "HMAC key of agency webhooks without a key of their own", ("notifications",),
       secret=True, min_length=32),
    _s("NOTIFY_AGENCY_WEBHOOKS", "pairs", {},
       "`agency=url,…`: each agency's system hears of its applications", ("notifications",)),
    _s("NOTIFY_AGENCY_WEBHOOK_SECRETS", "pairs", {},
       "`agency=secret,…`: one HMAC key per agency", ("notifications",), secret=True,
       min_length=32),
    _s("NOTIFY_PHONE_KEY", "str", "dev-only-notify-phone-key-change-me",
       "key of the hashed phone numbers that replied STOP / BERHENTI (opt-outs)",
       ("notifications",), secret=True, min_length=32, required_in_production=True),
    # -- feedback --------------------------------------------------------------------------
    _s("FEEDBACK_SECRET", "str", None,
       "key of survey tokens (development: generated into the feedback database)",
       ("feedback",), secret=True, min_length=32, required_in_production=True),
    _s("FEEDBACK_SURVEY_URL", "str", "http://127.0.0.1:8000/survey",
       "the public survey page invitations link to", ("feedback",),
       https_in_production=True, example="https://mpp.kapuaskab.go.id/survey"),
    # -- standards -------------------------------------------------------------------------
    _s("STANDARDS_REVIEW_MONTHS", "int", 12,
       "months after a standard takes effect when it is due for its periodic review",
       ("standards",)),
    _s("STANDARDS_COMMENTS_PER_DAY", "int", 5,
       "public comments one client address may send on one standard per local day",
       ("standards",)),
    # -- gateway ---------------------------------------------------------------------------
    _s("GATEWAY_ADDRESS", "str", "127.0.0.1:8000", "where the gateway listens",
       ("gateway",) + TOOLS, config_key="WEB_SERVER_ADDRESS", example="0.0.0.0:8000"),
    _s("GATEWAY_JWT_SECRET", "str", None,
       "HS256 key of staff tokens, the same on every gateway (development: random per process)",
       ("gateway",), secret=True, min_length=32, required_in_production=True),
    _s("GATEWAY_ACCESS_TOKEN_SECONDS", "int", 900, "lifetime of an access token",
       ("gateway",)),
    _s("GATEWAY_REFRESH_TOKEN_SECONDS", "int", 43200, "lifetime of a refresh token",
       ("gateway",)),
    _s("GATEWAY_CORS_ORIGINS", "list", [],
       "origins allowed to call the API from a browser (comma-separated; empty: none)",
       ("gateway",), https_in_production=True),
    _s("GATEWAY_RATE_LIMIT_PER_MINUTE", "int", 120,
       "public requests per client address per clock minute, one budget shared by every "
       "gateway", ("gateway",)),
    _s("GATEWAY_RATE_LIMIT_BURST", "int", 40, "rate limit bucket size (each gateway's own)",
       ("gateway",)),
    _s("GATEWAY_TRUSTED_PROXIES", "list", [],
       "addresses whose X-Forwarded-For names the client", ("gateway",)),
    _s("GATEWAY_STREAM_MAX_PER_CLIENT", "int", 50,
       "open live-update (SSE) connections per client address", ("gateway",)),
    _s("GATEWAY_STAFF_RATE_LIMIT_PER_MINUTE", "int", 600,
       "staff, connector-callback and health requests per client address per minute (shared "
       "by every gateway)",
       ("gateway",)),
    _s("GATEWAY_STAFF_RATE_LIMIT_BURST", "int", 200, "their rate limit bucket size", ("gateway",)),
    _s("GATEWAY_HASH_CONCURRENCY", "int", 2,
       "password hashes (argon2id, 19 MiB each) computed at once", ("gateway",)),
    _s("GATEWAY_STREAM_MAX", "int", 2000, "open live-update (SSE) connections per gateway",
       ("gateway",)),
    _s("GATEWAY_BACKLOG", "int", 2048,
       "listen backlog: connections the kernel queues while the gateway is busy (capped by "
       "net.core.somaxconn)", ("gateway",)),
    _s("GATEWAY_MAX_CONNECTIONS", "int", 4000,
       "connections served at once (live streams included); more wait in the backlog",
       ("gateway",)),
    _s("GATEWAY_MAX_UPLOAD_BYTES", "int", 8 * 1024 * 1024,
       "JSON bodies that carry documents (base64)", ("gateway",)),
    _s("GATEWAY_CONNECTOR_SECRETS", "pairs", {},
       "`agency=secret,…`: HMAC keys of connector callbacks", ("gateway",), secret=True,
       min_length=32),
    _s("WHATSAPP_APP_SECRET", "str", None,
       "the Meta app secret: the key of X-Hub-Signature-256 on WhatsApp webhooks",
       ("gateway",), secret=True, min_length=16),
    _s("WHATSAPP_VERIFY_TOKEN", "str", None,
       "the token Meta's webhook handshake sends (hub.verify_token)", ("gateway",),
       secret=True, min_length=16),
    _s("SMS_WEBHOOK_SECRET", "str", None,
       "HMAC key of the SMS gateway's delivery reports (X-MPP-Timestamp, X-MPP-Signature)",
       ("gateway",), secret=True, min_length=32),
    _s("METRICS_TOKEN", "str", None,
       "bearer token of the gateway's /metrics (all services in one scrape); without it "
       "/metrics is open in development and absent in production", ("gateway",), secret=True,
       min_length=32),
    _s("CONNECTOR_SECRETS_KEY", "str", None,
       "Fernet key sealing the agencies' connector secrets set through the admin API (empty: "
       "runtime webhook agencies are refused)", ("gateway", "connector_webhook"), secret=True,
       min_length=44),
    _s("RPC_TIMEOUT", "float", 10.0,
       "seconds the gateway waits for a service's answer before 503", ("gateway",)),
    # -- connectors ------------------------------------------------------------------------
    _s("CONNECTOR_INLINE_ATTEMPTS", "int", 3, "attempts inside the event handler",
       CONNECTORS),
    _s("CONNECTOR_BACKOFF_SECONDS", "float", 0.5, "first retry delay", CONNECTORS),
    _s("CONNECTOR_MAX_ATTEMPTS", "int", 8, "then the connector suspends itself", CONNECTORS),
    _s("CONNECTOR_MAX_BACKOFF_SECONDS", "float", 900.0, "longest retry delay", CONNECTORS),
    _s("SIMULATED_CONNECTOR", "json", {},
       "the simulated agency: `delay_seconds`, `rules` (JSON or `SIMULATED_CONNECTOR__DELAY_SECONDS`)",
       ("connector_simulated",)),
    _s("MANUAL_CONNECTOR", "json", {}, "the manual connector's options", ("connector_manual",)),
    _s("WEBHOOK_CONNECTOR", "json", {},
       "agencies' back offices: `WEBHOOK_CONNECTOR__AGENCIES__DINKES__URL`, "
       "`…__SECRET`, `WEBHOOK_CONNECTOR__TIMEOUT_SECONDS` (or JSON)",
       ("connector_webhook",)),
    # -- tools -----------------------------------------------------------------------------
    _s("MPP_DEMO_PASSWORD", "str", "demo12345",
       "password of the demo staff accounts (MPP_ENV=demo only)", TOOLS),
    _s("RABBIT_API_URI", "str", "http://guest:guest@127.0.0.1:15672",
       "RabbitMQ management API (scripts.broker_users, the parked-message tools)", TOOLS,
       secret=True),
    _s("MPP_BROKER_VHOST", "str", "mpp", "the suite's RabbitMQ vhost (scripts.broker_users)",
       TOOLS),
    _s("MONGO_ADMIN_URI", "str", None,
       "MongoDB as its root user (scripts.mongo_setup: the replica set and the services' users)",
       TOOLS, secret=True),
    _s("MONGO_REPLICA_SET", "str", None,
       "the replica set scripts.mongo_setup initiates (empty: a standalone server)", TOOLS,
       example="rs0"),
    _s("MONGO_REPLICA_MEMBERS", "list", [],
       "`host:port` of each replica set member, as the services reach them", TOOLS,
       example="mongo:27017"),
    _s("MONGO_SERVICE_USERS", "pairs", {},
       "`service=password,…`: a MongoDB user `mpp_<service>` per service with readWrite on "
       "`<prefix>_<service>` only (scripts.mongo_setup)", TOOLS, secret=True, min_length=16),
    _s("MPP_BROKER_USERS", "pairs", {},
       "`user=password,…`: the RabbitMQ user of each service (scripts.broker_users)", TOOLS,
       secret=True, min_length=16),
)

BY_NAME = {s.name: s for s in SCHEMA}


class SettingsError(ValueError):
    pass


def spec(name):
    try:
        return BY_NAME[name]
    except KeyError:
        raise SettingsError("{} is not in the settings schema (services/common/settings.py)"
                            .format(name)) from None


def _empty(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


def _nested_from_env(name, environ):
    """``NAME__A__B=v`` pieces as ``{"a": {"b": v}}`` (None when there are none)."""
    prefix = name + "__"
    out = None
    for key, value in sorted(environ.items()):
        if not key.startswith(prefix) or key == prefix:
            continue
        out = {} if out is None else out
        parts = [p.lower() for p in key[len(prefix):].split("__")]
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def raw(config, name, environ=None):
    """The unparsed value: config, then the environment, else None."""
    s = spec(name)
    environ = os.environ if environ is None else environ
    value = (config or {}).get(s.key)
    if _empty(value):
        value = environ.get(name)
    if _empty(value) and s.secret and environ.get(name + "_FILE"):
        with open(environ[name + "_FILE"]) as handle:
            value = handle.read().strip()
    if _empty(value) and s.type == "json":
        value = _nested_from_env(name, environ)
    return None if _empty(value) else value


def _truthy(value):
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def parse(s, value):
    """``value`` (a string from the environment, or already typed) as ``s.type``."""
    if s.type == "str":
        return str(value).strip() if isinstance(value, str) else str(value)
    if s.type == "int":
        return int(value)
    if s.type == "float":
        return float(value)
    if s.type == "bool":
        return value if isinstance(value, bool) else _truthy(value)
    if s.type == "list":
        if isinstance(value, (list, tuple)):
            return [str(v).strip() for v in value if str(v).strip()]
        return [part.strip() for part in str(value).split(",") if part.strip()]
    if s.type == "pairs":
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        text = str(value).strip()
        if text.startswith("{"):
            return {str(k): str(v) for k, v in json.loads(text).items()}
        out = {}
        for part in text.split(","):
            if "=" in part:
                key, item = part.split("=", 1)
                if key.strip() and item.strip():
                    out[key.strip()] = item.strip()
        return out
    if s.type == "json":
        if isinstance(value, dict):
            return value
        parsed = json.loads(str(value))
        if not isinstance(parsed, dict):
            raise ValueError("a JSON object is needed")
        return parsed
    raise SettingsError("unknown type {} of {}".format(s.type, s.name))


def get(config, name, environ=None):
    """The typed value of ``name`` for a service whose nameko config is ``config``."""
    s = spec(name)
    value = raw(config, name, environ)
    if value is None:
        default = s.default
        return dict(default) if isinstance(default, dict) else (
            list(default) if isinstance(default, list) else default)
    try:
        return parse(s, value)
    except (TypeError, ValueError) as exc:
        raise SettingsError("{} is not a valid {} ({})".format(name, s.type, exc)) from None


def section(config, name, environ=None):
    """A nested setting by name, also one the schema does not list (an installed connector's
    ``<NAME>_CONNECTOR``): the config's mapping, else the environment's JSON or ``__`` pieces."""
    if name in BY_NAME:
        return get(config, name, environ)
    environ = os.environ if environ is None else environ
    value = (config or {}).get(name)
    if _empty(value):
        value = environ.get(name) or _nested_from_env(name, environ)
    if _empty(value):
        return {}
    try:
        return parse(Setting(name, "json", {}, "", ()), value)
    except ValueError as exc:
        raise SettingsError("{} is not a JSON object ({})".format(name, exc)) from None


def secret(config, name, environ=None):
    """A secret's value; in production one that is not configured raises (its development
    default is public)."""
    if is_production(config, environ) and raw(config, name, environ) is None:
        raise SettingsError("{} is not set (required in production)".format(name))
    return get(config, name, environ)


def environment(config=None, environ=None):
    value = get(config, "MPP_ENV", environ)
    return value if value in ENVIRONMENTS else value


def is_production(config=None, environ=None):
    return environment(config, environ) == "production"


def is_demo(config=None, environ=None):
    return environment(config, environ) == "demo"


def read_by(service):
    """The settings ``service`` reads (a name of ``ALL`` or ``tools``)."""
    return [s for s in SCHEMA if service in s.services]


def _credentials(uri):
    parts = urlsplit(uri)
    return parts.username, parts.password


def problems(service, config=None, environ=None):
    """Lines naming each production problem of ``service``'s settings ([] when fine).

    Checked whatever MPP_ENV says; callers decide (``scripts/serve.py`` in production)."""
    environ = os.environ if environ is None else environ
    out = []
    for s in read_by(service):
        try:
            value = raw(config, s.name, environ)
            typed = get(config, s.name, environ)
        except (SettingsError, OSError) as exc:
            out.append(str(exc))
            continue
        if s.choices and value is not None and typed not in s.choices:
            out.append("{}={!r} is not one of {}".format(s.name, typed, ", ".join(s.choices)))
        if s.required_in_production and value is None:
            out.append("{} is not set (required in production)".format(s.name))
            continue
        if s.secret and value is not None:
            secrets = list(typed.values()) if isinstance(typed, dict) else \
                list(typed) if isinstance(typed, list) else [typed]
            if s.name in ("AMQP_URI", "MONGO_URI", "RABBIT_API_URI"):
                user, password = _credentials(str(typed))
                if not user or not password:
                    out.append("{} has no user and password".format(s.name))
                elif password.lower() in KNOWN_DEFAULTS or len(password) < 16:
                    out.append("{}'s password is a known default or shorter than 16 "
                               "characters".format(s.name))
                continue
            for secret in secrets:
                text = str(secret)
                if text.strip().lower() in KNOWN_DEFAULTS or "change-me" in text.lower() \
                        or text.lower().startswith(("replace", "dev-only")) \
                        or text == s.default:
                    out.append("{} is a known default value".format(s.name))
                    break
                if len(text) < s.min_length:
                    out.append("{} is shorter than {} characters".format(s.name, s.min_length))
                    break
        if s.https_in_production:
            urls = typed if isinstance(typed, list) else ([typed] if typed else [])
            for url in urls:
                if urlsplit(str(url)).scheme != "https":
                    out.append("{} must be an https address (is {})".format(s.name, url))
                    break
    if service == "notifications" and not get(config, "NOTIFY_TEST_MODE", environ):
        configured = [raw(config, a, environ) and raw(config, b, environ) for a, b in (
            ("WHATSAPP_URL", "WHATSAPP_TOKEN"), ("SMS_URL", "SMS_TOKEN"))]
        if not any(configured) and raw(config, "SMTP_HOST", environ) is None:
            out.append("NOTIFY_TEST_MODE=0 but no channel is configured (WHATSAPP_URL and "
                       "WHATSAPP_TOKEN, SMS_URL and SMS_TOKEN, or SMTP_HOST)")
    if service in TOOLS and raw(config, "MPP_DEMO_PASSWORD", environ) is not None:
        out.append("MPP_DEMO_PASSWORD is set: demo accounts exist only with MPP_ENV=demo")
    return out


def markdown_table():
    """The README's configuration table."""
    lines = ["| variable | type | default | secret | services | meaning |",
             "|---|---|---|---|---|---|"]
    for s in SCHEMA:
        if s.secret:
            secret = "yes, ≥ {} chars".format(s.min_length) if s.min_length else "yes"
            if s.required_in_production:
                secret += ", required in production"
        else:
            secret = "no"
        if s.https_in_production:
            secret += "; https in production"
        default = s.default
        if isinstance(default, bool):
            default = "1" if default else "0"
        elif isinstance(default, dict):
            default = ",".join("{}={}".format(k, v) for k, v in default.items())
        elif isinstance(default, list):
            default = ",".join(default)
        default = "`{}`".format(default) if default not in (None, "") else "—"
        services = "all" if set(ALL) <= set(s.services) else ", ".join(s.services)
        if set(ALL) <= set(s.services) and "tools" in s.services:
            services = "all, tools"
        lines.append("| `{}` | {} | {} | {} | {} | {} |".format(
            s.name, s.type, default, secret, services, s.doc.replace("|", "\\|")))
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a tool
    import sys

    if "--markdown" in sys.argv:
        print(markdown_table())
    elif "--write-readme" in sys.argv:  # the README's table, between its markers
        from pathlib import Path

        readme = Path(__file__).resolve().parents[2] / "README.md"
        text = readme.read_text()
        head, rest = text.split("<!-- settings-table:start -->\n", 1)
        _, tail = rest.split("\n<!-- settings-table:end -->", 1)
        readme.write_text(head + "<!-- settings-table:start -->\n" + markdown_table()
                          + "\n<!-- settings-table:end -->" + tail)
