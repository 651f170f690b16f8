"""Ticketing service entrypoints: parse, call the rules, persist, dispatch events.

Every input goes through ``schemas`` (422 with field messages, nothing written); every state
change through ``states.apply_action`` and a transition claim (``store.claim_transition``:
the insert decides races on MongoDB and FerretDB alike); the queue is ``queue``'s lanes, read
by ``_id`` only. Events carry ids, numbers and counters; only ``ticket_contact_given``
(``contact``) and ``booking_created`` (``contact.phone``) carry how to reach the citizen.
``ticket_issued`` is public (boards, counter consoles, statistics); a ticket whose holder left
a phone or an e-mail also announces ``ticket_contact_given``, the same fields plus the contact,
which notifications alone subscribes to: a kiosk ticket without a contact costs it nothing.
"""
import logging
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack
from datetime import date, timedelta

from eventlet.semaphore import Semaphore
from nameko.dependency_providers import Config
from nameko.rpc import rpc
from nameko.timer import timer
from pymongo.errors import DuplicateKeyError

from services.common import boot
from services.common import clock as clk
from services.common.config import ignore_opening_hours, timezone_name
from services.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.common.events import Events
from services.common.health import HealthMixin
from services.common.metrics import gauges_text
from services.common.mongo import Mongo
from services.ticketing import (bookings, calling, catalogue, closeout, codes, eta, followups,
                                hours, numbering, queue, states, stats, store)
from services.ticketing import schemas as sc

boot.install()

log = logging.getLogger(__name__)

NOBODY_WAITING = "Tidak ada antrean / No one is waiting"
TICKET_NOT_FOUND = "Tiket tidak ditemukan / Ticket not found"
MAX_CALL_ATTEMPTS = 50
CACHE_SECONDS = 2.0
DEV_NIK_SALT = "dev-only-nik-salt-change-me"


def issued_event_id(ticket_id):
    """The one id of a ticket's ``ticket_issued``, however often it is announced."""
    return "{}:ticket_issued".format(ticket_id)


def contact_event_id(ticket_id):
    """The one id of a ticket's ``ticket_contact_given``, however often it is announced."""
    return "{}:ticket_contact_given".format(ticket_id)


def format_number(prefix, seq):
    return numbering.ticket_number(prefix, seq)


def _iso(value):
    return clk.iso(value) if value is not None else None


def public_ticket(ticket):
    """What a ticket holder (or a board) may see: no contact details."""
    out = {
        "id": ticket["_id"],
        "number": ticket["number"],
        "service_id": ticket["service_id"],
        "agency": ticket.get("agency"),
        "status": ticket["status"],
        "priority_group": ticket.get("priority_group"),
        "issued_at": _iso(ticket["issued_at"]),
        "arrived_at": _iso(ticket.get("arrived_at")),
        "called_at": _iso(ticket.get("last_called_at")),
        "day": ticket["day"],
        "counter_id": ticket.get("counter_id"),
        "language": ticket.get("language", "id"),
    }
    if ticket.get("visit"):
        visit = ticket["visit"]
        out["visit"] = {"id": visit["id"], "steps": visit["steps"], "step": visit["step"]}
    for key in ("transferred_to", "transferred_from", "previous_ticket_id"):
        if ticket.get(key):
            out[key] = ticket[key]
    return out


class _Cache:
    """A few seconds of per-process memory for catalogue reads (services, counters, rules):
    the hot paths stop paying a round trip for data that changes a few times a year. Admin
    writes clear it in this process; other instances see a change within ``CACHE_SECONDS``."""

    def __init__(self):
        self._data = {}

    def get(self, key, load):
        hit = self._data.get(key)
        now = time.monotonic()
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        if value is not None:
            self._data[key] = (now + CACHE_SECONDS, value)
        return value

    def clear(self):
        self._data.clear()


