"""Bookings as a citizen makes them: availability, book, cancel, check in (which issues the
ticket). The rules (slots, capacity, anti-calo key, states) are ``bookings``; this module
takes the claims that decide races and gives them back when a booking does not happen.

A booking takes up to three claims, each an insert against a unique ``_id``: the retried
request's key (``bookidem:``), the NIK's one booking per service and day (``calo:``) and a
seat of the slot (``bookings.slot_claim_keys``). Any failure after a claim releases every
claim taken so far, so a refused booking holds no seat.

Availability says exactly what booking accepts (``bookings.availability``: the horizon, the
MPP calendar's closed days, seats left), counted from one read of the day's seat claims.

Every function takes ``ctx``: the service worker (``db``, ``events``, ``config``, ``clock``,
``tails``, ``cache``, ``permits`` for the calendar).
"""
from datetime import datetime, time

from services.common import clock as clk
from services.common import settings
from services.common.errors import Conflict, NotFound
from services.contracts import events as ev
from services.ticketing import (bookings, catalogue_reads, codes, hours, issuing, numbering,
                                store, views)
from services.ticketing import schemas as sc

BOOKING_NOT_FOUND = "Booking tidak ditemukan / Booking not found"


def _salt(ctx):
    return settings.secret(ctx.config, "MPP_NIK_SALT")


def availability(ctx, service_id, date):
    data = sc.load(sc.AvailabilityQuerySchema, {"service_id": service_id, "date": date})
    service = catalogue_reads.service(ctx, data["service_id"])
    tz = catalogue_reads.tz(ctx)
    day = data["date"].isoformat()
    slots = bookings.availability(service, day, store.booked_counts(ctx.db, service, day),
                                  ctx.clock.now(), tz, catalogue_reads.calendar(ctx, tz))
    return {"service_id": service["_id"], "date": day, "slots": [
        {"start": views.iso(s["start"]), "end": views.iso(s["end"]), "local": s["local"],
         "capacity": s["capacity"], "booked": s["booked"], "free": s["free"],
         "bookable": s["bookable"]} for s in slots]}


def book(ctx, service_id, date, slot_start, name, phone, nik, language, idempotency_key):
    data = sc.load(sc.BookingSchema, {
        "service_id": service_id, "date": date, "slot_start": slot_start, "name": name,
        "phone": phone, "nik": nik, "language": language, "idempotency_key": idempotency_key})
    service = catalogue_reads.offered_service(ctx, data["service_id"])
    tz = catalogue_reads.tz(ctx)
    now = ctx.clock.now()
    day = data["date"].isoformat()
    idem = None
    if data["idempotency_key"]:
        idem = "bookidem:" + store.idem_hash(service["_id"], data["idempotency_key"])
        if not store.claim(ctx.db, idem, code=None, day=day):
            previous = store.get_claim(ctx.db, idem)
            booking = store.get_booking(ctx.db, previous.get("code") or "")
            if booking is None:
                raise Conflict("Permintaan yang sama sedang diproses / The same request is "
                               "in progress", {})
            return replayed_booking(booking)
    taken = []
    try:
        booking = _take_seat_and_book(ctx, service, data, day, now, tz, taken)
    except Exception:
        for key in taken:
            store.release(ctx.db, key)
        if idem:
            store.release(ctx.db, idem)
        raise
    if idem:
        store.set_claim_code(ctx.db, idem, booking["code"])
    ctx.events(ev.BOOKING_CREATED, {
        "booking_code": booking["code"], "service_id": service["_id"],
        "service_name": service["name"], "agency": service["agency"],
        "slot_start": views.iso(booking["slot_start"]), "slot_local": booking["slot_local"],
        "date": day, "contact": {"phone": booking["phone"]}, "language": booking["language"]})
    return dict(views.public_booking(booking), created=True)


def replayed_booking(booking):
    """A retried booking (same service and Idempotency-Key): the slot, not the code. The code
    alone checks in at the kiosk, and a key may be guessed; the citizen received the code in
    the answer that made the booking and by message."""
    out = views.public_booking(booking)
    out.pop("code")
    out.pop("ticket_id")
    return dict(out, created=False, message=REPLAYED)


REPLAYED = ("Pemesanan ini sudah dibuat; kodenya telah dikirim ke nomor Anda / This booking "
            "was already made; its code was sent to your phone")


def _closed_day(ctx, service, day, now, tz, closed):
    """The 409 for a date the MPP calendar closes, offering the first open slot after it,
    as a walk-in at a closed hour is answered (``issuing.refusal``)."""
    start = hours.next_local_midnight(
        max(now, clk.to_utc(datetime.combine(day, time(0), tzinfo=clk.zone(tz)))), tz)
    slot = bookings.next_free_slot(service, start,
                                   lambda d: store.booked_counts(ctx.db, service, d), tz,
                                   closed)
    return Conflict("Layanan tutup pada tanggal itu (hari libur) / The service is closed on "
                    "that date (holiday)", {"reason": "closed", "date": day.isoformat(),
                                            "next_booking_slot": slot})


