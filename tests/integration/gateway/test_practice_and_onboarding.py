"""Promise against practice and agency onboarding over HTTP, with every service (standards
too) on the real broker and database: a new agency is not offered to citizens until its
go-live checklist is complete; the public sees each adopted standard's promise beside the
month's practice (aggregates only); supervisors see their own agency's broken promises."""
from datetime import datetime, timedelta, timezone

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.common import clock as clk
from tests.integration.gateway.helpers import (APPLICANT, HOURS, PDF, assert_problem, bearer,
                                            login)
from tests.integration.standards.conftest import TEXT_COMPONENTS
from tests.support import wait_for

ADMIN = {"username": "admin", "role": "admin", "agency": None}


@pytest.fixture
def standards(suite, gateway_config):
    with ServiceRpcProxy("standards", gateway_config) as proxy:
        yield proxy


def _today():
    return clk.local_day(datetime.now(timezone.utc), "Asia/Jakarta").isoformat()


def adopt(standards, agency, kind, subject, title, **components):
    """A standard drafted, consulted on (no comment) and adopted today, as the admin."""
    draft = standards.create_draft(ADMIN, {
        "agency": agency, "subject": {"kind": kind, "id": subject}, "title": title,
        "components": dict(TEXT_COMPONENTS, **components)})
    standards.open_consultation(ADMIN, draft["id"], {
        "opens_on": _today(), "closes_on": _today(), "invited_groups": ["users"]})
    standards.close_consultation(ADMIN, draft["id"])
    return standards.adopt(ADMIN, draft["id"], {"effective_from": _today()})


def add_service_counter_and_officer(api, admin):
    """KUA's queue service, a counter serving it and an officer account, as the admin."""
    assert api.put("/api/v1/admin/services", headers=admin, json={
        "id": "kua-legalisir", "agency": "kua", "prefix": "R", "name": "Legalisir buku nikah",
        "default_service_minutes": 10, "opening_hours": HOURS}).status_code == 200
    assert api.put("/api/v1/admin/counters", headers=admin, json={
        "id": "kua-21", "agency": "kua", "name": "Loket 21",
        "services": ["kua-legalisir"]}).status_code == 200
    assert api.post("/api/v1/admin/accounts", headers=admin, json={
        "username": "kua.petugas", "password": "kua-rahasia-2026", "role": "officer",
        "agency": "kua"}).status_code in (200, 201)


def test_a_new_agency_goes_live_only_when_its_checklist_is_complete(api, standards):
    admin = bearer(api, "admin")
    created = api.put("/api/v1/admin/agencies", headers=admin, json={
        "code": "kua", "name": "Kantor Urusan Agama Kapuas",
        "name_en": "Office of Religious Affairs Kapuas", "kind": "vertical_agency"})
    assert created.status_code == 200, created.text
    # onboarding: the admin sees it, citizens do not
    listed = {a["code"]: a for a in api.get("/api/v1/admin/agencies", headers=admin).json()[
        "agencies"]}
    assert listed["kua"]["state"] == "onboarding" and listed["samsat"]["state"] == "live"
    assert "kua" not in {a["code"] for a in api.get("/api/v1/agencies").json()["agencies"]}

    state = api.get("/api/v1/admin/agencies/kua/onboarding", headers=admin).json()
    assert state["complete"] is False and state["state"] == "onboarding"
    assert {i["item"] for i in state["items"] if not i["done"]} == {
        "services", "standards", "staff"}
    refused = assert_problem(api.post("/api/v1/admin/agencies/kua/go-live", headers=admin), 409)
    assert "belum lengkap" in refused["detail"] or "belum lengkap" in refused["title"]
    assert set(refused["details"]["missing"]) == {"services", "standards", "staff"}
    assert "kua" not in {a["code"] for a in api.get("/api/v1/agencies").json()["agencies"]}

    # the admin completes it: a service, a counter, an account, the service's standard
    add_service_counter_and_officer(api, admin)
    # its own staff see it (to prepare it), another agency's and citizens do not
    officer = {"Authorization": "Bearer " + login(api, "kua.petugas", "kua-rahasia-2026")[
        "access_token"]}
    assert "kua" in {a["code"] for a in api.get("/api/v1/agencies", headers=officer).json()[
        "agencies"]}
    assert "kua" not in {a["code"] for a in api.get(
        "/api/v1/agencies", headers=bearer(api, "samsat.officer")).json()["agencies"]}
    assert "kua" not in {a["code"] for a in api.get("/api/v1/agencies").json()["agencies"]}
    still = api.get("/api/v1/admin/agencies/kua/onboarding", headers=admin).json()
    assert [(i["item"], i["missing"]) for i in still["items"] if not i["done"]] == [
        ("standards", ["Legalisir buku nikah"])]
    assert_problem(api.post("/api/v1/admin/agencies/kua/go-live", headers=admin), 409)
    adopt(standards, "kua", "queue_service", "kua-legalisir", "Standar Legalisir buku nikah",
          time={"minutes": 10}, cost={"fee": 0, "legal_basis": "PP 59/2018"},
          requirements=[{"kind": "buku-nikah", "name": "Buku nikah", "required": True}])

    live = api.post("/api/v1/admin/agencies/kua/go-live", headers=admin)
    assert live.status_code == 200, live.text
    assert live.json()["state"] == "live" and live.json()["complete"] is True
    offered = {a["code"]: a for a in api.get("/api/v1/agencies").json()["agencies"]}
    assert [s["name"] for s in offered["kua"]["services"]] == ["Legalisir buku nikah"]


