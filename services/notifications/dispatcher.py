"""One step of one message's delivery: plan, attempt, decide, hand the next step to RabbitMQ.

``Dispatcher`` is what the service's entrypoints call (it holds the database, the pipeline,
the settings and the clock of one worker). The rules are ``lifecycle``'s and ``preferences``'s;
this module only sequences them:

1. ``create`` (event handler): the message is inserted under its dedup key, already planned
   when its recipient is known (else it gets a *plan* item). The first writer makes the
   first attempt itself, in the event handler (step 3, claimed like any step): a work item
   published, consumed and read back would cost about a third of a message's work again.
   A redelivered event finds the key. If the message is still ``created`` (its handler died
   before recording an outcome), its first step goes to the work queue as a *takeover* item,
   one retry tier later (``Settings.takeover_delay``, longer than a provider request may
   take), so a duplicate event never races a first attempt still in flight: by then that
   attempt has recorded its outcome and the item finds nothing left to do.
2. plan (worker): stale? -> ``expired``. Recipient not known yet (its event is on another
   queue)? -> wait one retry tier, up to ``NOTIFY_RECIPIENT_WAITS`` times. Then
   ``preferences.plan_delivery``: no usable channel -> ``permanent_failure``; quiet hours ->
   ``deferred`` collection; else attempt 1 on the first channel, at once.
3. attempt (worker): stale? -> ``expired``, unsent. Render, send, record ``sending`` and the
   provider's answer in one write, then ``lifecycle.decide``: done, await a receipt (a receipt
   deadline item on a TTL queue), retry (TTL queue of the tier), fail over (next channel, at
   once), park (parking queue) or fail.
4. receipt deadline (worker): still ``sending`` on that attempt -> fail over or give up.

Each step is claimed by inserting its ``steps`` document first, so a work item delivered twice
(a re-published plan item, a redelivery after a crash) is done once. A worker that dies after
claiming leaves the item unacked; RabbitMQ redelivers it flagged ``redelivered`` and the new
worker takes the step over, reusing the recorded outcome if the send had been recorded (if
it died between the provider's answer and the record, the send repeats: providers get the
message id as ``Idempotency-Key`` to drop it).
Nothing here logs an address or a body: message ids and statuses only.
"""
import hashlib
import logging
from datetime import timedelta

from services.common.clock import local_day
from services.notifications import (channels, confirmation, lifecycle, preferences, receipts,
                                    store, templates)
from services.notifications.channels import SendResult
from services.notifications.lifecycle import (CREATED, EXPIRED, PERMANENT_FAILURE, SENDING,
                                              TERMINAL)

log = logging.getLogger(__name__)

DONE, DUPLICATE, STALE = "done", "duplicate", "stale"


def step_key(item):
    parts = [item["id"], "r{}".format(item.get("round", 1)), item.get("channel") or "plan",
             "a{}".format(item.get("attempt", 0)), "w{}".format(item.get("wait", 0))]
    if item.get("check"):
        parts.append("check")
    return "|".join(parts)


def _detail(result):
    raw = result.raw or {}
    for key in ("http_status", "smtp_code", "error", "outcome"):
        if raw.get(key) is not None:
            return "{} {}".format(key, raw[key])
    return None


