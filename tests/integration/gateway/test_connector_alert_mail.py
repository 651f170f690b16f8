"""A connector that suspends itself reaches its agency's supervisors by e-mail, not only as the
back office's banner: a real connector (built with the kit) meets an agency word nobody
mapped, parks the work and suspends; permits hears its report and announces the suspension;
notifications asks the gateway for the agency's supervisors' addresses (each gave theirs, or
the admin did) and sends each one mail through a real local SMTP server. Officers and another
agency's supervisors get nothing; repeated reports send nothing more; no applicant's data is
in the mail."""
import base64
import email
from email.policy import default as default_policy

from services.common.config import database_name
from tests.integration.gateway.helpers import APPLICANT, PASSWORD, bearer
from tests.integration.gateway.test_connector_operations import (
    MAPPING, WATER_TYPE, TirtaService, connectors, file_and_forward, tirta_config)
from tests.integration.notifications.test_channels import smtp_server  # noqa: F401 - fixture
from tests.support import wait_for

SUPERVISOR_MAIL = "kabid.ptsp@kapuaskab.go.id"
SECOND_SUPERVISOR_MAIL = "sekretaris.ptsp@kapuaskab.go.id"


def mails(smtp_server):  # noqa: F811 - the fixture's value
    out = []
    for item in smtp_server["received"]():
        message = email.message_from_bytes(base64.b64decode(item["data"]), policy=default_policy)
        out.append({"to": item["rcpt_tos"], "subject": str(message["subject"]),
                    "body": message.get_body(("plain",)).get_content()})
    return out


def test_a_suspended_connector_is_mailed_to_its_agencys_supervisors(
        start_suite, gateway_config, runner_factory, web_session, mongo_client,
        smtp_server):  # noqa: F811
    from nameko.standalone.rpc import ServiceRpcProxy

    from tests.integration.gateway.helpers import CATALOGUE

    config = dict(gateway_config, NOTIFY_TEST_MODE=0, SMTP_HOST="127.0.0.1",
                  SMTP_PORT=smtp_server["port"], SMTP_SECURITY="none",
                  SMTP_FROM="MPP Kapuas <noreply@mpp-kapuas.example>")
    start_suite(config, CATALOGUE)
    with ServiceRpcProxy("gateway", config) as gateway:
        gateway.ensure_demo_accounts(["samsat", "dpmptsp"], PASSWORD)
    api = web_session
    admin = bearer(api, "admin")
    supervisor = bearer(api, "dpmptsp.supervisor")

    # each gives their own address; the admin gives a new supervisor's when making the account
    bad = api.post("/api/v1/auth/contact", json={"email": "bukan-alamat"}, headers=supervisor)
    assert bad.status_code == 422 and "email" in bad.json()["errors"]
    given = api.post("/api/v1/auth/contact", json={"email": SUPERVISOR_MAIL}, headers=supervisor)
    assert given.status_code == 200 and given.json()["email"] == SUPERVISOR_MAIL
    for username in ("dpmptsp.officer", "samsat.supervisor"):
        assert api.post("/api/v1/auth/contact", json={"email": username + "@kapuaskab.go.id"},
                        headers=bearer(api, username)).status_code == 200
    made = api.post("/api/v1/admin/accounts", headers=admin, json={
        "username": "ptsp.sekretaris", "password": "kata-sandi-sekretaris", "role": "supervisor",
        "agency": "dpmptsp", "email": SECOND_SUPERVISOR_MAIL})
    assert made.status_code == 201 and made.json()["email"] == SECOND_SUPERVISOR_MAIL

    assert api.put("/api/v1/admin/permit-types", json=WATER_TYPE,
                   headers=admin).status_code == 200
    runner_factory(tirta_config(config, MAPPING), TirtaService).start()
    wait_for(lambda: connectors(api, admin)["tirta"]["state"] == "running",
             message="the connector to report in")
    _, tracking = file_and_forward(api, agency_says="Menunggu Survei Lokasi")  # unmapped
    suspended = wait_for(lambda: connectors(api, admin)["tirta"]["state"] == "suspended"
                         and connectors(api, admin)["tirta"], timeout=30,
                         message="the connector to suspend itself")

    received = wait_for(lambda: len(mails(smtp_server)) >= 2 and mails(smtp_server), timeout=30,
                        message="the supervisors' mail")
    assert sorted(address for m in received for address in m["to"]) == sorted(
        [SUPERVISOR_MAIL, SECOND_SUPERVISOR_MAIL])          # one mail each, nobody else
    for mail in received:
        assert mail["subject"] == "Sambungan ke sistem DPMPTSP berhenti"
        body = mail["body"]
        assert "Menunggu Survei Lokasi" in body               # why
        assert "menunggu dan tidak hilang" in body and '"Jalankan lagi"' in body
        assert "WIB" in body                                  # since when, in the MPP's zone
        for personal in (APPLICANT["nik"], APPLICANT["name"], APPLICANT["phone"], tracking):
            assert personal not in body

    # the connector keeps reporting itself suspended: nobody is told twice
    seen = suspended["last_seen_at"]
    wait_for(lambda: connectors(api, admin)["tirta"]["last_seen_at"] > seen, timeout=10,
             message="a later report of the same suspension")
    staff_messages = mongo_client[database_name(config, "notifications")].messages
    assert staff_messages.count_documents({"kind": "connector_suspended"}) == 2
    assert len(mails(smtp_server)) == 2