def _take_seat_and_book(ctx, service, data, day, now, tz, taken):
    """Claim the NIK's day and a seat, then insert the booking; ``taken`` collects the claims
    so that the caller can release them if anything fails."""
    closed = catalogue_reads.calendar(ctx, tz)
    if data["date"] in closed:
        raise _closed_day(ctx, service, data["date"], now, tz, closed)
    slot = bookings.slot_at(service, day, data["slot_start"], tz)
    seats = store.booked_counts(ctx.db, service, day).get(bookings.slot_id(slot["start"]), 0)
    bookings.check_bookable(service, day, data["slot_start"], now, seats, tz)
    if data["nik"]:
        nik_key = bookings.anti_calo_key(service["_id"], day, data["nik"], _salt(ctx))
        if not store.claim(ctx.db, "calo:" + nik_key, day=day):
            raise Conflict("NIK ini sudah punya booking untuk layanan ini pada hari itu / "
                           "This NIK already has a booking for this service that day",
                           {"reason": "one_booking_per_nik"})
        taken.append("calo:" + nik_key)
    seat = None
    for key in bookings.slot_claim_keys(service["_id"], slot["start"], slot["capacity"]):
        if store.claim_seat(ctx.db, key, service["_id"], day, bookings.slot_id(slot["start"])):
            seat = key
            taken.append(key)
            break
    if seat is None:
        raise Conflict("Slot penuh / The slot is full",
                       {"slot_start": data["slot_start"], "date": day})
    for _ in range(20):
        booking = bookings.new_booking(service, day, slot, data["name"], data["phone"],
                                       codes.booking_code(), now, data["language"],
                                       data["nik"], _salt(ctx))
        booking["seat"] = seat
        if store.insert_booking(ctx.db, booking):
            break
    else:
        raise Conflict("Coba lagi / Please try again", {})
    store.set_claim_code(ctx.db, seat, booking["code"])
    return booking


def _transition(ctx, booking, action, now, extra=None):
    changes = bookings.booking_transition(booking, action, now)
    changes.update(extra or {})
    if not store.change_booking(ctx.db, booking, changes, action, now):
        raise Conflict("Booking baru saja diubah / The booking was just changed", {})
    return dict(booking, **changes)


def _release_claims(ctx, booking):
    if booking.get("seat"):
        store.release(ctx.db, booking["seat"])
    if booking.get("nik_key"):
        store.release(ctx.db, "calo:" + booking["nik_key"])


def cancel_booking(ctx, code, phone):
    data = sc.load(sc.CancelBookingSchema, {"code": code, "phone": phone})
    booking = store.get_booking(ctx.db, data["code"])
    if booking is None or booking.get("phone") != data["phone"]:
        raise NotFound(BOOKING_NOT_FOUND)
    booking = _transition(ctx, booking, "cancel", ctx.clock.now())
    _release_claims(ctx, booking)
    ctx.events(ev.BOOKING_CANCELLED, {
        "booking_code": booking["code"], "service_id": booking["service_id"],
        "slot_start": views.iso(booking["slot_start"]),
        "language": booking.get("language", "id")})
    return views.public_booking(booking)


def _checkin_key(booking):
    return "checkin:" + booking["code"]


def check_in(ctx, code):
    """Check a booking in: its ticket (priority group ``appointment``). Idempotent: the same
    booking checked in again gets the same ticket."""
    data = sc.load(sc.BookingCodeSchema, {"code": code})
    booking = store.get_booking(ctx.db, data["code"])
    if booking is None:
        raise NotFound(BOOKING_NOT_FOUND)
    service = catalogue_reads.service(ctx, booking["service_id"])
    now = ctx.clock.now()
    tz = catalogue_reads.tz(ctx)
    if booking["status"] == bookings.CHECKED_IN:
        # a retried check-in (a kiosk that timed out): the ticket it was given, announced
        # again (the first attempt may have lost the broker before announcing it)
        ticket = store.ticket_by_idempotency(ctx.db, service["_id"], _checkin_key(booking))
        if ticket is not None:
            ticket = store.current_ticket(ctx.db, ticket["_id"])
            issuing.announce_issued(ctx, ticket, False)
            return dict(views.public_ticket(ticket), access_token=ticket["access_token"],
                        **issuing.position(ctx, ticket, service))
    decision = bookings.check_in_decision(booking, service, now, tz)
    if not decision.allowed:
        raise decision.to_error()
    fields = {"day": numbering.service_day(now, tz), "priority_group": "appointment",
              "language": booking.get("language", "id"),
              "contact": {"phone": booking.get("phone"), "email": None},
              "issued_at": now, "arrived_at": now, "access_token": codes.access_token(),
              "booking_code": booking["code"]}
    ticket, created = issuing.enqueue(ctx, service, fields, _checkin_key(booking),
                                           catalogue_reads.rules(ctx))
    issuing.announce_issued(ctx, ticket, created)
    if booking["status"] == bookings.BOOKED:
        try:
            _transition(ctx, booking, "check_in", now, {"ticket_id": ticket["_id"]})
        except Conflict:
            pass  # a concurrent check-in of the same code: same ticket (idempotent)
    return dict(views.public_ticket(ticket), access_token=ticket["access_token"],
                **issuing.position(ctx, ticket, service, ticket.get("issued_ahead")))
