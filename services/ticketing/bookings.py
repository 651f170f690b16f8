"""Bookings: slots, availability, the next free slot, check-in windows and the anti-calo key.

A service's booking config (``service["booking"]``)::

    {"slot_minutes": 30, "capacity_per_slot": 3, "checkin_early_minutes": 30,
     "checkin_late_minutes": 15, "max_days_ahead": 30}

Slots cut each opening interval of the day (``hours``) from its start, every ``slot_minutes``,
keeping only slots that end by the close. A slot is identified by its start instant; counts of
existing bookings are passed in keyed by ``slot_id(start)`` (the UTC ISO string), which is what
a store gets from ``$group`` on ``slot_start``.

Capacity under concurrency: ``slot_claim_keys`` gives the ``capacity`` claim ids of a slot; a
store inserts the first free one against a unique ``_id`` (a duplicate means that seat is
taken: try the next; none left = full), and deletes it when the booking is cancelled.

Anti-calo (ticket touts): one booking per NIK per service per local day. ``anti_calo_key`` is
``"<service_id>:<day>:<hmac-sha256(salt, nik)>"``: a store inserts it as a claim ``_id``. The
raw NIK is never stored or logged; the salt is a server secret (a NIK has too little entropy
for a bare hash to hide it).

Booking states: ``booked ──check_in──▶ checked_in``, ``booked ──cancel──▶ cancelled``,
``booked ──expire──▶ missed`` (close-out or past the late window).
"""
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from services.common import clock as clk
from services.common.errors import Conflict, IllegalTransition, ValidationFailed
from services.ticketing import hours

DEFAULTS = {"slot_minutes": 30, "capacity_per_slot": 3, "checkin_early_minutes": 30,
            "checkin_late_minutes": 15, "max_days_ahead": 30}
NIK = re.compile(r"^\d{16}$")

BOOKED, CHECKED_IN, CANCELLED, MISSED = "booked", "checked_in", "cancelled", "missed"
TRANSITIONS = {
    BOOKED: {"check_in": CHECKED_IN, "cancel": CANCELLED, "expire": MISSED},
    CHECKED_IN: {}, CANCELLED: {}, MISSED: {},
}
_LABELS = {BOOKED: ("aktif", "active"), CHECKED_IN: ("sudah check-in", "checked in"),
           CANCELLED: ("dibatalkan", "cancelled"), MISSED: ("terlewat", "missed")}


def config(service):
    return dict(DEFAULTS, **(service.get("booking") or {}))


def slot_id(start):
    return clk.iso(start)


def _as_date(day):
    return date.fromisoformat(day) if isinstance(day, str) else day


def slots(service, day, tz_name=None, closed_dates=()):
    """``[{"start", "end", "local", "capacity"}]`` for a local day (UTC datetimes; ``local`` is
    ``"HH:MM"`` in the MPP zone)."""
    cfg = config(service)
    length = timedelta(minutes=cfg["slot_minutes"])
    tz = clk.zone(tz_name)
    out = []
    for start, end in hours.intervals_on(service.get("opening_hours"), _as_date(day), tz_name,
                                         closed_dates):
        while start + length <= end:
            out.append({"start": start, "end": start + length,
                        "local": start.astimezone(tz).strftime("%H:%M"),
                        "capacity": cfg["capacity_per_slot"]})
            start += length
    return out


def within_horizon(service, day, now, tz_name=None):
    """Is ``day`` at most ``max_days_ahead`` local days after ``now``'s (what booking
    accepts)."""
    limit = clk.local_day(now, tz_name) + timedelta(days=config(service)["max_days_ahead"])
    return _as_date(day) <= limit


def availability(service, day, booked_counts, now=None, tz_name=None, closed_dates=()):
    """Each slot with ``booked``, ``free`` and ``bookable``: exactly what ``check_bookable``
    accepts (starts after ``now``, within ``max_days_ahead``, has room).
    ``booked_counts``: ``{slot_id(start): active bookings}``."""
    out = []
    ahead_ok = now is None or within_horizon(service, day, now, tz_name)
    for slot in slots(service, day, tz_name, closed_dates):
        booked = booked_counts.get(slot_id(slot["start"]), 0)
        free = max(0, slot["capacity"] - booked)
        out.append(dict(slot, booked=booked, free=free,
                        bookable=free > 0 and ahead_ok and (now is None or slot["start"] > now)))
    return out


def next_free_slot(service, after, counts_for_day, tz_name=None, closed_dates=(),
                   horizon_days=None):
    """The first bookable slot starting after ``after``, JSON-ready, or None.
    ``counts_for_day(day_iso) -> {slot_id: count}`` is asked once per local day looked at.
    Result: ``{"service_id", "date", "slot_start" ("HH:MM"), "start", "end" (UTC ISO),
    "local": {"id", "en"}, "free"}``."""
    horizon = config(service)["max_days_ahead"] if horizon_days is None else horizon_days
    first = clk.local_day(after, tz_name)
    for offset in range(horizon + 1):
        day = first + timedelta(days=offset)
        for slot in availability(service, day, counts_for_day(day.isoformat()), after,
                                 tz_name, closed_dates):
            if slot["bookable"]:
                return {"service_id": service.get("_id"), "date": day.isoformat(),
                        "slot_start": slot["local"], "start": clk.iso(slot["start"]),
                        "end": clk.iso(slot["end"]),
                        "local": hours.local_text(slot["start"], tz_name), "free": slot["free"]}
    return None