def test_onboarding_is_the_admins_and_an_unknown_agency_is_404(api, standards):
    supervisor = bearer(api, "samsat.supervisor")
    assert_problem(api.get("/api/v1/admin/agencies/samsat/onboarding", headers=supervisor), 403)
    assert_problem(api.post("/api/v1/admin/agencies/samsat/go-live", headers=supervisor), 403)
    assert_problem(api.get("/api/v1/admin/agencies", headers=supervisor), 403)
    admin = bearer(api, "admin")
    assert_problem(api.get("/api/v1/admin/agencies/nowhere/onboarding", headers=admin), 404)
    assert_problem(api.put("/api/v1/admin/agencies", headers=admin, json={
        "code": "kua", "name": "KUA", "kind": "kementerian"}), 422)


def test_the_public_sees_promise_against_practice_and_supervisors_their_broken_promises(
        api, standards, suite, gateway_config):
    adopt(standards, "dpmptsp", "permit_type", "sip", "Standar Surat Izin Praktik Bidan",
          time={"working_days": 5}, cost={"fee": 0, "legal_basis": "Perda 1/2024"},
          requirements=[{"kind": "ktp", "name": "KTP", "required": True}])
    adopt(standards, "samsat", "queue_service", "samsat-pkb", "Standar Pajak Kendaraan",
          time={"minutes": 30}, cost={"fee": 0, "legal_basis": "UU 1/2022"},
          requirements=[{"kind": "stnk", "name": "STNK", "required": True}])
    # a citizen's application the agency never decides: deemed approved past its SLA
    filed = api.post("/api/v1/applications", headers={"Idempotency-Key": "practice-1"}, json={
        "permit_type_id": "sip", "applicant": APPLICANT, "form": {"str_number": "STR-1"},
        "documents": [{"kind": "ktp", "filename": "ktp.pdf", "media_type": "application/pdf",
                       "content": PDF}]})
    assert filed.status_code == 201, filed.text
    later = datetime.now(timezone.utc) + timedelta(days=16)
    with ServiceRpcProxy("permits", gateway_config) as permits:
        assert permits.sla_sweep(at=later.isoformat())["deemed_approved"] == 1

    public = api.get("/api/v1/public/standards/practice")
    assert public.status_code == 200, public.text
    rows = {r["subject"]["id"]: r for r in public.json()["standards"]}
    sip = rows["sip"]
    assert sip["promised"]["working_days"] == 5 and sip["promised"]["fee"] == 0
    assert sip["measured"]["decided"] == 1 and sip["measured"]["within_sla"] == 0
    assert sip["kept"] is False
    assert sip["reasons"] == [{"kind": "late_decisions", "late": 1, "decided": 1,
                               "promised_working_days": 5}]
    assert rows["samsat-pkb"]["kept"] is None and rows["samsat-pkb"]["measured"] is None
    # aggregates only: no applicant, no tracking code, no staff name anywhere
    text = public.text
    for personal in (APPLICANT["name"], APPLICANT["nik"], filed.json()["tracking_code"],
                     "admin"):
        assert personal not in text, personal
    only = api.get("/api/v1/public/standards/practice?agency=samsat").json()["standards"]
    assert [r["subject"]["id"] for r in only] == ["samsat-pkb"]
    assert_problem(api.get("/api/v1/public/standards/practice?month=2026-13"), 422)

    # supervisors: their own agency's broken promises; the admin: all
    dpm = api.get("/api/v1/standards/broken", headers=bearer(api, "dpmptsp.supervisor")).json()
    assert [b["subject"]["id"] for b in dpm["broken"]] == ["sip"] and dpm["agency"] == "dpmptsp"
    samsat = bearer(api, "samsat.supervisor")
    assert api.get("/api/v1/standards/broken", headers=samsat).json()["broken"] == []
    assert_problem(api.get("/api/v1/standards/broken?agency=dpmptsp", headers=samsat), 403)
    assert_problem(api.get("/api/v1/standards/broken", headers=bearer(api, "samsat.officer")),
                   403)
    assert_problem(api.get("/api/v1/standards/broken"), 401)
    everything = api.get("/api/v1/standards/broken", headers=bearer(api, "admin")).json()
    assert [b["agency"] for b in everything["broken"]] == ["dpmptsp"]


