"""Agency systems hear of their applications by signed webhook, on the real broker and
database, against a real HTTP receiver on loopback that checks each signature."""
import json
import time

import eventlet

from services.common import signing
from services.common.events import envelope
from tests.integration.notifications.conftest import rpc, sent_to, wait_status

HOOK = "/hooks/mpp"
AGENCY_SECRET = "dpmptsp-only-secret"
SHARED_SECRET = "shared-secret-of-others"


def submitted(app_id, agency="dpmptsp"):
    return envelope({"event_id": "{}:1:application_submitted".format(app_id), "application_id": app_id,
            "tracking_code": "K7QX-M2PA", "agency": agency, "permit_type_id": "pbg",
            "permit_type_name": "Persetujuan Bangunan Gedung",
            "contact": {"phone": "0811-0000-0001"}, "language": "id",
            "due_at": "2026-12-10T09:00:00Z"})


def sla_warning(app_id, threshold, agency="dpmptsp"):
    return envelope({"event_id": "{}:sla:{}".format(app_id, threshold), "application_id": app_id,
            "agency": agency, "tracking_code": "K7QX-M2PA", "permit_type_id": "pbg",
            "permit_type_name": "Persetujuan Bangunan Gedung", "state": "in_process",
            "threshold": threshold, "due_at": "2026-12-10T09:00:00Z",
            "remaining_working_days": 2, "seq": 4})


def issued(app_id, agency="dpmptsp"):
    return envelope({"event_id": "{}:7:permit_issued".format(app_id), "application_id": app_id,
            "tracking_code": "K7QX-M2PA", "agency": agency, "permit_type_id": "pbg",
            "permit_number": "503/PBG/2026/0001", "verify_url": "https://mpp.example/verify"})


def test_agency_webhooks_are_signed_with_the_agencys_key_and_sent_once(
        notify_config, start_notifications, events, httpserver):
    httpserver.expect_request(HOOK, method="POST").respond_with_data("ok", status=200)
    config = dict(notify_config, NOTIFY_TEST_MODE="0",
                  NOTIFY_AGENCY_WEBHOOKS="dpmptsp={}".format(httpserver.url_for(HOOK)),
                  NOTIFY_AGENCY_WEBHOOK_SECRETS="dpmptsp={}".format(AGENCY_SECRET),
                  WEBHOOK_SECRET=SHARED_SECRET)
    start_notifications(config)
    with rpc(config) as notifications:  # the applicant confirmed the number (a YA reply)
        notifications.provider_report("whatsapp", "yes-1", [],
                                      [{"from": submitted("app-1")["contact"]["phone"],
                                        "text": "YA"}])

    events.send("permits", "application_submitted", submitted("app-1"))
    warning = events.send("permits", "application_sla_warning", sla_warning("app-1", 50))
    events.send("permits", "application_sla_warning", warning)  # redelivered
    events.send("permits", "application_sla_warning", sla_warning("app-1", 80))
    events.send("permits", "permit_issued", issued("app-1"))
    # another agency has no webhook: its system hears nothing, its citizen still does
    events.send("permits", "application_submitted", submitted("app-2", agency="dinkes"))

    for key in ("application_submitted:app-1:agency:dpmptsp",
                "application_sla_warning:app-1:50:agency:dpmptsp",
                "application_sla_warning:app-1:80:agency:dpmptsp",
                "permit_issued:app-1:agency:dpmptsp"):
        message = wait_status(config, key, "delivered")
        assert message["channel"] == "webhook"
    wait_status(config, "application_submitted:app-2", "delivered")  # the citizen's (simulated)
    eventlet.sleep(0.5)  # room for a wrong second send to arrive

    bodies = sent_to(httpserver, HOOK)
    assert sorted((b["event"], b["data"].get("threshold_percent")) for b in bodies) == [
        ("application_sla_warning", 50), ("application_sla_warning", 80),
        ("application_submitted", None), ("permit_issued", None)]
    for request, _ in httpserver.log:
        ts = request.headers[signing.TIMESTAMP_HEADER]
        signature = request.headers[signing.SIGNATURE_HEADER]
        body = request.get_data()
        assert signing.verify(AGENCY_SECRET, ts, body, signature, time.time())
        assert not signing.verify(SHARED_SECRET, ts, body, signature, time.time())
        assert request.headers["X-MPP-Delivery"] == json.loads(body)["id"]
    payloads = {b["event"]: b["data"] for b in bodies}
    assert payloads["permit_issued"]["permit_number"] == "503/PBG/2026/0001"
    assert payloads["application_submitted"]["permit_name"] == "Persetujuan Bangunan Gedung"
    assert payloads["application_submitted"]["agency_id"] == "dpmptsp"
    # the agency's system gets what it needs to act, nothing personal of the applicant
    raw = b"".join(request.get_data() for request, _ in httpserver.log)
    # the number's own digits, not a fragment short enough to turn up in a random id
    assert b"0811-0000" not in raw and b"81100000001" not in raw

    with rpc(config) as notifications:
        kinds = sorted((m["kind"], m["channel"]) for m in notifications.messages_for("app-1"))
        assert ("permit_issued", "webhook") in kinds and ("permit_issued", "whatsapp") in kinds
        assert not [m for m in notifications.messages_for("app-2") if m["channel"] == "webhook"]
