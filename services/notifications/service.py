"""Notifications service entrypoints: react to other services' events, deliver, answer status.

- Event handlers (durable ``handles``; idempotent without an ``event_id`` marker because
  every write they do is: messages are inserted under their dedup key, recipients insert-only,
  states move forward only) record recipients and domain state (``facts``) and create messages (``dispatcher``).
- ``deliver`` consumes the delivery work queue (``delivery``); retries and receipt deadlines
  come back to it through TTL queues, exhausted messages wait in the parking queue until
  ``replay_parked``.
- Status RPCs: ``get_message``, ``messages_for``, ``counts``; ``set_preferences``; ``receipt``
  for providers' delivery receipts (via the gateway).
- Timers: quiet-hours releases, and retention (personal data removed after
  ``MESSAGE_RETENTION_DAYS``; the database may lack TTL indexes, FerretDB does).
"""
import logging

from nameko.dependency_providers import Config
from nameko.rpc import rpc
from nameko.timer import timer

from services.common import boot
from services.common import clock as clk
from services.common.errors import NotFound
from services.common.events import handles
from services.common.health import HealthMixin
from services.common.metrics import gauges_text
from services.common.mongo import Mongo
from services.common.schemas import shared
from services.notifications import facts, preferences, settings, store
from services.notifications import schemas as sc
from services.notifications.delivery import WORK_QUEUE, DeliveryPipeline, consume_work
from services.notifications.dispatcher import Dispatcher

boot.install()

log = logging.getLogger(__name__)

MESSAGE_NOT_FOUND = "Pesan tidak ditemukan / Message not found"


def public_message(doc):
    """A message as the status API shows it: no recipient, no body."""
    out = shared(sc.MessageStatusSchema).dump(dict(doc, id=doc["_id"]))
    out.setdefault("history", [])
    return out


def _reference(value):
    return sc.load(sc.StatusQuerySchema, {"reference": value})["reference"]


