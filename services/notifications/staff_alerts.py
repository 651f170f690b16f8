"""Alerts to an agency's staff (not citizens): a connector that suspended itself reaches the
supervisors of each agency whose applications now wait (``connector_suspension_reported``,
announced by permits once per suspension).

Who they are lives with the staff accounts, in the gateway: each supervisor may give an e-mail
address (``POST /api/v1/auth/contact``, or the admin when making the account). It is asked
for over RPC (``gateway.staff_contacts``) when the event arrives, so no address travels in an
event. Each supervisor's message is an ordinary message of the pipeline (retries, failover,
retention): its recipient is stored under a reference of its own
(``staff:<connector>:<since>:<username>``) and its dedup key names the suspension and the
person, so a repeated event or two permits instances tell each supervisor once.
"""
from services.notifications import facts, store

KIND = "connector_suspended"


def reference(event, username):
    return "staff:{}:{}:{}".format(event["connector"], event["suspended_at"], username)


def tell_supervisors(dispatcher, db, event, lookup, now):
    """Create one message per supervisor of each agency ``event`` names. ``lookup(agency)``
    is ``{"agency_name", "contacts": [{"username", "email"}]}``. Returns the message ids."""
    made = []
    connector = event["connector"]
    for agency in event.get("agencies") or []:
        found = lookup(agency) or {}
        for contact in found.get("contacts") or []:
            ref = reference(event, contact["username"])
            prefs = {"language": "id", "email": contact["email"], "channels": ["email"]}
            store.put_recipient(db, ref, prefs, {}, now)
            fact = facts.Fact(
                reference=ref, kind=KIND, source="staff", agency=agency,
                key_fields={"event_id": event.get("event_id"), "connector": connector,
                            "suspended_at": event["suspended_at"]},
                context={"connector": connector.split("@")[0],
                         "agency_name": found.get("agency_name") or agency,
                         "suspended_at": event["suspended_at"],
                         "reason": event.get("reason") or ""})
            message, _ = dispatcher.create(fact, event, None, None, None,
                                           recipient="staff:{}".format(contact["username"]))
            made.append(message["_id"])
    return made
