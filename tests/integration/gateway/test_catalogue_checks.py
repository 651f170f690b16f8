"""The catalogue checks itself, the way the MPP admin meets it over HTTP: a service moved to
another agency while that agency's counters do not serve it is refused with the counters
named (none left calling another agency's queue); a junk agency is retired and leaves the
catalogue, one with services is refused; a retired permit type leaves the types in force; and
the citizen reads what remains after the agency's decision in plain words."""
from datetime import date, timedelta

from tests.integration.gateway.helpers import assert_problem, bearer, file_reklame
from tests.integration.gateway.test_permit_journey import _act, _callback


def _agencies(api, headers=None):
    """The agencies as ``headers``' holder sees them (a new agency is still onboarding: only
    the MPP admin and its own staff see it until it goes live)."""
    return {a["code"]: a for a in api.get("/api/v1/agencies", headers=headers).json()["agencies"]}


def test_moving_a_service_is_refused_while_the_old_agency_counters_serve_it(api):
    admin = bearer(api, "admin")
    moved = {"id": "samsat-bbn", "agency": "dpmptsp", "prefix": "J", "name": "Balik Nama"}
    refused = assert_problem(api.put("/api/v1/admin/services", json=moved, headers=admin), 409)
    assert refused["details"]["counters"] == ["samsat-7"]
    assert _agencies(api)["samsat"]["services"][1]["id"] == "samsat-bbn"  # nothing changed

    # the counter lets go of it first; then the service moves, and the new agency's
    # counter takes it
    counter = {"id": "samsat-7", "agency": "samsat", "name": "Loket 7",
               "services": ["samsat-pkb"]}
    assert api.put("/api/v1/admin/counters", json=counter, headers=admin).status_code == 200
    assert api.put("/api/v1/admin/services", json=moved, headers=admin).status_code == 200
    assert "samsat-bbn" in [s["id"] for s in _agencies(api)["dpmptsp"]["services"]]
    ptsp = {"id": "ptsp-1", "agency": "dpmptsp", "name": "Loket 1",
            "services": ["ptsp-izin", "samsat-bbn"]}
    assert api.put("/api/v1/admin/counters", json=ptsp, headers=admin).status_code == 200


def test_a_junk_agency_is_retired_and_one_with_services_is_not(api):
    admin = bearer(api, "admin")
    junk = {"code": "instansi-salah", "name": "Instansi Salah Ketik"}
    assert api.put("/api/v1/admin/agencies", json=junk, headers=admin).status_code == 200
    assert "instansi-salah" in _agencies(api, admin)

    retired = api.delete("/api/v1/admin/agencies/instansi-salah", headers=admin)
    assert retired.status_code == 200, retired.text
    assert "instansi-salah" not in _agencies(api, admin)
    # nothing new is made for it
    service = {"id": "salah-1", "agency": "instansi-salah", "prefix": "Q", "name": "Salah"}
    assert_problem(api.put("/api/v1/admin/services", json=service, headers=admin), 422)
    assert_problem(api.delete("/api/v1/admin/agencies/instansi-salah", headers=admin), 404)

    busy = assert_problem(api.delete("/api/v1/admin/agencies/samsat", headers=admin), 409)
    assert sorted(busy["details"]["services"]) == ["samsat-bbn", "samsat-pkb"]
    assert "samsat" in _agencies(api)
    # an agency with permit types in force keeps them until they are retired
    assert_problem(api.delete("/api/v1/admin/agencies/dpmptsp", headers=admin), 409)


def test_a_retired_permit_type_leaves_the_types_in_force(api):
    admin = bearer(api, "admin")
    today = date.today().isoformat()
    later = (date.today() + timedelta(days=30)).isoformat()
    answer = api.post("/api/v1/admin/permit-types/sip/retire", json={"retired_from": later},
                      headers=admin)
    assert answer.status_code == 200 and answer.json()["retired_from"] == later
    assert "sip" in [t["id"] for t in api.get("/api/v1/permit-types").json()["permit_types"]]
    api.post("/api/v1/admin/permit-types/sip/retire", json={"retired_from": today},
             headers=admin)
    assert "sip" not in [t["id"] for t in api.get("/api/v1/permit-types").json()["permit_types"]]
    assert_problem(api.post("/api/v1/admin/permit-types/sip/retire",
                            json={"retired_from": "kemarin"}, headers=admin), 422)


def test_the_citizen_reads_what_remains_after_the_agency_decides(api):
    app = file_reklame(api, "remaining-0001")
    officer = bearer(api, "dpmptsp.officer")
    for action in ("start_intake", "accept", "forward"):
        _act(api, app["application_id"], action, officer)

    def remaining():
        status = api.get("/api/v1/applications/" + app["tracking_code"],
                         headers={"X-Application-Pin": app["pin"]}).json()
        return [(r["label"], r["done"]) for r in status["remaining"]]

    assert remaining() == [("Keputusan instansi teknis", False),
                           ("Persetujuan pejabat tingkat 1", False),
                           ("Penerbitan izin", False)]
    decided = _callback(api, {"application_id": app["application_id"],
                              "decision_id": "bo-remaining-1", "status": "approved",
                              "reference": "BO-2026-99"})
    assert decided.status_code == 200, decided.text
    assert remaining() == [("Keputusan instansi teknis", True),
                           ("Persetujuan pejabat tingkat 1", False),
                           ("Penerbitan izin", False)]
