"""Feedback through the gateway over HTTP: a completed ticket's survey answered once by its
token, the public statistics (JSON and CSV, no personal data), complaints filed by citizens
and handled by their agency only, the LAPOR! export and the perception-vs-measured view."""
import csv
import io

from tests.integration.gateway.helpers import (APPLICANT, PDF, assert_problem, bearer,
                                               documented)
from tests.support import wait_for

PHONE = "+6281100000001"


def serve_one(api, officer):
    ticket = api.post("/api/v1/tickets", json={"service_id": "samsat-pkb",
                                               "contact": {"phone": PHONE}}).json()
    body = {"counter_id": "samsat-7"}
    assert api.post("/api/v1/counters/samsat-7/open", headers=officer).status_code == 200
    assert api.post("/api/v1/counters/samsat-7/call-next", headers=officer).status_code == 200
    path = "/api/v1/tickets/{}/".format(ticket["id"])
    assert api.post(path + "start", json=body, headers=officer).status_code == 200
    assert api.post(path + "complete", json=body, headers=officer).status_code == 200
    return ticket


def test_survey_statistics_and_complaints_over_http(api):
    officer = bearer(api, "samsat.officer")
    ticket = serve_one(api, officer)
    link_path = "/api/v1/tickets/{}/survey".format(ticket["id"])
    assert_problem(api.get(link_path, headers={"X-Ticket-Token": "nope"}), 404)
    link = wait_for(lambda: _ok(api.get(link_path, headers={
        "X-Ticket-Token": ticket["access_token"]})), message="the survey link")["survey_url"]
    base, token = link.split("#t=")
    assert base.endswith("/survey")
    page = api.get("/survey")
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]

    form = documented(api.get("/api/v1/surveys/" + token))
    assert form["service_name"] == "Pajak Kendaraan" and len(form["elements"]) == 9
    bad = assert_problem(api.post("/api/v1/surveys/" + token,
                                  json={"answers": {"waktu": 5}, "extra": 1}), 422)
    assert {"answers", "extra"} <= set(bad["errors"])
    answers = {e["code"]: 3 for e in form["elements"]}
    text = "<script>alert('x')</script> kursi kurang"
    answered = documented(api.post("/api/v1/surveys/" + token,
                                   json={"answers": answers, "text": text}), 201)
    assert answered["accepted"] is True
    reused = assert_problem(api.post("/api/v1/surveys/" + token, json={"answers": answers}),
                            409)
    assert "sudah diisi" in reused["detail"]
    assert_problem(api.post("/api/v1/surveys/" + "A" * 43, json={"answers": answers}), 404)
    assert documented(api.get("/api/v1/surveys/" + token))["answered"] is True

    # public statistics: JSON and CSV, no personal data
    stats = api.get("/api/v1/statistics").json()
    samsat = next(a for a in stats["agencies"] if a["agency"] == "samsat")
    assert samsat["visitors_today"] == 1
    assert (samsat["ikm"]["score"], samsat["ikm"]["grade"]) == ("75.00", "C")
    assert samsat["wait_month"]["count"] == 1 and samsat["wait_month"]["p90_seconds"] is not None
    as_csv = api.get("/api/v1/statistics?format=csv")
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {"mpp", "agency", "service"} == {r["level"] for r in rows}
    accept = api.get("/api/v1/statistics", headers={"Accept": "text/csv"})
    assert accept.headers["Content-Type"].startswith("text/csv")
    for body in (as_csv.text, api.get("/api/v1/statistics").text):
        assert PHONE not in body and "81100000001" not in body and "<script>" not in body
    assert_problem(api.get("/api/v1/statistics?month=2026-13"), 422)
    assert_problem(api.get("/api/v1/statistics?format=xml"), 422)
    assert api.get("/statistics").status_code == 200

    # the survey's free text reaches supervisors as data, never rendered by the API
    supervisor = bearer(api, "samsat.supervisor")
    comments = api.get("/api/v1/feedback/comments", headers=supervisor).json()
    assert [c["text"] for c in comments["items"]] == [text]

    # complaints: filed by a citizen about the ticket, routed to its agency
    complaint = documented(api.post("/api/v1/complaints", json={
        "kind": "pengaduan", "reference": ticket["id"],
        "text": "Antrean lama dan loket 7 sempat kosong."},
        headers={"Idempotency-Key": "complaint-1"}), 201)
    assert complaint["agency"] == "samsat" and complaint["status"] == "received"
    again = api.post("/api/v1/complaints", json={
        "kind": "pengaduan", "reference": ticket["id"],
        "text": "Antrean lama dan loket 7 sempat kosong."},
        headers={"Idempotency-Key": "complaint-1"})
    assert documented(again, 201)["id"] == complaint["id"]
    invalid = assert_problem(api.post("/api/v1/complaints", json={
        "kind": "protes", "agency": "nowhere", "text": "pendek"}), 422)
    assert {"kind", "text"} <= set(invalid["errors"])
    unknown = assert_problem(api.post("/api/v1/complaints", json={
        "kind": "saran", "agency": "nowhere", "text": "Tambah kursi di ruang tunggu."}), 422)
    assert "agency" in unknown["errors"]
    public = documented(api.get("/api/v1/complaints/" + complaint["id"]))
    assert public["status"] == "received" and "text" not in public

    # staff: own agency only
    other = bearer(api, "dpmptsp.officer")
    assert_problem(api.get("/api/v1/feedback/complaints"), 401)
    assert documented(api.get("/api/v1/feedback/complaints", headers=other))["items"] == []
    assert_problem(api.get("/api/v1/feedback/complaints?agency=samsat", headers=other), 403)
    cpath = "/api/v1/feedback/complaints/" + complaint["id"]
    assert_problem(api.get(cpath, headers=other), 404)
    assert_problem(api.post(cpath, json={"status": "in_progress"}, headers=other), 404)
    mine = documented(api.get("/api/v1/feedback/complaints", headers=officer))["items"]
    assert [c["id"] for c in mine] == [complaint["id"]]
    assert_problem(api.post(cpath, json={"status": "answered"}, headers=officer), 422)
    assert_problem(api.post(cpath, json={"status": "nonsense"}, headers=officer), 422)
    answered = api.post(cpath, json={"status": "answered", "response": "Loket 7 kini dijaga."},
                        headers=officer)
    assert answered.status_code == 200, answered.text
    assert answered.json()["history"][-1]["by"] == "samsat.officer"
    assert_problem(api.post(cpath, json={"status": "answered", "response": "lagi"},
                            headers=officer), 409)
    assert documented(api.get("/api/v1/complaints/" + complaint["id"]))["response"] == (
        "Loket 7 kini dijaga.")
    admin = bearer(api, "admin")
    listed = documented(api.get("/api/v1/feedback/complaints", headers=admin))["items"]
    assert [(c["id"], c["status"]) for c in listed] == [(complaint["id"], "answered")]

    # LAPOR! export: supervisors, CSV or JSON, no NIK, no contact
    assert_problem(api.get("/api/v1/feedback/lapor-export", headers=officer), 403)
    lapor = api.get("/api/v1/feedback/lapor-export?format=csv", headers=supervisor)
    assert lapor.status_code == 200 and lapor.headers["Content-Type"].startswith("text/csv")
    assert complaint["id"] in lapor.text and PHONE not in lapor.text
    assert "nik" not in lapor.text.lower().split("\r\n")[0]
    lapor_json = documented(api.get("/api/v1/feedback/lapor-export", headers=supervisor))
    assert lapor_json["items"][0]["instansi_tujuan"] == "samsat"

    # element scores beside what was measured
    seen = api.get("/api/v1/feedback/perception", headers=supervisor).json()
    item = next(i for i in seen["items"] if i["service_id"] == "samsat-pkb")
    waktu = next(e for e in item["elements"] if e["code"] == "waktu")
    assert waktu["nrr"] == "3.0000" and item["measured"]["wait"]["count"] == 1
    assert_problem(api.get("/api/v1/feedback/perception?agency=dpmptsp", headers=supervisor),
                   403)

    # the counter may show the survey QR of its own agency's ticket only
    qr = api.get("/api/v1/feedback/survey-link/{}.svg".format(ticket["id"]), headers=officer)
    assert qr.status_code == 200 and qr.text.startswith("<svg")
    assert_problem(api.get("/api/v1/feedback/survey-link/{}.svg".format(ticket["id"]),
                           headers=other), 403)

    # IKM elements: admin only, weights must sum to 1
    assert_problem(api.put("/api/v1/admin/ikm-elements", json={"elements": []},
                           headers=supervisor), 403)
    wrong = assert_problem(api.put("/api/v1/admin/ikm-elements", headers=admin, json={
        "elements": [{"code": e["code"], "name": e["name"], "weight": "0.11"}
                     for e in form["elements"]]}), 422)
    assert "weights" in wrong["errors"]
    current = api.get("/api/v1/admin/ikm-elements", headers=admin).json()["elements"]
    saved = documented(api.put("/api/v1/admin/ikm-elements", headers=admin,
                               json={"elements": current}))
    assert [e["code"] for e in saved["elements"]] == [e["code"] for e in form["elements"]]


