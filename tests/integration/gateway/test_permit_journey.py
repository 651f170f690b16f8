"""A permit from filing to the citizen scanning its QR code, over HTTP only: the applicant
files, the agency's staff move it through intake, its back office decides through the signed
callback, the supervisor approves and issues, and the verify link the QR carries answers
"valid" without personal data."""
import json
import time
from urllib.parse import parse_qs, urlsplit

from services.common import signing
from tests.integration.gateway.helpers import APPLICANT, CONNECTOR_SECRET, bearer, file_reklame


def _act(api, app_id, action, headers, **extra):
    answer = api.post("/api/v1/applications/by-id/{}/actions".format(app_id),
                      json=dict(extra, action=action), headers=headers)
    assert answer.status_code == 200, (action, answer.text)
    return answer.json()


def _callback(api, body):
    raw = json.dumps(body)
    now = str(int(time.time()))
    return api.post("/api/v1/connectors/dpmptsp/callbacks", data=raw, headers={
        "Content-Type": "application/json", signing.TIMESTAMP_HEADER: now,
        signing.SIGNATURE_HEADER: signing.sign(CONNECTOR_SECRET, now, raw)})


def test_application_to_verified_permit_over_http(api):
    app = file_reklame(api, "journey-0001")
    officer, supervisor = bearer(api, "dpmptsp.officer"), bearer(api, "dpmptsp.supervisor")
    app_id = app["application_id"]

    _act(api, app_id, "start_intake", officer)
    _act(api, app_id, "accept", officer)
    _act(api, app_id, "forward", officer)
    decided = _callback(api, {"application_id": app_id, "decision_id": "bo-77",
                              "status": "approved", "reference": "BO-2026-77"})
    assert decided.status_code == 200, decided.text
    again = _callback(api, {"application_id": app_id, "decision_id": "bo-77",
                            "status": "approved", "reference": "BO-2026-77"})
    assert again.json()["duplicate"] is True
    _act(api, app_id, "approve", supervisor)
    staff = api.get("/api/v1/applications/by-id/" + app_id, headers=supervisor).json()
    if staff["state"] != "issued":
        _act(api, app_id, "issue", supervisor)

    status = api.get("/api/v1/applications/" + app["tracking_code"],
                     headers={"X-Application-Pin": app["pin"]}).json()
    assert status["state"] == "issued", status
    permit = status["permit"]
    number = permit["permit_number"]
    assert number == status["permit_number"] and not permit["revoked"]
    assert "/" in number  # e.g. 503/0001/DPMPTSP/2026: the verify route takes it whole

    pdf = api.get("/api/v1/applications/{}/permit.pdf".format(app["tracking_code"]),
                  headers={"X-Application-Pin": app["pin"]})
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert api.get("/api/v1/applications/{}/permit.pdf".format(app["tracking_code"]),
                   headers={"X-Application-Pin": "000000"}).status_code in (403, 404)

    qr = urlsplit(permit["verify_url"])
    assert qr.path == "/verify"
    page = api.get(qr.path + "?" + qr.query)
    assert page.status_code == 200 and 'id="verify"' in page.text
    query = parse_qs(qr.query)
    assert query["n"] == [number]

    verified = api.get("/api/v1/permits/{}/verify".format(number),
                       params={"hash": query["h"][0]})
    assert verified.status_code == 200, verified.text
    view = verified.json()
    assert view["status"] == "valid" and view["permit_number"] == number
    assert view["holder"] == "Si** Am****"  # the holder, masked, from the signed record
    assert APPLICANT["name"] not in verified.text and APPLICANT["nik"] not in verified.text
    tampered = api.get("/api/v1/permits/{}/verify".format(number),
                       params={"hash": "0" * 64}).json()
    assert tampered["status"] != "valid"
