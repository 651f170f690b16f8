"""Issuing tickets: walk-ins, visits (several services in a row), the tickets a transfer or a
visit's next step creates, and what a ticket holder sees and may do (position, cancel).

Every create is idempotent by its key: a retry gets the same ticket, announced again with
the same event ids (the first attempt may have written the ticket and lost the broker). Every
state change goes through ``states.apply_action`` and a transition claim
(``store.claim_transition``: the insert decides races on MongoDB and FerretDB alike).

Every function takes ``ctx``: the service worker (``db``, ``events``, ``config``, ``clock``,
``tails``, ``cache``).
"""
import uuid

from services.common.config import ignore_opening_hours
from services.common.errors import Conflict, NotFound, ValidationFailed
from services.contracts import events as ev
from services.contracts.messages import INVALID_DATA
from services.ticketing import (bookings, calling, catalogue_reads, codes, eta, followups, hours,
                                near_front, numbering, queue, states, store, views)
from services.ticketing import schemas as sc

TICKET_NOT_FOUND = "Tiket tidak ditemukan / Ticket not found"


def ticket(ctx, ticket_id):
    found = store.get_ticket(ctx.db, ticket_id)
    if found is None:
        raise NotFound(TICKET_NOT_FOUND, {"ticket_id": ticket_id})
    return found


def transition(ctx, current, action, now, **kwargs):
    """Check, claim and write one state change; returns the ticket as written. A waiting
    ticket leaving its lane this way (cancelled, called by name, transferred) notes its
    entry's departure first (``store``: *departures*)."""
    record = kwargs.pop("record", {})
    changes = states.apply_action(current, action, now, **kwargs)
    if current["status"] == states.WAITING:
        store.note_leaving(ctx.db, ctx.tails, current)
    if not store.claim_transition(ctx.db, current, changes, action, now,
                                  counter_id=kwargs.get("counter_id"),
                                  officer=kwargs.get("officer"), **record):
        raise Conflict("Tiket baru saja diubah petugas lain; muat ulang / The ticket was "
                       "just changed by someone else; reload", {"ticket_id": current["_id"]})
    return dict(current, **changes)


# -- position ------------------------------------------------------------------------------

def estimate(ctx, service, ahead):
    return eta.estimate(ahead, catalogue_reads.durations(ctx, service["_id"]),
                        catalogue_reads.counters_open(ctx, service["_id"]),
                        service.get("default_service_minutes", 10))


NO_POSITION = {"position": None, "ahead": None, "eta_min_minutes": None,
               "eta_max_minutes": None}


def priority_limit(ctx, service, rules=None):
    """The service's fairness limit (``calling.priority_limit``)."""
    rules = rules or catalogue_reads.rules(ctx)
    return calling.priority_limit(service, rules["calling_rule"])


def ahead(ctx, current, service=None, now=None):
    """How many tickets call-next will call before the waiting ticket ``current`` if
    nothing else arrives, or None when it is not waiting in a lane."""
    if current["status"] != states.WAITING or not current.get("lane"):
        return None
    where = store.position_of(ctx.db, current)
    if where is None:  # between the ticket's insert and its entry's: a moment
        return None
    service = service or catalogue_reads.service(ctx, current["service_id"])
    lanes, streak = store.queue_for_ahead(ctx.db, current["service_id"], current["day"])
    lane, n = where
    return store.ahead_of(ctx.db, lanes, streak, priority_limit(ctx, service), lane, n,
                          current)


def position(ctx, current, service=None, count=None):
    """``{position, ahead, eta_min_minutes, eta_max_minutes, basis}`` of a waiting ticket
    (``count``: its ``ahead`` when the caller has just computed it)."""
    service = service or catalogue_reads.service(ctx, current["service_id"])
    if count is None:
        count = ahead(ctx, current, service)
    if count is None:
        return dict(NO_POSITION)
    est = estimate(ctx, service, count)
    return {key: est[key] for key in ("position", "ahead", "eta_min_minutes",
                                      "eta_max_minutes", "basis")}


# -- creating and announcing -----------------------------------------------------------------

def refusal(ctx, service, decision, now, tz):
    """The 409 of a refused walk-in, offering the next open booking slot."""
    slot = bookings.next_free_slot(
        service, now, lambda day: store.booked_counts(ctx.db, service, day), tz,
        catalogue_reads.calendar(ctx, tz))
    return decision.to_error(slot)


def walk_in_decision(ctx, service, now, tz, issued_today=0):
    """Opening hours, the MPP calendar's closed days and the quota (``hours``)."""
    return hours.check_walk_in(service, now, issued_today, tz,
                               ignore_opening_hours=ignore_opening_hours(ctx.config),
                               closed_dates=catalogue_reads.calendar(ctx, tz))


