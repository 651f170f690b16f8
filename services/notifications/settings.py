"""The notifications service's settings, assembled from the one settings schema
(``services.common.settings``: names, types, defaults and meanings of every ``NOTIFY_*``,
``WHATSAPP_*``, ``SMS_*``, ``SMTP_*`` and webhook variable). Secrets have no default: they exist
only where an operator puts them."""
from dataclasses import dataclass, field

from services.common import settings
from services.common.config import timezone_name
from services.notifications.lifecycle import RetryPolicy


@dataclass(frozen=True)
class Settings:
    test_mode: bool
    channels: dict                      # what ``channels.send`` takes as ``config``
    default_policy: RetryPolicy
    realtime_policy: RetryPolicy
    receipt_timeouts: dict = field(default_factory=dict)
    recipient_waits: int = 5
    retention_days: float = 7
    mpp_name: str = settings.BY_NAME["MPP_NAME"].default
    zone: str = "Asia/Jakarta"
    agency_webhooks: dict = field(default_factory=dict)  # agency code -> URL
    phone_key: str = ""                 # keyed hash of opted-out phone numbers
    #: country calling codes citizens' numbers may have (anonymous endpoints take a number:
    #: without this, anyone could make the MPP pay for messages to any country)
    phone_countries: tuple = (62,)
    #: messages one phone number receives per local day at most
    max_per_number_per_day: int = 20
    #: a number given on the portal gets one message until confirmed (``confirmation``)
    confirm_portal_phones: bool = True

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
    g = lambda key: settings.get(config, key)  # noqa: E731
    delays = tuple(float(part) for part in g("NOTIFY_RETRY_DELAYS").split(",") if part.strip())
    realtime = delays[:max(0, g("NOTIFY_REALTIME_RETRIES"))]
    test_mode = g("NOTIFY_TEST_MODE")
    channels = {
        "test_mode": test_mode,
        "timeout": g("NOTIFY_TIMEOUT"),
        "whatsapp": {"url": g("WHATSAPP_URL"), "token": g("WHATSAPP_TOKEN")},
        "sms": {"url": g("SMS_URL"), "token": g("SMS_TOKEN"), "sender": g("SMS_SENDER")},
        "email": {"host": g("SMTP_HOST"), "port": g("SMTP_PORT"),
                  "security": g("SMTP_SECURITY"), "username": g("SMTP_USERNAME"),
                  "password": g("SMTP_PASSWORD"), "from": g("SMTP_FROM")},
        "webhook": {"secret": g("WEBHOOK_SECRET"),
                    "secrets": g("NOTIFY_AGENCY_WEBHOOK_SECRETS")},
    }
    return Settings(
        test_mode=test_mode,
        channels=channels,
        default_policy=RetryPolicy(delays=delays),
        realtime_policy=RetryPolicy(delays=realtime, failover_first=True),
        receipt_timeouts={k: float(v) for k, v in g("NOTIFY_RECEIPT_TIMEOUTS").items()},
        recipient_waits=g("NOTIFY_RECIPIENT_WAITS"),
        retention_days=g("MESSAGE_RETENTION_DAYS"),
        mpp_name=g("MPP_NAME"),
        zone=timezone_name(config or {}),
        agency_webhooks=g("NOTIFY_AGENCY_WEBHOOKS"),
        phone_key=settings.secret(config, "NOTIFY_PHONE_KEY"),
        max_per_number_per_day=g("NOTIFY_MAX_MESSAGES_PER_NUMBER_PER_DAY"),
        confirm_portal_phones=g("NOTIFY_CONFIRM_PORTAL_PHONES"),
        phone_countries=tuple(int(str(c).replace("+", "")) for c in g("NOTIFY_PHONE_COUNTRY_CODES")
                              if str(c).replace("+", "").isdigit()),
    )
