"""What operators and the gateway ask of notifications: a message's status (never its
recipient or body), the messages about a reference, counts per channel and status, and a
recipient's preferences."""
from services.common.errors import NotFound
from services.common.metrics import gauges_text
from services.common.schemas import shared
from services.notifications import schemas as sc
from services.notifications import store

MESSAGE_NOT_FOUND = "Pesan tidak ditemukan / Message not found"


def public_message(doc):
    """A message as the status API shows it: no recipient, no body."""
    out = shared(sc.MessageStatusSchema).dump(dict(doc, id=doc["_id"]))
    out.setdefault("history", [])
    return out


def reference(value):
    """A well-formed reference or message id (``ValidationFailed`` otherwise)."""
    return sc.load(sc.StatusQuerySchema, {"reference": value})["reference"]


def get_message(db, id):
    data = sc.load(sc.StatusQuerySchema, {"id": id})
    doc = store.get_message(db, data["id"])
    if doc is None:
        raise NotFound(MESSAGE_NOT_FOUND, {"id": id})
    return public_message(doc)


def messages_for(db, ref):
    return [public_message(m) for m in store.messages_for(db, reference(ref))]


def counts(db, channel=None):
    data = sc.load(sc.CountsQuerySchema, {"channel": channel})
    items = store.counts(db, data["channel"])
    return shared(sc.CountsSchema).dump({"items": items,
                                         "total": sum(i["count"] for i in items)})


def gauges(db):
    """Exposition text of the messages by channel and status."""
    return gauges_text({("mpp_notifications", "Messages by channel and status",
                         ("channel", "status")):
                        {(i["channel"] or "none", i["status"]): i["count"]
                         for i in store.counts(db)}})


def set_preferences(db, ref, prefs, now):
    ref = reference(ref)
    data = sc.load(sc.PreferencesSchema, prefs or {})
    store.set_preferences(db, ref, data, now)
    return {"reference": ref, "language": data["language"], "channels": data["channels"],
            "opt_out": data["opt_out"], "quiet_hours": data["quiet_hours"]}