class NotificationsService(HealthMixin):
    name = "notifications"

    db = Mongo("notifications", store.ensure_indexes)
    config = Config()
    pipeline = DeliveryPipeline(lambda config: settings.load(config).delays())
    clock = clk.Clock()

    @property
    def dispatcher(self):
        return Dispatcher(self.db, self.pipeline, settings.load(self.config), self.clock)

    def _on(self, event_type, event):
        fact = facts.read(event_type, event)
        now = self.clock.now()
        prefs = kept = None
        if fact.recipient is not None:
            prefs = self._recipient_prefs(fact)
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

    @staticmethod
    def _recipient_prefs(fact):
        from services.common.errors import ValidationFailed
        prefs = {"language": fact.language if fact.language in preferences.LANGUAGES else "id"}
        phone = fact.recipient.get("phone")
        if phone:
            try:
                prefs["phone"] = preferences.normalise_phone(phone)
            except ValidationFailed:
                log.warning("recipient of %s: phone number not usable", fact.reference)
        email = fact.recipient.get("email")
        if isinstance(email, str) and "@" in email:
            prefs["email"] = email.strip()
        return prefs

    # --- ticketing ------------------------------------------------------------------------

    @handles("ticketing", "ticket_contact_given")
    def on_ticket_contact_given(self, event):
        self._on("ticket_contact_given", event)

    @handles("ticketing", "ticket_near_front")
    def on_ticket_near_front(self, event):
        self._on("ticket_near_front", event)

    @handles("ticketing", "ticket_called")
    def on_ticket_called(self, event):
        self._on("ticket_called", event)

    @handles("ticketing", "ticket_recalled")
    def on_ticket_recalled(self, event):
        self._on("ticket_recalled", event)

    @handles("ticketing", "ticket_service_started")
    def on_ticket_service_started(self, event):
        self._on("ticket_service_started", event)

    @handles("ticketing", "ticket_skipped")
    def on_ticket_skipped(self, event):
        self._on("ticket_skipped", event)

    @handles("ticketing", "ticket_completed")
    def on_ticket_completed(self, event):
        self._on("ticket_completed", event)

    @handles("ticketing", "ticket_cancelled")
    def on_ticket_cancelled(self, event):
        self._on("ticket_cancelled", event)

    @handles("ticketing", "ticket_transferred")
    def on_ticket_transferred(self, event):
        self._on("ticket_transferred", event)

    @handles("ticketing", "booking_created")
    def on_booking_created(self, event):
        self._on("booking_created", event)

    @handles("ticketing", "booking_cancelled")
    def on_booking_cancelled(self, event):
        self._on("booking_cancelled", event)

    # --- permits --------------------------------------------------------------------------

    @handles("permits", "application_submitted")
    def on_application_submitted(self, event):
        self._on("application_submitted", event)

    @handles("permits", "application_returned")
    def on_application_returned(self, event):
        self._on("application_returned", event)

    @handles("permits", "application_status_changed")
    def on_application_status_changed(self, event):
        self._on("application_status_changed", event)

    @handles("permits", "permit_issued")
    def on_permit_issued(self, event):
        self._on("permit_issued", event)

    @handles("permits", "application_sla_warning")
    def on_application_sla_warning(self, event):
        self._on("application_sla_warning", event)

    # --- feedback -------------------------------------------------------------------------

    @handles("feedback", "survey_invited")
    def on_survey_invited(self, event):
        self._on("survey_invited", event)

    # --- delivery -------------------------------------------------------------------------

    @consume_work(WORK_QUEUE, requeue_on_error=True)
    def deliver(self, item, redelivered):
        return self.dispatcher.handle(item, redelivered)

    @rpc
    def replay_parked(self, limit=1000):
        """Operator: start every parked message again (current preferences, first channel)."""
        dispatcher = self.dispatcher
        replayed = []
        handled = self.pipeline.drain_parking(
            lambda item: replayed.append(item["id"]) if dispatcher.replay(item) else None,
            limit=int(limit))
        log.info("replayed %s of %s parked items", len(replayed), handled)
        return {"taken": handled, "replayed": len(replayed)}

    @rpc
    def receipt(self, message_id, provider_status, raw=None):
        """A provider's delivery receipt for ``message_id`` (the id we sent as reference)."""
        status = self.dispatcher.receipt(_reference(message_id), provider_status, raw)
        if status is None:
            raise NotFound(MESSAGE_NOT_FOUND, {"id": message_id})
        return {"id": message_id, "status": status}

    @timer(interval=30)
    def release_deferred(self):
        return self.dispatcher.release_deferred()

    @timer(interval=3600)
    def retention(self):
        done = self.dispatcher.scrub()
        if done["messages"] or done["recipients"]:
            log.info("retention: personal data removed from %s messages, %s recipients",
                     done["messages"], done["recipients"])
        return done

    @rpc
    def purge_personal_data(self):
        """Run retention now (operators, tests); returns how many documents it scrubbed."""
        return self.retention()

    # --- status ---------------------------------------------------------------------------

    @rpc
    def get_message(self, id):
        data = sc.load(sc.StatusQuerySchema, {"id": id})
        doc = store.get_message(self.db, data["id"])
        if doc is None:
            raise NotFound(MESSAGE_NOT_FOUND, {"id": id})
        return public_message(doc)

    @rpc
    def messages_for(self, reference):
        return [public_message(m) for m in store.messages_for(self.db, _reference(reference))]

    def domain_metrics(self):
        return gauges_text({("mpp_notifications", "Messages by channel and status",
                             ("channel", "status")):
                            {(i["channel"] or "none", i["status"]): i["count"]
                             for i in store.counts(self.db)}})

    @rpc
    def counts(self, channel=None):
        data = sc.load(sc.CountsQuerySchema, {"channel": channel})
        items = store.counts(self.db, data["channel"])
        return shared(sc.CountsSchema).dump({"items": items, "total": sum(i["count"] for i in items)})

    @rpc
    def set_preferences(self, reference, prefs):
        ref = _reference(reference)
        data = sc.load(sc.PreferencesSchema, prefs or {})
        store.set_preferences(self.db, ref, data, self.clock.now())
        return {"reference": ref, "language": data["language"], "channels": data["channels"],
                "opt_out": data["opt_out"], "quiet_hours": data["quiet_hours"]}

