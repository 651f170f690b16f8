"""What leaves the service: the public views of tickets, bookings and counters, and the
payloads of its events. Plain data in, plain data out.

Events carry ids, numbers and counters; only ``ticket_contact_given`` (``contact``) and
``booking_created`` (``contact.phone``) carry how to reach the citizen. ``ticket_issued`` is
public (boards, counter consoles, statistics); a ticket whose holder left a phone or an
e-mail also announces ``ticket_contact_given``, the same fields plus the contact, which
notifications alone subscribes to: a kiosk ticket without a contact costs it nothing.
"""
from services.common import clock as clk
from services.contracts import events as ev


def iso(value):
    return clk.iso(value) if value is not None else None


def issued_event_id(ticket_id):
    """The one id of a ticket's ``ticket_issued``, however often it is announced."""
    return "{}:{}".format(ticket_id, ev.TICKET_ISSUED)


def contact_event_id(ticket_id):
    """The one id of a ticket's ``ticket_contact_given``, however often it is announced."""
    return "{}:{}".format(ticket_id, ev.TICKET_CONTACT_GIVEN)


def public_ticket(ticket):
    """What a ticket holder (or a board) may see: no contact details."""
    out = {
        "id": ticket["_id"],
        "number": ticket["number"],
        "service_id": ticket["service_id"],
        "agency": ticket.get("agency"),
        "status": ticket["status"],
        "priority_group": ticket.get("priority_group"),
        "issued_at": iso(ticket["issued_at"]),
        "arrived_at": iso(ticket.get("arrived_at")),
        "called_at": iso(ticket.get("last_called_at")),
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


def public_booking(booking):
    return {"code": booking["code"], "service_id": booking["service_id"],
            "date": booking["day"], "slot_start": iso(booking["slot_start"]),
            "slot_end": iso(booking["slot_end"]), "slot_local": booking.get("slot_local"),
            "status": booking["status"], "ticket_id": booking.get("ticket_id")}


def public_counter(counter, state):
    return {"id": counter["_id"], "agency": counter["agency"], "name": counter["name"],
            "services": counter["services"], "status": state.get("status", "closed"),
            "officer": state.get("officer")}


def issued_event(ticket, service):
    """``ticket_issued``: ``service`` names the service in the citizen's message."""
    return {
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


def ticket_event(ticket, counter, **extra):
    payload = {"ticket_id": ticket["_id"], "number": ticket["number"],
               "service_id": ticket["service_id"], "agency": ticket["agency"],
               "counter_id": counter["_id"] if counter else ticket.get("counter_id")}
    payload.update(extra)
    return payload


def called_payload(ticket, counter, call_seq):
    return {"ticket_id": ticket["_id"], "number": ticket["number"],
            "service_id": ticket["service_id"], "agency": ticket["agency"],
            "counter_id": counter["_id"], "counter_name": counter["name"],
            "call_seq": call_seq}


def call_record(ticket, counter, now):
    """The day's call log entry of a call (the board's "last called")."""
    return {"ticket_id": ticket["_id"], "number": ticket["number"],
            "service_id": ticket["service_id"], "agency": ticket["agency"],
            "counter_id": counter["_id"], "counter_name": counter["name"], "at": now}


def last_called(call):
    return {"number": call["number"], "counter_id": call["counter_id"],
            "counter_name": call["counter_name"], "at": iso(call["at"])}


def jsonable(value):
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value