def check_walk_in(ctx, service, now, tz):
    decision = walk_in_decision(ctx, service, now, tz)
    if not decision.allowed:
        raise refusal(ctx, service, decision, now, tz)


def enqueue(ctx, service, fields, idempotency_key, rules, quota=None, returned=False,
            key_unused=False):
    """Create a waiting ticket: insert the numbered ticket, then its lane entry and
    position (inserts only). Returns ``(ticket, created)``; a new ticket carries
    ``issued_ahead`` (how many will be called before it) for its announcement; when that is
    already within the near-front position, the near-front notice is claimed at once (the
    holder knows). ``quota``: a walk-in is within the day's walk-in quota
    (``store.take_walk_in_place``; ``store.QuotaReached`` when it is not). ``key_unused``: the caller has just looked the
    idempotency key up and found no ticket (no second read)."""
    if not key_unused:
        existing = store.ticket_by_idempotency(ctx.db, service["_id"], idempotency_key)
        if existing is not None:
            return existing, False
    service_id, day, now = service["_id"], fields["day"], fields["issued_at"]
    lane = queue.lane_for(calling.is_priority(fields, rules["calling_rule"]), returned)
    contact = fields.pop("contact", None)
    new = dict(fields, service_id=service_id, agency=service["agency"], status="waiting",
               version=0, q=0, lane=lane, idem=store.idem_hash(service_id, idempotency_key),
               by=ctx.issuer.id)
    new.pop("idempotency_key", None)
    if quota is not None:
        new["quota"] = True          # a walk-in: counted by the quota
    ctx.issuer.inserting(ctx, new["idem"], now)   # owed until announced (``outbox``)
    try:
        try:   # a number within the quota needs no place of it
            doc, created = store.insert_ticket(ctx.db, ctx.tails, new, service["prefix"],
                                               limit=quota)
        except store.QuotaReached:
            store.take_walk_in_place(ctx.db, ctx.tails, service_id, day, quota, new["idem"])
            doc, created = store.insert_ticket(ctx.db, ctx.tails, new, service["prefix"])
    except BaseException:
        ctx.issuer.settled(new["idem"])
        raise
    if not created:
        ctx.issuer.settled(new["idem"])
        return store.current_ticket(ctx.db, doc["_id"]), False
    store.put_contact(ctx.db, doc["_id"], contact, day)
    if lane != queue.NEW:   # a walk-in is its own lane entry: one insert
        store.claim_entry(ctx.db, ctx.tails, doc, lane, now)
    issued = dict(doc, contact=contact)
    issued["issued_ahead"] = ahead(ctx, issued, service)
    near = rules.get("near_front_position")
    if near and issued["issued_ahead"] is not None and issued["issued_ahead"] <= near:
        store.claim(ctx.db, near_front.claim_key(doc["_id"]), day=day)
    return issued, True


def emit_issued(ctx, issued, contact=None):
    try:
        service = catalogue_reads.service(ctx, issued["service_id"])  # cached: no read per ticket
    except NotFound:
        service = {}
    event = views.issued_event(issued, service)
    contact = contact or issued.get("contact")
    try:
        ctx.events(ev.TICKET_ISSUED, event)
        if contact:
            # Only this event carries the contact: notifications keeps it as the ticket's
            # recipient; every later ticket event names the ticket alone.
            ctx.events(ev.TICKET_CONTACT_GIVEN, dict(
                event, event_id=views.contact_event_id(issued["_id"]), contact=contact))
    except Exception:
        # the broker is lost: the outbox announces the ticket once it is back, whether or
        # not the client retries (``outbox``)
        if issued.get("idem"):
            store.owe_announcement(ctx.db, issued["idem"], issued["service_id"],
                                   ctx.clock.now())
        raise
    finally:
        if issued.get("idem"):
            ctx.issuer.settled(issued["idem"])


def announce_issued(ctx, issued, created, contact=None):
    """``ticket_issued`` for a new ticket, and again for a retried create: the first
    attempt may have written the ticket and lost the broker (or died) before announcing
    it. The event id is the ticket's, so a consumer that had it skips the repeat."""
    if created:
        emit_issued(ctx, issued)
    else:
        if issued.get("issued_ahead") is None:   # how many are ahead now
            issued = dict(issued, issued_ahead=ahead(ctx, issued))
        emit_issued(ctx, issued, contact or store.contact_of(ctx.db, issued["_id"]))
        store.announcement_paid(ctx.db, issued["idem"])   # if a broker loss left it owed


def follow(ctx, fields):
    """Create the ticket of a transfer or a visit's next step (idempotent by its key)."""
    service = catalogue_reads.service(ctx, fields["service_id"], field="target_service_id")
    key = fields.pop("idempotency_key")
    source = fields.get("transferred_from") or fields.get("previous_ticket_id")
    fields["contact"] = store.contact_of(ctx.db, source) if source else None
    created_ticket, created = enqueue(ctx, service, fields, key, catalogue_reads.rules(ctx),
                                      returned=True)
    if created:
        emit_issued(ctx, created_ticket)
    return created_ticket


