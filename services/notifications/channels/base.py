"""What every delivery channel shares: ``SendResult``, the pooled HTTP POST of JSON and the
mapping of its answer to a status, the channel's config section, and ``channel_send`` (the
simulator and the one log line per attempt). The package's docstring describes the mapping."""
import functools
import http.cookiejar
import json
import logging
from dataclasses import asdict, dataclass

import requests
import requests.adapters

from services.notifications import simulator
from services.notifications.lifecycle import receipt_status

log = logging.getLogger(__name__)

RAW_LIMIT = 2000  # characters of a provider's answer we keep


@dataclass(frozen=True)
class SendResult:
    """``status``: a lifecycle status (``delivered``, ``sending``, or a failure);
    ``provider_id``: the provider's message id (``None`` if it gave none);
    ``raw``: the provider's answer, JSON-serialisable (``{"http_status", "body"}``,
    ``{"smtp_code", "smtp_reply"}``, ``{"error"}``, or the simulator's)."""

    status: str
    provider_id: str = None
    raw: dict = None

    def as_dict(self):
        return asdict(self)


def channel_config(config, channel):
    section = dict((config or {}).get(channel) or {})
    section.setdefault("timeout", (config or {}).get("timeout", 10))
    return section


def http_status_to_status(code):
    if 200 <= code < 300:
        return "sending"
    if code in (408, 425, 429) or code >= 500:
        return "temporary_failure"
    if code in (401, 403):
        return "technical_failure"
    return "permanent_failure"


def _parse_body(response):
    try:
        return response.json()
    except ValueError:
        return response.text[:RAW_LIMIT]


def provider_id_from(body):
    """The message id in common provider answers: ``{"id"}``, ``{"message_id"}``,
    ``{"messageId"}``, WhatsApp Cloud API ``{"messages": [{"id"}]}``."""
    if not isinstance(body, dict):
        return None
    for key in ("id", "message_id", "messageId", "sid"):
        if isinstance(body.get(key), (str, int)):
            return str(body[key])
    messages = body.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        value = messages[0].get("id")
        return str(value) if value is not None else None
    return None


def _session():
    """One pooled HTTP session per process: a provider's connection is kept alive between
    messages instead of a new TCP (and TLS) handshake per message. Cookies are never kept,
    so nothing one provider sets reaches another."""
    session = requests.Session()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    adapter = requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=32)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


_SESSION = _session()


def post_json(url, data, headers, timeout, accepted_status="sending", read_status=True):
    """POST ``data`` (bytes of JSON) and map the answer to a ``SendResult``. ``accepted_status``
    is what a 2xx means; with ``read_status`` a known ``"status"`` word in the answer
    (``lifecycle.receipt_status``) overrides it."""
    headers = dict(headers, **{"Content-Type": "application/json"})
    try:
        response = _SESSION.post(url, data=data, headers=headers, timeout=timeout,
                                 allow_redirects=False)
    except requests.RequestException as exc:
        return SendResult("technical_failure", None, {"error": type(exc).__name__})
    body = _parse_body(response)
    status = http_status_to_status(response.status_code)
    if status == "sending":
        status = accepted_status
        said = (receipt_status(body.get("status"))
                if read_status and isinstance(body, dict) else None)
        if said is not None:
            status = said
    return SendResult(status, provider_id_from(body) if response.ok else None,
                      {"http_status": response.status_code, "body": body})


def dumps(payload):
    """Compact, stable JSON bytes (UTF-8): the exact bytes a webhook signature covers."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True,
                      ensure_ascii=False).encode("utf-8")


def channel_send(channel):
    """Decorator giving a channel's ``_send(message, config)`` the common behaviour: simulator
    addresses (and, in test mode, every address) never reach the provider; one log line per
    attempt with the message id and outcome only."""
    def wrap(deliver):
        @functools.wraps(deliver)
        def send(message, config):
            simulated = simulator.simulate(message, bool((config or {}).get("test_mode")))
            result = SendResult(*simulated) if simulated is not None else deliver(message, config)
            log.info("message %s via %s attempt %s: %s", message.get("id"), channel,
                     message.get("attempt", 1), result.status)
            return result
        return send
    return wrap
