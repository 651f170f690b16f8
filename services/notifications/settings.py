"""The notifications service's configuration: flat keys in the nameko config, then the
environment, then the defaults below. Secrets (tokens, passwords, the webhook secret) have no
default: they exist only where an operator puts them.

=============================  ======================  =========================================
key                            default                 meaning
=============================  ======================  =========================================
NOTIFY_TEST_MODE               ``1``                   every message is simulated (``simulator``)
                                                       unless ``0``; simulator numbers always are
NOTIFY_TIMEOUT                 ``10``                  seconds per provider request
NOTIFY_RETRY_DELAYS            ``5,25,125,625``        seconds: one TTL retry queue per value
NOTIFY_REALTIME_RETRIES        ``2``                   retries of queue messages (first delays)
NOTIFY_RECEIPT_TIMEOUTS        ``whatsapp=60,sms=300`` seconds to wait for a delivery receipt
                                                       before failing over
NOTIFY_RECIPIENT_WAITS         ``5``                   times a message waits (first retry tier)
                                                       for its recipient's event to arrive
MESSAGE_RETENTION_DAYS         ``7``                   then recipients and bodies are removed
MPP_NAME                       ``MPP Kabupaten Kapuas`` the mall's name in messages
WHATSAPP_URL / WHATSAPP_TOKEN                          WhatsApp Cloud API style endpoint
SMS_URL / SMS_TOKEN / SMS_SENDER  sender ``MPP``       HTTP SMS gateway
SMTP_HOST / SMTP_PORT (25) / SMTP_SECURITY (none|starttls|ssl) / SMTP_USERNAME / SMTP_PASSWORD /
SMTP_FROM                                              e-mail
NOTIFY_AGENCY_WEBHOOKS                                 ``agency=url,…``: each agency's system hears
                                                       of its applications (submitted, SLA warning,
                                                       permit issued) by a signed webhook
NOTIFY_AGENCY_WEBHOOK_SECRETS                          ``agency=secret,…``: one HMAC key per agency
                                                       (so no agency can sign for another)
WEBHOOK_SECRET                                         HMAC-SHA256 key of agency webhooks without
                                                       a key of their own
=============================  ======================  =========================================
"""
import os
from dataclasses import dataclass, field

from services.common.config import timezone_name
from services.notifications.lifecycle import RetryPolicy

DEFAULTS = {
    "NOTIFY_TEST_MODE": "1",
    "NOTIFY_TIMEOUT": "10",
    "NOTIFY_RETRY_DELAYS": "5,25,125,625",
    "NOTIFY_REALTIME_RETRIES": "2",
    "NOTIFY_RECEIPT_TIMEOUTS": "whatsapp=60,sms=300",
    "NOTIFY_RECIPIENT_WAITS": "5",
    "MESSAGE_RETENTION_DAYS": "7",
    "MPP_NAME": "MPP Kabupaten Kapuas",
    "SMS_SENDER": "MPP",
    "SMTP_PORT": "25",
    "SMTP_SECURITY": "none",
    "NOTIFY_PHONE_COUNTRY_CODES": "62",
    "NOTIFY_MAX_MESSAGES_PER_NUMBER_PER_DAY": "20",
}


def get(config, key):
    """``config[key]`` if set (not None/empty), else the environment, else the default."""
    value = (config or {}).get(key)
    if value is None or value == "":
        value = os.environ.get(key)
    if value is None or value == "":
        value = DEFAULTS.get(key)
    return value


def _truthy(value):
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _delays(text):
    return tuple(float(part) for part in str(text).split(",") if part.strip())


def _pairs(text, cast=str):
    """``"a=1, b=2"`` -> ``{"a": cast("1"), "b": cast("2")}`` (parts without ``=`` ignored)."""
    out = {}
    for part in str(text or "").split(","):
        if "=" in part:
            name, value = part.split("=", 1)
            if name.strip() and value.strip():
                out[name.strip()] = cast(value.strip())
    return out


@dataclass(frozen=True)
class Settings:
    test_mode: bool
    channels: dict                      # what ``channels.send`` takes as ``config``
    default_policy: RetryPolicy
    realtime_policy: RetryPolicy
    receipt_timeouts: dict = field(default_factory=dict)
    recipient_waits: int = 5
    retention_days: float = 7
    mpp_name: str = DEFAULTS["MPP_NAME"]
    zone: str = "Asia/Jakarta"
    agency_webhooks: dict = field(default_factory=dict)  # agency code -> URL
    #: country calling codes citizens' numbers may have (anonymous endpoints take a number:
    #: without this, anyone could make the MPP pay for messages to any country)
    phone_countries: tuple = (62,)
    #: messages one phone number receives per local day at most
    max_per_number_per_day: int = 20

    def delays(self):
        """Every delay (seconds) a TTL queue must exist for: retries and receipt waits."""
        return sorted(set(self.default_policy.delays) | set(self.realtime_policy.delays)
                      | set(self.receipt_timeouts.values()))

    def takeover_delay(self):
        """Seconds before a first attempt whose event came again is taken over: the first
        delay longer than a provider request may take (else the longest there is; None
        when there is no delay queue at all)."""
        delays = self.delays()
        timeout = float(self.channels.get("timeout") or 0)
        return next((d for d in delays if d > timeout), delays[-1] if delays else None)


def load(config):
    g = lambda key: get(config, key)  # noqa: E731
    delays = _delays(g("NOTIFY_RETRY_DELAYS"))
    realtime = delays[:max(0, int(g("NOTIFY_REALTIME_RETRIES")))]
    test_mode = _truthy(g("NOTIFY_TEST_MODE"))
    channels = {
        "test_mode": test_mode,
        "timeout": float(g("NOTIFY_TIMEOUT")),
        "whatsapp": {"url": g("WHATSAPP_URL"), "token": g("WHATSAPP_TOKEN")},
        "sms": {"url": g("SMS_URL"), "token": g("SMS_TOKEN"), "sender": g("SMS_SENDER")},
        "email": {"host": g("SMTP_HOST"), "port": int(g("SMTP_PORT")),
                  "security": g("SMTP_SECURITY"), "username": g("SMTP_USERNAME"),
                  "password": g("SMTP_PASSWORD"), "from": g("SMTP_FROM")},
        "webhook": {"secret": g("WEBHOOK_SECRET"),
                    "secrets": _pairs(g("NOTIFY_AGENCY_WEBHOOK_SECRETS"))},
    }
    return Settings(
        test_mode=test_mode,
        channels=channels,
        default_policy=RetryPolicy(delays=delays),
        realtime_policy=RetryPolicy(delays=realtime, failover_first=True),
        receipt_timeouts=_pairs(g("NOTIFY_RECEIPT_TIMEOUTS"), float),
        recipient_waits=int(g("NOTIFY_RECIPIENT_WAITS")),
        retention_days=float(g("MESSAGE_RETENTION_DAYS")),
        mpp_name=g("MPP_NAME"),
        zone=timezone_name(config or {}),
        agency_webhooks=_pairs(g("NOTIFY_AGENCY_WEBHOOKS")),
        max_per_number_per_day=int(g("NOTIFY_MAX_MESSAGES_PER_NUMBER_PER_DAY")),
        phone_countries=tuple(int(c) for c in str(g("NOTIFY_PHONE_COUNTRY_CODES")).replace(
            "+", "").split(",") if c.strip().isdigit()),
    )
