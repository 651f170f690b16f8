"""A client generated from the committed document works untouched: openapi-python-client (pinned
in requirements-dev.txt) turns ``docs/openapi.json`` into a Python package in a temporary
directory, and a short journey runs through it against the running suite, the way an
integrator's code would: the catalogue, a kiosk ticket, a staff sign-in, the counter calling
that ticket, an application filed, and its status with its history chain. Every answer comes
back as a typed model (``Ticket``, ``ApplicationStatus`` ...), never a bare dict."""
import datetime
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.gateway.openapi import DOCUMENT
from tests.integration.gateway.helpers import APPLICANT, PASSWORD, PDF

GENESIS = "0" * 64


@pytest.fixture(scope="module")
def client_package(tmp_path_factory):
    """The generated package, imported from its temporary directory."""
    where = tmp_path_factory.mktemp("generated")
    config = where / "config.yaml"
    config.write_text("package_name_override: mpp_client\nproject_name_override: mpp-client\n")
    tool = Path(sys.executable).with_name("openapi-python-client")
    env = dict(os.environ, PATH="{}{}{}".format(tool.parent, os.pathsep, os.environ["PATH"]))
    done = subprocess.run([str(tool), "generate", "--path", str(DOCUMENT), "--config",
                           str(config), "--meta", "none", "--output-path",
                           str(where / "mpp_client")],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module("mpp_client")
    finally:
        sys.path.remove(str(where))
        for name in [n for n in sys.modules if n == "mpp_client" or n.startswith("mpp_client.")]:
            del sys.modules[name]


def _api(name):
    return importlib.import_module("mpp_client.api." + name)


def test_generated_client_runs_a_day_with_typed_answers(api, service_config, client_package):
    models = importlib.import_module("mpp_client.models")
    base_url = "http://{}".format(service_config["WEB_SERVER_ADDRESS"])
    public = client_package.Client(base_url=base_url, raise_on_unexpected_status=True)

    catalogue = _api("catalogue.list_agencies").sync(client=public)
    assert isinstance(catalogue, models.AgencyList)
    samsat = next(a for a in catalogue.agencies if a.code == "samsat")
    assert [s.id for s in samsat.services] == ["samsat-pkb", "samsat-bbn"]
    types = _api("catalogue.list_permit_types").sync(client=public)
    reklame = next(t for t in types.permit_types if t.id == "reklame")
    assert reklame.sla_working_days == 3 and reklame.requirements[0].kind == "ktp"

    ticket = _api("tickets.issue_ticket").sync(
        client=public, body=models.IssueTicketRequest(service_id="samsat-pkb"),
        idempotency_key="generated-client-ticket-1")
    assert isinstance(ticket, models.Ticket), ticket
    assert ticket.status == models.TicketStatus.WAITING and ticket.number.startswith("H-")
    assert isinstance(ticket.issued_at, datetime.datetime) and ticket.issued_at.tzinfo

    signed_in = _api("auth.login").sync(client=public, body=models.LoginRequest(
        username="samsat.officer", password=PASSWORD))
    assert isinstance(signed_in, models.TokenResponse) and signed_in.account.agency == "samsat"
    officer = client_package.AuthenticatedClient(base_url=base_url,
                                                 token=signed_in.access_token,
                                                 raise_on_unexpected_status=True)
    opened = _api("counters.open_counter").sync("samsat-7", client=officer)
    assert isinstance(opened, models.CounterView)
    assert opened.status == models.CounterViewStatus.OPEN
    called = _api("counters.call_next").sync("samsat-7", client=officer)
    assert isinstance(called, models.Ticket)
    assert (called.id, called.status, called.counter_id) == (
        ticket.id, models.TicketStatus.CALLED, "samsat-7")
    mine = _api("tickets.get_ticket").sync(ticket.id, client=public,
                                          x_ticket_token=ticket.access_token)
    assert mine.status == models.TicketStatus.CALLED and mine.counter_id == "samsat-7"

    body = models.FileApplicationRequest.from_dict({
        "permit_type_id": "reklame", "applicant": APPLICANT, "form": {"size_m2": 4},
        "documents": [{"kind": "ktp", "filename": "ktp.pdf", "media_type": "application/pdf",
                       "content": PDF}]})
    filed = _api("applications.file_application").sync(
        client=public, body=body, idempotency_key="generated-client-application-1")
    assert isinstance(filed, models.FiledApplication), filed
    assert filed.created and len(filed.pin) == 6

    status = _api("applications.get_application_status").sync(
        filed.tracking_code, client=public, x_application_pin=filed.pin)
    assert isinstance(status, models.ApplicationStatus), status
    assert status.state == "submitted" and status.agency == "dpmptsp"
    first = status.history[0]
    assert isinstance(first, models.PublicHistoryEntry)
    assert first.prev_hash == GENESIS and status.head_hash == status.history[-1].hash_

    staff = _api("auth.login").sync(client=public, body=models.LoginRequest(
        username="dpmptsp.officer", password=PASSWORD))
    dpmptsp = client_package.AuthenticatedClient(base_url=base_url, token=staff.access_token,
                                                 raise_on_unexpected_status=True)
    checked = _api("applications.verify_application_history").sync(filed.application_id,
                                                                     client=dpmptsp)
    assert isinstance(checked, models.HistoryCheck)
    assert checked.ok and checked.first_bad_seq is None and checked.head_hash == status.head_hash

    # a citizen's complaint about the ticket, then its status and the agency's list
    complaint = _api("complaints.file_complaint").sync(
        client=public, body=models.Complaint.from_dict({
            "kind": "pengaduan", "reference": ticket.id,
            "text": "Antrean lama, loket sempat kosong."}),
        idempotency_key="generated-client-complaint-1")
    assert isinstance(complaint, models.ComplaintFiled), complaint
    assert complaint.agency == "samsat" and complaint.due_at > complaint.received_at
    seen = _api("complaints.get_complaint_status").sync(complaint.id, client=public)
    assert isinstance(seen, models.ComplaintStatus) and seen.response is None
    listed = _api("complaints.list_complaints").sync(client=officer)
    assert isinstance(listed, models.ComplaintList)
    assert [c.id for c in listed.items] == [complaint.id]