def _ok(response):
    return response.json() if response.status_code == 200 else None


def test_the_pages_are_served_and_linked(api):
    index = api.get("/").text
    assert 'href="/statistics"' in index and 'href="/complaint"' in index
    for path, script in (("/survey", "survey.js"), ("/complaint", "survey.js"),
                         ("/statistics", "statistics.js")):
        page = api.get(path)
        assert page.status_code == 200 and "/static/{}".format(script) in page.text
        assert api.get("/static/" + script).status_code == 200


def test_every_feedback_route_is_documented(api):
    spec = api.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    for path, method in (("/api/v1/surveys/{token}", "post"), ("/api/v1/complaints", "post"),
                         ("/api/v1/statistics", "get"),
                         ("/api/v1/feedback/complaints/{complaint_id}", "post"),
                         ("/api/v1/feedback/lapor-export", "get"),
                         ("/api/v1/feedback/perception", "get"),
                         ("/api/v1/tickets/{ticket_id}/survey", "get")):
        operation = paths[path][method]
        assert operation["summary"] and "422" in operation["responses"], (path, method)
        assert "application/problem+json" in operation["responses"]["422"]["content"]
    assert set(paths["/api/v1/statistics"]["get"]["responses"]["200"]["content"]) == {
        "application/json", "text/csv"}
    assert "requestBody" in paths["/api/v1/surveys/{token}"]["post"]
    assert paths["/api/v1/feedback/lapor-export"]["get"]["security"]


