"""What notifications does with another service's event: store the recipient it names (the
first event naming one wins), the domain state it establishes, and the messages it means.

What an event *means* is ``facts``'s (pure); who hears of it is ``preferences.audiences``;
the messages are created by the ``Dispatcher``. Every write here is idempotent (recipients
insert-only, states move forward only, messages inserted under their dedup key), so a
redelivered event changes nothing.
"""
import logging

from services.common.errors import ValidationFailed
from services.notifications import facts, preferences, store

log = logging.getLogger(__name__)


def recipient_prefs(fact, countries=(62,)):
    """The preferences an event's contact points give: its language, a usable phone (E.164,
    of one of ``countries``' calling codes) and e-mail."""
    prefs = {"language": fact.language if fact.language in preferences.LANGUAGES else "id"}
    phone = fact.recipient.get("phone")
    if phone:
        try:
            number = preferences.normalise_phone(phone)
        except ValidationFailed:
            log.warning("recipient of %s: phone number not usable", fact.reference)
        else:
            if any(number.startswith("+{}".format(code)) for code in countries):
                prefs["phone"] = number
            else:
                log.warning("recipient of %s: phone number of a country not served",
                            fact.reference)
    email = fact.recipient.get("email")
    if isinstance(email, str) and "@" in email:
        prefs["email"] = email.strip()
    return prefs


class Intake:
    def __init__(self, db, dispatcher, clock):
        self.db, self.dispatcher, self.clock = db, dispatcher, clock

    def take(self, event_type, event):
        fact = facts.read(event_type, event)
        now = self.clock.now()
        prefs = kept = None
        if fact.recipient is not None:
            prefs = recipient_prefs(fact, self.dispatcher.settings.phone_countries)
            if store.put_recipient(self.db, fact.reference, prefs, fact.keep, now):
                kept = fact.keep or {}   # what is stored now: no need to read it back
            prefs = preferences.normalise(prefs)
        if fact.state:
            store.put_state(self.db, fact.source, fact.reference, fact.state, now,
                            first=fact.recipient is not None)
        if fact.closed:
            store.close(self.db, fact.source, fact.reference, fact.closed, now)
        if fact.kind:
            dispatcher = self.dispatcher
            for agency in preferences.audiences(fact.kind, fact.agency,
                                                dispatcher.settings.agency_webhooks):
                dispatcher.create(fact, event, agency, prefs, kept)
