"""The OpenAPI document, the docs page from local assets, the web client's pages, and the
permits pass-throughs (public filing and status, staff work list and actions, signed
connector callbacks)."""
import json
import time

from services.common import signing
from tests.integration.gateway.helpers import (APPLICANT, CONNECTOR_SECRET, PDF, assert_problem,
                                               bearer)


def test_openapi_docs_and_pages(api):
    spec = api.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    doc = spec.json()
    assert doc["openapi"].startswith("3.")
    post = doc["paths"]["/api/v1/tickets"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "IssueTicketRequest")
    assert "service_id" in doc["components"]["schemas"]["IssueTicketRequest"]["properties"]
    assert "429" in post["responses"] and "422" in post["responses"]
    assert doc["paths"]["/api/v1/counters/{counter_id}/call-next"]["post"]["security"]
    docs = api.get("/api/docs")
    assert docs.status_code == 200 and "/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "http" not in docs.text.split("<body>")[1].replace("/api/v1/openapi.json", "")
    assert api.get("/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    for page in ("/", "/kiosk", "/board", "/counter", "/portal", "/office", "/admin"):
        answer = api.get(page)
        assert answer.status_code == 200 and "Content-Security-Policy" in answer.headers
        assert "https://" not in answer.text
    assert api.get("/static/../service.py").status_code == 404


def test_application_filed_tracked_and_acted_on_by_its_agency_only(api):
    body = {"permit_type_id": "sip", "applicant": APPLICANT, "form": {"str_number": "STR-123456"},
            "documents": [{"kind": "ktp", "filename": "ktp.pdf", "media_type": "application/pdf",
                           "content": PDF}]}
    filed = api.post("/api/v1/applications", json=body, headers={"Idempotency-Key": "apply-0001"})
    assert filed.status_code == 201, filed.text
    app = filed.json()
    again = api.post("/api/v1/applications", json=body, headers={"Idempotency-Key": "apply-0001"})
    assert again.json()["tracking_code"] == app["tracking_code"]
    assert APPLICANT["name"] not in filed.text and APPLICANT["nik"] not in filed.text
    bad = assert_problem(api.post("/api/v1/applications", json=dict(body, applicant=dict(
        APPLICANT, nik="12"))), 422)
    assert "applicant" in bad["errors"]

    status = api.get("/api/v1/applications/" + app["tracking_code"],
                     headers={"X-Application-Pin": app["pin"]})
    assert status.status_code == 200, status.text
    assert APPLICANT["name"] not in status.text and APPLICANT["nik"] not in status.text
    assert status.json()["state"] == "submitted"
    assert api.get("/api/v1/applications/" + app["tracking_code"] + "?pin=000000").status_code in (
        403, 404)

    ptsp = bearer(api, "dpmptsp.supervisor")
    samsat = bearer(api, "samsat.supervisor")
    assert_problem(api.get("/api/v1/applications"), 401)
    assert_problem(api.get("/api/v1/applications?agency=dpmptsp", headers=samsat), 403)
    items = api.get("/api/v1/applications", headers=ptsp).json()["items"]
    assert app["tracking_code"] in [i["tracking_code"] for i in items]
    app_id = app["application_id"]
    assert api.get("/api/v1/applications/by-id/" + app_id, headers=samsat).status_code in (403, 404)
    staff_view = api.get("/api/v1/applications/by-id/" + app_id, headers=ptsp)
    assert staff_view.status_code == 200 and APPLICANT["nik"] not in staff_view.text
    assert_problem(api.post("/api/v1/applications/by-id/{}/actions".format(app_id),
                            json={"action": "start_intake"}, headers=samsat), 403)
    assert_problem(api.post("/api/v1/applications/by-id/{}/actions".format(app_id),
                            json={"action": 5}, headers=ptsp), 422)
    acted = api.post("/api/v1/applications/by-id/{}/actions".format(app_id),
                     json={"action": "start_intake"}, headers=ptsp)
    assert acted.status_code == 200, acted.text
    later = api.get("/api/v1/applications/" + app["tracking_code"],
                    headers={"X-Application-Pin": app["pin"]}).json()
    assert later["state"] != "submitted" and len(later["history"]) >= 2
    assert api.get("/api/v1/permits/NOPE-1/verify").json()["status"] == "unknown"
    assert api.get("/api/v1/permits/public-key").json()["algorithm"] == "Ed25519"


def test_connector_callbacks_need_a_valid_signature(api):
    raw = json.dumps({"application_id": "nope", "decision_id": "d-1", "status": "received"})
    url = "/api/v1/connectors/dpmptsp/callbacks"
    now = str(int(time.time()))
    headers = {"Content-Type": "application/json", signing.TIMESTAMP_HEADER: now}
    missing = assert_problem(api.post(url, data=raw, headers=headers), 401)
    assert missing["details"]["reason"] == "missing_signature"
    wrong = assert_problem(api.post(url, data=raw, headers=dict(headers, **{
        signing.SIGNATURE_HEADER: signing.sign("wrong", now, raw)})), 401)
    assert wrong["details"]["reason"] == "bad_signature"
    old = str(int(time.time()) - 3600)
    stale = assert_problem(api.post(url, data=raw, headers=dict(headers, **{
        signing.TIMESTAMP_HEADER: old, signing.SIGNATURE_HEADER: signing.sign(
            CONNECTOR_SECRET, old, raw)})), 401)
    assert stale["details"]["reason"] == "stale_timestamp"   # a clock to fix, not a secret
    assert "300" in stale["detail"]
    assert_problem(api.post("/api/v1/connectors/samsat/callbacks", data=raw, headers=headers), 403)
    signed = api.post(url, data=raw, headers=dict(headers, **{
        signing.SIGNATURE_HEADER: signing.sign(CONNECTOR_SECRET, now, raw)}))
    assert signed.status_code == 404, signed.text  # verified, then permits: no such application
