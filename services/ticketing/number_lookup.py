"""Following a ticket by the number printed on it (``D-014``), for a citizen who typed it on
the portal rather than scanning the QR code.

A number only names today's ticket of the service its prefix belongs to. The answer is what
the display board already shows of it (status, people ahead, ETA range, the counter that
called it): no id, no access token, no contact, so the number cannot be used to act on the
ticket (giving it up still needs the QR's token).
"""
import re

from services.common.errors import NotFound, ValidationFailed
from services.contracts.messages import INVALID_DATA
from services.ticketing import catalogue_reads, issuing, numbering, store

NUMBER = re.compile(r"\A\s*([A-Za-z]{1,3})\s*-?\s*0*(\d{1,5})\s*\Z")
NOT_FOUND = "Nomor antrean tidak ditemukan hari ini / No such queue number today"
SHOWN = ("number", "service_id", "agency", "status", "priority_group", "called_at",
         "counter_id", "day")


def parse(text):
    """``"d-14"`` -> ``("D", 14)``; ``ValidationFailed`` naming ``number`` otherwise."""
    match = NUMBER.match(text) if isinstance(text, str) else None
    if not match or int(match.group(2)) < 1:
        raise ValidationFailed(INVALID_DATA, {"fields": {"number": [
            "Tulis seperti pada tiket, misalnya D-014 / Write it as on the ticket, e.g. D-014"]}})
    return match.group(1).upper(), int(match.group(2))


def ticket_by_number(ctx, text, now=None):
    prefix, seq = parse(text)
    service = store.service_by_prefix(ctx.db, prefix)
    day = numbering.service_day(now or ctx.clock.now(), catalogue_reads.tz(ctx))
    ticket_id = store.ticket_id_by_seq(ctx.db, service["_id"], day, seq) if service else None
    ticket = store.get_ticket(ctx.db, ticket_id) if ticket_id else None
    if ticket is None:
        raise NotFound(NOT_FOUND, {"number": numbering.ticket_number(prefix, seq)})
    view = issuing.get_ticket_view(ctx, ticket)
    return dict({k: view.get(k) for k in SHOWN},
                **{k: view.get(k) for k in ("position", "ahead", "eta_min_minutes",
                                            "eta_max_minutes")})