class Dispatcher:
    def __init__(self, db, pipeline, settings, clock):
        self.db = db
        self.pipeline = pipeline
        self.settings = settings
        self.clock = clock

    # --- creation (event handlers) ----------------------------------------------------------

    def create(self, fact, event, agency=None, prefs=None, kept=None, recipient=None):
        """Insert the message (planned already when its recipient is known) and make its
        first attempt (see the module doc).
        ``agency``: the message goes to that agency's system (its webhook), not the citizen.
        ``prefs``: the citizen's preferences when the caller has just stored them (no read);
        ``kept``: the recipient's kept context when the caller has just inserted it (then
        the attempt need not read the recipient back either).
        ``recipient``: who, of several people one event tells, this message is for (a role
        and a username such as ``staff:dpmptsp.supervisor``, never an address)."""
        now = self.clock.now()
        key = lifecycle.dedup_key(fact.kind, fact.key_fields,
                                  recipient or ("agency:{}".format(agency) if agency else None))
        doc = {
            "_id": key, "reference": fact.reference, "kind": fact.kind, "source": fact.source,
            "status": CREATED, "channel": None, "channels": [], "attempt": 0, "round": 1,
            "language": None, "critical": preferences.is_critical(fact.kind),
            "created_at": now, "updated_at": now,
            "expires_at": lifecycle.expires_at(fact.kind, fact.key_fields, now,
                                               self.settings.zone),
            "ref": fact.ref, "context": {k: v for k, v in fact.context.items() if v is not None},
            "event_id": fact.key_fields.get("event_id"),
            "history": [{"status": CREATED, "at": now}],
        }
        if agency:
            doc["agency"] = agency
        if prefs is None or agency:
            prefs, kept = self._prefs(doc)
        known = (prefs, kept) if prefs is not None and kept is not None else None
        if prefs is not None and not agency:
            prefs, code = self._guard_phone(doc, prefs, now)
            if code:
                doc["context"]["confirm_code"] = code
        if prefs is not None:
            planned = self._planned(doc, prefs, now)
            # Only a message deferred to later (quiet hours) is checked for staleness now; one
            # with nothing to send is final, and one sent at once is checked by its attempt
            # a moment from now, against the state at that moment.
            reason = self._stale(doc) if planned.get("send_after") else None
            if reason:
                doc["status"] = EXPIRED
                doc["history"].append({"status": EXPIRED, "at": now, "detail": reason})
            else:
                doc.update(planned)
        message, created = store.create_message(self.db, doc)
        log.info("message %s %s", key, "created" if created else "seen again")
        if created and message.get("send_after"):
            store.defer(self.db, key, message["send_after"])
        elif message["status"] == CREATED and not message.get("send_after"):
            first = self._first_item(message)
            if first["channel"] is None:   # plan it once its recipient is known (a repeated
                self.pipeline.now(first)   # plan item is dropped by its step claim)
            elif not created:   # the event again: its first handler may have died mid-attempt
                delay = self.settings.takeover_delay()
                if delay:
                    self.pipeline.later(dict(first, takeover=True), delay)
                else:
                    self.pipeline.now(dict(first, takeover=True))
            elif store.claim_step(self.db, step_key(first), now):
                self._attempt(message, first, None, known)
        return message, created

    def _guard_phone(self, doc, prefs, now):
        """``(prefs, confirmation code)``: a number given on the portal and not confirmed
        keeps its phone for the reference's first message only, which then carries the code
        (``confirmation``); a number past its day's cap loses it too."""
        phone = prefs.get("phone")
        if not phone:
            return prefs, None
        code = None
        if self.settings.confirm_portal_phones and \
                confirmation.needs_confirmation(doc.get("source")) and \
                not confirmation.confirmed(self.db, self.settings.phone_key, phone):
            if doc["kind"] not in confirmation.FIRST_KINDS:
                log.info("message %s: the number is not confirmed yet", doc["_id"])
                return self._without_phone(prefs, "phone_unconfirmed"), None
            code = confirmation.code_for(self.settings.phone_key, phone)
        return self._within_number_cap(doc, prefs, now), code

    @staticmethod
    def _without_phone(prefs, reason):
        return dict({k: v for k, v in prefs.items() if k != "phone"}, _no_phone=reason)

    def _within_number_cap(self, doc, prefs, now):
        """``prefs`` without the phone once the number had its messages for the day
        (anonymous endpoints take any number: the cap bounds what one number costs)."""
        number_key = hashlib.sha256(prefs["phone"].encode()).hexdigest()[:32]
        day = local_day(now, self.settings.zone).isoformat()
        if store.count_for_number(self.db, number_key, day, doc["_id"],
                                  self.settings.max_per_number_per_day):
            return prefs
        log.warning("message %s: the number had its messages for today", doc["_id"])
        return self._without_phone(prefs, "number_capped")

    def _planned(self, doc, prefs, now):
        """The plan's fields for a message (``preferences.plan_delivery``)."""
        stopped = receipts.opted_out(self.db, self.settings.phone_key, prefs.get("phone"))
        if stopped:  # the number replied STOP on these channels: honoured for every message
            prefs = dict(prefs, opt_out=sorted(set(prefs.get("opt_out") or []) | set(stopped)))
        plan = preferences.plan_delivery(doc["kind"], prefs, now, self.settings.zone,
                                         ["webhook"] if doc.get("agency") else None)
        if not plan.channels:
            reason = prefs.get("_no_phone") if plan.reason == "no_contact" else None
            return {"status": PERMANENT_FAILURE, "language": prefs["language"],
                    "history": doc["history"] + [{"status": PERMANENT_FAILURE, "at": now,
                                                  "detail": reason or plan.reason}]}
        return {"channels": plan.channels, "language": prefs["language"],
                "send_after": plan.defer_until}

    @staticmethod
    def _first_item(message):
        channels_ = message.get("channels") or []
        return {"id": message["_id"], "round": message.get("round", 1),
                "channel": channels_[0] if channels_ else None,
                "attempt": 1 if channels_ else 0, "wait": 0}

    # --- the work queue ----------------------------------------------------------------------

    def handle(self, item, redelivered=False):
        message = store.get_message(self.db, item.get("id"))
        if message is None or message["status"] in TERMINAL or \
                message.get("round", 1) != item.get("round", 1):
            return STALE
        if item.get("takeover"):   # see ``create``: only a first attempt never recorded
            if message["status"] != CREATED:
                return STALE
            redelivered = True
        key = step_key(item)
        saved = None
        if not store.claim_step(self.db, key, self.clock.now()):
            step = store.get_step(self.db, key)
            if not redelivered or step is None:
                log.info("message %s: step %s already taken", message["_id"], key)
                return DUPLICATE
            saved = self._recorded(message, item)  # taking over from a worker that died
        if item.get("check"):
            outcome = self._receipt_deadline(message, item)
        elif item.get("channel") is None:
            outcome = self._plan(message, item)
        else:
            outcome = self._attempt(message, item, saved)
        return outcome

    def _stale(self, message):
        now = self.clock.now()
        source = lifecycle.state_source(message["kind"])
        state = store.domain_state(self.db, source, message["reference"]) if source else None
        return lifecycle.stale_reason(message["kind"], message.get("ref"), state, now,
                                      message.get("expires_at"))

    def _expire(self, message, reason):
        now = self.clock.now()
        store.record(self.db, message["_id"], {"status": EXPIRED, "updated_at": now},
                     {"status": EXPIRED, "at": now, "channel": message.get("channel"),
                      "detail": reason})
        log.info("message %s expired (%s)", message["_id"], reason)
        return EXPIRED

    def _prefs(self, message):
        """``(preferences, kept context)`` of the message's recipient (``None`` while unknown).
        An agency's system is known from the settings; it shares the kept context (permit
        name, tracking code: nothing personal) of the citizen's application."""
        recipient = store.get_recipient(self.db, message["reference"])
        kept = (recipient or {}).get("context") or {}
        if message.get("agency"):
            url = self.settings.agency_webhooks.get(message["agency"])
            return preferences.agency_preferences(url), kept
        if recipient is None:
            return None, {}
        return preferences.normalise(recipient.get("prefs") or {}), kept

    def _plan(self, message, item):
        reason = self._stale(message)
        if reason:
            return self._expire(message, reason)
        now = self.clock.now()
        prefs, _ = self._prefs(message)
        if prefs is None:
            waits = int(item.get("wait", 0))
            if waits < self.settings.recipient_waits:
                self.pipeline.later(dict(item, wait=waits + 1), self._first_delay())
                return "waiting_for_recipient"
            prefs = preferences.normalise({})
        prefs, code = self._guard_phone(message, prefs, now)
        fields = self._planned(message, prefs, now)
        fields["updated_at"] = now
        if code:
            fields["context"] = dict(message.get("context") or {}, confirm_code=code)
        history = fields.pop("history", None)
        store.record(self.db, message["_id"], fields,
                     history[-1] if history else None)
        if fields.get("status") == PERMANENT_FAILURE:
            return PERMANENT_FAILURE
        message = dict(message, **fields)
        first = self._first_item(message)
        if message.get("send_after"):
            store.defer(self.db, message["_id"], message["send_after"])
            return "deferred"
        if not store.claim_step(self.db, step_key(first), now):
            return DUPLICATE
        return self._attempt(message, first, None)

    def _first_delay(self):
        delays = self.settings.default_policy.delays or (5,)
        return delays[0]

    def _policy(self, kind):
        if preferences.EVENT_CLASS.get(kind) == preferences.REALTIME:
            return self.settings.realtime_policy
        return self.settings.default_policy

    def _attempt(self, message, item, saved, known=None):
        """``known``: ``(preferences, kept context)`` of the recipient, just read or stored."""
        channel, attempt = item["channel"], int(item["attempt"])
        if saved is not None:
            result = saved
        else:
            reason = self._stale(message)
            if reason:
                return self._expire(message, reason)
            result = self._send(message, channel, attempt, known)
        return self._after(message, item, result)

    def _recorded(self, message, item):
        """The outcome of this attempt if a worker that died recorded it before its step was
        acked (then the takeover must not send again)."""
        for entry in reversed(message.get("history") or []):
            if entry.get("channel") == item["channel"] and \
                    entry.get("attempt") == int(item["attempt"]) and entry["status"] != SENDING:
                return SendResult(entry["status"], message.get("provider_id"),
                                  message.get("provider_raw"))
        return None

    def _send(self, message, channel, attempt, known=None):
        prefs, kept = known or self._prefs(message)
        prefs = prefs or preferences.normalise({})
        usable = preferences.usable_channels(message["kind"], prefs, [channel])
        to = preferences.contact_for(channel, prefs) if usable else None
        if not to:
            return SendResult(PERMANENT_FAILURE, None, {"error": "no_contact"})
        context = dict(kept, mpp_name=self.settings.mpp_name)
        context.update(message.get("context") or {})
        try:
            rendered = templates.render(message["kind"], channel, prefs["language"], context,
                                        self.settings.zone)
        except Exception as exc:  # noqa: BLE001 - a template error fails this channel only
            log.warning("message %s: %s template failed (%s)", message["_id"], channel,
                        type(exc).__name__)
            return SendResult(PERMANENT_FAILURE, None, {"error": "template"})
        message["_sent"] = {"to": to, "language": rendered["language"],
                            "template": rendered["template"],
                            "template_version": rendered["template_version"],
                            "content": rendered["content"], "sent_at": self.clock.now()}
        return channels.send({"id": message["_id"], "kind": message["kind"], "channel": channel,
                              "attempt": attempt, "to": to, "language": rendered["language"],
                              "content": rendered["content"], "agency": message.get("agency")},
                             self.settings.channels)

    def _after(self, message, item, result):
        channel, attempt = item["channel"], int(item["attempt"])
        decision = lifecycle.decide(result.status, channel, attempt, message.get("channels")
                                    or [channel], self._policy(message["kind"]))
        now = self.clock.now()
        fields = {"status": decision.status, "channel": channel, "attempt": attempt,
                  "provider_id": result.provider_id, "provider_raw": result.raw,
                  "updated_at": now}
        if decision.status == lifecycle.DELIVERED:
            fields["delivered_at"] = now
        entry = {"status": result.status, "at": now, "channel": channel, "attempt": attempt,
                 "detail": _detail(result)}
        base = {"id": message["_id"], "round": item.get("round", 1), "wait": 0}
        if decision.action == lifecycle.PARK:
            fields["parked"] = True
        sent = message.pop("_sent", None)
        entries = [entry]
        if sent is not None:  # one write for "sending" and its outcome
            at = sent.pop("sent_at")
            fields.update(sent)
            entries = [{"status": SENDING, "at": at, "channel": channel, "attempt": attempt},
                       entry]
        store.record_many(self.db, message["_id"], fields, entries)
        if decision.action == lifecycle.AWAIT_RECEIPT:
            timeout = self.settings.receipt_timeouts.get(channel)
            if timeout:
                self.pipeline.later(dict(base, channel=channel, attempt=attempt, check=True),
                                    timeout)
        elif decision.action == lifecycle.RETRY:
            self.pipeline.later(dict(base, channel=channel, attempt=decision.attempt),
                                decision.delay_s)
        elif decision.action == lifecycle.FAILOVER:
            self.pipeline.now(dict(base, channel=decision.channel, attempt=1))
        elif decision.action == lifecycle.PARK:
            self.pipeline.park(dict(base, channel=channel, attempt=attempt))
        log.info("message %s via %s attempt %s: %s -> %s", message["_id"], channel, attempt,
                 result.status, decision.action)
        return decision.action

    def _receipt_deadline(self, message, item):
        if not (message["status"] == SENDING and message.get("channel") == item["channel"]
                and message.get("attempt") == item["attempt"]):
            return STALE
        decision = lifecycle.on_receipt_timeout(item["channel"], message.get("channels") or [])
        now = self.clock.now()
        if decision.action == lifecycle.FAILOVER:
            store.record(self.db, message["_id"], {"updated_at": now},
                         {"status": SENDING, "at": now, "channel": item["channel"],
                          "attempt": item["attempt"], "detail": "no_receipt"})
            self.pipeline.now({"id": message["_id"], "round": item.get("round", 1),
                               "channel": decision.channel, "attempt": 1, "wait": 0})
        else:
            store.record(self.db, message["_id"], {"status": decision.status, "updated_at": now},
                         {"status": decision.status, "at": now, "channel": item["channel"],
                          "detail": "no_receipt"})
        return decision.action

    # --- operator and provider entrypoints ------------------------------------------------

    def replay(self, item):
        """A parked item: start the message again from its plan, in a new round."""
        message = store.get_message(self.db, item.get("id"))
        if message is None or message["status"] in TERMINAL or not message.get("parked"):
            return False
        now = self.clock.now()
        next_round = int(message.get("round", 1)) + 1
        store.record(self.db, message["_id"], {"round": next_round, "parked": False,
                                               "updated_at": now},
                     {"status": message["status"], "at": now, "detail": "replayed"})
        self.pipeline.now({"id": message["_id"], "round": next_round, "channel": None,
                           "attempt": 0, "wait": 0})
        return True

    def receipt(self, message_id, provider_status, raw=None):
        """A provider's delivery receipt (the message id is what we gave it as reference)."""
        message = store.get_message(self.db, message_id)
        if message is None:
            return None
        new = lifecycle.receipt_status(provider_status)
        now = self.clock.now()
        if new is None or new == message["status"] or \
                not lifecycle.can_transition(message["status"], new):
            store.record(self.db, message_id, {"receipt_raw": raw, "updated_at": now})
            return message["status"]
        fields = {"status": new, "updated_at": now, "receipt_raw": raw}
        if new == lifecycle.DELIVERED:
            fields["delivered_at"] = now
        store.record(self.db, message_id, fields,
                     {"status": new, "at": now, "channel": message.get("channel"),
                      "attempt": message.get("attempt"), "detail": "receipt"})
        if new in lifecycle.FAILURES and message.get("channel"):
            decision = lifecycle.decide(new, message["channel"], int(message.get("attempt") or 1),
                                        message.get("channels") or [],
                                        self._policy(message["kind"]))
            if decision.action == lifecycle.FAILOVER:
                self.pipeline.now({"id": message_id, "round": message.get("round", 1),
                                   "channel": decision.channel, "attempt": 1, "wait": 0})
        return new

    def release_deferred(self):
        released = 0
        for entry in store.due_deferred(self.db, self.clock.now()):
            message = store.get_message(self.db, entry["_id"])
            if message is not None and message["status"] == CREATED and message.get("channels"):
                self.pipeline.now({"id": message["_id"], "round": message.get("round", 1),
                                   "channel": message["channels"][0], "attempt": 1, "wait": 0})
                released += 1
            store.undefer(self.db, entry["_id"])
        return released

    def scrub(self):
        cutoff = self.clock.now() - timedelta(days=self.settings.retention_days)
        return store.scrub(self.db, cutoff)
