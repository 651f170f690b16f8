"""Promise against practice for queue services (pure: folded ticket dicts in, figures out).

Per service, over the tickets of a period: ``wait`` (minutes from joining the service's queue
to the first call) and ``service`` (minutes from the start of service to its completion),
each as count, median and 90th percentile (``common.spread``), with ``served`` (completed
tickets) and ``issued``. The measures are the ones the day statistics use (``stats``)."""
from collections import defaultdict

from services.common import clock as clk
from services.common.spread import median_p90


def _minutes(later, earlier):
    return (clk.to_utc(later) - clk.to_utc(earlier)).total_seconds() / 60


def summarise(tickets, names):
    """``[{service_id, agency, name, issued, served, wait, service}]`` sorted by agency and
    name; ``names`` maps a service id to its Indonesian name."""
    by_service = defaultdict(lambda: {"issued": 0, "served": 0, "waits": [], "services": [],
                                      "agency": None})
    for ticket in tickets:
        row = by_service[ticket["service_id"]]
        row["agency"] = ticket.get("agency")
        row["issued"] += 1
        if ticket.get("called_at"):
            row["waits"].append(_minutes(ticket["called_at"], ticket["issued_at"]))
        if ticket.get("status") == "completed" and ticket.get("started_at") \
                and ticket.get("completed_at"):
            row["served"] += 1
            row["services"].append(_minutes(ticket["completed_at"], ticket["started_at"]))
    out = [{"service_id": service_id, "agency": row["agency"],
            "name": names.get(service_id, service_id), "issued": row["issued"],
            "served": row["served"], "wait": median_p90(row["waits"]),
            "service": median_p90(row["services"])}
           for service_id, row in by_service.items()]
    out.sort(key=lambda row: (str(row["agency"]), row["name"]))
    return out
