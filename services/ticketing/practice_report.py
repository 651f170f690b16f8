"""Promise against practice, the queues' part: each service's waits and service times of a
month (rules in ``practice``). Takes ``ctx``: the service worker (``db``, ``clock``)."""
import calendar
from datetime import date

from services.common.schemas import load
from services.contracts.practice import PracticeQuerySchema
from services.ticketing import catalogue_reads, numbering, practice, store


def queue_practice(ctx, agency=None, month=None):
    """``{"month", "agency", "services": [practice.summarise rows]}``."""
    query = load(PracticeQuerySchema, {"agency": agency, "month": month})
    month = query["month"] or numbering.service_day(ctx.clock.now(), catalogue_reads.tz(ctx))[:7]
    first = date.fromisoformat(month + "-01")
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    tickets = store.tickets_between(ctx.db, first.isoformat(), last.isoformat(),
                                    query["agency"])
    names = {s["_id"]: s["name"] for s in store.list_services(ctx.db, query["agency"])}
    return {"month": month, "agency": query["agency"],
            "services": practice.summarise(tickets, names)}
