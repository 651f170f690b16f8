"""Permits figures, with their own baseline in the same run.

- ``list_applications`` latency (sequential RPC, one page of 50) for an agency with 100
  applications and for one with 100,000 (target: the 100k p50 within 1.5x of the 100 p50:
  a page reads by ``_id`` only, see ``services/permits/store.py``). Both agencies are seeded
  with ``store.bulk_load`` (``insert_many``; states spread like a real office: most issued,
  some waiting in each step; the small one half in ``intake_check`` so both pages hold 50
  rows), cloned from one application filed through the service.
- filing rate with a 1 MiB PDF (sequential), as a ratio to filing with a 1 KiB PDF.

    python -m bench.permits            # prints JSON
"""
import base64
import time
import uuid

from bench.harness import database_prefix, measured_at, service_alone
from bench.stats import latency_summary, ratio

STATES = (["issued"] * 14 + ["submitted", "intake_check", "accepted", "in_process",
                              "approval_1", "rejected"])
TYPE = {"id": "bench-type", "name": "Bench permit", "effective_from": "2026-01-01",
        "sla_working_days": 10, "fee": 0, "approval_levels": 1, "connector": "manual",
        "requirements": [{"kind": "ktp", "name": "KTP"}],
        "form": [{"name": "note", "type": "string", "required": True, "label": "Note"}]}
CATALOGUE = {"agencies": [
    {"code": "bsmall", "name": "Bench small", "permit_types": [dict(TYPE, id="bench-small")]},
    {"code": "blarge", "name": "Bench large", "permit_types": [dict(TYPE, id="bench-large")]},
]}


def _pdf(size):
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head))


def _filing(permit_type_id, size, key=None):
    return {"applicant": {"nik": "6203015708900001", "name": "Bench Pemohon",
                          "phone": "081152000001"},
            "permit_type_id": permit_type_id, "form": {"note": "bench"},
            "documents": [{"kind": "ktp", "filename": "ktp.pdf", "media_type": "application/pdf",
                           "content": base64.b64encode(_pdf(size)).decode()}],
            "idempotency_key": key or "bench-" + uuid.uuid4().hex}


def seed(config, rpc, agency, permit_type_id, count, states=STATES):
    """``count`` applications of ``agency`` cloned from one filed through the service."""
    from services.common.config import database_name
    from services.common.mongo import make_client
    from services.permits import store

    template_id = rpc.permits.file_application(_filing(permit_type_id, 1024))["application_id"]
    client = make_client(config["MONGO_URI"])
    try:
        db = client[database_name(config, "permits")]
        template = db.applications.find_one({"_id": template_id})
        started = time.perf_counter()
        apps = []
        for i in range(count - 1):
            state = states[i % len(states)]
            apps.append(dict(template, _id="{}-{:07d}".format(template_id, i),
                             tracking_code="BENCH-{}-{}".format(agency, i), state=state,
                             changes=template["changes"] + [{"at": template["filed_at"],
                                                             "state": state}],
                             history_seq=2))
        store.bulk_load(db, apps)
        return round(time.perf_counter() - started, 1)
    finally:
        client.close()


def list_latency(rpc, agency, state, calls):
    latencies, rows = [], 0
    for _ in range(calls):
        t0 = time.perf_counter()
        rows = len(rpc.permits.list_applications(agency, state, limit=50)["items"])
        latencies.append(time.perf_counter() - t0)
    return dict(latency_summary(latencies), rows=rows)


def filing_rate(rpc, permit_type_id, size, calls):
    payloads = [_filing(permit_type_id, size) for _ in range(calls)]
    latencies = []
    start = time.perf_counter()
    for payload in payloads:
        t0 = time.perf_counter()
        rpc.permits.file_application(payload)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    return dict(latency_summary(latencies), filings_per_s=round(calls / elapsed, 1))


def measure(env, small=100, large=100000, calls=50, filings=30):
    env = dict(env, MONGO_DB_PREFIX=database_prefix(), PERMITS_SLA_SWEEP_SECONDS="0")
    with service_alone(env, "permits") as config:
        result = _run(config, small, large, calls, filings)
    return dict(result, database_prefix=env["MONGO_DB_PREFIX"], measured_at=measured_at())


def _run(config, small, large, calls, filings):
    from nameko.standalone.rpc import ClusterRpcProxy

    with ClusterRpcProxy(config, timeout=120) as rpc:
        rpc.permits.load_catalogue(CATALOGUE)
        # the small office: half its applications in intake_check, so both pages are full
        seeded = {"small_s": seed(config, rpc, "bsmall", "bench-small", small,
                                  ("intake_check", "issued")),
                  "large_s": seed(config, rpc, "blarge", "bench-large", large)}
        lists = {}
        for label, agency in (("100", "bsmall"), ("100k", "blarge")):
            for state in ("intake_check", None):
                list_latency(rpc, agency, state, 3)  # warm-up
                lists["{}_{}".format(label, state or "all")] = list_latency(
                    rpc, agency, state, calls)
        filing_rate(rpc, "bench-small", 1024, 3)  # warm-up
        small_doc = filing_rate(rpc, "bench-small", 1024, filings)
        big_doc = filing_rate(rpc, "bench-small", 1024 * 1024, filings)
    return {
        "list_applications": lists,
        "list_100k_vs_100_p50": {
            "intake_check": ratio(lists["100k_intake_check"]["p50_ms"],
                                  lists["100_intake_check"]["p50_ms"]),
            "all": ratio(lists["100k_all"]["p50_ms"], lists["100_all"]["p50_ms"])},
        "list_target": 1.5,
        "filing_1kib": small_doc, "filing_1mib": big_doc,
        "filing_1mib_vs_1kib_per_s": ratio(big_doc["filings_per_s"],
                                           small_doc["filings_per_s"]),
        "seed_seconds": seeded,
    }


if __name__ == "__main__":
    import json
    import os

    from bench import baseline  # noqa: F401 - monkey-patches eventlet first

    print(json.dumps(measure(dict(os.environ)), indent=2))
