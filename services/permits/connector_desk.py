"""Where agency connectors meet applications: what a back office reads to decide, and the
decisions it reports (applied once per ``decision_id``)."""
from services.common import clock as clk
from services.common import settings
from services.common.errors import Conflict, Forbidden
from services.permits import acting, applications, schemas, store, webhook_agencies
from services.permits.connectors import vocabulary


def application_for_connector(ctx, application_id, connector):
    """What an agency back office needs to decide (includes the applicant's NIK: the
    agency is the data's lawful processor). Only for the application's own connector."""
    app = applications.get(ctx, application_id)
    if app["terms"]["connector"] != connector:
        raise Forbidden("Bukan konektor permohonan ini / Not this application's connector",
                        {"application_id": application_id})
    return {
        "application_id": app["_id"], "tracking_code": app["tracking_code"],
        "agency": app["agency"], "permit_type_id": app["permit_type_id"],
        "permit_type_version": app["permit_type_version"], "state": app["state"],
        "seq": app["history_seq"], "filed_at": app["filed_at"],
        "applicant": dict({k: app["applicant"].get(k) for k in ("name", "phone", "email")},
                          nik=ctx.keys.open_nik(app["applicant"].get("nik"))),
        "form": app["form"],
        "documents": [{k: d[k] for k in ("kind", "filename", "media_type", "size", "sha256")}
                      for d in store.app_documents(ctx.db, app["_id"],
                                                   app["requirement_kinds"])],
    }


def _agency_side(ctx, app, status, report):
    """What staff see of the agency's side (``connector_status``): its last report, with the
    agency's own word and reference."""
    store.put_connector_status(ctx.db, app["_id"], {
        "status": status, "label": vocabulary.label(status),
        "agency_status": report.get("agency_status"), "reference": report.get("reference"),
        "at": clk.iso(ctx.now())})


def record_decision(ctx, agency, decision):
    """A connector's report (after the gateway verified a webhook callback's signature).
    Applied once per ``decision_id``: a second delivery answers ``duplicate: true``."""
    d = schemas.load(schemas.ConnectorDecisionSchema, decision)
    prior = store.get_decision(ctx.db, agency, d["decision_id"])
    if prior is not None:
        return dict({k: v for k, v in prior.items() if k != "_id"}, applied=False,
                    duplicate=True)
    status = d.get("status")
    if status is None:
        mapping = settings.get(ctx.config, "PERMITS_STATUS_MAPPINGS").get(agency) \
            or webhook_agencies.status_mapping(ctx, agency)
        status = vocabulary.map_status(mapping, d["agency_status"])
    app = applications.get(ctx, d["application_id"])
    if app["agency"] != agency:
        raise Forbidden("Permohonan instansi lain / Application of another agency",
                        {"application_id": d["application_id"]})
    if status in vocabulary.PENDING_STATUSES:
        _agency_side(ctx, app, status, d)
        result = {"applied": False, "status": status, "state": app["state"],
                  "seq": app["history_seq"]}
        store.put_decision(ctx.db, agency, d["decision_id"], result)
        return dict(result, duplicate=False)
    details = {"decision_id": d["decision_id"]}
    for key in ("reference", "agency_status"):
        if d.get(key):
            details[key] = d[key]
    if d.get("corrections"):
        details["corrections"] = d["corrections"]
    try:
        new = acting.transition(ctx, app, vocabulary.ACTION_FOR_OUTCOME[status], "connector",
                                "connector:{}".format(app["terms"]["connector"]),
                                d.get("note"), details)
    except Conflict:
        again = applications.get(ctx, app["_id"])
        if any(e["details"].get("decision_id") == d["decision_id"]
               for e in applications.history_of(ctx, again)):
            return {"applied": False, "status": status, "state": again["state"],
                    "seq": again["history_seq"], "duplicate": True}
        raise
    _agency_side(ctx, app, status, d)
    result = {"applied": True, "status": status, "state": new["state"],
              "seq": new["history_seq"]}
    store.put_decision(ctx.db, agency, d["decision_id"], result)
    return dict(result, duplicate=False)