def _next_wednesday():
    day = datetime.now(timezone.utc).date() + timedelta(days=3)
    while day.weekday() != 2:  # a Wednesday: open in the test catalogue
        day += timedelta(days=1)
    return day.isoformat()


def test_an_onboarding_agency_takes_no_ticket_booking_or_application_until_it_goes_live(
        api, standards):
    """The kiosk and portal do not offer an agency being onboarded; straight through the API
    its queue service takes no ticket and no booking and its permit type no application (the
    owning services refuse: nothing is created), for anyone, its own staff included; after
    go-live all three work."""
    admin = bearer(api, "admin")
    assert api.put("/api/v1/admin/agencies", headers=admin, json={
        "code": "kua", "name": "Kantor Urusan Agama Kapuas",
        "name_en": "Office of Religious Affairs Kapuas", "kind": "vertical_agency"}
    ).status_code == 200
    add_service_counter_and_officer(api, admin)
    made = api.put("/api/v1/admin/permit-types", headers=admin, json={
        "permit_type_id": "kua-rujuk", "version": 1, "agency": "kua",
        "name": "Surat Keterangan Rujuk",
        "effective_from": "2026-01-01", "sla_working_days": 3, "fee": 0,
        "approval_levels": 1, "connector": "manual",
        "requirements": [{"kind": "ktp", "name": "KTP"}],
        "form": [{"name": "str_number", "type": "string", "required": True, "label": "STR"}]})
    assert made.status_code == 200, made.text
    officer = {"Authorization": "Bearer " + login(api, "kua.petugas", "kua-rahasia-2026")[
        "access_token"]}
    day = _next_wednesday()
    slots = api.get("/api/v1/bookings/availability", params={
        "service_id": "kua-legalisir", "date": day}).json()
    slot = [s for s in slots["slots"] if s["bookable"]][0]["local"][:5]
    booking = {"service_id": "kua-legalisir", "date": day, "slot_start": slot,
               "name": "Budi Santoso", "phone": "0811-5200-0002"}

    def application(key):
        return api.post("/api/v1/applications", headers={"Idempotency-Key": key}, json={
            "permit_type_id": "kua-rujuk", "applicant": APPLICANT,
            "form": {"str_number": "STR-9"},
            "documents": [{"kind": "ktp", "filename": "ktp.pdf",
                           "media_type": "application/pdf", "content": PDF}]})

    refusals = [
        api.post("/api/v1/tickets", json={"service_id": "kua-legalisir"}),
        api.post("/api/v1/tickets", json={"service_id": "kua-legalisir"}, headers=officer),
        api.post("/api/v1/visits", json={"steps": ["samsat-pkb", "kua-legalisir"]}),
        api.post("/api/v1/bookings", json=booking,
                 headers={"Idempotency-Key": "kua-booking-0001"}),
        application("kua-rujuk-0001")]
    for refused in refusals:
        problem = assert_problem(refused, 409)
        assert problem["detail"].startswith("Instansi ini belum melayani"), problem
        assert problem["details"]["agency"] == "kua"
    # nothing was made: no booking holds the slot, the queue is empty
    again = api.get("/api/v1/bookings/availability", params={
        "service_id": "kua-legalisir", "date": day}).json()
    assert [s for s in again["slots"] if s["local"][:5] == slot] == [
        s for s in slots["slots"] if s["local"][:5] == slot]

    adopt(standards, "kua", "queue_service", "kua-legalisir", "Standar Legalisir buku nikah",
          time={"minutes": 10}, cost={"fee": 0, "legal_basis": "PP 59/2018"},
          requirements=[{"kind": "buku-nikah", "name": "Buku nikah", "required": True}])
    adopt(standards, "kua", "permit_type", "kua-rujuk", "Standar Surat Keterangan Rujuk",
          time={"working_days": 3}, cost={"fee": 0, "legal_basis": "PMA 20/2019"},
          requirements=[{"kind": "ktp", "name": "KTP", "required": True}])
    live = api.post("/api/v1/admin/agencies/kua/go-live", headers=admin)
    assert live.status_code == 200, live.text

    ticket = api.post("/api/v1/tickets", json={"service_id": "kua-legalisir"})
    assert ticket.status_code == 201, ticket.text
    assert ticket.json()["number"].endswith("001")  # the refused ones took no number
    booked = api.post("/api/v1/bookings", json=booking,
                      headers={"Idempotency-Key": "kua-booking-0002"})
    assert booked.status_code == 201, booked.text
    # permits hears of the go-live by an event: a filing a moment later is taken
    filed = wait_for(lambda: (lambda r: r if r.status_code != 409 else None)(
        application("kua-rujuk-0002")), message="permits to hear the go-live")
    assert filed.status_code == 201, filed.text
