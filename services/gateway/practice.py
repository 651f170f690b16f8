"""Promise against practice: each adopted standard's promise beside what the MPP measured,
and whether the promise was kept (pure: the standards and the services' measurements in).

The promise is the standard's ``time`` (``working_days`` for a permit type, ``minutes`` for
a queue service) and ``cost.fee``. It is *broken* in a period when

- a permit type: any application was decided after its SLA (``late_decisions``: a decision
  beyond the promised time is a promise broken to that citizen, and past it the law deems the
  application granted), or an applicant was charged a fee other than the promised one
  (``fee_differs``);
- a queue service: the 90th percentile of service minutes exceeds the promised minutes
  (``slow_service``: more than one citizen in ten was served slower than promised).

Nothing measured in the period is neither kept nor broken (``kept: None``). The reasons carry
numbers, not sentences: the pages say them in the reader's language.
"""
PERMIT_TYPE = "permit_type"
QUEUE_SERVICE = "queue_service"


def _promise(standard):
    components = standard.get("components") or {}
    time = components.get("time") or {}
    cost = components.get("cost") or {}
    return {"working_days": time.get("working_days"), "minutes": time.get("minutes"),
            "fee": cost.get("fee")}


def _permit_reasons(promise, measured):
    reasons = []
    late = measured["decided"] - measured["within_sla"]
    if late:
        reasons.append({"kind": "late_decisions", "late": late, "decided": measured["decided"],
                        "promised_working_days": promise["working_days"]})
    charged = [row["fee"] for row in measured["fees_charged"]]
    if promise["fee"] is not None and any(fee != promise["fee"] for fee in charged):
        reasons.append({"kind": "fee_differs", "promised": promise["fee"], "charged": charged})
    return reasons


def _queue_reasons(promise, measured):
    p90 = measured["service"]["p90"]
    if promise["minutes"] is not None and p90 is not None and p90 > promise["minutes"]:
        return [{"kind": "slow_service", "p90_minutes": p90,
                 "promised_minutes": promise["minutes"]}]
    return []


def compare(standards, permit_rows, queue_rows, ikm_rows):
    """One row per adopted standard (sorted by agency, then title): ``{standard_id, agency,
    subject, title, title_en, promised, measured (None: nothing in the period), ikm (None: no
    respondent), kept (True/False/None), reasons, slowest_steps}``."""
    permits = {row["permit_type_id"]: row for row in permit_rows}
    queues = {row["service_id"]: row for row in queue_rows}
    ikms = {(row["agency"], row["service_id"]): row for row in ikm_rows}
    out = []
    for standard in standards:
        if standard.get("status") != "adopted":
            continue
        subject = standard["subject"]
        promise = _promise(standard)
        if subject["kind"] == PERMIT_TYPE:
            row = permits.get(subject["id"])
            measured = None if row is None else {
                "decided": row["decided"], "within_sla": row["within_sla"],
                "share_within_sla": row["share_within_sla"],
                "working_days": row["working_days"], "fees_charged": row["fees_charged"]}
            reasons = _permit_reasons(promise, row) if row else []
            slowest = row["slowest_steps"] if row else []
        else:
            row = queues.get(subject["id"])
            measured = None if row is None or not (row["wait"]["count"] or row["service"]["count"]) \
                else {"issued": row["issued"], "served": row["served"], "wait": row["wait"],
                      "service": row["service"]}
            reasons = _queue_reasons(promise, row) if measured else []
            slowest = []
        ikm = ikms.get((standard["agency"], subject["id"]))
        out.append({
            "standard_id": standard["id"], "agency": standard["agency"], "subject": subject,
            "title": standard.get("title"), "title_en": standard.get("title_en"),
            "version": standard.get("version"), "effective_from": standard.get("effective_from"),
            "promised": promise, "measured": measured,
            # the unit's IKM score (25-100, PermenPAN-RB 14/2017) and its grade
            "ikm": None if not ikm or not ikm.get("respondents") else {
                "score": ikm.get("score"), "grade": ikm.get("grade"),
                "respondents": ikm["respondents"]},
            "kept": None if measured is None else not reasons,
            "reasons": reasons, "slowest_steps": slowest})
    out.sort(key=lambda row: (row["agency"], row["title"] or ""))
    return out


def broken(rows):
    """The rows whose promise was broken, the worst first (most reasons, then title)."""
    return sorted((row for row in rows if row["kept"] is False),
                  key=lambda row: (-len(row["reasons"]), row["agency"], row["title"] or ""))
