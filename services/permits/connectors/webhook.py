"""``webhook``: POST the application to the agency's URL, signed; the agency answers later.

Request: ``POST <url>`` with the JSON application (``get_application_for_connector``) and::

    X-MPP-Timestamp: <unix seconds>
    X-MPP-Signature: sha256=<hex HMAC-SHA256 of f"{timestamp}.{body}" under the agency's secret>
    X-MPP-Delivery: <decision id: the same on every retry of one forwarding>

Any 2xx means "received" (a ``Pending``; a JSON body's ``reference`` is kept). Anything else,
or no answer within ``timeout_seconds``, is a failure: the SDK retries with backoff and
suspends the connector after repeated failures (``connector_suspended`` event).

The agency answers through the gateway's callback endpoint with the same scheme (the gateway
checks it with ``services.common.signing.verify``, then calls ``permits.record_decision(agency, decision)``).

Which agencies, where and with which secret: set at runtime through the admin API
(``PUT /api/v1/admin/webhook-agencies/<agency>``: read from permits on every forwarding, the
secret unsealed with ``CONNECTOR_SECRETS_KEY``, so a new agency needs no restart), or in the
configuration file::

    WEBHOOK_CONNECTOR:
      timeout_seconds: 10
      agencies:
        dpmptsp: {url: "https://sicantik.example/mpp", secret: "<shared secret>"}

Each agency has its own state: one agency's server failing parks that agency's work and
suspends it alone (``webhook@<agency>`` in the admin list), the others go on.

Run: ``nameko run services.permits.connectors.webhook:WebhookConnector``.
"""
import json
import time

import requests

from services.common import boot, secretbox, signing
from services.common.errors import NotFound
from services.permits.connectors.sdk import Connector, connector_service
from services.permits.connectors.vocabulary import Pending

boot.install()

# the scheme lives in services.common.signing (notifications' agency webhooks and the
# gateway's callback check use it too); kept here under the names callers know
SIGNATURE_PREFIX = signing.PREFIX
DEFAULT_TOLERANCE_SECONDS = signing.DEFAULT_TOLERANCE_SECONDS
sign = signing.sign
verify = signing.verify


class WebhookError(RuntimeError):
    pass


class Webhook(Connector):
    name = "webhook"
    suspend_per_agency = True

    def target(self, agency):
        """``{url, secret, timeout_seconds}`` of ``agency``: the configuration file's, else
        what the admin API set (asked of permits now: no restart needed)."""
        target = (self.setting("agencies") or {}).get(agency)
        if target:
            return dict({"timeout_seconds": self.setting("timeout_seconds", 10)}, **target)
        try:
            runtime = self.permits.get_webhook_agency(agency)
        except NotFound:
            raise WebhookError("no webhook configured for agency {}".format(agency)) from None
        secret = secretbox.open_(self.config, runtime["secret_sealed"])
        if secret is None:
            raise WebhookError("the secret of agency {} cannot be unsealed (is {} the "
                               "gateway's?)".format(agency, secretbox.KEY_SETTING))
        return {"url": runtime["url"], "secret": secret,
                "timeout_seconds": runtime["timeout_seconds"]}

    def process(self, application):
        target = self.target(application["agency"])
        body = json.dumps(application, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
        timestamp = str(int(time.time()))
        response = requests.post(target["url"], data=body.encode("utf-8"), timeout=float(
            target["timeout_seconds"]), headers={
                "Content-Type": "application/json",
                "X-MPP-Timestamp": timestamp,
                "X-MPP-Signature": sign(target["secret"], timestamp, body),
                "X-MPP-Delivery": "webhook:{}:{}".format(application["application_id"],
                                                         application["seq"]),
            })
        if not 200 <= response.status_code < 300:
            raise WebhookError("agency answered {}".format(response.status_code))
        reference = None
        try:
            reference = (response.json() or {}).get("reference")
        except ValueError:
            pass
        return Pending("received", callback=True,
                       reference=str(reference)[:100] if reference else None)


WebhookConnector = connector_service(Webhook)