class TicketingService(HealthMixin):
    name = "ticketing"

    db = Mongo("ticketing", store.ensure_indexes)
    events = Events()
    config = Config()
    clock = clk.Clock()
    numbers = store.NumberAllocator()  # shared by this process's workers
    sequences = queue.Sequencer()      # lane entries and the call log, likewise
    cache = _Cache()
    _call_locks = defaultdict(Semaphore)

    # -- helpers ---------------------------------------------------------------------------

    def _rules(self):
        def load():
            doc = self.db.settings.find_one({"_id": "rules"}) or {}
            doc.pop("_id", None)
            return doc
        rules = dict(self.cache.get((self.db.name, "rules"), load))
        rules.setdefault("calling_rule", dict(calling.DEFAULT_RULE))
        rules.setdefault("near_front_position", catalogue.DEFAULT_NEAR_FRONT)
        return rules

    def _tz(self, rules=None):
        rules = rules if rules is not None else self._rules()
        return rules.get("timezone") or timezone_name(self.config)

    def _day(self, now, tz):
        return numbering.service_day(now, tz)

    def _service(self, service_id, field="service_id"):
        service = self.cache.get((self.db.name, "service", service_id),
                                 lambda: store.get_service(self.db, service_id))
        if service is None:
            raise NotFound("Layanan tidak ditemukan / Service not found", {field: service_id})
        return service

    def _counters(self):
        return self.cache.get((self.db.name, "counters"), lambda: store.list_counters(self.db))

    def _counter(self, counter_id):
        for counter in self._counters():
            if counter["_id"] == counter_id:
                return counter
        counter = store.get_counter(self.db, counter_id)  # added by another instance just now
        if counter is None:
            raise NotFound("Loket tidak ditemukan / Counter not found", {"counter_id": counter_id})
        return counter

    def _live_counter(self, counter_id):
        """The counter with its live ``status`` and ``officer``."""
        counter = self._counter(counter_id)
        state = store.counter_state(self.db, counter_id)
        return dict(counter, status=state.get("status", "closed"), officer=state.get("officer"),
                    version=state.get("version", 0))

    def _counters_open(self, service_id, fresh=False):
        def count():
            ids = [c["_id"] for c in self._counters() if service_id in c["services"]]
            return [sum(1 for state in store.counter_states(self.db, ids).values()
                        if state.get("status") == states.COUNTER_OPEN)]
        if fresh:
            return count()[0]
        # an ETA input: a couple of seconds old is fine (this process's opens/closes clear it)
        return self.cache.get((self.db.name, "open", service_id), count)[0]

    def _ticket(self, ticket_id):
        ticket = store.get_ticket(self.db, ticket_id)
        if ticket is None:
            raise NotFound(TICKET_NOT_FOUND, {"ticket_id": ticket_id})
        return ticket

    def _estimate(self, service, ahead):
        samples = self.cache.get((self.db.name, "durations", service["_id"]),
                                 lambda: store.durations(self.db, service["_id"]))
        return eta.estimate(ahead, samples,
                            self._counters_open(service["_id"]),
                            service.get("default_service_minutes", 10))

    def _position(self, ticket, service=None, win=None):
        """``{position, ahead, eta_min_minutes, eta_max_minutes, basis}`` of a waiting ticket."""
        if ticket["status"] != states.WAITING or not ticket.get("lane"):
            return {"position": None, "ahead": None, "eta_min_minutes": None,
                    "eta_max_minutes": None}
        service = service or self._service(ticket["service_id"])
        win = win or queue.windows(self.db, ticket["service_id"], ticket["day"], self.sequences,
                                   self.numbers)
        if ticket.get("lane_n"):
            lane, n = ticket["lane"], ticket["lane_n"]
        else:
            where = queue.position_of(self.db, ticket)
            if where is None:  # between the ticket's insert and its entry's: a moment
                return {"position": None, "ahead": None, "eta_min_minutes": None,
                        "eta_max_minutes": None}
            lane, n = where
        ahead = queue.ahead_of(win, lane, n)
        est = self._estimate(service, ahead)
        return {key: est[key] for key in ("position", "ahead", "eta_min_minutes",
                                          "eta_max_minutes", "basis")}

    def _refusal(self, service, decision, now, tz):
        slot = bookings.next_free_slot(
            service, now, lambda day: store.booked_counts(self.db, service, day, tz), tz)
        return decision.to_error(slot)

    def _check_walk_in(self, service, now, tz):
        decision = hours.check_walk_in(service, now, 0, tz,
                                       ignore_opening_hours=ignore_opening_hours(self.config))
        if not decision.allowed:
            raise self._refusal(service, decision, now, tz)

    def _enqueue(self, service, fields, idempotency_key, rules, quota=None, returned=False,
                 key_unused=False):
        """Create a waiting ticket: insert the numbered ticket, then its lane entry and
        position (inserts only). Returns ``(ticket, created, windows)``; a new ticket carries
        ``lane_n`` and ``issued_ahead`` for the caller's answer. ``key_unused``: the caller
        has just looked the idempotency key up and found no ticket (no second read)."""
        if not key_unused:
            existing = store.ticket_by_idempotency(self.db, service["_id"], idempotency_key)
            if existing is not None:
                return existing, False, None
        service_id, day, now = service["_id"], fields["day"], fields["issued_at"]
        lane = queue.lane_for(calling.is_priority(fields, rules["calling_rule"]), returned)
        contact = fields.pop("contact", None)
        ticket = dict(fields, service_id=service_id, agency=service["agency"], status="waiting",
                      version=0, q=0, lane=lane, idem=store.idem_hash(service_id, idempotency_key))
        ticket.pop("idempotency_key", None)
        win = queue.windows(self.db, service_id, day, self.sequences, self.numbers, recent=True)
        extra = None
        if lane == queue.NEW:   # the ticket is its own lane entry: one insert
            extra = lambda seq: {"issued_ahead": queue.ahead_of(win, lane, seq)}  # noqa: E731
        doc, created = self.numbers.issue(
            self.db, ticket, lambda seq: format_number(service["prefix"], seq), quota=quota,
            extra=extra)
        if not created:
            return store.current_ticket(self.db, doc["_id"]), False, None
        store.put_contact(self.db, doc["_id"], contact, day)
        if lane == queue.NEW:
            n = doc["seq"]
        else:
            n = queue.claim_entry(self.sequences, self.db, doc, lane, now,
                                  lambda n: queue.ahead_of(win, lane, n))
        win[lane] = (win[lane][0], max(win[lane][1], n))
        return dict(doc, contact=contact, lane_n=n,
                    issued_ahead=queue.ahead_of(win, lane, n)), True, win

    def _emit_issued(self, ticket, contact=None):
        try:
            service = self._service(ticket["service_id"])  # cached: no read per ticket
        except NotFound:
            service = {}
        event = {
            "event_id": issued_event_id(ticket["_id"]),
            "ticket_id": ticket["_id"],
            "number": ticket["number"],
            "service_id": ticket["service_id"],
            # what the citizen's "your ticket" message says
            "service_name": service.get("name"),
            "service_name_en": service.get("name_en"),
            "people_ahead": ticket.get("issued_ahead"),
            "agency": ticket["agency"],
            "priority_group": ticket.get("priority_group"),
            "language": ticket.get("language", "id"),
        }
        self.events("ticket_issued", event)
        contact = contact or ticket.get("contact")
        if contact:
            # Only this event carries the contact: notifications keeps it as the ticket's
            # recipient; every later ticket event names the ticket alone.
            self.events("ticket_contact_given",
                        dict(event, event_id=contact_event_id(ticket["_id"]), contact=contact))

    def _announce_issued(self, ticket, created, contact=None):
        """``ticket_issued`` for a new ticket, and again for a retried create: the first
        attempt may have written the ticket and lost the broker (or died) before announcing
        it. The event id is the ticket's, so a consumer that had it skips the repeat."""
        if created:
            self._emit_issued(ticket)
        else:
            self._emit_issued(ticket, contact or store.contact_of(self.db, ticket["_id"]))

    def _transition(self, ticket, action, now, **kwargs):
        """Check, claim and write one state change; returns the ticket as written."""
        record = kwargs.pop("record", {})
        changes = states.apply_action(ticket, action, now, **kwargs)
        if not store.claim_transition(self.db, ticket, changes, action, now,
                                      counter_id=kwargs.get("counter_id"),
                                      officer=kwargs.get("officer"), **record):
            raise Conflict("Tiket baru saja diubah petugas lain; muat ulang / The ticket was "
                           "just changed by someone else; reload", {"ticket_id": ticket["_id"]})
        return dict(ticket, **changes)

    def _log_call(self, ticket, counter, now):
        return self.sequences.insert_next(self.db, "calls", store.call_log_prefix(ticket["day"]), {
            "ticket_id": ticket["_id"], "number": ticket["number"],
            "service_id": ticket["service_id"], "agency": ticket["agency"],
            "counter_id": counter["_id"], "counter_name": counter["name"], "at": now}, width=7)

    def _called_payload(self, ticket, counter, call_seq):
        return {"ticket_id": ticket["_id"], "number": ticket["number"],
                "service_id": ticket["service_id"], "agency": ticket["agency"],
                "counter_id": counter["_id"], "counter_name": counter["name"],
                "call_seq": call_seq}

    def _at_counter(self, counter_id, officer, must_be_open=True):
        counter = self._live_counter(counter_id)
        if must_be_open:
            states.ensure_can_call(counter)
            if counter.get("officer") not in (None, officer):
                raise Forbidden("Loket dibuka oleh petugas lain / The counter is open by another "
                                "officer", {"counter_id": counter_id})
        return counter

    def _ticket_event(self, ticket, counter, **extra):
        payload = {"ticket_id": ticket["_id"], "number": ticket["number"],
                   "service_id": ticket["service_id"], "agency": ticket["agency"],
                   "counter_id": counter["_id"] if counter else ticket.get("counter_id")}
        payload.update(extra)
        return payload

    # -- catalogue --------------------------------------------------------------------------

    @rpc
    def load_catalogue(self, data):
        """Create or update agencies, services and counters from catalogue data."""
        counts = {}
        for collection, document in catalogue.documents(data):
            store.upsert_catalogue_item(self.db, collection, document)
            counts[collection] = counts.get(collection, 0) + 1
        store.put_settings(self.db, {"mpp": data.get("mpp", {}), "defaults": data.get("defaults", {})})
        rules = sc.load(sc.SettingsSchema, catalogue.rules_document(data))
        store.replace(self.db.settings, dict(rules, _id="rules"))
        self.cache.clear()
        return counts

    @rpc
    def list_agencies(self):
        services = store.list_services(self.db)
        agencies = []
        for agency in store.list_agencies(self.db):
            agencies.append({
                "code": agency["_id"],
                "name": agency["name"],
                "name_en": agency["name_en"],
                "services": [
                    {"id": s["_id"], "prefix": s["prefix"], "name": s["name"], "name_en": s["name_en"]}
                    for s in services if s["agency"] == agency["_id"]
                ],
            })
        return agencies

    @rpc
    def get_service(self, service_id):
        data = sc.load(sc.AvailabilityQuerySchema(only=("service_id",)), {"service_id": service_id})
        return catalogue.public_service(self._service(data["service_id"]))

    def _public_counter(self, counter):
        state = store.counter_state(self.db, counter["_id"])
        return {"id": counter["_id"], "agency": counter["agency"], "name": counter["name"],
                "services": counter["services"], "status": state.get("status", "closed"),
                "officer": state.get("officer")}

    @rpc
    def list_counters(self, agency=None):
        if agency is not None:
            agency = sc.load(sc.DayQuerySchema(only=("agency",)), {"agency": agency})["agency"]
        return [self._public_counter(c) for c in store.list_counters(self.db, agency)]

    @rpc
    def get_counter(self, counter_id):
        data = sc.load(sc.CounterRefSchema, {"counter_id": counter_id})
        return self._public_counter(self._counter(data["counter_id"]))

    @rpc
    def reference_agency(self, reference):
        """The agency a ticket (by id) or a booking (by code) belongs to, or None when there
        is no such thing: how the gateway keeps staff to their own agency's messages."""
        if not isinstance(reference, str) or not reference or len(reference) > 200:
            return None
        ticket = store.get_ticket(self.db, reference)
        if ticket is not None:
            return ticket.get("agency")
        booking = store.get_booking(self.db, reference)
        service = store.get_service(self.db, booking["service_id"]) if booking else None
        return service["agency"] if service else None

    @rpc
    def upsert_agency(self, data):
        agency = sc.load(sc.AgencySchema, data)
        store.upsert_catalogue_item(self.db, "agencies", catalogue.agency_document(agency))
        self.cache.clear()
        return {"code": agency["code"]}

    @rpc
    def upsert_service(self, data):
        service = sc.load(sc.ServiceSchema, data)
        if self.db.agencies.find_one({"_id": service["agency"]}) is None:
            raise ValidationFailed("Data tidak valid / Invalid data",
                                   {"fields": {"agency": [
                                       "Instansi tidak dikenal / Unknown agency."]}})
        try:
            store.upsert_catalogue_item(self.db, "services",
                                        catalogue.service_document(service["agency"], service, {}))
        except DuplicateKeyError:
            raise Conflict("Prefiks sudah dipakai / The ticket prefix is taken",
                           {"prefix": service["prefix"]}) from None
        self.cache.clear()
        return catalogue.public_service(store.get_service(self.db, service["id"]))

    @rpc
    def upsert_counter(self, data):
        counter = sc.load(sc.CounterSchema, data)
        services = {s: store.get_service(self.db, s) for s in counter["services"]}
        fields = catalogue.counter_service_problems(counter["agency"], counter["services"],
                                                    services)
        if not fields and self.db.agencies.find_one({"_id": counter["agency"]}) is None:
            fields = {"agency": ["Instansi tidak dikenal / Unknown agency."]}
        if fields:
            raise ValidationFailed("Data tidak valid / Invalid data", {"fields": fields})
        store.upsert_catalogue_item(self.db, "counters",
                                    catalogue.counter_document(counter["agency"], counter))
        self.cache.clear()
        return self._public_counter(store.get_counter(self.db, counter["id"]))

    @rpc
    def update_settings(self, data):
        rules = sc.load(sc.SettingsSchema, data)
        store.replace(self.db.settings, dict(rules, _id="rules"))
        self.cache.clear()
        return rules

    # -- walk-in tickets --------------------------------------------------------------------

    @rpc
    def issue_ticket(self, service_id, priority_group=None, contact=None, language="id",
                     idempotency_key=None):
        data = sc.load(sc.IssueTicketSchema, {
            "service_id": service_id, "priority_group": priority_group, "contact": contact,
            "language": language, "idempotency_key": idempotency_key})
        return self._issue(data["service_id"], data)

    def _issue(self, service_id, data, visit=None):
        service = self._service(service_id)
        rules = self._rules()
        tz = self._tz(rules)
        now = self.clock.now()
        ticket = store.ticket_by_idempotency(self.db, service_id, data["idempotency_key"])
        if ticket is not None:  # a retry: the same ticket, announced again
            created, win = False, None
        else:
            self._check_walk_in(service, now, tz)
            fields = {"day": self._day(now, tz), "priority_group": data["priority_group"],
                      "language": data["language"], "contact": data["contact"],
                      "issued_at": now, "arrived_at": now, "access_token": codes.access_token()}
            if visit is not None:
                fields["visit"] = visit
            try:
                ticket, created, win = self._enqueue(
                    service, fields, data["idempotency_key"], rules,
                    quota=service.get("daily_quota"), key_unused=True)
            except store.QuotaReached:
                decision = hours.check_walk_in(
                    service, now, service["daily_quota"], tz,
                    ignore_opening_hours=ignore_opening_hours(self.config))
                raise self._refusal(service, decision, now, tz) from None
        self._announce_issued(ticket, created, data["contact"])
        return dict(public_ticket(ticket), access_token=ticket["access_token"],
                    **self._position(ticket, service, win))

    @rpc
    def issue_visit(self, steps, priority_group=None, contact=None, language="id",
                    idempotency_key=None):
        data = sc.load(sc.IssueVisitSchema, {
            "steps": steps, "priority_group": priority_group, "contact": contact,
            "language": language, "idempotency_key": idempotency_key})
        for i, step in enumerate(data["steps"]):
            try:
                self._service(step)
            except NotFound:
                raise ValidationFailed("Data tidak valid / Invalid data", {"fields": {"steps": {
                    str(i): ["Unknown service."]}}}) from None
        visit_id = ("v" + store.idem_hash("visit", data["idempotency_key"])[2:26]
                    if data["idempotency_key"] else uuid.uuid4().hex)
        visit = followups.new_visit(visit_id, data["steps"])
        return self._issue(data["steps"][0], data, visit=visit)

    @rpc
    def get_ticket(self, ticket_id, access_token):
        if not isinstance(ticket_id, str) or not isinstance(access_token, str):
            raise NotFound(TICKET_NOT_FOUND)
        ticket = store.get_ticket(self.db, ticket_id)
        if ticket is None or not codes.token_matches(ticket.get("access_token"), access_token):
            raise NotFound(TICKET_NOT_FOUND)
        out = dict(public_ticket(ticket), **self._position(ticket))
        follow = self._follow_up_of(ticket)
        if follow is not None:
            out["next_ticket"] = public_ticket(follow)
        return out

    def _follow_up_of(self, ticket):
        """The ticket a transfer or the visit's next step created from ``ticket``."""
        if ticket["status"] == states.TRANSFERRED:
            return store.ticket_by_idempotency(
                self.db, ticket["transferred_to"],
                "transfer:{}:v{}".format(ticket["_id"], ticket["version"]))
        visit = ticket.get("visit")
        if ticket["status"] == states.COMPLETED and visit and visit["step"] + 1 < len(visit["steps"]):
            return store.ticket_by_idempotency(
                self.db, visit["steps"][visit["step"] + 1],
                "visit:{}:{}".format(visit["id"], visit["step"] + 1))
        return None

    @rpc
    def cancel_ticket(self, ticket_id, access_token):
        """The holder gives up their ticket (token required)."""
        data = sc.load(sc.TicketTokenSchema, {"ticket_id": ticket_id, "access_token": access_token})
        ticket = store.get_ticket(self.db, data["ticket_id"])
        if ticket is None or not codes.token_matches(ticket.get("access_token"), data["access_token"]):
            raise NotFound(TICKET_NOT_FOUND)
        ticket = self._transition(ticket, "cancel", self.clock.now())
        self.events("ticket_cancelled", self._ticket_event(ticket, None))
        return public_ticket(ticket)

    # -- queue views ------------------------------------------------------------------------

    @rpc
    def queue_status(self, service_id):
        data = sc.load(sc.AvailabilityQuerySchema(only=("service_id",)), {"service_id": service_id})
        service = self._service(data["service_id"])
        now = self.clock.now()
        day = self._day(now, self._tz())
        win = queue.windows(self.db, service["_id"], day)
        waiting = queue.waiting_estimate(win)
        est = self._estimate(service, waiting)
        serving = []
        now_serving = store.serving_all(self.db)
        for counter in self._counters():
            if service["_id"] in counter["services"]:
                current = now_serving.get(counter["_id"])
                if current and current.get("service_id") == service["_id"]:
                    serving.append({"number": current["number"], "counter_id": counter["_id"],
                                    "counter_name": counter["name"]})
        last = [{"number": c["number"], "counter_id": c["counter_id"],
                 "counter_name": c["counter_name"], "at": _iso(c["at"])}
                for c in store.recent_calls(self.db, day, 30)
                if c["service_id"] == service["_id"]][:5]
        return {"service_id": service["_id"], "waiting": waiting, "serving": serving,
                "last_called": last, "eta_min_minutes": est["eta_min_minutes"],
                "eta_max_minutes": est["eta_max_minutes"],
                "counters_open": self._counters_open(service["_id"], fresh=True)}

    def _waiting(self, service_id, day):
        """About how many wait for ``service_id`` on ``day`` (one read: the lanes' hints)."""
        return queue.waiting_estimate(queue.windows(self.db, service_id, day))

    def domain_metrics(self):
        day = self._day(self.clock.now(), self._tz())
        waiting = {(svc["_id"], svc["agency"]): self._waiting(svc["_id"], day)
                   for svc in store.list_services(self.db)}
        counters = {}
        all_counters = self._counters()
        live = store.counter_states(self.db, [c["_id"] for c in all_counters])
        for counter in all_counters:
            status = live[counter["_id"]].get("status") or "closed"
            key = (counter["agency"], status)
            counters[key] = counters.get(key, 0) + 1
        return gauges_text({
            ("mpp_queue_waiting", "Tickets waiting today, per service", ("service", "agency")):
                waiting,
            ("mpp_counters", "Counters by status, per agency", ("agency", "status")): counters})

    @rpc
    def board(self, agency=None):
        return self._boards([self._audience(agency)])[0][1]

    @rpc
    def boards(self, agencies):
        """``[[agency, snapshot], ...]`` for several audiences at once (``None``: the whole
        MPP), as the gateway's live boards want them: each counter, queue and the recent calls
        are read once for all of them."""
        if not isinstance(agencies, list) or len(agencies) > 500:
            raise ValidationFailed("Data tidak valid / Invalid data",
                                   {"fields": {"agencies": ["A list of agency codes."]}})
        return self._boards([self._audience(a) for a in agencies])

    @staticmethod
    def _audience(agency):
        if agency is None:
            return None
        return sc.load(sc.DayQuerySchema(only=("agency",)), {"agency": agency})["agency"]

    def _boards(self, audiences):
        day = self._day(self.clock.now(), self._tz())
        everyone = None in audiences
        counters = [c for c in self._counters() if everyone or c["agency"] in audiences]
        rows = {}
        live = store.counter_states(self.db, [c["_id"] for c in counters])
        now_serving = store.serving_all(self.db)
        for counter in counters:
            state = live[counter["_id"]]
            current = now_serving.get(counter["_id"])
            rows[counter["_id"]] = {"id": counter["_id"], "name": counter["name"],
                                    "agency": counter["agency"], "status": state.get("status"),
                                    "now_serving": current["number"] if current else None}
        recent = store.recent_calls(self.db, day, 30)
        waiting = {}

        def waiting_of(service_id):
            if service_id not in waiting:
                waiting[service_id] = self._waiting(service_id, day)
            return waiting[service_id]

        out = []
        for agency in audiences:
            mine = [c for c in counters if agency in (None, c["agency"])]
            service_ids = sorted({sid for c in mine for sid in c["services"]})
            last = [{"number": c["number"], "counter_name": c["counter_name"],
                     "counter_id": c["counter_id"], "at": _iso(c["at"])}
                    for c in recent if agency in (None, c.get("agency"))][:10]
            out.append([agency, {"counters": [rows[c["_id"]] for c in mine],
                                 "last_called": last,
                                 "waiting": {sid: waiting_of(sid) for sid in service_ids}}])
        return out

    # -- counters ---------------------------------------------------------------------------

    @rpc
    def open_counter(self, counter_id, officer):
        data = sc.load(sc.OpenCounterSchema, {"counter_id": counter_id, "officer": officer})
        counter = self._live_counter(data["counter_id"])
        state = store.counter_state(self.db, counter["_id"])
        changes = states.open_counter(counter, data["officer"], self.clock.now())
        if changes:
            if not store.change_counter_state(self.db, state, changes, self.clock.now(), "open"):
                raise Conflict("Loket baru saja diubah / The counter was just changed",
                               {"counter_id": counter["_id"]})
            self.cache.clear()
            self.events("counter_opened", {"counter_id": counter["_id"], "agency": counter["agency"],
                                           "counter_name": counter["name"],
                                           "services": counter["services"]})
        return self._public_counter(counter)

    @rpc
    def close_counter(self, counter_id, officer):
        data = sc.load(sc.OpenCounterSchema, {"counter_id": counter_id, "officer": officer})
        counter = self._at_counter(data["counter_id"], data["officer"])
        state = store.counter_state(self.db, counter["_id"])
        changes = states.close_counter(counter, self.clock.now())
        if not store.change_counter_state(self.db, state, changes, self.clock.now(), "close"):
            raise Conflict("Loket baru saja diubah / The counter was just changed",
                           {"counter_id": counter["_id"]})
        store.set_serving(self.db, counter["_id"], None)
        self.cache.clear()
        self.events("counter_closed", {"counter_id": counter["_id"], "agency": counter["agency"],
                                       "counter_name": counter["name"]})
        return self._public_counter(counter)

    @rpc
    def call_next(self, counter_id, officer):
        data = sc.load(sc.OpenCounterSchema, {"counter_id": counter_id, "officer": officer})
        counter = self._at_counter(data["counter_id"], data["officer"])
        rules = self._rules()
        rule = rules["calling_rule"]
        now = self.clock.now()
        day = self._day(now, self._tz(rules))
        service_ids = sorted(counter["services"])
        # This process's workers take turns per service (in a fixed order: no deadlock), so
        # they do not lose claims to each other; other processes race and the claim decides.
        with ExitStack() as stack:
            for sid in service_ids:
                stack.enter_context(self._call_locks[(self.db.name, sid)])
            for _ in range(MAX_CALL_ATTEMPTS):
                candidates = []
                passed = {}
                for sid in service_ids:
                    passed[sid] = store.passed_over(self.db, sid, day)
                    for lane in queue.LANES:
                        found = queue.head_candidate(self.db, sid, day, lane, now)
                        if found:
                            n, ticket = found
                            candidates.append(dict(
                                ticket, passed_over=0 if lane == queue.PRIORITY else passed[sid],
                                _at=(lane, n)))
                if not candidates:
                    raise NotFound(NOBODY_WAITING, {"counter_id": counter["_id"]})
                first = calling.order_candidates(candidates, rule)[0]
                changes = states.apply_action(first, "call", now, counter_id=counter["_id"],
                                              officer=data["officer"])
                if not store.claim_transition(self.db, first, changes, "call", now,
                                              counter_id=counter["_id"], officer=data["officer"]):
                    continue  # another counter took it: look again
                first.pop("passed_over", None)
                lane, n = first.pop("_at")
                ticket = dict(first, **changes)
                queue.advance_head(self.db, ticket["service_id"], day, lane, n + 1)
                self._count_passed_over(ticket, candidates, passed, rule, day)
                break
            else:
                raise Conflict("Antrean sedang sibuk, coba lagi / The queue is busy, try again",
                               {"counter_id": counter["_id"]})
        return self._announce_call(ticket, counter, now, rules)

    def _count_passed_over(self, called, candidates, passed, rule, day):
        sid = called["service_id"]
        if not calling.is_priority(called, rule):
            if passed[sid]:
                store.set_passed_over(self.db, sid, day, 0)
            return
        if any(c["service_id"] == sid and not calling.is_priority(c, rule)
               and c["arrived_at"] < called["arrived_at"] for c in candidates):
            store.set_passed_over(self.db, sid, day, passed[sid] + 1)

    def _announce_call(self, ticket, counter, now, rules, **extra):
        call_seq = self._log_call(ticket, counter, now)
        store.set_serving(self.db, counter["_id"], {
            "ticket_id": ticket["_id"], "number": ticket["number"],
            "service_id": ticket["service_id"], "at": now})
        self.events("ticket_called", dict(self._called_payload(ticket, counter, call_seq), **extra))
        self._near_front(ticket["service_id"], ticket["day"], rules)
        return dict(public_ticket(ticket), counter_name=counter["name"], call_seq=call_seq)

    def _near_front(self, service_id, day, rules):
        """Emit ``ticket_near_front`` once per ticket (claim ``near:<ticket_id>``) for the
        entries within ``near_front_position`` of the front; a per-lane hint remembers how far
        it has looked, so a call reads one or two entries, not the lane."""
        threshold = rules.get("near_front_position")
        if not threshold:
            return
        win = queue.windows(self.db, service_id, day, self.sequences, self.numbers)
        for lane in queue.LANES:
            head_n, tail_n = win[lane]
            before = queue.ahead_before_lane(win, lane)
            last = min(tail_n, head_n + threshold - before)
            hint_key = "near:" + queue.lane_prefix(service_id, day, lane)
            seen = self.db.sequences.find_one({"_id": hint_key})
            start = max(head_n, (seen["last"] + 1) if seen else head_n)
            for n in range(start, last + 1):
                ticket = queue.entry_at(self.db, service_id, day, lane, n)
                ahead = n - head_n + before
                if (ticket is not None and eta.near_front_due(ticket, ahead, threshold)
                        and store.claim(self.db, "near:" + ticket["_id"], day=day)):
                    self.events("ticket_near_front", {
                        "ticket_id": ticket["_id"], "number": ticket["number"],
                        "service_id": service_id, "agency": ticket["agency"],
                        "people_ahead": ahead})
            if last >= start:
                queue.raise_hint(self.db, hint_key, last)

    @rpc
    def call_ticket(self, counter_id, ticket_id, officer, reason):
        """A staff override: call this ticket rather than the rule's next, recorded with who
        and why (the transition claim carries the record)."""
        data = sc.load(sc.OverrideCallSchema, {"counter_id": counter_id, "ticket_id": ticket_id,
                                                 "officer": officer, "reason": reason})
        counter = self._at_counter(data["counter_id"], data["officer"])
        ticket = self._ticket(data["ticket_id"])
        now = self.clock.now()
        rules = self._rules()
        record = calling.override_record(ticket, counter, data["officer"], data["reason"], now)
        record = {k: v for k, v in record.items() if k not in ("ticket_id", "counter_id", "officer")}
        ticket = self._transition(ticket, "call", now, counter_id=counter["_id"],
                                  officer=data["officer"], record={"override": record})
        return self._announce_call(ticket, counter, now, rules, override=True)

    def _counter_action(self, schema, payload):
        data = sc.load(schema, payload)
        counter = self._at_counter(data["counter_id"], data["officer"])
        ticket = self._ticket(data["ticket_id"])
        return data, counter, ticket

    @rpc
    def recall(self, ticket_id, counter_id, officer):
        data, counter, ticket = self._counter_action(sc.OfficerActionSchema, {
            "ticket_id": ticket_id, "counter_id": counter_id, "officer": officer})
        now = self.clock.now()
        ticket = self._transition(ticket, "recall", now, counter_id=counter["_id"],
                                  officer=data["officer"])
        call_seq = self._log_call(ticket, counter, now)
        self.events("ticket_recalled", self._called_payload(ticket, counter, call_seq))
        return dict(public_ticket(ticket), counter_name=counter["name"], call_seq=call_seq)

    @rpc
    def skip(self, ticket_id, counter_id, officer, return_to_queue=False):
        data, counter, ticket = self._counter_action(sc.OfficerSkipSchema, {
            "ticket_id": ticket_id, "counter_id": counter_id, "officer": officer,
            "return_to_queue": return_to_queue})
        now = self.clock.now()
        ticket = self._transition(ticket, "skip", now, counter_id=counter["_id"],
                                  officer=data["officer"])
        store.set_serving(self.db, counter["_id"], None)
        if data["return_to_queue"]:
            ticket = self._requeue(ticket, now)
        self.events("ticket_skipped", self._ticket_event(
            ticket, counter, returned_to_queue=data["return_to_queue"]))
        return public_ticket(ticket)

    def _requeue(self, ticket, now):
        """Back into the queue in the *returned* lane (or priority), keeping ``arrived_at``:
        a transition that bumps the queue generation ``q``, then a new entry."""
        rules = self._rules()
        lane = queue.lane_for(calling.is_priority(ticket, rules["calling_rule"]), True)
        changes = states.apply_action(ticket, "requeue", now)
        changes.update(lane=lane, q=ticket.get("q", 0) + 1)
        if not store.claim_transition(self.db, ticket, changes, "requeue", now):
            return ticket
        ticket = dict(ticket, **changes)
        win = queue.windows(self.db, ticket["service_id"], ticket["day"], self.sequences)
        queue.claim_entry(self.sequences, self.db, ticket, lane, now,
                          lambda n: queue.ahead_of(win, lane, n))
        return ticket

    @rpc
    def start(self, ticket_id, counter_id, officer):
        data, counter, ticket = self._counter_action(sc.OfficerActionSchema, {
            "ticket_id": ticket_id, "counter_id": counter_id, "officer": officer})
        ticket = self._transition(ticket, "start", self.clock.now(), counter_id=counter["_id"],
                                  officer=data["officer"])
        self.events("ticket_service_started", self._ticket_event(ticket, counter))
        return public_ticket(ticket)

    @rpc
    def complete(self, ticket_id, counter_id, officer):
        data, counter, ticket = self._counter_action(sc.OfficerActionSchema, {
            "ticket_id": ticket_id, "counter_id": counter_id, "officer": officer})
        now = self.clock.now()
        ticket = self._transition(ticket, "complete", now, counter_id=counter["_id"],
                                  officer=data["officer"])
        store.add_duration(self.db, ticket["service_id"], ticket.get("service_seconds"))
        store.set_serving(self.db, counter["_id"], None)
        self.events("ticket_completed", self._ticket_event(
            ticket, counter, service_seconds=ticket.get("service_seconds")))
        out = public_ticket(ticket)
        follow = followups.next_step_ticket(ticket, now, self._tz())
        if follow is not None:
            nxt = self._follow(follow)
            out["next_ticket"] = public_ticket(nxt)
        return out

    def _follow(self, fields):
        """Create the ticket of a transfer or a visit's next step (idempotent by its key)."""
        service = self._service(fields["service_id"], field="target_service_id")
        key = fields.pop("idempotency_key")
        source = fields.get("transferred_from") or fields.get("previous_ticket_id")
        fields["contact"] = store.contact_of(self.db, source) if source else None
        ticket, created, _ = self._enqueue(service, fields, key, self._rules(), returned=True)
        if created:
            self._emit_issued(ticket)
        return ticket

    @rpc
    def transfer(self, ticket_id, counter_id, officer, target_service_id, reason=None):
        data, counter, ticket = self._counter_action(sc.OfficerTransferSchema, {
            "ticket_id": ticket_id, "counter_id": counter_id, "officer": officer,
            "target_service_id": target_service_id, "reason": reason})
        self._service(data["target_service_id"], field="target_service_id")
        if ticket.get("counter_id") not in (None, counter["_id"]) and ticket["status"] != "waiting":
            raise states.IllegalTransition(
                "Tiket ini dipanggil di loket lain / This ticket was called at another counter",
                {"counter_id": ticket.get("counter_id")})
        now = self.clock.now()
        follow = followups.transferred_ticket(ticket, data["target_service_id"], now, self._tz())
        ticket = self._transition(ticket, "transfer", now, counter_id=None,
                                  officer=data["officer"],
                                  target_service_id=data["target_service_id"],
                                  reason=data["reason"])
        if ticket.get("counter_id") == counter["_id"]:
            store.set_serving(self.db, counter["_id"], None)
        new = self._follow(follow)
        self.events("ticket_transferred", self._ticket_event(
            ticket, counter, to_service_id=new["service_id"], new_ticket_id=new["_id"],
            new_number=new["number"]))
        return dict(public_ticket(ticket), next_ticket=public_ticket(new))

    # -- bookings ---------------------------------------------------------------------------

    def _salt(self):
        return self.config.get("MPP_NIK_SALT") or DEV_NIK_SALT

    @rpc
    def availability(self, service_id, date):
        data = sc.load(sc.AvailabilityQuerySchema, {"service_id": service_id, "date": date})
        service = self._service(data["service_id"])
        tz = self._tz()
        day = data["date"].isoformat()
        slots = bookings.availability(service, day, store.booked_counts(self.db, service, day, tz),
                                      self.clock.now(), tz)
        return {"service_id": service["_id"], "date": day, "slots": [
            {"start": _iso(s["start"]), "end": _iso(s["end"]), "local": s["local"],
             "capacity": s["capacity"], "booked": s["booked"], "free": s["free"],
             "bookable": s["bookable"]} for s in slots]}

    @rpc
    def book(self, service_id, date, slot_start, name, phone, nik=None, language="id",
             idempotency_key=None):
        data = sc.load(sc.BookingSchema, {
            "service_id": service_id, "date": date, "slot_start": slot_start, "name": name,
            "phone": phone, "nik": nik, "language": language, "idempotency_key": idempotency_key})
        service = self._service(data["service_id"])
        tz = self._tz()
        now = self.clock.now()
        day = data["date"].isoformat()
        idem = None
        if data["idempotency_key"]:
            idem = "bookidem:" + store.idem_hash(service["_id"], data["idempotency_key"])
            if not store.claim(self.db, idem, code=None, day=day):
                previous = store.get_claim(self.db, idem)
                booking = store.get_booking(self.db, previous.get("code") or "")
                if booking is None:
                    raise Conflict("Permintaan yang sama sedang diproses / The same request is "
                                   "in progress", {})
                return self._public_booking(booking)
        taken = []
        try:
            slot = bookings.slot_at(service, day, data["slot_start"], tz)
            seats = store.seats_taken(self.db, service["_id"], slot["start"], slot["capacity"])
            bookings.check_bookable(service, day, data["slot_start"], now, seats, tz)
            nik_key = None
            if data["nik"]:
                nik_key = bookings.anti_calo_key(service["_id"], day, data["nik"], self._salt())
                if not store.claim(self.db, "calo:" + nik_key, day=day):
                    raise Conflict("NIK ini sudah punya booking untuk layanan ini pada hari itu / "
                                   "This NIK already has a booking for this service that day",
                                   {"reason": "one_booking_per_nik"})
                taken.append("calo:" + nik_key)
            seat = None
            for key in bookings.slot_claim_keys(service["_id"], slot["start"], slot["capacity"]):
                if store.claim(self.db, key, day=day):
                    seat = key
                    taken.append(key)
                    break
            if seat is None:
                raise Conflict("Slot penuh / The slot is full",
                               {"slot_start": data["slot_start"], "date": day})
            for _ in range(20):
                booking = bookings.new_booking(service, day, slot, data["name"], data["phone"],
                                               codes.booking_code(), now, data["language"],
                                               data["nik"], self._salt())
                booking["seat"] = seat
                if store.insert_unique_doc(self.db.bookings, booking):
                    break
            else:
                raise Conflict("Coba lagi / Please try again", {})
            self.db.claims.update_one({"_id": seat}, {"$set": {"code": booking["code"]}})
        except Exception:
            for key in taken:
                store.release(self.db, key)
            if idem:
                store.release(self.db, idem)
            raise
        if idem:
            self.db.claims.update_one({"_id": idem}, {"$set": {"code": booking["code"]}})
        self.events("booking_created", {
            "booking_code": booking["code"], "service_id": service["_id"],
            "service_name": service["name"], "agency": service["agency"],
            "slot_start": _iso(booking["slot_start"]), "slot_local": booking["slot_local"],
            "date": day, "contact": {"phone": booking["phone"]}, "language": booking["language"]})
        return self._public_booking(booking)

    def _public_booking(self, booking):
        return {"code": booking["code"], "service_id": booking["service_id"],
                "date": booking["day"], "slot_start": _iso(booking["slot_start"]),
                "slot_end": _iso(booking["slot_end"]), "slot_local": booking.get("slot_local"),
                "status": booking["status"], "ticket_id": booking.get("ticket_id")}

    def _booking_transition(self, booking, action, now, extra=None):
        changes = bookings.booking_transition(booking, action, now)
        if not store.insert_unique_doc(self.db.transitions, {
                "_id": "booking:{}:v{}".format(booking["_id"], changes["version"]),
                "action": action, "at": now, "day": booking["day"]}):
            raise Conflict("Booking baru saja diubah / The booking was just changed", {})
        changes.update(extra or {})
        self.db.bookings.update_one({"_id": booking["_id"]}, {"$set": changes})
        return dict(booking, **changes)

    def _release_booking_claims(self, booking):
        if booking.get("seat"):
            store.release(self.db, booking["seat"])
        if booking.get("nik_key"):
            store.release(self.db, "calo:" + booking["nik_key"])

    @rpc
    def cancel_booking(self, code, phone):
        data = sc.load(sc.CancelBookingSchema, {"code": code, "phone": phone})
        booking = store.get_booking(self.db, data["code"])
        if booking is None or booking.get("phone") != data["phone"]:
            raise NotFound("Booking tidak ditemukan / Booking not found")
        booking = self._booking_transition(booking, "cancel", self.clock.now())
        self._release_booking_claims(booking)
        self.events("booking_cancelled", {
            "booking_code": booking["code"], "service_id": booking["service_id"],
            "slot_start": _iso(booking["slot_start"]), "language": booking.get("language", "id")})
        return self._public_booking(booking)

    @rpc
    def check_in(self, code):
        data = sc.load(sc.BookingCodeSchema, {"code": code})
        booking = store.get_booking(self.db, data["code"])
        if booking is None:
            raise NotFound("Booking tidak ditemukan / Booking not found")
        service = self._service(booking["service_id"])
        now = self.clock.now()
        tz = self._tz()
        decision = bookings.check_in_decision(booking, service, now, tz)
        if not decision.allowed:
            raise decision.to_error()
        fields = {"day": self._day(now, tz), "priority_group": "appointment",
                  "language": booking.get("language", "id"),
                  "contact": {"phone": booking.get("phone"), "email": None},
                  "issued_at": now, "arrived_at": now, "access_token": codes.access_token(),
                  "booking_code": booking["code"]}
        ticket, created, win = self._enqueue(service, fields, "checkin:" + booking["code"],
                                             self._rules())
        self._announce_issued(ticket, created)
        if booking["status"] == bookings.BOOKED:
            try:
                self._booking_transition(booking, "check_in", now, {"ticket_id": ticket["_id"]})
            except Conflict:
                pass  # a concurrent check-in of the same code: same ticket (idempotent)
        return dict(public_ticket(ticket), access_token=ticket["access_token"],
                    **self._position(ticket, service, win))

    # -- statistics and close-out -----------------------------------------------------------

    def _day_arg(self, day, agency=None):
        data = sc.load(sc.DayQuerySchema, {"day": day, "agency": agency})
        return data["day"].isoformat() if data["day"] else None, data["agency"]

    @rpc
    def day_statistics(self, day=None, agency=None):
        day, agency = self._day_arg(day, agency)
        tz = self._tz()
        day = day or self._day(self.clock.now(), tz)
        result = stats.day_statistics(store.tickets_of_day(self.db, day, agency), tz)
        return dict(_jsonable(result), day=day, agency=agency)

    @rpc
    def close_day(self, day=None):
        """Close out a day (default: yesterday, local): open tickets become ``not_served``,
        bookings ``missed``, personal data (contacts, names, phones, NIK keys) removed, the
        day's seat and anti-calo claims deleted. Safe to run twice."""
        day, _ = self._day_arg(day)
        now = self.clock.now()
        tz = self._tz()
        if day is None:
            day = (date.fromisoformat(self._day(now, tz)) - timedelta(days=1)).isoformat()
        closed = 0
        for item in closeout.ticket_close_out(store.tickets_of_day(self.db, day), day, now):
            ticket = store.current_ticket(self.db, item["_id"])
            if ticket["status"] not in states.OPEN_STATUSES:
                continue
            changes = states.apply_action(ticket, "close_out", now)
            if store.claim_transition(self.db, ticket, changes, "close_out", now):
                closed += 1
        # contacts live apart from the insert-only tickets: the day's are deleted at once
        self.db.contacts.delete_many({"day": {"$lte": day}})
        missed = 0
        for item in closeout.booking_close_out(store.bookings_of_day(self.db, day), day, now):
            update = {}
            if item["set"]:
                update["$set"] = item["set"]
                missed += 1
            if item["unset"]:
                update["$unset"] = {f: "" for f in item["unset"]}
            self.db.bookings.update_one({"_id": item["_id"]}, update)
        self.db.claims.delete_many({"day": day})
        store.replace(self.db.closed_days, {"_id": day, "at": now})
        return {"day": day, "tickets_not_served": closed, "bookings_missed": missed}

    @timer(interval=3600)
    def close_past_days(self):
        today = self._day(self.clock.now(), self._tz())
        for day in store.open_days_before(self.db, today):
            log.info("closing out a past day", extra={"entity": day})
            self.close_day(day)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
