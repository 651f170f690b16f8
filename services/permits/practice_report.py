"""Promise against practice, the permits' part: each permit type's decisions of a month
measured against the SLA and fee its applications were filed under (rules in ``practice``).

Takes ``ctx`` (``permits.context.Context``)."""
from datetime import date, datetime, time, timedelta

from services.common import clock as clk
from services.common.schemas import load
from services.contracts.practice import PracticeQuerySchema
from services.permits import catalogue, practice, sla_schedule, store, workflow


def _month_start_utc(month, tz):
    first = date.fromisoformat(month + "-01")
    return datetime.combine(first, time(0), tzinfo=clk.zone(tz)) - timedelta(days=1)


def permit_practice(ctx, agency=None, month=None):
    """``{"month", "agency", "permit_types": [practice.summarise rows]}``."""
    query = load(PracticeQuerySchema, {"agency": agency, "month": month})
    month = query["month"] or clk.local_day(ctx.now(), ctx.tz).isoformat()[:7]
    calendar = catalogue.working_calendar(ctx)
    records = []
    since = clk.iso(_month_start_utc(month, ctx.tz))
    for app in store.decided_since(ctx.db, workflow.SLA_DECIDED, since):
        if query["agency"] and app["agency"] != query["agency"]:
            continue
        at = practice.decided_at(app)
        if at is None or clk.local_day(at, ctx.tz).isoformat()[:7] != month:
            continue
        status = sla_schedule.status(ctx, app, at, calendar)
        records.append(practice.record(app, status, at))
    return {"month": month, "agency": query["agency"],
            "permit_types": practice.summarise(records)}
