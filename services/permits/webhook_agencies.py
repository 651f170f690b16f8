"""Agencies served by the webhook connector, set at runtime through the admin API (no restart
of any process): the URL the connector POSTs to, its timeout, and the agency's shared secret
sealed by the gateway (``services.common.secretbox``; permits holds only ciphertext). The
webhook connector and the gateway's callback check read them on every use."""
from services.common import clock as clk
from services.common.errors import NotFound, ValidationFailed
from services.contracts.messages import INVALID_DATA
from services.permits import store
from services.permits.connectors import vocabulary

_PUBLIC = ("agency", "url", "timeout_seconds", "status_mapping", "secret_hint", "secret_set_at",
           "updated_at")


def _public(doc):
    return {k: (doc["_id"] if k == "agency" else doc.get(k)) for k in _PUBLIC}


def put(ctx, agency, data):
    """Create or change one; ``secret_sealed`` (with ``secret_hint``) replaces the secret.
    A new agency needs a secret. (The gateway checked the agency exists.)"""
    existing = store.get_webhook_agency(ctx.db, agency) or {}
    sealed = data.get("secret_sealed") or existing.get("secret_sealed")
    if not sealed:
        raise ValidationFailed(INVALID_DATA, {"fields": {"secret": ["Wajib / Required."]}})
    now = clk.iso(ctx.now())
    try:
        vocabulary.check_mapping(data.get("status_mapping") or {})
    except ValueError as exc:
        raise ValidationFailed(INVALID_DATA, {"fields": {"status_mapping": [str(exc)]}})
    doc = {"url": data["url"], "timeout_seconds": float(data.get("timeout_seconds") or 10),
           "status_mapping": dict(data.get("status_mapping") or {}),
           "secret_sealed": sealed, "updated_at": now,
           "secret_hint": data.get("secret_hint") if data.get("secret_sealed")
           else existing.get("secret_hint"),
           "secret_set_at": now if data.get("secret_sealed") else existing.get("secret_set_at")}
    store.put_webhook_agency(ctx.db, agency, doc)
    return _public(dict(doc, _id=agency))


def get(ctx, agency):
    """With the sealed secret: for the gateway and the webhook connector only."""
    doc = store.get_webhook_agency(ctx.db, agency)
    if doc is None:
        raise NotFound("Instansi webhook tidak dikenal / Unknown webhook agency",
                       {"agency": agency})
    return dict(_public(doc), secret_sealed=doc["secret_sealed"])


def status_mapping(ctx, agency):
    """The agency's words of its callbacks, as set with its webhook (empty: none set)."""
    return (store.get_webhook_agency(ctx.db, agency) or {}).get("status_mapping") or {}


def list_all(ctx):
    return [_public(doc) for doc in store.webhook_agencies(ctx.db)]
