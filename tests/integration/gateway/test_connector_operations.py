"""Connectors seen and run by the MPP's staff, on the real broker and database: an agency's
word the connector does not know is retried, then the work is parked with an alert (the
connector suspends itself, the admin list shows why), the application waits in process and
nothing is lost; once the mapping is fixed and the connector resumed, the application moves.
A catalogue entry naming a connector nobody runs is flagged ``unknown``; /readyz and /metrics
list the connectors."""
import uuid

from mpp_connector import Connector, Pending

from services.permits.connectors.sdk import connector_service
from tests.e2e.browser import harness
from tests.integration.gateway.helpers import APPLICANT, PASSWORD, PDF, assert_problem, bearer
from tests.support import wait_for

#: what the water company's system says about each application (by tracking code)
AGENCY_SAYS = {}

WATER_TYPE = {
    "permit_type_id": "sambungan-air", "version": 1, "agency": "dpmptsp",
    "name": "Sambungan air baru", "name_en": "New water connection",
    "effective_from": "2026-01-01", "sla_working_days": 5, "fee": 0, "approval_levels": 1,
    "connector": "tirta", "requirements": [{"kind": "ktp", "name": "KTP"}],
    "form": [{"name": "address", "type": "string", "required": True, "label": "Alamat"}]}
ORPHAN_TYPE = dict(WATER_TYPE, permit_type_id="sambungan-tanpa-konektor",
                   name="Sambungan (konektor belum jalan)", connector="nobody_runs_this")


class Tirta(Connector):
    name = "tirta"

    def process(self, application):
        word = AGENCY_SAYS.get(application["tracking_code"])
        if word is None:
            return Pending("received", agency_status="BARU", retry_after_seconds=0.2)
        return self.result(word, reference="SB-77")


TirtaService = connector_service(Tirta, retry_interval=0.1, report_interval=0.3)

MAPPING = {"BARU": "received", "SURVEI": "in_review", "SELESAI": "approved",
           "DITOLAK": "rejected"}


def tirta_config(config, mapping):
    return dict(config, CONNECTOR_INLINE_ATTEMPTS=2, CONNECTOR_BACKOFF_SECONDS=0.05,
                CONNECTOR_MAX_ATTEMPTS=4, CONNECTOR_MAX_BACKOFF_SECONDS=0.2,
                TIRTA_CONNECTOR={"status_mapping": mapping, "poll_seconds": 0.2})


def connectors(api, headers):
    answer = api.get("/api/v1/admin/connectors", headers=headers)
    assert answer.status_code == 200, answer.text
    return {c["name"]: c for c in answer.json()["connectors"]}


def file_and_forward(api, agency_says=None):
    """A water connection filed over HTTP and forwarded by the officer to the ``tirta``
    connector; ``agency_says``: the agency system's word about it from the start. Returns
    ``(application_id, tracking_code)``."""
    filed = api.post("/api/v1/applications", headers={"Idempotency-Key": uuid.uuid4().hex},
                     json={"permit_type_id": "sambungan-air", "applicant": APPLICANT,
                           "form": {"address": "Jl. Pemuda 7"},
                           "documents": [{"kind": "ktp", "filename": "ktp.pdf",
                                          "media_type": "application/pdf", "content": PDF}]})
    assert filed.status_code == 201, filed.text
    app_id, tracking = filed.json()["application_id"], filed.json()["tracking_code"]
    if agency_says:
        AGENCY_SAYS[tracking] = agency_says
    officer = bearer(api, "dpmptsp.officer")
    for action in ("start_intake", "accept", "forward"):
        acted = api.post("/api/v1/applications/by-id/{}/actions".format(app_id),
                         json={"action": action}, headers=officer)
        assert acted.status_code == 200, acted.text
    return app_id, tracking


def test_unmapped_word_parks_with_an_alert_and_moves_once_fixed(api, gateway_config,
                                                                 runner_factory):
    admin = bearer(api, "admin")
    for version in (WATER_TYPE, ORPHAN_TYPE):
        assert api.put("/api/v1/admin/permit-types", json=version,
                       headers=admin).status_code == 200
    listed = connectors(api, admin)
    assert listed["nobody_runs_this"]["state"] == "unknown"   # flagged before anyone files

    first = runner_factory(tirta_config(gateway_config, MAPPING), TirtaService)
    first.start()
    wait_for(lambda: connectors(api, admin)["tirta"]["state"] == "running",
             message="the connector to report in")

    app_id, tracking = file_and_forward(api)
    officer = bearer(api, "dpmptsp.officer")

    def staff_view():
        return api.get("/api/v1/applications/by-id/" + app_id, headers=officer).json()

    wait_for(lambda: (staff_view().get("connector_status") or {}).get("agency_status") == "BARU",
             message="the agency's own word shown to staff")
    AGENCY_SAYS[tracking] = "Selesai Dipasang"            # a word nobody mapped
    supervisor = bearer(api, "dpmptsp.supervisor")
    suspended = wait_for(lambda: connectors(api, supervisor)["tirta"]["state"] == "suspended"
                         and connectors(api, supervisor)["tirta"], timeout=30,
                         message="the connector to park the work and suspend")
    assert "Selesai Dipasang" in suspended["reason"] and suspended["parked"] == 1
    assert suspended["suspended_at"] and suspended["agency"] == "dpmptsp"
    assert staff_view()["state"] == "in_process"         # waiting, not lost

    # another agency's supervisor neither sees nor resumes it
    samsat = bearer(api, "samsat.supervisor")
    assert "tirta" not in connectors(api, samsat)
    assert_problem(api.post("/api/v1/admin/connectors/tirta/resume", headers=samsat), 403)
    assert_problem(api.post("/api/v1/admin/connectors/no_such/resume", headers=admin), 404)
    assert_problem(api.post("/api/v1/admin/connectors/nobody_runs_this/resume", headers=admin),
                   409)                                  # named, but no service runs it

    ready = api.get("/readyz").json()
    assert ready["connectors"]["tirta"] == "suspended"
    assert ready["connectors"]["nobody_runs_this"] == "unknown"
    metrics = api.get("/metrics").text
    assert 'mpp_connector_state{connector="tirta",state="suspended"} 1.0' in metrics

    # the agency's supervisor sees it in the back office (a banner, in Indonesian)
    base_url = "http://" + gateway_config["WEB_SERVER_ADDRESS"]
    seen = harness.run("connector_journey:supervisor_sees_the_stopped_link", base_url,
                       username="dpmptsp.supervisor", password=PASSWORD)
    assert "Selesai Dipasang" in seen["banner"] and "belum dipetakan" in seen["banner"]

    # the fix: the connector's own process restarted with the word mapped, then resumed
    # from the banner
    first.stop()
    fixed = runner_factory(tirta_config(gateway_config, dict(MAPPING, **{
        "SELESAI DIPASANG": "approved"})), TirtaService)
    fixed.start()
    harness.run("connector_journey:supervisor_resumes_it", base_url,
                username="dpmptsp.supervisor", password=PASSWORD)
    assert connectors(api, admin)["tirta"]["state"] == "running"
    wait_for(lambda: staff_view()["state"] == "approval_1", timeout=20,
             message="the application to move on")
    agency_side = staff_view()["connector_status"]     # the agency's own word, to staff
    assert agency_side["status"] == "approved" and agency_side["reference"] == "SB-77"
    assert agency_side["agency_status"] == "Selesai Dipasang"