def test_an_issued_permit_counts_towards_sla_compliance_and_invites(api):
    from tests.integration.gateway.test_permit_journey import _act, _callback

    filed = api.post("/api/v1/applications", json={
        "permit_type_id": "reklame", "applicant": APPLICANT, "form": {"size_m2": 4},
        "documents": [{"kind": "ktp", "filename": "ktp.pdf", "media_type": "application/pdf",
                       "content": PDF}]}).json()
    officer, supervisor = bearer(api, "dpmptsp.officer"), bearer(api, "dpmptsp.supervisor")
    app_id = filed["application_id"]
    for action in ("start_intake", "accept", "forward"):
        _act(api, app_id, action, officer)
    assert _callback(api, {"application_id": app_id, "decision_id": "bo-1",
                           "status": "approved"}).status_code == 200
    _act(api, app_id, "approve", supervisor)
    if api.get("/api/v1/applications/by-id/" + app_id, headers=supervisor).json()[
            "state"] != "issued":
        _act(api, app_id, "issue", supervisor)

    def dpmptsp():
        stats = api.get("/api/v1/statistics").json()
        agency = next((a for a in stats["agencies"] if a["agency"] == "dpmptsp"), None)
        return agency if agency and agency["sla"]["decided"] else None
    agency = wait_for(dpmptsp, message="the permit's decision in the statistics")
    # filed and issued the same day: within its 3 working days
    assert agency["sla"]["within"] == 1 and agency["sla"]["percent"] == "100.0"
    service = agency["services"][0]
    assert (service["service_id"], service["service_name"]) == ("reklame", "Izin Reklame")
    qr = "/api/v1/feedback/survey-link/{}.svg".format(app_id)
    assert wait_for(lambda: api.get(qr, headers=officer).status_code == 200,
                    message="the permit's survey invitation")
    admin = bearer(api, "admin")
    kinds = wait_for(lambda: "survey_invited" in [m["kind"] for m in api.get(
        "/api/v1/notifications?reference=" + app_id, headers=admin).json()["messages"]],
        message="notifications to send the survey link")
    assert kinds
    assert APPLICANT["nik"] not in api.get("/api/v1/statistics?format=csv").text
