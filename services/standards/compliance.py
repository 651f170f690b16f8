"""Does what runs agree with what was promised: every adopted standard in force compared with
its subject's running configuration (``running``), field by field (``rules.differences``)."""
from services.contracts import standards as sc
from services.standards import rules


def compliance(ledger, running, agency=None):
    today = ledger.today().isoformat()
    out = []
    for doc in ledger.every(agency, sc.ADOPTED):
        if doc["status"] != sc.ADOPTED or (doc.get("effective_from") or "") > today:
            continue  # adopted for a later day: the running version is still the old one
        differences = rules.differences(doc, running.of(doc["agency"], doc["subject"]))
        if differences:
            out.append({"standard_id": doc["_id"], "agency": doc["agency"],
                        "subject": doc["subject"], "differences": differences})
    return out
