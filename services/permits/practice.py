"""Promise against practice for permits (pure: application documents and their SLA status
in, figures out; no storage, no nameko).

Per permit type, over the applications *decided* in a period (issued, rejected or deemed
approved: ``workflow.SLA_DECIDED``):

- ``decided`` and ``within_sla`` (the SLA clock of ``sla.clock`` had not run out at the
  decision, and the agency decided: a deemed approval never is), ``share_within_sla`` (0..1);
- ``working_days``: median and 90th percentile of the working days the clock charged
  (``common.spread``), against ``promised_working_days`` (the SLA the applications were filed
  under; several when the type changed in the period);
- ``fees_charged``: the fees applicants paid (``terms.fee`` of an application that went
  through ``paid``; an issued one that never had to pay was charged 0; a rejected one is not
  counted), each with how many paid it, against ``promised_fees``;
- ``slowest_steps``: the agency's own steps (states in which the SLA clock runs), by the
  median number of hours an application spent in them, slowest first: *why* a promise broke.
"""
from collections import defaultdict

from services.common import clock as clk
from services.common.spread import median_p90
from services.permits import workflow

SLOWEST_STEPS = 3


def decided_at(app):
    """The instant ``app`` was decided (its first change into a decided state), or None."""
    for change in app.get("changes", []):
        if change["state"] in workflow.SLA_DECIDED:
            return clk.to_utc(clk.parse(change["at"]) if isinstance(change["at"], str)
                              else change["at"])
    return None


def step_hours(app, until):
    """``{state kind: hours}`` the application spent in each state before ``until`` (a state
    entered several times adds up)."""
    changes = [(clk.to_utc(clk.parse(c["at"]) if isinstance(c["at"], str) else c["at"]),
                c["state"]) for c in app.get("changes", [])]
    changes.sort(key=lambda item: item[0])
    hours = defaultdict(float)
    for i, (at, state) in enumerate(changes):
        if at >= until:
            break
        end = min(changes[i + 1][0], until) if i + 1 < len(changes) else until
        hours[workflow.kind(state)] += (end - at).total_seconds() / 3600
    return dict(hours)


def charged_fee(app):
    """What the applicant was charged: the fee when the application went through ``paid``,
    0 when issued without paying, None when nothing was granted (rejected)."""
    states = {c["state"] for c in app.get("changes", [])}
    if workflow.PAID in states:
        return app["terms"]["fee"]
    if states & {workflow.ISSUED, workflow.DEEMED_APPROVED}:
        return 0
    return None


def _deemed(app):
    return any(c["state"] == workflow.DEEMED_APPROVED for c in app.get("changes", []))


def record(app, status, at):
    """One decision's measurement from the application, its ``sla.SlaStatus`` at the
    decision instant ``at``."""
    return {
        "permit_type_id": app["permit_type_id"],
        "agency": app["agency"],
        "name": (app.get("permit_type") or {}).get("name") or app["permit_type_id"],
        "promised_working_days": app["terms"]["sla_working_days"],
        "promised_fee": app["terms"]["fee"],
        # a deemed approval is the agency not deciding in time, whatever the clock says
        "within_sla": not status.breached and not _deemed(app),
        "working_days": round(status.working_days_used, 2),
        "fee_charged": charged_fee(app),
        "steps": step_hours(app, at),
    }


def _counted(values):
    counts = defaultdict(int)
    for value in values:
        counts[value] += 1
    return [{"fee": fee, "count": counts[fee]} for fee in sorted(counts)]


def _step_label(step):
    """A step's name in both languages; the approval levels together as one step."""
    label, label_en = workflow.STATE_LABELS[step]
    return (label.replace(" tingkat {level}", ""), label_en.replace(", level {level}", ""))


def slowest_steps(records, limit=SLOWEST_STEPS):
    """The agency's steps (clock running) by median hours spent, slowest first."""
    by_step = defaultdict(list)
    for item in records:
        for step, hours in item["steps"].items():
            if step in workflow.CLOCK_RUNNING:
                by_step[step].append(hours)
    rows = []
    for step, hours in by_step.items():
        spread = median_p90(hours)
        label, label_en = _step_label(step)
        rows.append({"step": step, "label": label, "label_en": label_en,
                     "median_hours": spread["median"], "p90_hours": spread["p90"]})
    rows.sort(key=lambda row: (-row["median_hours"], row["step"]))
    return rows[:limit]


def summarise(records):
    """Per permit type (sorted by agency, then name): the figures above."""
    by_type = defaultdict(list)
    for item in records:
        by_type[item["permit_type_id"]].append(item)
    out = []
    for type_id, items in by_type.items():
        within = sum(1 for item in items if item["within_sla"])
        fees = [item["fee_charged"] for item in items if item["fee_charged"] is not None]
        out.append({
            "permit_type_id": type_id,
            "agency": items[0]["agency"],
            "name": items[-1]["name"],
            "decided": len(items),
            "within_sla": within,
            "share_within_sla": round(within / len(items), 4),
            "promised_working_days": sorted({i["promised_working_days"] for i in items}),
            "working_days": median_p90(item["working_days"] for item in items),
            "promised_fees": sorted({i["promised_fee"] for i in items}),
            "fees_charged": _counted(fees),
            "slowest_steps": slowest_steps(items),
        })
    out.sort(key=lambda row: (row["agency"], row["name"]))
    return out