# -- walk-in tickets and visits -----------------------------------------------------------------

def issue_ticket(ctx, service_id, priority_group, contact, language, idempotency_key):
    data = sc.load(sc.IssueTicketSchema, {
        "service_id": service_id, "priority_group": priority_group, "contact": contact,
        "language": language, "idempotency_key": idempotency_key})
    return _issue(ctx, data["service_id"], data)


def issue_visit(ctx, steps, priority_group, contact, language, idempotency_key):
    data = sc.load(sc.IssueVisitSchema, {
        "steps": steps, "priority_group": priority_group, "contact": contact,
        "language": language, "idempotency_key": idempotency_key})
    for i, step in enumerate(data["steps"]):
        try:
            catalogue_reads.offered_service(ctx, step, field="steps")
        except NotFound:
            raise ValidationFailed(INVALID_DATA, {"fields": {"steps": {
                str(i): ["Unknown service."]}}}) from None
    visit_id = ("v" + store.idem_hash("visit", data["idempotency_key"])[2:26]
                if data["idempotency_key"] else uuid.uuid4().hex)
    visit = followups.new_visit(visit_id, data["steps"])
    return _issue(ctx, data["steps"][0], data, visit=visit)


def _issue(ctx, service_id, data, visit=None):
    service = catalogue_reads.offered_service(ctx, service_id)
    rules = catalogue_reads.rules(ctx)
    tz = catalogue_reads.tz(ctx, rules)
    now = ctx.clock.now()
    issued = store.ticket_by_idempotency(ctx.db, service_id, data["idempotency_key"])
    if issued is not None:  # a retry: the same ticket, announced again
        created = False
    else:
        check_walk_in(ctx, service, now, tz)
        fields = {"day": numbering.service_day(now, tz), "priority_group": data["priority_group"],
                  "language": data["language"], "contact": data["contact"],
                  "issued_at": now, "arrived_at": now, "access_token": codes.access_token()}
        if visit is not None:
            fields["visit"] = visit
        try:
            issued, created = enqueue(
                ctx, service, fields, data["idempotency_key"], rules,
                quota=service.get("daily_quota"), key_unused=True)
        except store.QuotaReached:
            decision = walk_in_decision(ctx, service, now, tz, service["daily_quota"])
            raise refusal(ctx, service, decision, now, tz) from None
    announce_issued(ctx, issued, created, data["contact"])
    return dict(views.public_ticket(issued), access_token=issued["access_token"],
                **position(ctx, issued, service, issued.get("issued_ahead")))


# -- the holder's view -----------------------------------------------------------------------

def _held(ctx, ticket_id, access_token):
    """The ticket when ``access_token`` is its holder's, else NotFound (no hint why)."""
    found = store.get_ticket(ctx.db, ticket_id)
    if found is None or not codes.token_matches(found.get("access_token"), access_token):
        raise NotFound(TICKET_NOT_FOUND)
    return found


def get_ticket(ctx, ticket_id, access_token):
    if not isinstance(ticket_id, str) or not isinstance(access_token, str):
        raise NotFound(TICKET_NOT_FOUND)
    return get_ticket_view(ctx, _held(ctx, ticket_id, access_token))


def get_ticket_view(ctx, held):
    """What the holder sees of a ticket: its public view, position and follow-up."""
    out = dict(views.public_ticket(held), **position(ctx, held))
    follow_up = _follow_up_of(ctx, held)
    if follow_up is not None:
        out["next_ticket"] = views.public_ticket(follow_up)
    return out


def _follow_up_of(ctx, current):
    """The ticket a transfer or the visit's next step created from ``current``."""
    if current["status"] == states.TRANSFERRED:
        return store.ticket_by_idempotency(
            ctx.db, current["transferred_to"],
            "transfer:{}:v{}".format(current["_id"], current["version"]))
    visit = current.get("visit")
    if (current["status"] == states.COMPLETED and visit
            and visit["step"] + 1 < len(visit["steps"])):
        return store.ticket_by_idempotency(
            ctx.db, visit["steps"][visit["step"] + 1],
            "visit:{}:{}".format(visit["id"], visit["step"] + 1))
    return None


def cancel_ticket(ctx, ticket_id, access_token):
    """The holder gives up their ticket (token required)."""
    data = sc.load(sc.TicketTokenSchema, {"ticket_id": ticket_id, "access_token": access_token})
    held = _held(ctx, data["ticket_id"], data["access_token"])
    cancelled = transition(ctx, held, "cancel", ctx.clock.now())
    ctx.events(ev.TICKET_CANCELLED, views.ticket_event(cancelled, None))
    return views.public_ticket(cancelled)