def slot_at(service, day, hhmm, tz_name=None, closed_dates=()):
    """The slot of ``day`` starting at local ``hhmm``, or ``ValidationFailed``."""
    for slot in slots(service, day, tz_name, closed_dates):
        if slot["local"] == hhmm:
            return slot
    raise ValidationFailed("Slot tidak tersedia / No such slot",
                           {"fields": {"slot_start": ["Not a slot of this service and date."]}})


def check_bookable(service, day, hhmm, now, booked_count, tz_name=None, closed_dates=()):
    """The slot to book, or an error: not a slot (422), past or beyond the booking horizon
    (422), full (409). The store's seat claim is still the final word on capacity."""
    slot = slot_at(service, day, hhmm, tz_name, closed_dates)
    if slot["start"] <= now:
        raise ValidationFailed("Slot sudah lewat / The slot has passed",
                               {"fields": {"slot_start": ["In the past."]}})
    if not within_horizon(service, day, now, tz_name):
        raise ValidationFailed(
            "Terlalu jauh ke depan / Too far ahead",
            {"fields": {"date": ["At most {} days ahead.".format(
                config(service)["max_days_ahead"])]}})
    if booked_count >= slot["capacity"]:
        raise Conflict("Slot penuh / The slot is full",
                       {"slot_start": hhmm, "date": _as_date(day).isoformat()})
    return slot


def slot_claim_keys(service_id, start, capacity):
    """The seat claim ids of one slot: ``"<service_id>:<slot_id>:<seat>"``, seat 1..capacity."""
    return ["{}:{}:{}".format(service_id, slot_id(start), seat)
            for seat in range(1, capacity + 1)]


def nik_hash(nik, salt):
    """HMAC-SHA256 of a 16-digit NIK keyed by the server's ``salt`` (hex)."""
    if not isinstance(nik, str) or not NIK.match(nik):
        raise ValueError("a NIK is exactly 16 digits")
    if not salt:
        raise ValueError("a salt is required")
    key = salt.encode() if isinstance(salt, str) else salt
    return hmac.new(key, nik.encode(), hashlib.sha256).hexdigest()


def anti_calo_key(service_id, day, nik, salt):
    """One booking per NIK per service per day: ``"<service_id>:<day>:<nik_hash>"``."""
    day = _as_date(day).isoformat()
    return "{}:{}:{}".format(service_id, day, nik_hash(nik, salt))


def new_booking(service, day, slot, name, phone, code, now, language="id", nik=None,
                salt=None):
    """The booking document (plain dict). With a NIK it carries ``nik_key`` (the anti-calo
    key) and never the NIK itself."""
    return {
        "_id": code, "code": code, "service_id": service["_id"], "agency": service.get("agency"),
        "day": _as_date(day).isoformat(), "slot_start": slot["start"], "slot_end": slot["end"],
        "slot_local": slot["local"], "name": name, "phone": phone, "language": language,
        "nik_key": anti_calo_key(service["_id"], day, nik, salt) if nik else None,
        "status": BOOKED, "created_at": now, "version": 0, "ticket_id": None,
    }


def booking_transition(booking, action, now):
    """Fields to ``$set`` for ``action`` (check_in/cancel/expire), or ``IllegalTransition``."""
    status = booking["status"]
    try:
        new = TRANSITIONS[status][action]
    except KeyError:
        st_id, st_en = _LABELS.get(status, (status, status))
        raise IllegalTransition("Booking {} / Booking is {}".format(st_id, st_en),
                                {"status": status, "action": action}) from None
    return {"status": new, "version": booking.get("version", 0) + 1, new + "_at": now}


@dataclass
class CheckInDecision:
    allowed: bool
    reason: str = None          # "too_early" | "too_late"
    come_back_at: datetime = None
    come_back_local: dict = field(default_factory=dict)
    message: str = ""

    def to_error(self):
        if self.allowed:
            raise ValueError("an allowed check-in is not an error")
        return Conflict(self.message, {
            "reason": self.reason,
            "come_back_at": clk.iso(self.come_back_at) if self.come_back_at else None,
            "come_back_local": self.come_back_local or None})


def check_in_window(booking, service):
    """``(opens, closes)``: ``slot_start - early`` .. ``slot_start + late`` (inclusive)."""
    cfg = config(service)
    start = clk.to_utc(booking["slot_start"])
    return (start - timedelta(minutes=cfg["checkin_early_minutes"]),
            start + timedelta(minutes=cfg["checkin_late_minutes"]))


def check_in_decision(booking, service, now, tz_name=None):
    """May this booking check in now? Also refuses a booking not ``booked`` (409)."""
    booking_transition(booking, "check_in", now)
    opens, closes = check_in_window(booking, service)
    if now < opens:
        when = hours.local_text(opens, tz_name)
        return CheckInDecision(False, "too_early", opens, when,
                               "Terlalu awal untuk check-in. Silakan kembali {} / Too early to "
                               "check in. Please come back {}".format(when["id"], when["en"]))
    if now > closes:
        return CheckInDecision(False, "too_late", None, {},
                               "Waktu check-in sudah lewat; silakan ambil antrean biasa / "
                               "Check-in time has passed; please take a walk-in ticket")
    return CheckInDecision(True)
